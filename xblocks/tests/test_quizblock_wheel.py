"""The wheel installs into a fresh virtual environment and serves a quiz there.

Builds the wheel once, then:

* installs it alone into a new virtual environment (its dependencies come from the package
  index) and renders and grades a block with XBlock's own ToyRuntime: no pipeline, no MkDocs,
  no Django, nothing from this checkout;
* installs it with xblock-sdk's workbench into another, runs the workbench on 127.0.0.1 and
  drives a learner through it in Chromium: wrong, right, reload, out of attempts; then resets
  the learner's ``attempts`` in the workbench's SQL store, as the instructor dashboard does,
  and submits again.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

XBLOCKS = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import gettext, importlib.metadata as md, importlib.util, json, sys
from pathlib import Path
from webob import Request
from xblock.core import XBlock
from xblock.test.toy_runtime import ToyRuntime
from curriculum_quiz import olx, scenarios
import curriculum_quiz

out = {"missing": [name for name in ("curriculum", "mkdocs", "django", "workbench")
                   if importlib.util.find_spec(name) is None]}
out["entry_point"] = [ep.value for ep in md.entry_points(group="xblock.v1") if ep.name == "curriculum_quiz"]
out["package_dir"] = str(Path(curriculum_quiz.__file__).parent)
out["class"] = XBlock.load_class("curriculum_quiz").__name__

runtime = ToyRuntime("learner-7")
usage = runtime.parse_xml_string(olx.quiz_xml(scenarios.MIXED, display_name="Mixed", language="en"))
block = runtime.get_block(usage)
html = runtime.render(block, "student_view").content
again = runtime.get_block(usage)
out["fieldsets"] = html.count("<fieldset")
out["stable"] = runtime.render(again, "student_view").content == html
data = block.student_view_data()
question = next(q for q in data["questions"] if q["id"] == "q-generative")
right = next(c["key"] for c in question["choices"] if "large language model" in c["text"])
body = json.dumps({"answers": {"q-generative": right, "q-tf": False}}).encode()
request = Request.blank("/", method="POST", body=body)
response = runtime.handle(block, "submit", request)
reply = json.loads(response.body)
out["submit"] = [response.status_code, reply["score"], reply["max_score"]]
out["stored"] = [block.attempts, block.get_score().raw_earned, bool(block.key_salt)]
bad = runtime.handle(block, "submit", Request.blank("/", method="POST", body=b"[]"))
out["bad"] = bad.status_code
out["zh"] = [gettext.translation("text", Path(curriculum_quiz.__file__).parent / "translations", [locale]).gettext(
    "Submit") for locale in ("zh_TW", "zh_Hant", "zh_HK")]
print(json.dumps(out))
"""


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(dist), str(XBLOCKS))
    wheels = list(dist.glob("curriculum_quiz_xblock-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_renders(tmp_path: Path, wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for shipped in ("curriculum_quiz/block.py", "curriculum_quiz/model.py", "curriculum_quiz/report.py",
                    "curriculum_quiz/conf/locale/en/LC_MESSAGES/django.po",
                    "curriculum_quiz/conf/locale/zh_TW/LC_MESSAGES/django.po",
                    *(f"curriculum_quiz/{layout}/{locale}/LC_MESSAGES/{domain}.mo"
                      for locale in ("zh_TW", "zh_Hant", "zh_HK")
                      for layout, domain in (("conf/locale", "django"), ("translations", "text"))),
                    "curriculum_quiz/public/js/curriculum_quiz.js",
                    "curriculum_quiz/public/js/curriculum_quiz_studio.js",
                    "curriculum_quiz/public/css/curriculum_quiz.css"):
        assert shipped in names
    assert not any(n.startswith("tests/") or "__pycache__" in n for n in names)
    assert "[xblock.v1]\ncurriculum_quiz = curriculum_quiz.block:CurriculumQuizBlock" in entry_points

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel))
    result = json.loads(run(str(python), "-c", SCRIPT, cwd=tmp_path).stdout)

    assert result["missing"] == ["curriculum", "mkdocs", "django", "workbench"]
    assert result["entry_point"] == ["curriculum_quiz.block:CurriculumQuizBlock"]
    assert result["package_dir"].startswith(str(venv))
    assert result["class"] == "CurriculumQuizBlock"
    assert result["fieldsets"] == 7 and result["stable"] is True
    assert result["submit"] == [200, 2.0, 7]
    assert result["stored"] == [1, 2.0, True]  # no server secret here: the learner's salt keys the quiz
    assert result["bad"] == 400
    assert result["zh"] == ["送出", "送出", "送出"]


# ----------------------------------------------------------------------------------------------
# The workbench, from the wheel, in Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCENARIO = "Curriculum quiz: every type, two attempts"
WRONG = "A sepsis early-warning score"
RIGHT = "A large language model drafting discharge summaries"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the workbench exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the workbench did not answer on {url}")


def learner_state(db: Path) -> tuple[int, dict]:
    """The id and state of the workbench learner's user_state row of the quiz (scope usage)."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT id, state FROM workbench_xblockstate WHERE scope = 'usage' AND "
                                  "user_id = 'student_1' AND scope_id LIKE '%curriculum_quiz%'").fetchall()
    states = [(row_id, json.loads(text)) for row_id, text in rows if "attempts" in json.loads(text)]
    assert len(states) == 1, rows
    return states[0]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_the_workbench_serves_the_wheel_to_a_learner_in_chromium(tmp_path: Path, wheel: Path):
    from playwright.sync_api import expect, sync_playwright

    venv = tmp_path / "workbench-venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel), "xblock-sdk",
        "XBlock[django]")
    site = tmp_path / "site"
    (site / "var").mkdir(parents=True)
    db = site / "var" / "workbench.db"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "workbench.settings",
           "WORKBENCH_DATABASES": json.dumps({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}})}
    env.pop("PYTHONPATH", None)
    run(python, "-m", "django", "migrate", "--run-syncdb", "--verbosity", "0", cwd=site, env=env)
    installed = run(python, "-c", "import curriculum_quiz, workbench; print(curriculum_quiz.__file__)", cwd=site,
                    env=env).stdout
    assert installed.startswith(str(venv))  # the wheel's package, not this checkout's

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "workbench.log").open("w")
    server = subprocess.Popen([python, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=site, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(base, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(base)
            page.get_by_role("link", name=SCENARIO).click()
            scenario_url = page.url
            quiz = page.locator(".cq-block")
            status = quiz.locator(".cq-status")
            single = quiz.locator('fieldset[data-question-id="q-generative"]')

            # Wrong: only the learner's own feedback, no answer.
            single.get_by_label(WRONG).check()
            quiz.locator(".cq-submit").click()
            expect(status).to_contain_text("You scored 0 out of 7.")
            expect(quiz.locator(".cq-attempts")).to_have_text("Attempts used: 1 of 2.")
            expect(single.locator(".cq-verdict")).to_have_text("Incorrect")
            assert quiz.locator(".cq-answer").count() == 0

            # Right: the last attempt; the answers are revealed and the form locks.
            single.get_by_label(RIGHT).check()
            quiz.locator('fieldset[data-question-id="q-tf"]').get_by_label("False").check()
            quiz.locator(".cq-submit").click()
            expect(status).to_contain_text("You scored 2 out of 7.")
            expect(single.locator(".cq-verdict")).to_have_text("Correct")
            expect(quiz.locator(".cq-submit")).to_be_disabled()

            # Reload: the result and the lock come from the server.
            page.goto(scenario_url)
            expect(quiz.locator(".cq-attempts")).to_have_text("No attempts remain: you have used all 2.")
            expect(quiz.locator(".cq-submit")).to_be_disabled()
            expect(single.get_by_label(RIGHT)).to_be_checked()
            row_id, state = learner_state(db)
            assert state["attempts"] == 2 and "attempts_used" not in state

            # Out of attempts: the handler itself refuses, whatever a page sends.
            refused = page.evaluate("""async () => {
                const usage = document.querySelector('.cq-block').closest('[data-usage]').dataset.usage;
                const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1];
                const response = await fetch('/handler/' + usage + '/submit/?student=student_1', {
                    method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                    body: JSON.stringify({answers: {'q-tf': false}})});
                return [response.status, (await response.json()).error];
            }""")
            assert refused == [403, "No attempts remain: you have used all 2."]
            assert learner_state(db)[1] == state

            # Reset attempts, as the instructor dashboard does: state["attempts"] = 0.
            state["attempts"] = 0
            with sqlite3.connect(db) as connection:
                connection.execute("UPDATE workbench_xblockstate SET state = ? WHERE id = ?",
                                   (json.dumps(state), row_id))
            page.goto(scenario_url)
            expect(quiz.locator(".cq-attempts")).to_have_text("Attempts used: 0 of 2.")
            expect(quiz.locator(".cq-submit")).to_be_enabled()
            single.get_by_label(RIGHT).check()
            quiz.locator(".cq-submit").click()
            expect(status).to_contain_text("Attempts used: 1 of 2.")
            assert learner_state(db)[1]["attempts"] == 1
            assert errors == []
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

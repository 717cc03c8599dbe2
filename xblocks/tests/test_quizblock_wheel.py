"""The wheel installs into a fresh virtual environment and serves a quiz there.

Builds the wheel, creates a new virtual environment, installs the wheel with pip (its
dependencies come from the package index), and renders and grades a block with XBlock's own
ToyRuntime: no pipeline, no MkDocs, no Django, nothing from this checkout.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
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
translations = gettext.translation("text", Path(curriculum_quiz.__file__).parent / "translations", ["zh_TW"])
out["zh_TW"] = translations.gettext("Submit")
print(json.dumps(out))
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_renders(tmp_path: Path):
    dist = tmp_path / "dist"
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(dist), str(XBLOCKS))
    wheels = list(dist.glob("curriculum_quiz_xblock-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        entry_points = next(wheel.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for shipped in ("curriculum_quiz/block.py", "curriculum_quiz/model.py",
                    "curriculum_quiz/translations/zh_TW/LC_MESSAGES/text.mo",
                    "curriculum_quiz/public/js/curriculum_quiz.js",
                    "curriculum_quiz/public/js/curriculum_quiz_studio.js",
                    "curriculum_quiz/public/css/curriculum_quiz.css"):
        assert shipped in names
    assert not any(n.startswith("tests/") or "__pycache__" in n for n in names)
    assert "[xblock.v1]\ncurriculum_quiz = curriculum_quiz.block:CurriculumQuizBlock" in entry_points

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheels[0]))
    result = json.loads(run(str(python), "-c", SCRIPT, cwd=tmp_path).stdout)

    assert result["missing"] == ["curriculum", "mkdocs", "django", "workbench"]
    assert result["entry_point"] == ["curriculum_quiz.block:CurriculumQuizBlock"]
    assert result["package_dir"].startswith(str(venv))
    assert result["class"] == "CurriculumQuizBlock"
    assert result["fieldsets"] == 7 and result["stable"] is True
    assert result["submit"] == [200, 2.0, 7]
    assert result["stored"] == [1, 2.0, True]  # no server secret here: the learner's salt keys the quiz
    assert result["bad"] == 400
    assert result["zh_TW"] == "送出"

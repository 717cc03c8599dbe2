"""`curriculum build site` of the bundled curriculum (the repository's own programme.yml,
domains, lectures and glossary), both languages, read back and opened in Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sitehelpers import AXE, REPO

from curriculum import checks
from curriculum.cli import main
from curriculum.diagnostics import Report
from curriculum.site.build import external_loads


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    out = tmp_path_factory.mktemp("bundled")
    assert main(["build", "site", "--root", str(REPO), "--out", str(out)]) == 0
    report = Report()
    curriculum = checks.check(REPO, report)
    return curriculum, out / "site"


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value] if len(value.strip()) > 12 else []
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("id", "type", "assesses") for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def test_every_lecture_has_a_page_in_both_languages(bundled) -> None:
    curriculum, site = bundled
    assert curriculum.lectures
    for lecture in curriculum.lectures.values():
        for prefix in ("", "zh-TW/"):
            html = (site / prefix / "lectures" / lecture.domain_id / lecture.id / "index.html").read_text(encoding="utf-8")
            assert f'data-lecture-id="{lecture.id}"' in html
            if lecture.status == "outline":
                assert "cmio-outline" in html
            if prefix and "zh-TW" not in lecture.translations:
                assert "cmio-untranslated" in html
    for prefix in ("", "zh-TW/"):
        for page in ("index.html", "glossary/index.html", "progress/index.html"):
            assert (site / prefix / page).is_file()


def test_nothing_of_a_summative_quiz_comes_from_the_pipeline(bundled) -> None:
    """Every summative text found in the site must also be written somewhere the site shows on
    purpose (a lecture body, a formative quiz, objectives, references, the glossary): the page
    holds only the quiz's id and number of questions."""
    curriculum, site = bundled
    summative: set[str] = set()
    shown: list[str] = [repr(g.term) + repr(g.definition) for g in curriculum.glossary]
    for lecture in curriculum.lectures.values():
        shown += [p for part in [lecture, *lecture.translations.values()] for p in part.body if isinstance(p, str)]
        shown += [*lecture.objectives.values(), *lecture.references]
        shown += [text for t in lecture.translations.values() for text in t.objectives.values()]
        for index, quiz in enumerate(lecture.quizzes):
            for language in curriculum.programme.languages:
                data = lecture.quiz_in(language, index)
                if quiz.mode == "summative":
                    summative |= set(_texts(data["questions"]))
                else:
                    shown.append(repr(data))
    everywhere = "\n".join(shown)
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".js", ".xml", ".txt")]
    for path in files:
        content = path.read_text(encoding="utf-8", errors="replace")
        leaked = [s for s in summative if s in content and s not in everywhere]
        assert leaked == [], f"{path.relative_to(site)} holds summative quiz text: {leaked[:3]}"


def test_the_bundled_site_loads_nothing_from_another_host(bundled) -> None:
    assert external_loads(bundled[1]) == []


@pytest.fixture(scope="session")
def bundled_url(bundled) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(bundled[1])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_axe_and_requests_on_the_bundled_site(chromium, bundled, bundled_url: str) -> None:
    curriculum, _site = bundled
    written = [lec for lec in curriculum.lectures.values() if lec.status == "published"]
    translated = [lec for lec in written if "zh-TW" in lec.translations]
    paths = ["", "progress/", "glossary/", "zh-TW/", "zh-TW/progress/"]
    paths += [f"lectures/{lec.domain_id}/{lec.id}/" for lec in written[:2]]
    paths += [f"zh-TW/lectures/{lec.domain_id}/{lec.id}/" for lec in translated[:2]]
    paths += [f"lectures/{curriculum.domains[0].id}/"]
    context = chromium.new_context()
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems = []
    try:
        for path in paths:
            page.goto(bundled_url + path)
            page.wait_for_load_state("load")
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            problems += [f"{path}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
                         for v in result["violations"] if v["impact"] in ("serious", "critical")]
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
    assert errors == []
    foreign = [u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname != "127.0.0.1"]
    assert foreign == []

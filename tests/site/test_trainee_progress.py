"""The trainee's progress where they look: marks on the lecture links of the sidebar and of the
domain pages, the home page's overall progress and Continue link, answers restored after a
reload, and old (version 1) progress still read. The small site fixture is built with the real
`curriculum build site` and opened in Debian's Chromium at desktop and phone sizes, in English
and in Chinese; the Continue link is also followed in a sub-path deployment.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from staticserver import serve

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
LANGUAGES = {
    "en": {"prefix": "", "completed": ", completed", "visited": ", visited", "title": "What clinical AI models do",
           "overall": "You have completed {done} of 2 lectures.", "continue": "Continue: What clinical AI models do"},
    "zh-TW": {"prefix": "zh-TW/", "completed": "，已完成", "visited": "，已閱讀", "title": "臨床AI模型在做什麼",
              "overall": "您已完成 {done}／2 個講次。", "continue": "繼續學習：臨床AI模型在做什麼"},
}
LANGS = [pytest.param(lang, id=lang) for lang in LANGUAGES]
LECTURE = "lectures/ai/ai-models/"

V1_FILE = {"version": 1, "lectures": {
    "inf-intro": {"visited": "2026-02-01T08:00:00.000Z", "quizzes": {"inf-intro-check": {"best": 2, "max": 2}}},
    "ai-models": {"visited": "2026-02-02T08:00:00.000Z", "quizzes": {"ai-models-check": {"best": 1, "max": 2}}},
}}


@pytest.fixture()
def open_page(chromium, site_url: str) -> Iterator:
    """open_page(viewport, path) → a page of a fresh browser profile; JavaScript errors and
    requests leaving 127.0.0.1 fail the test."""
    contexts, errors, requests = [], [], []

    def make(viewport: dict, path: str = "") -> Page:
        context = chromium.new_context(viewport=viewport, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        context.on("request", lambda request: requests.append(request.url))
        page.goto(site_url + path)
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(("http://127.0.0.1:", "blob:", "data:"))] == []


def answer_ai_models(page: Page, questions: tuple[str, ...] = ("q-generative", "q-ppv")) -> None:
    """Answer the fixture lecture's formative quiz rightly (language-independent locators)."""
    if "q-generative" in questions:
        fs = page.locator('fieldset[data-question="q-generative"]')
        fs.locator('input[value="1"]').check()  # the language model: the source's second choice
        fs.locator('button[data-action="check"]').click()
        expect(fs).to_have_attribute("data-result", "correct")
    if "q-ppv" in questions:
        fs = page.locator('fieldset[data-question="q-ppv"]')
        fs.locator("input").fill("0.33")
        fs.locator('button[data-action="check"]').click()
        expect(fs).to_have_attribute("data-result", "correct")


def sidebar(page: Page):
    """The primary navigation, opened first on a phone (where it is a drawer)."""
    if page.viewport_size["width"] < 1220:
        page.locator('label.md-header__button[for="__drawer"]').click()
        expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
    return page.locator(".md-sidebar--primary")


def stored(page: Page) -> dict:
    return json.loads(page.evaluate("() => localStorage.getItem('cmio-progress-v2')") or "null")


def lecture_link(scope, text: dict, state: str):
    """The fixture lecture's link whose accessible name ends with the state's words."""
    name = re.compile("^" + re.escape(text["title"]) + ".*" + re.escape(text[state]) + "$")
    return scope.get_by_role("link", name=name)


def own_entry(page: Page, text: dict, state: str):
    """The sidebar's entry for the lecture being read, with its state's words at the end of its
    name: a link on a desktop; in a phone's drawer, the label that opens the page's contents."""
    nav = sidebar(page)
    if page.viewport_size["width"] >= 1220:
        return lecture_link(nav, text, state)
    return nav.locator('label.md-nav__link--active[for="__toc"]').filter(
        has_text=re.compile(re.escape(text[state]) + r"\s*$"))


@pytest.mark.parametrize("viewport", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_lecture_links_show_visited_then_completed(open_page, viewport: dict, lang: str) -> None:
    text = LANGUAGES[lang]
    page = open_page(viewport, text["prefix"] + LECTURE)
    root = page.url.split("lectures/")[0]
    # Visited, with one of two questions checked: not completed.
    answer_ai_models(page, ("q-generative",))
    entry = own_entry(page, text, "visited")
    expect(entry).to_be_visible()
    expect(entry.locator(".cmio-mark")).to_have_text("• 1/2")
    page.goto(root + "lectures/ai/")
    table = page.locator(".md-content table")
    expect(lecture_link(table, text, "visited").locator(".cmio-mark")).to_have_text("• 1/2")
    expect(lecture_link(table, text, "completed")).to_have_count(0)
    # A pruned section's link leads to its first lecture but is not a lecture: no mark.
    expect(page.locator(".md-nav__item--nested > a .cmio-mark")).to_have_count(0)

    page.goto(root + LECTURE)
    answer_ai_models(page, ("q-ppv",))  # the first answer came back from storage: both are checked now
    entry = own_entry(page, text, "completed")
    expect(entry).to_be_visible()
    expect(entry.locator(".cmio-mark")).to_have_text("✓ 2/2")
    page.reload()  # still completed when the page is opened again
    expect(own_entry(page, text, "completed")).to_be_visible()

    page.goto(root + "lectures/ai/")
    done = lecture_link(page.locator(".md-content table"), text, "completed")
    expect(done).to_be_visible()
    expect(done.locator(".cmio-mark")).to_have_text("✓ 2/2")
    # A lecture never opened carries no mark.
    page.goto(root + "lectures/informatics/")
    expect(page.locator(".md-content table a")).to_have_count(1)
    expect(page.locator(".md-content .cmio-mark")).to_have_count(0)


@pytest.mark.parametrize("viewport", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_home_shows_overall_progress_and_continue(open_page, viewport: dict, lang: str) -> None:
    text = LANGUAGES[lang]
    page = open_page(viewport, text["prefix"])
    box = page.locator("#cmio-home-progress")
    expect(box).to_be_visible()
    expect(box.locator(".cmio-home-progress__summary")).to_have_text(text["overall"].format(done=0))
    expect(box.locator(".cmio-home-progress__continue")).to_be_hidden()  # nothing visited yet

    page.goto(page.url + LECTURE)
    answer_ai_models(page)
    page.goto(page.url.split("lectures/")[0])
    expect(box.locator(".cmio-home-progress__summary")).to_have_text(text["overall"].format(done=1))
    assert box.locator("progress").evaluate("p => [p.value, p.max]") == [1, 2]
    cont = page.get_by_role("link", name=text["continue"])
    expect(cont).to_be_visible()
    expect(cont).to_have_attribute("href", LECTURE)  # relative: works wherever the site is deployed
    cont.click()
    page.wait_for_url(re.compile(re.escape(text["prefix"] + LECTURE) + "$"))
    expect(page.locator("h1")).to_contain_text(text["title"])


def test_home_knows_every_published_lecture(site_dir: Path) -> None:
    for prefix in ("", "zh-TW/"):
        html = (site_dir / prefix / "index.html").read_text(encoding="utf-8")
        match = re.search(r'id="cmio-home-progress"[^>]*data-lectures="([^"]*)"', html)
        assert match, "the home page carries the published lectures"
        lectures = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        # published lectures with their formative quizzes; no draft, no outline, no summative quiz
        assert {k: v["quizzes"] for k, v in lectures.items()} == {"ai-models": ["ai-models-check"],
                                                                "inf-intro": ["inf-intro-check"]}


def test_continue_works_in_a_sub_path_deployment(chromium, site_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "www"
    shutil.copytree(site_dir, root / "courses" / "cmio")
    with serve(root) as url:
        context = chromium.new_context(viewport=DESKTOP)
        page = context.new_page()
        for prefix in ("", "zh-TW/"):
            page.goto(url + "courses/cmio/" + prefix + "lectures/informatics/inf-intro/")
            page.goto(url + "courses/cmio/" + prefix + "lectures/informatics/inf-exchange/")  # coming soon: not continued
            page.goto(url + "courses/cmio/" + prefix)
            page.locator(".cmio-home-progress__continue a").click()
            page.wait_for_url(url + "courses/cmio/" + prefix + "lectures/informatics/inf-intro/")
        assert stored(page)["last"] == {"lecture": "inf-intro", "path": "lectures/informatics/inf-intro/"}
        context.close()


@pytest.mark.parametrize("viewport", SIZES)
def test_version_1_storage_is_migrated_on_load(open_page, viewport: dict) -> None:
    page = open_page(viewport, "")
    page.evaluate("data => localStorage.setItem('cmio-progress-v1', JSON.stringify(data))", V1_FILE)
    page.reload()
    # v1 kept the running total: 2 of 2 means every question was checked, 1 of 2 does not.
    expect(page.locator(".cmio-home-progress__summary")).to_have_text("You have completed 1 of 2 lectures.")
    page.goto(page.url + "lectures/informatics/inf-intro/")
    expect(own_entry(page, {"title": "What a CMIO is for", "completed": ", completed"}, "completed")).to_be_visible()
    data = stored(page)
    assert data["version"] == 2
    assert data["lectures"]["inf-intro"]["quizzes"]["inf-intro-check"]["completed"] is True
    assert data["lectures"]["ai-models"]["quizzes"]["ai-models-check"] == {
        "best": 1, "max": 2, "completed": False, "answers": {}}


def test_version_1_file_imports(open_page, tmp_path: Path) -> None:
    page = open_page(PHONE, "zh-TW/progress/")
    saved = tmp_path / "cmio-progress-2026-02-02.json"
    saved.write_text(json.dumps(V1_FILE), encoding="utf-8")
    page.locator('input[data-action="import"]').set_input_files(str(saved))
    expect(page.locator(".cmio-progress__status")).to_have_text("已匯入進度：2 個講次。")
    expect(page.locator('tr[data-lecture="ai-models"] [data-cell="quiz"]')).to_have_text("1／2")
    page.goto(page.url.split("progress/")[0])
    expect(page.locator(".cmio-home-progress__summary")).to_have_text("您已完成 1／2 個講次。")
    assert stored(page)["version"] == 2


def test_untrusted_storage_is_sanitized(open_page) -> None:
    """Forged or stale data: bad ids, a response of the wrong kind for its question, an outside
    Continue path, and a choice that no longer exists are all dropped, without an error."""
    page = open_page(DESKTOP, "")
    forged = {"version": 2, "last": {"lecture": "ai-models", "path": "https://example.org/lectures/x/y/"},
              "lectures": {
                  "ai-models": {"visited": "2026-02-02T08:00:00.000Z", "quizIds": ["ai-models-check", "<b>"],
                                "quizzes": {"ai-models-check": {"best": 1, "max": 2, "completed": False, "answers": {
                                    "q-generative": {"response": 7, "score": 1, "tries": 1},   # no choice 7
                                    "q-ppv": {"response": "<img src=x onerror=alert(1)>", "score": 1},
                                    "Bad Id": {"response": 1, "score": 1}}}}},
                  "<script>": {"visited": "2026-02-02T08:00:00.000Z", "quizzes": {}}}}
    page.evaluate("data => localStorage.setItem('cmio-progress-v2', JSON.stringify(data))", forged)
    page.reload()
    expect(page.locator(".cmio-home-progress__continue")).to_be_hidden()
    data = page.evaluate("() => window.CMIOProgress.data()")
    assert set(data["lectures"]) == {"ai-models"}
    assert "last" not in data
    assert data["lectures"]["ai-models"]["quizIds"] == ["ai-models-check"]
    assert set(data["lectures"]["ai-models"]["quizzes"]["ai-models-check"]["answers"]) == {"q-generative", "q-ppv"}
    page.goto(page.url + LECTURE)
    # Neither stored response fits its question: nothing is restored, nothing is shown.
    for qid in ("q-generative", "q-ppv"):
        fs = page.locator(f'fieldset[data-question="{qid}"]')
        expect(fs.locator(".cmio-q__feedback")).to_be_empty()
        expect(fs).not_to_have_attribute("data-result", re.compile(".*"))
    assert page.locator('fieldset[data-question="q-ppv"] input').input_value() == ""
    assert page.locator("img[onerror]").count() == 0

"""The built course site in Debian's Chromium (Playwright), served from 127.0.0.1.

Every test runs on the site built by each engine (MkDocs and Zensical; see conftest.py), records
all the requests its pages make and fails if one leaves 127.0.0.1 or if a page logs a JavaScript
error (see the `web` fixture).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sitehelpers import AXE

from curriculum.site.engines import ENGINES

SITE_ENGINES = ENGINES
STORAGE_KEY = "cmio-progress-v2"


def progress(page: Page) -> dict:
    return page.evaluate("() => window.CMIOProgress.data()")


def stored(page: Page) -> dict:
    return json.loads(page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") or "null")


def quiz_record(page: Page, lecture: str, quiz: str) -> dict:
    """A quiz's best score and completion (its kept answers left out)."""
    record = progress(page)["lectures"][lecture]["quizzes"][quiz]
    return {key: record[key] for key in ("best", "max", "completed")}


def row(page: Page, lecture: str):
    return page.locator(f'tr[data-lecture="{lecture}"]')


# Each engine's search: its box, a result link, and its index. Zensical's search is a dialog
# (in a shadow root, which Playwright's CSS locators enter) opened by the header's button.
SEARCH_BOX = {"mkdocs": "input.md-search__input", "zensical": "dialog input[role=combobox]"}
SEARCH_RESULT = {"mkdocs": ".md-search-result__link", "zensical": "dialog ol[role=listbox] a"}
SEARCH_INDEX = {"mkdocs": "search/search_index.json", "zensical": "search.json"}


def search(page: Page, engine: str, query: str) -> None:
    """Type a query into the search box (it searches on key-up; Chinese text comes from an IME)."""
    box = page.locator(SEARCH_BOX[engine])
    if engine == "zensical" and not box.is_visible():
        page.locator(".md-search__button").click()
    box.click()
    box.fill(query)
    box.press("End")


def test_a_visit_is_recorded_and_kept_after_reload(web, site_url: str) -> None:
    page = web.page
    page.goto(site_url + "lectures/informatics/inf-intro/")
    data = stored(page)
    assert data["version"] == 2
    visited = data["lectures"]["inf-intro"]["visited"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", visited)
    page.goto(site_url + "progress/")
    expect(row(page, "inf-intro").locator('[data-cell="visited"]')).to_contain_text("Visited")
    expect(row(page, "ai-models").locator('[data-cell="visited"]')).to_have_text("Not yet")
    expect(page.locator('.cmio-progress__module[data-module="inf-basics"] [data-summary="module"]')).to_have_text(
        "1 of 1 lectures visited · 0 of 1 quizzes taken")  # the outline is not taught: not counted
    page.reload()
    expect(row(page, "inf-intro").locator('[data-cell="visited"]')).to_contain_text("Visited")
    assert stored(page)["lectures"]["inf-intro"]["visited"] == visited
    # the Chinese site shares the record (same origin, same key)
    page.goto(site_url + "zh-TW/progress/")
    expect(row(page, "inf-intro").locator('[data-cell="visited"]')).to_contain_text("已於")
    expect(row(page, "ai-models").locator('[data-cell="visited"]')).to_have_text("尚未閱讀")


def test_a_quiz_on_the_built_page_gives_feedback_and_keeps_the_best_score(web, site_url: str) -> None:
    page = web.page
    page.goto(site_url + "lectures/informatics/inf-intro/")
    question = page.locator("#cmio-quiz-inf-intro-check-q-role")
    feedback = question.locator(".cmio-q__feedback")
    question.get_by_label("True").check()
    question.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("No: running the data centre is the CIO's job.")
    question.get_by_label("False").check()
    question.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Right: the CIO runs it.")
    expect(feedback).to_contain_text("The CMIO bridges clinical and IT teams")
    assert quiz_record(page, "inf-intro", "inf-intro-check") == {"best": 1, "max": 2, "completed": False}
    other = page.locator("#cmio-quiz-inf-intro-check-q-why")
    other.get_by_label("The record from another hospital").check()
    other.get_by_role("button", name="Check answer").click()
    expect(other.locator(".cmio-q__feedback")).to_contain_text("Yes, data can be exchanged and used.")
    assert quiz_record(page, "inf-intro", "inf-intro-check") == {"best": 2, "max": 2, "completed": True}
    # a later, worse attempt does not lower the best score
    page.evaluate("() => window.CMIOProgress.recordQuiz('inf-intro', 'inf-intro-check', 1, 2)")
    page.goto(site_url + "progress/")
    expect(row(page, "inf-intro").locator('[data-cell="quiz"]')).to_have_text("2 of 2")
    expect(row(page, "inf-exchange")).to_have_count(0)  # an outline is not part of the progress


def test_switching_language_on_a_lecture_stays_on_the_lecture(web, site_url: str) -> None:
    page = web.page
    page.goto(site_url + "lectures/ai/ai-models/")
    expect(page.locator("h1")).to_contain_text("What clinical AI models do")
    page.get_by_role("button", name="Select language").click()
    page.get_by_role("link", name="繁體中文").click()
    page.wait_for_url(site_url + "zh-TW/lectures/ai/ai-models/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-TW")
    expect(page.locator("h1")).to_contain_text("臨床AI模型在做什麼")
    expect(page.locator(".cmio-outdated")).to_contain_text("1.0.0")
    page.get_by_role("button", name="選擇語言").click()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site_url + "lectures/ai/ai-models/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_searching_a_chinese_glossary_term_reaches_its_entry(web, site_url: str, engine: str) -> None:
    page = web.page
    link = SEARCH_RESULT[engine]
    page.goto(site_url + "zh-TW/")
    search(page, engine, "陽性預測值")
    result = page.locator(f'{link}[href*="/zh-TW/glossary/"][href$="#term-positive-predictive-value"]')
    expect(result).to_have_count(1, timeout=15000)
    # the lecture that uses the term is found too
    expect(page.locator(f'{link}[href*="lectures/ai/ai-models/"]').first).to_be_attached()
    result.click()
    page.wait_for_url(re.compile(r".*/zh-TW/glossary/(\?h=[^#]*)?#term-positive-predictive-value$"))
    expect(page.locator("#term-positive-predictive-value")).to_contain_text("陽性預測值")
    # abbreviations inside Chinese text are found too
    search(page, engine, "PPV")
    expect(page.locator(f'{link}[href*="glossary/"]').first).to_be_attached(timeout=15000)


def test_export_then_import_progress_on_another_device(web, chromium, site_url: str, tmp_path: Path) -> None:
    page = web.page
    page.goto(site_url + "lectures/ai/ai-models/")
    page.evaluate("() => window.CMIOProgress.recordQuiz('ai-models', 'ai-models-check', 1.5, 2)")
    page.goto(site_url + "progress/")
    expected = progress(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export progress to a file").click()
    download = download_info.value
    assert re.fullmatch(r"cmio-progress-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert json.loads(saved.read_text(encoding="utf-8")) == expected
    expect(page.locator(".cmio-progress__status")).to_contain_text(download.suggested_filename)

    # another device: a fresh browser profile
    other = chromium.new_context()
    other.on("request", lambda request: web.requests.append(request.url))
    fresh = other.new_page()
    fresh.goto(site_url + "zh-TW/progress/")
    expect(row(fresh, "ai-models").locator('[data-cell="visited"]')).to_have_text("尚未閱讀")
    fresh.locator('input[data-action="import"]').set_input_files(str(saved))
    expect(fresh.locator(".cmio-progress__status")).to_have_text("已匯入進度：1 個講次。")
    expect(row(fresh, "ai-models").locator('[data-cell="visited"]')).to_contain_text("已於")
    expect(row(fresh, "ai-models").locator('[data-cell="quiz"]')).to_have_text("1.5／2")
    assert progress(fresh) == expected
    # a file that is not progress is refused with a message, and changes nothing
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    fresh.locator('input[data-action="import"]').set_input_files(str(bad))
    expect(fresh.locator(".cmio-progress__status")).to_contain_text("無法匯入此檔案")
    assert progress(fresh) == expected
    other.close()


def test_math_is_rendered_by_the_vendored_katex(web, site_url: str) -> None:
    page = web.page
    page.goto(site_url + "lectures/ai/ai-models/")
    expect(page.locator(".arithmatex .katex").first).to_be_attached()
    assert any(url.endswith("/assets/vendor/katex/katex.min.js") for url in web.requests)
    # Rendered once, from the author's TeX: a second pass would render the first one's text.
    expect(page.locator('.arithmatex annotation[encoding="application/x-tex"]').first).to_have_text(
        r"\frac{TP}{TP + FP}")
    assert page.locator(".arithmatex .katex-html").first.inner_text().replace("\n", "").replace("\u200b", "") \
        .count("TP+FP") == 1
    page.goto(site_url + "lectures/informatics/inf-intro/")
    page.wait_for_load_state("load")
    assert sum(url.endswith("katex.min.js") for url in web.requests) == 1, "pages without math load no KaTeX"


@pytest.mark.parametrize("path", ["", "lectures/informatics/inf-intro/", "progress/", "glossary/",
                                  "zh-TW/", "zh-TW/lectures/ai/ai-models/", "zh-TW/progress/"])
def test_axe_finds_no_serious_or_critical_violation(web, site_url: str, path: str) -> None:
    page = web.page
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(serious)


def test_every_page_loads_only_from_the_site(web, site_dir: Path, site_url: str, engine: str) -> None:
    page = web.page
    pages = sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    assert len(pages) >= 18
    for path in pages:
        page.goto(site_url + ("" if path == "." else path + "/"))
        page.wait_for_load_state("load")
    # the search worker and its index are fetched from the site as well
    page.goto(site_url + "zh-TW/")
    search(page, engine, "互通性")
    expect(page.locator(SEARCH_RESULT[engine]).first).to_be_attached(timeout=15000)
    assert any(url.endswith("zh-TW/" + SEARCH_INDEX[engine]) for url in web.requests)
    assert web.foreign() == []

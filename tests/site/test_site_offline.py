"""The built course site opened from disk (file://) in Debian's Chromium, as a reviewer opens the
pull request's unzipped preview artifact or a trainee a copy on a USB stick: links, the language
menu, search, glossary tooltips, quizzes and progress all work, at desktop and phone sizes, in
both languages; and nothing is loaded from outside the site's folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sitehelpers import REPO

from curriculum.cli import main
from curriculum.errors import SiteBuildError
from curriculum.site.build import scan_pages
from curriculum.site.offline import write_offline_search

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PREFIX = {"en": "", "zh-TW": "zh-TW/"}
STORAGE_KEY = "cmio-progress-v2"

# What the small site fixture (tests/fixtures/site-mini) shows in each language.
MINI = {
    "en": {
        "informatics": "Clinical Informatics", "lecture": "What a CMIO is for", "ai": "Artificial Intelligence",
        "select": "Select language", "other": ("zh-TW", "繁體中文", "醫療AI"),
        "search": "interoperability", "term": "Interoperability",
        "definition": "The ability of systems to exchange data and use the data exchanged.",
        "false": "False", "true": "True", "check": "Check answer", "right": "Right: the CIO runs it.",
        "wrong": "No: running the data centre is the CIO's job.", "score": "1 of 2", "progress": "progress",
    },
    "zh-TW": {
        "informatics": "醫療資訊", "lecture": "醫療資訊長的任務", "ai": "醫療AI",
        "select": "選擇語言", "other": ("en", "English", "Artificial Intelligence"),
        "search": "互通性", "term": "互通性", "definition": "系統之間交換資料並使用所交換資料的能力。",
        "false": "錯誤", "true": "正確", "check": "檢查答案", "right": "正確：資料中心由資訊長負責。",
        "wrong": "不對：管理資料中心是資訊長的工作。", "score": "1／2", "progress": "學習進度",
    },
}


@dataclass
class Disk:
    """A browser page on a site folder, recording every request and JavaScript error."""

    page: Page
    root: Path
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return (self.root / path).as_uri()

    def at(self, path: str) -> None:
        """The page shown is the file `path` of the site (an index.html, never a folder listing)."""
        expect(self.page).to_have_url(self.url(path))

    def outside(self) -> list[str]:
        """Requests for anything but a file of the site's folder (blob: and data: stay in the page)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("blob", "data", "about"):
                continue
            if parts.scheme != "file" or not Path(unquote(parts.path)).is_relative_to(self.root):
                out.append(url)
        return out


def open_disk(chromium, root: Path, viewport: str, locale: str = "en-US") -> tuple[object, Disk]:
    context = chromium.new_context(viewport=VIEWPORTS[viewport], locale=locale)
    page = context.new_page()
    disk = Disk(page, root.resolve())
    context.on("request", lambda request: disk.requests.append(request.url))
    page.on("pageerror", lambda error: disk.errors.append(str(error)))
    page.on("console", lambda message: disk.errors.append(message.text) if message.type == "error" else None)
    return context, disk


@pytest.fixture(params=list(VIEWPORTS))
def disk(request, chromium, site_dir: Path) -> Iterator[Disk]:
    """The small fixture's built site, opened from disk at one viewport."""
    context, disk = open_disk(chromium, site_dir, request.param)
    yield disk
    context.close()
    assert disk.outside() == [], f"requests left the site's folder: {disk.outside()}"
    assert disk.errors == [], f"JavaScript errors: {disk.errors}"


def search(page: Page, query: str) -> None:
    """Material's search box; below 60em (a phone) it opens from the header's search button first."""
    box = page.locator("input.md-search__input")
    if page.viewport_size["width"] < 960:
        page.locator('label.md-header__button[for="__search"]').click()
    box.click()
    box.fill(query)
    box.press("End")


def switch_language(page: Page, button: str, name: str) -> None:
    page.get_by_role("button", name=button).click()
    page.get_by_role("link", name=name, exact=True).click()


def stored(page: Page) -> dict:
    return json.loads(page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") or "null")


@pytest.mark.parametrize("language", list(MINI))
def test_a_trainee_goes_through_the_site_opened_from_disk(disk: Disk, language: str) -> None:
    text, prefix, page = MINI[language], PREFIX[language], disk.page
    other, other_name, other_ai = text["other"]
    other_prefix = PREFIX[other]

    # home → a domain → a lecture, by the links in the pages
    page.goto(disk.url(prefix + "index.html"))
    page.locator("article").get_by_role("link", name=text["informatics"], exact=True).click()
    disk.at(prefix + "lectures/informatics/index.html")
    page.locator("article").get_by_role("link", name=text["lecture"], exact=True).click()
    disk.at(prefix + "lectures/informatics/inf-intro/index.html")
    expect(page.locator("h1")).to_contain_text(text["lecture"])

    # "Next" leads to the next domain's page, not to a folder listing
    page.locator("a.md-footer__link--next").click()
    disk.at(prefix + "lectures/ai/index.html")
    expect(page.locator("h1")).to_contain_text(text["ai"])

    # the language menu leads to the same page in the other language, and back
    switch_language(page, text["select"], other_name)
    disk.at(other_prefix + "lectures/ai/index.html")
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("h1")).to_contain_text(other_ai)
    page.go_back()
    disk.at(prefix + "lectures/ai/index.html")

    # search runs from disk (index and worker from scripts) and its results open the page
    search(page, text["search"])
    result = page.locator('.md-search-result__link[href*="glossary/"][href$="#term-interoperability"]')
    expect(result).to_have_count(1, timeout=15000)
    result.click()
    expect(page).to_have_url(re.compile(re.escape(disk.url(prefix + "glossary/index.html")) +
                                        r"(\?h=[^#]*)?#term-interoperability$"))
    expect(page.locator("#term-interoperability")).to_contain_text(text["term"])

    # a glossary term in a lecture shows its definition on focus
    page.goto(disk.url(prefix + "lectures/informatics/inf-intro/index.html"))
    term = page.locator("article a.cmio-term", has_text=text["term"]).first
    term.focus()
    expect(page.locator("#cmio-term-tip", has_text=text["definition"])).to_be_visible()

    # a quiz check gives feedback and the score is kept in this browser
    question = page.locator("#cmio-quiz-inf-intro-check-q-role")
    question.get_by_label(text["true"], exact=True).check()
    question.get_by_role("button", name=text["check"]).click()
    expect(question.locator(".cmio-q__feedback")).to_contain_text(text["wrong"])
    question.get_by_label(text["false"], exact=True).check()
    question.get_by_role("button", name=text["check"]).click()
    expect(question.locator(".cmio-q__feedback")).to_contain_text(text["right"])
    record = stored(page)["lectures"]["inf-intro"]["quizzes"]["inf-intro-check"]
    assert (record["best"], record["max"], record["completed"]) == (1, 2, False)  # one question of two checked

    # the progress page, reached by its link, shows the visit and the score
    page.goto(disk.url(prefix + "index.html"))
    page.locator("article").get_by_role("link", name=text["progress"], exact=True).click()
    disk.at(prefix + "progress/index.html")
    row = page.locator('tr[data-lecture="inf-intro"]')
    expect(row.locator('[data-cell="quiz"]')).to_have_text(text["score"])


def test_the_served_site_keeps_its_folder_urls(site_dir: Path) -> None:
    """Only a page opened from disk follows links to index.html: the built pages keep the served
    site's URLs, and the files that search needs from disk are written next to its index."""
    page = (site_dir / "lectures" / "informatics" / "inf-intro" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../ai/" class="md-footer__link md-footer__link--next"' in page
    assert '<script src="../../../assets/offline.js"></script>' in page
    assert page.index("assets/offline.js") < page.index("assets/javascripts/bundle.")
    for prefix in PREFIX.values():
        search_dir = site_dir / prefix / "search"
        index = json.loads((search_dir / "search_index.json").read_text(encoding="utf-8"))
        script = (search_dir / "search_index.js").read_text(encoding="utf-8")
        assert script.startswith("var __index = ")
        assert json.loads(script.removeprefix("var __index = ").rstrip().rstrip(";")) == index
        worker = (search_dir / "search_worker.js").read_text(encoding="utf-8")
        assert worker.startswith("var __cmioSearchWorker = ")
    assert scan_pages(site_dir) == ([], [])


# -- the bundled curriculum --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled-offline")
    assert main(["build", "site", "--root", str(REPO), "--out", str(out)]) == 0
    return out / "site"


def quiz_page(site: Path, prefix: str) -> str:
    """The first lecture of the site with a glossary term and a single-choice question."""
    for page in sorted((site / prefix / "lectures").glob("*/*/index.html")):
        html = page.read_text(encoding="utf-8")
        if 'class="cmio-term"' in html and "cmio-q--single" in html:
            return page.relative_to(site).as_posix()
    raise AssertionError("no lecture of the bundled curriculum has a glossary term and a single-choice question")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(PREFIX))
def test_the_bundled_site_works_opened_from_disk(chromium, bundled_site: Path, language: str, viewport: str) -> None:
    context, disk = open_disk(chromium, bundled_site, viewport)
    page, prefix = disk.page, PREFIX[language]
    other = "zh-TW" if language == "en" else "en"
    lecture_url = re.compile(re.escape(disk.url(prefix + "lectures/informatics")) + r"/([a-z0-9-]+)/index\.html$")
    try:
        # home → the first domain → "Next": its first lecture
        page.goto(disk.url(prefix + "index.html"))
        page.locator('article a[href*="lectures/informatics/"]').first.click()
        disk.at(prefix + "lectures/informatics/index.html")
        page.locator("a.md-footer__link--next").click()
        expect(page).to_have_url(lecture_url)
        lecture = lecture_url.match(page.url).group(1)
        expect(page.locator(f'.cmio-lecture[data-lecture-id="{lecture}"]')).to_have_count(1)

        # the same lecture in the other language, and back
        page.get_by_role("button", name=MINI[language]["select"]).click()
        page.locator(f'a.cmio-language[data-language="{other}"]').click()
        disk.at(PREFIX[other] + f"lectures/informatics/{lecture}/index.html")
        page.go_back()
        disk.at(prefix + f"lectures/informatics/{lecture}/index.html")

        # search finds a glossary entry and opens it
        search(page, "FHIR")
        result = page.locator('.md-search-result__link[href*="glossary/"][href*="#term-"]').first
        expect(result).to_be_attached(timeout=15000)
        result.click()
        expect(page).to_have_url(re.compile(re.escape(disk.url(prefix + "glossary/index.html")) + r"(\?h=[^#]*)?#term-"))

        # a glossary tooltip, and a formative quiz that grades and records its score
        path = quiz_page(bundled_site, prefix)
        page.goto(disk.url(path))
        page.locator("article a.cmio-term").first.focus()
        expect(page.locator("#cmio-term-tip")).to_be_visible()
        question = page.locator("fieldset.cmio-q--single").first
        form = page.locator("form.cmio-quiz", has=question)
        question.locator("input[type=radio]").first.check()
        question.locator('button[data-action="check"]').click()
        expect(question.locator(".cmio-q__feedback")).not_to_be_empty()
        lecture = page.locator(".cmio-lecture").get_attribute("data-lecture-id")
        assert form.get_attribute("data-quiz") in stored(page)["lectures"][lecture]["quizzes"]
    finally:
        context.close()
    assert disk.outside() == [], f"requests left the site's folder: {disk.outside()}"
    assert disk.errors == [], f"JavaScript errors: {disk.errors}"


def test_the_search_scripts_need_the_themes_worker(tmp_path: Path) -> None:
    """A site without search gets no search scripts; a theme without its search worker (another
    Material version laid out differently) fails the build instead of a search that never answers."""
    write_offline_search(tmp_path)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text('{"config": {"lang": ["en"]}, "docs": []}', encoding="utf-8")
    with pytest.raises(SiteBuildError, match="search worker was not found in assets/javascripts/workers"):
        write_offline_search(tmp_path)
    assert not (tmp_path / "search" / "search_index.js").exists()

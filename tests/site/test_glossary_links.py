"""Glossary links: which forms of a term are linked (Markdown extension), in a real MkDocs build
of the site fixture with synonyms and plurals, and the definition popover in Debian's Chromium
with a mouse, a keyboard and a touch screen (1280×800 and 390×844), in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from playwright.sync_api import Page, expect
from sitehelpers import AXE, checked_page, site_copy
from staticserver import serve

from curriculum.cli import main
from curriculum.site.markdown_ext import CurriculumExtension, as_written

TERMS = [
    {"anchor": "term-cmio", "names": ["Chief Medical Information Officer", "CMIO", "醫療資訊長"], "title": "CMIO: bridge"},
    {"anchor": "term-cds", "names": ["Clinical decision support", "CDS", "臨床決策支援"], "title": "CDS"},
    {"anchor": "term-policy", "names": ["Security policy"], "title": "P"},
    {"anchor": "term-patch", "names": ["Patch"], "title": "Pa"},
    {"anchor": "term-analysis", "names": ["Analysis", "analyses"], "title": "An"},
    {"anchor": "term-llm", "names": ["Large language model", "LLM", "generative AI", "GenAI", "大型語言模型", "生成式AI"],
     "title": "L"},
    {"anchor": "term-ai", "names": ["AI"], "title": "A"},
]


def render(text: str, terms=TERMS) -> str:
    md = markdown.Markdown(extensions=[CurriculumExtension(terms=terms), "attr_list", "toc", "admonition", "md_in_html"])
    return md.convert(text)


def linked(html: str) -> dict[str, str]:
    """Linked text -> anchor."""
    return {text: anchor for anchor, text in re.findall(r'<a class="cmio-term" href="/glossary\.md#([^"]+)"[^>]*>([^<]+)</a>',
                                                          html)}


@pytest.mark.parametrize("text, expected", [
    ("Two security policies were signed.", {"security policies": "term-policy"}),
    ("The SECURITY POLICY applies.", {"SECURITY POLICY": "term-policy"}),
    ("Apply patches now.", {"patches": "term-patch"}),
    ("Both analyses agree.", {"analyses": "term-analysis"}),  # an irregular plural, listed as a name
    ("Hospitals buy LLMs.", {"LLMs": "term-llm"}),
    ("What generative AI drafts.", {"generative AI": "term-llm"}),  # a synonym; longer than "AI"
    ("GenAI tools.", {"GenAI": "term-llm"}),
    ("The CDS fired.", {"CDS": "term-cds"}),
    ("Chief medical\ninformation officers meet.", {"Chief medical\ninformation officers": "term-cmio"}),
    ("由CMIO負責，並導入臨床決策支援。", {"CMIO": "term-cmio", "臨床決策支援": "term-cds"}),
    ("生成式AI與大型語言模型。", {"生成式AI": "term-llm"}),  # the first name of an entry only
    ("The CMIO's role.", {"CMIO": "term-cmio"}),
    ("Generative AI drafts.", {"Generative AI": "term-llm"}),  # lower-case words in any case, AI as written
])
def test_every_form_of_a_term_is_linked(text: str, expected: dict[str, str]) -> None:
    assert linked(render(text)) == expected


@pytest.mark.parametrize("text", [
    "The cds and the llm and genai, generative ai.",  # abbreviations and inner capitals: as written only
    "Haiti, AI-based, non-AI, CMIO2, the Patchwork.",  # whole words only
    "policys, patchs",  # not plurals of these names
])
def test_what_is_not_a_term(text: str) -> None:
    assert linked(render(text)) == {}


def test_links_stay_out_of_headings_code_links_titles_and_raw_html() -> None:
    html = render("# The CMIO\n\n## LLM {#x}\n\n`CMIO` and [an LLM](x.md) and <abbr title='t'>CDS</abbr>\n\n"
                  '!!! note "A patch note"\n    Text.\n\n'
                  '<div class="cmio-quiz" markdown="0"><p>Analysis in a widget</p></div>\n\n'
                  "```\nsecurity policy\n```\n")
    assert linked(html) == {}, html
    # after the author's inline <a>…</a> closes, text is linked again
    html = render("See <a href='y.md'>the CMIO</a> and <kbd>CDS</kbd> then the CMIO and CDS.")
    assert linked(html) == {"CMIO": "term-cmio", "CDS": "term-cds"}
    assert "<a href=\"y.md\">the CMIO</a>" in html.replace("'", '"')


def test_first_occurrence_per_page_and_per_entry() -> None:
    html = render("An LLM, then generative AI, then a CMIO.\n\nAnother LLM and CMIO.")
    assert linked(html) == {"LLM": "term-llm", "CMIO": "term-cmio"}
    # a fresh page starts again
    md = markdown.Markdown(extensions=[CurriculumExtension(terms=TERMS)])
    assert linked(md.convert("The CMIO.")) and linked(md.reset().convert("The CMIO again."))


def test_which_names_are_matched_as_written() -> None:
    for word in ("CMIO", "SaMD", "GenAI", "H-ISAC", "AI/ML", "CADe", "健保IC卡"):
        assert as_written(word), word
    for word in ("Interoperability", "De-identification", "My", "generative", "Real-world", "醫療資訊長"):
        assert not as_written(word), word


# -- the real build ----------------------------------------------------------------------------

EXTRA_TERMS = """\
- term: {en: Health record, zh-TW: 健康紀錄}
  synonyms: {en: [record], zh-TW: [病歷]}
  definition: {en: What is written about a patient's care., zh-TW: 記載病人照護的紀錄。}
- term: {en: Information technology, zh-TW: 資訊科技}
  abbr: IT
  definition: {en: Computers and networks., zh-TW: 電腦與網路。}
- term: {en: Data center, zh-TW: 資料機房}
  synonyms: {en: [data centre], zh-TW: [資料中心]}
  definition: {en: Where the servers run., zh-TW: 伺服器運作的場所。}
"""


@pytest.fixture(scope="module")
def glossary_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site fixture with synonyms and an abbreviation added to its glossary, built for real."""
    root = tmp_path_factory.mktemp("glossary") / "curriculum"
    site_copy(root)
    with (root / "glossary.yml").open("a", encoding="utf-8") as glossary:
        glossary.write(EXTRA_TERMS)
    assert main(["build", "site", "--root", str(root)]) == 0
    return root / "build" / "site"


def built_links(site: Path, page: str) -> dict[str, str]:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return {text: href.rsplit("#", 1)[1]
            for href, text in re.findall(r'<a class="cmio-term" href="([^"]+)"[^>]*>([^<]+)</a>', html)}


def test_the_built_pages_link_synonyms_and_abbreviations_but_not_quiz_text(glossary_site: Path) -> None:
    en = built_links(glossary_site, "lectures/informatics/inf-intro")
    assert en == {"Chief Medical Information Officer": "term-chief-medical-information-officer",
                  "IT": "term-information-technology", "Interoperability": "term-interoperability",
                  "record": "term-health-record"}, en
    # 互通性 in the heading is not linked; the paragraph's first one is
    zh = built_links(glossary_site, "zh-TW/lectures/informatics/inf-intro")
    assert zh == {"醫療資訊長": "term-chief-medical-information-officer", "互通性": "term-interoperability",
                  "病歷": "term-health-record"}, zh
    # "data centre" / 資料中心 appear only in the quiz widgets: never linked there
    for page in ("lectures/informatics/inf-intro", "zh-TW/lectures/informatics/inf-intro"):
        html = (glossary_site / page / "index.html").read_text(encoding="utf-8")
        assert "data centre" in html or "資料中心" in html
        assert "#term-data-center" not in html


# -- the popover in Chromium -------------------------------------------------------------------

PAGES = {  # language -> (lecture, the first term's text, its entry)
    "en": ("lectures/informatics/inf-intro/", "Chief Medical Information Officer", "term-chief-medical-information-officer"),
    "zh-TW": ("zh-TW/lectures/informatics/inf-intro/", "醫療資訊長", "term-chief-medical-information-officer"),
}
DEFINITION = {"en": "The physician executive who bridges clinical and IT teams.", "zh-TW": "連結臨床團隊與資訊團隊的醫師主管。"}


@pytest.fixture(scope="module")
def glossary_url(glossary_site: Path) -> Iterator[str]:
    with serve(glossary_site) as url:
        yield url


DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},  # a mouse
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},  # no hover
}


def _page(chromium, kind: str) -> Iterator[Page]:
    yield from checked_page(chromium, **DEVICES[kind])


@pytest.fixture()
def phone(chromium) -> Iterator[Page]:
    yield from _page(chromium, "phone")


@pytest.fixture()
def desktop(chromium) -> Iterator[Page]:
    yield from _page(chromium, "desktop")


@pytest.fixture(params=list(DEVICES))
def device(request, chromium) -> Iterator[tuple[str, Page]]:
    for page in _page(chromium, request.param):
        yield request.param, page


def open_lecture(page: Page, url: str, language: str):
    path, text, anchor = PAGES[language]
    page.goto(url + path)
    term = page.locator("article a.cmio-term", has_text=text).first
    expect(term).to_have_attribute("href", re.compile(rf"glossary/#{anchor}$"))
    return term, page.locator("#cmio-term-tip")


def font_px(locator) -> float:
    return float(locator.evaluate("node => getComputedStyle(node).fontSize").removesuffix("px"))


def assert_readable(page: Page, tip) -> None:
    """The popover's text is at least the size of the lecture's body text."""
    body = font_px(page.locator("article p").first)
    assert font_px(tip.locator(".cmio-term-tip__text")) >= body and font_px(tip) >= body
    box = tip.bounding_box()
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (box, viewport)


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_a_tap_explains_a_term_and_a_second_tap_opens_its_entry(phone: Page, glossary_url: str, language: str) -> None:
    page = phone
    term, tip = open_lecture(page, glossary_url, language)
    assert page.evaluate("matchMedia('(hover: none)').matches")
    lecture = page.url
    term.tap()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(DEFINITION[language])
    expect(term).to_have_attribute("aria-describedby", "cmio-term-tip")
    assert page.url.split("#")[0] == lecture.split("#")[0], "the first tap stays on the page"
    assert_readable(page, tip)
    # a tap elsewhere closes it; Escape too
    page.locator("article h1").tap()
    expect(tip).to_be_hidden()
    expect(term).not_to_have_attribute("aria-describedby", "cmio-term-tip")
    term.tap()
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    # tap, then tap the same term again: the glossary entry
    term.tap()
    expect(tip).to_be_visible()
    term.tap()
    page.wait_for_url(re.compile(rf"/glossary/#{PAGES[language][2]}$"))
    expect(page.locator(f"h2#{PAGES[language][2]}")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_the_name_in_the_popover_opens_the_entry(device, glossary_url: str, language: str) -> None:
    kind, page = device
    term, tip = open_lecture(page, glossary_url, language)
    if kind == "phone":
        term.tap()
        expect(tip).to_be_visible()
        tip.locator(".cmio-term-tip__name").tap()
    else:
        term.hover()
        expect(tip).to_be_visible()
        tip.locator(".cmio-term-tip__name").click()
    page.wait_for_url(re.compile(rf"/glossary/#{PAGES[language][2]}$"))


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_hover_shows_the_definition_and_a_click_opens_the_entry(desktop: Page, glossary_url: str, language: str) -> None:
    page = desktop
    term, tip = open_lecture(page, glossary_url, language)
    expect(tip).to_have_count(0)  # made on first use
    assert term.get_attribute("title") is None, "the theme's tooltip is not mounted on terms"
    term.hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(DEFINITION[language])
    assert_readable(page, tip)
    page.mouse.move(5, 790)
    expect(tip).to_be_hidden()
    term.click()  # a click with a mouse follows the link at once
    page.wait_for_url(re.compile(rf"/glossary/#{PAGES[language][2]}$"))


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_keyboard_focus_shows_the_definition_and_escape_hides_it(device, glossary_url: str, language: str) -> None:
    kind, page = device
    term, tip = open_lecture(page, glossary_url, language)
    term.focus()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(DEFINITION[language])
    assert tip.get_attribute("role") == "tooltip"
    assert_readable(page, tip)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))  # the open popover is accessible too
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.keyboard.press("Shift+Tab")  # focus moves on: the popover follows the focus
    term.focus()
    expect(tip).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/glossary/#{PAGES[language][2]}$"))


def test_the_themes_other_tooltips_are_at_the_body_size_too(desktop: Page, glossary_url: str) -> None:
    """Competency codes in the lecture header keep Material's tooltip, at the body text's size."""
    page = desktop
    page.goto(glossary_url + "lectures/informatics/inf-intro/")
    code = page.locator(".cmio-lecture abbr").first
    code.hover()
    inner = page.locator('.md-tooltip2[role="tooltip"] .md-tooltip2__inner')
    expect(inner).to_be_visible()
    assert font_px(inner) >= font_px(page.locator("article p").first)

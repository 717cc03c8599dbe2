"""Quiz feedback and layout on the course site, in Debian's Chromium at 1280×800, 390×844 and
360 pixels wide, in English and Chinese.

* the explanation (which gives the answer away) shows only after a right answer or after two
  wrong tries and "Show answer"; choice feedback shows on every try;
* ordering and matching mark each wrong position or pair, visibly and for screen readers;
* a reloaded lecture restores its answers, verdicts and best score;
* citations in quiz text link to the lecture's references;
* no quiz makes a phone scroll sideways, and long prompts stay inside their card;
* a lecture shows one heading per quiz.

The small fixture and the bundled curriculum are built with the real `curriculum build site`; a
page with very long texts is rendered with the real fence formatter and the site's assets.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from playwright.sync_api import Page, expect
from sitehelpers import REPO
from staticserver import serve

from curriculum.cli import main
from curriculum.site import quizfence

ASSETS = REPO / "curriculum" / "site" / "assets"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
WORDS = {
    "en": {"prefix": "", "check": "Check answer", "show": "Show answer", "explanation": "Explanation",
           "wrong": "incorrect", "true": "True", "false": "False"},
    "zh-TW": {"prefix": "zh-TW/", "check": "檢查答案", "show": "顯示答案", "explanation": "解析",
              "wrong": "不正確", "true": "正確", "false": "錯誤"},
}
LANGS = [pytest.param(lang, id=lang) for lang in WORDS]

LONG = ("An exceptionally long answer option that keeps going about interoperability, governance, "
        "data-protection impact assessments and https://example.org/a/very/long/address/without/any/break/at/all "
        "so that it would never fit on a phone")
LONG_QUIZ = {
    "id": "long-check", "title": "Check your understanding", "mode": "formative", "attempts": 0, "shuffle": True,
    "questions": [
        {"id": "q-long-prompt", "type": "single",
         "prompt": "A prompt that is long on purpose: " + " ".join(["reconsider the sepsis alert's thresholds"] * 12)
                   + " — which statement holds [1]?",
         "choices": [{"text": LONG, "correct": True}, {"text": "Short"}],
         "explanation": "The first statement holds [1]."},
        {"id": "q-long-match", "type": "matching", "prompt": "Match each item to its long description.",
         "pairs": [["Medical Devices Act", LONG], ["Personal Data Protection Act", LONG.replace("answer", "reply")],
                   ["GDPR", "Short"]]},
        {"id": "q-order", "type": "ordering", "prompt": "Order the steps.",
         "items": ["Silent-mode evaluation", "Limited pilot", "Full deployment", "Monitoring"]},
    ],
}


# ----------------------------------------------------------------------------------------------
# Fixtures

@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled curriculum's site, built with `curriculum build site`."""
    out = tmp_path_factory.mktemp("bundled-quiz")
    assert main(["build", "site", "--root", str(REPO), "--out", str(out)]) == 0
    return out / "site"


@pytest.fixture(scope="module")
def bundled_url(bundled_site: Path) -> Iterator[str]:
    with serve(bundled_site) as url:
        yield url


def long_page_html(lang: str) -> str:
    md = markdown.Markdown(
        extensions=["admonition", "attr_list", "tables", "toc", "pymdownx.superfences", "curriculum.site.markdown_ext"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [
            {"name": "quiz", "class": "cmio-quiz", "format": quizfence.format}]}})
    fence = "```quiz\n" + json.dumps({**LONG_QUIZ, "lecture": "long-lecture", "language": lang}) + "\n```\n"
    body = md.convert("## Check your understanding\n\n" + fence)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Long quiz</title>'
            '<link rel="stylesheet" href="assets/quiz.css"></head><body style="margin:0">'
            '<main style="padding:0 0.8rem;max-width:60rem;margin:0 auto">'
            f'{body}<h2>References</h2><ol><li id="cmio-ref-1">A reference.</li></ol></main>'
            '<script src="assets/progress.js"></script><script src="assets/quiz.js"></script></body></html>')


@pytest.fixture(scope="module")
def long_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("long-quiz")
    shutil.copytree(ASSETS, root / "assets")
    (root / "favicon.ico").write_bytes(b"")
    for lang in WORDS:
        (root / f"{lang}.html").write_text(long_page_html(lang), encoding="utf-8")
    with serve(root) as url:
        yield url


@pytest.fixture()
def open_page(chromium) -> Iterator:
    """open_page(viewport, url) → a page of a fresh profile; JavaScript errors fail the test."""
    contexts, errors = [], []

    def make(viewport: dict, url: str) -> Page:
        context = chromium.new_context(viewport=viewport, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(url)
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []


def question(page: Page, qid: str):
    return page.locator(f'fieldset[data-question="{qid}"]')


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")


def inside_cards(page: Page) -> None:
    """Every prompt, choice, select and mark lies within its card's borders."""
    problems = page.evaluate("""() => {
        const out = [];
        for (const fs of document.querySelectorAll('fieldset.cmio-q')) {
            const card = fs.getBoundingClientRect();
            const style = getComputedStyle(fs);
            const inner = {top: card.top + parseFloat(style.borderTopWidth), left: card.left + parseFloat(style.borderLeftWidth),
                           right: card.right - parseFloat(style.borderRightWidth)};
            for (const el of fs.querySelectorAll('legend, .cmio-q__choice, select, .cmio-q__item, .cmio-q__row-mark')) {
                const box = el.getBoundingClientRect();
                if (box.top < inner.top - 0.5 || box.left < inner.left - 0.5 || box.right > inner.right + 0.5) {
                    out.push([fs.dataset.question, el.tagName, box.top, box.left, box.right, inner]);
                }
            }
        }
        return out;
    }""")
    assert problems == []


# ----------------------------------------------------------------------------------------------
# Feedback on the built fixture site

@pytest.mark.parametrize("viewport", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_explanation_after_right_answer_or_two_tries_and_show_answer(open_page, site_url: str, viewport: dict,
                                                                      lang: str) -> None:
    words = WORDS[lang]
    page = open_page(viewport, site_url + words["prefix"] + "lectures/informatics/inf-intro/")
    fs = question(page, "q-role")
    region = fs.locator(".cmio-q__feedback")
    show = fs.get_by_role("button", name=words["show"])
    fs.get_by_role("radio", name=words["true"]).check()
    fs.get_by_role("button", name=words["check"]).click()
    expect(fs).to_have_attribute("data-result", "incorrect")
    expect(region.locator(".cmio-q__explanation")).to_have_count(0)
    expect(show).to_be_hidden()
    fs.get_by_role("button", name=words["check"]).click()  # a second wrong try
    expect(show).to_be_visible()
    expect(region.locator(".cmio-q__explanation")).to_have_count(0)
    show.click()
    expect(region.locator(".cmio-q__explanation")).to_contain_text(words["explanation"])
    expect(show).to_be_hidden()
    expect(fs.get_by_role("button", name=words["check"])).to_be_focused()

    # Choice feedback on every try, the explanation only with the right answer.
    other = question(page, "q-why")
    other.locator('input[value="1"]').check()  # "A faster computer"
    other.locator('button[data-action="check"]').click()
    expect(other.locator(".cmio-q__choice-feedback")).to_have_count(1)
    expect(other.locator(".cmio-q__explanation")).to_have_count(0)
    other.locator('input[value="0"]').check()
    other.locator('button[data-action="check"]').click()
    expect(other).to_have_attribute("data-result", "correct")
    expect(other.locator(".cmio-q__explanation")).to_have_count(1)

    # A reload restores answers, verdicts, the revealed explanation and the best score.
    page.reload()
    expect(fs).to_have_attribute("data-result", "incorrect")
    expect(fs.get_by_role("radio", name=words["true"])).to_be_checked()
    expect(region.locator(".cmio-q__explanation")).to_have_count(1)
    expect(other).to_have_attribute("data-result", "correct")
    expect(other.locator('input[value="0"]')).to_be_checked()
    expect(other.locator(".cmio-q__explanation")).to_have_count(1)
    expect(page.locator(".cmio-quiz__score")).to_contain_text("1")
    expect(page.locator(".cmio-quiz__score")).to_be_visible()


def test_best_score_survives_a_worse_retry_and_reload(open_page, site_url: str) -> None:
    page = open_page(DESKTOP, site_url + "lectures/informatics/inf-intro/")
    for qid, value in (("q-role", "false"), ("q-why", "0")):
        question(page, qid).locator(f'input[value="{value}"]').check()
        question(page, qid).locator('button[data-action="check"]').click()
    score = page.locator(".cmio-quiz__score")
    expect(score).to_have_text("Your score on this quiz: 2 of 2.")
    question(page, "q-why").locator('input[value="1"]').check()
    question(page, "q-why").locator('button[data-action="check"]').click()
    expect(score).to_have_text("Your score on this quiz: 1 of 2. Your best: 2 of 2.")
    page.reload()
    expect(score).to_have_text("Your score on this quiz: 1 of 2. Your best: 2 of 2.")
    expect(question(page, "q-why").locator('input[value="1"]')).to_be_checked()
    record = page.evaluate("() => window.CMIOProgress.quiz('inf-intro', 'inf-intro-check')")
    assert record == {"best": 2, "max": 2, "completed": True}


# ----------------------------------------------------------------------------------------------
# Wrong positions and pairs, long texts, phones

@pytest.mark.parametrize("viewport", [*SIZES, pytest.param(NARROW, id="narrow")])
@pytest.mark.parametrize("lang", LANGS)
def test_long_texts_stay_in_their_cards_and_wrong_rows_are_marked(open_page, long_url: str, viewport: dict,
                                                                   lang: str) -> None:
    words = WORDS[lang]
    page = open_page(viewport, long_url + f"{lang}.html")
    no_sideways_scroll(page)
    inside_cards(page)

    match = question(page, "q-long-match")
    selects = match.locator("select")
    # Whatever the shuffle, make row 0 right and row 1 wrong, leaving row 2 unanswered.
    selects.nth(0).select_option("0")
    selects.nth(1).select_option("2")
    match.locator('button[data-action="check"]').click()
    expect(match).to_have_attribute("data-result", "partial")
    expect(selects.nth(0)).not_to_have_attribute("aria-invalid", "true")
    for i in (1, 2):
        expect(selects.nth(i)).to_have_attribute("aria-invalid", "true")
        expect(selects.nth(i)).to_have_accessible_description(words["wrong"])
    expect(match.locator(".cmio-q__row-mark")).to_have_count(2)
    expect(match.locator(".cmio-q__row-mark").first).to_be_visible()
    no_sideways_scroll(page)
    inside_cards(page)
    selects.nth(1).select_option("1")  # changing a row clears its mark
    expect(selects.nth(1)).not_to_have_attribute("aria-invalid", "true")
    expect(match.locator(".cmio-q__row-mark")).to_have_count(1)

    order = question(page, "q-order")
    order.locator('button[data-action="check"]').click()
    marks = order.locator(".cmio-q__item .cmio-q__row-mark")
    wrong = order.evaluate("""fs => [...fs.querySelectorAll('.cmio-q__item')]
        .filter((li, i) => Number(li.dataset.index) !== i).length""")
    assert wrong > 0  # shown shuffled, never in the answer's order
    expect(marks).to_have_count(wrong)
    expect(marks.first).to_have_text("✗ " + words["wrong"])
    order.locator('button[data-action="down"]').first.click()  # moving clears the marks of the old order
    expect(marks).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
def test_citations_in_quiz_text_link_to_the_references(open_page, long_url: str, lang: str) -> None:
    page = open_page(DESKTOP, long_url + f"{lang}.html")
    fs = question(page, "q-long-prompt")
    expect(fs.locator("legend a.cmio-cite")).to_have_attribute("href", "#cmio-ref-1")
    fs.locator('input[value="0"]').check()
    fs.locator('button[data-action="check"]').click()
    cite = fs.locator(".cmio-q__explanation a.cmio-cite")
    expect(cite).to_have_text("[1]")
    cite.click()
    assert page.evaluate("location.hash") == "#cmio-ref-1"


def test_quiz_text_citations_render_as_the_body_does() -> None:
    md = markdown.Markdown(extensions=["pymdownx.superfences", "curriculum.site.markdown_ext"], extension_configs={
        "pymdownx.superfences": {"custom_fences": [{"name": "quiz", "class": "cmio-quiz", "format": quizfence.format}]}})
    html = md.convert("Body [2].\n\n```quiz\n" + json.dumps({**LONG_QUIZ, "lecture": "x", "language": "en"}) + "\n```\n")
    assert '<a class="cmio-cite" href="#cmio-ref-2">[2]</a>' in html
    assert '<a class="cmio-cite" href="#cmio-ref-1">[1]</a>' in html.split("<legend")[1]
    data = json.loads(re.search(r'<script type="application/json" class="cmio-quiz__data">(.*?)</script>',
                                html).group(1))
    assert 'href="#cmio-ref-1"' in data["questions"][0]["explanation"]
    # escaped and linked citations are left alone, as in the body
    plain = quizfence.renderer_for(md).inline(r"See \[3] and [4](https://example.org).")
    assert "cmio-cite" not in plain


# ----------------------------------------------------------------------------------------------
# The bundled curriculum

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", [pytest.param(NARROW, id="narrow"), *SIZES])
def test_matching_lecture_fits_a_phone(open_page, bundled_url: str, viewport: dict, lang: str) -> None:
    words = WORDS[lang]
    page = open_page(viewport, bundled_url + words["prefix"] + "lectures/ai/ai-tfda-samd/")
    match = page.locator('fieldset[data-type="matching"]').first
    expect(match).to_be_visible()
    no_sideways_scroll(page)
    inside_cards(page)
    card = match.bounding_box()
    for select in match.locator("select").all():
        box = select.bounding_box()
        assert box["width"] <= card["width"]
    # one wrong check: the marks fit too
    match.locator("select").first.select_option(index=1)
    match.locator('button[data-action="check"]').click()
    expect(match).to_have_attribute("data-result", re.compile("partial|incorrect|correct"))
    no_sideways_scroll(page)
    inside_cards(page)


HEADING_THEN_QUIZ = re.compile(r'<h([2-6])[^>]*>(.*?)</h\1>\s*<form class="cmio-quiz')
QUIZ_TITLE = re.compile(r'<form class="cmio-quiz[^>]*>\s*<p class="cmio-quiz__title"[^>]*>(.*?)</p>')


def visible_titles(page: Page) -> dict:
    """Each quiz title's visible occurrences among the page's headings and quiz titles."""
    return page.evaluate("""() => {
        const text = el => {
            const copy = el.cloneNode(true);
            copy.querySelectorAll('.headerlink').forEach(link => link.remove());
            return copy.textContent.replace(/\\s+/g, ' ').trim();
        };
        const visible = el => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 1;
        const shown = [...document.querySelectorAll('.md-content h2, .md-content h3, .md-content h4, .cmio-quiz__title')]
            .filter(visible).map(text);
        const titles = [...document.querySelectorAll('form.cmio-quiz .cmio-quiz__title')].map(text);
        return Object.fromEntries(titles.map(title => [title, shown.filter(t => t === title).length]));
    }""")


def test_one_heading_per_quiz_on_every_lecture(open_page, bundled_site: Path, bundled_url: str) -> None:
    """Every lecture puts its quiz right under a section heading (of the quiz's own words): the
    quiz then shows no second title. Checked in the built HTML of every lecture, and in the
    browser (where the style sheet does the hiding) on lectures of both languages."""
    pages = sorted(bundled_site.glob("lectures/*/*/index.html")) + sorted(bundled_site.glob("zh-TW/lectures/*/*/index.html"))
    quizzes = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        titles = QUIZ_TITLE.findall(html)
        under = HEADING_THEN_QUIZ.findall(html)
        # Under a heading, the style sheet keeps the quiz's own title for screen readers only.
        assert len(under) == len(titles), f"{path.relative_to(bundled_site)}: a quiz without a heading above it"
        quizzes += len(titles)
    assert quizzes > 40

    page = open_page(DESKTOP, bundled_url)
    for lecture in ("ai/ai-tfda-samd", "informatics/inf-fhir-tw-core"):
        for prefix in ("", "zh-TW/"):
            page.goto(f"{bundled_url}{prefix}lectures/{lecture}/")
            counts = visible_titles(page)
            assert counts and set(counts.values()) == {1}, f"{prefix}{lecture}: {counts}"

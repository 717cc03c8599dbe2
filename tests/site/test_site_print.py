"""A printed lecture (Chromium's print media and PDF) is a clean handout: only the content, each
formative quiz as numbered questions on paper, its answers on a last page of their own, and a
summative quiz's notice as it is. The answers printed are the ones the site's grader accepts.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sitehelpers import REPO, checked_page

from curriculum.cli import main

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PREFIX = {"en": "", "zh-TW": "zh-TW/"}
ANSWERS = {"en": "Answers", "zh-TW": "參考答案"}
TYPES = ("single", "multiple", "true-false", "numeric", "text", "ordering", "matching")

# Nothing of the site around the content, and no control, may print.
NOT_PRINTED = (".md-header", ".md-tabs", ".md-sidebar", ".md-search", ".md-footer", ".md-top", ".md-select",
               "button", "select", "input", "form.cmio-quiz", ".cmio-q__hint-toggle", ".md-typeset .headerlink")

# The small site fixture's lecture with a formative quiz (single, numeric) and a summative notice.
MINI_LECTURE = "lectures/ai/ai-models/index.html"
MINI = {
    "en": {"prompts": ["Which system produces new text?", "Prevalence 10%, sensitivity 90%, specificity 80%: PPV?"],
           "choices": ["A language model", "A sepsis score"], "answer": "A. A language model",
           "notice": "This quiz is taken and graded in the course's learning platform (2 questions)."},
    "zh-TW": {"prompts": ["哪一個系統會產生新的文字？", "盛行率10%、敏感度90%、特異度80%：陽性預測值？"],
              "choices": ["語言模型", "敗血症分數"], "answer": "A. 語言模型",
              "notice": "本測驗須於課程的學習平台上作答並計分（共 2 題）。"},
}


def visible(page: Page, selector: str) -> int:
    """How many elements matching `selector` the current media shows (computed styles)."""
    return page.evaluate("(s) => [...document.querySelectorAll(s)].filter((e) => e.checkVisibility("
                         "{visibilityProperty: true, opacityProperty: false})).length", selector)


def pdf_pages(page: Page) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def flat(text: str) -> str:
    """Text without line breaks and spaces (a PDF wraps lines; Chinese has no spaces), and with
    typographic ligatures (ﬁ) as letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture()
def printed(chromium, request) -> Iterator[Page]:
    yield from checked_page(chromium, viewport=VIEWPORTS[getattr(request, "param", "desktop")])


def open_lecture(page: Page, site: Path, path: str) -> None:
    page.goto((site / path).as_uri())
    page.wait_for_load_state("load")
    expect(page.locator(".cmio-print-quiz").first).to_be_attached()


@pytest.mark.parametrize("printed", list(VIEWPORTS), indirect=True)
@pytest.mark.parametrize("language", list(PREFIX))
def test_a_printed_lecture_shows_only_the_content_and_the_quiz_on_paper(printed: Page, site_dir: Path,
                                                                        language: str) -> None:
    page, text = printed, MINI[language]
    open_lecture(page, site_dir, PREFIX[language] + MINI_LECTURE)
    # on screen: the quiz form, and nothing of the paper version
    assert visible(page, "form.cmio-quiz") == 1
    assert visible(page, ".cmio-print-quiz") == visible(page, ".cmio-print-answers") == 0

    page.emulate_media(media="print")
    for selector in NOT_PRINTED:
        assert visible(page, selector) == 0, f"{selector} is printed"
    paper = page.locator(".cmio-print-quiz")
    expect(paper).to_have_count(1)
    expect(paper).to_be_visible()
    questions = paper.locator(".cmio-print-quiz__questions > li")
    expect(questions).to_have_count(2)
    assert page.evaluate("() => getComputedStyle(document.querySelector('.cmio-print-quiz__questions'))"
                         ".listStyleType") == "decimal"
    for i, prompt in enumerate(text["prompts"]):
        expect(questions.nth(i).locator(".cmio-print-q__prompt")).to_contain_text(prompt)
    expect(questions.nth(0).locator("ol.cmio-print-choices > li")).to_have_text(text["choices"])
    expect(questions.nth(1).locator(".cmio-print-blank__line")).to_be_visible()
    # the summative quiz keeps its notice, and has nothing on paper or in the answers
    expect(page.locator(".cmio-quiz-notice")).to_have_text(text["notice"])
    expect(page.locator('[data-quiz="ai-domain-exam"]:is(.cmio-print-quiz, .cmio-print-a)')).to_have_count(0)
    # the answers: last in the article, on a new page
    answers = page.locator(".cmio-print-answers")
    expect(answers).to_be_visible()
    expect(answers.locator("h2")).to_have_text(ANSWERS[language])
    assert page.evaluate("() => { const a = document.querySelector('.cmio-print-answers'); "
                         "return [getComputedStyle(a).breakBefore, a === a.parentElement.lastElementChild]; }") \
        == ["page", True]
    expect(answers.locator(".cmio-print-a__list > li")).to_have_count(2)
    expect(answers.locator(".cmio-print-a__answer").nth(0)).to_have_text(text["answer"])
    expect(answers.locator(".cmio-print-a__answer").nth(1)).to_have_text("0.33 (± 0.01)")


@pytest.mark.parametrize("language", list(PREFIX))
def test_the_pdf_of_a_lecture_has_the_questions_then_the_answers_on_the_last_page(printed: Page, site_dir: Path,
                                                                                  language: str) -> None:
    page, text = printed, MINI[language]
    open_lecture(page, site_dir, PREFIX[language] + MINI_LECTURE)
    pages = pdf_pages(page)
    assert len(pages) >= 2
    body, last = flat("".join(pages[:-1])), flat(pages[-1])
    for prompt in text["prompts"]:
        assert flat(prompt) in body
    for choice in text["choices"]:
        assert flat(choice) in body
    assert flat(text["notice"]) in body
    assert last.startswith(flat(ANSWERS[language]))
    assert flat(text["answer"]) in last and "0.33" in last
    assert flat(ANSWERS[language]) not in body.replace(flat(text["notice"]), "")
    # nothing of the site's frame: no search box, no language menu, no "Check answer"
    for word in ("Search", "搜尋", "Check answer", "檢查答案", "English", "繁體中文"):
        assert word not in "".join(pages)


def test_a_page_without_a_formative_quiz_prints_no_answers(printed: Page, site_dir: Path) -> None:
    page = printed
    page.goto((site_dir / "glossary" / "index.html").as_uri())
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    expect(page.locator(".cmio-print-answers, .cmio-print-quiz")).to_have_count(0)
    assert visible(page, ".md-header") == visible(page, ".md-sidebar") == 0


# -- every question type, in the bundled curriculum -------------------------------------------------

@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled-print")
    assert main(["build", "site", "--root", str(REPO), "--out", str(out)]) == 0
    return out / "site"


def page_with(site: Path, prefix: str, marker: str) -> str:
    for path in sorted((site / prefix / "lectures").glob("*/*/index.html")):
        if marker in path.read_text(encoding="utf-8"):
            return path.relative_to(site).as_posix()
    raise AssertionError(f"no lecture of the bundled curriculum has {marker}")


def quiz_data(page: Page, fieldset) -> dict:
    form = page.locator("form.cmio-quiz", has=fieldset)
    return json.loads(form.locator("script.cmio-quiz__data").text_content())


@pytest.mark.parametrize("printed", list(VIEWPORTS), indirect=True)
@pytest.mark.parametrize("language", list(PREFIX))
@pytest.mark.parametrize("qtype", TYPES)
def test_every_question_type_prints_and_its_printed_answer_is_graded_correct(
        printed: Page, bundled_site: Path, language: str, qtype: str) -> None:
    page = printed
    open_lecture(page, bundled_site, page_with(bundled_site, PREFIX[language], f'cmio-q cmio-q--{qtype}"'))
    fieldset = page.locator(f"fieldset.cmio-q--{qtype}").first
    qid = fieldset.get_attribute("data-question")
    data = quiz_data(page, fieldset)
    form = page.locator("form.cmio-quiz", has=fieldset)
    quiz = form.get_attribute("data-quiz")
    position = [q["id"] for q in data["questions"]].index(qid)
    paper = page.locator(f'.cmio-print-quiz[data-quiz="{quiz}"] .cmio-print-quiz__questions > li').nth(position)
    key = page.locator(f'.cmio-print-a[data-quiz="{quiz}"] .cmio-print-a__list > li').nth(position)

    page.emulate_media(media="print")
    expect(paper).to_be_visible()
    expect(paper.locator(".cmio-print-q__prompt")).to_have_text(fieldset.locator("legend").text_content().strip())
    answer = key.locator(".cmio-print-a__answer")
    expect(answer).not_to_be_empty()
    if qtype in ("single", "multiple", "true-false"):
        labels = [t.strip() for t in fieldset.locator(".cmio-q__choice label").all_text_contents()]
        expect(paper.locator("ol.cmio-print-choices > li")).to_have_text(labels)
    elif qtype in ("numeric", "text"):
        expect(paper.locator(".cmio-print-blank__line")).to_be_visible()
    elif qtype == "ordering":
        items = [t.strip() for t in fieldset.locator(".cmio-q__item-text").all_text_contents()]
        expect(paper.locator("ul.cmio-print-order > li")).to_have_text(items)
        expect(answer.locator("li")).to_have_count(len(items))
    elif qtype == "matching":
        lefts = [t.strip() for t in fieldset.locator(".cmio-q__pair label").all_text_contents()]
        rights = [t.strip() for t in fieldset.locator("select").first.locator("option:not([value=''])")
                  .all_text_contents()]
        expect(paper.locator(".cmio-print-match__left > li")).to_have_text(lefts)
        expect(paper.locator(".cmio-print-match__right > li")).to_have_text(rights)
        expect(answer.locator("li")).to_have_count(len(lefts))

    # answer on screen what the printed key says: the site's grader calls it correct
    key_text = answer.text_content()
    page.emulate_media(media="screen")
    question = data["questions"][position]["question"]
    if qtype in ("single", "multiple"):
        for choice in answer.locator(".cmio-print-a__choice").all_text_contents():
            fieldset.locator(".cmio-q__choice input").nth(ord(choice[0]) - ord("A")).check()
    elif qtype == "true-false":
        fieldset.get_by_label(key_text, exact=True).check()
    elif qtype == "numeric":
        fieldset.locator("input").fill(key_text.split(" ")[0])
    elif qtype == "text":
        fieldset.locator("input").fill(key_text.split(" / ")[0])
    elif qtype == "matching":
        for i, (_left, right) in enumerate(question["pairs"]):
            fieldset.locator(f'select[data-left="{i}"]').select_option(label=right)
    elif qtype == "ordering":
        # the printed order is the source order, which the grader holds: move each item into place
        for target, item in enumerate(question["items"]):
            rows = fieldset.locator(".cmio-q__item")
            current = [t.strip() for t in rows.locator(".cmio-q__item-text").all_text_contents()].index(item)
            for position_now in range(current, target, -1):
                rows.nth(position_now).locator('button[data-action="up"]').click()
        assert [t.strip() for t in fieldset.locator(".cmio-q__item-text").all_text_contents()] == question["items"]
        expect(answer.locator("li")).to_have_text(question["items"])
    fieldset.locator('button[data-action="check"]').click()
    expect(fieldset.locator(".cmio-q__feedback")).to_contain_text(data["ui"]["correct"])


@pytest.mark.parametrize("language", list(PREFIX))
def test_a_bundled_lecture_prints_its_summative_notice_and_a_pdf_with_its_questions(printed: Page,
                                                                                    bundled_site: Path,
                                                                                    language: str) -> None:
    page = printed
    path = page_with(bundled_site, PREFIX[language], "cmio-quiz-notice")
    open_lecture(page, bundled_site, path)
    notice = page.locator(".cmio-quiz-notice").first
    summative = notice.get_attribute("data-quiz")
    prompts = [t.strip() for t in page.locator("form.cmio-quiz legend").all_text_contents()]
    assert prompts
    page.emulate_media(media="print")
    expect(notice).to_be_visible()
    expect(page.locator(f'[data-quiz="{summative}"]:is(.cmio-print-quiz, .cmio-print-a)')).to_have_count(0)
    pages = [flat(text) for text in pdf_pages(page)]
    start = [i for i, text in enumerate(pages) if text.startswith(flat(ANSWERS[language]))]
    assert len(start) == 1 and start[0] > 0, "the answers begin one page of their own, after the lecture"
    body = "".join(pages[:start[0]])
    assert flat(notice.text_content()) in body
    for prompt in prompts:
        assert flat(prompt) in body, prompt

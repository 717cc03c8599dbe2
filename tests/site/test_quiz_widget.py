"""The quiz fence and the site's quiz widget, in Debian's Chromium driven by Playwright.

The pages are rendered with Python-Markdown and pymdownx.superfences using the real fence
formatter, served from 127.0.0.1 with a Content-Security-Policy that allows scripts and styles
from the same origin only. Without /usr/bin/chromium these tests fail; they never skip.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from staticserver import QuietHandler, serve

from curriculum.site import quizfence
from curriculum_quiz import model

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "curriculum" / "site" / "assets"
VECTORS = json.loads((ROOT / "tests" / "vectors" / "grading.json").read_text(encoding="utf-8"))
CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"

LECTURE = "demo-lecture"
QUIZ: dict = {
    "id": "demo-lecture-check",
    "title": "Check your **understanding**",
    "mode": "formative",
    "attempts": 0,
    "shuffle": True,
    "questions": [
        {
            "id": "q-generative", "type": "single",
            "prompt": "Which system produces *new text* rather than a risk score?",
            "choices": [
                {"text": "A sepsis early-warning score", "feedback": "It outputs a probability, not new text."},
                {"text": "A large language model drafting discharge summaries", "correct": True,
                 "feedback": "Generative models produce new content."},
                {"text": "A drug-interaction alert", "feedback": "An alert applies rules; it writes nothing new."},
            ],
            "hint": "Think about what the **output** looks like.",
            "explanation": ("Prediction models map inputs to a label or score; generative models produce new content. "
                            "<img src=x onerror=\"window.__pwned=1\"></script><script>window.__pwned=2</script>"),
        },
        {
            "id": "q-standards", "type": "multiple",
            "prompt": "Which of these are health data exchange standards?",
            "choices": [
                {"text": "HL7 FHIR", "correct": True, "feedback": "FHIR is HL7's resource-based standard."},
                {"text": "DICOM", "correct": True, "feedback": "DICOM carries medical images."},
                {"text": "HL7 v2", "correct": True, "feedback": "v2 messages still run most interfaces."},
                {"text": "A spreadsheet", "feedback": "A file format, not an exchange standard."},
            ],
            "explanation": "FHIR, DICOM and HL7 v2 are exchange standards.",
        },
        {
            "id": "q-prevalence", "type": "true-false", "prompt": "PPV depends on prevalence.", "answer": True,
            "feedback": {"correct": "Yes: rarer conditions lower the PPV.", "incorrect": "PPV falls as prevalence falls."},
            "explanation": "Sensitivity and specificity do not change with prevalence; PPV does.",
        },
        {
            "id": "q-ppv", "type": "numeric",
            "prompt": "Prevalence 10%, sensitivity 90%, specificity 80%. What is the PPV (two decimals)?",
            "answer": 0.33, "tolerance": 0.01,
            "feedback": {"correct": "Right: 0.09 / 0.27.", "incorrect": "Compute true positives over all positives."},
            "explanation": "PPV = TP / (TP + FP) = 0.09 / 0.27.",
        },
        {
            "id": "q-fhir", "type": "text", "prompt": "Name the HL7 standard built on web resources.",
            "answers": ["FHIR", "HL7 FHIR"],
            "feedback": {"correct": "Yes, FHIR.", "incorrect": "It is a four-letter acronym."},
            "explanation": "Fast Healthcare Interoperability Resources.",
        },
        {
            "id": "q-steps", "type": "ordering", "prompt": "Order the deployment steps.",
            "items": ["Silent-mode evaluation", "Limited pilot", "Full deployment", "Monitoring"],
            "feedback": {"correct": "That is the safe sequence.", "incorrect": "Evaluate silently before any pilot."},
            "explanation": "Each step limits the harm of the next.",
        },
        {
            "id": "q-laws", "type": "matching", "prompt": "Match each law to its jurisdiction.",
            "pairs": [["HIPAA", "United States"], ["Personal Data Protection Act", "Taiwan"], ["GDPR", "European Union"]],
            "feedback": {"correct": "All matched.", "incorrect": "Check where each law applies."},
            "explanation": "HIPAA is federal US law; the PDPA is Taiwan's; the GDPR is the EU's.",
        },
    ],
}
QUIZ_ZH = model.translate(QUIZ, {
    "id": QUIZ["id"], "title": "自我評量",
    "questions": [
        {"id": "q-generative", "prompt": "哪一個系統會產生新的文字，而不是風險分數？",
         "choices": [{"text": "敗血症早期預警分數", "feedback": "它輸出的是機率，而非新文字。"},
                     {"text": "撰寫出院摘要的大型語言模型", "feedback": "生成式模型會產生新的內容。"},
                     {"text": "藥物交互作用警示", "feedback": "警示依規則運作，不會產生新內容。"}],
         "hint": "想一想輸出的樣子。", "explanation": "預測模型輸出標籤或分數；生成式模型產生新的內容。"},
        *({"id": q["id"]} for q in QUIZ["questions"][1:]),
    ],
})
SUMMATIVE: dict = {
    "id": "demo-domain-exam", "mode": "summative", "attempts": 2, "shuffle": True,
    "questions": [
        {"id": f"q-secret-{i}", "type": "single", "prompt": f"Secret exam prompt number {i}",
         "choices": [{"text": f"Secret right choice {i}", "correct": True, "feedback": f"Secret feedback {i}"},
                     {"text": f"Secret wrong choice {i}"}],
         "explanation": f"Secret explanation {i}"}
        for i in range(8)
    ],
}
SECRETS = re.compile(r"Secret|q-secret")


def fence(data: dict) -> str:
    return "```quiz\n" + json.dumps(data, ensure_ascii=False, indent=1) + "\n```\n"


def formative_fence(quiz: dict, language: str) -> str:
    return fence({**quiz, "lecture": LECTURE, "language": language})


def summative_fence(quiz: dict, language: str) -> str:
    """What the pipeline writes for a summative quiz: its id and number of questions only."""
    return fence({"id": quiz["id"], "mode": "summative", "count": len(quiz["questions"]),
                  "lecture": LECTURE, "language": language})


def page_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["admonition", "attr_list", "footnotes", "tables", "toc", "pymdownx.highlight",
                    "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [
            {"name": "quiz", "class": "cmio-quiz", "format": quizfence.format}]}})


def render(text: str) -> str:
    return page_markdown().convert(text)


def html_page(body: str, lang: str = "en") -> str:
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>Quiz test</title>'
            '<link rel="stylesheet" href="assets/quiz.css"></head>\n'
            f'<body><main>\n{body}\n</main>'
            '<script src="progress-stub.js"></script><script src="assets/quiz.js"></script></body></html>\n')


PROGRESS_STUB = """window.__records = [];
window.CMIOProgress = {recordQuiz: function (lecture, quiz, score, max) {
  window.__records.push([lecture, quiz, score, max]);
}};
"""


class Handler(QuietHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("quizsite")
    shutil.copytree(ASSETS, root / "assets")
    (root / "progress-stub.js").write_text(PROGRESS_STUB, encoding="utf-8")
    (root / "favicon.ico").write_bytes(b"")
    (root / "x").write_bytes(b"not an image")  # the author's <img src=x>: it loads, fails to decode, onerror is gone
    (root / "grader.html").write_text(html_page("<p>Grader</p>"), encoding="utf-8")
    body = "# Demo lecture\n\nSome text.\n\n" + formative_fence(QUIZ, "en")
    (root / "index.html").write_text(html_page(render(body)), encoding="utf-8")
    zh_body = "# 示範課程\n\n" + formative_fence(QUIZ_ZH, "zh-TW") + "\n## 領域評量\n\n" + summative_fence(SUMMATIVE, "zh-TW")
    (root / "zh.html").write_text(html_page(render(zh_body), "zh-TW"), encoding="utf-8")
    exam = "# Domain assessment\n\n" + summative_fence(SUMMATIVE, "en") + "\nAfter the exam.\n"
    (root / "exam.html").write_text(html_page(render(exam)), encoding="utf-8")
    with serve(root, Handler) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is required at {CHROMIUM} (apt-get install chromium); "
                    "the quiz widget tests need a real browser and do not skip", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page with every request and console error recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_clean(self, origin: str) -> None:
        assert self.errors == []
        outside = [url for url in self.requests if not url.startswith(origin + "/")]
        assert outside == []


@pytest.fixture()
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context()
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


# ----------------------------------------------------------------------------------------------
# Grading parity

def test_javascript_grader_matches_the_python_model(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/grader.html")
    results = page.evaluate("""vectors => vectors.map(v => {
        try { return {score: window.CMIOQuizGrader.grade(v.question, v.response)}; }
        catch (error) { return {error: String(error.message)}; }
    })""", VECTORS["vectors"])
    mismatches = []
    for vector, result in zip(VECTORS["vectors"], results):
        python = model.grade(vector["question"], vector["response"])
        if result != {"score": python} or python != vector["score"]:
            mismatches.append((vector["name"], vector["score"], python, result))
    assert mismatches == []
    assert len(results) == len(VECTORS["vectors"]) > 50

    rejected = page.evaluate("""vectors => vectors.map(v => {
        try { window.CMIOQuizGrader.grade(v.question, v.response); return null; }
        catch (error) { return String(error.message); }
    })""", VECTORS["invalid"])
    for vector, message in zip(VECTORS["invalid"], rejected):
        assert message == model.response_problem(vector["question"], vector["response"]), vector["name"]
    watched.assert_clean(site)


# ----------------------------------------------------------------------------------------------
# The widget

def question(page: Page, qid: str):
    return page.locator(f'fieldset[data-question="{qid}"]')


def active(page: Page, script: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def focus_with_keys(page: Page, target: str, limit: int = 80) -> None:
    """Press Tab or Shift+Tab until the element the JavaScript expression `target` finds has the focus."""
    for _ in range(limit):
        where = page.evaluate(f"""(() => {{
            const target = {target};
            if (!target) return "missing";
            const el = document.activeElement;
            if (el === target) return "here";
            if (!el || el === document.body) return "after";
            return el.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING ? "after" : "before";
        }})()""")
        if where == "here":
            return
        assert where != "missing", f"nothing matches {target}"
        page.keyboard.press("Tab" if where == "after" else "Shift+Tab")
    raise AssertionError(f"the keyboard never reached {target}")


def button_named(name: str) -> str:
    return f"[...document.querySelectorAll('button')].find(b => b.getAttribute('aria-label') === {json.dumps(name)})"


def check_button(qid: str) -> str:
    return f"document.querySelector('fieldset[data-question=\"{qid}\"] .cmio-q__check')"


def by_id(element_id: str) -> str:
    return f"document.getElementById({json.dumps(element_id)})"


def feedback(page: Page, qid: str):
    return question(page, qid).locator(".cmio-q__feedback")


def records(page: Page) -> list:
    return page.evaluate("window.__records")


def test_structure_is_accessible_and_names_the_inputs(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/")
    form = page.locator("form.cmio-quiz")
    expect(form).to_have_count(1)
    expect(page.get_by_role("form", name="Check your understanding")).to_be_visible()
    for q in QUIZ["questions"]:
        fs = question(page, q["id"])
        expect(fs.locator("legend")).to_have_count(1)
        expect(fs.get_by_role("button", name="Check answer")).to_have_count(1)
        expect(fs.locator(".cmio-q__feedback")).to_have_attribute("aria-live", "polite")
        expect(fs.locator(".cmio-q__feedback")).to_be_empty()
    expect(question(page, "q-generative").locator("legend")).to_have_text(
        "Which system produces new text rather than a risk score?")
    expect(question(page, "q-generative").locator("legend em")).to_have_text("new text")
    for choice in QUIZ["questions"][0]["choices"]:
        expect(page.get_by_role("radio", name=choice["text"])).to_have_count(1)
    for choice in QUIZ["questions"][1]["choices"]:
        expect(page.get_by_role("checkbox", name=choice["text"])).to_have_count(1)
    expect(question(page, "q-prevalence").get_by_role("radio", name="True")).to_have_count(1)
    expect(question(page, "q-prevalence").get_by_role("radio", name="False")).to_have_count(1)
    number = question(page, "q-ppv").get_by_label("Your answer (a number)")
    # text with a decimal keypad, not type=number: Chrome turns "0,22" into "022" in a number field
    expect(number).to_have_attribute("type", "text")
    expect(number).to_have_attribute("inputmode", "decimal")
    expect(question(page, "q-fhir").get_by_label("Your answer")).to_have_attribute("type", "text")
    for left, _right in QUIZ["questions"][6]["pairs"]:
        expect(page.get_by_role("combobox", name=left)).to_have_count(1)
    for item in QUIZ["questions"][5]["items"]:
        expect(page.get_by_role("button", name=f"Move up: {item}")).to_have_count(1)
        expect(page.get_by_role("button", name=f"Move down: {item}")).to_have_count(1)
    # Only one question has a hint; author HTML is sanitised and never runs.
    expect(page.get_by_role("button", name="Show hint")).to_have_count(1)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[onerror]").count() == 0
    assert page.locator("script").count() == 3  # the quiz data, the progress stub and quiz.js
    watched.assert_clean(site)


def test_hint_before_answering_then_wrong_then_right(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/")
    fs = question(page, "q-generative")
    hint_button = fs.get_by_role("button", name="Show hint")
    hint = fs.locator(".cmio-q__hint")
    expect(hint).to_be_hidden()
    expect(hint_button).to_have_attribute("aria-expanded", "false")
    hint_button.focus()
    page.keyboard.press("Enter")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Think about what the output looks like.")
    expect(hint.locator("strong")).to_have_text("output")
    expect(fs.get_by_role("button", name="Hide hint")).to_have_attribute("aria-expanded", "true")
    expect(feedback(page, "q-generative")).to_be_empty()
    assert records(page) == []

    # Checking with nothing chosen asks for an answer and grades nothing.
    fs.get_by_role("button", name="Check answer").click()
    expect(feedback(page, "q-generative")).to_have_text("Choose an answer first.")
    assert records(page) == []

    fs.get_by_role("radio", name="A sepsis early-warning score").check()
    fs.get_by_role("button", name="Check answer").click()
    region = feedback(page, "q-generative")
    expect(region).to_contain_text("Not correct yet. You can try again.")
    expect(region).to_contain_text("It outputs a probability, not new text.")
    # The explanation gives the answer away: not after one wrong try.
    expect(region).not_to_contain_text("Explanation")
    expect(region).not_to_contain_text("Prediction models map inputs to a label or score")
    expect(region).not_to_contain_text("Generative models produce new content.")
    expect(fs).to_have_attribute("data-result", "incorrect")
    assert records(page) == [[LECTURE, QUIZ["id"], 0, 7]]

    fs.get_by_role("radio", name="A large language model drafting discharge summaries").check()
    fs.get_by_role("button", name="Check answer").click()
    expect(region).to_contain_text("Correct.")
    expect(region).to_contain_text("Generative models produce new content.")
    expect(region).not_to_contain_text("It outputs a probability")
    expect(region).to_contain_text("Prediction models map inputs to a label or score")
    expect(fs).to_have_attribute("data-result", "correct")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 1, 7]
    expect(page.locator(".cmio-quiz__score")).to_have_text("Your score on this quiz: 1 of 7.")
    assert page.evaluate("window.__pwned") is None
    watched.assert_clean(site)


def test_partial_credit_feedback_and_quiz_total(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/")
    fs = question(page, "q-standards")
    for name in ("HL7 FHIR", "DICOM", "A spreadsheet"):
        fs.get_by_role("checkbox", name=name).check()
    fs.get_by_role("button", name="Check answer").click()
    region = feedback(page, "q-standards")
    expect(region).to_contain_text("Partly correct: 33%.")
    for text in ("FHIR is HL7's resource-based standard.", "DICOM carries medical images.",
                 "A file format, not an exchange standard."):
        expect(region).to_contain_text(text)
    expect(region).not_to_contain_text("v2 messages")
    expect(fs).to_have_attribute("data-result", "partial")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 1 / 3, 7]

    fs.get_by_role("checkbox", name="A spreadsheet").uncheck()
    fs.get_by_role("checkbox", name="HL7 v2").check()
    fs.get_by_role("button", name="Check answer").click()
    expect(region).to_contain_text("Correct.")

    tf = question(page, "q-prevalence")
    tf.get_by_role("radio", name="False").check()
    tf.get_by_role("button", name="Check answer").click()
    expect(feedback(page, "q-prevalence")).to_contain_text("PPV falls as prevalence falls.")
    tf.get_by_role("radio", name="True").check()
    tf.get_by_role("button", name="Check answer").click()
    expect(feedback(page, "q-prevalence")).to_contain_text("Yes: rarer conditions lower the PPV.")
    expect(feedback(page, "q-prevalence")).to_contain_text("Sensitivity and specificity do not change")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 2, 7]
    watched.assert_clean(site)


def test_numeric_and_text_answers_from_the_keyboard(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/")
    number = question(page, "q-ppv").get_by_label("Your answer (a number)")
    number.focus()
    page.keyboard.press("Enter")
    expect(feedback(page, "q-ppv")).to_have_text("Enter a number first.")
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")
    expect(feedback(page, "q-ppv")).to_contain_text("Compute true positives over all positives.")
    expect(feedback(page, "q-ppv")).not_to_contain_text("PPV = TP / (TP + FP)")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("0,34")  # a decimal comma, at the edge of the tolerance
    expect(number).to_have_value("0,34")
    page.keyboard.press("Enter")
    expect(feedback(page, "q-ppv")).to_contain_text("Right: 0.09 / 0.27.")
    expect(feedback(page, "q-ppv")).to_contain_text("PPV = TP / (TP + FP)")

    text = question(page, "q-fhir").get_by_label("Your answer")
    text.focus()
    page.keyboard.type("HL7")
    page.keyboard.press("Enter")
    expect(feedback(page, "q-fhir")).to_contain_text("It is a four-letter acronym.")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text("  ＨＬ７\u3000ｆｈｉｒ ")
    focus_with_keys(page, check_button("q-fhir"))
    page.keyboard.press("Enter")
    expect(feedback(page, "q-fhir")).to_contain_text("Yes, FHIR.")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 2, 7]
    watched.assert_clean(site)


def item_order(page: Page) -> list[str]:
    return question(page, "q-steps").locator(".cmio-q__item-text").all_inner_texts()


def test_ordering_with_the_keyboard_only(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/")
    items = QUIZ["questions"][5]["items"]
    start = item_order(page)
    assert sorted(start) == sorted(items) and start != items  # shown shuffled

    # Check the shuffled order first: partial or no credit, with the "incorrect" feedback.
    focus_with_keys(page, check_button("q-steps"))
    page.keyboard.press("Enter")
    region = feedback(page, "q-steps")
    expect(region).to_contain_text("Evaluate silently before any pilot.")
    expected_share = sum(a == b for a, b in zip(start, items)) / len(items)
    assert records(page)[-1] == [LECTURE, QUIZ["id"], expected_share, 7]

    for target, name in enumerate(items):
        position = item_order(page).index(name)
        if position == target:
            continue
        button = f"Move up: {name}"
        focus_with_keys(page, button_named(button))
        for step in range(position - target):
            page.keyboard.press("Space" if step % 2 else "Enter")
            assert active(page, "el.getAttribute('aria-label')") == button  # focus stays on the moved item's button
        expect(question(page, "q-steps").locator(".cmio-q__moved")).to_have_text(
            f"{name}: position {target + 1} of {len(items)}.")
    assert item_order(page) == items
    first_up = page.get_by_role("button", name=f"Move up: {items[0]}")
    expect(first_up).to_have_attribute("aria-disabled", "true")

    focus_with_keys(page, check_button("q-steps"))
    page.keyboard.press("Enter")
    expect(region).to_contain_text("Correct.")
    expect(region).to_contain_text("That is the safe sequence.")
    expect(region).to_contain_text("Each step limits the harm of the next.")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 1, 7]
    watched.assert_clean(site)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of the focused native select with Home and the arrow keys."""
    select = page.get_by_role("combobox", name=label)
    assert select.evaluate("s => s === document.activeElement")
    page.keyboard.press("Home")
    for _ in range(10):
        if select.evaluate("s => s.options[s.selectedIndex].text") == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{option!r} not reached in {label!r}")


def test_matching_with_the_keyboard_only(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/")
    pairs = QUIZ["questions"][6]["pairs"]
    select_of = {left: by_id(f"cmio-quiz-demo-lecture-check-q-laws-m{i}") for i, (left, _) in enumerate(pairs)}

    # Right, wrong and unanswered: one third.
    focus_with_keys(page, select_of["HIPAA"])
    choose(page, "HIPAA", "United States")
    page.keyboard.press("Tab")
    choose(page, "Personal Data Protection Act", "European Union")
    focus_with_keys(page, check_button("q-laws"))
    page.keyboard.press("Enter")
    region = feedback(page, "q-laws")
    expect(region).to_contain_text("Partly correct: 33%.")
    expect(region).to_contain_text("Check where each law applies.")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 1 / 3, 7]

    focus_with_keys(page, select_of["Personal Data Protection Act"])
    choose(page, "Personal Data Protection Act", "Taiwan")
    page.keyboard.press("Tab")
    choose(page, "GDPR", "European Union")
    focus_with_keys(page, check_button("q-laws"))
    page.keyboard.press("Enter")
    expect(region).to_contain_text("Correct.")
    expect(region).to_contain_text("All matched.")
    expect(region).to_contain_text("HIPAA is federal US law")
    assert records(page)[-1] == [LECTURE, QUIZ["id"], 1, 7]
    watched.assert_clean(site)


def test_traditional_chinese_page(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/zh.html")
    fs = question(page, "q-generative")
    expect(fs.locator("legend")).to_have_text("哪一個系統會產生新的文字，而不是風險分數？")
    expect(page.get_by_role("button", name="檢查答案")).to_have_count(len(QUIZ["questions"]))
    fs.get_by_role("button", name="顯示提示").click()
    expect(fs.locator(".cmio-q__hint")).to_contain_text("想一想輸出的樣子。")
    fs.get_by_role("radio", name="撰寫出院摘要的大型語言模型").check()
    fs.get_by_role("button", name="檢查答案").click()
    expect(feedback(page, "q-generative")).to_contain_text("答對了。")
    expect(feedback(page, "q-generative")).to_contain_text("生成式模型會產生新的內容。")
    expect(feedback(page, "q-generative")).to_contain_text("解析")
    expect(question(page, "q-prevalence").get_by_role("radio", name="正確")).to_have_count(1)
    expect(page.get_by_role("button", name="上移：Limited pilot")).to_have_count(1)
    notice = page.locator(".cmio-quiz-notice")
    expect(notice).to_have_text("本測驗須於課程的學習平台上作答並計分（共 8 題）。")
    assert not SECRETS.search(page.content())
    watched.assert_clean(site)


def test_summative_quiz_shows_only_the_notice(site: str, watched: Watched) -> None:
    page = watched.page
    page.goto(site + "/exam.html")
    notice = page.locator(".cmio-quiz-notice")
    expect(notice).to_have_text("This quiz is taken and graded in the course's learning platform (8 questions).")
    expect(page.locator("form, fieldset, input, select, button")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("After the exam.")
    assert not SECRETS.search(page.content())
    watched.assert_clean(site)


# ----------------------------------------------------------------------------------------------
# The formatter on its own

def test_summative_fence_renders_a_notice_and_nothing_else() -> None:
    html = render(summative_fence(SUMMATIVE, "en"))
    assert html == ('<div class="admonition info cmio-quiz-notice" data-quiz="demo-domain-exam" lang="en">'
                    "<p>This quiz is taken and graded in the course's learning platform (8 questions).</p></div>")
    one = render(fence({"id": "x", "mode": "summative", "count": 1, "lecture": LECTURE, "language": "en"}))
    assert "(1 question)." in one


def test_a_fence_that_would_leak_a_summative_quiz_stops_the_build() -> None:
    leaky = {**SUMMATIVE, "count": 8, "lecture": LECTURE, "language": "en"}
    with pytest.raises(quizfence.QuizFenceError, match="may only hold"):
        render(fence(leaky))
    raw_yaml = "```quiz\nid: demo-domain-exam\nmode: summative\nquestions:\n  - prompt: Secret\n```\n"
    with pytest.raises(quizfence.QuizFenceError, match="JSON"):
        render(raw_yaml)


def test_invalid_formative_fences_are_reported() -> None:
    broken = copy.deepcopy(QUIZ)
    broken["questions"][0]["choices"][0]["correct"] = True  # two correct choices on a single
    with pytest.raises(quizfence.QuizFenceError, match="demo-lecture-check.*questions.0"):
        render(formative_fence(broken, "en"))
    with pytest.raises(quizfence.QuizFenceError, match="language"):
        render(formative_fence(QUIZ, "fr"))
    with pytest.raises(quizfence.QuizFenceError, match="lecture"):
        render(fence({**QUIZ, "language": "en"}))


def test_embedded_data_cannot_close_its_script_element() -> None:
    quiz = copy.deepcopy(QUIZ)
    quiz["questions"][4]["answers"] = ["</script><script>alert(1)</script>", "a & b <!--"]
    html = render(formative_fence(quiz, "en"))
    data = re.search(r'<script type="application/json" class="cmio-quiz__data">(.*?)</script>', html, re.S)
    assert data is not None
    assert "<" not in data.group(1) and ">" not in data.group(1) and "&" not in data.group(1)
    embedded = json.loads(data.group(1))
    assert embedded["questions"][4]["question"]["answers"] == quiz["questions"][4]["answers"]
    assert embedded["lecture"] == LECTURE and embedded["quiz"] == QUIZ["id"]
    assert html.count("<script") == 1


def test_display_order_is_stable_and_never_the_answer() -> None:
    first, second = render(formative_fence(QUIZ, "en")), render(formative_fence(QUIZ, "en"))
    assert first == second
    for n in range(2, 8):
        for seed in ("a", "b", "c", "d"):
            order = quizfence.display_order(n, seed, True, avoid_identity=True)
            assert sorted(order) == list(range(n)) and order != list(range(n))
    assert quizfence.display_order(4, "x", False) == [0, 1, 2, 3]


def test_author_markdown_uses_the_page_extensions() -> None:
    quiz = copy.deepcopy(QUIZ)
    quiz["questions"][0]["explanation"] = "| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [the guide](https://example.org)."
    html = render(formative_fence(quiz, "en"))
    data = json.loads(re.search(r'class="cmio-quiz__data">(.*?)</script>', html, re.S).group(1))
    explanation = data["questions"][0]["explanation"]
    assert "<table>" in explanation
    assert '<a href="https://example.org">the guide</a>' in explanation

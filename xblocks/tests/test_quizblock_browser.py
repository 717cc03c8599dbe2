"""The learner script in a real headless Chromium, operated with the keyboard alone.

A small local server serves the block's own student_view fragment, its public/ script and
stylesheet, and passes handler calls to the block through the runtime, as the LMS does.
"""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from quiz_testing import Course, html_key_of
from webob import Request

import curriculum_quiz
from curriculum_quiz import scenarios

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PUBLIC = Path(curriculum_quiz.__file__).parent / "public"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")


class BlockServer:
    """Serves one block: GET / is the page, GET /public/... its resources, POST /handler/<name>."""

    def __init__(self, course: Course, block) -> None:
        self.course, self.block = course, block
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/":
                    self.reply(200, server.page().encode("utf-8"), "text/html; charset=utf-8")
                elif self.path.startswith("/public/") and ".." not in self.path:
                    path = PUBLIC / self.path[len("/public/"):]
                    kind = "text/css" if path.suffix == ".css" else "application/javascript"
                    self.reply(200, path.read_bytes(), kind)
                else:
                    self.reply(404, b"", "text/plain")

            def do_POST(self):
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Request.blank("/", method="POST", body=body)
                block = server.fresh_block()
                response = block.runtime.handle(block, name, request)
                self.reply(response.status_code, response.body, "application/json")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def fresh_block(self):
        # Each request gets the block anew from storage, as in the LMS.
        return self.course.as_learner(self.block, "learner-1")

    def page(self) -> str:
        frag = self.fresh_block().student_view()
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quiz</title>'
            '<link rel="stylesheet" href="/public/css/curriculum_quiz.css"></head><body>'
            f'<div class="xblock" id="block">{frag.content}</div>'
            '<script src="/public/js/curriculum_quiz.js"></script>'
            '<script>var runtime = {handlerUrl: function (element, name) { return "/handler/" + name; }};'
            f'{frag.js_init_fn}(runtime, document.getElementById("block"), {json.dumps(frag.json_init_args)});'
            "</script></body></html>")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


def question(page, qid: str):
    return page.locator(f'fieldset[data-question-id="{qid}"]')


def press_on(page, selector_locator, *keys: str) -> None:
    selector_locator.focus()
    for key in keys:
        page.keyboard.press(key)


def test_a_learner_answers_every_type_with_the_keyboard(course: Course, browser):
    quiz = {**scenarios.MIXED, "show_answer": "always"}
    block = course.add(quiz)
    block.student_view()
    llm = html_key_of(block, "q-generative", "choices", "A large language model drafting discharge summaries")
    mrn = html_key_of(block, "q-phi", "choices", "Medical record number")
    photo = html_key_of(block, "q-phi", "choices", "Full-face photograph")
    item_keys = {text: html_key_of(block, "q-steps", "items", text) for text in scenarios.ORDERING["items"]}

    with BlockServer(course, block) as server:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url)

        # Single and multiple choice: Space on a focused native input.
        press_on(page, question(page, "q-generative").locator(f'input[value="{llm}"]'), "Space")
        press_on(page, question(page, "q-phi").locator(f'input[value="{mrn}"]'), "Space")
        press_on(page, question(page, "q-phi").locator(f'input[value="{photo}"]'), "Space")
        press_on(page, question(page, "q-tf").locator('input[value="false"]'), "Space")
        question(page, "q-ppv").locator("input").focus()
        page.keyboard.type("0.33")
        question(page, "q-fhir").locator("input").focus()
        page.keyboard.type("hl7 fhir")

        # Ordering: Move up / Move down buttons, operated with Enter, keep focus and announce.
        target = scenarios.ORDERING["items"]
        first = question(page, "q-steps").locator(".cq-order-item").first
        first_key = first.get_attribute("data-key")
        press_on(page, first.locator('.cq-move[data-direction="down"]'), "Enter")
        assert question(page, "q-steps").locator(".cq-order-item").nth(1).get_attribute("data-key") == first_key
        assert page.evaluate("document.activeElement.getAttribute('data-direction')") == "down"
        announcement = question(page, "q-steps").locator(".cq-order-status").text_content()
        assert announcement.endswith(": position 2 of 4.")
        for position, text in enumerate(target):
            while True:
                keys = question(page, "q-steps").locator(".cq-order-item").evaluate_all(
                    "items => items.map(i => i.getAttribute('data-key'))")
                current = keys.index(item_keys[text])
                if current == position:
                    break
                up = question(page, "q-steps").locator(f'.cq-order-item[data-key="{item_keys[text]}"] .cq-move'
                                                       '[data-direction="up"]')
                press_on(page, up, "Enter")
                assert page.evaluate("document.activeElement.getAttribute('data-direction')") == "up"

        # Matching: one native select per left item, chosen by typing.
        for left, right in scenarios.MATCHING["pairs"]:
            select = question(page, "q-laws").locator(".cq-match", has_text=left).locator("select")
            select.focus()
            page.keyboard.type(right[:6])
            assert select.evaluate("s => s.options[s.selectedIndex].text") == right

        # A hint, on demand.
        hint_button = question(page, "q-generative").locator(".cq-hint-button")
        press_on(page, hint_button, "Enter")
        page.wait_for_function("document.querySelector('.cq-hint:not([hidden])') !== null")
        assert hint_button.get_attribute("aria-expanded") == "true"
        assert "what the output looks like" in question(page, "q-generative").locator(".cq-hint").text_content()

        press_on(page, page.locator(".cq-submit"), "Enter")
        page.wait_for_function("document.querySelector('.cq-status').textContent.indexOf('You scored') >= 0")
        assert page.locator(".cq-status").text_content().startswith("You scored 7 out of 7.")
        for qid in ("q-generative", "q-phi", "q-tf", "q-ppv", "q-fhir", "q-steps", "q-laws"):
            feedback = question(page, qid).locator(".cq-feedback")
            assert feedback.get_attribute("aria-live") == "polite"
            assert feedback.locator(".cq-verdict").text_content() == "Correct", qid
        assert "Generative models produce new content." in question(page, "q-generative").text_content()
        assert question(page, "q-steps").locator(".cq-answer ol li").all_text_contents() == target
        assert errors == []

        graded = course.as_learner(block, "learner-1")
        assert graded.attempts == 1 and graded.get_score().raw_earned == 7

        # Reloading shows the result again, with the responses in place.
        page.reload()
        assert question(page, "q-laws").locator(".cq-verdict").text_content() == "Correct"
        assert question(page, "q-ppv").locator("input").input_value() == "0.33"
        page.close()


def test_wrong_answers_show_only_the_learners_feedback_and_no_answer_before_finishing(course: Course, browser):
    block = course.add({**scenarios.quiz("two", "Two tries", [scenarios.SINGLE, scenarios.NUMERIC]), "attempts": 2})
    block.student_view()
    wrong = html_key_of(block, "q-generative", "choices", "A sepsis early-warning score")
    with BlockServer(course, block) as server:
        page = browser.new_page()
        page.goto(server.url)
        question(page, "q-ppv").locator("input").fill("zero point three")
        page.locator(".cq-submit").press("Enter")
        assert "enter a number" in page.locator(".cq-status").text_content()
        assert course.as_learner(block, "learner-1").attempts == 0

        question(page, "q-ppv").locator("input").fill("0.5")
        question(page, "q-generative").locator(f'input[value="{wrong}"]').check()
        page.locator(".cq-submit").press("Enter")
        page.wait_for_function("document.querySelector('.cq-status').textContent.indexOf('You scored') >= 0")
        single = question(page, "q-generative")
        assert single.locator(".cq-verdict").text_content() == "Incorrect"
        assert "It outputs a probability, not new text." in single.text_content()
        assert "Generative models produce new content." not in page.content()
        assert page.locator(".cq-answer").count() == 0
        assert page.locator(".cq-attempts").text_content() == "Attempts used: 1 of 2."

        page.locator(".cq-submit").press("Enter")
        page.wait_for_function("document.querySelector('.cq-attempts').textContent.indexOf('No attempts') >= 0")
        assert page.locator(".cq-submit").is_disabled()
        assert page.locator(".cq-answer").count() == 2  # finished: the answers are revealed
        assert "0.33 (within ± 0.01)" in question(page, "q-ppv").text_content()
        page.close()

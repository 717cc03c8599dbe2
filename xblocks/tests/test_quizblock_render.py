"""student_view and student_view_data: accessible markup, translation, and no leak before grading."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser

import pytest
from quiz_testing import Course, html_key_of, html_options, post, render, submit

from curriculum_quiz import scenarios

SENTINELS = ("FEEDBACK-SENTINEL", "EXPLAIN-SENTINEL", "HINT-SENTINEL", "ANSWER-SENTINEL", "987.654")


def leak_quiz() -> dict:
    """Every type, with answers, feedback, hints and explanations that are easy to spot."""
    return {
        "id": "leak-check", "title": "Leak check", "attempts": 2, "shuffle": True,
        "questions": [
            {"id": "q-single", "type": "single", "prompt": "Pick one.", "hint": "HINT-SENTINEL single",
             "explanation": "EXPLAIN-SENTINEL single",
             "choices": [{"text": "Alpha", "feedback": "FEEDBACK-SENTINEL a"},
                         {"text": "Beta", "correct": True, "feedback": "FEEDBACK-SENTINEL b"},
                         {"text": "Gamma", "feedback": "FEEDBACK-SENTINEL c"}]},
            {"id": "q-multiple", "type": "multiple", "prompt": "Pick some.", "explanation": "EXPLAIN-SENTINEL m",
             "choices": [{"text": "One", "correct": True, "feedback": "FEEDBACK-SENTINEL 1"},
                         {"text": "Two", "feedback": "FEEDBACK-SENTINEL 2"},
                         {"text": "Three", "correct": True, "feedback": "FEEDBACK-SENTINEL 3"}]},
            {"id": "q-tf", "type": "true-false", "prompt": "True or not?", "answer": True,
             "feedback": {"correct": "FEEDBACK-SENTINEL right", "incorrect": "FEEDBACK-SENTINEL wrong"},
             "explanation": "EXPLAIN-SENTINEL tf"},
            {"id": "q-num", "type": "numeric", "prompt": "A number?", "answer": 987.654, "tolerance": 0.5,
             "hint": "HINT-SENTINEL num", "explanation": "EXPLAIN-SENTINEL num"},
            {"id": "q-text", "type": "text", "prompt": "A word?", "answers": ["ANSWER-SENTINEL", "other"],
             "explanation": "EXPLAIN-SENTINEL text"},
            {"id": "q-order", "type": "ordering", "prompt": "Order them.",
             "items": ["First step", "Second step", "Third step", "Fourth step", "Fifth step"],
             "explanation": "EXPLAIN-SENTINEL order"},
            {"id": "q-match", "type": "matching", "prompt": "Match them.",
             "pairs": [["Left one", "Right one"], ["Left two", "Right two"], ["Left three", "Right three"]],
             "explanation": "EXPLAIN-SENTINEL match"},
        ],
    }


def other_answers(quiz: dict) -> dict:
    """The same quiz with every answer (and every feedback, explanation and hint text) different."""
    other = copy.deepcopy(quiz)
    single, multiple, tf, num, text, order, match = other["questions"]
    for choice, correct in zip(single["choices"], (True, False, False)):
        choice["correct"] = correct
        choice["feedback"] = "changed " + choice["feedback"]
    for choice, correct in zip(multiple["choices"], (False, True, False)):
        choice["correct"] = correct
    tf["answer"] = False
    num["answer"], num["tolerance"] = 1.5, 0
    text["answers"] = ["something else"]
    order["items"] = list(reversed(order["items"]))
    match["pairs"] = [["Left one", "Right three"], ["Left two", "Right one"], ["Left three", "Right two"]]
    for q in other["questions"]:
        q["explanation"] = "a different explanation"
        if "hint" in q:
            q["hint"] = "a different hint"
    return other


def everything_sent(block) -> str:
    """All a browser receives before grading: the rendered HTML with its resources and init
    arguments, and student_view_data()."""
    frag = block.runtime.render(block, "student_view")
    return json.dumps(frag.to_dict(), sort_keys=True) + json.dumps(block.student_view_data(), sort_keys=True)


class Markup(HTMLParser):
    """Collects elements with their attributes and the text inside <legend> and <label>."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {"legend": [], "label": []}

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in self.text:
            self.text[tag].append("")
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            self.text[self.stack[-1]][-1] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for t, attrs in self.elements if t == tag]


def parse(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    return parser


# ----------------------------------------------------------------------------------------------
# No leak


def test_nothing_about_answers_is_sent_before_submission(course: Course):
    block = course.add(leak_quiz())
    sent = everything_sent(block)
    for sentinel in SENTINELS:
        assert sentinel not in sent
    assert '"correct"' not in sent and "answer" not in json.dumps(block.student_view_data())
    # Other handlers tell nothing either: a hint is only a hint.
    status, reply = post(block, "hint", {"question_id": "q-single"})
    assert status == 200 and set(reply) == {"question_id", "hint"}
    assert "HINT-SENTINEL single" in reply["hint"] and "FEEDBACK" not in reply["hint"]


def test_quizzes_differing_only_in_answers_render_byte_identical(course: Course):
    quiz = leak_quiz()
    block = course.add(quiz)
    first_frag = block.runtime.render(block, "student_view")
    first_data = block.student_view_data()

    block.quiz = other_answers(quiz)
    block.save()
    same_block = course.as_learner(block, "learner-1")
    second_frag = same_block.runtime.render(same_block, "student_view")

    assert second_frag.content.encode("utf-8") == first_frag.content.encode("utf-8")
    assert json.dumps(second_frag.to_dict(), sort_keys=True) == json.dumps(first_frag.to_dict(), sort_keys=True)
    assert json.dumps(same_block.student_view_data(), sort_keys=True) == json.dumps(first_data, sort_keys=True)


def html_keys(block) -> list[str]:
    return [key for kinds in html_options(block).values() for options in kinds.values() for key, _ in options]


def data_keys(data: dict) -> list[str]:
    return [e["key"] for q in data["questions"] for kind in ("choices", "items", "left", "right")
            for e in q.get(kind, [])]


def test_html_keys_are_opaque_and_per_learner(course: Course):
    block = course.add(leak_quiz())
    keys = html_keys(block)
    assert len(keys) == len(set(keys)) == 3 + 3 + 5 + 3 + 3
    assert all(re.fullmatch(r"k[0-9a-f]{16}", key) for key in keys)
    assert not set(html_keys(course.as_learner(block, "learner-2"))) & set(keys)
    assert not set(html_keys(course.add(leak_quiz()))) & set(keys)


def test_student_view_data_keys_depend_on_the_block_only(course: Course):
    block = course.add(leak_quiz())
    data = block.student_view_data()
    keys = data_keys(data)
    assert len(keys) == len(set(keys)) == 3 + 3 + 5 + 3 + 3
    assert all(re.fullmatch(r"b[0-9a-f]{16}", key) for key in keys)
    # The same for every learner (the mobile apps cache it per block), other for another block.
    for learner in ("learner-2", "learner-3"):
        assert course.as_learner(block, learner).student_view_data() == data
    assert not set(data_keys(course.add(leak_quiz()).student_view_data())) & set(keys)
    assert not set(html_keys(block)) & set(keys)


def test_html_order_is_stable_for_a_learner_and_differs_between_learners(course: Course):
    quiz = leak_quiz()
    quiz["questions"][0]["choices"] = [{"text": f"Choice {i}", "correct": i == 0} for i in range(8)]
    block = course.add(quiz)

    def order(b):
        return [text for _, text in html_options(b)["q-single"]["choices"]]

    first = order(block)
    assert order(course.as_learner(block, "learner-1")) == first
    assert render(block).content == render(course.as_learner(block, "learner-1")).content
    others = [order(course.as_learner(block, f"learner-{n}")) for n in range(2, 7)]
    assert any(o != first for o in others)
    assert all(sorted(o) == sorted(first) for o in others)


def test_without_shuffle_choices_keep_source_order_but_items_and_right_sides_are_shuffled(course: Course):
    quiz = leak_quiz()
    quiz["shuffle"] = False
    items = quiz["questions"][5]["items"]
    rights = [p[1] for p in quiz["questions"][6]["pairs"]]
    orders, right_orders = [], []
    for n in range(6):
        block = course.add(quiz, learner=f"learner-{n}")
        questions = {q["id"]: q for q in block.student_view_data()["questions"]}
        assert [c["text"] for c in questions["q-single"]["choices"]] == ["<p>Alpha</p>", "<p>Beta</p>", "<p>Gamma</p>"]
        assert [c["text"] for c in questions["q-match"]["left"]] == ["<p>Left one</p>", "<p>Left two</p>",
                                                                     "<p>Left three</p>"]
        orders.append([i["text"] for i in questions["q-order"]["items"]])
        right_orders.append([r["text"] for r in questions["q-match"]["right"]])
    assert any(o != [f"<p>{i}</p>" for i in items] for o in orders)
    assert any(o != [f"<p>{r}</p>" for r in rights] for o in right_orders)


# ----------------------------------------------------------------------------------------------
# Markup


def test_every_question_is_a_fieldset_with_a_legend_and_labelled_native_controls(course: Course):
    block = course.add(scenarios.MIXED)
    html = render(block).content
    doc = parse(html)
    fieldsets = doc.all("fieldset")
    assert len(fieldsets) == len(scenarios.MIXED["questions"])
    assert len(doc.text["legend"]) == len(fieldsets)
    assert "Which system produces new text rather than a risk score?" in doc.text["legend"][0]

    label_for = {attrs["for"] for attrs in doc.all("label")}
    controls = [a for a in doc.all("input") + doc.all("select")]
    assert controls
    for control in controls:
        assert control["id"] in label_for, control
    assert len(doc.all("select")) == 3  # one native select per left-hand item
    moves = [b for b in doc.all("button") if "cq-move" in b.get("class", "")]
    assert len(moves) == 2 * 4 and all(b.get("type") == "button" and b.get("aria-describedby") for b in moves)
    live = [e for _, e in doc.elements if e.get("aria-live") == "polite"]
    assert any("cq-status" in e.get("class", "") for e in live)
    assert sum("cq-feedback" in e.get("class", "") for e in live) == len(fieldsets)


def test_resources_come_from_public_and_the_script_is_initialised(course: Course):
    block = course.add(scenarios.MIXED)
    frag = block.student_view()
    urls = [r.data for r in frag.resources]
    assert urls == ["/resource/curriculum_quiz/public/css/curriculum_quiz.css",
                    "/resource/curriculum_quiz/public/js/curriculum_quiz.js"]
    assert frag.js_init_fn == "CurriculumQuizBlock"
    assert frag.json_init_args["result"] is None


def test_author_markdown_is_rendered_and_sanitised(course: Course):
    quiz = copy.deepcopy(scenarios.MIXED)
    quiz["title"] = 'Title <b>& "quotes"'
    quiz["questions"][0]["prompt"] = ("Is **this** safe? <script>alert('x')</script> <img src=x onerror=alert(1)> "
                                      "[link](javascript:alert(2)) [ok](https://example.org)")
    quiz["questions"][0]["choices"][0]["text"] = "A <iframe src='https://evil.example'></iframe> choice"
    block = course.add(quiz)
    sent = everything_sent(block)
    html = render(block).content
    assert "<strong>this</strong>" in html
    assert "Title &lt;b&gt;&amp; &quot;quotes&quot;" in html
    for bad in ("alert", "onerror", "javascript:", "<iframe", "evil.example"):
        assert bad not in sent
    assert '<img src="x">' in html  # the one sanitizer keeps a same-origin image, never its handler
    assert 'href="https://example.org"' in html


def test_a_prompt_with_blocks_keeps_a_phrasing_legend(course: Course):
    quiz = copy.deepcopy(scenarios.MIXED)
    quiz["questions"][0]["prompt"] = "Read the case.\n\n- first fact\n- second fact\n\nWhich is generative?"
    block = course.add(quiz)
    html = render(block).content
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", html).group(1)
    assert "Read the case." in legend and "<ul>" not in legend and "<p>" not in legend
    assert re.search(r'<div class="cq-prompt-more" id="[^"]+">\s*<ul>', html)


# ----------------------------------------------------------------------------------------------
# Translation


def test_ui_strings_are_translated_for_a_zh_tw_learner(course: Course):
    block = course.add(scenarios.MIXED, language="en")
    zh = render(block, language="zh-tw").content
    for text in ("送出", "第 1 題，共 7 題", "您可以不限次數送出。", "上移", "下移", "— 請選擇配對 —", "顯示提示",
                 "對", "錯"):
        assert text in zh
    from django.utils import translation

    with translation.override("zh-tw"):
        strings = block.student_view().json_init_args["strings"]
    assert strings["correctAnswer"] == "正確答案" and strings["hideHint"] == "隱藏提示"
    en = render(block, language="en").content
    assert "Submit" in en and "送出" not in en


def test_zh_tw_reply_messages(course: Course):
    block = course.add(scenarios.ZH_TW)
    from django.utils import translation

    with translation.override("zh-tw"):
        status, reply = submit(block, {"q-generative": question_key(block)})
    assert status == 200
    assert reply["message"].startswith("您的得分")
    assert reply["attempts_text"] == "您已送出 1 次，可以再次送出。"


def question_key(block) -> str:
    data = block.student_view_data()
    return data["questions"][0]["choices"][0]["key"]


# ----------------------------------------------------------------------------------------------
# After submission


def test_after_submission_the_view_shows_the_learners_responses_and_result(course: Course):
    block = course.add(scenarios.MIXED)
    key = html_key_of(block, "q-generative", "choices", "A large language model drafting discharge summaries")
    status, reply = submit(block, {"q-generative": key, "q-tf": False})
    assert status == 200
    frag = course.as_learner(block, "learner-1").student_view()
    assert re.search(rf'value="{key}" checked', frag.content)
    assert re.search(r'value="false" checked', frag.content)
    assert frag.json_init_args["result"] == reply


def test_an_invalid_quiz_is_not_shown_and_cannot_be_submitted(course: Course):
    block = course.add({"id": "broken", "questions": [{"id": "q", "type": "single", "prompt": "?", "choices": []}]})
    html = render(block).content
    assert "This quiz is not available yet." in html and "<fieldset" not in html
    assert block.student_view_data()["questions"] == []
    status, reply = submit(block, {"q": "k0"})
    assert status == 409


@pytest.mark.parametrize("shuffle", [True, False])
def test_student_view_data_shape(course: Course, shuffle: bool):
    block = course.add({**scenarios.MIXED, "shuffle": shuffle})
    data = block.student_view_data()
    assert data["title"] == "Check your understanding"
    by_type = {q["type"]: q for q in data["questions"]}
    assert set(by_type) == {"single", "multiple", "true-false", "numeric", "text", "ordering", "matching"}
    for q in data["questions"]:
        assert {"id", "type", "prompt"} <= set(q)
    assert all(set(c) == {"key", "text"} for c in by_type["single"]["choices"] + by_type["multiple"]["choices"])
    assert all(set(c) == {"key", "text"} for c in by_type["ordering"]["items"])
    assert all(set(c) == {"key", "text"} for c in by_type["matching"]["left"] + by_type["matching"]["right"])
    assert "choices" not in by_type["numeric"] and "answer" not in by_type["numeric"]

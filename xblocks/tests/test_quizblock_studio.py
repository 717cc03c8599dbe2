"""studio_view: the quiz edited as fence YAML, validated by the shared model; the repository notice."""

from __future__ import annotations

import copy
import html
import re

import pytest
from quiz_testing import Course, as_staff, post, render, snapshot

from curriculum_quiz import scenarios
from curriculum_quiz.yaml_io import dump_quiz_yaml, load_quiz_yaml


def textarea(frag_html: str) -> str:
    return html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", frag_html, re.DOTALL).group(1))


def test_studio_view_shows_the_quiz_as_fence_yaml(course: Course):
    block = course.add(scenarios.MIXED)
    frag = block.studio_view()
    text = textarea(frag.content)
    assert text.startswith("id: ai-what-models-do-check\ntitle: Check your understanding\nmode: formative\n")
    assert "  pairs:\n  - [HIPAA, United States]\n" in text
    assert load_quiz_yaml(text) == scenarios.MIXED
    assert frag.js_init_fn == "CurriculumQuizStudio"
    assert "cq-source-notice" not in frag.content


def test_a_block_from_the_repository_names_lecture_and_version_and_warns(course: Course):
    block = course.add(scenarios.MIXED, lecture_id="ai-what-models-do", lecture_version="1.0.0", language="en")
    for content in (block.studio_view().content, render(block, "author_view").content):
        notice = re.search(r'<div class="cq-source-notice" role="note">(.*?)</div>', content).group(1)
        assert "lecture ai-what-models-do, version 1.0.0" in notice
        assert "The next course import replaces any changes made here in Studio" in notice
    zh = render(block, "studio_view", language="zh-tw").content
    assert "講次 ai-what-models-do，版本 1.0.0" in zh and "下次匯入課程時" in zh


def test_yaml_with_markup_is_escaped_in_the_editor(course: Course):
    quiz = copy.deepcopy(scenarios.MIXED)
    quiz["questions"][0]["prompt"] = "</textarea><script>alert(1)</script>"
    block = course.add(quiz)
    content = block.studio_view().content
    assert "<script>" not in content and "&lt;/textarea&gt;&lt;script&gt;" in content
    assert load_quiz_yaml(textarea(content)) == quiz


def test_saving_valid_yaml_replaces_the_quiz(course: Course):
    block = as_staff(course.add(scenarios.MIXED))
    edited = copy.deepcopy(scenarios.MIXED)
    edited["title"] = "Edited"
    edited["questions"] = edited["questions"][:2]
    status, reply = post(block, "studio_submit", {"yaml": dump_quiz_yaml(edited), "display_name": ""})
    assert status == 200 and reply == {"result": "success"}
    reloaded = course.as_learner(block, "learner-1")
    assert reloaded.quiz == edited and reloaded.display_name == "Edited" and reloaded.max_score() == 2


@pytest.mark.parametrize("text, expected", [
    ("id: x\nid: y\nquestions: []\n", "YAML: line 2, column 1: duplicate key 'id'"),
    ("id: x\nquestions: [\n", "YAML: line 3"),
    ("a: &a [1]\nb: *a\n", "aliases"),
    ("- just\n- a list\n", "quiz: a quiz must be a mapping, not a list [schema-type]"),
    ("id: Bad_Id\nquestions:\n- {id: q1, type: single, prompt: P, choices: [{text: A}, {text: B}]}\n",
     "id: id 'Bad_Id' must match"),
    ("id: x\nquestions:\n- {id: q1, type: single, prompt: P, choices: [{text: A}, {text: B}]}\n",
     "question 1 › choices: a single-answer question needs exactly one choice marked correct: true, has 0 "
     "[quiz-correct-count]"),
    ("id: x\nquestions:\n- {id: q1, type: numeric, prompt: P, answer: 1, tolerance: -1}\n",
     "question 1 › tolerance: tolerance must be a finite number ≥ 0 within the float range, not -1"),
])
def test_invalid_yaml_is_refused_with_the_models_messages(course: Course, text, expected):
    block = as_staff(course.add(scenarios.MIXED))
    before = snapshot(course)
    status, reply = post(block, "studio_submit", {"yaml": text})
    assert status == 400
    assert any(expected in problem for problem in reply.get("problems", [])) or expected in reply["error"], reply
    assert snapshot(course) == before


def test_the_editor_lists_problems_of_a_saved_invalid_quiz(course: Course):
    block = course.add({"id": "x", "questions": []})
    assert "quiz-empty" in block.studio_view().content


def test_studio_submit_refuses_malformed_requests(course: Course):
    block = as_staff(course.add(scenarios.MIXED))
    before = snapshot(course)
    assert post(block, "studio_submit", {"yaml": 5})[0] == 400
    assert post(block, "studio_submit", {"yaml": "id: x", "other": 1})[0] == 400
    assert post(block, "studio_submit", body=b"x" * (300 * 1024))[0] == 400
    assert post(block, "studio_submit", {"yaml": "a: " + "x" * (257 * 1024)})[0] == 400
    assert snapshot(course) == before

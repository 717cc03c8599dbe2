"""Security of the handlers: unencodable text, concurrent submissions, who may edit, numbers
outside the float range. Every refusal leaves the state as it was and publishes nothing."""

from __future__ import annotations

import copy

import pytest
from django.core.cache import cache
from quiz_testing import Course, LearnerService, as_staff, post, snapshot, submit

from curriculum_quiz import model, scenarios
from curriculum_quiz.yaml_io import dump_quiz_yaml


def one(question: dict, **settings) -> dict:
    return scenarios.quiz("security", "Security", [copy.deepcopy(question)], **settings)


# ----------------------------------------------------------------------------------------------
# Unencodable text


@pytest.mark.parametrize("body", [
    b'{"answers": {"q-fhir": "x\\ud800"}}',
    b'{"answers": {"q-fhir": "\\udfff"}}',
    b'{"answers": {"q-fhir": "FHIR \\ud83d"}}',
])
def test_a_lone_surrogate_is_a_400_with_no_attempt_and_no_event(course: Course, body: bytes):
    block = course.add(one(scenarios.TEXT, attempts=1))
    block.student_view()
    before = snapshot(course)
    status, reply = post(block, "submit", body=body)
    assert status == 400
    assert reply["error"] == "question 'q-fhir': the answer is not valid Unicode text"
    assert snapshot(course) == before and block.runtime.events == []
    # The one attempt is still there.
    status, reply = submit(course.as_learner(block, "learner-1"), {"q-fhir": "FHIR"})
    assert status == 200 and reply["score"] == 1 and reply["attempts_remaining"] == 0


def test_a_surrogate_in_a_question_id_or_key_is_refused_cleanly(course: Course):
    block = course.add(scenarios.MIXED)
    before = snapshot(course)
    status, reply = post(block, "submit", body=b'{"answers": {"q\\ud800": true}}')
    assert status == 400 and "unknown question id 'q\\ud800'" in reply["error"]
    status, reply = post(block, "submit", body=b'{"answers": {"q-generative": "k\\ud800"}}')
    assert status == 400 and "unknown choice key" in reply["error"]
    assert snapshot(course) == before and block.runtime.events == []


@pytest.mark.parametrize("field", ["yaml", "display_name", "language"])
def test_studio_submit_refuses_unencodable_text(course: Course, field: str):
    block = as_staff(course.add(scenarios.MIXED))
    before = snapshot(course)
    payload = {"yaml": dump_quiz_yaml(scenarios.MIXED), "display_name": "Quiz", "language": "en"}
    payload[field] = payload[field] + "\ud800"
    status, reply = post(block, "studio_submit", payload)
    assert status == 400 and f"'{field}' holds text that is not valid Unicode" in reply["error"]
    assert snapshot(course) == before


# ----------------------------------------------------------------------------------------------
# Concurrent submissions


def test_two_instances_loaded_before_either_saves_grant_one_attempt(course: Course):
    block = course.add(one(scenarios.TRUE_FALSE, attempts=1))
    usage = (block.scope_ids.def_id, block.scope_ids.usage_id)
    first, second = course.block(usage), course.block(usage)
    # Both requests have loaded the learner's state: no attempt used yet.
    assert first.attempts == 0 and second.attempts == 0
    assert "disabled" not in first.student_view().content and "disabled" not in second.student_view().content

    assert submit(first, {"q-tf": True})[0] == 200
    before, events = snapshot(course), list(block.runtime.events)
    status, reply = submit(second, {"q-tf": False})
    assert status == 403 and "No attempts remain" in reply["error"]
    assert snapshot(course) == before and block.runtime.events == events
    stored = course.block(usage)
    assert stored.attempts == 1 and stored.responses == {"q-tf": True} and len(stored.runtime.grades()) == 1


def test_a_submission_while_another_is_graded_is_refused(course: Course):
    block = course.add(one(scenarios.TRUE_FALSE, attempts=0))
    key = block._lock_key()
    assert cache.add(key, "another request", 10)  # another worker holds the lock
    try:
        before = snapshot(course)
        status, reply = submit(block, {"q-tf": False})
        assert status == 409 and "being graded" in reply["error"]
        assert snapshot(course) == before and block.runtime.events == []
    finally:
        cache.delete(key)
    assert submit(block, {"q-tf": False})[0] == 200
    # The lock is released after each submission, and is per learner.
    assert cache.get(key) is None
    assert course.as_learner(block, "learner-2")._lock_key() != key


def test_the_lock_is_released_when_a_submission_is_refused(course: Course):
    block = course.add(one(scenarios.TRUE_FALSE))
    assert submit(block, {"q-tf": "yes"})[0] == 400
    assert cache.get(block._lock_key()) is None
    assert submit(block, {"q-tf": True})[0] == 200


# ----------------------------------------------------------------------------------------------
# Who may edit


def test_studio_submit_refuses_a_learner(course: Course):
    block = course.add(scenarios.MIXED)
    before = snapshot(course)
    edited = {**scenarios.MIXED, "title": "Hijacked"}
    status, reply = post(block, "studio_submit", {"yaml": dump_quiz_yaml(edited)})
    assert status == 403 and reply["error"] == "only the course team may edit this quiz"
    assert snapshot(course) == before


def test_studio_submit_accepts_course_staff_by_role(course: Course):
    block = course.add(scenarios.MIXED)
    service = LearnerService("author-1", "anon-author-1")
    service._user.opt_attrs["edx-platform.user_role"] = "instructor"
    block.runtime._services["user"] = service
    edited = {**scenarios.MIXED, "title": "Edited"}
    assert post(block, "studio_submit", {"yaml": dump_quiz_yaml(edited)}) == (200, {"result": "success"})


class Permissions:
    """Studio's studio_user_permissions service (StudioPermissionsService)."""

    def __init__(self, writer: bool) -> None:
        self.writer = writer
        self.asked: list = []

    def can_write(self, course_key) -> bool:
        self.asked.append(course_key)
        return self.writer


class UsageKey(str):
    """A usage id with a course (context) key, as opaque-keys gives in Studio."""

    context_key = "course-v1:TSHS+CMIO101+2026"


@pytest.mark.parametrize("writer, status", [(True, 200), (False, 403)])
def test_in_studio_write_access_decides(course: Course, writer: bool, status: int):
    block = as_staff(course.add(scenarios.MIXED))  # even a staff flag does not override Studio's answer
    block.scope_ids = block.scope_ids._replace(usage_id=UsageKey(block.scope_ids.usage_id))
    permissions = Permissions(writer)
    block.runtime._services["studio_user_permissions"] = permissions
    assert post(block, "studio_submit", {"yaml": dump_quiz_yaml(scenarios.MIXED)})[0] == status
    assert permissions.asked == ["course-v1:TSHS+CMIO101+2026"]


# ----------------------------------------------------------------------------------------------
# Numbers outside the float range


HUGE = "1" + "0" * 400


@pytest.mark.parametrize("field, value, message", [
    ("answer", HUGE, "answer: a numeric answer must be a finite number within the float range, "
                     "not an integer of about 400 digits"),
    ("answer", ".inf", "answer: a numeric answer must be a finite number within the float range, not inf"),
    ("answer", ".nan", "answer: a numeric answer must be a finite number within the float range, not nan"),
    ("answer", "-.inf", "not -inf"),
    ("tolerance", HUGE, "tolerance: tolerance must be a finite number ≥ 0 within the float range, "
                        "not an integer of about 400 digits"),
    ("tolerance", ".inf", "tolerance must be a finite number ≥ 0 within the float range, not inf"),
    ("tolerance", ".nan", "not nan"),
])
def test_studio_submit_refuses_numbers_outside_the_float_range(course: Course, field, value, message):
    block = as_staff(course.add(scenarios.MIXED))
    before = snapshot(course)
    question = {"answer": "0.5", "tolerance": "0.1", field: value}
    text = (f"id: x\nquestions:\n- {{id: q1, type: numeric, prompt: P, answer: {question['answer']}, "
            f"tolerance: {question['tolerance']}}}\n")
    status, reply = post(block, "studio_submit", {"yaml": text})
    assert status == 400, reply
    assert any(message in problem for problem in reply["problems"]), reply
    assert snapshot(course) == before


@pytest.mark.parametrize("weight", ["inf", "nan", -1, 10 ** 400, "1e999", "heavy"])
def test_studio_submit_refuses_a_weight_that_is_not_a_finite_number(course: Course, weight):
    block = as_staff(course.add(scenarios.MIXED))
    before = snapshot(course)
    status, reply = post(block, "studio_submit", {"yaml": dump_quiz_yaml(scenarios.MIXED), "weight": weight})
    assert status == 400 and "'weight' must be" in reply["error"]
    assert snapshot(course) == before


def test_the_model_rejects_numbers_a_float_cannot_hold():
    base = {"id": "x", "questions": [{"id": "q", "type": "numeric", "prompt": "P", "answer": 1, "tolerance": 0}]}
    assert model.validate_quiz(base) == []
    for field, value in (("answer", 10 ** 400), ("answer", float("inf")), ("answer", float("nan")),
                         ("tolerance", 10 ** 400), ("tolerance", float("inf")), ("tolerance", -(10 ** 400))):
        quiz = copy.deepcopy(base)
        quiz["questions"][0][field] = value
        problems = model.validate_quiz(quiz)  # no OverflowError
        assert [p.path for p in problems] == [("questions", 0, field)], (field, value)
    assert model.is_number(10 ** 300) and not model.is_number(10 ** 400) and not model.is_number(True)

"""Malformed requests get a 4xx with a clear message, and change nothing: no state, no attempt, no event."""

from __future__ import annotations

import json

import pytest
from quiz_testing import Course, key_of, post, snapshot, submit

from curriculum_quiz import scenarios


@pytest.fixture
def block(course: Course):
    block = course.add(scenarios.MIXED)
    block.student_view()  # the learner has seen the quiz
    return block


def k(block, qid, kind, text):
    return key_of(block, qid, kind, text)


ONE = "A sepsis early-warning score"
LEFT, RIGHT = "HIPAA", "United States"
MRN = "Medical record number"

# name: (builder of the raw body or payload, expected fragment of the error message)
BODIES = {
    "not JSON": (lambda b: b"answers=1", "not valid JSON"),
    "not UTF-8": (lambda b: b'{"answers": {"q-fhir": "\xff"}}', "not UTF-8"),
    "truncated JSON": (lambda b: b'{"answers": {', "not valid JSON"),
    "a JSON array": (lambda b: b"[]", "must be a JSON object"),
    "a JSON string": (lambda b: b'"answers"', "must be a JSON object"),
    "JSON null": (lambda b: b"null", "must be a JSON object"),
    "empty body": (lambda b: b"", "not valid JSON"),
    "numeric: an overflowing number": (lambda b: b'{"answers": {"q-ppv": 1e999}}', "finite"),
    "NaN literal": (lambda b: b'{"answers": {"q-ppv": NaN}}', "not a number"),
    "duplicate keys": (lambda b: b'{"answers": {"q-tf": true, "q-tf": false}}', "duplicate key"),
    "deeply nested": (lambda b: b'{"answers": {"q-steps": ' + b"[" * 20000 + b"]" * 20000 + b"}}", "not valid JSON"),
    "over 64 KB": (lambda b: json.dumps({"answers": {"q-fhir": "x" * (65 * 1024)}}).encode(), "larger than 64 KB"),
}
PAYLOADS = {
    "no answers field": (lambda b: {}, "'answers'"),
    "an unknown top-level field": (lambda b: {"answers": {"q-tf": True}, "attempt": 3}, "unknown field"),
    "answers not an object": (lambda b: {"answers": [True]}, "'answers' must be an object"),
    "no answer at all": (lambda b: {"answers": {}}, "Answer at least one question"),
    "only nulls": (lambda b: {"answers": {"q-tf": None}}, "Answer at least one question"),
    "unknown question id": (lambda b: {"answers": {"q-nope": True}}, "unknown question id 'q-nope'"),
    "single: unknown key": (lambda b: {"answers": {"q-generative": "k0000000000000000"}}, "unknown choice key"),
    "single: an index": (lambda b: {"answers": {"q-generative": 1}}, "expected a choice key"),
    "single: a list": (lambda b: {"answers": {"q-generative": [k(b, "q-generative", "choices", ONE)]}},
                       "expected a choice key"),
    "single: another question's key": (lambda b: {"answers": {"q-generative": k(b, "q-phi", "choices",
                                                                                 "Medical record number")}},
                                       "unknown choice key"),
    "multiple: a key, not a list": (lambda b: {"answers": {"q-phi": k(b, "q-phi", "choices", "Medical record number")}},
                                    "expected a list of choice keys"),
    "multiple: repeated key": (lambda b: {"answers": {"q-phi": [k(b, "q-phi", "choices", MRN)] * 2}},
                               "more than once"),
    "multiple: unknown key": (lambda b: {"answers": {"q-phi": ["kffffffffffffffff"]}}, "unknown choice key"),
    "true-false: a string": (lambda b: {"answers": {"q-tf": "false"}}, "expected true or false"),
    "true-false: a number": (lambda b: {"answers": {"q-tf": 0}}, "expected true or false"),
    "numeric: a string": (lambda b: {"answers": {"q-ppv": "0.33"}}, "expected a number"),
    "numeric: a boolean": (lambda b: {"answers": {"q-ppv": True}}, "expected a number"),
    "numeric: too large an integer": (lambda b: {"answers": {"q-ppv": 10 ** 400}}, "finite"),
    "text: a number": (lambda b: {"answers": {"q-fhir": 42}}, "expected text"),
    "text: too long": (lambda b: {"answers": {"q-fhir": "x" * 1001}}, "longer than 1000"),
    "ordering: not a list": (lambda b: {"answers": {"q-steps": "Limited pilot"}}, "expected a list of item keys"),
    "ordering: an item missing": (lambda b: {"answers": {"q-steps": [k(b, "q-steps", "items", "Limited pilot")]}},
                                  "every one of the 4 items"),
    "ordering: an item twice": (lambda b: {"answers": {"q-steps": [k(b, "q-steps", "items", t) for t in (
        "Limited pilot", "Limited pilot", "Full deployment", "Monitoring")]}}, "every one of the 4 items"),
    "ordering: unknown key": (lambda b: {"answers": {"q-steps": ["kx"]}}, "unknown item key"),
    "matching: a list": (lambda b: {"answers": {"q-laws": [k(b, "q-laws", "right", RIGHT)]}}, "expected an object"),
    "matching: unknown left": (lambda b: {"answers": {"q-laws": {"kx": k(b, "q-laws", "right", RIGHT)}}},
                               "unknown left-hand key"),
    "matching: unknown right": (lambda b: {"answers": {"q-laws": {k(b, "q-laws", "left", LEFT): "kx"}}},
                                "unknown right-hand key"),
    "matching: a left key as right": (lambda b: {"answers": {"q-laws": {k(b, "q-laws", "left", LEFT):
                                                                        k(b, "q-laws", "left", LEFT)}}},
                                      "unknown right-hand key"),
    "matching: right not text": (lambda b: {"answers": {"q-laws": {k(b, "q-laws", "left", LEFT): 0}}},
                                 "expected a right-hand key"),
    "one bad answer among good ones": (lambda b: {"answers": {"q-tf": False, "q-ppv": 0.33, "q-fhir": ["FHIR"]}},
                                       "question 'q-fhir': expected text"),
}


def assert_refused_without_change(course, block, status, reply, message, code=400):
    assert status == code, reply
    assert message in reply["error"]
    assert block.runtime.events == []


@pytest.mark.parametrize("name", list(BODIES))
def test_malformed_bodies_are_refused_with_state_unchanged(course: Course, block, name):
    make, message = BODIES[name]
    before = snapshot(course)
    status, reply = post(block, "submit", body=make(block))
    assert_refused_without_change(course, block, status, reply, message)
    assert snapshot(course) == before


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_malformed_payloads_are_refused_with_state_unchanged(course: Course, block, name):
    make, message = PAYLOADS[name]
    payload = make(block)
    before = snapshot(course)
    status, reply = post(block, "submit", payload)
    assert_refused_without_change(course, block, status, reply, message)
    assert snapshot(course) == before
    assert course.as_learner(block, "learner-1").attempts == 0


def test_a_declared_length_over_the_limit_is_refused_unread(course: Course, block):
    from webob import Request

    request = Request.blank("/", method="POST", body=b'{"answers": {"q-tf": true}}')
    request.content_length = 65 * 1024
    before = snapshot(course)
    response = block.runtime.handle(block, "submit", request)
    assert response.status_code == 400 and "64 KB" in response.json["error"]
    assert snapshot(course) == before


def test_only_post_is_accepted(course: Course, block):
    before = snapshot(course)
    status, reply = post(block, "submit", method="GET")
    assert status == 405 and reply["error"] == "use POST"
    assert snapshot(course) == before


def test_a_refused_submission_after_a_good_one_keeps_the_good_state(course: Course, block):
    assert submit(block, {"q-tf": False})[0] == 200
    events = list(block.runtime.events)
    before = snapshot(course)
    status, reply = submit(block, {"q-tf": "yes"})
    assert status == 400
    assert snapshot(course) == before and block.runtime.events == events
    assert course.as_learner(block, "learner-1").responses == {"q-tf": False}


@pytest.mark.parametrize("payload, status, message", [
    ({"question_id": "q-nope"}, 400, "unknown question id"),
    ({"question_id": 3}, 400, "unknown question id"),
    ({}, 400, "unknown question id"),
    ({"question_id": "q-tf"}, 404, "has no hint"),
    ({"question_id": "q-ppv", "more": 1}, 400, "unknown field"),
])
def test_malformed_hint_requests(course: Course, block, payload, status, message):
    before = snapshot(course)
    got, reply = post(block, "hint", payload)
    assert got == status and message in reply["error"]
    assert snapshot(course) == before


def test_hint_refuses_non_json(course: Course, block):
    status, reply = post(block, "hint", body=b"question_id=q-ppv")
    assert status == 400 and "not valid JSON" in reply["error"]

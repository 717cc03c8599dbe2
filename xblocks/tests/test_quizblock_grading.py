"""submit: grading of every type, grade and completion events, attempts, show-answer policy, rescoring."""

from __future__ import annotations

import copy

import pytest
from quiz_testing import Course, key_of, question_data, snapshot, submit

from curriculum_quiz import scenarios


def one_question_quiz(question: dict, **settings) -> dict:
    return scenarios.quiz(f"quiz-{question['type']}", "One question", [copy.deepcopy(question)], **settings)


def choice_keys(block, qid: str, texts: list[str]) -> list[str]:
    return [key_of(block, qid, "choices", t) for t in texts]


def item_keys(block, qid: str, texts: list[str]) -> list[str]:
    return [key_of(block, qid, "items", t) for t in texts]


def matches(block, qid: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {key_of(block, qid, "left", left): key_of(block, qid, "right", right) for left, right in pairs}


REVERSED_STEPS = list(reversed(scenarios.ORDERING["items"]))
RIGHT_PAIRS = [(left, right) for left, right in scenarios.MATCHING["pairs"]]

# Per type: (question, a function building the response from the block, expected score).
CASES = {
    "single right": (scenarios.SINGLE, lambda b: key_of(b, "q-generative", "choices",
                                                         "A large language model drafting discharge summaries"), 1.0),
    "single wrong": (scenarios.SINGLE, lambda b: key_of(b, "q-generative", "choices",
                                                         "A sepsis early-warning score"), 0.0),
    "multiple right": (scenarios.MULTIPLE, lambda b: choice_keys(b, "q-phi", ["Full-face photograph",
                                                                             "Medical record number"]), 1.0),
    "multiple partial": (scenarios.MULTIPLE, lambda b: choice_keys(b, "q-phi", ["Medical record number"]), 0.5),
    "multiple partial with a wrong pick": (scenarios.MULTIPLE, lambda b: choice_keys(
        b, "q-phi", ["Medical record number", "Full-face photograph", "Year of birth of a 40-year-old"]), 0.5),
    "multiple wrong": (scenarios.MULTIPLE, lambda b: choice_keys(b, "q-phi", ["Year of birth of a 40-year-old"]), 0.0),
    "true-false right": (scenarios.TRUE_FALSE, lambda b: False, 1.0),
    "true-false wrong": (scenarios.TRUE_FALSE, lambda b: True, 0.0),
    "numeric right": (scenarios.NUMERIC, lambda b: 0.33, 1.0),
    "numeric within tolerance": (scenarios.NUMERIC, lambda b: 0.335, 1.0),
    "numeric integer outside tolerance": (scenarios.NUMERIC, lambda b: 1, 0.0),
    "numeric wrong": (scenarios.NUMERIC, lambda b: 0.35, 0.0),
    "text right": (scenarios.TEXT, lambda b: "FHIR", 1.0),
    "text right ignoring case and spaces": (scenarios.TEXT, lambda b: "  hl7   fhir ", 1.0),
    "text wrong": (scenarios.TEXT, lambda b: "CDA", 0.0),
    "ordering right": (scenarios.ORDERING, lambda b: item_keys(b, "q-steps", scenarios.ORDERING["items"]), 1.0),
    "ordering partial": (scenarios.ORDERING, lambda b: item_keys(
        b, "q-steps", ["Silent-mode evaluation", "Limited pilot", "Monitoring", "Full deployment"]), 0.5),
    "ordering wrong": (scenarios.ORDERING, lambda b: item_keys(b, "q-steps", REVERSED_STEPS), 0.0),
    "matching right": (scenarios.MATCHING, lambda b: matches(b, "q-laws", RIGHT_PAIRS), 1.0),
    "matching partial": (scenarios.MATCHING, lambda b: matches(b, "q-laws", [
        ("HIPAA", "United States"), ("Personal Data Protection Act", "European Union"), ("GDPR", "Taiwan")]), 1 / 3),
    "matching partial, one left unmatched": (scenarios.MATCHING, lambda b: matches(b, "q-laws", [
        ("HIPAA", "United States"), ("GDPR", "European Union")]), 2 / 3),
    "matching wrong": (scenarios.MATCHING, lambda b: matches(b, "q-laws", [
        ("HIPAA", "Taiwan"), ("Personal Data Protection Act", "European Union"), ("GDPR", "United States")]), 0.0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_type_right_wrong_and_partial_publishes_the_raw_grade(course: Course, case: str):
    question, response, expected = CASES[case]
    block = course.add(one_question_quiz(question))
    status, reply = submit(block, {question["id"]: response(block)})
    assert status == 200, reply
    grades = block.runtime.grades()
    assert len(grades) == 1
    assert grades[0]["value"] == pytest.approx(expected)
    assert grades[0]["max_value"] == 1
    outcome = reply["questions"][question["id"]]
    assert outcome["score"] == pytest.approx(expected)
    assert outcome["correct"] is (expected == 1.0)
    assert reply["score"] == pytest.approx(expected) and reply["max_score"] == 1
    assert ("completion", {"completion": 1.0}) in block.runtime.events
    assert block.get_score().raw_earned == pytest.approx(expected)


def test_a_whole_quiz_scores_the_sum_of_its_questions(course: Course):
    block = course.add(scenarios.MIXED)
    answers = {qid: CASES[case][1](block) for qid, case in [
        ("q-generative", "single right"), ("q-phi", "multiple partial"), ("q-tf", "true-false wrong"),
        ("q-ppv", "numeric right"), ("q-fhir", "text wrong"), ("q-steps", "ordering partial")]}
    # q-laws is left unanswered.
    status, reply = submit(block, answers)
    assert status == 200
    assert block.runtime.grades() == [{"value": pytest.approx(3.0), "max_value": 7, "only_if_higher": None}]
    assert reply["questions"]["q-laws"] == {"answered": False, "correct": False, "score": 0.0, "feedback": []}
    assert block.max_score() == 7
    assert block.has_submitted_answer() and block.completed


def test_the_reply_gives_feedback_on_the_learners_own_choices_only(course: Course):
    block = course.add(one_question_quiz(scenarios.MULTIPLE))
    status, reply = submit(block, {"q-phi": choice_keys(block, "q-phi", ["Year of birth of a 40-year-old"])})
    outcome = reply["questions"]["q-phi"]
    assert outcome["feedback"] == ["<p>Years alone may stay (ages under 90).</p>"]
    assert "answer" not in outcome and "explanation" not in outcome

    block = course.add(one_question_quiz(scenarios.NUMERIC))
    status, reply = submit(block, {"q-ppv": 0.5})
    assert reply["questions"]["q-ppv"]["feedback"] == ["<p>Compute true positives over all positives.</p>"]


def test_attempts_are_enforced_and_a_refusal_changes_nothing(course: Course):
    block = course.add(one_question_quiz(scenarios.TRUE_FALSE, attempts=2))
    assert submit(block, {"q-tf": True})[0] == 200
    status, reply = submit(block, {"q-tf": True})
    assert status == 200 and reply["attempts_remaining"] == 0 and reply["finished"]
    before, events = snapshot(course), list(block.runtime.events)

    status, reply = submit(block, {"q-tf": False})
    assert status == 403
    assert "No attempts remain" in reply["error"]
    assert snapshot(course) == before and block.runtime.events == events
    fresh = course.as_learner(block, "learner-1")
    assert fresh.attempts == 2 and fresh.responses == {"q-tf": True}
    assert "disabled" in fresh.student_view().content

    # Another learner still has their own attempts.
    assert submit(course.as_learner(block, "learner-2"), {"q-tf": False})[0] == 200


def test_unlimited_attempts(course: Course):
    block = course.add(one_question_quiz(scenarios.TRUE_FALSE, attempts=0))
    for _ in range(5):
        status, reply = submit(block, {"q-tf": True})
        assert status == 200
    assert reply["attempts_used"] == 5 and reply["attempts_remaining"] is None


@pytest.mark.parametrize("policy, attempts, answers, revealed", [
    ("finished", 2, [True], [False]),
    ("finished", 2, [True, True], [False, True]),
    ("finished", 2, [False], [True]),
    ("finished", 0, [True, True, False], [False, False, True]),
    ("attempted", 3, [True], [True]),
    ("always", 3, [True], [True]),
    ("never", 1, [True], [False]),
    ("never", 2, [False], [False]),
])
def test_show_answer_policy(course: Course, policy, attempts, answers, revealed):
    quiz = one_question_quiz(scenarios.TRUE_FALSE, attempts=attempts)
    if policy != "finished":
        quiz["show_answer"] = policy
    block = course.add(quiz)
    for answer, reveal in zip(answers, revealed):
        status, reply = submit(block, {"q-tf": answer})
        assert status == 200
        outcome = reply["questions"]["q-tf"]
        assert reply["answers_revealed"] is reveal
        assert ("answer" in outcome) is reveal and ("explanation" in outcome) is reveal
        if reveal:
            assert outcome["answer"] is False
            assert "predicting" in outcome["explanation"]
    # Reloading shows the same result.
    assert course.as_learner(block, "learner-1").student_view().json_init_args["result"] == reply


def test_revealed_answers_use_the_keys_submitted_with(course: Course):
    quiz = scenarios.quiz("reveal", "Reveal", copy.deepcopy(scenarios.QUESTIONS), show_answer="always")
    block = course.add(quiz)
    status, reply = submit(block, {"q-tf": True}, keys="block")
    answers = {qid: outcome["answer"] for qid, outcome in reply["questions"].items()}
    assert answers["q-generative"] == key_of(block, "q-generative", "choices",
                                             "A large language model drafting discharge summaries")
    assert sorted(answers["q-phi"]) == sorted(choice_keys(block, "q-phi", ["Medical record number",
                                                                           "Full-face photograph"]))
    assert answers["q-tf"] is False
    assert answers["q-ppv"] == {"value": 0.33, "tolerance": 0.01}
    assert answers["q-fhir"] == ["FHIR", "HL7 FHIR"]
    assert answers["q-steps"] == item_keys(block, "q-steps", scenarios.ORDERING["items"])
    assert answers["q-laws"] == matches(block, "q-laws", [tuple(p) for p in scenarios.MATCHING["pairs"]])


def test_rescoring_after_an_answer_key_change(course: Course):
    quiz = one_question_quiz(scenarios.SINGLE)
    block = course.add(quiz)
    picked = key_of(block, "q-generative", "choices", "A sepsis early-warning score")
    assert submit(block, {"q-generative": picked})[0] == 200
    assert block.get_score().raw_earned == 0

    # The author finds the key was wrong: the early-warning score is the intended answer.
    corrected = copy.deepcopy(quiz)
    for choice in corrected["questions"][0]["choices"]:
        choice["correct"] = choice["text"] == "A sepsis early-warning score"
    block.quiz = corrected
    block.save()

    learner_block = course.as_learner(block, "learner-1")
    assert learner_block.calculate_score().raw_earned == 1.0
    learner_block.rescore(only_if_higher=False)
    learner_block.save()
    assert learner_block.runtime.grades()[-1] == {"value": 1.0, "max_value": 1.0, "only_if_higher": False}
    reloaded = course.as_learner(block, "learner-1")
    assert reloaded.get_score().raw_earned == 1.0 and reloaded.scores == {"q-generative": 1.0}
    assert reloaded.attempts == 1  # rescoring uses no attempt

    # Back to the original key, rescoring only if higher keeps the better stored score.
    block.quiz = quiz
    block.save()
    again = course.as_learner(block, "learner-1")
    again.rescore(only_if_higher=True)
    again.save()
    assert again.runtime.grades()[-1] == {"value": 0.0, "max_value": 1.0, "only_if_higher": True}
    assert course.as_learner(block, "learner-1").get_score().raw_earned == 1.0


def test_rescoring_counts_a_response_that_no_longer_fits_as_wrong(course: Course):
    quiz = one_question_quiz(scenarios.SINGLE)
    block = course.add(quiz)
    last = key_of(block, "q-generative", "choices", "A readmission risk model")
    submit(block, {"q-generative": last})
    shorter = copy.deepcopy(quiz)
    del shorter["questions"][0]["choices"][2]
    block.quiz = shorter
    block.save()
    learner_block = course.as_learner(block, "learner-1")
    learner_block.rescore(only_if_higher=False)
    assert learner_block.runtime.grades()[-1]["value"] == 0.0
    assert learner_block.student_view().json_init_args["result"]["questions"]["q-generative"]["answered"] is False


def test_rescoring_an_unanswered_problem_is_refused(course: Course):
    block = course.add(one_question_quiz(scenarios.SINGLE))
    with pytest.raises(ValueError):
        block.rescore(only_if_higher=False)
    assert block.runtime.grades() == []


def test_hint_on_demand(course: Course):
    from quiz_testing import post

    block = course.add(scenarios.MIXED)
    status, reply = post(block, "hint", {"question_id": "q-ppv"})
    assert status == 200 and reply == {"question_id": "q-ppv", "hint": "<p>PPV = TP / (TP + FP).</p>"}
    assert post(block, "hint", {"question_id": "q-tf"})[0] == 404
    assert question_data(block, "q-ppv")["has_hint"] is True

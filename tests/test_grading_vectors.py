"""The shared grading vectors hold for the Python quiz model.

tests/site/test_quiz_widget.py runs the same vectors through the site's JavaScript grader.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curriculum_quiz import model

VECTORS_FILE = Path(__file__).parent / "vectors" / "grading.json"
DATA = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS = DATA["vectors"]
INVALID = DATA["invalid"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_score(vector: dict) -> None:
    assert model.grade(vector["question"], vector["response"]) == vector["score"]


@pytest.mark.parametrize("vector", INVALID, ids=[v["name"] for v in INVALID])
def test_invalid_response_is_rejected(vector: dict) -> None:
    assert model.response_problem(vector["question"], vector["response"])
    with pytest.raises(ValueError):
        model.grade(vector["question"], vector["response"])


def test_vector_questions_are_valid() -> None:
    questions = {json.dumps(v["question"], sort_keys=True): v["question"] for v in VECTORS + INVALID}
    for question in questions.values():
        assert model.validate_quiz({"id": "vectors", "questions": [question]}) == [], question["id"]


def test_names_are_unique() -> None:
    names = [v["name"] for v in VECTORS + INVALID]
    assert len(names) == len(set(names))


def test_every_type_has_right_wrong_and_partial_vectors() -> None:
    by_type: dict[str, set[str]] = {t: set() for t in model.QUESTION_TYPES}
    for v in VECTORS:
        score = v["score"]
        by_type[v["question"]["type"]].add("right" if score == 1 else "wrong" if score == 0 else "partial")
    for qtype, kinds in by_type.items():
        assert {"right", "wrong"} <= kinds, qtype
    for qtype in ("multiple", "ordering", "matching"):
        assert "partial" in by_type[qtype], qtype


def test_edge_cases_are_covered() -> None:
    names = " ".join(v["name"] for v in VECTORS)
    for needed in ("floors at zero", "unanswered", "tolerance edge", "full-width", "lower case", "spaces"):
        assert needed in names, needed
    # a matching vector with an unanswered left item that still scores partially
    assert any(v["question"]["type"] == "matching" and None in v["response"] and 0 < v["score"] < 1 for v in VECTORS)
    # a multiple vector whose wrong picks would go below zero
    assert any(v["question"]["type"] == "multiple" and v["score"] == 0
               and any(not v["question"]["choices"][i].get("correct") for i in v["response"])
               and any(v["question"]["choices"][i].get("correct") for i in v["response"]) for v in VECTORS)

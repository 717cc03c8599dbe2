"""CONTRIBUTING.md teaches the quiz syntax by example; the example must be a valid quiz."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from curriculum_quiz import model

REPO = Path(__file__).parent.parent


def test_the_quiz_example_is_valid_and_shows_every_type():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```quiz\n(.*?)^```", text, re.S | re.M)
    assert len(fences) == 1
    quiz = yaml.safe_load(fences[0])
    assert model.validate_quiz(quiz) == []
    assert {q["type"] for q in quiz["questions"]} == set(model.QUESTION_TYPES)

"""Every flag with an example that raises it and one that does not, on the practice quiz.

The practice quiz has four single-choice questions p-1..p-4 with keys 1, 2, 3, 1. Each case gives
learner i the scores of p-2..p-4 from a fixed ladder (stronger learners get more right) and sets
p-1's picks to shape the statistic under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cohort import FIXTURE, Cohort, Item, rows_for, write_report

from curriculum.analyze import analyze
from curriculum.checks import check
from curriculum.diagnostics import Report

ITEMS = [Item("p-1", 1, 0, key=0), Item("p-2", 1, 0, key=1), Item("p-3", 1, 0, key=2), Item("p-4", 1, 0, key=0)]
QUIZ, LECTURE, VERSION = "ai-practice-check", "ai-practice", "2.0.0"


@pytest.fixture(scope="module")
def curriculum():
    model = check(FIXTURE, Report())
    assert model is not None
    return model


def ladder(n: int) -> np.ndarray:
    """p-2..p-4 for n learners: learner i is right on a question once i passes its threshold."""
    i = np.arange(n)[:, None]
    return (i >= np.array([n // 4, n // 2, 3 * n // 4])).astype(float)


def cohort(p1_picks: list[int]) -> Cohort:
    """A cohort whose p-1 picks are given (0-based choices); p-2..p-4 follow the ladder."""
    n = len(p1_picks)
    rest = ladder(n)
    scores = np.column_stack([[1.0 if p == 0 else 0.0 for p in p1_picks], rest])
    choices = {"p-1": [(p,) for p in p1_picks]}
    for j, item in enumerate(ITEMS[1:], start=1):
        choices[item.id] = [(item.key,) if scores[i, j] else ((item.key + 1) % 4,) for i in range(n)]
    return Cohort([f"learner{i:02d}" for i in range(n)], scores, choices)


def run(curriculum, tmp_path: Path, p1_picks: list[int], versions: dict[str, str] | None = None):
    data = cohort(p1_picks)
    path = write_report(tmp_path / "report.csv", rows_for(data, ITEMS, QUIZ, LECTURE, VERSION, versions))
    result = analyze(curriculum, [path])
    quiz = result.quizzes[0]
    return {q.id: q for q in quiz.questions}, result.findings, quiz


def p1_flags(curriculum, tmp_path: Path, picks: list[int]) -> list[str]:
    questions, _, _ = run(curriculum, tmp_path, picks)
    return questions["p-1"].flags


def spread(n: int, right: set[int], wrong_choices=(1, 2, 3)) -> list[int]:
    """p-1 picks: learners in `right` pick the key, the others cycle through the distractors."""
    return [0 if i in right else wrong_choices[i % len(wrong_choices)] for i in range(n)]


def test_too_easy(curriculum, tmp_path):
    assert "item-too-easy" in p1_flags(curriculum, tmp_path, spread(20, set(range(1, 20))))  # 0.95
    assert "item-too-easy" not in p1_flags(curriculum, tmp_path, spread(20, set(range(3, 20))))  # 0.85
    assert p1_flags(curriculum, tmp_path, [0] * 9) == []  # 1.00, but only nine learners


def test_too_hard(curriculum, tmp_path):
    assert "item-too-hard" in p1_flags(curriculum, tmp_path, spread(20, set(range(15, 20))))  # 0.25
    assert "item-too-hard" not in p1_flags(curriculum, tmp_path, spread(20, set(range(12, 20))))  # 0.40


def test_negative_discrimination(curriculum, tmp_path):
    questions, findings, _ = run(curriculum, tmp_path, spread(20, set(range(10))))  # the weaker half is right
    assert questions["p-1"].discrimination < 0
    assert "item-negative-discrimination" in questions["p-1"].flags
    assert "item-low-discrimination" not in questions["p-1"].flags
    assert any(f.rule == "item-negative-discrimination" and "p-1" in f.message for f in findings)
    questions, _, _ = run(curriculum, tmp_path, spread(20, set(range(8, 20))))
    assert questions["p-1"].discrimination > 0.5
    assert questions["p-1"].flags == []


def test_low_discrimination(curriculum, tmp_path):
    questions, _, _ = run(curriculum, tmp_path, spread(20, {i for i in range(20) if i % 2}))
    assert 0 <= questions["p-1"].discrimination < 0.15
    assert "item-low-discrimination" in questions["p-1"].flags
    questions, _, _ = run(curriculum, tmp_path, spread(20, set(range(6, 20))))
    assert questions["p-1"].discrimination >= 0.15
    assert "item-low-discrimination" not in questions["p-1"].flags


def test_distractor_unused(curriculum, tmp_path):
    # 40 learners: choice 4 picked by one (2.5 %) → flagged; by four (10 %) → not.
    picks = [0] * 20 + [1, 2] * 9 + [1, 3]
    questions, findings, _ = run(curriculum, tmp_path, picks)
    assert [c.share for c in questions["p-1"].choices][3] == pytest.approx(1 / 40)
    assert "item-distractor-unused" in questions["p-1"].flags
    assert any(f.rule == "item-distractor-unused" and "choice 4" in f.message for f in findings)
    picks = [0] * 20 + [1, 2] * 8 + [3] * 4
    assert "item-distractor-unused" not in p1_flags(curriculum, tmp_path, picks)
    # under twenty learners the shares are too coarse to judge
    assert "item-distractor-unused" not in p1_flags(curriculum, tmp_path, [0] * 10 + [1, 2] * 4 + [1])


def test_distractor_upper(curriculum, tmp_path):
    # The strongest five (by total) pick distractor 2 on p-1, the weakest pick distractor 3.
    picks = [2] * 5 + [0] * 10 + [1] * 5
    questions, _, _ = run(curriculum, tmp_path, picks)
    choice2 = questions["p-1"].choices[1]
    assert choice2.upper > choice2.lower
    assert "item-distractor-upper" in questions["p-1"].flags
    picks = [1] * 5 + [0] * 10 + [0] * 5
    assert "item-distractor-upper" not in p1_flags(curriculum, tmp_path, picks)


def test_version_mismatch_once_per_quiz(curriculum, tmp_path):
    picks = spread(20, set(range(6, 20)))
    old = {f"learner{i:02d}": "1.9.0" for i in range(12)}
    _, findings, quiz = run(curriculum, tmp_path, picks, versions=old)
    mismatch = [f for f in findings if f.rule == "item-version-mismatch"]
    assert len(mismatch) == 1
    assert mismatch[0].line == quiz.line and "48 response(s) to version 1.9.0" in mismatch[0].message  # 12 learners × 4 questions
    _, findings, _ = run(curriculum, tmp_path, picks)
    assert not [f for f in findings if f.rule == "item-version-mismatch"]
    _, findings, _ = run(curriculum, tmp_path, picks[:9], versions=old)
    assert not [f for f in findings if f.rule == "item-version-mismatch"]  # nine learners: no flags


def test_no_flags_below_ten_learners(curriculum, tmp_path):
    questions, findings, _ = run(curriculum, tmp_path, [3, 3, 3, 0, 0, 0, 0, 0, 2])  # negative, hard-ish
    assert findings == [] and all(q.flags == [] for q in questions.values())

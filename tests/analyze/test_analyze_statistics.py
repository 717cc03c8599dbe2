"""The simulated cohort's statistics against an independent numpy computation, and its flags."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from cohort import EXAM_ITEMS, FIXTURE, other_block_rows, rows_for, simulate, write_report

from curriculum.cli import main


@pytest.fixture(scope="module")
def cohort():
    return simulate()


@pytest.fixture(scope="module")
def analysed(cohort, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("lms")
    rows = rows_for(cohort, EXAM_ITEMS)
    half = len(rows) // 2
    # The LMS writes one report per requested block; a course's rows may come in several files.
    first = write_report(folder / "TSHS_COHORT101_2026_student_state_from_block-v1_a.csv",
                         other_block_rows(cohort.usernames[:5]) + rows[:half])
    second = write_report(folder / "TSHS_COHORT101_2026_student_state_from_block-v1_b.csv", rows[half:])
    return _run_json([str(first), str(second)])


def _run_json(inputs: list[str]) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["analyze", *inputs, "--root", str(FIXTURE), "--format", "json"])
    assert code == 0
    return json.loads(out.getvalue())


def _source_line(question_id: str) -> int:
    lines = (FIXTURE / "lectures/ai/ai-exam.md").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.strip() == f"- id: {question_id}")


def _question(analysed: dict, question_id: str) -> dict:
    quiz = analysed["quizzes"][0]
    return next(q for q in quiz["questions"] if q["question"] == question_id)


def test_quiz_figures_match_numpy(cohort, analysed):
    x = cohort.scores
    quiz = analysed["quizzes"][0]
    assert (quiz["quiz"], quiz["file"], quiz["learners"]) == ("ai-exam-final", "lectures/ai/ai-exam.md", 300)
    total = x.sum(axis=1)
    assert quiz["mean"] == pytest.approx(np.mean(total))
    assert quiz["sd"] == pytest.approx(np.std(total, ddof=1))
    cov = np.cov(x, rowvar=False)  # alpha from the covariance matrix: k/(k−1)·(1 − tr C / ΣC)
    k = x.shape[1]
    assert quiz["alpha"] == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))
    assert 0.5 < quiz["alpha"] < 0.95  # a plausible 2PL test of eleven items


def test_question_figures_match_numpy(cohort, analysed):
    x = cohort.scores
    n = x.shape[0]
    total = x.sum(axis=1)
    k = math.floor(0.27 * n + 0.5)
    ranked = sorted(range(n), key=lambda i: (total[i], i))  # ties in learner order
    lower, upper = ranked[:k], ranked[-k:]
    for j, item in enumerate(EXAM_ITEMS):
        q = _question(analysed, item.id)
        assert q["n"] == n
        assert q["line"] == _source_line(item.id)
        assert q["difficulty"] == pytest.approx(x[:, j].mean())
        assert q["discrimination"] == pytest.approx(np.corrcoef(x[:, j], total - x[:, j])[0, 1])
        assert q["upper_lower"] == pytest.approx(x[upper, j].mean() - x[lower, j].mean())
        if item.kind == "numeric":
            assert q["choices"] == []
            continue
        picks = cohort.choices[item.id]
        for choice in q["choices"]:
            c = choice["index"] - 1
            assert choice["share"] == pytest.approx(sum(1 for p in picks if c in p) / n)
        keyed = [c["index"] for c in q["choices"] if c["correct"]]
        assert keyed == ([item.key + 1] if item.kind == "single" else [1, 3])


def test_cohort_flags(analysed):
    flags = {q["question"]: q["flags"] for q in analysed["quizzes"][0]["questions"]}
    assert "item-too-easy" in flags["q-easy"]
    assert "item-negative-discrimination" in flags["q-wrongkey"]
    assert "item-distractor-upper" in flags["q-wrongkey"]  # strong learners pick the real answer
    assert flags["q-unused"] == ["item-distractor-unused"]
    for good in ("q-a", "q-b", "q-c", "q-f", "q-multi"):
        assert flags[good] == [], good
    rules = {(f["rule"], f["line"]) for f in analysed["findings"]}
    assert ("item-too-easy", _source_line("q-easy")) in rules
    assert ("item-negative-discrimination", _source_line("q-wrongkey")) in rules
    assert all(f["path"] == "lectures/ai/ai-exam.md" and f["severity"] == "warning" for f in analysed["findings"])


def test_text_output_is_findings_at_source_lines(cohort, tmp_path: Path, capsys):
    report = write_report(tmp_path / "responses.csv", rows_for(cohort, EXAM_ITEMS))
    assert main(["analyze", str(report), "--root", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    line = _source_line("q-easy")
    assert f"lectures/ai/ai-exam.md:{line}:1: warning [item-too-easy] ai-exam-final/q-easy: difficulty" in out
    assert out.splitlines()[0].startswith("ai-exam-final (lectures/ai/ai-exam.md:")


def test_markdown_output(cohort, tmp_path: Path, capsys):
    report = write_report(tmp_path / "responses.csv", rows_for(cohort, EXAM_ITEMS))
    assert main(["analyze", str(report), "--root", str(FIXTURE), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Item analysis")
    assert "| `q-easy` |" in out and "**item-too-easy**" in out
    assert "Question q-easy?" not in out  # ids and lines only: no question wording in PR comments


def test_rules_lists_every_flag(capsys):
    assert main(["rules"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines()}
    assert {"item-too-easy", "item-too-hard", "item-low-discrimination", "item-negative-discrimination",
            "item-distractor-unused", "item-distractor-upper", "item-version-mismatch"} <= listed


def test_incomplete_learners_count_per_question_only(cohort, tmp_path: Path):
    """Quiz figures use learners who answered everything; a question's n and difficulty use all who answered it."""
    rows = rows_for(cohort, EXAM_ITEMS)
    dropped = {("trainee000", "q-a"), ("trainee001", "q-num"), ("trainee002", "q-num")}
    rows = [r for r in rows if (r["username"], r["Question ID"]) not in dropped]
    data = _run_json([str(write_report(tmp_path / "responses.csv", rows))])
    quiz = data["quizzes"][0]
    x = cohort.scores
    complete = np.ones(len(x), dtype=bool)
    complete[:3] = False
    assert quiz["learners"] == 297
    assert quiz["alpha"] == pytest.approx(_alpha(x[complete]))
    q_a = next(q for q in quiz["questions"] if q["question"] == "q-a")
    assert q_a["n"] == 299 and q_a["difficulty"] == pytest.approx(x[1:, 0].mean())
    rest = x[complete].sum(axis=1) - x[complete, 0]
    assert q_a["discrimination"] == pytest.approx(np.corrcoef(x[complete, 0], rest)[0, 1])


def test_overlapping_reports_keep_the_later_row(cohort, tmp_path: Path):
    rows = rows_for(cohort, EXAM_ITEMS)
    first = write_report(tmp_path / "first.csv", rows)
    changed = [dict(r, Score="0", Correct="false") for r in rows if r["Question ID"] == "q-easy"]
    second = write_report(tmp_path / "second.csv", changed)
    data = _run_json([str(first), str(second)])
    q_easy = next(q for q in data["quizzes"][0]["questions"] if q["question"] == "q-easy")
    assert q_easy["n"] == 300 and q_easy["difficulty"] == 0


def _alpha(x: np.ndarray) -> float:
    cov = np.cov(x, rowvar=False)
    k = x.shape[1]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())

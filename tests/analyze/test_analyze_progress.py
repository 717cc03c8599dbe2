"""A folder of the site's progress exports (cmio-progress-v1 and -v2): learners = files, quiz totals only."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cohort import FIXTURE

from curriculum.cli import main


def export(best: float, top: int = 4) -> dict:
    return {"version": 1, "lectures": {
        "ai-exam": {"visited": "2026-04-01T08:00:00.000Z", "quizzes": {}},
        "ai-practice": {"visited": "2026-04-02T09:30:00.000Z",
                        "quizzes": {"ai-practice-check": {"best": best, "max": top}}},
    }}


def write_exports(folder, bests: list[float], tops: list[int] | None = None) -> None:
    folder.mkdir()
    for i, best in enumerate(bests):
        top = tops[i] if tops else 4
        text = json.dumps(export(best, top), indent=2) + "\n"
        (folder / f"cmio-progress-2026-05-{i + 1:02d}-trainee{i}.json").write_text(text, encoding="utf-8")
    (folder / "notes.txt").write_text("not an export", encoding="utf-8")  # only *.json files are read


def test_progress_exports_give_quiz_totals(tmp_path, capsys):
    bests = [4, 3, 3.5, 2, 4, 1, 3, 2.5, 4, 3, 0, 2]
    write_exports(tmp_path / "exports", bests)
    assert main(["analyze", str(tmp_path / "exports"), "--root", str(FIXTURE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [quiz] = data["quizzes"]
    assert (quiz["quiz"], quiz["source"], quiz["file"], quiz["learners"]) == (
        "ai-practice-check", "site", "lectures/ai/ai-practice.md", len(bests))
    assert quiz["mean"] == pytest.approx(np.mean(bests))
    assert quiz["sd"] == pytest.approx(np.std(bests, ddof=1))
    assert quiz["alpha"] is None  # needs per-question scores, which the exports do not keep
    assert [q["question"] for q in quiz["questions"]] == ["p-1", "p-2", "p-3", "p-4"]
    assert all(q["n"] == 0 and q["difficulty"] is None and q["flags"] == [] for q in quiz["questions"])
    assert data["findings"] == []


def test_version_2_exports_are_read_like_version_1(tmp_path, capsys):
    """Version 2 (the site's current format) adds the last answers and completion; totals are the same."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for i, best in enumerate([4, 3, 2]):
        data = export(best)
        data["version"] = 2
        data["last"] = {"lecture": "ai-practice", "path": "lectures/ai/ai-practice/"}
        data["lectures"]["ai-practice"]["quizIds"] = ["ai-practice-check"]
        data["lectures"]["ai-practice"]["quizzes"]["ai-practice-check"] |= {
            "completed": True, "answers": {"p-1": {"response": 0, "score": 1, "tries": 0, "revealed": False}}}
        (folder / f"trainee{i}.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["analyze", str(folder), "--root", str(FIXTURE), "--format", "json"]) == 0
    [quiz] = json.loads(capsys.readouterr().out)["quizzes"]
    assert (quiz["learners"], quiz["mean"]) == (3, pytest.approx(3))
    (folder / "trainee9.json").write_text(json.dumps({**export(1), "version": 3}), encoding="utf-8")
    assert main(["analyze", str(folder), "--root", str(FIXTURE)]) != 0
    assert "expected version 1 or 2" in capsys.readouterr().err


def test_exports_of_another_quiz_version_are_flagged(tmp_path, capsys):
    write_exports(tmp_path / "exports", [3] * 11, tops=[4] * 9 + [3, 3])
    assert main(["analyze", str(tmp_path / "exports"), "--root", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert ("lectures/ai/ai-practice.md:14:1: warning [item-version-mismatch] quiz 'ai-practice-check': 2 export(s) "
            "scored out of 3 (it has 4 questions now); the current version is 2.0.0, so the figures mix versions") in out


def test_lms_report_and_exports_together(tmp_path, capsys):
    from cohort import EXAM_ITEMS, rows_for, simulate, write_report

    report = write_report(tmp_path / "responses.csv", rows_for(simulate(40), EXAM_ITEMS))
    write_exports(tmp_path / "exports", [1, 2, 3])
    assert main(["analyze", str(report), str(tmp_path / "exports"), "--root", str(FIXTURE), "--format", "json"]) == 0
    quizzes = json.loads(capsys.readouterr().out)["quizzes"]
    assert [(q["quiz"], q["source"], q["learners"]) for q in quizzes] == [
        ("ai-exam-final", "lms", 40), ("ai-practice-check", "site", 3)]

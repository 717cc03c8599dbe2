"""Bad input: one line naming the file and row, exit 2, and nothing written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from cohort import FIXTURE, HEADER, Cohort, Item, rows_for, write_report

from curriculum.cli import main

ITEMS = [Item("p-1", 1, 0, key=0), Item("p-2", 1, 0, key=1), Item("p-3", 1, 0, key=2), Item("p-4", 1, 0, key=0)]


def good_rows(n: int = 3) -> list[dict[str, str]]:
    import numpy as np

    scores = np.ones((n, 4))
    choices = {item.id: [(item.key,)] * n for item in ITEMS}
    return rows_for(Cohort([f"u{i}" for i in range(n)], scores, choices), ITEMS, "ai-practice-check", "ai-practice",
                    "2.0.0")


def run_bad(path: Path, tmp_path: Path, capsys) -> str:
    out = tmp_path / "report"
    out.mkdir()
    (out / "index.html").write_text("previous report", encoding="utf-8")
    code = main(["analyze", str(path), "--root", str(FIXTURE), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]  # the earlier report is untouched
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.")]  # no temporary folder left
    return lines[0]


def with_row_change(tmp_path: Path, row: int, **changes: str) -> Path:
    rows = good_rows()
    rows[row].update(changes)
    return write_report(tmp_path / "responses.csv", rows)


@pytest.mark.parametrize(("changes", "message"), [
    ({"Score": "1.5"}, "score 1.5 is outside 0–1"),
    ({"Score": "-0.25"}, "score -0.25 is outside 0–1"),
    ({"Score": "nan"}, "score nan is outside 0–1"),
    ({"Score": "full"}, "score 'full' is not a number"),
    ({"Score": ""}, "score '' is not a number"),
    ({"Quiz ID": "ai-nonexistent"}, "quiz 'ai-nonexistent' is not in the curriculum"),
    ({"Question ID": "p-9"}, "quiz 'ai-practice-check' has no question 'p-9'"),
    ({"Answer indices": "5"}, "answer indices '5': expected 1-based choice positions up to 4"),
    ({"Answer indices": "1;2"}, "a single question cannot have this choice list"),
    ({"username": ""}, "the username is empty"),
])
def test_bad_row(tmp_path, capsys, changes, message):
    path = with_row_change(tmp_path, 5, **changes)  # the header is line 1, so row 5 is on line 7
    line = run_bad(path, tmp_path, capsys)
    assert line.startswith(f"curriculum: {path.as_posix()}:7: ")
    assert message in line


def test_missing_columns(tmp_path, capsys):
    header = [c for c in HEADER if c not in ("Score", "Version")]
    path = write_report(tmp_path / "responses.csv", good_rows(), header)
    line = run_bad(path, tmp_path, capsys)
    assert line.startswith(f"curriculum: {path.as_posix()}:1: missing column(s) 'Score', 'Version'")


def test_not_a_csv_binary(tmp_path, capsys):
    path = tmp_path / "report.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert run_bad(path, tmp_path, capsys) == f"curriculum: {path.as_posix()}: not a CSV file: the file is binary"


def test_not_a_csv_text(tmp_path, capsys):
    path = tmp_path / "notes.csv"
    path.write_text("These are my notes\nnot a report\n", encoding="utf-8")
    line = run_bad(path, tmp_path, capsys)
    assert line == f"curriculum: {path.as_posix()}:1: not a CSV file: the first line has no comma-separated column names"


def test_not_utf8(tmp_path, capsys):
    path = write_report(tmp_path / "responses.csv", good_rows())
    path.write_bytes(path.read_bytes() + "u9,é\r\n".encode("latin-1"))
    line = run_bad(path, tmp_path, capsys)
    assert line == f"curriculum: {path.as_posix()}:14: not a CSV file: the text is not UTF-8"


def test_empty_file(tmp_path, capsys):
    path = tmp_path / "responses.csv"
    path.write_text("", encoding="utf-8")
    assert "the file is empty" in run_bad(path, tmp_path, capsys)


def test_ragged_row(tmp_path, capsys):
    path = write_report(tmp_path / "responses.csv", good_rows())
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write("u9,Practice\r\n")
    line = run_bad(path, tmp_path, capsys)
    assert line == f"curriculum: {path.as_posix()}:14: the row has 2 field(s) but the header has {len(HEADER)}"


def test_unterminated_quote(tmp_path, capsys):
    path = write_report(tmp_path / "responses.csv", good_rows())
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write('u9,"Practice\r\n')
    assert "not a CSV file" in run_bad(path, tmp_path, capsys)


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "absent.csv"
    assert run_bad(path, tmp_path, capsys) == f"curriculum: {path.as_posix()}: no such file or folder"


def test_second_file_bad_first_good(tmp_path, capsys):
    good = write_report(tmp_path / "a.csv", good_rows())
    bad = with_row_change(tmp_path, 0, Score="2")
    out = tmp_path / "out"
    assert main(["analyze", str(good), str(bad), "--root", str(FIXTURE), "--out", str(out)]) == 2
    assert f"{bad.as_posix()}:2: score 2 is outside 0–1" in capsys.readouterr().err
    assert not out.exists()


def test_gzip_report_is_read(tmp_path, capsys):
    """The LMS's S3 report store keeps reports gzip-compressed; a saved copy may still be."""
    plain = write_report(tmp_path / "responses.csv", good_rows())
    packed = tmp_path / "packed.csv"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert main(["analyze", str(packed), "--root", str(FIXTURE), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["quizzes"][0]["questions"][0]["n"] == 3


def test_curriculum_with_errors_is_refused(tmp_path, mini, capsys):
    (mini / "programme.yml").write_text("id: [unclosed\n", encoding="utf-8")
    path = write_report(tmp_path / "responses.csv", good_rows())
    assert main(["analyze", str(path), "--root", str(mini)]) == 1
    assert "not analysing: the curriculum has errors" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "1: not a progress export: invalid JSON"),
    (json.dumps({"version": 3, "lectures": {}}), "not a progress export of the course site"),
    (json.dumps({"version": 1, "lectures": {"ai-practice": {"quizzes": {"ai-gone": {"best": 1, "max": 4}}}}}),
     "lectures.ai-practice.quizzes.ai-gone: quiz 'ai-gone' is not in the curriculum"),
    (json.dumps({"version": 1, "lectures": {"ai-practice": {"quizzes": {"ai-practice-check": {"best": 5, "max": 4}}}}}),
     "lectures.ai-practice.quizzes.ai-practice-check: best 5 is above max 4"),
    (json.dumps({"version": 1, "lectures": {"ai-practice": {"quizzes": {"ai-practice-check": {"best": "3", "max": 4}}}}}),
     "lectures.ai-practice.quizzes.ai-practice-check: best '3' is not a number of at least 0"),
])
def test_bad_progress_export(tmp_path, capsys, content, message):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "cmio-progress-2026-05-01.json").write_text(content, encoding="utf-8")
    line = run_bad(folder, tmp_path, capsys)
    assert line.startswith(f"curriculum: {(folder / 'cmio-progress-2026-05-01.json').as_posix()}:")
    assert message in line


def test_empty_progress_folder(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    assert "holds no progress export" in run_bad(folder, tmp_path, capsys)

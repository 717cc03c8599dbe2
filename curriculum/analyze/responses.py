"""Reading learners' responses: the LMS "Problem responses" report and the site's progress exports.

The LMS report (Open edX instructor dashboard, `ProblemResponses`) is a CSV written by Python's
`csv.writer` (excel dialect, UTF-8, sometimes served gzip-compressed) whose columns are
`username`, `title`, `location`, then the keys our XBlock's `generate_report_data` returns, then
`block_key` and `state`. Blocks of other types give rows without our keys; those rows are skipped.

A progress export (`cmio-progress-v1` or `-v2`, written by the site's progress page) keeps, per quiz,
the best total and its maximum, so it yields quiz totals without per-question scores (version 2
also keeps the learner's last answers and whether every question was checked; they are not read).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Curriculum, Lecture, Quiz

# Columns the XBlock contributes (generate_report_data) and the one the platform always adds.
QUIZ_ID, QUESTION_ID, SCORE, INDICES, VERSION, USERNAME = (
    "Quiz ID", "Question ID", "Score", "Answer indices", "Version", "username")
REQUIRED_COLUMNS = (USERNAME, QUIZ_ID, QUESTION_ID, SCORE, INDICES, VERSION)
CHOICE_TYPES = ("single", "multiple")
MAX_INPUT_BYTES = 512 * 1024 * 1024  # a report of a whole course stays far below this
PROGRESS_FORMATS = (1, 2)  # the "version" field of a cmio-progress-v1 or -v2 export


class InputError(Exception):
    """Bad input, with the file and the row (or JSON key) it was found at."""

    def __init__(self, path: Path | str, where: str | None, message: str) -> None:
        self.location = f"{Path(path).as_posix()}:{where}" if where else Path(path).as_posix()
        super().__init__(f"{self.location}: {message}")


# One learner's answer to one question: score, 0-based chosen source positions (single and multiple
# questions only, else None) and the lecture version it was given to. Plain tuples: a course
# report has hundreds of thousands of them.
Cell = tuple[float, tuple[int, ...] | None, str]


@dataclass
class QuizResponses:
    """Everything read about one quiz: per learner and question, one response."""

    quiz: Quiz
    lecture: Lecture
    source: str  # "lms" (per-question rows) or "site" (progress exports: totals only)
    learners: dict[str, int] = field(default_factory=dict)  # username → row, in order of appearance
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # (row, question position) → response
    totals: dict[str, float] = field(default_factory=dict)  # site exports: best total per learner
    stale: dict[str, int] = field(default_factory=dict)  # site exports scored out of another question count


@dataclass
class _Known:
    quiz: Quiz
    lecture: Lecture
    questions: dict[str, tuple[int, Any]]  # question id → (position, question mapping)


def quiz_index(curriculum: Curriculum) -> dict[str, _Known]:
    return {quiz.id: _Known(quiz, lecture, {q["id"]: (j, q) for j, q in enumerate(quiz.questions)})
            for lecture in curriculum.lectures.values() for quiz in lecture.quizzes}


def read_inputs(curriculum: Curriculum, paths: list[Path]) -> list[QuizResponses]:
    """Responses of every quiz found in `paths` (CSV reports, or folders of progress exports)."""
    index = quiz_index(curriculum)
    found: dict[tuple[str, str], QuizResponses] = {}
    for path in paths:
        if path.is_dir():
            exports = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
            if not exports:
                raise InputError(path, None, "the folder holds no progress export (*.json)")
            for export in exports:
                _read_progress(export, index, found)
        elif path.is_file():
            _read_report(path, index, found)
        else:
            raise InputError(path, None, "no such file or folder")
    order = {quiz_id: i for i, quiz_id in enumerate(index)}
    return sorted(found.values(), key=lambda r: (order[r.quiz.id], r.source))


def _entry(found: dict[tuple[str, str], QuizResponses], index: dict[str, _Known],
           quiz_id: str, source: str) -> QuizResponses:
    key = (quiz_id, source)
    if key not in found:
        known = index[quiz_id]
        found[key] = QuizResponses(known.quiz, known.lecture, source)
    return found[key]


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise InputError(path, None, f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # the LMS's S3 report store keeps reports gzip-compressed
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_INPUT_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise InputError(path, None, f"not a CSV file: a damaged gzip stream ({exc})") from None
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(path, None, "the uncompressed report is too large")
    return data


def _text(path: Path, data: bytes, what: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(path, None, f"not {what}: the file is binary")
    try:
        return data.decode("utf-8-sig")  # Excel adds a byte-order mark when it re-saves a CSV
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(path, f"{line}", f"not {what}: the text is not UTF-8") from None


def _read_report(path: Path, index: dict[str, _Known], found: dict[tuple[str, str], QuizResponses]) -> None:
    text = _text(path, _read_bytes(path), "a CSV file")
    csv.field_size_limit(MAX_INPUT_BYTES)  # the platform's `state` column holds whole JSON documents
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or header == [""]:
            raise InputError(path, "1", "not a problem responses report: the file is empty")
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            if len(header) == 1 and USERNAME not in header:
                raise InputError(path, "1", "not a CSV file: the first line has no comma-separated column names")
            raise InputError(path, "1", "missing column(s) " + ", ".join(repr(c) for c in missing)
                             + " (expected the Open edX problem responses report of the curriculum quiz block)")
        col = {name: header.index(name) for name in REQUIRED_COLUMNS}
        while True:
            line = reader.line_num + 1  # where the record starts (a quoted field may span lines)
            row = next(reader, None)
            if row is None:
                break
            if len(row) != len(header):
                if not any(cell.strip() for cell in row):
                    continue  # a blank line, or an empty row a spreadsheet left behind
                raise InputError(path, f"{line}", f"the row has {len(row)} field(s) but the header has {len(header)}")
            quiz_id = row[col[QUIZ_ID]].strip()
            if not quiz_id:
                continue  # a row of another block type
            _record_row(path, line, row, col, index, found)
    except csv.Error as exc:
        raise InputError(path, f"{reader.line_num}", f"not a CSV file: {exc}") from None


def _record_row(path: Path, line: int, row: list[str], col: dict[str, int],
                index: dict[str, _Known], found: dict[tuple[str, str], QuizResponses]) -> None:
    where = f"{line}"
    quiz_id, question_id = row[col[QUIZ_ID]].strip(), row[col[QUESTION_ID]].strip()
    username = row[col[USERNAME]].strip()
    if quiz_id not in index:
        raise InputError(path, where, f"quiz {quiz_id!r} is not in the curriculum")
    position, question = index[quiz_id].questions.get(question_id, (-1, None))
    if question is None:
        raise InputError(path, where, f"quiz {quiz_id!r} has no question {question_id!r}")
    if not username:
        raise InputError(path, where, "the username is empty")
    score = _score(path, where, row[col[SCORE]])
    choices = None
    if question["type"] in CHOICE_TYPES:
        choices = _choices(path, where, row[col[INDICES]], len(question["choices"]), question["type"])
    entry = _entry(found, index, quiz_id, "lms")
    learner = entry.learners.setdefault(username, len(entry.learners))
    # A learner answers a question once per report; when reports overlap the later row wins.
    entry.cells[learner, position] = (score, choices, row[col[VERSION]].strip())


def _score(path: Path, where: str, cell: str) -> float:
    try:
        score = float(cell.strip())
    except ValueError:
        raise InputError(path, where, f"score {cell.strip()!r} is not a number") from None
    if not math.isfinite(score) or not 0.0 <= score <= 1.0:
        raise InputError(path, where, f"score {cell.strip()} is outside 0–1")
    return score


def _choices(path: Path, where: str, cell: str, count: int, qtype: str) -> tuple[int, ...]:
    if cell.isdigit() and 1 <= int(cell) <= count:  # the usual case: one choice
        return (int(cell) - 1,)
    cell = cell.strip()
    if not cell:
        return ()
    chosen: list[int] = []
    for part in cell.split(";"):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise InputError(path, where, f"answer indices {cell!r}: expected 1-based choice positions up to {count} "
                             "joined with ';'")
        chosen.append(int(part) - 1)
    if len(set(chosen)) != len(chosen) or (qtype == "single" and len(chosen) > 1):
        raise InputError(path, where, f"answer indices {cell!r}: a {qtype} question cannot have this choice list")
    return tuple(chosen)


def _read_progress(path: Path, index: dict[str, _Known], found: dict[tuple[str, str], QuizResponses]) -> None:
    text = _text(path, _read_bytes(path), "a progress export")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"{exc.lineno}", f"not a progress export: invalid JSON ({exc.msg})") from None
    if (not isinstance(data, dict) or data.get("version") not in PROGRESS_FORMATS or isinstance(data.get("version"), bool)
            or not isinstance(data.get("lectures"), dict)):
        raise InputError(path, None, "not a progress export of the course site (expected version "
                         f"{' or '.join(map(str, PROGRESS_FORMATS))} with a 'lectures' object)")
    learner = path.as_posix()  # one export is one learner
    for lecture_id, entry in data["lectures"].items():
        quizzes = entry.get("quizzes") if isinstance(entry, dict) else None
        if not isinstance(quizzes, dict):
            continue  # a visit without quiz results
        for quiz_id, result in quizzes.items():
            where = f"lectures.{lecture_id}.quizzes.{quiz_id}"
            if quiz_id not in index:
                raise InputError(path, where, f"quiz {quiz_id!r} is not in the curriculum")
            best, top = _progress_result(path, where, result)
            responses = _entry(found, index, quiz_id, "site")
            quiz = responses.quiz
            if top != len(quiz.questions):  # recorded when the quiz had another number of questions
                key = f"out of {_number(top)}"
                responses.stale[key] = responses.stale.get(key, 0) + 1
            responses.totals[learner] = best


def _progress_result(path: Path, where: str, result: Any) -> tuple[float, float]:
    if not isinstance(result, dict):
        raise InputError(path, where, "expected an object with 'best' and 'max'")
    best, top = result.get("best"), result.get("max")
    for name, value in (("best", best), ("max", top)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise InputError(path, where, f"{name} {value!r} is not a number of at least 0")
    if best > top:
        raise InputError(path, where, f"best {best} is above max {top}")
    return float(best), float(top)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

"""The quiz model: question types, validation and grading.

This is the single definition of a quiz, shared by the curriculum pipeline (which validates
quiz fences and writes OLX), the XBlock (which grades on the server) and, by way of shared test
vectors, the site's JavaScript grader. It is pure Python and imports nothing from XBlock.

A quiz is a mapping exactly as a ```quiz fence defines it. Validation returns every problem it
finds, each with the path (keys and list indices) of the offending field. Grading works on
*canonical responses*, which refer to choices, items and right-hand sides by their index in the
source, so that the same vectors hold for every front end:

=============  ==========================================================
type           canonical response
=============  ==========================================================
single         int: index of the chosen choice
multiple       list of int: indices of the chosen choices (no repeats)
true-false     bool
numeric        int or float (not bool)
text           str
ordering       list of int: item indices in the learner's order (a permutation)
matching       list of (int or None): for left i, the index of the chosen right side
=============  ==========================================================
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

QUESTION_TYPES = ("single", "multiple", "true-false", "numeric", "text", "ordering", "matching")
MODES = ("formative", "summative")
SHOW_ANSWER_POLICIES = ("finished", "attempted", "always", "never")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

Path = tuple[str | int, ...]

# Rule ids this module reports, with their one-line descriptions. The pipeline lists them in
# `curriculum rules` alongside its own; the schema-* and id-* ids are shared with its schemas.
RULES: dict[str, str] = {
    "schema-required": "A required field is missing.",
    "schema-unknown": "A field is not part of the format (often a typo).",
    "schema-type": "A field has the wrong type or an invalid value.",
    "id-format": "Ids match [a-z0-9][a-z0-9-]*.",
    "id-duplicate": "Ids are unique: lectures, objectives and quizzes in the curriculum, questions in their quiz.",
    "quiz-empty": "A quiz has at least one question.",
    "quiz-correct-count": "single has exactly one correct choice; multiple at least one correct and one wrong.",
    "quiz-choices": "single and multiple questions have at least two choices.",
    "quiz-tolerance": "A numeric tolerance is a number of at least 0.",
    "quiz-items": "An ordering question has at least two items, all different.",
    "quiz-pairs": "A matching question has at least two pairs, with distinct left and distinct right sides.",
    "quiz-answers": "A text question accepts at least one non-empty answer.",
}

QUIZ_FIELDS = {"id", "title", "mode", "attempts", "shuffle", "show_answer", "questions"}
QUIZ_REQUIRED = {"id", "questions"}
COMMON_FIELDS = {"id", "type", "prompt", "assesses", "hint", "explanation"}
TYPE_FIELDS: dict[str, set[str]] = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true-false": {"answer", "feedback"},
    "numeric": {"answer", "tolerance", "feedback"},
    "text": {"answers", "feedback"},
    "ordering": {"items", "feedback"},
    "matching": {"pairs", "feedback"},
}
TYPE_REQUIRED: dict[str, set[str]] = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true-false": {"answer"},
    "numeric": {"answer"},
    "text": {"answers"},
    "ordering": {"items"},
    "matching": {"pairs"},
}
CHOICE_FIELDS = {"text", "correct", "feedback"}
FEEDBACK_FIELDS = {"correct", "incorrect"}

# Fields that say which answer is right. A translation may omit them; if it states them, they
# must equal the source's.
ANSWER_FIELDS = ("answer", "answers", "tolerance")
# Fields a translation may not carry at all: they are structure, owned by the source.
STRUCTURE_FIELDS = {"type", "assesses", "mode", "attempts", "shuffle", "show_answer"}

NUMERIC_EPSILON = 1e-9


@dataclass(frozen=True)
class Problem:
    path: Path
    rule: str
    message: str


def describe(value: Any) -> str:
    """Name a YAML value's type the way an author thinks of it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def is_number(value: Any) -> bool:
    """A finite int or float that a float can hold (a 400-digit integer cannot: it would overflow
    when graded, so it is refused here rather than crashing later)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


class _Collector:
    """Accumulates problems; small helpers keep the per-type checks declarative."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, rule: str, message: str) -> None:
        self.problems.append(Problem(path, rule, message))

    def fields(self, mapping: Mapping, path: Path, allowed: set[str], required: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(path + (key,), "schema-unknown",
                         f"unknown field {key!r} in {what}; expected one of: {', '.join(sorted(allowed))}")
        for key in sorted(required - set(mapping)):
            self.add(path, "schema-required", f"{what} is missing required field {key!r}")

    def text(self, mapping: Mapping, key: str, path: Path, required: bool = False) -> None:
        if key not in mapping:
            return
        value = mapping[key]
        if not isinstance(value, str):
            self.add(path + (key,), "schema-type", f"{key!r} must be text, not {describe(value)}")
        elif required and not value.strip():
            self.add(path + (key,), "schema-type", f"{key!r} must not be empty")

    def text_list(self, values: Any, path: Path, what: str) -> list[str] | None:
        if not isinstance(values, list):
            self.add(path, "schema-type", f"{what} must be a list, not {describe(values)}")
            return None
        ok = True
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.add(path + (i,), "schema-type",
                         f"{what} entries must be non-empty text, not {describe(value)} (quote numbers and dates)")
                ok = False
        return values if ok else None


def validate_quiz(quiz: Any) -> list[Problem]:
    """Every problem of a quiz mapping, each with the path of the offending field."""
    out = _Collector()
    if not isinstance(quiz, Mapping):
        out.add((), "schema-type", f"a quiz must be a mapping, not {describe(quiz)}")
        return out.problems
    out.fields(quiz, (), QUIZ_FIELDS, QUIZ_REQUIRED, "the quiz")
    _check_id(out, quiz, ())
    out.text(quiz, "title", ())
    if "mode" in quiz and quiz["mode"] not in MODES:
        out.add(("mode",), "schema-type", f"mode must be one of {', '.join(MODES)}, not {quiz['mode']!r}")
    if "show_answer" in quiz and quiz["show_answer"] not in SHOW_ANSWER_POLICIES:
        out.add(("show_answer",), "schema-type",
                f"show_answer must be one of {', '.join(SHOW_ANSWER_POLICIES)}, not {quiz['show_answer']!r}")
    if "attempts" in quiz:
        attempts = quiz["attempts"]
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
            out.add(("attempts",), "schema-type", f"attempts must be a whole number ≥ 0 (0 = unlimited), not {attempts!r}")
    if "shuffle" in quiz and not isinstance(quiz["shuffle"], bool):
        out.add(("shuffle",), "schema-type", f"shuffle must be true or false, not {describe(quiz['shuffle'])}")
    if "questions" not in quiz:
        return out.problems
    questions = quiz["questions"]
    if not isinstance(questions, list):
        out.add(("questions",), "schema-type", f"questions must be a list, not {describe(questions)}")
        return out.problems
    if not questions:
        out.add(("questions",), "quiz-empty", "a quiz needs at least one question")
    seen: dict[str, int] = {}
    for i, question in enumerate(questions):
        path: Path = ("questions", i)
        _validate_question(out, question, path)
        qid = question.get("id") if isinstance(question, Mapping) else None
        if isinstance(qid, str):
            if qid in seen:
                out.add(path + ("id",), "id-duplicate",
                        f"question id {qid!r} is already used by question {seen[qid] + 1} of this quiz")
            else:
                seen[qid] = i
    return out.problems


def _check_id(out: _Collector, mapping: Mapping, path: Path) -> None:
    if "id" not in mapping:
        return
    value = mapping["id"]
    if not isinstance(value, str):
        out.add(path + ("id",), "schema-type", f"id must be text, not {describe(value)}")
    elif not ID_PATTERN.match(value):
        out.add(path + ("id",), "id-format", f"id {value!r} must match [a-z0-9][a-z0-9-]* (lowercase, digits, hyphens)")


def _validate_question(out: _Collector, q: Any, path: Path) -> None:
    if not isinstance(q, Mapping):
        out.add(path, "schema-type", f"a question must be a mapping, not {describe(q)}")
        return
    qtype = q.get("type")
    if qtype not in TYPE_FIELDS:
        if "type" not in q:
            out.add(path, "schema-required", "question is missing required field 'type'")
        else:
            out.add(path + ("type",), "schema-type",
                    f"type must be one of {', '.join(QUESTION_TYPES)}, not {qtype!r}")
        out.fields(q, path, COMMON_FIELDS | set().union(*TYPE_FIELDS.values()), {"id", "prompt"}, "a question")
        return
    out.fields(q, path, COMMON_FIELDS | TYPE_FIELDS[qtype], {"id", "prompt"} | TYPE_REQUIRED[qtype],
               f"a {qtype} question")
    _check_id(out, q, path)
    out.text(q, "prompt", path, required=True)
    out.text(q, "hint", path)
    out.text(q, "explanation", path)
    if "assesses" in q:
        assesses = q["assesses"]
        ids = assesses if isinstance(assesses, list) else [assesses]
        for j, oid in enumerate(ids):
            sub = path + (("assesses", j) if isinstance(assesses, list) else ("assesses",))
            if not isinstance(oid, str):
                out.add(sub, "schema-type", f"assesses names objective ids (text), not {describe(oid)}")
    if "feedback" in q and qtype not in ("single", "multiple"):
        feedback = q["feedback"]
        if not isinstance(feedback, Mapping):
            out.add(path + ("feedback",), "schema-type",
                    f"feedback must be a mapping with 'correct' and/or 'incorrect', not {describe(feedback)}")
        else:
            out.fields(feedback, path + ("feedback",), FEEDBACK_FIELDS, set(), "feedback")
            for key in FEEDBACK_FIELDS:
                out.text(feedback, key, path + ("feedback",))
    CHECKS[qtype](out, q, path)


def _check_choices(out: _Collector, q: Mapping, path: Path) -> None:
    if "choices" not in q:
        return
    choices = q["choices"]
    if not isinstance(choices, list):
        out.add(path + ("choices",), "schema-type", f"choices must be a list, not {describe(choices)}")
        return
    correct = 0
    valid = True
    for j, choice in enumerate(choices):
        cpath = path + ("choices", j)
        if not isinstance(choice, Mapping):
            out.add(cpath, "schema-type", f"a choice must be a mapping with 'text', not {describe(choice)}")
            valid = False
            continue
        out.fields(choice, cpath, CHOICE_FIELDS, {"text"}, "a choice")
        out.text(choice, "text", cpath, required=True)
        out.text(choice, "feedback", cpath)
        if "correct" in choice and not isinstance(choice["correct"], bool):
            out.add(cpath + ("correct",), "schema-type", f"correct must be true or false, not {describe(choice['correct'])}")
            valid = False
        elif choice.get("correct") is True:
            correct += 1
    if len(choices) < 2:
        out.add(path + ("choices",), "quiz-choices", f"a {q['type']} question needs at least 2 choices, has {len(choices)}")
    if not valid:
        return
    if q["type"] == "single" and correct != 1:
        out.add(path + ("choices",), "quiz-correct-count",
                f"a single-answer question needs exactly one choice marked correct: true, has {correct}")
    if q["type"] == "multiple" and not (1 <= correct < len(choices)):
        out.add(path + ("choices",), "quiz-correct-count",
                "a multiple-answer question needs at least one correct and one wrong choice, "
                f"has {correct} correct of {len(choices)}")


def _check_true_false(out: _Collector, q: Mapping, path: Path) -> None:
    if "answer" in q and not isinstance(q["answer"], bool):
        out.add(path + ("answer",), "schema-type", f"a true-false answer must be true or false, not {describe(q['answer'])}")


def _check_numeric(out: _Collector, q: Mapping, path: Path) -> None:
    if "answer" in q and not is_number(q["answer"]):
        out.add(path + ("answer",), "schema-type",
                f"a numeric answer must be a finite number within the float range, not {_short(q['answer'])}")
    if "tolerance" in q:
        tol = q["tolerance"]
        if not is_number(tol) or tol < 0:
            out.add(path + ("tolerance",), "quiz-tolerance",
                    f"tolerance must be a finite number ≥ 0 within the float range, not {_short(tol)}")


def _short(value: Any) -> str:
    """A value for a message: numbers too long to read are named by their size."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 1024:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return describe(value)


def _check_text(out: _Collector, q: Mapping, path: Path) -> None:
    if "answers" not in q:
        return
    answers = out.text_list(q["answers"], path + ("answers",), "answers")
    if answers is not None and not answers:
        out.add(path + ("answers",), "quiz-answers", "a text question needs at least one accepted answer")


def _check_ordering(out: _Collector, q: Mapping, path: Path) -> None:
    if "items" not in q:
        return
    items = out.text_list(q["items"], path + ("items",), "items")
    if items is None:
        return
    if len(items) < 2:
        out.add(path + ("items",), "quiz-items", f"an ordering question needs at least 2 items, has {len(items)}")
    _check_distinct(out, items, path + ("items",), "quiz-items", "item")


def _check_matching(out: _Collector, q: Mapping, path: Path) -> None:
    if "pairs" not in q:
        return
    pairs = q["pairs"]
    if not isinstance(pairs, list):
        out.add(path + ("pairs",), "schema-type", f"pairs must be a list of [left, right], not {describe(pairs)}")
        return
    ok = True
    for j, pair in enumerate(pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            out.add(path + ("pairs", j), "schema-type", f"each pair must be a list [left, right], not {describe(pair)}")
            ok = False
        elif out.text_list(pair, path + ("pairs", j), "pair sides") is None:
            ok = False
    if not ok:
        return
    if len(pairs) < 2:
        out.add(path + ("pairs",), "quiz-pairs", f"a matching question needs at least 2 pairs, has {len(pairs)}")
    _check_distinct(out, [p[0] for p in pairs], path + ("pairs",), "quiz-pairs", "left side", index=0)
    _check_distinct(out, [p[1] for p in pairs], path + ("pairs",), "quiz-pairs", "right side", index=1)


def _check_distinct(out: _Collector, values: list[str], path: Path, rule: str, what: str,
                    index: int | None = None) -> None:
    seen: dict[str, int] = {}
    for j, value in enumerate(values):
        key = normalize_text(value)
        if key in seen:
            where = path + ((j, index) if index is not None else (j,))
            out.add(where, rule, f"{what} {value!r} repeats entry {seen[key] + 1}")
        else:
            seen[key] = j


CHECKS = {
    "single": _check_choices,
    "multiple": _check_choices,
    "true-false": _check_true_false,
    "numeric": _check_numeric,
    "text": _check_text,
    "ordering": _check_ordering,
    "matching": _check_matching,
}


# ----------------------------------------------------------------------------------------------
# Questions, answers and grading (on a valid quiz)

def questions(quiz: Mapping) -> list[Mapping]:
    return list(quiz.get("questions") or [])


def assessed_objectives(question: Mapping) -> list[str]:
    value = question.get("assesses")
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def settings(quiz: Mapping) -> dict[str, Any]:
    """The quiz's settings with their defaults filled in."""
    return {
        "mode": quiz.get("mode", "formative"),
        "attempts": quiz.get("attempts", 0),
        "shuffle": quiz.get("shuffle", True),
        "show_answer": quiz.get("show_answer", "finished"),
    }


def normalize_text(value: str) -> str:
    """Compare text answers ignoring case, width variants and surrounding/duplicate whitespace."""
    return " ".join(unicodedata.normalize("NFKC", value).split()).lower()


def correct_response(question: Mapping) -> Any:
    """The canonical response that scores 1 (for text: the first accepted answer)."""
    qtype = question["type"]
    if qtype == "single":
        return next(i for i, c in enumerate(question["choices"]) if c.get("correct") is True)
    if qtype == "multiple":
        return [i for i, c in enumerate(question["choices"]) if c.get("correct") is True]
    if qtype in ("true-false", "numeric"):
        return question["answer"]
    if qtype == "text":
        return question["answers"][0]
    if qtype == "ordering":
        return list(range(len(question["items"])))
    if qtype == "matching":
        return list(range(len(question["pairs"])))
    raise ValueError(f"unknown question type {qtype!r}")


def answer_key(question: Mapping) -> Any:
    """Everything that decides which responses are right, for comparing versions of a question."""
    qtype = question["type"]
    if qtype in ("single", "multiple"):
        return [bool(c.get("correct") is True) for c in question["choices"]]
    if qtype == "numeric":
        return [question["answer"], question.get("tolerance", 0)]
    if qtype == "text":
        return sorted({normalize_text(a) for a in question["answers"]})
    if qtype == "ordering":
        return [normalize_text(i) for i in question["items"]]
    if qtype == "matching":
        return [[normalize_text(a), normalize_text(b)] for a, b in question["pairs"]]
    return question["answer"]


def response_problem(question: Mapping, response: Any) -> str | None:
    """Why a canonical response is malformed for this question, or None if it is well formed."""
    qtype = question["type"]
    if qtype == "single":
        n = len(question["choices"])
        if not _is_index(response, n):
            return f"expected the index of one of {n} choices"
    elif qtype == "multiple":
        n = len(question["choices"])
        if not isinstance(response, list) or not all(_is_index(r, n) for r in response):
            return f"expected a list of choice indices below {n}"
        if len(set(response)) != len(response):
            return "a choice is selected more than once"
    elif qtype == "true-false":
        if not isinstance(response, bool):
            return "expected true or false"
    elif qtype == "numeric":
        if not is_number(response):
            return "expected a finite number"
    elif qtype == "text":
        if not isinstance(response, str):
            return "expected text"
        if len(response) > 1000:
            return "the answer is longer than 1000 characters"
    elif qtype == "ordering":
        n = len(question["items"])
        if not isinstance(response, list) or sorted(r for r in response if _is_index(r, n)) != list(range(n)):
            return f"expected every one of the {n} items exactly once"
    elif qtype == "matching":
        n = len(question["pairs"])
        if not isinstance(response, list) or len(response) != n:
            return f"expected one entry for each of the {n} left-hand items"
        if not all(r is None or _is_index(r, n) for r in response):
            return f"expected right-hand indices below {n}, or nothing"
    else:
        return f"unknown question type {qtype!r}"
    return None


def _is_index(value: Any, n: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < n


def grade(question: Mapping, response: Any) -> float:
    """Score a well-formed canonical response in [0, 1].

    multiple: (correct choices selected − wrong choices selected) / correct choices, never below 0;
    ordering: share of positions holding the right item; matching: share of left items matched
    to their own right side. Every other type scores 0 or 1.
    """
    problem = response_problem(question, response)
    if problem:
        raise ValueError(problem)
    qtype = question["type"]
    if qtype == "single":
        return 1.0 if question["choices"][response].get("correct") is True else 0.0
    if qtype == "multiple":
        key = [c.get("correct") is True for c in question["choices"]]
        hits = sum(1 for r in response if key[r])
        misses = len(response) - hits
        return max(0.0, (hits - misses) / sum(key))
    if qtype == "true-false":
        return 1.0 if response is question["answer"] else 0.0
    if qtype == "numeric":
        answer = question["answer"]
        tolerance = question.get("tolerance", 0)
        slack = NUMERIC_EPSILON * max(1.0, abs(answer))
        return 1.0 if abs(response - answer) <= tolerance + slack else 0.0
    if qtype == "text":
        given = normalize_text(response)
        return 1.0 if any(normalize_text(a) == given for a in question["answers"]) else 0.0
    if qtype == "ordering":
        return sum(1 for pos, item in enumerate(response) if pos == item) / len(response)
    # matching
    return sum(1 for left, right in enumerate(response) if left == right) / len(response)


def is_correct(score: float) -> bool:
    return score >= 1.0 - NUMERIC_EPSILON


def choice_feedback(question: Mapping, response: Any, score: float) -> list[str]:
    """The author's feedback for the learner's own response (not for choices they did not pick)."""
    if question["type"] in ("single", "multiple"):
        picked = [response] if question["type"] == "single" else sorted(response)
        return [question["choices"][i]["feedback"] for i in picked if question["choices"][i].get("feedback")]
    feedback = question.get("feedback") or {}
    text = feedback.get("correct" if is_correct(score) else "incorrect")
    return [text] if text else []


# ----------------------------------------------------------------------------------------------
# Translations: a translated quiz gives only text, in the source's structure.

def translation_problems(source: Mapping, translation: Any) -> list[Problem]:
    """Problems of a translated quiz against its (valid) source quiz.

    The translation must mirror the source: same question ids in the same order, the same
    number of choices, items and pairs. It may not carry structure fields, and any answer it
    states must equal the source's.
    """
    out = _Collector()
    if not isinstance(translation, Mapping):
        out.add((), "schema-type", f"a translated quiz must be a mapping, not {describe(translation)}")
        return out.problems
    out.fields(translation, (), QUIZ_FIELDS - STRUCTURE_FIELDS, {"id", "questions"}, "a translated quiz")
    for key in sorted(STRUCTURE_FIELDS & set(translation)):
        out.add((key,), "translation-answer", f"{key!r} comes from the source; a translation gives only text")
    out.text(translation, "title", ())
    src_questions = questions(source)
    tr_questions = translation.get("questions")
    if not isinstance(tr_questions, list):
        if "questions" in translation:
            out.add(("questions",), "schema-type", f"questions must be a list, not {describe(tr_questions)}")
        return out.problems
    src_ids = [q.get("id") for q in src_questions]
    tr_ids = [q.get("id") if isinstance(q, Mapping) else None for q in tr_questions]
    if src_ids != tr_ids:
        out.add(("questions",), "translation-structure",
                f"question ids must mirror the source in order: source has {src_ids}, translation has {tr_ids}")
        return out.problems
    for i, (src, tr) in enumerate(zip(src_questions, tr_questions)):
        _translated_question(out, src, tr, ("questions", i))
    return out.problems


def _translated_question(out: _Collector, src: Mapping, tr: Mapping, path: Path) -> None:
    qtype = src["type"]
    allowed = COMMON_FIELDS | TYPE_FIELDS[qtype]
    out.fields(tr, path, allowed, {"id"}, "a translated question")
    for key in sorted(STRUCTURE_FIELDS & set(tr)):
        if key == "type" and tr[key] == qtype:
            continue
        out.add(path + (key,), "translation-answer", f"{key!r} comes from the source; a translation gives only text")
    for key in ("prompt", "hint", "explanation"):
        out.text(tr, key, path, required=(key == "prompt"))
    for key in ANSWER_FIELDS:
        if key in tr and key in src and _answer_differs(key, src, tr):
            out.add(path + (key,), "translation-answer",
                    f"{key!r} differs from the source ({src[key]!r}); correct answers come from the source")
        elif key in tr and key not in src:
            out.add(path + (key,), "translation-answer", f"{key!r} is not in the source question")
    if qtype in ("single", "multiple") and "choices" in tr:
        _translated_list(out, src["choices"], tr["choices"], path + ("choices",), "choices")
        if isinstance(tr["choices"], list):
            for j, (sc, tc) in enumerate(zip(src["choices"], tr["choices"])):
                cpath = path + ("choices", j)
                if not isinstance(tc, Mapping):
                    out.add(cpath, "schema-type", f"a choice must be a mapping with 'text', not {describe(tc)}")
                    continue
                out.fields(tc, cpath, CHOICE_FIELDS, {"text"}, "a translated choice")
                out.text(tc, "text", cpath, required=True)
                out.text(tc, "feedback", cpath)
                if "correct" in tc and (tc["correct"] is True) != (sc.get("correct") is True):
                    out.add(cpath + ("correct",), "translation-answer",
                            "this choice's correctness differs from the source; correct answers come from the source")
    elif qtype == "ordering" and "items" in tr:
        if _translated_list(out, src["items"], tr["items"], path + ("items",), "items"):
            out.text_list(tr["items"], path + ("items",), "items")
    elif qtype == "matching" and "pairs" in tr:
        if _translated_list(out, src["pairs"], tr["pairs"], path + ("pairs",), "pairs"):
            for j, pair in enumerate(tr["pairs"]):
                if not isinstance(pair, list) or len(pair) != 2:
                    out.add(path + ("pairs", j), "schema-type", f"each pair must be a list [left, right], not {describe(pair)}")
                else:
                    out.text_list(pair, path + ("pairs", j), "pair sides")
    if "feedback" in tr and qtype not in ("single", "multiple"):
        fb = tr["feedback"]
        if not isinstance(fb, Mapping):
            out.add(path + ("feedback",), "schema-type", f"feedback must be a mapping, not {describe(fb)}")
        else:
            out.fields(fb, path + ("feedback",), FEEDBACK_FIELDS, set(), "feedback")


def _answer_differs(key: str, src: Mapping, tr: Mapping) -> bool:
    if key == "answers":
        if not isinstance(tr[key], list) or not all(isinstance(a, str) for a in tr[key]):
            return True
        return {normalize_text(a) for a in tr[key]} != {normalize_text(a) for a in src[key]}
    return tr[key] != src[key] or isinstance(tr[key], bool) != isinstance(src[key], bool)


def _translated_list(out: _Collector, src: Sequence, tr: Any, path: Path, what: str) -> bool:
    if not isinstance(tr, list):
        out.add(path, "schema-type", f"{what} must be a list, not {describe(tr)}")
        return False
    if len(tr) != len(src):
        out.add(path, "translation-structure", f"the source has {len(src)} {what}, the translation {len(tr)}")
        return False
    return True


def translate(source: Mapping, translation: Mapping | None) -> dict[str, Any]:
    """The source quiz with the translation's text laid over it; answers stay the source's."""
    quiz = _plain(source)
    if not translation:
        return quiz
    if isinstance(translation.get("title"), str):
        quiz["title"] = translation["title"]
    for q, tq in zip(quiz["questions"], translation.get("questions") or []):
        for key in ("prompt", "hint", "explanation"):
            if isinstance(tq.get(key), str):
                q[key] = tq[key]
        if q["type"] not in ("single", "multiple") and isinstance(tq.get("feedback"), Mapping):
            q["feedback"] = {**(q.get("feedback") or {}), **_plain(tq["feedback"])}
        for c, tc in zip(q.get("choices") or [], tq.get("choices") or []):
            for key in ("text", "feedback"):
                if isinstance(tc, Mapping) and isinstance(tc.get(key), str):
                    c[key] = tc[key]
        if isinstance(tq.get("items"), list):
            q["items"] = list(tq["items"])
        if isinstance(tq.get("pairs"), list):
            q["pairs"] = [list(p) for p in tq["pairs"]]
    return quiz


def _plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists (drops any position bookkeeping of subclasses)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# ----------------------------------------------------------------------------------------------
# JSON Schema of a quiz fence, for editors (generated into schemas/ by `curriculum schema`)

def json_schema() -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    feedback = {"type": "object", "properties": {"correct": text, "incorrect": text}, "additionalProperties": False}
    choice = {"type": "object", "required": ["text"], "additionalProperties": False,
              "properties": {"text": text, "correct": {"type": "boolean"}, "feedback": text}}
    by_type: dict[str, dict[str, Any]] = {
        "single": {"choices": {"type": "array", "items": choice, "minItems": 2}},
        "multiple": {"choices": {"type": "array", "items": choice, "minItems": 2}},
        "true-false": {"answer": {"type": "boolean"}, "feedback": feedback},
        "numeric": {"answer": {"type": "number"}, "tolerance": {"type": "number", "minimum": 0}, "feedback": feedback},
        "text": {"answers": {"type": "array", "items": text, "minItems": 1}, "feedback": feedback},
        "ordering": {"items": {"type": "array", "items": text, "minItems": 2,
                               "description": "Items in the correct order; shown shuffled."}, "feedback": feedback},
        "matching": {"pairs": {"type": "array", "minItems": 2, "items": {"type": "array", "items": text,
                                                                         "minItems": 2, "maxItems": 2}},
                     "feedback": feedback},
    }
    identifier = {"type": "string", "pattern": ID_PATTERN.pattern.removesuffix(r"\Z") + "$"}
    common = {"id": identifier, "prompt": text, "hint": text, "explanation": text,
              "assesses": {"anyOf": [identifier, {"type": "array", "items": identifier}]}}
    variants = [
        {"type": "object", "additionalProperties": False,
         "required": ["id", "type", "prompt", *sorted(TYPE_REQUIRED[qtype])],
         "properties": {**common, "type": {"const": qtype}, **fields}}
        for qtype, fields in by_type.items()
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Quiz fence",
        "type": "object",
        "required": sorted(QUIZ_REQUIRED),
        "additionalProperties": False,
        "properties": {
            "id": identifier,
            "title": text,
            "mode": {"enum": list(MODES)},
            "attempts": {"type": "integer", "minimum": 0, "description": "LMS attempts; 0 = unlimited."},
            "shuffle": {"type": "boolean"},
            "show_answer": {"enum": list(SHOW_ANSWER_POLICIES)},
            "questions": {"type": "array", "minItems": 1, "items": {"oneOf": variants}},
        },
    }

"""Rows of the LMS "Problem responses" report: one per learner and answered question.

The keys of a row are a contract: ``curriculum analyze`` reads exactly these columns.
Pure Python; imports nothing from XBlock.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from . import markup, model

COLUMNS = ("Quiz ID", "Question ID", "Question", "Answer", "Answer indices", "Score", "Correct", "Attempts",
           "Lecture", "Version")


def _text(markdown_text: str) -> str:
    """Markdown as plain text on one line (a report is a CSV file, not HTML)."""
    return html.unescape(markup.plain(markdown_text))


def answer_text(question: Mapping[str, Any], response: Any) -> str:
    """A canonical response as people read it: choice, item and side texts, not keys or indices."""
    qtype = question["type"]
    if qtype == "single":
        return _text(question["choices"][response]["text"])
    if qtype == "multiple":
        return "; ".join(_text(question["choices"][i]["text"]) for i in sorted(response))
    if qtype == "true-false":
        return "true" if response else "false"
    if qtype == "numeric":
        return repr(response) if isinstance(response, float) else str(response)
    if qtype == "text":
        return response
    if qtype == "ordering":
        return "; ".join(_text(question["items"][i]) for i in response)
    # matching: "left → right" for each left that was matched
    pairs = question["pairs"]
    return "; ".join(f"{_text(pairs[left][0])} → {_text(pairs[right][1])}"
                     for left, right in enumerate(response) if right is not None)


def answer_indices(question: Mapping[str, Any], response: Any) -> str:
    """1-based source positions: chosen choices in source order; ordering items in the learner's
    order; matching ``left=right`` pairs; empty for the other types."""
    qtype = question["type"]
    if qtype == "single":
        return str(response + 1)
    if qtype == "multiple":
        return ";".join(str(i + 1) for i in sorted(response))
    if qtype == "ordering":
        return ";".join(str(i + 1) for i in response)
    if qtype == "matching":
        return ";".join(f"{left + 1}={right + 1}" for left, right in enumerate(response) if right is not None)
    return ""


def rows(quiz: Mapping[str, Any], responses: Mapping[str, Any], scores: Mapping[str, Any], attempts: int,
         lecture_id: str, lecture_version: str) -> list[dict[str, Any]]:
    """The rows of one learner: every question of ``quiz`` (valid) with a well-formed stored response."""
    out = []
    for question in model.questions(quiz):
        qid = question["id"]
        response = responses.get(qid)
        if response is None or model.response_problem(question, response):
            continue
        score = scores.get(qid)
        if not model.is_number(score):
            score = model.grade(question, response)
        out.append({
            "Quiz ID": quiz["id"],
            "Question ID": qid,
            "Question": _text(question["prompt"]),
            "Answer": answer_text(question, response),
            "Answer indices": answer_indices(question, response),
            "Score": float(score),
            "Correct": "true" if model.is_correct(float(score)) else "false",
            "Attempts": attempts,
            "Lecture": lecture_id,
            "Version": lecture_version,
        })
    return out

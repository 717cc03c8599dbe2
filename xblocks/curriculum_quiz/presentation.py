"""The quiz as one learner sees it: opaque keys, display order, and responses in both forms.

The quiz model grades *canonical responses* that name choices, items and matching sides by
their source index. The browser only ever sees keys (see :mod:`curriculum_quiz.keys`). This
module translates between the two and decides what a learner may be shown:

* :meth:`Presentation.data` is ``student_view_data()``: prompts and texts, never answers;
* :meth:`Presentation.canonical` turns a ``submit`` payload into canonical responses, or raises
  :class:`ResponseError` with a message naming the question and the problem;
* :meth:`Presentation.outcome` is the per-question part of the ``submit`` reply.

Pure Python; imports nothing from XBlock.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import markup, model
from .keys import KeyScheme, choice_materials, text_materials

KEYED_KINDS = {"single": ("choices",), "multiple": ("choices",), "ordering": ("items",),
               "matching": ("left", "right")}


class ResponseError(ValueError):
    """A submitted response that cannot be graded; the message says which and why."""


@dataclass(frozen=True)
class Option:
    """A choice, ordering item or matching side as shown: its key and Markdown text.

    ``index`` is the source index; it stays on the server.
    """

    key: str
    index: int
    text: str


@dataclass
class PresentedQuestion:
    question: Mapping[str, Any]
    options: dict[str, list[Option]] = field(default_factory=dict)  # kind -> options in display order
    _index: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> key -> source index
    _key: dict[str, list[str]] = field(default_factory=dict)  # kind -> source index -> key

    @property
    def id(self) -> str:
        return self.question["id"]

    @property
    def type(self) -> str:
        return self.question["type"]

    def add(self, kind: str, texts: list[str], keys: list[str], order: list[int]) -> None:
        self.options[kind] = [Option(keys[i], i, texts[i]) for i in order]
        self._index[kind] = {k: i for i, k in enumerate(keys)}
        self._key[kind] = keys

    def index_of(self, kind: str, key: Any, what: str) -> int:
        if not isinstance(key, str):
            article = "an" if what[0] in "aeiou" else "a"
            raise ResponseError(
                f"question {self.id!r}: expected {article} {what} key (text), not {model.describe(key)}")
        try:
            return self._index[kind][key]
        except KeyError:
            raise ResponseError(f"question {self.id!r}: unknown {what} key {key!r}") from None

    def key_of(self, kind: str, index: int) -> str:
        return self._key[kind][index]


class Presentation:
    """A valid quiz laid out for one learner of one block."""

    def __init__(self, quiz: Mapping[str, Any], scheme: KeyScheme) -> None:
        self.quiz = quiz
        self.settings = model.settings(quiz)
        shuffle = bool(self.settings["shuffle"])
        self.questions: list[PresentedQuestion] = []
        for question in model.questions(quiz):
            pq = PresentedQuestion(question)
            qid, qtype = question["id"], question["type"]
            if qtype in ("single", "multiple"):
                texts = [c["text"] for c in question["choices"]]
                materials = choice_materials(len(texts))
                order = scheme.order(qid, "choice", materials) if shuffle else list(range(len(texts)))
                pq.add("choices", texts, scheme.keys(qid, "choice", materials), order)
            elif qtype == "ordering":
                # Items are listed in the correct order: always shown shuffled, keyed by text.
                texts = list(question["items"])
                materials = text_materials(texts)
                pq.add("items", texts, scheme.keys(qid, "item", materials), scheme.order(qid, "item", materials))
            elif qtype == "matching":
                lefts = [p[0] for p in question["pairs"]]
                rights = [p[1] for p in question["pairs"]]
                lmat, rmat = text_materials(lefts), text_materials(rights)
                lorder = scheme.order(qid, "left", lmat) if shuffle else list(range(len(lefts)))
                pq.add("left", lefts, scheme.keys(qid, "left", lmat), lorder)
                # Right sides sit beside their left in the source: always shuffled, keyed by text.
                pq.add("right", rights, scheme.keys(qid, "right", rmat), scheme.order(qid, "right", rmat))
            self.questions.append(pq)
        self.by_id = {pq.id: pq for pq in self.questions}

    def known_keys(self) -> set[str]:
        """Every key of this presentation (choices, items and sides of all questions)."""
        return {key for pq in self.questions for index in pq._index.values() for key in index}

    # ------------------------------------------------------------------------------------------
    # What the browser may see before grading

    def data(self) -> dict[str, Any]:
        """``student_view_data()``: ids, types, prompts and keyed texts (sanitised HTML); no answers."""
        out = []
        for pq in self.questions:
            entry: dict[str, Any] = {
                "id": pq.id,
                "type": pq.type,
                "prompt": markup.html_block(pq.question["prompt"]),
                "has_hint": bool(pq.question.get("hint")),
            }
            for kind, options in pq.options.items():
                entry[kind] = [{"key": o.key, "text": markup.html_block(o.text)} for o in options]
            out.append(entry)
        return {"title": self.quiz.get("title", ""), "questions": out}

    # ------------------------------------------------------------------------------------------
    # Submitted responses

    def canonical(self, answers: Any) -> dict[str, Any]:
        """Canonical responses from the ``answers`` object of a submit payload.

        ``null`` means "not answered" and is left out. Raises :class:`ResponseError` for unknown
        question ids or keys and for responses of the wrong shape.
        """
        if not isinstance(answers, Mapping):
            raise ResponseError(f"'answers' must be an object mapping question ids to responses, "
                                f"not {model.describe(answers)}")
        out: dict[str, Any] = {}
        for qid, response in answers.items():
            pq = self.by_id.get(qid)
            if pq is None:
                raise ResponseError(f"unknown question id {qid!r}")
            if response is None:
                continue
            canonical = self._canonical(pq, response)
            problem = model.response_problem(pq.question, canonical)
            if problem:
                raise ResponseError(f"question {qid!r}: {problem}")
            out[qid] = canonical
        return out

    def _canonical(self, pq: PresentedQuestion, response: Any) -> Any:
        qtype = pq.type
        if qtype == "single":
            return pq.index_of("choices", response, "choice")
        if qtype in ("multiple", "ordering"):
            kind, what = ("choices", "choice") if qtype == "multiple" else ("items", "item")
            if not isinstance(response, list):
                raise ResponseError(
                    f"question {pq.id!r}: expected a list of {what} keys, not {model.describe(response)}")
            return [pq.index_of(kind, key, what) for key in response]
        if qtype == "true-false":
            if not isinstance(response, bool):
                raise ResponseError(f"question {pq.id!r}: expected true or false, not {model.describe(response)}")
            return response
        if qtype == "numeric":
            if isinstance(response, bool) or not isinstance(response, (int, float)):
                raise ResponseError(f"question {pq.id!r}: expected a number, not {model.describe(response)}")
            try:
                finite = math.isfinite(response)
            except OverflowError:
                finite = False
            if not finite:
                raise ResponseError(f"question {pq.id!r}: expected a finite number")
            return response
        if qtype == "text":
            if not isinstance(response, str):
                raise ResponseError(f"question {pq.id!r}: expected text, not {model.describe(response)}")
            try:
                response.encode("utf-8")
            except UnicodeEncodeError:
                # A \u-escaped lone surrogate in the JSON: no reply, log or report could carry it.
                raise ResponseError(f"question {pq.id!r}: the answer is not valid Unicode text") from None
            return response
        if qtype == "matching":
            if not isinstance(response, Mapping):
                raise ResponseError(f"question {pq.id!r}: expected an object mapping left keys to right keys, "
                                    f"not {model.describe(response)}")
            matched: list[int | None] = [None] * len(pq.question["pairs"])
            for left_key, right_key in response.items():
                left = pq.index_of("left", left_key, "left-hand")
                matched[left] = None if right_key is None else pq.index_of("right", right_key, "right-hand")
            return matched
        raise ResponseError(f"question {pq.id!r}: unknown question type {qtype!r}")

    def keyed(self, pq: PresentedQuestion, canonical: Any) -> Any:
        """A canonical response in the learner's key space (the inverse of :meth:`canonical`)."""
        qtype = pq.type
        if qtype == "single":
            return pq.key_of("choices", canonical)
        if qtype == "multiple":
            return [pq.key_of("choices", i) for i in canonical]
        if qtype == "ordering":
            return [pq.key_of("items", i) for i in canonical]
        if qtype == "matching":
            return {pq.key_of("left", left): pq.key_of("right", right)
                    for left, right in enumerate(canonical) if right is not None}
        return canonical

    # ------------------------------------------------------------------------------------------
    # After grading

    def answer(self, pq: PresentedQuestion) -> Any:
        """The correct answer in the learner's key space (only ever sent after grading)."""
        question = pq.question
        if pq.type == "numeric":
            return {"value": question["answer"], "tolerance": question.get("tolerance", 0)}
        if pq.type == "text":
            return list(question["answers"])
        return self.keyed(pq, model.correct_response(question))

    def outcome(self, pq: PresentedQuestion, canonical: Any, score: float, reveal: bool) -> dict[str, Any]:
        """Per-question reply for a graded response (``canonical`` None = not answered, ``score``
        from :func:`curriculum_quiz.model.grade`): correctness, score, the feedback on the
        learner's own response, and, if ``reveal``, the correct answer and the explanation."""
        feedback: list[str] = []
        if canonical is not None:
            feedback = [markup.html_block(text) for text in model.choice_feedback(pq.question, canonical, score)]
        result: dict[str, Any] = {
            "answered": canonical is not None,
            "correct": model.is_correct(score),
            "score": score,
            "feedback": feedback,
        }
        if canonical is not None:
            result["response"] = self.keyed(pq, canonical)
        if reveal:
            result["answer"] = self.answer(pq)
            if pq.question.get("explanation"):
                result["explanation"] = markup.html_block(pq.question["explanation"])
        return result


def answers_revealed(policy: str, attempts_used: int, attempts_allowed: int, all_correct: bool) -> bool:
    """Whether correct answers and explanations may be shown, under the quiz's show_answer policy.

    Nothing is ever revealed before the learner's first graded submission, whatever the
    policy: ``always`` and ``attempted`` reveal from then on, ``finished`` (the default) once
    every question is right or no attempt remains, ``never`` never.
    """
    if policy == "never" or attempts_used < 1:
        return False
    if policy in ("always", "attempted"):
        return True
    return all_correct or (attempts_allowed > 0 and attempts_used >= attempts_allowed)

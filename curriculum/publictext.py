"""Every text a trainee can read, with the file and position it comes from.

The exam-integrity rules compare summative questions against this. Summative quizzes are never part of it: the site shows
only a notice for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from curriculum_quiz import model as quizmodel

from .diagnostics import Pos
from .model import Curriculum
from .sources import position
from .yamlpos import YMap, locate


@dataclass(frozen=True)
class PublicText:
    language: str
    text: str
    path: str
    pos: Pos | None  # where a YAML value starts; None for a Markdown body, whose offsets give lines
    kind: str  # what it is, for messages: "lecture body", "formative quiz", "glossary", …
    node: Any = None  # for a quiz text: the fence mapping and the value's path in it, located
    node_path: tuple = ()  # only when asked for (most texts never are)

    def at(self, offset: int) -> Pos | None:
        if self.node is not None:
            return locate(self.node, self.node_path)
        return position(self.text, offset) if self.pos is None else self.pos


def quiz_texts(quiz: Any) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every text field of a quiz fence mapping, source or translation alike."""
    if not isinstance(quiz, dict):
        return
    if isinstance(quiz.get("title"), str):
        yield ("title",), quiz["title"]
    questions = quiz.get("questions")
    for qi, question in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(question, dict):
            for path, text in question_texts(question):
                yield ("questions", qi) + path, text


def question_texts(question: dict) -> Iterator[tuple[tuple, str]]:
    """(path, text) of a question's prompt, choices, feedback, hint, explanation, items, pairs, answers."""
    for key in ("prompt", "hint", "explanation"):
        if isinstance(question.get(key), str):
            yield (key,), question[key]
    choices = question.get("choices")
    for j, choice in enumerate(choices if isinstance(choices, list) else []):
        if isinstance(choice, dict):
            for key in ("text", "feedback"):
                if isinstance(choice.get(key), str):
                    yield ("choices", j, key), choice[key]
    feedback = question.get("feedback")
    if isinstance(feedback, dict):
        for key in ("correct", "incorrect"):
            if isinstance(feedback.get(key), str):
                yield ("feedback", key), feedback[key]
    for key in ("items", "answers"):
        values = question.get(key)
        for j, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str):
                yield (key, j), value
    pairs = question.get("pairs")
    for j, pair in enumerate(pairs if isinstance(pairs, list) else []):
        for k, side in enumerate(pair if isinstance(pair, list) else []):
            if isinstance(side, str):
                yield ("pairs", j, k), side


def _localized(raw: Any, path: str, kind: str) -> Iterator[PublicText]:
    if isinstance(raw, YMap):
        for language, text in raw.items():
            if isinstance(text, str):
                yield PublicText(language, text, path, raw.value_pos[language], kind)


def public_texts(curriculum: Curriculum) -> Iterator[PublicText]:
    """Every trainee-readable text, in a stable order (programme, domains, glossary, lectures)."""
    programme = curriculum.programme
    for key in ("title", "summary", "description"):
        yield from _localized(programme.raw.get(key), programme.path, f"programme {key}")
    for domain in curriculum.domains:
        for key in ("title", "summary"):
            yield from _localized(domain.raw.get(key), domain.path, f"domain {key}")
        for module in domain.modules:
            for key in ("title", "summary"):
                yield from _localized(module.raw.get(key), domain.path, f"module {key}")
    for term in curriculum.glossary:
        for key in ("term", "definition"):
            yield from _localized(term.raw.get(key), "glossary.yml", "glossary")
    source_language = programme.source_language
    for lecture in curriculum.lectures.values():
        front = lecture.source.front
        yield PublicText(source_language, lecture.title, lecture.path, front.value_pos["title"], "lecture title")
        for oid, text in lecture.objectives.items():
            yield PublicText(source_language, text, lecture.path, front["objectives"].value_pos[oid], "objective")
        yield PublicText(source_language, lecture.source.prose, lecture.path, None, "lecture body")
        formative = [i for i, quiz in enumerate(lecture.quizzes) if quiz.mode != "summative"]
        for i in formative:
            data = lecture.quizzes[i].data
            for path, text in quiz_texts(data):
                yield PublicText(source_language, text, lecture.path, None, "formative quiz", data, path)
        for language, translation in lecture.translations.items():
            tfront = translation.source.front
            yield PublicText(language, translation.title, translation.path, tfront.value_pos["title"], "lecture title")
            objectives = tfront.get("objectives")
            for oid, text in translation.objectives.items():
                if isinstance(text, str):
                    yield PublicText(language, text, translation.path, objectives.value_pos[oid], "objective")
            yield PublicText(language, translation.source.prose, translation.path, None, "lecture body")
            for i in formative:
                data = translation.quizzes[i] if i < len(translation.quizzes) else None
                for path, text in quiz_texts(data):
                    yield PublicText(language, text, translation.path, None, "formative quiz", data, path)


def summative_questions(curriculum: Curriculum) -> Iterator[tuple[Any, int, int, dict]]:
    """(lecture, quiz index, question index, question) of every summative question of the source."""
    for lecture in curriculum.lectures.values():
        for index, quiz in enumerate(lecture.quizzes):
            if quiz.mode == "summative":
                for qi, question in enumerate(quizmodel.questions(quiz.data)):
                    yield lecture, index, qi, question

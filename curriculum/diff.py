"""What changed between two versions of the curriculum: the basis of `curriculum changelog`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from curriculum_quiz import model as quizmodel

from .model import Curriculum, Lecture, version_tuple


def content_key(lecture: Lecture) -> str:
    """Everything a trainee sees of a lecture except its version number."""
    front = {k: v for k, v in lecture.source.front.items() if k != "version"}
    body = "\n".join(lecture.source.lines[lecture.source.body_start:]).strip()
    return json.dumps([front, body], sort_keys=True, ensure_ascii=False, default=_jsonable)


def _jsonable(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@dataclass
class LectureEntry:
    id: str
    title: str
    before: str | None  # version
    after: str | None


@dataclass
class ObjectiveEntry:
    lecture: str
    id: str
    before: str | None
    after: str | None


@dataclass
class QuestionEntry:
    lecture: str
    quiz: str
    id: str


@dataclass
class TranslationEntry:
    lecture: str
    language: str
    source_version: str
    version: str


@dataclass
class Changes:
    lectures_added: list[LectureEntry] = field(default_factory=list)
    lectures_removed: list[LectureEntry] = field(default_factory=list)
    lectures_changed: list[LectureEntry] = field(default_factory=list)
    objectives_added: list[ObjectiveEntry] = field(default_factory=list)
    objectives_removed: list[ObjectiveEntry] = field(default_factory=list)
    objectives_reworded: list[ObjectiveEntry] = field(default_factory=list)
    questions_added: list[QuestionEntry] = field(default_factory=list)
    questions_removed: list[QuestionEntry] = field(default_factory=list)
    answers_changed: list[QuestionEntry] = field(default_factory=list)
    translations_outdated: list[TranslationEntry] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


def _questions(lecture: Lecture) -> dict[tuple[str, str], dict]:
    return {(quiz.id, q["id"]): q for quiz in lecture.quizzes for q in quiz.questions}


def compare(before: Curriculum, after: Curriculum) -> Changes:
    changes = Changes()
    old, new = before.lectures, after.lectures
    for lecture_id, lecture in new.items():
        if lecture_id not in old:
            changes.lectures_added.append(LectureEntry(lecture_id, lecture.title, None, lecture.version))
    for lecture_id, lecture in old.items():
        if lecture_id not in new:
            changes.lectures_removed.append(LectureEntry(lecture_id, lecture.title, lecture.version, None))

    for lecture_id in (i for i in new if i in old):
        a, b = old[lecture_id], new[lecture_id]
        if content_key(a) != content_key(b) or a.version != b.version:
            changes.lectures_changed.append(LectureEntry(lecture_id, b.title, a.version, b.version))
        for oid, text in b.objectives.items():
            if oid not in a.objectives:
                changes.objectives_added.append(ObjectiveEntry(lecture_id, oid, None, text))
            elif a.objectives[oid] != text:
                changes.objectives_reworded.append(ObjectiveEntry(lecture_id, oid, a.objectives[oid], text))
        for oid, text in a.objectives.items():
            if oid not in b.objectives:
                changes.objectives_removed.append(ObjectiveEntry(lecture_id, oid, text, None))
        qa, qb = _questions(a), _questions(b)
        for key, question in qb.items():
            if key not in qa:
                changes.questions_added.append(QuestionEntry(lecture_id, *key))
            elif (qa[key]["type"], quizmodel.answer_key(qa[key])) != (question["type"], quizmodel.answer_key(question)):
                changes.answers_changed.append(QuestionEntry(lecture_id, *key))
        for key in qa:
            if key not in qb:
                changes.questions_removed.append(QuestionEntry(lecture_id, *key))
        for language, translation in b.translations.items():
            was = a.translations.get(language)
            if translation.is_outdated(b) and not (was and was.is_outdated(a)):
                changes.translations_outdated.append(
                    TranslationEntry(lecture_id, language, translation.source_version, b.version))
    for lecture_id in (i for i in new if i not in old):  # new lectures bring their own objectives and questions
        b = new[lecture_id]
        changes.objectives_added += [ObjectiveEntry(lecture_id, o, None, t) for o, t in b.objectives.items()]
        changes.questions_added += [QuestionEntry(lecture_id, *key) for key in _questions(b)]
    return changes


def version_went_down(before: str, after: str) -> bool:
    return version_tuple(after) < version_tuple(before)


def to_markdown(changes: Changes, title: str) -> str:
    lines = [f"## {title}", ""]
    if changes.is_empty():
        return "\n".join(lines + ["No changes to lectures, objectives, questions or translations.", ""])

    def section(heading: str, items: list[str]) -> None:
        if items:
            lines.extend([f"### {heading}", "", *[f"- {i}" for i in items], ""])

    section("Lectures added", [f"`{e.id}` {e.title} ({e.after})" for e in changes.lectures_added])
    section("Lectures removed", [f"`{e.id}` {e.title} ({e.before})" for e in changes.lectures_removed])
    section("Lectures changed", [f"`{e.id}` {e.title}: {e.before} → {e.after}" + ("" if e.before != e.after
                                                                                  else " (version not bumped)")
                                 for e in changes.lectures_changed])
    section("Objectives added", [f"`{e.id}` ({e.lecture}): {e.after}" for e in changes.objectives_added])
    section("Objectives removed", [f"`{e.id}` ({e.lecture}): {e.before}" for e in changes.objectives_removed])
    section("Objectives reworded", [f"`{e.id}` ({e.lecture}): “{e.before}” → “{e.after}”"
                                    for e in changes.objectives_reworded])
    section("Questions added", [f"`{e.quiz}/{e.id}` ({e.lecture})" for e in changes.questions_added])
    section("Questions removed", [f"`{e.quiz}/{e.id}` ({e.lecture})" for e in changes.questions_removed])
    section("Correct answer changed", [f"`{e.quiz}/{e.id}` ({e.lecture}) — LMS grades may need rescoring"
                                       for e in changes.answers_changed])
    section("Translations now outdated", [f"`{e.lecture}` {e.language}: translates {e.source_version}, source is "
                                          f"{e.version}" for e in changes.translations_outdated])
    return "\n".join(lines)


def to_json(changes: Changes) -> str:
    return json.dumps(asdict(changes), ensure_ascii=False, indent=2)

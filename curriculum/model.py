"""The curriculum model: what the loader builds from the sources and every writer reads.

Values keep the YAML mappings they came from (`YMap`, which know their positions) so that checks
can point at a line; writers only read the typed fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from curriculum_quiz import model as quizmodel

from .sources import MarkdownSource

Localized = dict[str, str]


@dataclass
class Framework:
    code: str
    title: str
    framework: str


@dataclass
class Programme:
    id: str
    title: Localized
    summary: Localized
    description: Localized
    version: str
    languages: list[str]
    org: str
    course: str
    run: str
    start: dt.date | None
    end: dt.date | None
    course_image: str | None
    domains: list[str]
    frameworks: dict[str, Framework]
    grading: dict[str, float]
    retired: list[str]
    raw: Any = field(repr=False, default=None)
    path: str = "programme.yml"
    runs: dict[str, str] = field(default_factory=dict)  # runs of translated courses, by language

    @property
    def source_language(self) -> str:
        return self.languages[0]

    def run_of(self, language: str) -> str:
        """The course run of `language`'s export: each language is a course of its own, so importing
        one never overwrites another."""
        if language == self.source_language:
            return self.run
        return self.runs.get(language) or f"{self.run}-{language}"


@dataclass
class Module:
    id: str
    title: Localized
    summary: Localized
    lecture_ids: list[str]
    domain_id: str
    raw: Any = field(repr=False, default=None)


@dataclass
class Domain:
    id: str
    title: Localized
    summary: Localized
    modules: list[Module]
    path: str
    raw: Any = field(repr=False, default=None)


@dataclass
class QuizPart:
    """Where a quiz fence stands in a lecture body."""

    index: int  # position among the lecture's quizzes
    indent: str  # the fence's indentation (inside an admonition or a list)


# A body is Markdown text interleaved with quiz fences, so writers can render the quizzes from
# the model (merging a translation's text with the source's answers) instead of raw fence text.
BodyPart = str | QuizPart


@dataclass
class Quiz:
    id: str
    data: Any  # the fence mapping (YMap), valid per curriculum_quiz.model
    lecture_id: str
    line: int  # line of the opening fence in the lecture file

    @property
    def mode(self) -> str:
        return quizmodel.settings(self.data)["mode"]

    @property
    def questions(self) -> list:
        return quizmodel.questions(self.data)


@dataclass
class Translation:
    language: str
    path: str
    source_version: str
    title: str
    objectives: dict[str, str]
    references: list[str] | None
    body: list[BodyPart]
    quizzes: list[Any]  # translated fence mappings, aligned with the source's quizzes
    source: MarkdownSource = field(repr=False)

    @property
    def status(self) -> str:
        """published (also when the front matter says nothing), or draft: still being translated."""
        front = self.source.front
        return front.get("status", "published") if front is not None else "published"

    def is_outdated(self, lecture: Lecture) -> bool:
        """Behind the source by a minor or major version. A patch (x.y.Z) fixes a typo or a link
        in the source and never sends the translator back to work."""
        return version_tuple(self.source_version)[:2] < version_tuple(lecture.version)[:2]


@dataclass
class Lecture:
    id: str
    path: str
    domain_id: str
    title: str
    version: str
    status: str
    duration: int
    authors: list[str]
    review_by: dt.date | None
    competencies: list[str]
    objectives: dict[str, str]
    references: list[str]
    body: list[BodyPart]
    quizzes: list[Quiz]
    source: MarkdownSource = field(repr=False)
    module_id: str | None = None
    translations: dict[str, Translation] = field(default_factory=dict)
    invalid_quizzes: int = 0  # quiz fences left out of `quizzes` because they are invalid (reported)

    def quiz_in(self, language: str, index: int) -> dict:
        """Quiz `index` with the text of `language` where translated, answers from the source."""
        quiz = self.quizzes[index]
        translation = self.translations.get(language)
        translated = translation.quizzes[index] if translation and index < len(translation.quizzes) else None
        return quizmodel.translate(quiz.data, translated)


@dataclass
class GlossaryTerm:
    term: Localized
    definition: Localized
    abbr: str | None
    source: str | None
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # language -> other names
    plural: str | None = None  # the English term's irregular plural
    raw: Any = field(repr=False, default=None)

    def names(self, language: str) -> list[str]:
        """Every name that stands for this entry in `language`'s text, the term first (no repeats).
        Regular plurals are left to the matcher; `plural` names an irregular one (English)."""
        names = [self.term.get(language), self.abbr, *self.synonyms.get(language, ())]
        if language == "en":
            names.append(self.plural)
        return list(dict.fromkeys(n for n in names if n))


@dataclass
class Curriculum:
    root: Path
    programme: Programme
    domains: list[Domain]  # in programme order
    lectures: dict[str, Lecture]  # in teaching order where listed, then the unlisted
    glossary: list[GlossaryTerm]
    # Files under lectures/ other than Markdown, and those of them lectures reference (found by
    # the check): the only files writers publish.
    other_files: list[str] = field(default_factory=list)
    assets: set[str] = field(default_factory=set)

    def modules(self) -> list[Module]:
        return [m for d in self.domains for m in d.modules]

    def lectures_of(self, module: Module) -> list[Lecture]:
        return [self.lectures[i] for i in module.lecture_ids if i in self.lectures]

    def quizzes(self) -> list[Quiz]:
        return [q for lecture in self.lectures.values() for q in lecture.quizzes]

    def taught(self, drafts: bool = False) -> Curriculum:
        """The curriculum as writers publish it: a translation still marked `status: draft` is
        left out (its language shows the source, as for an untranslated lecture), unless `drafts`
        (the author's preview). Lectures are copied only where that changes something."""
        if drafts:
            return self
        lectures = {}
        for lid, lecture in self.lectures.items():
            kept = {lang: t for lang, t in lecture.translations.items() if t.status != "draft"}
            lectures[lid] = lecture if len(kept) == len(lecture.translations) else replace(lecture, translations=kept)
        return replace(self, lectures=lectures)


def version_tuple(version: str) -> tuple[int, int, int]:
    """The numeric part of a semantic version, for ordering ("1.10.0" > "1.9.2")."""
    core = version.split("-", 1)[0].split("+", 1)[0]
    try:
        major, minor, patch = (int(p) for p in core.split("."))
    except ValueError:
        return (0, 0, 0)
    return (major, minor, patch)

"""Figures about a curriculum, per domain: what `curriculum stats` prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from curriculum_quiz import model as quizmodel

from .model import Curriculum, Domain
from .schema import STATUSES


@dataclass
class DomainStats:
    id: str
    title: str
    modules: int = 0
    lectures: Counter = field(default_factory=Counter)  # by status
    objectives: int = 0
    unassessed: list[str] = field(default_factory=list)
    questions: Counter = field(default_factory=Counter)  # by type
    quizzes: Counter = field(default_factory=Counter)  # by mode
    words: int = 0  # of written (non-outline) lecture bodies, quizzes excluded
    translated: Counter = field(default_factory=Counter)  # language -> translated lectures
    outdated: Counter = field(default_factory=Counter)  # language -> outdated translations


def collect(curriculum: Curriculum) -> list[DomainStats]:
    assessed = {oid for quiz in curriculum.quizzes() for q in quiz.questions for oid in quizmodel.assessed_objectives(q)}
    return [_domain(curriculum, domain, assessed) for domain in curriculum.domains]


def _domain(curriculum: Curriculum, domain: Domain, assessed: set[str]) -> DomainStats:
    source = curriculum.programme.source_language
    stats = DomainStats(domain.id, domain.title.get(source, domain.id), modules=len(domain.modules))
    for module in domain.modules:
        for lecture in curriculum.lectures_of(module):
            stats.lectures[lecture.status] += 1
            stats.objectives += len(lecture.objectives)
            stats.unassessed.extend(o for o in lecture.objectives if o not in assessed)
            stats.words += sum(len(part.split()) for part in lecture.body if isinstance(part, str))
            for quiz in lecture.quizzes:
                stats.quizzes[quiz.mode] += 1
                stats.questions.update(q["type"] for q in quiz.questions)
            for language, translation in lecture.translations.items():
                stats.translated[language] += 1
                if translation.is_outdated(lecture):
                    stats.outdated[language] += 1
    return stats


def render(curriculum: Curriculum, stats: list[DomainStats]) -> str:
    languages = curriculum.programme.languages[1:]
    lines: list[str] = []
    total = DomainStats("total", "All domains")
    for s in stats:
        lectures = sum(s.lectures.values())
        lines.append(f"{s.id} — {s.title}")
        lines.append(f"  modules: {s.modules}")
        lines.append(f"  lectures: {lectures} ({_counts(s.lectures, STATUSES)})")
        lines.append(f"  words in written lectures: {s.words:,}")
        lines.append(f"  objectives: {s.objectives}; not assessed: {len(s.unassessed)}")
        lines.append(f"  quizzes: {_counts(s.quizzes, quizmodel.MODES)}")
        lines.append(f"  questions: {sum(s.questions.values())} ({_counts(s.questions, quizmodel.QUESTION_TYPES)})")
        for language in languages:
            written = lectures - s.lectures["outline"]
            lines.append(f"  {language} translations: {s.translated[language]} of {lectures} lectures "
                         f"({s.translated[language]} of {written} written), outdated: {s.outdated[language]}")
        total.modules += s.modules
        total.lectures.update(s.lectures)
        total.objectives += s.objectives
        total.unassessed.extend(s.unassessed)
        total.questions.update(s.questions)
        total.quizzes.update(s.quizzes)
        total.words += s.words
        total.translated.update(s.translated)
        total.outdated.update(s.outdated)
    lectures = sum(total.lectures.values())
    lines.append("total")
    lines.append(f"  domains: {len(stats)}; modules: {total.modules}; lectures: {lectures} "
                 f"({_counts(total.lectures, STATUSES)})")
    lines.append(f"  objectives: {total.objectives}; not assessed: {len(total.unassessed)}")
    lines.append(f"  quizzes: {_counts(total.quizzes, quizmodel.MODES)}")
    lines.append(f"  questions: {sum(total.questions.values())} "
                 f"({_counts(total.questions, quizmodel.QUESTION_TYPES)}); types used: {len(total.questions)}")
    for language in languages:
        lines.append(f"  {language} translations: {total.translated[language]} of {lectures} lectures, "
                     f"outdated: {total.outdated[language]}")
    lines.append(f"  glossary terms: {len(curriculum.glossary)} "
                 + " ".join(f"({sum(1 for t in curriculum.glossary if language in t.definition)} defined in {language})"
                            for language in languages))
    return "\n".join(lines)


def _counts(counter: Counter, order: tuple) -> str:
    return ", ".join(f"{key} {counter[key]}" for key in order if counter[key]) or "none"

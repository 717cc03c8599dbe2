"""zh-TW terminology: the course's agreed terms, and no Simplified characters.

Checks every line of each .zh-TW.md file (front matter, body and quizzes; the reference list is
left out, since a cited title is quoted as published) and the glossary's zh-TW texts. The terms
come from curriculum/data/terminology.yml, the Simplified characters from
curriculum/data/simplified.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .diagnostics import Pos, Report
from .model import Curriculum, Translation

LANGUAGE = "zh-TW"
DATA = Path(__file__).parent / "data"
DOC = "docs/terminology.zh-TW.md"


@dataclass(frozen=True)
class Terminology:
    terms: list[dict]
    official_names: list[dict]
    rejected: re.Pattern | None  # any rejected variant, longest first
    official: re.Pattern | None  # any official name
    use_instead: dict[str, dict]  # rejected variant -> its term


@cache
def terminology() -> Terminology:
    data = yaml.safe_load((DATA / "terminology.yml").read_text(encoding="utf-8"))
    terms, names = data["terms"], data.get("official_names") or []
    use_instead = {variant: term for term in terms for variant in term["rejected"]}
    return Terminology(terms, names, _alternation(use_instead), _alternation(n["name"] for n in names), use_instead)


@cache
def simplified() -> dict[str, str]:
    """Simplified-only character -> its usual Traditional form."""
    table = {}
    for line in (DATA / "simplified.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            simple, traditional = line.split()
            table[simple] = traditional
    return table


def _alternation(words) -> re.Pattern | None:
    words = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


@cache
def _simplified_run() -> re.Pattern:
    return re.compile("[" + "".join(simplified()) + "]+")


def run(curriculum: Curriculum, report: Report) -> None:
    for lecture in curriculum.lectures.values():
        translation = lecture.translations.get(LANGUAGE)
        if translation is not None:
            _translation(translation, report)
    for term in curriculum.glossary:
        for key in ("term", "definition"):
            value = term.raw.get(key)
            if isinstance(value, dict) and isinstance(value.get(LANGUAGE), str):
                for _, message, rule in findings(value[LANGUAGE]):
                    report.error("glossary.yml", value.value_pos[LANGUAGE], rule, message)


def _translation(translation: Translation, report: Report) -> None:
    source = translation.source
    skip = _reference_lines(translation)
    for k, line in enumerate(source.lines):
        if k + 1 in skip:
            continue
        for col, message, rule in findings(line):
            report.error(source.rel, Pos(k + 1, col + 1), rule, message)


def _reference_lines(translation: Translation) -> range:
    """1-based lines of the front matter's reference list."""
    front = translation.source.front
    if "references" not in front:
        return range(0)
    start = front.key_pos["references"].line
    later = [p.line for p in front.key_pos if p.line > start]
    return range(start, min(later) if later else translation.source.body_start)


def findings(text: str) -> list[tuple[int, str, str]]:
    """(offset, message, rule) of each terminology problem in a zh-TW text."""
    out = []
    terms = terminology()
    if terms.rejected is not None:
        official = [m.span() for m in terms.official.finditer(text)] if terms.official else []
        for match in terms.rejected.finditer(text):
            if any(s <= match.start() and match.end() <= e for s, e in official):
                continue
            term = terms.use_instead[match.group(0)]
            out.append((match.start(), f"“{match.group(0)}” is a rejected variant: write {term['zh-TW']} for "
                        f"“{term['en']}”. {term['note']} ({DOC})", "term-rejected"))
    for match in _simplified_run().finditer(text):
        traditional = "".join(simplified()[c] for c in match.group(0))
        out.append((match.start(), f"Simplified characters “{match.group(0)}” in a zh-TW text: write them in "
                    f"Traditional characters (“{traditional}”)", "term-simplified"))
    return sorted(out)

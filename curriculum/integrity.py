"""Exam integrity: summative questions stay secret and assess only what has been taught.

`exam-leak` finds summative text that trainees can already read elsewhere: a run of
LEAK_WORDS consecutive words (case-folded, punctuation ignored) or LEAK_HAN consecutive Han
characters (punctuation and spaces removed) shared with any public text of the same language.

The summative text is small and the public text large, so the summative windows ("shingles")
are indexed once and the public text streams past that index once. A window can only match if
each of its words (characters) and each adjacent pair of them occurs in summative text, so two
cheap filters pick the stretches worth hashing and the rest is skipped at C speed. Memory stays
proportional to the summative text, however large the curriculum grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from curriculum_quiz import model as quizmodel

from . import scaffold
from .diagnostics import Pos, Report
from .memo import CheckMemo
from .model import Curriculum
from .publictext import public_texts, question_texts, summative_questions
from .sources import CITATION_PATTERN
from .yamlpos import locate

LEAK_WORDS = 8
LEAK_HAN = 12

_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_HAN = re.compile(f"[{_HAN_CHARS}]")
_NOT_HAN = re.compile(f"[^{_HAN_CHARS}]+")
# Han characters separated by nothing but punctuation and spaces form one run; a letter or digit ends it.
_HAN_RUN = re.compile(f"[{_HAN_CHARS}](?:[\\W_]*[{_HAN_CHARS}])*")
# Stretches of flag bytes (one per token, or per adjacent pair) that are all set.
_CANDIDATE_WORDS = re.compile(rb"\x01{%d,}" % LEAK_WORDS)
_CANDIDATE_WORD_PAIRS = re.compile(rb"\x01{%d,}" % (LEAK_WORDS - 1))
_CANDIDATE_HAN_PAIRS = re.compile(rb"\x01{%d,}" % (LEAK_HAN - 1))
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Markdown and citation syntax is not text: blank it out. Each pattern runs only on texts that
# hold its trigger, and simple patterns scan at C speed.
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")  # the target of a link or image (its text stays)
_TAG = re.compile(r"<[^>\n]*>")  # HTML tags and autolinks
_URL = re.compile(r"https?://\S+")
_NOTE_OR_CITATION = re.compile(r"\[\^[^\]\n]+\]:?|" + CITATION_PATTERN)  # [^note], [1]
_LINE_SYNTAX = re.compile(r"(?m)^[ \t]*(?:\[[^\]\n]+\]:[ \t]*\S+|(?:!!!|\?\?\?\+?)[ \t]*[\w-]+)")  # [x]: url, !!! note
_ENTITY = re.compile(r"&#?\w+;")
# The marks of text still to translate (a draft translation's) are not words of the text.
_UNTRANSLATED = re.compile("|".join(map(re.escape, [*scaffold.UNTRANSLATED.values(), scaffold.UNTRANSLATED_DEFAULT])))


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def strip_syntax(text: str, keep_offsets: bool = False) -> str:
    """The text without Markdown syntax; with keep_offsets, each removed character becomes a space."""
    repl = _blank if keep_offsets else " "  # a plain string is much faster; offsets are rarely needed
    if "](" in text:
        text = _LINK_TARGET.sub(repl, text)
    if "<" in text:
        text = _TAG.sub(repl, text)
    if "://" in text:
        text = _URL.sub(repl, text)
    if "[" in text:
        text = _NOTE_OR_CITATION.sub(repl, text)
    if "]:" in text or "!!!" in text or "???" in text:
        text = _LINE_SYNTAX.sub(repl, text)
    if "&" in text:
        text = _ENTITY.sub(repl, text)
    if "〔" in text:
        text = _UNTRANSLATED.sub(repl, text)
    return text


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def han_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the run, its Han characters alone) for each run of Han characters."""
    for match in _HAN_RUN.finditer(text):
        yield match.start(), _NOT_HAN.sub("", match.group(0))


@dataclass
class _Field:
    """One text field of a summative question, in one language."""

    path: str
    data: Any  # the quiz (YAML) holding the field, and the field's path in it: its position,
    at: tuple  # looked up only when a leak is reported
    words: tuple[str, ...]
    han: tuple[str, ...]  # the Han runs
    hits: dict = field(default_factory=dict)  # (kind, run, window start) -> (PublicText, offset)

    @property
    def pos(self) -> Pos | None:
        return locate(self.data, self.at)


@dataclass
class _Index:
    """The summative windows of one language: window -> (field number, run, start) of each
    field that holds it. Kept while the summative text is unchanged, with what each public text
    was found to share with it (`scans`: text -> the windows found and their offsets)."""

    words: dict = field(default_factory=dict)
    han: dict = field(default_factory=dict)
    vocabulary: set = field(default_factory=set)
    characters: set = field(default_factory=set)
    word_pairs: set = field(default_factory=set)
    han_pairs: set = field(default_factory=set)
    han_class: re.Pattern | None = None
    scans: CheckMemo[tuple] = field(default_factory=CheckMemo)

    @classmethod
    def of(cls, fields: list[_Field]) -> _Index:
        index = cls()
        for number, f in enumerate(fields):
            index.add(number, f)
        index.han_class = _han_class(index.characters)
        return index

    def add(self, number: int, f: _Field) -> None:
        for i in range(len(f.words) - LEAK_WORDS + 1):
            self.words.setdefault(f.words[i:i + LEAK_WORDS], []).append((number, 0, i))
        self.vocabulary.update(f.words)
        self.word_pairs.update(zip(f.words, f.words[1:]))
        for r, run in enumerate(f.han):
            for i in range(len(run) - LEAK_HAN + 1):
                self.han.setdefault(run[i:i + LEAK_HAN], []).append((number, r, i))
            self.characters.update(run)
            self.han_pairs.update(zip(run, run[1:]))


# The live preview checks on every save: the indexes, the fields' words and the public texts'
# scans are kept from one check to the next while their text is unchanged (curriculum.memo).
_INDEXES: CheckMemo[_Index] = CheckMemo()
_FIELD_TOKENS: CheckMemo[tuple] = CheckMemo()


def run(curriculum: Curriculum, report: Report) -> None:
    _unpublished(curriculum, report)
    _leaks(curriculum, report)


def _unpublished(curriculum: Curriculum, report: Report) -> None:
    owner = {oid: lecture for lecture in curriculum.lectures.values() for oid in lecture.objectives}
    for lecture, index, qi, question in summative_questions(curriculum):
        assesses = question.get("assesses")
        for k, oid in enumerate(quizmodel.assessed_objectives(question)):
            taught = owner.get(oid)
            if taught is None or taught.status == "published":
                continue
            path = ("questions", qi, "assesses") + ((k,) if isinstance(assesses, list) else ())
            report.error(lecture.path, locate(lecture.quizzes[index].data, path), "exam-unpublished",
                         f"summative question {question['id']!r} assesses {oid!r} of lecture {taught.id!r}, "
                         f"which is {taught.status}, not published: trainees cannot have studied it yet")


def _summative_fields(curriculum: Curriculum) -> Iterator[tuple[str, _Field]]:
    source_language = curriculum.programme.source_language
    for lecture, index, qi, question in summative_questions(curriculum):
        data = lecture.quizzes[index].data
        for path, text in question_texts(question):
            yield source_language, _field(lecture.path, data, ("questions", qi) + path, text)
        for language, translation in lecture.translations.items():
            tquiz = translation.quizzes[index] if index < len(translation.quizzes) else None
            tquestions = tquiz.get("questions") if isinstance(tquiz, dict) else None
            tquestion = tquestions[qi] if isinstance(tquestions, list) and qi < len(tquestions) else None
            if isinstance(tquestion, dict):
                for path, text in question_texts(tquestion):
                    yield language, _field(translation.path, tquiz, ("questions", qi) + path, text)


def _field(path: str, data: Any, at: tuple, text: str) -> _Field:
    words_of, han = _FIELD_TOKENS.get(text, lambda: _tokens(text))
    return _Field(path, data, at, words_of, han)


def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    clean = strip_syntax(text)
    return tuple(words(clean)), tuple(run for _, run in han_runs(clean))


def _leaks(curriculum: Curriculum, report: Report) -> None:
    _INDEXES.new_check()
    _FIELD_TOKENS.new_check()
    fields: dict[str, list[_Field]] = {}
    for language, f in _summative_fields(curriculum):
        fields.setdefault(language, []).append(f)
    if not fields:
        return
    indexes: dict[str, _Index] = {}
    for language, its_fields in fields.items():
        key = (language, tuple((f.words, f.han) for f in its_fields))
        indexes[language] = _INDEXES.get(key, lambda its_fields=its_fields: _Index.of(its_fields))
        indexes[language].scans.new_check()
    # Per language: window -> (PublicText, offset) of its first public use, the one to name.
    first: dict[str, dict] = {language: {} for language in indexes}
    for public in public_texts(curriculum):
        index = indexes.get(public.language)
        if index is None:
            continue
        its_first = first[public.language]
        for key, offset in index.scans.get(public.text, lambda index=index, text=public.text: _scan(text, index)):
            if key in its_first:
                continue
            its_first[key] = (public, offset)
            holders = index.words[key[1]] if key[0] == "w" else index.han[key[1]]
            for number, r, i in holders:
                fields[public.language][number].hits.setdefault((key[0], r, i), its_first[key])
    for its_fields in fields.values():
        for f in its_fields:
            _report(f, report)


def _han_class(characters: set) -> re.Pattern | None:
    if not characters:
        return None
    chars = "".join(sorted(characters)).replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^").replace("-", "\\-")
    return re.compile(f"[{chars}]{{{LEAK_HAN},}}")


def _scan(text: str, index: _Index) -> tuple[tuple[tuple, int], ...]:
    """The summative windows a public text holds, each with its offset in the text, in order."""
    found: list[tuple[tuple, int]] = []
    clean = strip_syntax(text)
    if index.words:
        tokens = words(clean)
        vocabulary = index.vocabulary
        flags = bytes(map(vocabulary.__contains__, tokens))
        spans = (m.span() for m in _CANDIDATE_WORDS.finditer(flags))
        for i in _starts(tokens, spans, index.word_pairs, _CANDIDATE_WORD_PAIRS, LEAK_WORDS):
            window = tuple(tokens[i:i + LEAK_WORDS])
            if window in index.words:
                found.append((("w", window), _word_offset(text, i)))
    if index.han_class is not None and index.han:
        for n, (_, run) in enumerate(han_runs(clean)):
            if len(run) < LEAK_HAN:
                continue
            spans = (m.span() for m in index.han_class.finditer(run))
            for i in _starts(run, spans, index.han_pairs, _CANDIDATE_HAN_PAIRS, LEAK_HAN):
                window = run[i:i + LEAK_HAN]
                if window in index.han:
                    found.append((("h", window), _han_offset(text, n, i)))
    return tuple(found)


def _starts(seq, spans, pairs: set, runs: re.Pattern, size: int) -> Iterator[int]:
    """Window starts inside `spans` of `seq` whose every adjacent pair occurs in summative text."""
    for s, e in spans:
        flags = bytes(map(pairs.__contains__, zip(seq[s:e - 1], seq[s + 1:e])))
        for match in runs.finditer(flags):
            yield from range(s + match.start(), s + match.end() - size + 2)


def _word_offset(text: str, n: int) -> int:
    """Offset in `text` of its word `n` (counted after removing the syntax)."""
    for k, match in enumerate(_WORD.finditer(strip_syntax(text, keep_offsets=True))):
        if k == n:
            return match.start()
    return 0


def _han_offset(text: str, run: int, n: int) -> int:
    """Offset in `text` of Han character `n` of its Han run `run` (counted after removing the syntax)."""
    start = next(islice(han_runs(strip_syntax(text, keep_offsets=True)), run, None), (0, ""))[0]
    for k, match in enumerate(_HAN.finditer(text, start)):
        if k == n:
            return match.start()
    return start


def _report(f: _Field, report: Report) -> None:
    if not f.hits:
        return
    best: tuple | None = None  # (length in tokens, kind, run, first window)
    for kind, r, i in sorted(f.hits):
        if (kind, r, i - 1) in f.hits:
            continue  # inside a run that started earlier
        end = i
        while (kind, r, end + 1) in f.hits:
            end += 1
        size = end - i + (LEAK_WORDS if kind == "w" else LEAK_HAN)
        if best is None or (kind == "w", size) > (best[1] == "w", best[0]):
            best = (size, kind, r, i)
    size, kind, r, i = best
    public, offset = f.hits[(kind, r, i)]
    if kind == "w":
        quote, unit = " ".join(f.words[i:i + size]), "words"
    else:
        quote, unit = f.han[r][i:i + size], "Han characters"
    pos = public.at(offset)
    where = f"{public.path}:{pos.line}" if pos else public.path
    report.error(f.path, f.pos, "exam-leak",
                 f"summative text shares {size} consecutive {unit} with the {public.kind} at "
                 f"{where}: “{_shorten(quote, kind)}”; trainees can read it before the exam, "
                 "so reword the question or that text")


def _shorten(quote: str, kind: str) -> str:
    if kind == "w":
        parts = quote.split()
        return quote if len(parts) <= 24 else " ".join(parts[:24]) + " …"
    return quote if len(quote) <= 40 else quote[:40] + "…"

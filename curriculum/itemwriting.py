"""Item-writing flaws, after the NBME item-writing guide: cues that let a test-wise trainee
answer without knowing the content. All are warnings (`--strict` makes them errors).

Two rules look at a whole domain's questions (answer balance); the others look at the text of
one question, in the source and in each translation, with the cue words of its language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from curriculum_quiz import model as quizmodel

from .diagnostics import Report
from .model import Curriculum, Lecture
from .yamlpos import locate

TRUE_FALSE_SHARE = 0.7  # at most this share of a domain's true/false answers may be the same
LONGEST_SHARE = 0.5  # at most this share of single-answer questions may have the longest choice correct
MIN_QUESTIONS = 6  # fewer questions than this in a domain prove nothing about balance


@dataclass(frozen=True)
class Cues:
    """The cue words of one language."""

    above: re.Pattern  # "all of the above" and the like
    absolute: re.Pattern  # absolute words: a distractor that has them is easy to rule out
    negative: re.Pattern  # a negative in the lead-in
    caps_is_emphasis: bool  # whether ALL CAPS counts as emphasis (not for Chinese)
    emphasis: re.Pattern  # spans that count as emphasis


_BOLD = r"\*\*(?!\s).+?(?<!\s)\*\*|__(?!\s).+?(?<!\s)__"
_ITALIC = r"(?<![*\w])\*(?!\s)[^*]+?(?<!\s)\*(?![*\w])|(?<![_\w])_(?!\s)[^_]+?(?<!\s)_(?![_\w])"

CUES: dict[str, Cues] = {
    "en": Cues(
        above=re.compile(r"\b(?:all|none)\s+of\s+the\s+above\b", re.I),
        absolute=re.compile(r"\b(?:always|never|guaranteed|only|all|none)\b", re.I),
        negative=re.compile(r"\b(?:not|except)\b", re.I),
        caps_is_emphasis=True,
        emphasis=re.compile(f"{_BOLD}|{_ITALIC}"),
    ),
    "zh-TW": Cues(
        above=re.compile(r"以上(?:皆是|皆非|都是|都不是|都非|皆正確|皆錯誤)"),
        absolute=re.compile(r"一定|絕不|所有|完全"),
        negative=re.compile(r"不是|何者錯誤|何者不正確|何者為非|除外"),
        caps_is_emphasis=False,
        emphasis=re.compile(_BOLD),
    ),
}

# The lead-in is the last sentence of the stem: that is where a negative question hides.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*(?=\S)")


def run(curriculum: Curriculum, report: Report) -> None:
    by_domain: dict[str, list[tuple[Lecture, Any, int, dict]]] = {}
    for lecture in curriculum.lectures.values():
        for quiz in lecture.quizzes:
            for qi, question in enumerate(quizmodel.questions(quiz.data)):
                by_domain.setdefault(lecture.domain_id, []).append((lecture, quiz.data, qi, question))
        _text_rules(lecture, curriculum.programme.source_language, report)
    for domain_id, questions in by_domain.items():
        _true_false_balance(domain_id, questions, report)
        _longest_correct(domain_id, questions, report)


def _true_false_balance(domain_id: str, questions: list, report: Report) -> None:
    answers = [(lecture, data, qi, q["answer"]) for lecture, data, qi, q in questions if q["type"] == "true-false"]
    if len(answers) < MIN_QUESTIONS:
        return
    trues = sum(1 for *_, answer in answers if answer)
    majority = trues * 2 > len(answers)
    count = trues if majority else len(answers) - trues
    if count / len(answers) <= TRUE_FALSE_SHARE:
        return
    lecture, data, qi, _ = next(a for a in answers if a[3] == majority)
    report.warning(lecture.path, locate(data, ("questions", qi)), "item-true-false-balance",
                   f"{count} of {len(answers)} true/false questions in domain {domain_id!r} ({count / len(answers):.0%}) "
                   f"have the answer {str(majority).lower()}; keep either answer at most {TRUE_FALSE_SHARE:.0%} "
                   "so that guessing it does not pay")


def _length(text: Any) -> int:
    return len(" ".join(str(text).split()))


def _longest_correct(domain_id: str, questions: list, report: Report) -> None:
    singles = [(lecture, data, qi, q) for lecture, data, qi, q in questions if q["type"] == "single"]
    if len(singles) < MIN_QUESTIONS:
        return
    flagged = []
    for lecture, data, qi, q in singles:
        correct = [_length(c["text"]) for c in q["choices"] if c.get("correct") is True]
        others = [_length(c["text"]) for c in q["choices"] if c.get("correct") is not True]
        if correct and others and correct[0] > max(others):
            flagged.append((lecture, data, qi))
    if len(flagged) / len(singles) <= LONGEST_SHARE:
        return
    lecture, data, qi = flagged[0]
    report.warning(lecture.path, locate(data, ("questions", qi)), "item-longest-correct",
                   f"the correct choice is the longest in {len(flagged)} of {len(singles)} single-answer questions "
                   f"in domain {domain_id!r} ({len(flagged) / len(singles):.0%}); make the distractors as long and "
                   f"as specific (at most {LONGEST_SHARE:.0%} may have the longest choice correct)")


def _versions(lecture: Lecture, source_language: str) -> Iterator[tuple[str, str, int, Any, Any]]:
    """(language, path, quiz index, fence mapping, source quiz) for the source and each translation."""
    for index, quiz in enumerate(lecture.quizzes):
        yield source_language, lecture.path, index, quiz.data, quiz.data
        for language, translation in lecture.translations.items():
            if index < len(translation.quizzes) and isinstance(translation.quizzes[index], dict):
                yield language, translation.path, index, translation.quizzes[index], quiz.data


def _text_rules(lecture: Lecture, source_language: str, report: Report) -> None:
    for language, path, _, data, source in _versions(lecture, source_language):
        cues = CUES.get(language)
        questions = data.get("questions")
        for qi, (question, src) in enumerate(zip(questions if isinstance(questions, list) else [],
                                                 quizmodel.questions(source))):
            if not isinstance(question, dict):
                continue
            at = ("questions", qi)
            if src["type"] in ("single", "multiple") and isinstance(question.get("choices"), list):
                choices = [(j, c["text"], src["choices"][j].get("correct") is True)
                           for j, c in enumerate(question["choices"][:len(src["choices"])])
                           if isinstance(c, dict) and isinstance(c.get("text"), str)]
                _repeated_choices(path, data, at, choices, report)
                if cues:
                    _above(path, data, at, choices, cues, report)
                    _absolutes(path, data, at, choices, cues, src["id"], report)
            if cues and isinstance(question.get("prompt"), str):
                _negative_stem(path, data, at, question["prompt"], cues, report)


def _repeated_choices(path: str, data: Any, at: tuple, choices: list, report: Report) -> None:
    seen: dict[str, int] = {}
    for j, text, _ in choices:
        key = " ".join(text.split()).casefold()
        if key in seen:
            report.warning(path, locate(data, at + ("choices", j, "text")), "item-repeated-choice",
                           f"choice {j + 1} repeats choice {seen[key] + 1} word for word; every choice must differ")
        else:
            seen[key] = j


def _above(path: str, data: Any, at: tuple, choices: list, cues: Cues, report: Report) -> None:
    for j, text, _ in choices:
        match = cues.above.search(text)
        if match:
            report.warning(path, locate(data, at + ("choices", j, "text")), "item-all-none-above",
                           f"choice {j + 1} is “{match.group(0)}”: a trainee who spots two right (or one wrong) choices "
                           "answers without knowing the rest; write a real option")


def _absolutes(path: str, data: Any, at: tuple, choices: list, cues: Cues, qid: str, report: Report) -> None:
    def absolutes(text: str) -> list[str]:
        return [m.group(0) for m in cues.absolute.finditer(cues.above.sub(" ", text))]

    if any(absolutes(text) for _, text, correct in choices if correct):
        return
    for j, text, correct in choices:
        found = absolutes(text)
        if not correct and found:
            report.warning(path, locate(data, at + ("choices", j, "text")), "item-absolute-distractor",
                           f"distractor {j + 1} of {qid!r} says “{found[0]}” and no correct choice does: absolute "
                           "words mark wrong answers; qualify the distractor or phrase the key alike")


def _negative_stem(path: str, data: Any, at: tuple, prompt: str, cues: Cues, report: Report) -> None:
    stripped = prompt.rstrip()
    sentences = _SENTENCE_END.split(stripped)
    lead_start = len(stripped) - len(sentences[-1])
    emphasized = [m.span() for m in cues.emphasis.finditer(stripped)]
    for match in cues.negative.finditer(stripped, lead_start):
        word = match.group(0)
        if cues.caps_is_emphasis and word.isupper():
            continue
        if any(s <= match.start() and match.end() <= e for s, e in emphasized):
            continue
        report.warning(path, locate(data, at + ("prompt",)), "item-negative-stem",
                       f"the stem asks a negative question (“{word}”) without emphasis: trainees miss it; "
                       "ask for the correct option, or emphasise the negative"
                       + (" (**bold** or CAPITALS)" if cues.caps_is_emphasis else " (**粗體**)"))
        return

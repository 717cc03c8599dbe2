"""`curriculum analyze`: classical item analysis of the quizzes from learners' responses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Curriculum
from .findings import flag
from .responses import InputError, read_inputs
from .stats import QuizStats, analyse

__all__ = ["Analysis", "InputError", "analyze"]


@dataclass
class Analysis:
    quizzes: list[QuizStats]
    findings: list[Diagnostic]  # every quiz's, sorted by file and line


def analyze(curriculum: Curriculum, paths: list[Path]) -> Analysis:
    """Read every input (raising InputError on the first bad one), then compute and flag."""
    quizzes = [analyse(responses) for responses in read_inputs(curriculum, paths)]
    for quiz in quizzes:
        flag(quiz)
    findings = sorted({d for quiz in quizzes for d in quiz.findings},
                      key=lambda d: (d.path, d.line, d.col, d.rule, d.message))
    return Analysis(quizzes, findings)

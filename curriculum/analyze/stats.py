"""Classical test theory statistics of a quiz: totals, Cronbach's alpha, difficulty, discrimination
and distractor use, computed with numpy over a learners × questions score matrix."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..diagnostics import Diagnostic
from .responses import CHOICE_TYPES, QuizResponses

GROUP_SHARE = 0.27  # Kelley's upper and lower groups


@dataclass
class ChoiceStats:
    index: int  # 1-based position in the source
    share: float | None  # of the learners who answered the question
    correct: bool
    upper: float | None = None  # share among the upper 27 % of complete learners
    lower: float | None = None


@dataclass
class QuestionStats:
    id: str
    type: str
    line: int
    n: int  # learners who answered it
    difficulty: float | None  # mean score of those learners
    discrimination: float | None  # corrected item–total correlation, over complete learners
    upper_lower: float | None  # mean score of the upper 27 % minus that of the lower 27 %
    choices: list[ChoiceStats] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class QuizStats:
    quiz: str
    file: str
    source: str  # "lms" or "site"
    line: int
    version: str  # the lecture's current version
    learners: int  # complete learners: answered every question (site: exports recording the quiz)
    mean: float | None
    sd: float | None
    alpha: float | None
    questions: list[QuestionStats]
    responded: int = 0  # learners with any response
    stale: dict[str, int] = field(default_factory=dict)  # responses to other versions, by version
    findings: list[Diagnostic] = field(default_factory=list)  # filled by findings.flag


def group_size(n: int) -> int:
    """Learners in each of the upper and lower groups (27 %, rounded half up, at least one)."""
    return max(1, int(GROUP_SHARE * n + 0.5))


def analyse(responses: QuizResponses) -> QuizStats:
    quiz, lecture = responses.quiz, responses.lecture
    base = dict(quiz=quiz.id, file=lecture.path, source=responses.source, line=quiz.line, version=lecture.version)
    if responses.source == "site":
        return _site(responses, base)
    questions = quiz.questions
    n_learners = len(responses.learners)
    ids = [q["id"] for q in questions]
    cells = responses.cells
    rows = np.fromiter((i for i, _ in cells), dtype=np.intp, count=len(cells))
    cols = np.fromiter((j for _, j in cells), dtype=np.intp, count=len(cells))
    scores = np.full((n_learners, len(ids)), np.nan)
    scores[rows, cols] = np.fromiter((cell[0] for cell in cells.values()), dtype=float, count=len(cells))
    picked: dict[int, tuple[list[int], list[int]]] = {}  # question position → (learner rows, choices)
    for (i, j), (_, choices, _) in cells.items():
        if choices:
            learner_rows, picks = picked.setdefault(j, ([], []))
            learner_rows.extend([i] * len(choices))
            picks.extend(choices)
    chosen = {}
    for j, q in enumerate(questions):
        if q["type"] in CHOICE_TYPES:
            chosen[q["id"]] = np.zeros((n_learners, len(q["choices"])), dtype=bool)
            if j in picked:
                chosen[q["id"]][picked[j]] = True
    versions = Counter(cell[2] for cell in cells.values())
    stale = {version: count for version, count in versions.items() if version != lecture.version}

    answered = ~np.isnan(scores)
    complete = answered.all(axis=1)
    x = scores[complete]
    n_complete = int(x.shape[0])
    total = x.sum(axis=1)
    mean = float(total.mean()) if n_complete else None
    sd = float(total.std(ddof=1)) if n_complete > 1 else None
    alpha = cronbach_alpha(x)
    discrimination = corrected_item_total(x)
    upper_idx, lower_idx = upper_lower_groups(total)
    upper_lower = (x[upper_idx].mean(axis=0) - x[lower_idx].mean(axis=0)) if n_complete >= 2 else None
    n_answered = answered.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        difficulty = np.nansum(scores, axis=0) / n_answered
    complete_rows = np.flatnonzero(complete)

    out: list[QuestionStats] = []
    for j, question in enumerate(questions):
        qid = question["id"]
        n = int(n_answered[j])
        stats = QuestionStats(
            id=qid, type=question["type"], line=question_line(question, quiz.line), n=n,
            difficulty=float(difficulty[j]) if n else None,
            discrimination=_num(discrimination[j]) if discrimination is not None else None,
            upper_lower=float(upper_lower[j]) if upper_lower is not None else None,
        )
        if qid in chosen:
            picks = chosen[qid]
            shares = picks[answered[:, j]].mean(axis=0) if n else None
            up = picks[complete_rows[upper_idx]].mean(axis=0) if upper_lower is not None else None
            low = picks[complete_rows[lower_idx]].mean(axis=0) if upper_lower is not None else None
            for c, choice in enumerate(question["choices"]):
                stats.choices.append(ChoiceStats(
                    index=c + 1, share=float(shares[c]) if shares is not None else None,
                    correct=choice.get("correct") is True,
                    upper=float(up[c]) if up is not None else None, lower=float(low[c]) if low is not None else None))
        out.append(stats)
    return QuizStats(**base, learners=n_complete, mean=mean, sd=sd, alpha=alpha, questions=out,
                     responded=n_learners, stale=dict(sorted(stale.items())))


def cronbach_alpha(x: np.ndarray) -> float | None:
    """k/(k−1) · (1 − Σ item variances / total variance); equals KR-20 for 0/1 items."""
    n, k = x.shape
    if n < 2 or k < 2:
        return None
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def corrected_item_total(x: np.ndarray) -> np.ndarray | None:
    """Pearson correlation of each column with the sum of the other columns (NaN where undefined)."""
    n, k = x.shape
    if n < 2 or k < 2:
        return None
    rest = x.sum(axis=1, keepdims=True) - x
    xc = x - x.mean(axis=0)
    rc = rest - rest.mean(axis=0)
    denom = np.sqrt((xc * xc).sum(axis=0) * (rc * rc).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (xc * rc).sum(axis=0) / denom
    r[denom <= 1e-12] = np.nan  # a question everyone scored alike (or no spread elsewhere)
    return r


def upper_lower_groups(total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the upper and lower 27 % by total; ties keep the input order, so runs repeat."""
    n = len(total)
    if n < 2:
        return np.array([], dtype=int), np.array([], dtype=int)
    order = np.argsort(total, kind="stable")
    k = min(group_size(n), n // 2)
    return order[n - k:], order[:k]


def question_line(question, fallback: int) -> int:
    pos = getattr(question, "pos", None)
    return pos.line if pos else fallback


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _site(responses: QuizResponses, base: dict) -> QuizStats:
    """Progress exports carry only each learner's best total: totals, no per-question figures."""
    totals = np.array(list(responses.totals.values()), dtype=float)
    n = len(totals)
    questions = [QuestionStats(id=q["id"], type=q["type"], line=question_line(q, responses.quiz.line), n=0,
                               difficulty=None, discrimination=None, upper_lower=None)
                 for q in responses.quiz.questions]
    return QuizStats(**base, learners=n, mean=float(totals.mean()) if n else None,
                     sd=float(totals.std(ddof=1)) if n > 1 else None, alpha=None, questions=questions,
                     responded=n, stale=dict(sorted(responses.stale.items())))

"""Item-analysis flags, reported as findings at the question's (or quiz's) source line."""

from __future__ import annotations

from ..diagnostics import Pos, Report
from .stats import QuestionStats, QuizStats

MIN_N = 10  # below this many learners no statistic is stable enough to flag
TOO_EASY, TOO_HARD = 0.90, 0.30
LOW_DISCRIMINATION = 0.15
UNUSED_SHARE, UNUSED_MIN_N = 0.05, 20

def flag(stats: QuizStats) -> None:
    """Fill the quiz's `findings` and each question's `flags` (rule ids)."""
    report = Report()
    if stats.stale and stats.responded >= MIN_N:
        if stats.source == "site":
            stale = "; ".join(f"{count} export(s) scored {key} (it has {len(stats.questions)} questions now)"
                              for key, count in stats.stale.items())
        else:
            stale = "; ".join(f"{count} response(s) to version {key or '(none given)'}" for key, count in stats.stale.items())
        report.warning(stats.file, Pos(stats.line, 1), "item-version-mismatch",
                       f"quiz {stats.quiz!r}: {stale}; the current version is {stats.version}, so the figures mix versions")
    for question in stats.questions:
        for rule, message in _question_flags(question, stats.learners):
            if rule not in question.flags:
                question.flags.append(rule)
            report.warning(stats.file, Pos(question.line, 1), rule, f"{stats.quiz}/{question.id}: {message}")
    stats.findings = report.sorted()


def _question_flags(q: QuestionStats, learners: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if q.difficulty is not None and q.n >= MIN_N:
        if q.difficulty > TOO_EASY:
            out.append(("item-too-easy", f"difficulty {q.difficulty:.2f} (n={q.n}): almost everyone scores; "
                        "it tells learners apart little"))
        elif q.difficulty < TOO_HARD:
            out.append(("item-too-hard", f"difficulty {q.difficulty:.2f} (n={q.n}): check the key, the wording "
                        "and whether the lecture teaches it"))
    if q.discrimination is not None and learners >= MIN_N:
        if q.discrimination < 0:
            out.append(("item-negative-discrimination", f"discrimination {q.discrimination:.2f} (n={learners}): "
                        "stronger learners score lower on it; the answer key is likely wrong"))
        elif q.discrimination < LOW_DISCRIMINATION:
            out.append(("item-low-discrimination", f"discrimination {q.discrimination:.2f} (n={learners}): "
                        "it does not tell stronger from weaker learners"))
    distractors = [c for c in q.choices if not c.correct]
    if q.n >= UNUSED_MIN_N:
        unused = [c for c in distractors if c.share is not None and c.share < UNUSED_SHARE]
        if unused:
            listed = ", ".join(f"choice {c.index} ({c.share:.0%})" for c in unused)
            out.append(("item-distractor-unused", f"{listed} chosen by under {UNUSED_SHARE:.0%} of {q.n} learners: "
                        "a distractor nobody considers only makes guessing easier"))
    if learners >= MIN_N:
        upper = [c for c in distractors if c.upper is not None and c.lower is not None and c.upper > c.lower]
        if upper:
            listed = ", ".join(f"choice {c.index} (upper {c.upper:.0%}, lower {c.lower:.0%})" for c in upper)
            out.append(("item-distractor-upper", f"{listed}: stronger learners pick it more often; it may be "
                        "defensible or the key ambiguous"))
    return out

"""Writers of an item analysis: text, JSON and Markdown for the terminal and pull requests, and an
offline HTML report with a distractor chart per choice question (SVG rendered at build time).

Reports name quizzes and questions by id and source line and never quote question text, so a
summative quiz's wording stays out of pull-request comments.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import asdict
from pathlib import Path

from ..diagnostics import Diagnostic
from ..output import atomic_dir
from .stats import QuestionStats, QuizStats

SVG_SALT = "curriculum-analyze"  # fixed ids in the SVG, so two runs write the same bytes


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _source_name(quiz: QuizStats) -> str:
    return "LMS responses" if quiz.source == "lms" else "site progress exports (quiz totals only)"


def to_json(quizzes: list[QuizStats], findings: list[Diagnostic]) -> str:
    data = {
        "quizzes": [{
            "quiz": q.quiz, "file": q.file, "source": q.source, "learners": q.learners,
            "mean": q.mean, "sd": q.sd, "alpha": q.alpha,
            "questions": [{
                "question": s.id, "line": s.line, "n": s.n, "difficulty": s.difficulty,
                "discrimination": s.discrimination, "upper_lower": s.upper_lower,
                "choices": [{"index": c.index, "share": c.share, "correct": c.correct} for c in s.choices],
                "flags": s.flags,
            } for s in q.questions],
        } for q in quizzes],
        "findings": [asdict(d) for d in findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_text(quizzes: list[QuizStats], findings: list[Diagnostic]) -> str:
    lines: list[str] = []
    for q in quizzes:
        lines.append(f"{q.quiz} ({q.file}:{q.line}, {_source_name(q)}): learners {q.learners}, "
                     f"mean {_fmt(q.mean)}, sd {_fmt(q.sd)}, alpha {_fmt(q.alpha)}")
        if q.source == "lms":
            for s in q.questions:
                choices = " ".join(f"{c.index}{'*' if c.correct else ''}:{_pct(c.share)}" for c in s.choices)
                lines.append(f"  {s.id:<24} line {s.line:<5} n {s.n:<5} p {_fmt(s.difficulty):<5} "
                             f"r {_fmt(s.discrimination):<5} D {_fmt(s.upper_lower):<5} {choices}".rstrip())
    lines.extend(d.text() for d in findings)
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(quizzes: list[QuizStats], findings: list[Diagnostic]) -> str:
    out = ["## Item analysis", ""]
    if not quizzes:
        out.append("No responses to any quiz of the curriculum.")
    for q in quizzes:
        out += [f"### `{q.quiz}` — {_source_name(q)}", "",
                f"`{q.file}:{q.line}` · learners **{q.learners}** · mean {_fmt(q.mean)} · SD {_fmt(q.sd)} · "
                f"Cronbach's α {_fmt(q.alpha)}", ""]
        if q.source == "site":
            out += ["The site's progress exports keep only each quiz's best total, so there are no "
                    "per-question figures.", ""]
            continue
        out += ["| question | line | n | difficulty | discrimination | upper–lower | choices (✓ key) | flags |",
                "|---|---:|---:|---:|---:|---:|---|---|"]
        for s in q.questions:
            choices = ", ".join(f"{c.index}{'✓' if c.correct else ''} {_pct(c.share)}" for c in s.choices) or "–"
            flags = ", ".join(f"`{f}`" for f in s.flags) or ""
            out.append(f"| `{_md_cell(s.id)}` | {s.line} | {s.n} | {_fmt(s.difficulty)} | {_fmt(s.discrimination)} | "
                       f"{_fmt(s.upper_lower)} | {choices} | {flags} |")
        out.append("")
    if findings:
        out += [f"### Findings ({len(findings)})", ""]
        out += [f"- `{d.path}:{d.line}` **{d.rule}** {_md_cell(d.message)}" for d in findings]
    else:
        out.append("No findings.")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# HTML

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans TC",sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child,td.flags{text-align:left}code{font-size:.9em}
.flag{color:#8a3b00;font-weight:600}.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0;border:1px solid #ddd;padding:.5rem}figcaption{font-size:.85rem}
.findings li{margin:.2rem 0}
"""


def chart_svg(question: QuestionStats) -> str:
    """A grouped bar chart of each choice's share: all learners, upper 27 %, lower 27 %."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    labels = [f"{c.index}{' (key)' if c.correct else ''}" for c in question.choices]
    series = [("all", [c.share or 0.0 for c in question.choices], "#4c72b0"),
              ("upper 27 %", [c.upper or 0.0 for c in question.choices], "#55a868"),
              ("lower 27 %", [c.lower or 0.0 for c in question.choices], "#c44e52")]
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "none", "font.size": 9}):
        height_in = 1.2 + 0.45 * len(labels)
        fig = Figure(figsize=(4.2, height_in))
        FigureCanvasSVG(fig)
        # Fixed margins in inches instead of tight_layout, which lays out twice: a third less time.
        fig.subplots_adjust(left=0.17, right=0.97, top=1 - 0.3 / height_in, bottom=0.5 / height_in)
        ax = fig.add_subplot()
        height = 0.26
        for k, (name, values, colour) in enumerate(series):
            ax.barh([i + (k - 1) * height for i in range(len(labels))], values, height=height, label=name, color=colour)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of learners choosing it")
        ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)  # never over a bar
        buffer = io.StringIO()
        # No metadata block: no date, no tool name, only the drawing.
        fig.savefig(buffer, format="svg", metadata={key: None for key in ("Date", "Creator", "Format", "Type")})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # inline: drop the XML declaration and DOCTYPE
    label = html.escape(f"Choice shares of {question.id}", quote=True)
    return re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}"', svg, count=1)


def to_html(quizzes: list[QuizStats], findings: list[Diagnostic], title: str) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>"
             f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>{CSS}</style></head><body>",
             f"<h1>{e(title)}</h1>",
             "<p>Difficulty is the mean score (0–1); discrimination is the correlation of a question's score with the "
             "learner's total on the quiz's other questions; upper–lower is the mean score of the best 27 % minus that "
             "of the weakest 27 %. Quiz figures count learners who answered every question.</p>"]
    for q in quizzes:
        parts.append(f"<section class=\"quiz\" id=\"{e(q.quiz)}-{q.source}\"><h2><code>{e(q.quiz)}</code> — "
                     f"{e(_source_name(q))}</h2><p><code>{e(q.file)}:{q.line}</code></p>")
        parts.append("<table class=\"summary\"><tr><th>learners</th><th>mean</th><th>SD</th><th>Cronbach's α</th></tr>"
                     f"<tr><td>{q.learners}</td><td>{_fmt(q.mean)}</td><td>{_fmt(q.sd)}</td><td>{_fmt(q.alpha)}</td></tr>"
                     "</table>")
        if q.source == "lms":
            parts.append("<table class=\"questions\"><tr><th>question</th><th>line</th><th>n</th><th>difficulty</th>"
                         "<th>discrimination</th><th>upper–lower</th><th>flags</th></tr>")
            for s in q.questions:
                flags = " ".join(f"<span class=\"flag\">{e(f)}</span>" for f in s.flags)
                parts.append(f"<tr><td><code>{e(s.id)}</code></td><td>{s.line}</td><td>{s.n}</td>"
                             f"<td>{_fmt(s.difficulty)}</td><td>{_fmt(s.discrimination)}</td>"
                             f"<td>{_fmt(s.upper_lower)}</td><td class=\"flags\">{flags}</td></tr>")
            parts.append("</table><div class=\"charts\">")
            for s in q.questions:
                if s.choices and s.n:
                    parts.append(f"<figure class=\"chart\" data-question=\"{e(s.id)}\">{chart_svg(s)}"
                                 f"<figcaption><code>{e(s.id)}</code> (n={s.n})</figcaption></figure>")
            parts.append("</div>")
        else:
            parts.append("<p>The site's progress exports keep only each quiz's best total: no per-question figures.</p>")
        quiz_findings = sorted(q.findings)
        if quiz_findings:
            parts.append("<ul class=\"findings\">")
            parts += [f"<li><code>{e(d.path)}:{d.line}</code> <span class=\"flag\">{e(d.rule)}</span> {e(d.message)}</li>"
                      for d in quiz_findings]
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_report(out: Path, quizzes: list[QuizStats], findings: list[Diagnostic], title: str) -> None:
    """index.html and summary.md, written into a temporary folder that replaces `out` when complete."""
    page = to_html(quizzes, findings, title)
    summary = to_markdown(quizzes, findings)
    with atomic_dir(out) as work:
        work.chmod(0o755)  # a temporary folder is private; the report is meant to be shared
        (work / "index.html").write_text(page, encoding="utf-8")
        (work / "summary.md").write_text(summary, encoding="utf-8")

"""Time `curriculum analyze` on a simulated cohort: learners × questions of one quiz.

    python benchmarks/bench_analyze.py [--learners 500] [--questions 200] [--charts]

Writes a small curriculum with one quiz of single-choice questions and a problem responses
report (one row per learner and question, as the LMS writes it) simulated from a two-parameter
logistic model, then prints: the report's size; the time to load the curriculum; the time of the
analysis in-process (read the CSV, statistics, flags) and of its JSON output; the wall time of
`curriculum analyze --format json` as a fresh process; with --charts also the time of the HTML
report (one SVG chart per question). Target: 500 learners × 200 questions analysed in under 5 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from curriculum import checks
from curriculum.analyze import analyze, report
from curriculum.diagnostics import Report

REPO = Path(__file__).resolve().parent.parent
VERSION = "1.0.0"


def write_curriculum(root: Path, questions: int) -> None:
    (root / "domains").mkdir(parents=True)
    (root / "lectures" / "ai").mkdir(parents=True)
    (root / "programme.yml").write_text(
        "id: bench\ntitle: {en: Benchmark, zh-TW: 基準}\nversion: 0.1.0\nlanguages: [en]\norg: TSHS\n"
        "course: BENCH\nrun: \"2026\"\nstart: 2026-03-01\ndomains: [ai]\nframeworks: {}\n"
        "grading: {pass: 0.7, quiz_weight: 1.0}\nretired: []\n", encoding="utf-8")
    (root / "glossary.yml").write_text("[]\n", encoding="utf-8")
    (root / "domains" / "ai.yml").write_text(
        "id: ai\ntitle: {en: AI, zh-TW: AI}\nmodules:\n  - id: ai-m\n    title: {en: M, zh-TW: M}\n"
        "    lectures: [ai-bench]\n", encoding="utf-8")
    lines = ["---", "id: ai-bench", "title: Benchmark", f"version: {VERSION}", "status: published", "duration: 60",
             "authors: [Faculty]", "objectives:", "  ai-bench-a: Answer questions.", "---", "Body.", "", "```quiz",
             "id: bench-exam", "mode: summative", "questions:"]
    for q in range(questions):
        key = q % 4
        lines += [f"  - id: q{q:03d}", "    type: single", "    assesses: ai-bench-a", f"    prompt: Question {q}?",
                  "    choices:"]
        lines += [f"      - {{text: Choice {c}{', correct: true' if c == key else ''}}}" for c in range(4)]
    lines += ["```", ""]
    (root / "lectures" / "ai" / "ai-bench.md").write_text("\n".join(lines), encoding="utf-8")


def write_responses(path: Path, learners: int, questions: int, seed: int = 5) -> None:
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=(learners, 1))
    a = rng.uniform(0.5, 2.0, questions)
    b = rng.normal(size=questions)
    right = rng.random((learners, questions)) < 1 / (1 + np.exp(-a * (theta - b)))
    keys = np.arange(questions) % 4
    wrong = (keys + rng.integers(1, 4, (learners, questions))) % 4
    picks = np.where(right, keys, wrong)
    header = ["username", "title", "location", "Quiz ID", "Question ID", "Question", "Answer", "Answer indices",
              "Score", "Correct", "Attempts", "Lecture", "Version", "block_key", "state"]
    block = "block-v1:TSHS+BENCH+2026+type@curriculum_quiz+block@bench-exam"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i in range(learners):
            state = json.dumps({"attempts": 1, "score": int(right[i].sum())})
            for q in range(questions):
                ok = bool(right[i, q])
                writer.writerow([f"trainee{i:04d}", "Exam", "AI > M > Benchmark > Exam", "bench-exam", f"q{q:03d}",
                                 f"Question {q}?", f"Choice {picks[i, q]}", str(picks[i, q] + 1), "1" if ok else "0",
                                 "true" if ok else "false", "1", "ai-bench", VERSION, block, state])


def timed(fn):
    """The result, wall seconds and processor seconds of fn() (the machine may be shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--charts", action="store_true", help="also time the HTML report with its charts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-analyze-") as tmp:
        root, csv_path = Path(tmp) / "curriculum", Path(tmp) / "responses.csv"
        write_curriculum(root, args.questions)
        write_responses(csv_path, args.learners, args.questions)
        rows = args.learners * args.questions
        print(f"{args.learners} learners × {args.questions} questions: {rows:,} rows, "
              f"{csv_path.stat().st_size / 1e6:.1f} MB CSV")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processor(s)")
        curriculum, load_s, load_cpu = timed(lambda: checks.check(root, Report()))
        assert curriculum is not None
        print(f"load and check the curriculum:          {load_s:6.2f} s wall {load_cpu:6.2f} s processor")
        result, analyse_s, analyse_cpu = timed(lambda: analyze(curriculum, [csv_path]))
        print(f"analysis (read CSV, statistics, flags): {analyse_s:6.2f} s wall {analyse_cpu:6.2f} s processor"
              "   target < 5 s")
        _, json_s, json_cpu = timed(lambda: report.to_json(result.quizzes, result.findings))
        print(f"JSON output:                            {json_s:6.2f} s wall {json_cpu:6.2f} s processor")
        quiz = result.quizzes[0]
        print(f"  learners {quiz.learners}, alpha {quiz.alpha:.3f}, findings {len(result.findings)}")
        command = [sys.executable, "-m", "curriculum", "analyze", str(csv_path), "--root", str(root), "--format", "json"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc, wall_s, _ = timed(lambda: subprocess.run(command, capture_output=True, cwd=REPO))
        assert proc.returncode == 0, proc.stderr.decode()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"`curriculum analyze --format json` (fresh process): {wall_s:6.2f} s wall {child_cpu:6.2f} s processor, "
              f"peak {after.ru_maxrss / 1024:.0f} MB")
        if args.charts:
            _, html_s, html_cpu = timed(
                lambda: report.write_report(Path(tmp) / "out", result.quizzes, result.findings, "Bench"))
            size = (Path(tmp) / "out" / "index.html").stat().st_size
            print(f"HTML report with {args.questions} charts: {html_s:6.2f} s wall {html_cpu:6.2f} s processor, "
                  f"{size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

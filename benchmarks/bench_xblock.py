"""Time the curriculum_quiz XBlock in-process on a 20-question quiz of every type.

    python benchmarks/bench_xblock.py [--runs 300]

Runs the block in XBlock's ToyRuntime (no Django: keys use the learner's stored salt) and
prints the median and 95th percentile of:

* ``student_view``: the block's view for a learner who has not submitted and for one who has
  (the view then also carries the graded result), warm as for every learner after the first;
  and with the Markdown caches emptied before each call (cold: the first view after a start);
* ``runtime.render``: the view with the runtime's wrapping (ToyRuntime; the LMS differs);
* ``student_view_data()``;
* ``submit``: a full 20-answer JSON request through ``runtime.handle`` (validation, grading,
  state, grade and completion events, reply). Every run uses an attempt (attempts: 0).

Targets (issue 3): submit median under 5 ms, student_view under 10 ms.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import time
from collections.abc import Callable

from webob import Request
from xblock.test.toy_runtime import ToyRuntime

from curriculum_quiz import markup, scenarios
from curriculum_quiz.olx import quiz_xml


def twenty_question_quiz() -> dict:
    """20 questions cycling through the 7 types, every text distinct (no help from caches)."""
    questions = []
    for n in range(20):
        base = copy.deepcopy(scenarios.QUESTIONS[n % len(scenarios.QUESTIONS)])
        base["id"] = f"q-{n + 1}"
        base["prompt"] = f"{base['prompt']} (case {n + 1}, see *the table* in section {n + 1})"
        for choice in base.get("choices", []):
            choice["text"] = f"{choice['text']} — option {n + 1}"
            choice["feedback"] = f"{choice['feedback']} ({n + 1})"
        if "items" in base:
            base["items"] = [f"{item} {n + 1}" for item in base["items"]]
        if "pairs" in base:
            base["pairs"] = [[left, f"{right} {n + 1}"] for left, right in base["pairs"]]
        questions.append(base)
    return scenarios.quiz("bench-quiz", "Benchmark quiz", questions, attempts=0, show_answer="always")


def answers(data: dict) -> dict:
    out: dict = {}
    for q in data["questions"]:
        qtype = q["type"]
        if qtype == "single":
            out[q["id"]] = q["choices"][0]["key"]
        elif qtype == "multiple":
            out[q["id"]] = [c["key"] for c in q["choices"][:2]]
        elif qtype == "true-false":
            out[q["id"]] = False
        elif qtype == "numeric":
            out[q["id"]] = 0.33
        elif qtype == "text":
            out[q["id"]] = "hl7 fhir"
        elif qtype == "ordering":
            out[q["id"]] = [i["key"] for i in q["items"]]
        elif qtype == "matching":
            out[q["id"]] = {left["key"]: right["key"] for left, right in zip(q["left"], q["right"])}
    return out


def clear_markup_caches() -> None:
    for cached in (markup.html_block, markup.plain, markup.legend_parts, markup.inline):
        cached.cache_clear()


def measure(action: Callable[[], object], runs: int, before: Callable[[], None] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter_ns()
        action()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    quiz = twenty_question_quiz()
    runtime = ToyRuntime("bench-learner")
    block = runtime.get_block(runtime.parse_xml_string(quiz_xml(quiz, display_name="Benchmark quiz")))
    block.student_view()  # first view: the learner's salt is made and stored
    body = json.dumps({"answers": answers(block.student_view_data())}).encode("utf-8")

    def submit() -> None:
        response = runtime.handle(block, "submit", Request.blank("/", method="POST", body=body))
        assert response.status_code == 200, response.body

    newcomer = ToyRuntime("bench-learner-2").get_block(block.scope_ids.usage_id)
    submit()
    results = {
        "student_view (before submitting)": measure(newcomer.student_view, args.runs),
        "student_view (after a submission)": measure(block.student_view, args.runs),
        "student_view (cold Markdown caches)": measure(block.student_view, max(20, args.runs // 10),
                                                       before=clear_markup_caches),
        "runtime.render student_view": measure(lambda: runtime.render(block, "student_view"), args.runs),
        "student_view_data()": measure(block.student_view_data, args.runs),
        "submit (20 answers)": measure(submit, args.runs),
    }
    print(f"curriculum_quiz, {len(quiz['questions'])} questions of every type, {args.runs} runs, ToyRuntime")
    print(f"{'':38} {'median ms':>10} {'p95 ms':>8}")
    for name, times in results.items():
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(f"{name:38} {statistics.median(times):10.2f} {p95:8.2f}")
    print(f"HTML of the view: {len(block.student_view().content) / 1024:.0f} KB; submit body {len(body)} bytes; "
          f"attempts used {block.attempts_used}")


if __name__ == "__main__":
    main()

"""Time `curriculum check` on synthetic curricula against parsing the same YAML alone.

    python benchmarks/bench_check.py [--lectures 2000 8000]

For each size it prints: the wall time of `curriculum check` as a fresh process and its peak
memory; the time of the check in-process (load + rules); and the time PyYAML's C loader takes
to parse the same YAML documents (front matter, quiz fences, domain and programme files) that
were extracted beforehand, with the cyclic garbage collector on (as a plain script runs) and
off (as the check runs its loading). Targets (issue 2): 2,000 lectures under 10 s and 1 GB; check at
most 3x the parse alone; 4x the lectures at most 4.5x the time.
"""

from __future__ import annotations

import argparse
import gc
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate  # noqa: E402

from curriculum import checks  # noqa: E402
from curriculum.diagnostics import Report  # noqa: E402

FENCE = re.compile(r"^```quiz\n(.*?)^```", re.S | re.M)


def yaml_documents(root: Path) -> list[str]:
    docs = [p.read_text(encoding="utf-8") for p in [root / "programme.yml", root / "glossary.yml"]]
    docs += [p.read_text(encoding="utf-8") for p in sorted((root / "domains").glob("*.yml"))]
    for path in sorted((root / "lectures").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        docs.append(front)
        docs.extend(m.group(1) for m in FENCE.finditer(body))
    return docs


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(lectures: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "c", lectures)
        docs = yaml_documents(root)
        parse = best_of(runs, lambda: [yaml.load(d, Loader=yaml.CSafeLoader) for d in docs])
        gc.disable()  # the check pauses the cyclic collector while loading; compare like with like too
        try:
            parse_nogc = best_of(runs, lambda: [yaml.load(d, Loader=yaml.CSafeLoader) for d in docs])
        finally:
            gc.enable()

        def in_process():
            report = Report()
            checks.check(root, report)
            assert not report.errors, report.sorted()[:3]

        check = best_of(runs, in_process)
        walls, peaks = [], []
        for _ in range(runs):
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            result = subprocess.run([sys.executable, "-m", "curriculum", "check", str(root)], capture_output=True)
            walls.append(time.perf_counter() - start)
            peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
            assert result.returncode == 0, result.stdout[-2000:]
        return {"lectures": lectures, "questions": lectures * 10, "yaml_docs": len(docs), "parse_s": parse,
                "parse_nogc_s": parse_nogc, "check_s": check, "cli_s": statistics.median(walls), "peak_mb": max(peaks) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lectures", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(n, args.runs) for n in args.lectures]
    print(f"{'lectures':>8} {'questions':>9} {'yaml docs':>9} {'C parse s':>9} {'(no gc)':>8} {'check s':>8} "
          f"{'ratio':>6} {'(no gc)':>8} {'CLI s':>6} {'peak MB':>8}")
    for r in rows:
        print(f"{r['lectures']:>8} {r['questions']:>9} {r['yaml_docs']:>9} {r['parse_s']:>9.2f} {r['parse_nogc_s']:>8.2f} "
              f"{r['check_s']:>8.2f} {r['check_s'] / r['parse_s']:>6.2f} {r['check_s'] / r['parse_nogc_s']:>8.2f} "
              f"{r['cli_s']:>6.2f} {r['peak_mb']:>8.0f}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"scaling: {b['lectures'] / a['lectures']:.1f}x lectures -> {b['check_s'] / a['check_s']:.2f}x check time")


if __name__ == "__main__":
    main()

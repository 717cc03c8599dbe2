"""Time the OLX export of synthetic curricula.

    python benchmarks/bench_olx.py [--lectures 2000 8000] [--quiz-format xblock]

Targets (issue 5): 2,000 lectures under 20 s; 4x the lectures at most 4.5x the time. The check
runs first and is not timed; the export of both languages is.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate  # noqa: E402

from curriculum import checks  # noqa: E402
from curriculum.diagnostics import Report  # noqa: E402
from curriculum.olx import build_olx  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def measure(lectures: int, quiz_format: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "c", lectures)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        report = Report()
        curriculum = checks.check(root, report)
        assert curriculum is not None and not report.errors, report.sorted()[:3]
        start = time.perf_counter()
        archives = build_olx(curriculum, root / "build" / "olx", curriculum.programme.languages, quiz_format)
        elapsed = time.perf_counter() - start
        return elapsed, sum(a.stat().st_size for a in archives)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lectures", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--quiz-format", choices=("xblock", "capa"), default="xblock")
    args = parser.parse_args()
    rows = [(n, *measure(n, args.quiz_format)) for n in args.lectures]
    print(f"{'lectures':>8} {'export s (en + zh-TW)':>22} {'archives MB':>12}")
    for n, seconds, size in rows:
        print(f"{n:>8} {seconds:>22.2f} {size / 1e6:>12.1f}")
    if len(rows) > 1:
        (a, ta, _), (b, tb, _) = rows[0], rows[-1]
        print(f"scaling: {b / a:.1f}x lectures -> {tb / ta:.2f}x time")


if __name__ == "__main__":
    main()

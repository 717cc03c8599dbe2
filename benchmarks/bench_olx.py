"""Time the OLX export of synthetic curricula.

    python benchmarks/bench_olx.py [--lectures 2000 8000] [--quiz-format xblock] [--runs 1]

Targets (issue 5): 2,000 lectures under 20 s; 4x the lectures at most 4.5x the time. The check
runs first and is not timed; the export of both languages (`build_olx`, as `curriculum build olx`
calls it) is. Besides the wall time (best of the runs) it prints the processor time of the export
(this process and its worker processes) and the load average before the run: the export uses
every processor, so on a machine other work keeps busy the wall time grows while the processor
time stays.
"""

from __future__ import annotations

import argparse
import os
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
from curriculum.olx.units import processors  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def measure(lectures: int, quiz_format: str, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "c", lectures)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")  # the site's Markdown extensions
        report = Report()
        curriculum = checks.check(root, report)
        assert curriculum is not None and not report.errors, report.sorted()[:3]
        best = None
        for _ in range(runs):
            load = os.getloadavg()[0]
            before, start = os.times(), time.perf_counter()
            archives = build_olx(curriculum, root / "build" / "olx", curriculum.programme.languages, quiz_format)
            wall, after = time.perf_counter() - start, os.times()
            cpu = sum(getattr(after, f) - getattr(before, f)
                      for f in ("user", "system", "children_user", "children_system"))
            row = {"lectures": lectures, "wall": wall, "cpu": cpu, "load": load,
                   "mb": sum(a.stat().st_size for a in archives) / 1e6}
            if best is None or wall < best["wall"]:
                best = row
        return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lectures", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--quiz-format", choices=("xblock", "capa"), default="xblock")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    rows = [measure(n, args.quiz_format, args.runs) for n in args.lectures]
    print(f"quiz format {args.quiz_format}, {processors()} processor(s)")
    print(f"{'lectures':>8} {'export s (en + zh-TW)':>22} {'cpu s':>8} {'load before':>12} {'archives MB':>12}")
    for r in rows:
        print(f"{r['lectures']:>8} {r['wall']:>22.2f} {r['cpu']:>8.2f} {r['load']:>12.2f} {r['mb']:>12.1f}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"scaling: {b['lectures'] / a['lectures']:.1f}x lectures -> {b['wall'] / a['wall']:.2f}x time "
              f"({b['cpu'] / a['cpu']:.2f}x processor time)")


if __name__ == "__main__":
    main()

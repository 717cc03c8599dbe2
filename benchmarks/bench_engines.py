"""Time `curriculum build site` with each engine (MkDocs, Zensical) on the same curricula.

    python benchmarks/bench_engines.py [--lectures 1000] [--runs 1] [--engines mkdocs zensical]

Two curricula, each built by every engine in a fresh process (`curriculum build site --engine E`,
so check, page writing, the engine and the post-build scan are all in the figure):

* bundled: the repository's own curriculum (programme.yml, domains/, lectures/, glossary.yml,
  mkdocs.yml), copied so the build writes nothing into the repository;
* synthetic: N lectures from benchmarks/synth.py (~1,500 words and a 10-question quiz each,
  every second one translated) with the repository's mkdocs.yml.

Prints, per curriculum and engine, the best wall time over the runs, the number of HTML pages
built and the peak resident memory of the build's processes (getrusage of the children: for
Zensical the larger of the pipeline and Zensical's process).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

BUNDLED = ("programme.yml", "glossary.yml", "mkdocs.yml", "domains", "lectures")


def bundled(work: Path) -> Path:
    root = work / "bundled"
    root.mkdir()
    for name in BUNDLED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy2(source, root / name)
    return root


def synthetic(work: Path, lectures: int) -> Path:
    from synth import generate

    root = generate(work / "synthetic", lectures)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def build(root: Path, engine: str, out: Path) -> tuple[float, int]:
    """One `curriculum build site` in a new process: (wall seconds, peak RSS in MiB)."""
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([sys.executable, __file__, "--child", str(root), engine, str(out)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{engine} failed on {root.name}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    wall, peak = done.stdout.split()[-2:]
    return float(wall), round(float(peak))


def child(root: str, engine: str, out: str) -> None:
    """Run the build and print its wall time and the peak RSS of its processes (descendants included)."""
    command = [sys.executable, "-m", "curriculum", "build", "site", "--root", root, "--out", out, "--engine", engine]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(1)
    print(f"{wall:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lectures", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="repeat and keep each engine's best time")
    parser.add_argument("--engines", nargs="+", default=["mkdocs", "zensical"])
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        work = Path(tmp)
        curricula = ([] if args.skip_bundled else [("bundled", bundled(work))])
        curricula.append((f"synthetic ({args.lectures} lectures)", synthetic(work, args.lectures)))
        print(f"{'curriculum':<28} {'engine':<9} {'best wall s':>11} {'pages':>6} {'peak RSS MiB':>13}")
        for name, root in curricula:
            for engine in args.engines:
                times = []
                peak = 0
                for _ in range(args.runs):
                    wall, peak = build(root, engine, work / "out")
                    times.append(wall)
                pages = sum(1 for _ in (work / "out" / "site").rglob("*.html"))
                print(f"{name:<28} {engine:<9} {min(times):>11.2f} {pages:>6} {peak:>13}", flush=True)


if __name__ == "__main__":
    main()

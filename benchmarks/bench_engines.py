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

    python benchmarks/bench_engines.py --chinese-search

instead measures Chinese search on the bundled curriculum's site of each engine, in Debian's
Chromium: for every Chinese glossary term, whether searching it lists its glossary entry, and
whether it is the first link listed (Material lists a page before its sections, so its entry is
never first) and how many links the search lists (MkDocs: jieba with the glossary dictionary;
Zensical: no segmenter, substring matching).
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


SEARCH = {  # the box, a result link, and how the box is opened (as in tests/site/test_site_browser.py)
    "mkdocs": ("input.md-search__input", ".md-search-result__link", None),
    "zensical": ("dialog input[role=combobox]", "dialog ol[role=listbox] a", ".md-search__button"),
}


def chinese_search(work: Path, engines: list[str]) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from playwright.sync_api import sync_playwright
    from staticserver import serve

    from curriculum import checks
    from curriculum.diagnostics import Report
    from curriculum.site import pages

    root = bundled(work)
    terms = [(t["anchor"], t["names"][0]) for t in pages.glossary_terms(checks.check(root, Report()), "zh-TW")
             if t["names"] and not t["names"][0].isascii()]
    print(f"{'engine':<9} {'terms':>5} {'entry found':>11} {'first result':>12} {'mean results':>12}")
    for engine in engines:
        build(root, engine, work / "out")
        box_css, link_css, opener = SEARCH[engine]
        found = first = shown = 0
        with serve(work / "out" / "site") as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url + "zh-TW/")
            for anchor, name in terms:
                box = page.locator(box_css)
                if opener and not box.is_visible():
                    page.locator(opener).click()
                box.fill(name)
                box.press("End")
                links = page.locator(link_css)
                try:
                    links.first.wait_for(state="attached", timeout=10000)
                except Exception:  # no result at all
                    continue
                page.wait_for_timeout(300)  # the list settles
                hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
                hits = [i for i, h in enumerate(hrefs) if "glossary/" in h and h.endswith("#" + anchor)]
                found += bool(hits)
                first += bool(hits) and hits[0] == 0
                shown += len(hrefs)
            browser.close()
        print(f"{engine:<9} {len(terms):>5} {found:>11} {first:>12} {shown / max(len(terms), 1):>12.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lectures", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="repeat and keep each engine's best time")
    parser.add_argument("--engines", nargs="+", default=["mkdocs", "zensical"])
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--chinese-search", action="store_true", help="measure Chinese search instead of time")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    if args.chinese_search:
        with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
            return chinese_search(Path(tmp), args.engines)

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

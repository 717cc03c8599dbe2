"""Time `curriculum build site` against a plain `mkdocs build` of the same Markdown.

    python benchmarks/bench_site.py [--lectures 1000] [--runs 1]

One run, on one synthetic curriculum (benchmarks/synth.py: ~1,500 words and a 10-question quiz
per lecture, every second lecture translated) with the repository's mkdocs.yml:

* pipeline: `curriculum build site` in a fresh process: check the sources, write both languages'
  pages from the model, build the English and the Chinese site with MkDocs, check the result for
  loads from other hosts;
* plain: MkDocs alone in a fresh process, building the Markdown the pipeline wrote (its docs
  folders, both languages) with mkdocs.yml as it is (same theme, same extensions, quiz fences
  included), the Chinese site with theme.language zh-TW. MkDocs derives the navigation itself;
  what the pipeline adds (its Markdown extension for citations and glossary terms, the jieba
  dictionary, nav, the language switcher) is the overhead being measured.

Prints the wall time of each (process start to exit), the pipeline's stages, the ratio (target
<= 1.3) and each process's peak resident memory (getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
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


def child_pipeline(root: Path, out: Path) -> dict:
    """`curriculum build site`, in stages (what cmd_build does)."""
    from curriculum import checks
    from curriculum.diagnostics import Report
    from curriculum.site import build_site

    stages = {}
    start = time.perf_counter()
    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and not report.errors, report.sorted()[:3]
    stages["check_s"] = time.perf_counter() - start
    mark = time.perf_counter()
    build_site(curriculum, out)
    stages["site_s"] = time.perf_counter() - mark
    return stages


def child_plain(configs: list[Path]) -> dict:
    """`mkdocs build` of each configuration, in this one process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stages = {}
    for path in configs:
        mark = time.perf_counter()
        config = load_config(str(path))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        stages[f"{path.stem}_s"] = time.perf_counter() - mark
    return stages


def run_child(*args: str) -> dict:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


def write_plain_configs(root: Path, work: Path) -> list[Path]:
    """The pipeline's Markdown for each language and a plain MkDocs configuration building it."""
    from curriculum import checks
    from curriculum.diagnostics import Report
    from curriculum.site import pages
    from curriculum.site.build import write_docs
    from curriculum.site.gitdates import last_changes

    curriculum = checks.check(root, Report())
    configs = []
    for language in curriculum.programme.languages:
        docs = pages.site_docs(curriculum, language, last_changes(root), use_directory_urls=True)
        docs_dir = work / "docs" / language
        write_docs(curriculum, docs, docs_dir)
        config = work / f"{language}.yml"
        lines = [f"INHERIT: {json.dumps(str(root / 'mkdocs.yml'))}", f"docs_dir: {json.dumps(str(docs_dir))}",
                 f"site_dir: {json.dumps(str(work / 'plain' / language))}"]
        if language != curriculum.programme.source_language:
            lines.append(f"theme: {{language: {language}}}")
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        configs.append(config)
    return configs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lectures", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="repeat and keep each side's best time")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *paths = args.child
        stages = child_pipeline(Path(paths[0]), Path(paths[1])) if kind == "pipeline" else \
            child_plain([Path(p) for p in paths])
        stages["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(stages))
        return

    from synth import generate

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        root = generate(work / "curriculum", args.lectures)
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        configs = write_plain_configs(root, work)
        pages_count = sum(1 for _ in (work / "docs").rglob("*.md"))
        pipeline, plain = None, None
        for _ in range(args.runs):
            p = run_child("pipeline", str(root), str(work / "site"))
            q = run_child("plain", *map(str, configs))
            pipeline = p if pipeline is None or p["wall_s"] < pipeline["wall_s"] else pipeline
            plain = q if plain is None or q["wall_s"] < plain["wall_s"] else plain
        built = sum(1 for _ in (work / "site").rglob("*.html"))
        plain_built = sum(1 for _ in (work / "plain").rglob("*.html"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    ratio = pipeline["wall_s"] / plain["wall_s"]
    print(f"synthetic curriculum: {args.lectures} lectures, {pages_count} Markdown pages in 2 languages")
    print(f"curriculum build site : {pipeline['wall_s']:7.2f} s  (check {pipeline['check_s']:.2f} s, pages + MkDocs "
          f"{pipeline['site_s']:.2f} s; {built} HTML pages)  peak {pipeline['peak_mb']:.0f} MB")
    stages = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in plain.items() if k.endswith("_s") and k != "wall_s")
    print(f"plain mkdocs build    : {plain['wall_s']:7.2f} s  ({stages}; {plain_built} HTML pages)  "
          f"peak {plain['peak_mb']:.0f} MB")
    print(f"ratio {ratio:.2f} (target <= 1.30): {'met' if ratio <= 1.3 else 'NOT met'}")


if __name__ == "__main__":
    main()

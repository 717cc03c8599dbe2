"""Time `curriculum build site` against stock Material for MkDocs on the same lecture files.

    python benchmarks/bench_site.py [--lectures 1000] [--runs 1] [--processes N] [--profile 15]

One run, on one synthetic curriculum (benchmarks/synth.py: ~1,500 words and a 10-question quiz
per lecture, every second lecture translated), each side in a fresh process:

* pipeline: `curriculum build site` (the CLI): check the sources, write both languages' pages
  from the model, build the English and the Chinese site with MkDocs (the pages rendered by one
  worker process per CPU unless --processes N: the benchmark sets CURRICULUM_SITE_PROCESSES),
  scan the result;
* stock: Material for MkDocs as its documentation recommends, nothing from the pipeline, one
  process building English then Chinese: the lecture files as authored (front matter, quiz
  fences left as plain code blocks), the Chinese site from the translations (the original where
  there is none), theme material with its language, the search plugin (Chinese segmented by
  jieba, which Material uses when it is installed, with the separator its docs give for
  Chinese), navigation.prune and the usual extensions;
* plain (the earlier comparison): MkDocs building the Markdown the pipeline writes, with the
  repository's mkdocs.yml (so the quiz fence and the pipeline's settings included).

Prints each side's wall time (process start to exit), the ratios (targets: pipeline <= 1.0 x
stock with its workers, <= 1.3 x stock on one process) and each side's peak resident memory per
process (getrusage ru_maxrss of the process itself and, separately, of its largest worker).
--profile N runs the pipeline once more in-process under cProfile (one process) and prints the
top N functions by internal time.
"""

from __future__ import annotations

import argparse
import json
import os
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

# Material's documented search separator for Chinese (jieba's segments are cut at \u200b).
STOCK_SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
STOCK_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - footnotes
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


def child_pipeline(root: Path, out: Path) -> dict:
    """`curriculum build site` as the command runs it."""
    from curriculum.cli import main

    code = main(["build", "site", "--root", str(root), "--out", str(out)])
    if code != 0:
        raise SystemExit(f"curriculum build site exited {code}")
    return {}


def child_mkdocs(configs: list[Path]) -> dict:
    """`mkdocs build` of each configuration, one after the other in this one process."""
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


def run_child(*args: str, env: dict[str, str] | None = None) -> dict:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


def write_stock_configs(root: Path, work: Path) -> list[Path]:
    """Each language's lecture files as authored and a stock Material configuration for them."""
    languages = ("en", "zh-TW")
    configs = []
    for language in languages:
        docs = work / "stock-docs" / language
        for source in sorted((root / "lectures").rglob("*.md")):
            if source.name.count(".") > 1:
                continue  # a translation: taken for its source below
            translation = source.with_name(f"{source.stem}.{language}.md")
            chosen = translation if language != "en" and translation.exists() else source
            dest = docs / source.relative_to(root / "lectures")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(chosen, dest)
        (docs / "index.md").write_text("# Synthetic programme\n", encoding="utf-8")
        config = work / f"stock-{language}.yml"
        config.write_text(
            f"site_name: Synthetic programme\n"
            f"docs_dir: {json.dumps(str(docs))}\n"
            f"site_dir: {json.dumps(str(work / 'stock' / language))}\n"
            "theme:\n  name: material\n"
            f"  language: {'zh-TW' if language == 'zh-TW' else 'en'}\n"
            "  features:\n    - navigation.prune\n"
            "plugins:\n  - search:\n"
            f"      separator: {json.dumps(STOCK_SEPARATOR)}\n"
            + STOCK_EXTENSIONS, encoding="utf-8")
        configs.append(config)
    return configs


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


def profile(root: Path, out: Path, top: int) -> None:
    import cProfile
    import pstats

    os.environ["CURRICULUM_SITE_PROCESSES"] = "1"
    profiler = cProfile.Profile()
    profiler.runcall(child_pipeline, root, out)
    stats = pstats.Stats(profiler)
    print(f"\ncProfile of `curriculum build site` (one process), top {top} by internal time:")
    stats.sort_stats("tottime").print_stats(top)


def html_count(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lectures", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="repeat and keep each side's best time")
    parser.add_argument("--processes", type=int, help="the pipeline's worker processes (default: one per CPU); "
                        "1 builds everything in one process")
    parser.add_argument("--no-plain", action="store_true", help="skip the earlier comparison")
    parser.add_argument("--profile", type=int, metavar="N", help="also print the pipeline's top N profile lines")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *paths = args.child
        stages = child_pipeline(Path(paths[0]), Path(paths[1])) if kind == "pipeline" else \
            child_mkdocs([Path(p) for p in paths])
        stages["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stages["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(stages))
        return

    from synth import generate

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {"CURRICULUM_SITE_PROCESSES": str(args.processes)} if args.processes else {}
    try:
        root = generate(work / "curriculum", args.lectures)
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        stock_configs = write_stock_configs(root, work)
        plain_configs = [] if args.no_plain else write_plain_configs(root, work)
        results: dict[str, list[dict]] = {"pipeline": [], "stock": [], "plain": []}
        for _ in range(args.runs):
            for side, child in (("pipeline", ("pipeline", str(root), str(work / "build"))),
                                ("stock", ("mkdocs", *map(str, stock_configs))),
                                ("plain", ("mkdocs", *map(str, plain_configs)))):
                if side == "plain" and not plain_configs:
                    continue
                results[side].append(run_child(*child, env=env if side == "pipeline" else None))
                print(f"  {side}: {json.dumps(results[side][-1])}", flush=True)  # as it comes, for long runs
        counts = {"pipeline": html_count(work / "build" / "site"), "stock": html_count(work / "stock"),
                  "plain": html_count(work / "plain") if plain_configs else 0}
        if args.profile:
            profile(root, work / "profiled", args.profile)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    pipeline, stock = best(results["pipeline"]), best(results["stock"])
    processes = args.processes or "default"

    def memory(r: dict) -> str:
        workers = f", largest worker {r['workers_peak_mb']:.0f} MB" if r["workers_peak_mb"] > 1 else ""
        return f"peak RSS {r['peak_mb']:.0f} MB{workers}"

    print(f"synthetic curriculum: {args.lectures} lectures, both languages; best of {args.runs} run(s)")
    print(f"curriculum build site (processes: {processes}): {pipeline['wall_s']:7.2f} s "
          f"({counts['pipeline']} HTML pages)  {memory(pipeline)}")
    stages = ", ".join(f"{k[:-2].removeprefix('stock-')} {v:.2f} s" for k, v in stock.items()
                       if k.endswith("_s") and k != "wall_s")
    print(f"stock Material, sequential          : {stock['wall_s']:7.2f} s ({stages}; {counts['stock']} HTML pages)  "
          f"{memory(stock)}")
    ratio = pipeline["wall_s"] / stock["wall_s"]
    target = 1.3 if args.processes == 1 else 1.0
    print(f"ratio to stock Material {ratio:.2f} (target <= {target}): {'met' if ratio <= target else 'NOT met'}")
    rss = max(pipeline["peak_mb"], pipeline["workers_peak_mb"]) / max(stock["peak_mb"], 1)
    print(f"peak RSS per process / stock's {rss:.2f} (target <= 1.5): {'met' if rss <= 1.5 else 'NOT met'}")
    if results["plain"]:
        plain = best(results["plain"])
        print(f"plain mkdocs build of the pipeline's Markdown: {plain['wall_s']:7.2f} s ({counts['plain']} HTML pages)"
              f"  {memory(plain)}; ratio {pipeline['wall_s'] / plain['wall_s']:.2f} (the earlier comparison)")


if __name__ == "__main__":
    main()

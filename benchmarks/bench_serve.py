"""Time `curriculum serve` from saving a lecture to the open page having reloaded.

    python benchmarks/bench_serve.py [--edits 10] [--lecture ai/ai-what-models-do]

Copies the bundled curriculum to a temporary folder, starts the preview on it, opens a lecture's
page in headless Chromium (Debian's, through Playwright), then edits the lecture's body `--edits`
times: each edit writes the file and waits for the page's load event after the reload the
preview triggers, and checks that the new text is on the page. Prints the median and the worst
edit-to-reload time, what the preview rebuilt, and the time of one domain-file change (a module
title, which changes the navigation) against the first, full build.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))


def copy_curriculum(dest: Path) -> Path:
    for name in ("programme.yml", "glossary.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, dest / name)
    for name in ("lectures", "domains"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def timed_reload(page, write, expect: str) -> float:
    """Seconds from `write()` to the load event of the reloaded page, which must show `expect`."""
    with page.expect_event("load", timeout=60_000):
        start = time.perf_counter()
        write()
    elapsed = time.perf_counter() - start
    if expect not in page.content():
        raise SystemExit(f"the reloaded page does not show {expect!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--lecture", default="ai/ai-local-validation", help="DOMAIN/LECTURE-ID of the edited lecture")
    args = parser.parse_args()

    from curriculum.site.serve import Preview

    messages: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = copy_curriculum(Path(tmp))
        source = root / "lectures" / f"{args.lecture}.md"
        original = source.read_text(encoding="utf-8")
        head, _, body = original.partition("\n---\n")  # after the front matter
        if not body:
            raise SystemExit(f"{source}: no front matter")
        preview = Preview(root, port=0, log=messages.append)
        started = time.perf_counter()
        preview.start()
        first = time.perf_counter() - started
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=["--no-sandbox", "--headless=new"])
                page = browser.new_page()
                page.goto(preview.url + f"lectures/{args.lecture}/")
                page.wait_for_load_state("load")
                page.wait_for_timeout(500)  # the page's script is waiting for the next build
                times = []
                for n in range(1, args.edits + 1):
                    marker = f"Benchmark edit number {n}."
                    text = f"{head}\n---\n{body.rstrip()}\n\n{marker}\n"
                    times.append(timed_reload(page, lambda text=text: source.write_text(text, encoding="utf-8"),
                                              marker))
                    page.wait_for_timeout(300)
                updates = [m for m in messages if m.startswith("preview built")][-args.edits:]

                domain = root / "domains" / f"{args.lecture.split('/')[0]}.yml"
                text = domain.read_text(encoding="utf-8")
                # The module titles: the edited lecture's page shows them in its navigation.
                edited = re.sub(r"(\n\s+title: \{en: )([^,\"'}]+),", r"\1\2 (edited),", text, count=1)
                layout = timed_reload(page, lambda: domain.write_text(edited, encoding="utf-8"), "(edited)")
                layout_log = [m for m in messages if m.startswith("preview built")][-1]
                browser.close()
        except BaseException:
            print("\n".join(messages[-5:]), file=sys.stderr)
            raise
        finally:
            preview.stop()
    print(f"bundled curriculum; edited lectures/{args.lecture}.md {args.edits} times (body text)")
    print(f"first (full) build of the preview: {first:.2f} s")
    print(f"edit-to-reload: median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
          f"(all: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"  server side: {updates[len(updates) // 2] if updates else 'no rebuild logged'}")
    print(f"domain-file edit (a title in {domain.name}) to reload: {layout:.2f} s  [{layout_log}]")


if __name__ == "__main__":
    sys.exit(main())

"""Time `curriculum serve` from saving a lecture to the open page having reloaded.

    python benchmarks/bench_serve.py [--edits 10] [--lecture ai/ai-local-validation] [--verbose]

Copies the bundled curriculum to a temporary folder, starts the preview on it, opens a lecture's
page in headless Chromium (Debian's, through Playwright), then edits the lecture's body `--edits`
times: each edit writes the file and waits for the page's load event after the reload the
preview triggers, and checks that the new text is on the page. Prints the median and the worst
edit-to-reload time, what the preview rebuilt, and the time of one domain-file change (a module
title, which changes the navigation) against the first, full build.

`--verbose` also prints, per edit, where the time went: from the write to the watcher noticing
it, the check, each language's update (its pages' Markdown, the render, the search index, the
scan), from the new build to the page's request for it being answered, then to the reloaded
page's load event, and the requests the reload made (how many answered 200 and how many 304).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from curriculum import checks
from curriculum.site import incremental
from curriculum.site.serve import Preview

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))


def copy_curriculum(dest: Path) -> Path:
    for name in ("programme.yml", "glossary.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, dest / name)
    for name in ("lectures", "domains"):
        shutil.copytree(REPO / name, dest / name)
    return dest


class Phases:
    """Where one edit's time goes: moments (seconds after the write) and summed step durations."""

    # The preview's steps, timed where they are called from (module, attribute, label).
    STEPS = ((checks, "check", "check"),
             (incremental, "language_docs", "language_docs"),
             (incremental.LiveLanguage, "_populate", "render"),
             (incremental.LiveLanguage, "_build", "page template"),
             (incremental.LiveLanguage, "_write_index", "search index"),
             (incremental, "scan_files", "scan"))

    def __init__(self) -> None:
        self.start = 0.0
        self.cpu = 0.0  # the rebuild's own processor time (its thread's): what other load does not inflate
        self.moments: dict[str, float] = {}
        self.steps: dict[str, float] = {}
        self.statuses: list[int] = []

    def reset(self) -> None:
        self.start = time.perf_counter()
        self.moments, self.steps, self.statuses = {}, {}, []
        self.cpu = 0.0

    def mark(self, name: str) -> None:
        self.moments.setdefault(name, time.perf_counter() - self.start)

    @contextlib.contextmanager
    def timing(self):
        """Every step in STEPS timed while inside."""
        originals = [(owner, name, getattr(owner, name)) for owner, name, _ in self.STEPS]
        for (owner, name, label), (_, _, original) in zip(self.STEPS, originals):
            setattr(owner, name, self._timed(label, original))
        rebuild = Preview.rebuild

        def timed_rebuild(preview) -> bool:
            started = time.thread_time()
            try:
                return rebuild(preview)
            finally:
                self.cpu += time.thread_time() - started
        Preview.rebuild = timed_rebuild
        originals.append((Preview, "rebuild", rebuild))
        try:
            yield
        finally:
            for owner, name, original in originals:
                setattr(owner, name, original)

    def _timed(self, label: str, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.steps[label] = self.steps.get(label, 0.0) + time.perf_counter() - started
        return timed

    def log(self, messages: list[str]):
        def log(text: str) -> None:
            messages.append(text)
            if text.startswith("changed:"):
                self.mark("detected")
            elif text.startswith("preview built"):
                self.mark("built")
        return log

    def watch(self, page) -> None:
        def on_response(response) -> None:
            if ".cmio-preview.json?since=" in response.url:
                self.mark("answered")
            elif response.request.is_navigation_request():
                self.mark("page")
            if "/.cmio-preview.json" not in response.url:
                self.statuses.append(response.status)
        page.on("response", on_response)

    def line(self, n: int, total: float) -> str:
        moments = ", ".join(f"{name} {at:.3f}" for name, at in self.moments.items())
        steps = ", ".join(f"{name} {spent:.3f}" for name, spent in self.steps.items())
        ok, revalidated = self.statuses.count(200), self.statuses.count(304)
        return (f"  edit {n}: {total:.3f} s = [{moments}, load {total:.3f}] server steps: {steps} "
                f"(processor time of the rebuild {self.cpu:.3f}); "
                f"{len(self.statuses)} requests ({ok} x 200, {revalidated} x 304)")


def timed_reload(page, write, expect: str, phases: Phases | None = None) -> float:
    """Seconds from `write()` to the load event of the reloaded page, which must show `expect`."""
    with page.expect_event("load", timeout=60_000):
        start = time.perf_counter()
        if phases is not None:
            phases.reset()
        write()
    elapsed = time.perf_counter() - start
    if expect not in page.content():
        raise SystemExit(f"the reloaded page does not show {expect!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--lecture", default="ai/ai-local-validation", help="DOMAIN/LECTURE-ID of the edited lecture")
    parser.add_argument("--verbose", action="store_true", help="where each edit's time goes")
    args = parser.parse_args()

    messages: list[str] = []
    phases = Phases() if args.verbose else None
    details: list[str] = []
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = copy_curriculum(Path(tmp))
        source = root / "lectures" / f"{args.lecture}.md"
        original = source.read_text(encoding="utf-8")
        head, _, body = original.partition("\n---\n")  # after the front matter
        if not body:
            raise SystemExit(f"{source}: no front matter")
        if phases is not None:
            stack.enter_context(phases.timing())
        preview = Preview(root, port=0, log=phases.log(messages) if phases else messages.append)
        started = time.perf_counter()
        preview.start()
        first = time.perf_counter() - started
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=["--no-sandbox", "--headless=new"])
                page = browser.new_page()
                if phases is not None:
                    phases.watch(page)
                page.goto(preview.url + f"lectures/{args.lecture}/")
                page.wait_for_load_state("load")
                page.wait_for_timeout(500)  # the page's script is waiting for the next build
                times = []
                for n in range(1, args.edits + 1):
                    marker = f"Benchmark edit number {n}."
                    text = f"{head}\n---\n{body.rstrip()}\n\n{marker}\n"
                    times.append(timed_reload(page, lambda text=text: source.write_text(text, encoding="utf-8"),
                                              marker, phases))
                    if phases is not None:
                        details.append(phases.line(n, times[-1]))
                    page.wait_for_timeout(300)
                updates = [m for m in messages if m.startswith("preview built")][-args.edits:]

                domain = root / "domains" / f"{args.lecture.split('/')[0]}.yml"
                text = domain.read_text(encoding="utf-8")
                # The module titles: the edited lecture's page shows them in its navigation.
                edited = re.sub(r"(\n\s+title: \{en: )([^,\"'}]+),", r"\1\2 (edited),", text, count=1)
                layout = timed_reload(page, lambda: domain.write_text(edited, encoding="utf-8"), "(edited)", phases)
                if phases is not None:
                    details.append(phases.line(args.edits + 1, layout).replace("edit", "domain edit", 1))
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
    if details:
        print("where the time went (seconds after the write):")
        print("\n".join(details))


if __name__ == "__main__":
    sys.exit(main())

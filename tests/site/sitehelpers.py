"""Helpers of the course-site tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site-mini"
CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "tests" / "vendor" / "axe.min.js"


def checked_page(chromium, **context_options) -> Iterator:
    """A page in a fresh browser context; after the test, no JavaScript error may have occurred
    (uncaught errors and console errors alike). Use with `yield from`."""
    context = chromium.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def site_copy(destination: Path, git: bool = False) -> Path:
    """A private copy of the site fixture with the repository's mkdocs.yml (optionally a git repo)."""
    shutil.copytree(FIXTURE, destination)
    shutil.copy2(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    if git:
        env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-15T10:00:00+08:00",
               "GIT_COMMITTER_DATE": "2026-01-15T10:00:00+08:00"}
        for args in (["init", "-q"], ["add", "."],
                     ["-c", "user.name=Faculty", "-c", "user.email=faculty@example.org", "commit", "-q", "-m", "fixture"]):
            subprocess.run(["git", *args], cwd=destination, check=True, env=env, capture_output=True)
    return destination

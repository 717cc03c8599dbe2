"""Helpers of the course-site tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site-mini"
CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "tests" / "vendor" / "axe.min.js"


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

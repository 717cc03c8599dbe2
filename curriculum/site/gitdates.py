"""When each source file last changed, from git: one `git log` for all files.

Outside a repository, without git, or for files never committed, there is simply no date.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

_MARK = "\x1e"


def last_changes(root: Path, paths: tuple[str, ...] = ("lectures",)) -> dict[str, dt.date]:
    """{path relative to `root`: date of the last commit that touched it}."""
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", f"--format={_MARK}%cs", "--name-only", "--no-renames",
             "--relative", "--", *paths],
            cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in result.stdout.split("\n"):  # not splitlines(): it splits at \x1e too
        if line.startswith(_MARK):
            try:
                current = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line and current is not None and line not in dates:
            dates[line] = current
    return dates

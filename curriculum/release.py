"""`curriculum release X.Y.Z`: set the programme version and prepend the release's changelog.

Files are edited as text at the positions the loader recorded, so comments and layout stay.
Nothing is committed or pushed: the release manager reviews the diff and commits it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import diff, gitrefs
from .model import Curriculum, version_tuple
from .schema import SEMVER

CHANGELOG_HEADER = "# Changelog\n\nReleases of the curriculum, newest first. Written by `curriculum release`.\n"


_VERSION_TOKEN = re.compile(r"(?P<q>['\"]?)[0-9A-Za-z.+-]+(?P=q)")


class ReleaseError(Exception):
    pass


def previous_release(root: Path) -> str:
    """The most recent tag reachable from HEAD, else the first commit."""
    try:
        return gitrefs.git(root, "describe", "--tags", "--abbrev=0").strip()
    except gitrefs.GitError:
        roots = gitrefs.git(root, "rev-list", "--max-parents=0", "HEAD").split()
        if not roots:
            raise ReleaseError("the repository has no commits") from None
        return roots[-1]


def release(curriculum: Curriculum, version: str, since: str | None = None,
            today: dt.date | None = None) -> tuple[str, diff.Changes]:
    """Write the new version into programme.yml and its changelog into CHANGELOG.md."""
    if not SEMVER.match(version):
        raise ReleaseError(f"{version!r} is not a semantic version like 1.2.0")
    current = curriculum.programme.version
    if version_tuple(version) <= version_tuple(current):
        raise ReleaseError(f"version {version} is not above the current version {current}")
    root = curriculum.root
    since = since or previous_release(root)
    before, report = gitrefs.load_at(root, since)
    if before is None:
        raise ReleaseError(f"the curriculum at {since} cannot be loaded: {report.sorted()[:1]}")
    changes = diff.compare(before, curriculum)
    date = (today or dt.date.today()).isoformat()
    section = diff.to_markdown(changes, f"{version} — {date} (changes since {since})")

    programme = root / curriculum.programme.path
    text = programme.read_text(encoding="utf-8")
    line, col = curriculum.programme.raw.value_pos["version"]
    lines = text.split("\n")
    target = lines[line - 1]
    token = _VERSION_TOKEN.match(target, col - 1)
    if token is None:
        raise ReleaseError(f"cannot find the version at {curriculum.programme.path}:{line}:{col}")
    lines[line - 1] = target[:token.start()] + token["q"] + version + token["q"] + target[token.end():]
    changelog = root / "CHANGELOG.md"
    old = changelog.read_text(encoding="utf-8") if changelog.exists() else CHANGELOG_HEADER
    head, sep, rest = old.partition("\n## ")
    new_changelog = head.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n" + (("\n## " + rest) if sep else "")
    _write(programme, "\n".join(lines))
    _write(changelog, new_changelog)
    return section, changes


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


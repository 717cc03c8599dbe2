"""Reading the curriculum as it was at a git revision, without touching the working tree."""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .diagnostics import Report
from .load import load
from .model import Curriculum


class GitError(Exception):
    pass


def git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout if binary else result.stdout.decode("utf-8")


def resolve(root: Path, ref: str) -> str:
    """The commit id `ref` names, or GitError with git's own explanation."""
    return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip() or _unknown(ref)


def _unknown(ref: str) -> str:
    raise GitError(f"unknown revision {ref!r}")


@contextlib.contextmanager
def checkout(root: Path, ref: str) -> Iterator[Path]:
    """A temporary folder holding the curriculum root's files as they were at `ref`."""
    root = root.resolve()
    commit = resolve(root, ref)
    prefix = git(root, "rev-parse", "--show-prefix").strip()  # the curriculum may live in a subfolder
    archive = git(root, "archive", "--format=tar", commit, *([prefix] if prefix else []), binary=True)
    with tempfile.TemporaryDirectory(prefix="curriculum-ref-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / prefix if prefix else Path(tmp)


def load_at(root: Path, ref: str) -> tuple[Curriculum | None, Report]:
    """The curriculum at `ref`, loaded with the same loader (its findings are in the report)."""
    with checkout(root, ref) as tree:
        report = Report()
        return load(tree, report), report


def commit_time(root: Path, ref: str = "HEAD") -> int | None:
    """Committer time of `ref` as a Unix timestamp, or None outside a git repository."""
    try:
        return int(git(root, "log", "-1", "--format=%ct", ref).strip())
    except (GitError, ValueError):
        return None

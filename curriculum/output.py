"""Atomic outputs: a writer fills a temporary folder that replaces the target only on success,
so a failed or interrupted build never leaves a half-written output behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside `target`; on success it becomes `target`, else it vanishes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    work.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


STALE = (".*.tmp", ".*.old")  # what atomic_dir and staging leave only when a process is killed


def clean_stale(out: Path) -> None:
    """Remove what an earlier, killed build left in `out` (temporary and old folders)."""
    if out.is_dir():
        for pattern in STALE:
            for path in out.glob(pattern):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A folder inside `out` where a build of several targets writes all of them; see commit()."""
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    stage = Path(tempfile.mkdtemp(prefix=".build.", suffix=".tmp", dir=out))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def commit(stage: Path, out: Path, folders: list[str], merged: tuple[str, ...] = ()) -> None:
    """Move every built folder of `stage` into `out`, once all of them were built.

    A folder replaces the old one whole; a folder in `merged` (the course archives, built per
    language) only replaces the files it holds. If a move fails, the ones already made are
    undone, so `out` holds either every new output or every old one.
    """
    undo: list[tuple[Path, Path | None]] = []  # (new place, where its old content went)
    try:
        for name in folders:
            source, target = stage / name, out / name
            if name in merged:
                target.mkdir(parents=True, exist_ok=True)
                for file in sorted(source.iterdir()):
                    old = None
                    if (target / file.name).exists():
                        old = stage / f".old-{name}-{file.name}"
                        os.replace(target / file.name, old)
                    os.replace(file, target / file.name)
                    undo.append((target / file.name, old))
                continue
            old = None
            if target.exists():
                old = stage / f".old-{name}"
                target.rename(old)
            source.rename(target)
            undo.append((target, old))
    except BaseException:
        for new, old in reversed(undo):
            shutil.rmtree(new, ignore_errors=True) if new.is_dir() else new.unlink(missing_ok=True)
            if old is not None:
                os.replace(old, new)
        raise

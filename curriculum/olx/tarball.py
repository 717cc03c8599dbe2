"""Deterministic .tar.gz: two builds of the same commit are byte-identical.

Entries are sorted, every mtime is the commit time (or SOURCE_DATE_EPOCH), owners are 0/0 with
no names, modes are fixed, and the gzip header carries no name and mtime 0.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from pathlib import Path

from ..errors import OlxBuildError
from ..gitrefs import commit_time


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.isdigit():
        return int(value)
    return commit_time(root) or 0


def write_tar_gz(files: dict[str, bytes], dest: Path, mtime: int) -> None:
    """Write `files` (archive path → content) as a reproducible gzip-compressed tar."""
    for name in files:  # names come from ids the check keeps safe; this holds even when it was skipped
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or any(part in ("", ".", "..") for part in parts):
            raise OlxBuildError("programme.yml", f"the course file name {name!r} is not a safe path inside the archive")
    with open(dest, "wb") as fd, gzip.GzipFile(filename="", mode="wb", fileobj=fd, mtime=0, compresslevel=6) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        directories = sorted({str(Path(name).parent) for name in files} - {"."})
        for directory in _with_parents(directories):
            info = tarfile.TarInfo(directory)
            info.type = tarfile.DIRTYPE
            _normalise(info, mtime, 0o755)
            tar.addfile(info)
        for name in sorted(files):
            data = files[name]
            info = tarfile.TarInfo(name)
            info.size = len(data)
            _normalise(info, mtime, 0o644)
            tar.addfile(info, io.BytesIO(data))


def _with_parents(directories: list[str]) -> list[str]:
    out = set()
    for directory in directories:
        parts = Path(directory).parts
        out.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(out)


def _normalise(info: tarfile.TarInfo, mtime: int, mode: int) -> None:
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = mode

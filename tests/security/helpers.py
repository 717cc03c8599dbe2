"""Helpers of the security tests: a private copy of the site fixture, the check, the builders
called directly on a loaded curriculum (the check skipped), and looks into what they wrote."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tarfile
from pathlib import Path

from curriculum import checks
from curriculum.diagnostics import Diagnostic, Report

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site-mini"
TODAY = dt.date(2026, 11, 26)


def site_copy(destination: Path) -> Path:
    """A private copy of the site fixture with the repository's mkdocs.yml."""
    shutil.copytree(FIXTURE, destination)
    shutil.copy2(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` of `root`/`rel` with `new` (the text must be there)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    """The 1-based line of the first `needle` in `root`/`rel`."""
    text = (root / rel).read_text(encoding="utf-8")
    index = text.find(needle)
    assert index >= 0, f"{rel} has no {needle!r}"
    return text.count("\n", 0, index) + 1


def findings(root: Path) -> list[Diagnostic]:
    report = Report()
    checks.check(root, report, today=TODAY)
    return report.sorted()


def loaded(root: Path):
    """The curriculum as the loader makes it, whatever the check says (the check skipped)."""
    curriculum = checks.check(root, Report(), today=TODAY)
    assert curriculum is not None, "the curriculum must load for the builders to run"
    return curriculum


def build_site_unchecked(root: Path, out: Path) -> Path:
    from curriculum.site import build_site

    return build_site(loaded(root), out)


def build_olx_unchecked(root: Path, out: Path, languages: list[str] | None = None) -> Path:
    from curriculum.olx import build_olx

    curriculum = loaded(root)
    build_olx(curriculum, out, languages=languages or curriculum.programme.languages)
    return out


def tar_members(folder: Path) -> dict[str, bytes]:
    """Every member of every .tar.gz in `folder`: name -> bytes (b"" for folders and links)."""
    out: dict[str, bytes] = {}
    for archive in sorted(folder.glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                data = tar.extractfile(member).read() if member.isfile() else b""
                out[f"{archive.name}:{member.name}"] = data
    return out


def files_holding(folder: Path, needle: bytes) -> list[str]:
    """Every file under `folder` (and every member of its archives) whose bytes hold `needle`."""
    hits: list[str] = []
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            if path.is_symlink():
                hits.append(f"{path} (a symbolic link)")
                continue
            if needle in path.read_bytes():
                hits.append(str(path))
            if name.endswith(".tar.gz"):
                hits += [m for m, data in tar_members(path.parent).items() if needle in data and
                         m.startswith(f"{name}:")]
    return hits


def all_files(folder: Path) -> list[str]:
    """Every file under `folder`, relative, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())

"""Reading source files: size, encoding, front matter and fenced blocks, with line numbers.

Nothing here knows what a lecture is; it turns bytes into text, YAML values and Markdown parts
that still know their line and column in the original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import yamlpos
from .diagnostics import Pos, Report

MAX_FILE_BYTES = 1_000_000

# Citations: `[n]` links to the n-th reference (not a link `[n](…)`, a definition `[n]:`, an
# image or an escaped bracket). The check reads citations with it and the writers link them.
CITATION_PATTERN = r"(?<![!\\])\[(\d{1,3})\](?![(:])"
CITATION = re.compile(CITATION_PATTERN)
# Lists and ranges the writers do not link ([1,2], [1, 2], [1-3], [1–3]): errors, written [1][2].
CITATION_LIST = re.compile(r"(?<![!\\])\[(\d{1,3}(?:\s*[,;\u2013\u2014-]\s*\d{1,3})+)\](?![(:])")

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>`{3,}|~{3,})[ \t]*(?P<info>[^\s`]*)[^`]*$")


class SourceError(Exception):
    """A file that cannot be read at all; the report already says why."""


def read_text(root: Path, rel: str, report: Report) -> str | None:
    """The file's text with newlines normalised, or None after reporting why it is unusable."""
    path = root / rel
    if path.is_symlink():
        report.error(rel, None, "file-symlink", "a symbolic link: curriculum files must be regular files of the repository")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(rel, None, "file-too-large",
                         f"file is {size:,} bytes; sources are limited to {MAX_FILE_BYTES:,} bytes")
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(rel, None, "file-unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(rel, Pos(line, col), "file-encoding",
                     f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        report.error(rel, None, "file-empty", "the file is empty")
        return None
    return text


def load_yaml(text: str, rel: str, report: Report, line_offset: int = 0, col_offset: int = 0) -> Any:
    """Parse YAML, reporting problems against `rel`; None when it does not parse."""
    try:
        return yamlpos.load(text, line_offset, col_offset)
    except yamlpos.YAMLProblem as problem:
        report.error(rel, problem.pos, problem.rule, problem.message)
        return None


def load_yaml_file(root: Path, rel: str, report: Report, expect: type = dict) -> Any:
    text = read_text(root, rel, report)
    if text is None:
        return None
    value = load_yaml(text, rel, report)
    if value is None:
        if not report.errors or report.errors[-1].path != rel:
            report.error(rel, None, "file-empty", "the file holds no YAML value")
        return None
    if not isinstance(value, expect):
        kind = "a mapping" if expect is dict else "a list"
        report.error(rel, getattr(value, "pos", None), "yaml-document", f"the document must be {kind}")
        return None
    return value


@dataclass
class Fence:
    """A fenced block of a Markdown body."""

    info: str  # the first word after the marker: "quiz", "python", ""
    line: int  # 1-based line of the opening marker in the original file
    indent: str  # whitespace before the marker; content lines carry it too
    content: str  # the lines between the markers, with the indent removed
    start: int  # index of the opening line in the file's lines
    end: int  # index of the closing line


@dataclass
class MarkdownSource:
    rel: str
    lines: list[str]
    front: Any  # YMap, or None when absent/invalid
    body_start: int  # index into lines of the first body line
    fences: list[Fence] = field(default_factory=list)

    @cached_property
    def prose(self) -> str:
        """The body outside fenced blocks, with every other line blanked so offsets map to lines."""
        lines = [""] * len(self.lines)
        lines[self.body_start:] = self.lines[self.body_start:]
        for fence in self.fences:
            lines[fence.start:fence.end + 1] = [""] * (fence.end + 1 - fence.start)
        return "\n".join(lines)


def position(text: str, offset: int) -> Pos:
    """1-based line and column of a character offset in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return Pos(text.count("\n", 0, offset) + 1, offset - line_start + 1)


def read_markdown(root: Path, rel: str, report: Report) -> MarkdownSource | None:
    """Split a Markdown file into YAML front matter and body, and find its fenced blocks."""
    text = read_text(root, rel, report)
    if text is None:
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        report.error(rel, Pos(1, 1), "front-matter", "the file must start with YAML front matter between '---' lines")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        report.error(rel, Pos(1, 1), "front-matter", "front matter is not closed by a '---' line")
        return None
    front = load_yaml("\n".join(lines[1:end]), rel, report, line_offset=1)
    if front is not None and not isinstance(front, dict):
        report.error(rel, Pos(2, 1), "yaml-document", "front matter must be a mapping of fields")
        front = None
    elif front is None and not any(d.path == rel for d in report.errors):
        report.error(rel, Pos(2, 1), "front-matter", "front matter is empty")
    source = MarkdownSource(rel, lines, front, end + 1)
    source.fences = _find_fences(lines, end + 1, rel, report)
    return source


def _find_fences(lines: list[str], start: int, rel: str, report: Report) -> list[Fence]:
    fences: list[Fence] = []
    i = start
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        indent, marker, info = match["indent"], match["marker"], match["info"]
        close = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
        j = next((k for k in range(i + 1, len(lines)) if close.match(lines[k])), None)
        if j is None:
            report.error(rel, Pos(i + 1, len(indent) + 1), "fence-unterminated",
                         f"the {marker} block opened here is never closed")
            return fences
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip(" \t") for line in lines[i + 1:j]]
        fences.append(Fence(info.lower(), i + 1, indent, "\n".join(body), i, j))
        i = j + 1
    return fences

"""Findings and their three output forms (text, GitHub annotations, JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import NamedTuple


class Pos(NamedTuple):
    """A 1-based line and column in an original source file."""

    line: int
    col: int


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the curriculum root, with forward slashes
    line: int
    col: int
    severity: str  # "error" | "warning"
    rule: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} [{self.rule}] {self.message}"

    def github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message and also , and : in properties.
        def prop(value: str) -> str:
            return _escape(value).replace(":", "%3A").replace(",", "%2C")

        return (f"::{self.severity} file={prop(self.path)},line={self.line},col={self.col},"
                f"title={prop(self.rule)}::{_escape(self.message)}")


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class Report:
    """Collects findings; rules add to it, the CLI prints it."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, path: str, pos: Pos | None, severity: str, rule: str, message: str) -> None:
        line, col = pos if pos else (1, 1)
        self.items.append(Diagnostic(path, line, col, severity, rule, message))

    def error(self, path: str, pos: Pos | None, rule: str, message: str) -> None:
        self.add(path, pos, "error", rule, message)

    def warning(self, path: str, pos: Pos | None, rule: str, message: str) -> None:
        self.add(path, pos, "warning", rule, message)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def sorted(self, strict: bool = False) -> list[Diagnostic]:
        items = sorted(set(self.items), key=lambda d: (d.path, d.line, d.col, d.rule, d.message))
        if strict:
            items = [Diagnostic(d.path, d.line, d.col, "error", d.rule, d.message) for d in items]
        return items

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]


def render(diagnostics: list[Diagnostic], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in diagnostics)
    return "\n".join(d.text() for d in diagnostics)

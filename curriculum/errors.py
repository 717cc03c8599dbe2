"""The errors that stop a command, shared by every part of the pipeline.

They sit below the writers and the command line: the site and the export raise them, and the
command line maps them to exit codes (every one of them is a usage error: exit 2, one message
naming the file to blame, never a traceback).
"""

from __future__ import annotations


class UsageError(Exception):
    """A command that cannot run as asked: a bad argument, a bad input file, a failed build."""


class SiteBuildError(UsageError):
    """A site build that cannot go on, with the source file (and line) to blame where known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 details: list[str] | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.details = details or []
        super().__init__(self.text())

    def text(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        lines = [f"{where}{self.message}"] + [f"  {d}" for d in self.details]
        return "\n".join(lines)

    def __reduce__(self):  # raised in a worker process, it is pickled back to the build
        return type(self), (self.message, self.path, self.line, self.details)


class OlxBuildError(UsageError):
    """A course export that cannot be written; printed as `PATH: message`, nothing is written."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path

    def __reduce__(self):
        return type(self), (self.path, str(self).removeprefix(f"{self.path}: "))


class ConfigError(UsageError):
    """mkdocs.yml refused: one line naming the file, the line and the key."""

    def __init__(self, message: str, line: int | None = None, path: str = "mkdocs.yml") -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    def __reduce__(self):
        return type(self), (self.message, self.line, self.path)

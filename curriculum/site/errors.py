"""The error of a site build that cannot go on, with the source file to blame where known.

It is a usage error of the command line, so `curriculum build site` prints its message (not an
"internal error") and exits non-zero.
"""

from __future__ import annotations

from ..cli import UsageError


class SiteBuildError(UsageError):
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

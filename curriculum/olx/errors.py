"""The error of a course export that cannot be written."""

from __future__ import annotations

from ..cli import UsageError


class OlxBuildError(UsageError):
    """Printed by the CLI as `PATH: message` (exit 2); nothing is written."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path

    def __reduce__(self):  # raised in a worker process, it is pickled back to the build
        return type(self), (self.path, str(self).removeprefix(f"{self.path}: "))

"""Results of the check's costliest pure functions of text, kept from one check to the next.

The live preview checks the whole curriculum on every save, and between two saves nearly every
text is unchanged. A `CheckMemo` hands back what a function computed for the same key in the
previous check (or earlier in this one) and forgets, at the start of each check, every key the
previous check did not ask for: memory stays that of one check, however long the preview runs.
Keys hold the text itself (never a file's time or size), so a changed text is always computed
again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class CheckMemo(Generic[Value]):
    def __init__(self) -> None:
        self._previous: dict[Hashable, Value] = {}
        self._current: dict[Hashable, Value] = {}

    def new_check(self) -> None:
        """A check starts: what the last one did not use is forgotten."""
        self._previous, self._current = self._current, {}

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        if key in self._current:
            return self._current[key]
        value = self._previous.pop(key) if key in self._previous else compute()
        self._current[key] = value
        return value

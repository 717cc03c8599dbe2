"""Pausing Python's cyclic garbage collector around bulk work on the model.

Loading a curriculum or exporting a course makes hundreds of thousands of small objects and
almost no reference cycles; the collector would walk them again and again, so that time grows
faster than the curriculum (about a third of a check's time). It runs normally afterwards.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""Forked worker processes for the site build.

Workers are forked, not spawned: they inherit the checked model and whatever the build prepared
(nothing is pickled but each task and its result). A worker's resident memory starts as its
parent's: the C library's free memory is handed back to the system first, and what the parent
holds is frozen out of the garbage collector's sight, so that a collection in a worker does not
touch, and so copy, the parent's pages.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")


def forked_map(function: Callable[[Task], Result], tasks: Sequence[Task], processes: int) -> list[Result]:
    """`function` of each task, in the tasks' order, computed by `processes` forked workers taking
    the tasks in order as they come free (with one process: here, one after the other). An
    exception is raised for the first task, in order, that raised one."""
    if processes <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    gc.collect()
    _release_free_memory()
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(min(processes, len(tasks)), initializer=_ignore_interrupts)
    try:
        pending = [pool.apply_async(function, (task,)) for task in tasks]
        results = [result.get() for result in pending]
        pool.close()
        return results
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()


def _release_free_memory() -> None:
    with contextlib.suppress(OSError, AttributeError):  # glibc's; elsewhere nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it, ending the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

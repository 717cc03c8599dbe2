"""url_names of the course's blocks.

They derive from the curriculum's stable ids alone — never from titles or positions — so a new
release with the same ids has the same url_names and re-importing keeps trainees' learner state.
Open edX wants url_names unique across the whole course, so each carries its kind: `kind_id`.
Ids never hold "_", so no two kinds can produce the same name.
"""

from __future__ import annotations

import re

# Open edX accepts letters, digits and "-_.:~" in url_names; our ids use [a-z0-9-] only.
_ALLOWED = re.compile(r"[A-Za-z0-9_.:~-]+\Z")


def _name(kind: str, stable_id: str) -> str:
    name = f"{kind}_{stable_id}"
    if not _ALLOWED.match(name):
        raise ValueError(f"{name!r} is not a valid url_name")
    return name


def chapter(domain_id: str) -> str:
    return _name("domain", domain_id)


def sequential(module_id: str) -> str:
    return _name("module", module_id)


def exam_sequential(quiz_id: str) -> str:
    return _name("exam", quiz_id)


def vertical(lecture_id: str) -> str:
    return _name("lecture", lecture_id)


def exam_vertical(quiz_id: str) -> str:
    return _name("examunit", quiz_id)


def html(lecture_id: str) -> str:
    return _name("text", lecture_id)


def quiz(quiz_id: str) -> str:
    return _name("quiz", quiz_id)

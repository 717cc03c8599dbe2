"""`curriculum new lecture`: a valid lecture skeleton, listed in its module.

The domain file is edited as text at the position the loader recorded, so its comments,
quoting and order stay exactly as the author wrote them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .model import Curriculum
from .schema import ID


class ScaffoldError(Exception):
    pass


def new_lecture(curriculum: Curriculum, domain_id: str, module_id: str, lecture_id: str, title: str,
                authors: list[str]) -> list[Path]:
    """Write lectures/<domain>/<id>.md and list it last in the module. Returns the files written."""
    if any(ID.check(lecture_id, ("id",))):
        raise ScaffoldError(f"lecture id {lecture_id!r} must match [a-z0-9][a-z0-9-]*")
    if not title.strip() or "\n" in title:
        raise ScaffoldError("the title must be one non-empty line")
    domain = next((d for d in curriculum.domains if d.id == domain_id), None)
    if domain is None:
        raise ScaffoldError(f"no domain {domain_id!r}; domains: {', '.join(d.id for d in curriculum.domains)}")
    module = next((m for m in domain.modules if m.id == module_id), None)
    if module is None:
        raise ScaffoldError(f"no module {module_id!r} in {domain.path}; modules: "
                            f"{', '.join(m.id for m in domain.modules)}")
    if lecture_id in curriculum.lectures or any(lecture_id in m.lecture_ids for m in curriculum.modules()):
        raise ScaffoldError(f"lecture id {lecture_id!r} is already used")
    target = curriculum.root / "lectures" / domain_id / f"{lecture_id}.md"
    if target.exists():
        raise ScaffoldError(f"{target.relative_to(curriculum.root)} already exists")

    domain_file = curriculum.root / domain.path
    text = domain_file.read_text(encoding="utf-8")
    edited = _append_to_list(text, module.raw["lectures"], lecture_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(lecture_id, title, authors), encoding="utf-8")
    tmp = domain_file.with_suffix(".yml.tmp")
    tmp.write_text(edited, encoding="utf-8")
    tmp.replace(domain_file)
    return [target, domain_file]


def _append_to_list(text: str, ids, new_id: str) -> str:
    lines = text.split("\n")
    line, col = ids.pos
    opening = lines[line - 1]
    if opening[col - 1:col] == "[":  # flow style: insert before the closing bracket
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + col - 1
        depth, i = 0, offset
        while i < len(text):
            if text[i] == "[":
                depth += 1
            elif text[i] == "]":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        if i >= len(text):
            raise ScaffoldError("cannot find the end of the module's lecture list")
        inner = text[offset + 1:i]
        if not inner.strip():
            return text[:offset + 1] + new_id + text[i:]
        return text[:i].rstrip() + ", " + new_id + text[i:]
    # block style: a new "- id" line after the last item, its dash under the others
    last_line, last_col = ids.item_pos[-1]
    lines.insert(last_line, " " * (last_col - 3) + "- " + new_id)
    return "\n".join(lines)


def skeleton(lecture_id: str, title: str, authors: list[str]) -> str:
    review_by = dt.date.today().replace(year=dt.date.today().year + 1).isoformat()
    quoted_title = title.replace('"', '\\"')
    author_list = ", ".join(f'"{a}"' for a in authors)
    return f'''---
id: {lecture_id}
title: "{quoted_title}"
version: 0.1.0
status: draft             # published | draft | outline
duration: 45              # minutes
authors: [{author_list}]
review_by: {review_by}    # re-check regulatory facts by this date
competencies: []          # codes from programme.yml frameworks, e.g. [CC1, F2]
objectives:
  {lecture_id}-a: Explain the first thing a trainee will be able to do (start with a Bloom verb).
references:
  - "Author. Title. Publisher or journal. {dt.date.today().year}. https://…"
---
Introduce the problem this lecture helps a physician executive decide, and cite facts [1].

## Worked case

Describe a realistic decision a CMIO faces.

## Check your understanding

```quiz
id: {lecture_id}-check
title: Check your understanding
mode: formative
attempts: 0
shuffle: true
questions:
  - id: q-first
    type: single
    assesses: {lecture_id}-a
    prompt: Replace this prompt.
    choices:
      - text: A right answer
        correct: true
        feedback: Why it is right.
      - text: A plausible wrong answer
        feedback: Why it is wrong.
    explanation: The reasoning, with its source [1].
```
'''


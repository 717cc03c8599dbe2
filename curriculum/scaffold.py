"""`curriculum new lecture` and `curriculum new translation`: skeletons that pass the check.

The domain file is edited as text at the position the loader recorded, so its comments,
quoting and order stay exactly as the author wrote them. The example text a skeleton holds is
listed here once: the check refuses to publish a lecture that still holds it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import Curriculum, Lecture, QuizPart
from .schema import ID

# The lecture skeleton's example text, by what it stands for (checks: lecture-placeholder).
PLACEHOLDERS: dict[str, str] = {
    "objective": "Explain the first thing a trainee will be able to do (start with a Bloom verb).",
    "reference": "Author. Title. Publisher or journal.",
    "introduction": "Introduce the problem this lecture helps a physician executive decide, and cite facts [1].",
    "worked case": "Describe a realistic decision a CMIO faces.",
    "question prompt": "Replace this prompt.",
    "right choice": "A right answer",
    "right choice's feedback": "Why it is right.",
    "wrong choice": "A plausible wrong answer",
    "wrong choice's feedback": "Why it is wrong.",
    "explanation": "The reasoning, with its source [1].",
}

# Marks each text of a translation skeleton still to translate (checks: translation-unfinished).
# Brackets that are neither Markdown nor YAML syntax, so a marked text still parses.
UNTRANSLATED: dict[str, str] = {"zh-TW": "〔待翻譯〕"}
UNTRANSLATED_DEFAULT = "〔translate〕"


def untranslated_marker(language: str) -> str:
    return UNTRANSLATED.get(language, UNTRANSLATED_DEFAULT)


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
    p = PLACEHOLDERS
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
  {lecture_id}-a: {p["objective"]}
references:
  - "{p["reference"]} {dt.date.today().year}. https://…"
---
{p["introduction"]}

## Worked case

{p["worked case"]}

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
    prompt: {p["question prompt"]}
    choices:
      - text: {p["right choice"]}
        correct: true
        feedback: {p["right choice's feedback"]}
      - text: {p["wrong choice"]}
        feedback: {p["wrong choice's feedback"]}
    explanation: {p["explanation"]}
```
'''



# -- translations ----------------------------------------------------------------------------

_HEADING = re.compile(r"^(?P<lead>[ \t]*#{1,6}[ \t]+)(?P<text>.*)$")
_ADMONITION = re.compile(r'^(?P<lead>[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*[ \t]*)(?P<title>"[^"]*")?[ \t]*$')
# Where a block's text starts: after quote marks, a list marker or a table's first bar.
_TEXT_START = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\|[ \t]*)?")
_NOT_TEXT = re.compile(r"^[ \t]*(?:\|?[ \t]*:?-{3,}|\[[^\]]+\]:|<!--|\$\$|\*\*\*|---|___)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|\|)")  # list items, table rows


def new_translation(curriculum: Curriculum, lecture_id: str, language: str | None) -> Path:
    """Write <lecture-id>.<language>.md beside the lecture: the source's text, each piece marked
    as still to translate, with its headings, quiz ids and question ids, as a draft."""
    languages = curriculum.programme.languages[1:]
    if not languages:
        raise ScaffoldError("programme.yml lists no translation language (languages: [en, zh-TW])")
    language = language or languages[0]
    if language not in languages:
        raise ScaffoldError(f"{language!r} is not a translation language of programme.yml; "
                            f"languages: {', '.join(languages)}")
    lecture = curriculum.lectures.get(lecture_id)
    well_formed = not any(ID.check(lecture_id, ("id",)))  # never a glob pattern or a path
    broken = sorted(curriculum.root.glob(f"lectures/*/{lecture_id}.md")) if lecture is None and well_formed else \
        [curriculum.root / lecture.path] if lecture.invalid_quizzes else []
    if broken:  # the skeleton mirrors the lecture's quizzes: they must be readable
        raise ScaffoldError(f"{broken[0].relative_to(curriculum.root).as_posix()} has errors: "
                            "run `curriculum check` and fix them first")
    if lecture is None:
        close = difflib.get_close_matches(lecture_id, list(curriculum.lectures), n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else \
            f"; lectures: {', '.join(list(curriculum.lectures)[:10])}"
        raise ScaffoldError(f"no lecture {lecture_id!r}{hint}")
    target = (curriculum.root / lecture.path).with_name(f"{lecture.id}.{language}.md")
    rel = target.relative_to(curriculum.root).as_posix()
    if target.exists():
        raise ScaffoldError(f"{rel} already exists; it was not changed (edit it, or delete it to start over)")
    text = translation_skeleton(lecture, untranslated_marker(language))
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


def translation_skeleton(lecture: Lecture, marker: str) -> str:
    def mark(text: str) -> str:
        return json.dumps(marker + str(text), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar

    out = ["---", f"source_version: {lecture.version}",
           "status: draft             # draft | published (when every marked text is translated)",
           f"title: {mark(lecture.title)}"]
    if lecture.objectives:
        out.append("objectives:")
        out += [f"  {oid}: {mark(text)}" for oid, text in lecture.objectives.items()]
    out.append("---")
    for part in lecture.body:
        if isinstance(part, QuizPart):
            fence = [f for f in lecture.source.fences if f.info == "quiz"][part.index]
            marker_line = lecture.source.lines[fence.start].strip()
            quiz = lecture.quizzes[part.index].data if part.index < len(lecture.quizzes) else {}
            out.append(part.indent + marker_line)
            out += [part.indent + line if line else line for line in _quiz_yaml(quiz, mark)]
            out.append(part.indent + lecture.source.lines[fence.end].strip())
        else:
            out += _marked_prose(part.split("\n"), marker, lecture)
    return "\n".join(out).rstrip("\n") + "\n"


def _marked_prose(lines: list[str], marker: str, lecture: Lecture) -> list[str]:
    """The source's Markdown with the marker at the start of each heading, paragraph, list item and
    table; code and math blocks are copied as they are."""
    out: list[str] = []
    starts_block, verbatim = True, ""
    for line in lines:
        stripped = line.strip()
        if verbatim:
            out.append(line)
            if stripped.startswith(verbatim):
                verbatim, starts_block = "", True
            continue
        fence = re.match(r"`{3,}|~{3,}|\$\$", stripped)
        if fence:
            out.append(line)
            verbatim = fence.group(0) if fence.group(0) != "$$" or stripped == "$$" else ""
            continue
        if not stripped:
            out.append(line)
            starts_block = True
            continue
        heading, admonition = _HEADING.match(line), _ADMONITION.match(line)
        if heading:
            out.append(heading["lead"] + marker + heading["text"])
            starts_block = True
        elif admonition:
            title = admonition["title"]
            out.append(admonition["lead"] + (f'"{marker}{title[1:]}' if title else ""))
            starts_block = True
        elif (starts_block or _LIST_ITEM.match(line)) and not _NOT_TEXT.match(line):
            lead = _TEXT_START.match(line).group(0)
            out.append(lead + marker + line[len(lead):])
            starts_block = False
        else:
            out.append(line)
            starts_block = False
    return out


def _quiz_yaml(quiz: Any, mark: Callable[[Any], str]) -> list[str]:
    """The quiz fence of a translation: ids, and every text of the source marked."""
    out = [f"id: {quiz.get('id', '')}"]
    if isinstance(quiz.get("title"), str):
        out.append(f"title: {mark(quiz['title'])}")
    out.append("questions:")
    for question in quiz.get("questions") or []:
        out.append(f"  - id: {question['id']}")
        for key in ("prompt", "hint", "explanation"):
            if isinstance(question.get(key), str):
                out.append(f"    {key}: {mark(question[key])}")
        feedback = question.get("feedback")
        if isinstance(feedback, dict):
            out.append("    feedback:")
            out += [f"      {k}: {mark(v)}" for k, v in feedback.items() if isinstance(v, str)]
        if question.get("choices"):
            out.append("    choices:")
            for choice in question["choices"]:
                out.append(f"      - text: {mark(choice['text'])}")
                if isinstance(choice.get("feedback"), str):
                    out.append(f"        feedback: {mark(choice['feedback'])}")
        if question.get("items"):
            out.append("    items:")
            out += [f"      - {mark(item)}" for item in question["items"]]
        if question.get("pairs"):
            out.append("    pairs:")
            out += [f"      - [{mark(left)}, {mark(right)}]" for left, right in question["pairs"]]
    return out

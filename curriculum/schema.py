"""The shape of each YAML document: programme.yml, domain files, lecture front matter,
translation front matter and glossary entries.

Specs are small declarative objects; `check` walks a value against one and yields
(path, rule, message) findings, which the loader turns into positioned diagnostics. The same
specs render JSON Schemas for editors (`to_json_schema`). Quiz fences are described by the quiz
model in the xblocks distribution, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from curriculum_quiz.model import ID_PATTERN, describe


class Finding(NamedTuple):
    path: tuple
    rule: str
    message: str
    at_key: bool = False  # the problem is the key itself (point at it, not at its value)

    @classmethod
    def _make_padded(cls, values: tuple) -> Finding:
        return values if isinstance(values, Finding) else cls(*values)
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\Z")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\Z")


class Spec:
    description = ""

    def check(self, value: Any, path: tuple) -> Iterator[Finding]:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


@dataclass
class Text(Spec):
    description: str = ""
    pattern: re.Pattern | None = None
    rule: str = "schema-type"  # rule for a pattern mismatch
    hint: str = ""

    def check(self, value, path):
        if not isinstance(value, str):
            quote = " (YAML reads it as a number or a date: put it in quotes, e.g. \"1.0.0\")" \
                if isinstance(value, int | float) or hasattr(value, "isoformat") else ""
            yield path, "schema-type", f"{_name(path)} must be text, not {describe(value)}{quote}"
        elif not value.strip():
            yield path, "schema-type", f"{_name(path)} must not be empty"
        elif self.pattern and not self.pattern.match(value):
            yield path, self.rule, f"{_name(path)} {value!r} {self.hint or 'has an invalid form'}"

    def json_schema(self):
        out: dict = {"type": "string", "minLength": 1}
        if self.pattern:
            out["pattern"] = self.pattern.pattern.removesuffix(r"\Z") + "$"
        return _described(out, self.description)


@dataclass
class Integer(Spec):
    description: str = ""
    minimum: int | None = None

    def check(self, value, path):
        if not isinstance(value, int) or isinstance(value, bool):
            yield path, "schema-type", f"{_name(path)} must be a whole number, not {describe(value)}"
        elif self.minimum is not None and value < self.minimum:
            yield path, "schema-type", f"{_name(path)} must be at least {self.minimum}, not {value}"

    def json_schema(self):
        out: dict = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return _described(out, self.description)


@dataclass
class Number(Spec):
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value, path):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            yield path, "schema-type", f"{_name(path)} must be a number, not {describe(value)}"
        elif (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            yield path, "schema-type", f"{_name(path)} must be between {self.minimum} and {self.maximum}, not {value}"

    def json_schema(self):
        out: dict = {"type": "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return _described(out, self.description)


@dataclass
class Boolean(Spec):
    description: str = ""

    def check(self, value, path):
        if not isinstance(value, bool):
            yield path, "schema-type", f"{_name(path)} must be true or false, not {describe(value)}"

    def json_schema(self):
        return _described({"type": "boolean"}, self.description)


@dataclass
class Date(Spec):
    description: str = ""

    def check(self, value, path):
        if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
            yield path, "schema-type", f"{_name(path)} must be a date like 2027-06-30, not {describe(value)}"
        elif isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                yield path, "schema-type", f"{_name(path)} {value!r} must be a date like 2027-06-30"

    def json_schema(self):
        return _described({"type": "string", "format": "date"}, self.description)


@dataclass
class Choice(Spec):
    values: tuple = ()
    description: str = ""

    def check(self, value, path):
        if value not in self.values:
            yield path, "schema-type", f"{_name(path)} must be one of {', '.join(map(str, self.values))}, not {value!r}"

    def json_schema(self):
        return _described({"enum": list(self.values)}, self.description)


@dataclass
class ListOf(Spec):
    item: Spec
    description: str = ""
    min_items: int = 0

    def check(self, value, path):
        if not isinstance(value, list):
            yield path, "schema-type", f"{_name(path)} must be a list, not {describe(value)}"
            return
        if len(value) < self.min_items:
            yield path, "schema-type", f"{_name(path)} needs at least {self.min_items} item(s)"
        for i, item in enumerate(value):
            yield from self.item.check(item, path + (i,))

    def json_schema(self):
        out = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return _described(out, self.description)


@dataclass
class MapOf(Spec):
    """A mapping with author-chosen keys (objective ids, competency codes)."""

    value: Spec
    key: Text = field(default_factory=Text)
    description: str = ""

    def check(self, value, path):
        if not isinstance(value, dict):
            yield path, "schema-type", f"{_name(path)} must be a mapping, not {describe(value)}"
            return
        for k, v in value.items():
            if not isinstance(k, str):
                yield path + (k,), "schema-type", f"keys of {_name(path)} must be text, not {describe(k)}"
                continue
            for _, rule, message, _ in map(Finding._make_padded, self.key.check(k, ())):
                yield Finding(path + (k,), rule, message.replace("the value", "key", 1), True)
            yield from self.value.check(v, path + (k,))

    def json_schema(self):
        out: dict = {"type": "object", "additionalProperties": self.value.json_schema()}
        if self.key.pattern:
            out["propertyNames"] = {"pattern": self.key.pattern.pattern.removesuffix(r"\Z") + "$"}
        return _described(out, self.description)


@dataclass
class Record(Spec):
    """A mapping with known fields."""

    fields: dict[str, Spec]
    required: tuple[str, ...] = ()
    description: str = ""
    what: str = "this mapping"

    def check(self, value, path):
        if not isinstance(value, dict):
            yield path, "schema-type", f"{self.what} must be a mapping, not {describe(value)}"
            return
        for key in value:
            if key not in self.fields:
                yield path + (key,), "schema-unknown", (
                    f"unknown field {key!r} in {self.what}; expected one of: {', '.join(self.fields)}")
        for key in self.required:
            if key not in value:
                yield path, "schema-required", f"{self.what} is missing required field {key!r}"
        for key, spec in self.fields.items():
            if key in value:
                yield from spec.check(value[key], path + (key,))

    def json_schema(self):
        out = {"type": "object", "properties": {k: s.json_schema() for k, s in self.fields.items()},
               "additionalProperties": False}
        if self.required:
            out["required"] = list(self.required)
        return _described(out, self.description)


def _name(path: tuple) -> str:
    return repr(".".join(str(p) for p in path)) if path else "the value"


def _described(schema: dict, description: str) -> dict:
    if description:
        schema["description"] = description
    return schema


# ----------------------------------------------------------------------------------------------
# The documents

# Values that become file and folder names of the outputs (course archive names, OLX paths).
PATH_PART = re.compile(r"(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")


def path_part(description: str) -> Text:
    return Text(pattern=PATH_PART, rule="id-path", description=description,
                hint="must start with a letter or digit and hold only letters, digits, _ . - (no '..'; quote numbers)")


ID = Text(pattern=ID_PATTERN, rule="id-format", hint="must match [a-z0-9][a-z0-9-]* (lowercase, digits, hyphens)",
          description="A stable id: it becomes LMS ids and learner-state keys.")
VERSION = Text(pattern=SEMVER, rule="semver", hint="is not a semantic version like 1.2.0",
               description="Semantic version: MAJOR.MINOR.PATCH.")


def localized(description: str) -> Spec:
    """{en: …, zh-TW: …}: the source language is required, translations are optional."""
    return Record({"en": Text(), "zh-TW": Text()}, required=("en",), description=description,
                  what=f"a text in each language ({description.lower().rstrip('.')})")


PROGRAMME = Record(
    {
        "id": ID,
        "title": localized("Programme title."),
        "summary": localized("One-paragraph description (LMS short description)."),
        "description": localized("Markdown overview (LMS about page, site home)."),
        "version": VERSION,
        "languages": ListOf(Text(pattern=LANGUAGE_CODE, hint="is not a language code like en or zh-TW"),
                            min_items=1, description="Languages; the first is the source language."),
        "org": path_part("Open edX organisation."),
        "course": path_part("Open edX course number."),
        "run": path_part("Open edX course run (quote numbers)."),
        "runs": MapOf(path_part("The run of one language's course."), key=Text(pattern=LANGUAGE_CODE),
                      description="Course runs of the translated courses, by language (default: <run>-<language>); "
                                  "each language's export is a course of its own."),
        "start": Date(description="Course start date."),
        "end": Date(description="Course end date."),
        "course_image": Text(description="Course image, a path relative to the repository root."),
        "domains": ListOf(ID, min_items=1, description="Domain ids in teaching order."),
        "frameworks": MapOf(Record({"title": Text(), "framework": Text()}, required=("title", "framework"),
                                   what="a competency"),
                            key=Text(pattern=re.compile(r"[A-Za-z0-9][A-Za-z0-9.:_-]*\Z"),
                                     hint="is not a valid competency code"),
                            description="Competency codes lectures may cite."),
        "grading": Record({"pass": Number(minimum=0, maximum=1, description="Pass cutoff, 0–1."),
                           "quiz_weight": Number(minimum=0, maximum=1, description="Weight of graded quizzes, 0–1.")},
                          required=("pass",), what="grading"),
        "retired": ListOf(ID, description="Ids deliberately removed; their LMS learner state is given up."),
        "reference_hosts_disallowed": ListOf(
            Text(pattern=HOST, hint="is not a lowercase host name like scribd.com"),
            description="Hosts no reference may cite (document-sharing and content-farm sites); "
                        "each also covers its subdomains."),
    },
    required=("id", "title", "version", "languages", "org", "course", "run", "start", "domains"),
    what="programme.yml",
)

MODULE = Record(
    {"id": ID, "title": localized("Module title."), "summary": localized("Module summary."),
     "lectures": ListOf(ID, description="Lecture ids in teaching order.")},
    required=("id", "title", "lectures"),
    what="a module",
)

DOMAIN = Record(
    {"id": ID, "title": localized("Domain title."), "summary": localized("Domain summary."),
     "modules": ListOf(MODULE, min_items=1)},
    required=("id", "title", "modules"),
    what="a domain file",
)

STATUSES = ("published", "draft", "outline")

LECTURE = Record(
    {
        "id": ID,
        "title": Text(description="Lecture title."),
        "version": VERSION,
        "status": Choice(STATUSES, description="published | draft | outline (objectives only, no body yet)."),
        "duration": Integer(minimum=1, description="Minutes."),
        "authors": ListOf(Text(), min_items=1),
        "review_by": Date(description="Regulatory facts must be re-checked by this date."),
        "competencies": ListOf(Text(), description="Codes from programme.yml frameworks."),
        "objectives": MapOf(Text(), key=ID, description="Objective id → text (start with a Bloom verb)."),
        "references": ListOf(Text(), description="Numbered references; cite them in the body as [1], [2]."),
    },
    required=("id", "title", "version", "status", "duration", "authors", "objectives"),
    what="lecture front matter",
)

TRANSLATION = Record(
    {
        "id": ID,
        "source_version": VERSION,
        "status": Choice(("published", "draft"), description="published (the default) | draft: still being "
                         "translated; text marked as untranslated is allowed."),
        "title": Text(description="Translated title."),
        "objectives": MapOf(Text(), key=ID, description="The source's objective ids with translated texts."),
        "translators": ListOf(Text()),
        "references": ListOf(Text(), description="Translated reference list (same length and order as the source)."),
    },
    required=("source_version", "title"),
    what="translation front matter",
)

GLOSSARY_ENTRY = Record(
    {
        "term": localized("The term."),
        "abbr": Text(description="Abbreviation, linked where written in capitals (CMIO, CMIOs; not cmio)."),
        "synonyms": Record(
            {"en": ListOf(Text()), "zh-TW": ListOf(Text())},
            description="Other names linked to the entry in each language's pages (a name belongs to one entry).",
            what="the synonyms in each language"),
        "plural": Text(description="The English term's plural where it is not formed with -s, -es or -ies."),
        "definition": localized("Definition."),
        "source": Text(),
    },
    required=("term", "definition"),
    what="a glossary entry",
)
GLOSSARY = ListOf(GLOSSARY_ENTRY)


def check(spec: Spec, value: Any) -> list[Finding]:
    return [Finding._make_padded(f) for f in spec.check(value, ())]

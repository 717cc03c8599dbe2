"""Build the model from the sources under a curriculum root.

Every problem found while reading (unreadable files, YAML errors, schema violations, invalid
quizzes, structural mismatches of translations) goes into the report with its file, line and
column. Cross-file rules (references, uniqueness, alignment) live in `checks`.

A `SourceCache` keeps the parse of each Markdown file (front matter, fences, quiz YAML) between
two loads, for the live preview, which loads again after every save: a file whose text is what
it was is not parsed again. The model is still made afresh, so the cross-file rules see it whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curriculum_quiz import model as quizmodel

from . import files, schema
from .diagnostics import Pos, Report
from .model import (
    BodyPart,
    Curriculum,
    Domain,
    Framework,
    GlossaryTerm,
    Lecture,
    Module,
    Programme,
    Quiz,
    QuizPart,
    Translation,
)
from .sources import MarkdownSource, load_yaml, load_yaml_file, read_markdown, read_text
from .yamlpos import locate

TRANSLATION_NAME = re.compile(r"(?P<stem>[^.]+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md\Z")


@dataclass
class _Parsed:
    text: str  # the file's text (newlines normalised) that `source` was parsed from
    source: MarkdownSource
    body: tuple[list[BodyPart], list[tuple[Any, Any]]] | None = None


class SourceCache:
    """Clean parses of Markdown sources, reused while a file's text is unchanged.

    Keyed by the text itself, not by the file's time and size: a file saved twice within the file
    system's time resolution, with as many bytes, is still parsed again. Only a parse that reported
    nothing is kept, so a reused parse never owes the report a finding (a file with errors is
    parsed, and reported, on every load). Parsed values are shared between loads: nothing in the
    pipeline changes them.
    """

    def __init__(self) -> None:
        self._parsed: dict[str, _Parsed] = {}

    def markdown(self, root: Path, rel: str, report: Report) -> MarkdownSource | None:
        known = self._parsed.get(rel)
        if known is not None and read_text(root, rel, Report()) == known.text:
            return known.source
        self._parsed.pop(rel, None)
        before = len(report.items)
        source = read_markdown(root, rel, report)
        if source is not None and len(report.items) == before:
            # The text it was parsed from (not a second read: the file may have changed since).
            self._parsed[rel] = _Parsed("\n".join(source.lines), source)
        return source

    def body(self, source: MarkdownSource, report: Report) -> tuple[list[BodyPart], list[tuple[Any, Any]]]:
        known = self._parsed.get(source.rel)
        if known is not None and known.source is source and known.body is not None:
            parts, quizzes = known.body
        else:
            before = len(report.items)
            parts, quizzes = _body(source, report)
            if known is not None and known.source is source and len(report.items) == before:
                known.body = (parts, quizzes)
        return list(parts), list(quizzes)


def load(root: Path, report: Report, cache: SourceCache | None = None) -> Curriculum | None:
    """The curriculum under `root`, or None when programme.yml itself is unusable. With a `cache`,
    the Markdown files unchanged since its last load are not parsed again."""
    root = root.resolve()
    tree = files.scan(root, report)
    programme = _programme(root, report)
    if programme is None:
        return None
    domains = _domains(root, programme, report)
    glossary = _glossary(root, report)
    lectures = _lectures(root, programme, domains, tree.markdown, report, cache or SourceCache())
    return Curriculum(root, programme, domains, lectures, glossary, other_files=tree.other)


def _schema(spec: schema.Spec, value: Any, rel: str, report: Report) -> bool:
    """Report schema findings at their positions; True when there were none."""
    findings = schema.check(spec, value)
    for finding in findings:
        pos = locate(value, finding.path, key=finding.at_key or finding.rule == "schema-unknown")
        message = finding.message
        field = finding.path[-1] if finding.path else None
        found = value.get(field) if isinstance(value, dict) and len(finding.path) == 1 else None
        if field in ("version", "source_version") and isinstance(found, (int, float)) and not isinstance(found, bool):
            # "version: 1.0" is the number 1.0 to YAML; the likely fix is the missing third part
            message = f"{field}: {found} is read as a number, not a version: write all three parts, e.g. " \
                      f"{field}: {_three_parts(found)} (or put it in quotes, e.g. \"1.0.0\")"
        report.error(rel, pos, finding.rule, message)
    return not findings


def _three_parts(number: float) -> str:
    parts = str(number).split(".") + ["0", "0"]
    return ".".join(parts[:3])


def _localized(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


def _programme(root: Path, report: Report) -> Programme | None:
    rel = "programme.yml"
    if not (root / rel).is_file():
        report.error(rel, None, "ref-programme", "programme.yml is missing: is this the curriculum's root folder?")
        return None
    raw = load_yaml_file(root, rel, report)
    if raw is None or not _schema(schema.PROGRAMME, raw, rel, report):
        return None
    frameworks = {code: Framework(code, v["title"], v["framework"]) for code, v in (raw.get("frameworks") or {}).items()}
    return Programme(
        id=raw["id"], title=_localized(raw["title"]), summary=_localized(raw.get("summary")),
        description=_localized(raw.get("description")), version=raw["version"], languages=list(raw["languages"]),
        org=raw["org"], course=raw["course"], run=raw["run"], start=_date(raw.get("start")), end=_date(raw.get("end")),
        course_image=raw.get("course_image"), domains=list(raw["domains"]), frameworks=frameworks,
        grading=dict(raw.get("grading") or {"pass": 0.5}), retired=list(raw.get("retired") or []), raw=raw,
        runs=dict(raw.get("runs") or {}),
    )


def _domains(root: Path, programme: Programme, report: Report) -> list[Domain]:
    files = sorted((root / "domains").glob("*.yml")) if (root / "domains").is_dir() else []
    found: dict[str, Domain] = {}
    for file in files:
        rel = file.relative_to(root).as_posix()
        raw = load_yaml_file(root, rel, report)
        if raw is None or not _schema(schema.DOMAIN, raw, rel, report):
            continue
        if raw["id"] != file.stem:
            report.error(rel, raw.value_pos["id"], "ref-domain-file",
                         f"domain id {raw['id']!r} must match its file name ({file.stem}.yml)")
            continue
        if raw["id"] not in programme.domains:
            report.error(rel, raw.value_pos["id"], "ref-domain-unlisted",
                         f"domain {raw['id']!r} is not listed in programme.yml domains")
        modules = [Module(m["id"], _localized(m["title"]), _localized(m.get("summary")), list(m["lectures"]),
                          raw["id"], m) for m in raw["modules"]]
        found[raw["id"]] = Domain(raw["id"], _localized(raw["title"]), _localized(raw.get("summary")),
                                  modules, rel, raw)
    domains = []
    for i, domain_id in enumerate(programme.domains):
        if domain_id in found:
            domains.append(found[domain_id])
        elif not any(d.path == f"domains/{domain_id}.yml" for d in report.errors):
            report.error(programme.path, programme.raw["domains"].item_pos[i], "ref-domain-missing",
                         f"domain {domain_id!r} has no file domains/{domain_id}.yml")
    return domains


def _glossary(root: Path, report: Report) -> list[GlossaryTerm]:
    rel = "glossary.yml"
    if not (root / rel).is_file():
        return []
    raw = load_yaml_file(root, rel, report, expect=list)
    if raw is None or not _schema(schema.GLOSSARY, raw, rel, report):
        return []
    _glossary_names_unique(raw, rel, report)
    return [GlossaryTerm(_localized(e["term"]), _localized(e["definition"]), e.get("abbr"), e.get("source"),
                         synonyms={lang: list(names) for lang, names in (e.get("synonyms") or {}).items()},
                         plural=e.get("plural"), raw=e)
            for e in raw]


def _glossary_names_unique(raw: list, rel: str, report: Report) -> None:
    """A name (term, abbreviation, synonym, plural) links to one entry, so no two entries share it.
    Compared without case: English names are linked in any capitalisation."""
    first: dict[str, tuple[int, tuple]] = {}  # casefolded name -> (entry index, path of its first use)
    for index, entry in enumerate(raw):
        named = [(("term", lang), text) for lang, text in entry["term"].items()]
        named += [(("abbr",), entry["abbr"])] if "abbr" in entry else []
        named += [(("synonyms", lang, i), text) for lang, texts in (entry.get("synonyms") or {}).items()
                  for i, text in enumerate(texts)]
        named += [(("plural",), entry["plural"])] if "plural" in entry else []
        for path, name in named:
            key = name.strip().casefold()
            other = first.setdefault(key, (index, path))
            if other[0] != index:
                where = locate(raw, (other[0],) + other[1])
                owner = raw[other[0]]["term"]["en"]
                report.error(rel, locate(raw, (index,) + path), "glossary-name-duplicate",
                             f"{name!r} is already a name of the entry {owner!r}"
                             f"{f' (line {where.line})' if where else ''}: a name links to one entry only; "
                             "remove it from one of them")


def _lectures(root: Path, programme: Programme, domains: list[Domain], markdown_files: list[str],
              report: Report, cache: SourceCache) -> dict[str, Lecture]:
    listed: dict[str, tuple[Domain, Module]] = {}
    for domain in domains:
        for module in domain.modules:
            ids = module.raw["lectures"]
            for i, lecture_id in enumerate(ids):
                if lecture_id in listed:
                    first = listed[lecture_id][1]
                    report.error(domain.path, ids.item_pos[i], "ref-lecture-listed-twice",
                                 f"lecture {lecture_id!r} is already listed in module {first.id!r}")
                else:
                    listed[lecture_id] = (domain, module)

    sources: dict[str, Lecture] = {}
    translations: list[tuple[str, str, MarkdownSource]] = []
    # Lecture files that exist but could not be read: their error is reported once, at its line;
    # what depends on them (their translations, their place in a module) is not reported again.
    unreadable: set[str] = set()
    for rel in markdown_files:
        file = root / rel
        match = TRANSLATION_NAME.match(file.name)
        source = cache.markdown(root, rel, report)
        if (source is None or source.front is None) and not match:
            unreadable.add(file.stem)
        if source is None or source.front is None:
            continue
        if match:
            translations.append((match["stem"], match["lang"], source))
            continue
        lecture = _lecture(source, file, report, cache)
        if lecture is None:
            unreadable.add(file.stem)
            continue
        if lecture.id in sources:
            report.error(rel, source.front.value_pos["id"], "id-duplicate",
                         f"lecture id {lecture.id!r} is already used by {sources[lecture.id].path}")
            continue
        sources[lecture.id] = lecture

    unread_domains = set(programme.domains) - {domain.id for domain in domains}  # reported at their file
    for lecture in sources.values():
        placed = listed.get(lecture.id)
        if placed is None and lecture.domain_id in unread_domains:
            continue  # its domain file could not be read: whether it lists the lecture is unknown
        if placed is None:
            report.error(lecture.path, lecture.source.front.value_pos["id"], "ref-lecture-unlisted",
                         f"lecture {lecture.id!r} is not listed in any module of domains/*.yml")
            continue
        domain, module = placed
        lecture.module_id = module.id
        if lecture.domain_id != domain.id:
            report.error(lecture.path, lecture.source.front.value_pos["id"], "ref-lecture-folder",
                         f"lecture {lecture.id!r} is listed in domain {domain.id!r}; move it to lectures/{domain.id}/")
        lecture.domain_id = domain.id

    for lecture_id, (domain, module) in listed.items():
        if lecture_id not in sources and lecture_id not in unreadable:
            ids = module.raw["lectures"]
            report.error(domain.path, ids.item_pos[ids.index(lecture_id)], "ref-lecture-missing",
                         f"lecture {lecture_id!r} is listed but lectures/{domain.id}/{lecture_id}.md does not exist")

    for stem, language, source in translations:
        if stem not in unreadable:
            _attach_translation(stem, language, source, sources, programme, report, cache)

    ordered = {i: sources[i] for i in listed if i in sources}
    ordered.update((i, lecture) for i, lecture in sources.items() if i not in ordered)
    return ordered


def _lecture(source: MarkdownSource, file: Path, report: Report, cache: SourceCache) -> Lecture | None:
    front, rel = source.front, source.rel
    if not _schema(schema.LECTURE, front, rel, report):
        return None
    if front["id"] != file.stem:
        report.error(rel, front.value_pos["id"], "ref-lecture-file",
                     f"lecture id {front['id']!r} must match its file name ({file.stem}.md)")
        return None
    body, quizzes = cache.body(source, report)
    parsed = [_quiz(q, front["id"], source, report) for q in quizzes]
    domain_id = file.parent.name
    lecture = Lecture(
        id=front["id"], path=rel, domain_id=domain_id, title=front["title"], version=front["version"],
        status=front["status"], duration=front["duration"], authors=list(front["authors"]),
        review_by=_date(front.get("review_by")), competencies=list(front.get("competencies") or []),
        objectives=dict(front["objectives"]), references=list(front.get("references") or []),
        body=body, quizzes=[q for q in parsed if q is not None], source=source,
        invalid_quizzes=sum(1 for q in parsed if q is None),
    )
    return lecture


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _body(source: MarkdownSource, report: Report) -> tuple[list[BodyPart], list[tuple[Any, Any]]]:
    """Split the body into Markdown text and quiz fences; parse each quiz fence's YAML."""
    parts: list[BodyPart] = []
    quizzes: list[tuple[Any, Any]] = []
    cursor = source.body_start
    for fence in source.fences:
        if fence.info != "quiz":
            continue
        parts.append("\n".join(source.lines[cursor:fence.start]))
        data = load_yaml(fence.content, source.rel, report, line_offset=fence.line, col_offset=len(fence.indent))
        if data is None and not any(d.path == source.rel and d.line > fence.line for d in report.errors):
            report.error(source.rel, Pos(fence.line, 1), "quiz-empty", "the quiz fence is empty")
        parts.append(QuizPart(len(quizzes), fence.indent))
        quizzes.append((fence, data))
        cursor = fence.end + 1
    parts.append("\n".join(source.lines[cursor:]))
    return parts, quizzes


def _quiz(fence_and_data: tuple[Any, Any], lecture_id: str, source: MarkdownSource, report: Report) -> Quiz | None:
    fence, data = fence_and_data
    if data is None:
        return None
    problems = quizmodel.validate_quiz(data)
    for problem in problems:
        pos = locate(data, problem.path, key=(problem.rule == "schema-unknown")) or Pos(fence.line, 1)
        report.error(source.rel, pos, problem.rule, problem.message)
    if problems:
        return None
    return Quiz(data["id"], data, lecture_id, fence.line)


def _attach_translation(stem: str, language: str, source: MarkdownSource, lectures: dict[str, Lecture],
                        programme: Programme, report: Report, cache: SourceCache) -> None:
    rel, front = source.rel, source.front
    if language not in programme.languages[1:]:
        report.error(rel, Pos(1, 1), "translation-language",
                     f"{language!r} is not a translation language of programme.yml ({', '.join(programme.languages[1:])})")
        return
    lecture = lectures.get(stem)
    if lecture is None:
        report.error(rel, Pos(1, 1), "translation-orphan",
                     f"translation of {stem!r}, but there is no lecture {stem}.md beside it")
        return
    if not _schema(schema.TRANSLATION, front, rel, report):
        return
    if "id" in front and front["id"] != lecture.id:
        report.error(rel, front.value_pos["id"], "translation-structure",
                     f"id {front['id']!r} differs from the source lecture's id {lecture.id!r}")
    body, fences = cache.body(source, report)
    quizzes = [data for _, data in fences]
    translation = Translation(language, rel, front["source_version"], front["title"], dict(front.get("objectives") or {}),
                              front.get("references"), body, quizzes, source)
    _check_translation(lecture, translation, fences, report)
    lecture.translations[language] = translation


def _check_translation(lecture: Lecture, translation: Translation, fences: list, report: Report) -> None:
    rel, front = translation.path, translation.source.front
    for oid in translation.objectives:
        if oid not in lecture.objectives:
            report.error(rel, front["objectives"].key_pos[oid], "translation-structure",
                         f"objective {oid!r} is not an objective of {lecture.path}")
    if translation.references is not None and len(translation.references) != len(lecture.references):
        report.error(rel, front.value_pos["references"], "translation-structure",
                     f"the source has {len(lecture.references)} references, the translation {len(translation.references)}")
    source_ids = [q.id for q in lecture.quizzes]
    if lecture.invalid_quizzes:
        translation.quizzes = []  # reported in the source; cannot be aligned with its quizzes until fixed
        return
    if any(data is None for data in translation.quizzes):
        translation.quizzes = []  # a fence that does not parse is reported at its line; compare it once it does
        return
    translated_ids = [d.get("id") if isinstance(d, dict) else None for d in translation.quizzes]
    if translated_ids != source_ids:
        line = fences[0][0].line if fences else translation.source.body_start + 1
        report.error(rel, Pos(line, 1), "translation-structure",
                     f"quiz fences must mirror the source's in order: source {source_ids}, translation {translated_ids}")
        translation.quizzes = []
        return
    for (fence, data), quiz in zip(fences, lecture.quizzes):
        for problem in quizmodel.translation_problems(quiz.data, data):
            pos = locate(data, problem.path, key=(problem.rule == "schema-unknown")) or Pos(fence.line, 1)
            report.error(rel, pos, problem.rule, problem.message)

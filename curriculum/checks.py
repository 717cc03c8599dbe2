"""Rules across the whole model: uniqueness, references, alignment, Markdown hygiene,
translations and review dates. Per-file rules (YAML, schema, quiz validity) run in `load`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from curriculum_quiz import model as quizmodel

from . import bibliography, contenthtml, files, integrity, itemwriting, terminology
from .diagnostics import Pos, Report
from .gcpause import collector_paused
from .load import load
from .model import Curriculum, Lecture, QuizPart, version_tuple
from .sources import MarkdownSource, position
from .yamlpos import locate

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_LINK_DEF = re.compile(r"(?m)^[ ]{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)")
_HTML_SRC = re.compile(r"<[a-zA-Z][^>]*\s(?:src|href|data)\s*=\s*[\"']?(?P<url>[^\"'\s>]+)", re.I)
_CITATION = re.compile(r"(?<![!\\])\[(?P<n>\d{1,3})\](?![(:])")  # [2][3] cites both


def check(root: Path, report: Report, today: dt.date | None = None) -> Curriculum | None:
    """Load the curriculum under `root` and run every rule; the report holds all findings."""
    with collector_paused():
        curriculum = load(root, report)
        if curriculum is not None:
            run(curriculum, report, today)
    return curriculum


def run(curriculum: Curriculum, report: Report, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    _unique_ids(curriculum, report)
    domain_objectives: dict[str, set[str]] = {}
    for lecture in curriculum.lectures.values():
        domain_objectives.setdefault(lecture.domain_id, set()).update(lecture.objectives)
    for lecture in curriculum.lectures.values():
        _lecture_references(curriculum, lecture, domain_objectives[lecture.domain_id], report)
        _lecture_status(lecture, report)
        _citations(lecture.source, len(lecture.references), report, check_unused=lecture.status == "published")
        _markdown(curriculum.root, lecture.source, report, curriculum.assets)
        if lecture.review_by and lecture.review_by < today:
            front = lecture.source.front
            report.warning(lecture.path, front.value_pos["review_by"], "review-overdue",
                           f"review_by {lecture.review_by.isoformat()} has passed: re-check the lecture's facts "
                           "and set a new date")
        for translation in lecture.translations.values():
            _translation(lecture, translation, report)
            _markdown(curriculum.root, translation.source, report, curriculum.assets)
            references = len(translation.references if translation.references is not None else lecture.references)
            _citations(translation.source, references, report, check_unused=False)
    _alignment(curriculum, report)
    contenthtml.run(curriculum, report)
    for rel in curriculum.other_files:
        if rel not in curriculum.assets:
            report.warning(rel, None, "file-unpublished", "no lecture links to this file, or it is not an image "
                           "type the site publishes: it is left out of the site and the course export")
    # Assessment quality and content integrity
    integrity.run(curriculum, report)
    itemwriting.run(curriculum, report)
    bibliography.run(curriculum, report)
    terminology.run(curriculum, report)


def _unique_ids(curriculum: Curriculum, report: Report) -> None:
    objectives: dict[str, Lecture] = {}
    quizzes: dict[str, Lecture] = {}
    for lecture in curriculum.lectures.values():
        front = lecture.source.front
        for oid in lecture.objectives:
            if oid in objectives:
                report.error(lecture.path, front["objectives"].key_pos[oid], "id-duplicate",
                             f"objective id {oid!r} is already used in {objectives[oid].path}")
            else:
                objectives[oid] = lecture
        for quiz in lecture.quizzes:
            if quiz.id in quizzes:
                report.error(lecture.path, quiz.data.value_pos["id"], "id-duplicate",
                             f"quiz id {quiz.id!r} is already used in {quizzes[quiz.id].path}")
            else:
                quizzes[quiz.id] = lecture


def _lecture_references(curriculum: Curriculum, lecture: Lecture, domain_objectives: set[str],
                        report: Report) -> None:
    front = lecture.source.front
    frameworks = curriculum.programme.frameworks
    for i, code in enumerate(lecture.competencies):
        if code not in frameworks:
            report.error(lecture.path, front["competencies"].item_pos[i], "ref-competency",
                         f"competency {code!r} is not defined in programme.yml frameworks")
    for quiz in lecture.quizzes:
        summative = quiz.mode == "summative"
        for qi, question in enumerate(quiz.questions):
            for oid in quizmodel.assessed_objectives(question):
                if oid in lecture.objectives or (summative and oid in domain_objectives):
                    continue
                scope = f"of domain {lecture.domain_id!r}" if summative else f"of lecture {lecture.id!r}"
                report.error(lecture.path, locate(quiz.data, ("questions", qi, "assesses")), "ref-assesses",
                             f"question {question['id']!r} assesses {oid!r}, which is not an objective {scope}")


def _lecture_status(lecture: Lecture, report: Report) -> None:
    has_body = any(isinstance(part, str) and part.strip() for part in lecture.body) or any(
        isinstance(part, QuizPart) for part in lecture.body)
    front = lecture.source.front
    if lecture.status == "published" and not has_body:
        report.error(lecture.path, front.value_pos["status"], "lecture-status",
                     "a published lecture needs a body; mark it 'outline' until it is written")
    elif lecture.status == "outline" and has_body:
        report.warning(lecture.path, front.value_pos["status"], "lecture-status",
                       "an outline lecture has a body; mark it 'draft' or 'published'")


def _alignment(curriculum: Curriculum, report: Report) -> None:
    assessed = {
        oid for quiz in curriculum.quizzes() for question in quiz.questions
        for oid in quizmodel.assessed_objectives(question)
    }
    for lecture in curriculum.lectures.values():
        if lecture.status != "published" or lecture.invalid_quizzes:
            continue  # an invalid quiz is reported already; its questions may assess the objectives
        keys = lecture.source.front["objectives"].key_pos
        for oid in lecture.objectives:
            if oid not in assessed:
                report.warning(lecture.path, keys[oid], "alignment-unassessed",
                               f"objective {oid!r} is not assessed by any question")


def _translation(lecture: Lecture, translation, report: Report) -> None:
    front = translation.source.front
    pos = front.value_pos["source_version"]
    if version_tuple(translation.source_version) <= version_tuple(lecture.version):
        if translation.is_outdated(lecture):  # a patch behind is current: see Translation.is_outdated
            report.warning(translation.path, pos, "translation-outdated",
                           f"translates version {translation.source_version}, but {lecture.path} is at {lecture.version}")
    else:
        report.error(translation.path, pos, "translation-version",
                     f"source_version {translation.source_version} is ahead of {lecture.path} ({lecture.version})")
    missing = [oid for oid in lecture.objectives if oid not in translation.objectives]
    if missing and lecture.status != "outline":
        report.warning(translation.path, front.pos, "translation-incomplete",
                       f"objectives not translated: {', '.join(missing)}")


def _prose(source: MarkdownSource) -> str:
    """The source's prose with inline code spans blanked out (same length, so offsets hold)."""
    text = source.prose
    if "`" in text:
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _citations(source: MarkdownSource, count: int, report: Report, check_unused: bool) -> None:
    text = _prose(source)
    cited = set(map(int, _CITATION.findall(text)))
    if any(not 1 <= n <= count for n in cited):  # positions only for the rare bad citation
        for match in _CITATION.finditer(text):
            n = int(match["n"])
            if not 1 <= n <= count:
                report.error(source.rel, position(text, match.start()), "ref-citation",
                             f"citation [{n}] has no entry: the lecture lists {count} reference(s)")
    if check_unused and count:
        refs = source.front.get("references")
        for n in range(1, count + 1):
            if n not in cited:
                report.warning(source.rel, refs.item_pos[n - 1], "ref-citation-unused",
                               f"reference {n} is never cited in the body")


def _markdown(root: Path, source: MarkdownSource, report: Report, assets: set[str]) -> None:
    text = _prose(source)
    base = (root / source.rel).parent

    def at(offset: int) -> Pos:
        return position(text, offset)

    if "<" in text:  # what the sanitizer removes is reported by contenthtml; here: where files are
        for match in _HTML_SRC.finditer(text):
            _url(root, base, source, at(match.start("url")), match["url"], report, assets, embedded=True)
    if "](" in text:
        for match in _IMAGE.finditer(text):
            if not match["alt"].strip():
                report.error(source.rel, at(match.start()), "md-image-alt",
                             "image has no alt text: describe it for screen-reader users")
            _url(root, base, source, at(match.start("url")), match["url"], report, assets, embedded=True)
        for match in _LINK.finditer(text):
            _url(root, base, source, at(match.start("url")), match["url"], report, assets, embedded=False)
    if "]:" in text:
        for match in _LINK_DEF.finditer(text):
            _url(root, base, source, at(match.start("url")), match["url"], report, assets, embedded=False)


def _url(root: Path, base: Path, source: MarkdownSource, pos: Pos, url: str, report: Report, assets: set[str],
         embedded: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https", "mailto", ""):
        return  # a scheme the sanitizer removes: reported by contenthtml
    if parts.scheme or url.startswith("//"):
        if embedded and parts.scheme.lower() in ("http", "https", ""):
            report.error(source.rel, pos, "md-external-resource",
                         f"{url} is loaded from another host; put the file in the repository and link it relatively")
        return
    if not parts.path:
        return  # "#anchor" or "?query" on the same page
    if parts.path.startswith("/"):
        report.error(source.rel, pos, "md-path-escape",
                     f"{url} is an absolute path; use a path relative to this file")
        return
    target = (base / unquote(parts.path)).resolve()
    if not target.is_relative_to(root):
        report.error(source.rel, pos, "md-path-escape", f"{url} points outside the repository")
    elif not target.exists():
        rule = "md-image-missing" if embedded else "md-link-broken"
        report.error(source.rel, pos, rule, f"{url} does not exist (resolved to {target.relative_to(root).as_posix()})")
    elif target.is_file() and target.suffix != ".md":
        _asset(root, target, source, pos, url, report, assets)


def _asset(root: Path, target: Path, source: MarkdownSource, pos: Pos, url: str, report: Report,
           assets: set[str]) -> None:
    """A file a lecture links to: published if it is an image under lectures/ (an SVG only clean)."""
    rel = target.relative_to(root).as_posix()
    if not rel.startswith("lectures/"):
        report.error(source.rel, pos, "md-asset", f"{url}: files the site publishes live under lectures/")
        return
    if not files.publishable(target):
        report.error(source.rel, pos, "md-asset", f"{url}: only {', '.join(sorted(files.ASSET_TYPES))} files are "
                     "published")
        return
    if target.suffix.lower() == ".svg" and rel not in assets:
        try:
            removed = files.clean_svg(target.read_bytes())[1]
        except files.SvgError as exc:
            report.error(source.rel, pos, "md-asset", f"{url}: {exc}")
            return
        if removed:
            report.error(source.rel, pos, "md-asset", f"{url}: the SVG holds {', '.join(removed[:5])}, which the site "
                         "would remove (scripts, event attributes, styles, external references)")
    assets.add(rel)

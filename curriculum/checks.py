"""Rules across the whole model: uniqueness, references, alignment, Markdown hygiene,
translations and review dates. Per-file rules (YAML, schema, quiz validity) run in `load`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from curriculum_quiz import model as quizmodel

from . import bibliography, contenthtml, files, integrity, itemwriting, scaffold, terminology
from .diagnostics import Diagnostic, Pos, Report
from .gcpause import collector_paused
from .load import SourceCache, load
from .model import Curriculum, Lecture, QuizPart, Translation, version_tuple
from .sources import CITATION, CITATION_LIST, MarkdownSource, position
from .yamlpos import locate

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# A link's or image's target: <with spaces> or without, then an optional title; a target with an
# unquoted space ("my image.png") is matched too, so that it is reported rather than ignored.
_TARGET = r"\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<url>[^)\s>]*)(?P<spaced>(?:[ \t]+(?![\"'(])[^)\s]+)*))" \
          r"(?:\s+[\"'(][^)\n]*)?\)"
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]" + _TARGET)
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]" + _TARGET)
_WINDOWS_PATH = re.compile(r"[A-Za-z]:[\\/]|\\\\")  # C:\… or D:/…, or a network share \\server\…
_LINK_DEF = re.compile(r"(?m)^[ ]{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)")
_HTML_SRC = re.compile(r"<[a-zA-Z][^>]*\s(?:src|href|data)\s*=\s*(?:\"(?P<dq>[^\"<>]*)\"|'(?P<sq>[^'<>]*)'|"
                       r"(?P<url>[^\"'\s>]+))", re.I)


def check(root: Path, report: Report, today: dt.date | None = None, cache: SourceCache | None = None) -> Curriculum | None:
    """Load the curriculum under `root` (reusing `cache`'s parses of unchanged files) and run every
    rule; the report holds all findings."""
    with collector_paused():
        curriculum = load(root, report, cache)
        if curriculum is not None:
            run(curriculum, report, today)
    return curriculum


def run(curriculum: Curriculum, report: Report, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    _unique_ids(curriculum, report)
    domain_objectives: dict[str, set[str]] = {}
    for lecture in curriculum.lectures.values():
        domain_objectives.setdefault(lecture.domain_id, set()).update(lecture.objectives)
    unloaded = _domains_with_unloaded_lectures(curriculum)
    for lecture in curriculum.lectures.values():
        _lecture_references(curriculum, lecture, domain_objectives[lecture.domain_id], report,
                            lecture.domain_id in unloaded)
        _lecture_status(lecture, report)
        if lecture.status == "published":
            _placeholders(lecture.source, report)
        _citations(lecture.source, len(lecture.references), report, check_unused=lecture.status == "published",
                   quizzes=[quiz.data for quiz in lecture.quizzes])
        _markdown(curriculum.root, lecture.source, report, curriculum.assets)
        if lecture.review_by and lecture.review_by < today:
            front = lecture.source.front
            report.warning(lecture.path, front.value_pos["review_by"], "review-overdue",
                           f"review_by {lecture.review_by.isoformat()} has passed: re-check the lecture's facts "
                           "and set a new date")
        for translation in lecture.translations.values():
            _translation(lecture, translation, report)
            _unfinished(translation, report)
            _markdown(curriculum.root, translation.source, report, curriculum.assets)
            references = len(translation.references if translation.references is not None else lecture.references)
            _citations(translation.source, references, report, check_unused=False, quizzes=translation.quizzes)
    _alignment(curriculum, report, unloaded)
    start = len(report.items)
    contenthtml.run(curriculum, report)
    # A path on the author's computer (C:\…, file:) is also an address the sanitizer removes; the
    # md-local-path finding at the same place says what to do, so it is the one reported.
    local = {(d.path, d.line, d.col) for d in report.items[:start] if d.rule == "md-local-path"}
    _drop_since(report, start, lambda d: d.rule == "html-removed" and (d.path, d.line, d.col) in local)
    for rel in curriculum.other_files:
        if rel not in curriculum.assets:
            report.warning(rel, None, "file-unpublished", "no lecture links to this file, or it is not an image "
                           "type the site publishes: it is left out of the site and the course export")
    # Assessment quality and content integrity
    integrity.run(curriculum, report)
    start = len(report.items)
    itemwriting.run(curriculum, report)
    if unloaded:  # a balance without the questions of an unreadable lecture is not the domain's balance
        domain_of = {path: lecture.domain_id for lecture in curriculum.lectures.values()
                     for path in [lecture.path, *(t.path for t in lecture.translations.values())]}
        _drop_since(report, start, lambda d: d.rule in _DOMAIN_BALANCE and domain_of.get(d.path) in unloaded)
    bibliography.run(curriculum, report)
    start = len(report.items)
    terminology.run(curriculum, report)
    # A line still marked as untranslated holds the source's words, not zh-TW ones (yet).
    marked = {(t.path, number) for lecture in curriculum.lectures.values() for t in lecture.translations.values()
              for number, line in enumerate(t.source.lines, 1)
              if scaffold.untranslated_marker(t.language) in line}
    _drop_since(report, start, lambda d: (d.path, d.line) in marked)


_DOMAIN_BALANCE = frozenset({"item-true-false-balance", "item-longest-correct"})


def _drop_since(report: Report, start: int, derived: Callable[[Diagnostic], bool]) -> None:
    """Remove the findings added since `start` that only follow from a finding reported already:
    one mistake, one finding."""
    report.items[start:] = [d for d in report.items[start:] if not derived(d)]


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


def _domains_with_unloaded_lectures(curriculum: Curriculum) -> set[str]:
    """Domains listing a lecture, or a quiz, that is not in the model: its file is missing or has
    an error, reported already. Its objectives and questions are unknown, so the rules that need
    the whole domain (summative references, alignment, answer balance) stay silent there."""
    lectures = curriculum.lectures
    return {domain.id for domain in curriculum.domains for module in domain.modules
            if any(i not in lectures or lectures[i].invalid_quizzes for i in module.lecture_ids)}


def _lecture_references(curriculum: Curriculum, lecture: Lecture, domain_objectives: set[str],
                        report: Report, domain_unloaded: bool = False) -> None:
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
                if oid in lecture.objectives or (summative and (oid in domain_objectives or domain_unloaded)):
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


_PLACEHOLDER = re.compile("(?m)" + "|".join(
    # short choice texts only as a whole value, so that prose may say "a right answer"
    rf"(?:text|feedback):[ ]*[\"']?(?P<p{i}>{re.escape(text)})[\"']?[ ]*$" if len(text) < 20 else
    f"(?P<p{i}>{re.escape(text)})" for i, text in enumerate(scaffold.PLACEHOLDERS.values())))
_PLACEHOLDER_NAMES = list(scaffold.PLACEHOLDERS)


def _placeholders(source: MarkdownSource, report: Report) -> None:
    """A published lecture holds none of the skeleton's example text."""
    text = "\n".join(source.lines)
    if not any(placeholder in text for placeholder in scaffold.PLACEHOLDERS.values()):
        return  # the usual case, found at the speed of a substring search
    for match in _PLACEHOLDER.finditer(text):
        group = match.lastgroup or ""
        if group:
            what = _PLACEHOLDER_NAMES[int(group[1:])]
            report.error(source.rel, position(text, match.start(group)), "lecture-placeholder",
                         f"the example {what} of `curriculum new lecture` is still here ({match[group]!r}): "
                         "write your own, or set status: draft until it is done")


def _unfinished(translation: Translation, report: Report) -> None:
    """A published translation holds no text marked as still to translate."""
    if translation.status != "published":
        return
    marker = scaffold.untranslated_marker(translation.language)
    for number, line in enumerate(translation.source.lines, 1):
        col = line.find(marker)
        if col >= 0:
            report.error(translation.path, Pos(number, col + 1), "translation-unfinished",
                         f"{marker} marks text still to translate: translate it and remove the mark, "
                         "or set status: draft")


def _alignment(curriculum: Curriculum, report: Report, unloaded: set[str]) -> None:
    assessed = {
        oid for quiz in curriculum.quizzes() for question in quiz.questions
        for oid in quizmodel.assessed_objectives(question)
    }
    for lecture in curriculum.lectures.values():
        if lecture.status != "published" or lecture.domain_id in unloaded:
            continue  # an invalid or unloaded quiz is reported already; it may assess the objectives
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


def _citations(source: MarkdownSource, count: int, report: Report, check_unused: bool, quizzes: list) -> None:
    """Citations in the body and in quiz text: each [n] has a reference; lists and ranges, which
    the writers would show as plain text, are errors with the form that links."""
    texts: list[tuple[str, Pos | None]] = [(_prose(source), None)]  # None: offsets are the file's
    if not any(_DIGIT_IN_BRACKET.search(f.content) for f in source.fences if f.info == "quiz"):
        quizzes = []  # no quiz text cites anything: no need to walk the quizzes
    texts += [(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), value), pos)
              for data in quizzes for value, pos in _quiz_texts(data) if "[" in value]
    cited: set[int] = set()
    for text, start in texts:
        for match in CITATION.finditer(text):
            n = int(match[1])
            cited.add(n)
            if not 1 <= n <= count:
                report.error(source.rel, _at(source, text, start, match), "ref-citation",
                             f"citation [{n}] has no entry: the lecture lists {count} reference(s)")
        if "[" in text:
            for match in CITATION_LIST.finditer(text):
                meant = _listed_numbers(match[1])
                cited.update(meant)  # not linked, but meant as citations: no "never cited" for them
                report.error(source.rel, _at(source, text, start, match), "ref-citation-form",
                             f"{match[0]} is not linked to the references: write {''.join(f'[{n}]' for n in meant)}, "
                             "one bracket per reference")
    if check_unused and count:
        refs = source.front.get("references")
        for n in range(1, count + 1):
            if n not in cited:
                report.warning(source.rel, refs.item_pos[n - 1], "ref-citation-unused",
                               f"reference {n} is never cited in the body or its quizzes")


_DIGIT_IN_BRACKET = re.compile(r"\[\d")
# Quiz fields that hold no text a trainee reads.
_QUIZ_NON_TEXT = frozenset({"id", "type", "assesses", "mode", "attempts", "shuffle", "answer", "answers",
                            "tolerance", "correct", "weight"})


def _quiz_texts(data) -> list[tuple[str, Pos]]:
    """Every text of a quiz fence (title, prompts, choices, feedback, hints, explanations, items,
    pairs) with the position where its value starts."""
    out: list[tuple[str, Pos]] = []

    def walk(node, pos: Pos | None) -> None:
        if isinstance(node, str):
            if pos is not None:
                out.append((node, pos))
        elif isinstance(node, dict):
            for key, value in node.items():
                if key not in _QUIZ_NON_TEXT:
                    walk(value, node.value_pos[key] if hasattr(node, "value_pos") else pos)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, node.item_pos[i] if hasattr(node, "item_pos") else pos)

    walk(data, getattr(data, "pos", None))
    return out


def _at(source: MarkdownSource, text: str, start: Pos | None, match: re.Match[str]) -> Pos:
    """The position of a citation: in the body from the offset; in a quiz value, the first line
    from the value's start that holds it (a folded or quoted value may span lines)."""
    if start is None:
        return position(text, match.start())
    needle = match[0]
    for index in range(start.line - 1, min(len(source.lines), start.line + 40)):
        line = source.lines[index]
        col = line.find(needle, start.col - 1 if index == start.line - 1 else 0)
        if col >= 0:
            return Pos(index + 1, col + 1)
    return start


def _listed_numbers(numbers: str) -> list[int]:
    """'1,2' → [1, 2]; '1-3' or '1–3' → [1, 2, 3]."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", numbers):
        ends = [int(n) for n in re.split(r"\s*[\u2013\u2014-]\s*", part)]
        if len(ends) == 2 and 0 < ends[1] - ends[0] <= 10:
            out.extend(range(ends[0], ends[1] + 1))
        else:
            out.extend(ends)
    return out


def _markdown(root: Path, source: MarkdownSource, report: Report, assets: set[str]) -> None:
    text = _prose(source)
    base = (root / source.rel).parent

    def at(offset: int) -> Pos:
        return position(text, offset)

    if "<" in text:  # what the sanitizer removes is reported by contenthtml; here: where files are
        for match in _HTML_SRC.finditer(text):
            group = next(g for g in ("dq", "sq", "url") if match[g] is not None)
            if match[group].strip():
                _url(root, base, source, at(match.start(group)), match[group].strip(), report, assets, embedded=True)
    if "](" in text:
        for match in _IMAGE.finditer(text):
            if not match["alt"].strip():
                report.error(source.rel, at(match.start()), "md-image-alt",
                             "image has no alt text: describe it for screen-reader users")
            _target(root, base, source, match, at, report, assets, embedded=True)
        for match in _LINK.finditer(text):
            _target(root, base, source, match, at, report, assets, embedded=False)
    if "]:" in text:
        for match in _LINK_DEF.finditer(text):
            _url(root, base, source, at(match.start("url")), match["url"], report, assets, embedded=False)


def _target(root: Path, base: Path, source: MarkdownSource, match: re.Match[str], at, report: Report,
            assets: set[str], embedded: bool) -> None:
    """The target of a Markdown link or image: <in brackets>, or bare (a bare space is kept, to be reported)."""
    group = "angle" if match["angle"] is not None else "url"
    _url(root, base, source, at(match.start(group)), (match[group] + (match["spaced"] or "")).strip(), report,
         assets, embedded)


def _is_remote(url: str) -> bool:
    return bool(urlsplit(url).scheme) and not _WINDOWS_PATH.match(url) or url.startswith("//")


def _url(root: Path, base: Path, source: MarkdownSource, pos: Pos, url: str, report: Report, assets: set[str],
         embedded: bool) -> None:
    if (" " in url or "\t" in url or "%20" in url) and not _is_remote(url):
        # Markdown needs <…> or %20 for such a name and each tool quotes it its own way: ask for another name
        name = unquote(url).strip().rsplit("/", 1)[-1]
        better = re.sub(r"[\s_]+", "-", name).lower()
        report.error(source.rel, pos, "md-file-name",
                     f"the file name {name!r} has a space, which breaks the link on the site or in the course "
                     f"export: rename the file to {better!r} and write that name here")
    if _WINDOWS_PATH.match(url) or url.lower().startswith("file:") or (url.startswith("/") and not
                                                                         url.startswith("//")):
        what = "a file: address" if url.lower().startswith("file:") else "a path on one computer"
        name = unquote(re.split(r"[\\/]", url.rstrip("/\\"))[-1])
        report.error(source.rel, pos, "md-local-path",
                     f"{url} is {what}, which no trainee's browser can open: copy the file into the repository "
                     f"next to this lecture (e.g. img/{name}) and write that relative path")
        return
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

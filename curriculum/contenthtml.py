"""What the one sanitizer would remove from content, reported at the source line.

The site and the course export pass every fragment rendered from content through
`curriculum_quiz.sanitize`, which removes what is not on its allow-list. Removing it silently
would hide an author's mistake (or an attack) until a trainee notices something missing, so
`curriculum check` renders the same content with the same Markdown extensions, asks the
sanitizer what it would remove, and reports each removal as an error (`html-removed`) at the
line of the source that produced it. Titles are plain text: markup in one is `title-markup`.

Only text that can produce HTML the sanitizer removes is rendered: raw HTML (`<`), attribute
lists (`{`), character references (`&`), and links whose address has a scheme. Prose without
them renders only to elements Markdown itself makes, all of them on the allow-list.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown

from curriculum_quiz import sanitize

from .diagnostics import Pos, Report
from .markdown_extensions import Extensions, extensions_for, new_markdown
from .memo import CheckMemo
from .model import Curriculum
from .publictext import quiz_texts
from .sources import MarkdownSource, position
from .yamlpos import locate

_NEEDS_RENDER = re.compile(r"[<{&]")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.\-]*)\s*:", re.I)


# What the sanitizer removes from a text, kept from one check to the next (the live preview's):
# keyed by the Markdown extensions (mkdocs.yml may change) and the text.
_REMOVALS: CheckMemo[list[sanitize.Removal]] = CheckMemo()


class ContentHtml:
    """Renders content as the site does and reports what the sanitizer would take out."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._extensions: Extensions | None = None
        self._extensions_key = ""
        self._md: markdown.Markdown | None = None

    def _render(self, text: str, extensions: Extensions) -> str:
        if self._md is None:
            self._md = new_markdown(extensions)
        self._md.reset()
        return self._md.convert(text)

    @property
    def extensions(self) -> Extensions:
        if self._extensions is None:
            self._extensions = extensions_for(self.root)
            self._extensions_key = repr(self._extensions)  # what a kept result was rendered with
        return self._extensions

    def _rendered_removals(self, text: str) -> list[sanitize.Removal]:
        extensions = self.extensions
        return _REMOVALS.get((self._extensions_key, text), lambda: sanitize.removed(self._render(text, extensions)))

    def removals(self, text: str) -> list[sanitize.Removal]:
        """What the sanitizer removes from `text` rendered as Markdown."""
        found: list[sanitize.Removal] = []
        if _NEEDS_RENDER.search(text):
            found = self._rendered_removals(text)
        elif "](" in text or "]:" in text:
            found = [sanitize.Removal("a", "href", url) for url in _unsafe_links(text)]
        return found

    # -- sources ---------------------------------------------------------------------------------

    def check_markdown(self, source: MarkdownSource, report: Report) -> None:
        """A lecture or translation body as Markdown reads it: every line but the quiz fences
        (checked field by field), code fences included, since a line that looks like a fence to a
        quick reader may be raw HTML to Markdown."""
        text = _body(source).expandtabs(4)  # as Markdown reads it (line numbers hold)
        for removal, offset in _locate(text, self.removals(text)):
            report.error(source.rel, position(text, offset), "html-removed", _message(removal))

    def check_value(self, path: str, text: str, pos: Pos, report: Report) -> None:
        """A Markdown text of a YAML value (quiz text, the programme's description)."""
        if not isinstance(text, str):
            return
        for removal in self.removals(text):
            report.error(path, pos, "html-removed", _message(removal))

    def check_quiz(self, path: str, data: Any, report: Report) -> None:
        for field, text in quiz_texts(data):
            if "answers" not in field:  # accepted text answers are compared, never rendered
                for removal in self.removals(text):
                    report.error(path, locate(data, field), "html-removed", _message(removal))


def run(curriculum: Curriculum, report: Report) -> None:
    _REMOVALS.new_check()
    checker = ContentHtml(curriculum.root)
    programme = curriculum.programme
    raw = programme.raw
    if raw is not None:
        _titles(programme.path, raw.get("title"), raw, "title", report)
        description = raw.get("description")
        for language, text in (description.items() if isinstance(description, dict) else []):
            checker.check_value(programme.path, text, description.value_pos[language], report)
    for domain in curriculum.domains:
        if domain.raw is not None:
            _titles(domain.path, domain.raw.get("title"), domain.raw, "title", report)
        for module in domain.modules:
            if module.raw is not None:
                _titles(domain.path, module.raw.get("title"), module.raw, "title", report)
    for lecture in curriculum.lectures.values():
        sources = [lecture.source] + [t.source for t in lecture.translations.values()]
        for source in sources:
            front = source.front
            if front is not None and isinstance(front.get("title"), str):
                _title(source.rel, front["title"], front.value_pos["title"], report)
            checker.check_markdown(source, report)
            objectives = front.get("objectives") if front is not None else None
            if isinstance(objectives, dict):  # rendered as Markdown in the course export
                for oid, text in objectives.items():
                    checker.check_value(source.rel, text, objectives.value_pos[oid], report)
        if _MAY_MAKE_HTML.search(_quiz_fences(lecture.source)):  # most quizzes are plain text: skip their walk
            for quiz in lecture.quizzes:
                checker.check_quiz(lecture.path, quiz.data, report)
        for translation in lecture.translations.values():
            if _MAY_MAKE_HTML.search(_quiz_fences(translation.source)):
                for data in translation.quizzes:
                    checker.check_quiz(translation.path, data, report)


_MAY_MAKE_HTML = re.compile(r"[<{&]|\]\(|\]:")


def _quiz_fences(source: MarkdownSource) -> str:
    return "\n".join(fence.content for fence in source.fences if fence.info == "quiz")


def _body(source: MarkdownSource) -> str:
    """The body with the front matter and the quiz fences blanked (same lines, so offsets hold)."""
    lines = [""] * len(source.lines)
    lines[source.body_start:] = source.lines[source.body_start:]
    for fence in source.fences:
        if fence.info == "quiz":
            lines[fence.start:fence.end + 1] = [""] * (fence.end + 1 - fence.start)
    return "\n".join(lines)


def _titles(path: str, value: Any, parent: Any, key: str, report: Report) -> None:
    if isinstance(value, str):
        _title(path, value, parent.value_pos[key], report)
    elif isinstance(value, dict):
        for language, text in value.items():
            if isinstance(text, str):
                _title(path, text, value.value_pos[language], report)


def _title(path: str, text: str, pos: Pos, report: Report) -> None:
    markup = sanitize.title_markup(text)
    if markup:
        report.error(path, pos, "title-markup", f"titles are plain text: {markup!r} would show as typed, not as HTML; "
                     "write the title without it")


def _unsafe_links(text: str) -> list[str]:
    out = []
    for match in _LINK_TARGET.finditer(text):
        url = match.group(1) or match.group(2) or ""
        scheme = _SCHEME.match(unquote(html.unescape(url)).replace("\x00", ""))
        if scheme and scheme.group(1).lower() not in sanitize.URL_SCHEMES:
            out.append(url)
    return out


def _locate(text: str, removals: list[sanitize.Removal]) -> Iterator[tuple[sanitize.Removal, int]]:
    """Each removal (in document order) with the offset in `text` of the source that made it.
    The evidence is tried from the most precise (the attribute with its value) to the least (any
    attribute of that name); each place serves one removal, the first not yet taken."""
    taken: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    for removal in removals:
        used = taken[(removal.tag if removal.attribute is None else "", removal.attribute)]
        fallback = None
        for patterns in _evidence(removal):
            places = sorted({m.start("at") for p in patterns for m in p.finditer(text)})
            free = [place for place in places if place not in used]
            if free:
                used.add(free[0])
                yield removal, free[0]
                break
            if places and fallback is None:
                fallback = places[-1]
        else:
            yield removal, fallback if fallback is not None else _first_content(text)


def _evidence(removal: sanitize.Removal) -> list[list]:
    if removal.attribute is None:
        return [[re.compile(rf"(?P<at><)\s*{re.escape(removal.tag)}\b", re.I)]]
    name = re.escape(removal.attribute)
    levels: list[list] = []  # finders: compiled patterns, or _ExactValue
    if removal.value:
        levels.append(_exact(removal))
        for size in (12, 3):  # the value as written, then its first letters (entities may follow)
            value = re.escape(removal.value[:size])
            level = [re.compile(rf"[\s/'\"{{](?P<at>{name})\s*=\s*[\"']?\s*{value}", re.I)]
            if removal.attribute in ("href", "src"):  # a Markdown link or reference definition
                level += [re.compile(rf"\]\(\s*<?(?P<at>{value})", re.I), re.compile(rf"\]:\s*<?(?P<at>{value})", re.I)]
            levels.append(level)
    levels.append([re.compile(rf"[\s/'\"{{](?P<at>{name})\s*=", re.I)])
    return levels


class _ExactValue:
    """A pattern-like finder: places where the attribute (or Markdown link) is written with
    exactly this value once its character references are decoded (`jav&#x61;script:` too)."""

    _TOKEN = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|<?([^\s)>'"]+))""")

    def __init__(self, removal: sanitize.Removal) -> None:
        name = re.escape(removal.attribute or "")
        self.value = removal.value.strip()
        self.starts = [re.compile(rf"[\s/'\"{{](?P<at>{name})\s*=", re.I)]
        if removal.attribute in ("href", "src"):
            self.starts += [re.compile(r"\]\((?P<at>)"), re.compile(r"\]:(?P<at>)")]

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for start in self.starts:
            for match in start.finditer(text):
                token = self._TOKEN.match(text, match.end())
                raw = next((g for g in token.groups() if g is not None), "") if token else ""
                if html.unescape(raw).strip() == self.value:
                    yield match


def _exact(removal: sanitize.Removal) -> list:
    return [_ExactValue(removal)]


def _first_content(text: str) -> int:
    match = re.search(r"\S", text)
    return match.start() if match else 0


def _message(removal: sanitize.Removal) -> str:
    if removal.attribute is None:
        return (f"the {removal.describe()} is not allowed in content and would be removed from the page "
                "(allowed: what Markdown and the site's extensions write)")
    if removal.attribute in ("href", "src"):
        return (f"the address in {removal.describe()} is not allowed and would be removed: links may be http, "
                "https, mailto or relative, and images must be files of the repository")
    return f"the attribute {removal.describe()} is not allowed in content and would be removed from the page"

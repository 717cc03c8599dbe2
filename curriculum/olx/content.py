"""The lecture's html component: header, body and references, rendered with the site's Markdown
extensions (read from mkdocs.yml, so both outputs render a lecture alike) and sanitized by the one
sanitizer, `curriculum_quiz.sanitize`.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import markdown

from curriculum_quiz.cjk import join_lines, one_line
from curriculum_quiz.sanitize import clean

from .. import files
from ..errors import OlxBuildError
from ..markdown_extensions import extensions_for, new_markdown
from ..model import Curriculum, Lecture, Translation
from ..site import markdown_ext
from . import urlnames
from .strings import duration, t

_STATIC_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")  # static/ names: flat, and safe in a URL unquoted
_SRC = re.compile(r'(?P<attr>\b(?:src|href))="(?P<url>(?!#)[^"]*)"')  # an anchor on the page stays


@dataclass
class Assets:
    """Files referenced by lectures, copied into the course's static/ folder."""

    root: Path
    files: dict[str, Path] = field(default_factory=dict)  # static name -> source file

    def add(self, source_rel: str, url: str) -> str:
        """The /static/ URL for an image linked from `source_rel`; refuses missing or escaping
        paths, links, and files of types the course does not publish (Markdown sources above all)."""
        unresolved = self.root / posixpath.dirname(source_rel) / unquote(url)
        target = unresolved.resolve()
        if not target.is_relative_to(self.root):
            raise OlxBuildError(source_rel, f"{url} points outside the repository")
        if unresolved.is_symlink():
            raise OlxBuildError(source_rel, f"{url} is a symbolic link")
        if not target.is_file():
            raise OlxBuildError(source_rel, f"{url} does not exist")
        if not files.publishable(target):
            raise OlxBuildError(source_rel, f"{url}: only {', '.join(sorted(files.ASSET_TYPES))} files are published")
        rel = target.relative_to(self.root).as_posix()
        return f"/static/{self.place(_STATIC_UNSAFE.sub('-', rel.replace('/', '_')), target, source_rel)}"

    def place(self, name: str, file: Path, source_rel: str) -> str:
        """Put `file` into static/ as `name`, unless another file already has that name."""
        other = self.files.setdefault(name, file)
        if other != file:
            raise OlxBuildError(source_rel, f"{file.name} and {other} would both be static/{name}; rename one")
        return name


def static_bytes(file: Path) -> bytes:
    """A file's bytes for static/: an SVG as the SVG sanitizer leaves it."""
    data = file.read_bytes()
    if file.suffix.lower() != ".svg":
        return data
    try:
        return files.clean_svg(data)[0]
    except files.SvgError as exc:
        raise OlxBuildError(file.name, f"the SVG cannot be published: {exc}") from None


class Renderer:
    """Markdown → HTML with the site's extensions (quiz fences are separate components), with the
    site's citation links. Each text is rendered once per build: an untranslated lecture shows
    the same source text in every language."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.extensions = extensions_for(root)
        self.md = new_markdown(self.extensions)
        self._md_site: markdown.Markdown | None = None
        self._memo: dict[str, str] = {}
        self.quiz_memo: dict[tuple, str] = {}  # quiz components, shared by languages without a translation
        self._lectures_by_path: dict[str, str] | None = None

    def lectures_by_path(self, curriculum: Curriculum) -> dict[str, str]:
        """Lecture ids by source file (made once: the build asks for it for every lecture)."""
        if self._lectures_by_path is None:
            self._lectures_by_path = {lecture.path: lecture.id for lecture in curriculum.lectures.values()}
        return self._lectures_by_path

    def render(self, text: str) -> str:
        html = self._memo.get(text)
        if html is None:
            html = self._memo[text] = self._render(join_lines(text))
        return html

    def _render(self, text: str) -> str:
        if "[" not in text:
            return _convert(self.md, text)
        if _MARK_OPEN in text or _MARK_CLOSE in text:  # text that holds the marks itself: the site's way
            if self._md_site is None:
                self._md_site = new_markdown(self.extensions, "curriculum.site.markdown_ext")
            return _convert(self._md_site, text)
        html = _convert(self.md, CITATION.sub(lambda m: f"{_MARK_OPEN}{m.group(1)}{_MARK_CLOSE}", text))
        out, last = [], 0
        for match in _TAG_OR_CODE.finditer(html):  # in tags and code, a mark is the author's text again
            out.append(_MARK.sub(_citation_link, html[last:match.start()]))
            out.append(_MARK.sub(r"[\1]", match.group(0)))
            last = match.end()
        out.append(_MARK.sub(_citation_link, html[last:]))
        return "".join(out)


# Citations [n] link to the reference list exactly as the site's Markdown extension links them
# (a test holds the two to the same output), but they are marked before Markdown runs and linked
# after it: an inline pattern matching every citation costs a third of a lecture's rendering.
CITATION = re.compile(markdown_ext.CITATION)
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"  # private-use characters: no Markdown syntax
_MARK = re.compile(f"{_MARK_OPEN}(\\d{{1,3}}){_MARK_CLOSE}")
_TAG_OR_CODE = re.compile(r"<code\b.*?</code>|<[^>]*>", re.S)


def _citation_link(match: re.Match[str]) -> str:
    n = match.group(1)
    return f'<a class="cmio-cite" href="#cmio-ref-{n}">[{n}]</a>'


# Python-Markdown's inline patterns that cannot match a text without their character. A text
# without it is converted without them: the same HTML, a third less time for plain prose.
_PATTERN_NEEDS = {
    "backtick": "`", "escape": "\\", "footnote": "[", "reference": "[", "link": "[", "image_link": "[",
    "image_reference": "[", "short_reference": "[", "short_image_ref": "[", "autolink": "<", "automail": "<",
    "html": "<", "entity": "&",
}


def _convert(md: markdown.Markdown, text: str) -> str:
    md.reset()
    patterns = md.inlinePatterns
    idle = [name for name, needs in _PATTERN_NEEDS.items() if needs not in text and name in patterns]
    if not idle:
        return md.convert(text)
    # The registry keeps each pattern's priority only in its (private) sorted list.
    saved = [(name, patterns[name], next(i.priority for i in patterns._priority if i.name == name)) for name in idle]
    for name in idle:
        patterns.deregister(name)
    try:
        return md.convert(text)
    finally:
        for name, pattern, priority in saved:
            patterns.register(pattern, name, priority)


def body_text(lecture: Lecture, translation: Translation | None) -> str:
    """The Markdown of the lecture's html component body: its text without the quiz fences."""
    parts = translation.body if translation else lecture.body
    return "\n".join(part for part in parts if isinstance(part, str))


sanitize = clean  # the one sanitizer, shared with the site and the XBlock


def lecture_html(curriculum: Curriculum, lecture: Lecture, language: str, renderer: Renderer, assets: Assets) -> str:
    """The html component's content for `lecture` in `language` (source text where untranslated)."""
    translation: Translation | None = lecture.translations.get(language) if language != \
        curriculum.programme.source_language else None
    source_rel = translation.path if translation else lecture.path
    objectives = translation.objectives if translation else {}
    esc = html.escape
    out = ['<div class="cmio-lecture">',
           f'<p class="cmio-lecture-facts">{esc(t(language, "duration"))}: '
           f'{esc(duration(language, lecture.duration))} · {esc(t(language, "version"))} {esc(lecture.version)}</p>']
    if language != curriculum.programme.source_language:
        if translation is None:
            out.append(f'<p class="cmio-notice">{esc(t(language, "untranslated"))}</p>')
        elif translation.is_outdated(lecture):
            notice = t(language, "outdated", translated=translation.source_version, current=lecture.version)
            out.append(f'<p class="cmio-notice">{esc(notice)}</p>')
    if lecture.objectives:
        rendered = (renderer.render(one_line(objectives.get(oid, text))) for oid, text in lecture.objectives.items())
        items = "".join(f"<li>{fragment.removeprefix('<p>').removesuffix('</p>')}</li>" for fragment in rendered)
        out.append(f"<h2>{esc(t(language, 'objectives'))}</h2><ul class=\"cmio-objectives\">{items}</ul>")
    text = body_text(lecture, translation)
    body = renderer.render(text) if text.strip() else ""
    out.append(_rewrite_urls(body, source_rel, renderer.lectures_by_path(curriculum), assets))
    references = translation.references if translation and translation.references is not None else lecture.references
    if references:
        items = "".join(f'<li id="cmio-ref-{n}">{_linked(" ".join(str(r).split()))}</li>' for n, r in enumerate(references, 1))
        out.append(f"<h2>{esc(t(language, 'references'))}</h2><ol class=\"cmio-references\">{items}</ol>")
    out.append("</div>")
    return sanitize("\n".join(out)) + "\n"


_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")


def _linked(text: str) -> str:
    """A reference's text, escaped, with its web addresses as links."""
    out, last = [], 0
    for match in _WEB_ADDRESS.finditer(text):
        address = html.escape(match.group(0))
        out += [html.escape(text[last:match.start()]), f'<a href="{address}">{address}</a>']
        last = match.end()
    return "".join(out) + html.escape(text[last:])


def _rewrite_urls(fragment: str, source_rel: str, by_path: dict[str, str], assets: Assets) -> str:
    """Images become /static/ files; links to other lectures jump to their unit in the course."""

    def replace(match: re.Match[str]) -> str:
        attr, url = match["attr"], html.unescape(match["url"])
        if not url or url.startswith(("#", "/", "mailto:")) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
            return match.group(0)
        path, _, anchor = url.partition("#")
        path = unquote(path)  # "ai%2Dmodels.md" is the lecture ai-models.md, never a file to copy
        if attr == "src":
            return f'src="{html.escape(assets.add(source_rel, path))}"'
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source_rel), path))
        target = re.sub(r"\.[a-z]{2,3}(?:-[A-Za-z0-9]+)*\.md$", ".md", target)  # a translation links its own language
        if target in by_path:
            return f'href="/jump_to_id/{urlnames.vertical(by_path[target])}"'
        return f'href="{html.escape(assets.add(source_rel, path))}"'

    return _SRC.sub(replace, fragment)

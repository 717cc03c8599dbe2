"""The site's Markdown extension: numbered citations, glossary terms and the sanitizer.

* A citation `[n]` (as `curriculum check` reads it: not a link, not a footnote, not escaped)
  becomes a link to the n-th entry of the page's reference list (`#cmio-ref-n`).
* The first occurrence on a page of each glossary term (its name in the page's language or its
  abbreviation) becomes a link to its glossary entry, whose `title` holds the definition, so
  Material shows it as a tooltip on hover and on keyboard focus. Headings, admonition titles,
  links, code, abbreviations and math are left alone. English names match whole words, in any
  capitalisation and in the plural (abbreviations in capitals only: "CMIOs", not "ai");
  Chinese names match anywhere.

* Every page's HTML passes through the one sanitizer (`curriculum_quiz.sanitize`) after the raw
  HTML is put back: author HTML, attr_list attributes and link URLs alike. The quiz widgets are
  the pipeline's own markup (their author text is sanitized piece by piece when they are made),
  so they are set aside while the rest is cleaned and put back after.

The glossary link is written as `/glossary.md#anchor` and MkDocs turns it into a relative link
(the generated configuration sets `validation.links.absolute_links: relative_to_docs`). Zensical
leaves absolute links alone but tells extensions which page they render (its rendering-context
preprocessor), so there the link is written relative to the page's source and Zensical rewrites it.

Configured by the generated MkDocs configuration:

    markdown_extensions:
      - curriculum.site.markdown_ext:
          terms: [{anchor, names: [...], title}, ...]
          glossary: /glossary.md

An engine that renders in another process (Zensical) gets the same values as data instead:
`data: /path/to/markdown-data.json` names a JSON file {terms, glossary, pipeline_html} that the
build writes beside the language's configuration (see curriculum.site.engines). The pipeline's
tokens and their markup travel in it unchanged, so the sanitizer runs and restores them as here.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from curriculum_quiz import sanitize
from curriculum_quiz.cjk import join_lines

from .markup import PipelineHtml

CITATION = r"(?<![!\\])\[(\d{1,3})\](?![(:])"  # as curriculum.checks reads citations
_SKIP_TAGS = {"a", "abbr", "code", "pre", "kbd", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "button",
              "label", "legend", "select", "textarea", "sup", "sub", "summary"}
_SKIP_CLASSES = {"admonition-title", "cmio-noterms", "arithmatex"}
_LATIN_WORD = re.compile(r"\w", re.ASCII)


class CitationProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        n = m.group(1)
        link = etree.Element("a", {"class": "cmio-cite", "href": f"#cmio-ref-{n}"})
        link.text = f"[{n}]"
        return link, m.start(0), m.end(0)


@functools.lru_cache(maxsize=8)
def _compile(names: tuple[tuple[str, int], ...]) -> re.Pattern[str] | None:
    """One pattern for every name (longest first), with the entry index in the group name."""
    if not names:
        return None
    parts = []
    for i, (name, _entry) in enumerate(sorted(names, key=lambda item: -len(item[0]))):
        body = re.escape(name)
        if _LATIN_WORD.match(name[-1]) and name[-1].isalpha():
            # English: the plural too ("CMIOs", "interoperability standards" stays singular)
            body += "(?:es|s)?" if not name.isupper() else "s?"
        if not name.isupper() and _LATIN_WORD.match(name[0]):
            body = f"(?i:{body})"  # "Interoperability" at a sentence's start and mid-sentence alike
        if _LATIN_WORD.match(name[0]):
            body = r"(?<![\w-])" + body
        if _LATIN_WORD.match(name[-1]):
            body += r"(?![\w-])"
        parts.append(f"(?P<t{i}>{body})")
    return re.compile("|".join(parts))


class TermTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, terms: list[dict[str, Any]], glossary: str) -> None:
        super().__init__(md)
        self.terms = terms
        self.glossary = glossary
        names: list[tuple[str, int]] = []
        seen: set[str] = set()
        for index, term in enumerate(terms):
            for name in term["names"]:
                if name and name not in seen:
                    seen.add(name)
                    names.append((name, index))
        self.pattern = _compile(tuple(names))
        ordered = sorted(names, key=lambda item: -len(item[0]))
        self.entry_of_group = {f"t{i}": entry for i, (_name, entry) in enumerate(ordered)}
        self.used: set[int] = set()

    def run(self, root: etree.Element) -> None:
        if self.pattern is None:
            return
        self.used = set()
        self.href = _from_page(self.md, self.glossary)
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in _SKIP_TAGS or _SKIP_CLASSES.intersection((element.get("class") or "").split()):
            return
        children = list(element)  # before linking: new links need no walk
        if element.text:
            element.text = self._link(element, element.text, None)
        for child in children:
            self._walk(child)
            if child.tail:
                child.tail = self._link(element, child.tail, child)

    def _link(self, parent: etree.Element, text: str, after: etree.Element | None) -> str:
        """Link the first unused term in `text`; returns what remains as text before the link."""
        if isinstance(text, markdown.util.AtomicString) or len(self.used) == len(self.terms):
            return text
        for match in self.pattern.finditer(text):
            entry = self.entry_of_group[match.lastgroup]
            if entry in self.used:
                continue
            self.used.add(entry)
            term = self.terms[entry]
            link = etree.Element("a", {"class": "cmio-term", "href": f"{self.href}#{term['anchor']}",
                                       "title": term["title"]})
            link.text = markdown.util.AtomicString(match.group(0))
            rest = text[match.end():]
            link.tail = rest
            position = 0 if after is None else list(parent).index(after) + 1
            parent.insert(position, link)
            if rest:  # later terms in the same run of text
                link.tail = self._link(parent, rest, link)
            return text[: match.start()]
        return text


def _from_page(md: markdown.Markdown, target: str) -> str:
    """`target` (from the docs root) relative to the page being rendered, when the engine says which
    page that is (Zensical's "rendering_context" preprocessor); else as it is (MkDocs resolves it)."""
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None
    source = getattr(getattr(context, "page", None), "path", None)
    if not isinstance(source, str) or not target.startswith("/"):
        return target
    return posixpath.relpath(target.lstrip("/"), posixpath.dirname(source.replace(os.sep, "/")) or ".")


WIDGETS = "cmio_widgets"  # attribute of a Markdown instance: the quiz widgets made for its page


def widget(md: markdown.Markdown | None, html: str) -> str:
    """Mark `html` (stored by SuperFences as it is) as a quiz widget of `md`'s page."""
    if md is not None:
        getattr(md, WIDGETS, []).append(html)
    return html


class _SetWidgetsAside(Postprocessor):
    """Before the raw HTML is put back: each quiz widget's place becomes a token (as in site.markup).
    Postprocessors also run on fragments (toc renders each heading with them), so a page's
    tokens are kept until the extension is reset for the next page."""

    def __init__(self, md: markdown.Markdown, aside: PipelineHtml) -> None:
        super().__init__(md)
        self.aside = aside

    def run(self, text: str) -> str:
        widgets = getattr(self.md, WIDGETS, [])
        if widgets:
            stash = self.md.htmlStash.rawHtmlBlocks
            for index, block in enumerate(stash):
                if any(block is w for w in widgets):
                    stash[index] = self.aside(str(block))
        return text


class _Sanitize(Postprocessor):
    """After the raw HTML is put back: clean the page, then put the quiz widgets back."""

    def __init__(self, md: markdown.Markdown, aside: PipelineHtml, pipeline_html: dict[str, str]) -> None:
        super().__init__(md)
        self.aside = aside
        self.pipeline_html = pipeline_html

    def run(self, text: str) -> str:
        text = sanitize.clean(text)

        def restore(match: re.Match[str]) -> str:
            token = match.group(1) or match.group(2)
            block = self.aside.blocks.get(token) or self.pipeline_html.get(token)
            if block is None:  # a token that no build made: content imitating one
                return ""
            return block

        return _TOKEN.sub(restore, text)


# A token of a quiz widget or of the pipeline's markup (see PipelineHtml), alone in its paragraph or not.
_TOKEN = re.compile("<p>(\ue004[^\ue005<]*\ue005)</p>|(\ue004[^\ue005<]*\ue005)")


class _JoinChineseLines(Preprocessor):
    """A line break between two Chinese characters reads as nothing (see curriculum_quiz.cjk)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        joined = join_lines(text)
        return lines if joined is text else joined.split("\n")


DATA_KEYS = ("terms", "glossary", "pipeline_html")


@functools.lru_cache(maxsize=4)
def _read_data(path: str, stamp: tuple[int, int]) -> dict[str, Any]:
    """The extension's data file, read once per build (an engine makes a Markdown per page)."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or any(key not in data for key in DATA_KEYS):
        raise ValueError(f"{path}: the site's Markdown data must be an object with {', '.join(DATA_KEYS)}")
    return data


def read_data(path: str) -> dict[str, Any]:
    state = os.stat(path)
    return _read_data(path, (state.st_mtime_ns, state.st_size))


class CurriculumExtension(markdown.Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "terms": [[], "glossary entries: {anchor, names, title}"],
            "glossary": ["/glossary.md", "the glossary page, from the docs root"],
            "citations": [True, "link [n] citations to the page's reference list"],
            "pipeline_html": [{}, "the pipeline's own markup by the token that holds its place (see site.markup)"],
            "data": ["", "a JSON file holding terms, glossary and pipeline_html (for an engine in another process)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        self.md = md
        setattr(md, WIDGETS, [])
        values = {key: self.getConfig(key) for key in DATA_KEYS}
        if self.getConfig("data"):
            values = read_data(self.getConfig("data"))
        self.aside = aside = PipelineHtml()
        md.preprocessors.register(_JoinChineseLines(md), "cmio_join_chinese_lines", 28)  # after normalize (30)
        md.postprocessors.register(_SetWidgetsAside(md, aside), "cmio_widgets_aside", 35)  # raw_html is 30
        md.postprocessors.register(_Sanitize(md, aside, values["pipeline_html"]), "cmio_sanitize", 15)  # last
        if self.getConfig("citations"):
            md.inlinePatterns.register(CitationProcessor(CITATION, md), "cmio_citation", 172)
        if values["terms"]:
            md.treeprocessors.register(TermTreeprocessor(md, values["terms"], values["glossary"]), "cmio_terms", 6)


    def reset(self) -> None:
        setattr(self.md, WIDGETS, [])
        self.aside.blocks.clear()


def makeExtension(**kwargs: Any) -> CurriculumExtension:  # noqa: N802
    return CurriculumExtension(**kwargs)

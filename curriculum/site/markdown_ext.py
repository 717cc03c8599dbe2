"""The site's Markdown extension: numbered citations, glossary terms and the sanitizer.

* A citation `[n]` (as `curriculum check` reads it: not a link, not a footnote, not escaped)
  becomes a link to the n-th entry of the page's reference list (`#cmio-ref-n`).
* The first occurrence on a page of each glossary entry (any of its names: the term in the
  page's language, its abbreviation, synonyms and irregular plural) becomes a link to its
  glossary entry, whose `title` holds the definition; assets/site.js shows it in a popover on
  hover, focus and the first tap on a touch screen. Headings, admonition titles, links, code,
  abbreviations, math, raw HTML (the quiz widgets) and text inside the author's inline <a>,
  <code> or <kbd> are left alone. English names match whole words across line breaks, in any
  capitalisation and in the regular plural (-s, -es, -ies); abbreviations and names with inner
  capitals only as written ("CMIOs", "GenAI", not "ai"); Chinese names match as written, and
  English names inside Chinese text too ("由CMIO負責").

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
from collections.abc import Iterator
from typing import Any

import markdown
from markdown import inlinepatterns, treeprocessors
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from pymdownx.delimiterprocessor import DelimiterProcessor

from curriculum_quiz import sanitize
from curriculum_quiz.cjk import join_lines

from ..sources import CITATION_PATTERN as CITATION  # the form the check reads, in one place
from .markup import PipelineHtml

_SKIP_TAGS = {"a", "abbr", "code", "pre", "kbd", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "button",
              "label", "legend", "select", "textarea", "sup", "sub", "summary"}
_SKIP_CLASSES = {"admonition-title", "cmio-noterms", "arithmatex"}


# Inline processors after the citation's that leave a text "[n]" as it is: only a shortcut reference
# finds something there, and only where the page defines a reference [n]. The others need what
# "[n]" lacks: "(", a second [...], "!", "<", "&", "*", "_" or a line break.
_INERT_AFTER_CITATION = (inlinepatterns.ReferenceInlineProcessor, inlinepatterns.LinkInlineProcessor,
                         inlinepatterns.ImageInlineProcessor, inlinepatterns.ImageReferenceInlineProcessor,
                         inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.ShortImageReferenceInlineProcessor,
                         inlinepatterns.AutolinkInlineProcessor, inlinepatterns.AutomailInlineProcessor,
                         inlinepatterns.SubstituteTagInlineProcessor, inlinepatterns.HtmlInlineProcessor,
                         inlinepatterns.DelimiterProcessor, DelimiterProcessor)
# Modules whose tree processors change no text an inline pattern made, but for the abbreviations'.
_TREE_MODULES = frozenset({
    "markdown.treeprocessors", "markdown.extensions.abbr", "markdown.extensions.attr_list", "markdown.extensions.toc",
    "markdown.extensions.footnotes", "markdown.extensions.md_in_html", "markdown.extensions.admonition",
    "markdown.extensions.def_list", "markdown.extensions.tables", "pymdownx.highlight", "pymdownx.tasklist",
    "pymdownx.superfences", "pymdownx.arithmatex", "pymdownx.tabbed", "pymdownx.details", "pymdownx.betterem",
    "pymdownx.inlinehilite", "mkdocs.structure.pages", __name__,  # MkDocs': anchors, link targets, the title
})


class CitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: markdown.Markdown) -> None:
        super().__init__(pattern, md)
        self._inert: bool | None = None
        self._abbrs: dict[str, str] = {}

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        n = m.group(1)
        link = etree.Element("a", {"class": "cmio-cite", "href": f"#cmio-ref-{n}"})
        link.text = AtomicString(f"[{n}]") if self._final(n) else f"[{n}]"
        return link, m.start(0), m.end(0)

    def _final(self, n: str) -> bool:
        """Whether no later processor would change the link's text "[n]". Markdown runs every
        inline pattern after this one over it (most of a lecture's inline work, a citation per
        sentence) and the abbreviations after: an atomic text skips them where they would find
        nothing, so the page is the same."""
        md = self.md
        if self._inert is None:
            patterns = list(md.inlinePatterns)
            later = patterns[patterns.index(self) + 1:] if self in patterns else [None]  # unregistered: unknown
            inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
            abbr = md.treeprocessors["abbr"] if "abbr" in md.treeprocessors else None
            # Tree processors that read text: only the abbreviations' (below) and the inline one.
            self._inert = all(type(p) in _INERT_AFTER_CITATION for p in later) and all(
                type(t).__module__ in _TREE_MODULES and (t is inline or not isinstance(t, treeprocessors.InlineProcessor))
                for t in md.treeprocessors) and (abbr is None or type(abbr) is AbbrTreeprocessor)
            self._abbrs = abbr.abbrs if isinstance(abbr, AbbrTreeprocessor) else {}  # the page's, as it is parsed
        return self._inert and n.lower() not in md.references and n not in self._abbrs


def link_citations(md: markdown.Markdown) -> None:
    """Link [n] to the page's reference list in `md` (lectures, and quiz text on their pages)."""
    md.inlinePatterns.register(CitationProcessor(CITATION, md), CITATION_NAME, 172)


CITATION_NAME = "cmio_citation"


# A term is a whole word: no ASCII letter, digit or hyphen touches it ("AI-based", "Haiti" are not
# "AI"). Han characters may touch it, since Chinese is written without spaces ("由CMIO負責").
_WORD_CHAR = "A-Za-z0-9_-"


def as_written(word: str) -> bool:
    """Abbreviations and words with a capital after their first letter (CMIO, SaMD, GenAI, H-ISAC)
    are matched only as written: "ai" and "Cade" are ordinary words. Other words match in any case."""
    return any(any(c.isupper() for c in part[1:]) for part in re.split(r"[\s/-]+", word))


def _plural(word: str) -> str:
    """`word` (escaped) with its regular English plural."""
    body = re.escape(word)
    if not (word[-1].isascii() and word[-1].isalpha()):
        return body
    if as_written(word):
        return body + "s?"  # CMIOs, LLMs
    if re.search(r"[^aeiou]y\Z", word, re.IGNORECASE):
        return re.escape(word[:-1]) + "(?:y|ies)"  # policy, policies
    if re.search(r"(?:s|x|z|ch|sh)\Z", word, re.IGNORECASE):
        return body + "(?:es)?"  # patch, patches
    return body + "s?"


def name_pattern(name: str) -> str:
    """A regular expression for `name` as it appears in text: its words separated by any white
    space (a line break of the source), each in any case unless written with inner capitals
    ("Responsible AI" is also "responsible AI", never "responsible ai"), the last one also in its
    regular plural, and whole words."""
    words = name.split()
    parts = [_plural(word) if i == len(words) - 1 else re.escape(word) for i, word in enumerate(words)]
    body = r"\s+".join(part if as_written(word) else f"(?i:{part})" for word, part in zip(words, parts, strict=True))
    if name[0].isascii() and name[0].isalnum():
        body = rf"(?<![{_WORD_CHAR}])" + body
    if name[-1].isascii() and name[-1].isalnum():
        body += rf"(?![{_WORD_CHAR}])"
    return body


class NameFinder:
    """Finds the names in text, longest first at each place ("EMR information system" wins over
    "EMR"). One alternation of every name would try each name at each character; here a cheap
    scan finds where a name can start (a word's first letter, or the first character of a Chinese
    name) and only the names starting with that letter are tried there."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names  # longest first; a match's group is t<index in names>
        groups: dict[str, list[str]] = {}
        for i, name in enumerate(names):
            groups.setdefault(name[0].casefold(), []).append(f"(?P<t{i}>{name_pattern(name)})")
        self.by_first = {first: re.compile("|".join(parts)) for first, parts in groups.items()}
        latin = "".join(sorted({c for f in groups if f.isascii() and f.isalnum() for c in (f, f.upper())}))
        other = "".join(sorted(f for f in groups if not (f.isascii() and f.isalnum())))
        starts = []
        if latin:
            starts.append(rf"(?<![{_WORD_CHAR}])[{re.escape(latin)}]")
        if other:
            starts.append(f"[{re.escape(other)}]")
        self.starts = re.compile("|".join(starts)) if starts else None

    def finditer(self, text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
        """Non-overlapping matches in text[pos:end], left to right."""
        if self.starts is None:
            return
        after = pos
        for start in self.starts.finditer(text, pos, end):
            at = start.start()
            if at < after:
                continue
            match = self.by_first[text[at].casefold()].match(text, at, end)
            if match:
                yield match
                after = match.end()


@functools.lru_cache(maxsize=8)
def _finder(names: tuple[str, ...]) -> NameFinder | None:
    return NameFinder(names) if names else None


class TermTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, terms: list[dict[str, Any]], glossary: str) -> None:
        super().__init__(md)
        self.terms = terms
        self.glossary = glossary
        names: dict[str, int] = {}  # name -> entry; the check keeps names apart, the first entry wins
        for index, term in enumerate(terms):
            for name in term["names"]:
                if name and name.strip():
                    names.setdefault(name.strip(), index)
        ordered = sorted(names, key=lambda name: -len(name))
        self.finder = _finder(tuple(ordered))
        self.entry_of_group = {f"t{i}": names[name] for i, name in enumerate(ordered)}
        self.used: set[int] = set()
        self.raw_depth = 0

    def run(self, root: etree.Element) -> None:
        if self.finder is None:
            return
        self.used = set()
        self.raw_depth = 0  # inside how many <a>, <code>… that the author wrote as inline HTML
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
        """Link the first occurrence of each unused term in `text` (which is placed in `parent`
        after the child `after`, or first); returns the text left before the first link."""
        if isinstance(text, markdown.util.AtomicString):
            return text
        found: list[tuple[re.Match[str], int]] = []
        pos = 0
        for raw in [*markdown.util.HTML_PLACEHOLDER_RE.finditer(text), None]:
            end = raw.start() if raw else len(text)
            if self.raw_depth == 0 and len(self.used) < len(self.terms):
                for match in self.finder.finditer(text, pos, end):
                    entry = self.entry_of_group[match.lastgroup]
                    if entry not in self.used:
                        self.used.add(entry)
                        found.append((match, entry))
            if raw:
                self._count_raw_tag(int(raw.group(1)))
                pos = raw.end()
        if not found:
            return text
        position = 0 if after is None else list(parent).index(after) + 1
        for i, (match, entry) in enumerate(found):
            term = self.terms[entry]
            link = etree.Element("a", {"class": "cmio-term", "href": f"{self.href}#{term['anchor']}",
                                       "title": term["title"]})
            link.text = markdown.util.AtomicString(match.group(0))
            link.tail = text[match.end(): found[i + 1][0].start() if i + 1 < len(found) else len(text)]
            parent.insert(position + i, link)
        return text[: found[0][0].start()]

    def _count_raw_tag(self, index: int) -> None:
        """Inline HTML is stashed tag by tag: text between an author's <a …> and </a> is no place
        for a link either."""
        stash = self.md.htmlStash.rawHtmlBlocks
        tag = _RAW_TAG.match(str(stash[index])) if index < len(stash) else None
        if tag and tag.group(2).lower() in _SKIP_TAGS and not tag.group(3):
            self.raw_depth = max(0, self.raw_depth + (-1 if tag.group(1) else 1))


_RAW_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>\Z")


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
            link_citations(md)
        terms = self.getConfig("terms")
        if terms:
            md.treeprocessors.register(TermTreeprocessor(md, terms, self.getConfig("glossary")), "cmio_terms", 6)
            link_citations(md)
        if values["terms"]:
            md.treeprocessors.register(TermTreeprocessor(md, values["terms"], values["glossary"]), "cmio_terms", 6)


    def reset(self) -> None:
        setattr(self.md, WIDGETS, [])
        self.aside.blocks.clear()


def makeExtension(**kwargs: Any) -> CurriculumExtension:  # noqa: N802
    return CurriculumExtension(**kwargs)

"""The site's Markdown extension: numbered citations and glossary terms.

* A citation `[n]` (as `curriculum check` reads it: not a link, not a footnote, not escaped)
  becomes a link to the n-th entry of the page's reference list (`#cmio-ref-n`).
* The first occurrence on a page of each glossary term (its name in the page's language or its
  abbreviation) becomes a link to its glossary entry, whose `title` holds the definition, so
  Material shows it as a tooltip on hover and on keyboard focus. Headings, admonition titles,
  links, code, abbreviations and math are left alone. English names match whole words;
  Chinese names match anywhere.

The glossary link is written as `/glossary.md#anchor` and MkDocs turns it into a relative link
(the generated configuration sets `validation.links.absolute_links: relative_to_docs`).

Configured by the generated MkDocs configuration:

    markdown_extensions:
      - curriculum.site.markdown_ext:
          terms: [{anchor, names: [...], title}, ...]
          glossary: /glossary.md
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

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
            link = etree.Element("a", {"class": "cmio-term", "href": f"{self.glossary}#{term['anchor']}",
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


class CurriculumExtension(markdown.Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "terms": [[], "glossary entries: {anchor, names, title}"],
            "glossary": ["/glossary.md", "the glossary page, from the docs root"],
            "citations": [True, "link [n] citations to the page's reference list"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        if self.getConfig("citations"):
            md.inlinePatterns.register(CitationProcessor(CITATION, md), "cmio_citation", 172)
        terms = self.getConfig("terms")
        if terms:
            md.treeprocessors.register(TermTreeprocessor(md, terms, self.getConfig("glossary")), "cmio_terms", 6)


def makeExtension(**kwargs: Any) -> CurriculumExtension:  # noqa: N802
    return CurriculumExtension(**kwargs)

"""The one HTML sanitizer for everything rendered from curriculum content.

Every HTML fragment made from author text — lecture bodies, quiz text, titles, summaries,
glossary entries, references — passes through :func:`clean` before it reaches a page: on the
course site, in the Open edX course export and in this XBlock. It lives here, in the XBlock's
distribution, because the XBlock must install alone in an LMS and the pipeline already depends
on this package for the quiz model.

The policy is an allow-list of what Python-Markdown and the enabled extensions produce
(admonitions, details, tabbed, tables, footnotes, code highlighting, math, tooltips, task
lists); everything else is removed. No event attributes; URLs only http, https, mailto,
relative and in-page; no script, style, meta, link, base, form, iframe, object, embed, frameset.

:func:`removed` says what :func:`clean` takes out of a fragment, so `curriculum check` can
report it at the source line instead of the build dropping it silently.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

TAGS = frozenset({
    # Markdown
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "mark", "ins", "q", "cite", "time", "section",
    # pymdownx.details, tabbed (alternate style: radio inputs and labels), tasklist (checkboxes)
    "details", "summary", "input", "label",
    # footnotes and figures
    "figure", "figcaption",
})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope", "style"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "label": frozenset({"for"}),
    "input": frozenset({"name", "checked", "disabled"}),
    "div": frozenset({"data-tabs"}),  # pymdownx.tabbed numbers its tab sets
    "abbr": frozenset(),
}
# Attributes restricted to a few values (nh3 keeps them apart from ATTRIBUTES).
ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}}
STYLE_PROPERTIES = frozenset({"text-align"})  # Python-Markdown's table column alignment
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with their content (the text of a script is not prose).
DROP_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "frameset",
                          "frame", "noembed", "noframes", "xmp", "plaintext", "title", "textarea", "select", "svg",
                          "math"})
# Ids the page itself relies on (Material's configuration, search, drawer...): content may not
# take them, or its element would be found first (DOM clobbering).
_RESERVED_ID = re.compile(r"__(?!tabbed_\d+_\d+$)")


_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.I)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "for") and _RESERVED_ID.match(value):
        return None
    if tag == "img" and attribute == "src" and _REMOTE.match(value):
        return None  # images come from the site itself: nothing loads from another host
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROP_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in ATTRIBUTE_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=None,  # links never open new windows (no target attribute): nothing to add
    strip_comments=True,
    filter_style_properties=set(STYLE_PROPERTIES),
    attribute_filter=_attribute_filter,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(DROP_CONTENT), attributes={}, strip_comments=True)


# What makes the cleaner's output differ from its input: markup and character references, and
# the characters its parser rewrites (NUL, CR, a leading BOM) or its serializer escapes (>, NBSP);
# surrogates, which it refuses. Text without them is returned as it is, without a parse (the
# table of contents renders each heading's text through the page's sanitizing postprocessor).
_CLEANER_CHANGES = re.compile("[<>&\x00\r\xa0\ufeff\ud800-\udfff]")


def clean(fragment: str) -> str:
    """`fragment` with everything outside the allow-list removed."""
    if not _CLEANER_CHANGES.search(fragment):
        return fragment
    return _CLEANER.clean(fragment)


def plain_text(fragment: str) -> str:
    """The text a reader sees in `fragment`, without markup, on one line (not escaped)."""
    return " ".join(html.unescape(_TEXT_ONLY.clean(fragment)).split())


# -- titles ----------------------------------------------------------------------------------

# A title is printed by page templates as it is, escaped, or through `striptags` (which
# unescapes once): only text without these characters reads the same, and stays inert, in all
# three. Quotes become typographic quotes; a character reference becomes its literal text (its
# ampersand a full-width one).
_TITLE_SWAP = {'"': "\u201d", "<": "\uff1c", ">": "\uff1e"}
_REFERENCE = re.compile(r"&(?=[#A-Za-z0-9])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def title_text(value: object) -> str:
    """A title as plain text that is inert wherever a template prints it."""
    text = " ".join(_CONTROL.sub("", str(value)).split())
    text = "".join(_TITLE_SWAP.get(ch, ch) for ch in text)
    # Only an ampersand that starts a character reference ("&lt", "&#60;") is swapped: "R&D" stays.
    return _REFERENCE.sub(lambda m: "\uff06" if html.unescape(text[m.start():m.start() + 33]) !=
                          text[m.start():m.start() + 33] else "&", text)


TITLE_MARKUP = re.compile(r"<[A-Za-z!/?]|&#?[A-Za-z0-9]+;")


def title_markup(value: str) -> str | None:
    """The first piece of HTML in a title (a tag or a character reference), if any."""
    match = TITLE_MARKUP.search(value)
    return match.group(0) if match else None


# -- what clean() removes --------------------------------------------------------------------

@dataclass(frozen=True)
class Removal:
    """One element or attribute that :func:`clean` removes."""

    tag: str
    attribute: str | None = None  # None: the element itself
    value: str = ""

    def describe(self) -> str:
        if self.attribute is None:
            return f"<{self.tag}> element"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f'{self.attribute}="{shown}" on <{self.tag}>'


class _Inventory(HTMLParser):
    """Every start tag and attribute of a fragment (values unescaped, as a browser reads them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter[Removal] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[Removal(tag)] += 1
        for name, value in attrs:
            self.items[Removal(tag, name, _normal(name, value or ""))] += 1

    handle_startendtag = handle_starttag


def _normal(name: str, value: str) -> str:
    if name == "style":  # clean() rewrites the declarations it keeps without spaces
        return ";".join(part.replace(" ", "") for part in value.split(";") if part.strip())
    return value


def _inventory(fragment: str) -> Counter[Removal]:
    parser = _Inventory()
    parser.feed(fragment)
    parser.close()
    return parser.items


def removed(fragment: str) -> list[Removal]:
    """What :func:`clean` removes from `fragment`: elements and attributes, in document order."""
    kept = _inventory(clean(fragment))
    found = _inventory(fragment)
    gone = {item.tag for item, count in found.items() if item.attribute is None and kept.get(item, 0) == 0}
    out: list[Removal] = []
    for item, count in found.items():
        if item.attribute is not None and item.tag in gone:
            continue  # reported with its element
        missing = count - kept.get(item, 0)
        if missing > 0 and not (item.attribute is None and item.tag in ("html", "head", "body")):
            out += [item] * missing
    return out

"""Author text: Markdown source rendered to HTML and sanitised by the one sanitizer (`sanitize`).

Every piece of author text that reaches the browser (prompts, choices, items, matching sides,
hints, feedback, explanations) goes through :func:`html_block`, :func:`legend_parts` or
:func:`plain`; nothing is inserted unescaped. Results are cached, because the same quiz text is
rendered for every learner.
"""

from __future__ import annotations

import functools
import html
import re
import threading

import markdown

from .cjk import join_lines
from .sanitize import clean, plain_text

MARKDOWN_EXTENSIONS = ("tables", "sane_lists")

# Text made only of these characters, starting with a letter or digit that does not open a
# numbered list, renders to a single paragraph of itself, so it needs no Markdown pass.
_PLAIN = re.compile(r"(?!\d+[.)])[^\W_](?:[^\W_]|[ ,.;:?!'\"()%/’‘“”，。；：？！、（）「」《》〈〉·…—–-])*")
_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))
    return md


sanitize = clean


@functools.lru_cache(maxsize=8192)
def html_block(text: str) -> str:
    """Markdown ``text`` as sanitised block HTML (paragraphs, lists, tables, ...)."""
    text = join_lines(text.strip(), folded=True)
    if not text:
        return ""
    if "  " not in text and _PLAIN.fullmatch(text):
        return f"<p>{text}</p>"
    md = _markdown()
    md.reset()
    return sanitize(md.convert(text)).strip()


@functools.lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """The text content of Markdown ``text``, HTML-escaped, on one line (for <option> and aria labels)."""
    return html.escape(plain_text(html_block(text)), quote=False)


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>\s*", re.DOTALL)


@functools.lru_cache(maxsize=8192)
def legend_parts(text: str) -> tuple[str, str, bool]:
    """Split a prompt for a fieldset: (legend HTML, HTML of the blocks after it, legend is a copy).

    A <legend> holds phrasing content only, so it gets the first paragraph and the remaining
    blocks follow it. A prompt that does not open with a paragraph gets its plain text as the
    legend (marked as a copy, so it can be shown to assistive technology only) and the blocks
    after it unchanged.
    """
    html = html_block(text)
    match = _FIRST_PARAGRAPH.match(html)
    if match:
        return match.group(1), html[match.end():], False
    return plain(text), html, True


@functools.lru_cache(maxsize=8192)
def inline(text: str) -> str:
    """Markdown ``text`` as phrasing content (for <label>, <legend>, list items): the paragraph's
    inner HTML when the text is one paragraph, else its plain text."""
    html = html_block(text)
    match = _FIRST_PARAGRAPH.fullmatch(html)
    if match and "<p>" not in match.group(1):
        return match.group(1)
    return plain(text)

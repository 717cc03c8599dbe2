"""Small helpers for writing the generated pages: escaping, anchors, page URLs, quiz fences."""

from __future__ import annotations

import html
import json
import posixpath
import re
import secrets
from typing import Any

from curriculum_quiz.cjk import one_line

# Characters Markdown (and its extensions: arithmatex, citations, tables) could read as syntax,
# written as character references so they show as typed.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]|$~^=]")
_LINE_START = re.compile(r"^(?:[-+#>]|\d+(?=[.)]))")
_URL = re.compile(r"https?://[^\s<>\"]+")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def md_text(value: object) -> str:
    """Plain text that Markdown shows as written (no emphasis, links or HTML)."""
    text = one_line(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)
    return _LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), text)


def md_inline(value: object) -> str:
    """Author text that may use inline Markdown (emphasis, code), with HTML neutralised."""
    return one_line(value).replace("&", "&amp;").replace("<", "&lt;")


def linkify(text: str) -> str:
    """Escaped text whose http(s) URLs become links (for reference lists)."""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)]}'")
        end = match.start() + len(url)
        out.append(esc(text[last:match.start()]))
        out.append(f'<a href="{esc(url)}">{esc(url)}</a>')
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


def slug(value: str, prefix: str = "") -> str:
    return prefix + (_SLUG_DROP.sub("-", value.lower()).strip("-") or "x")


def page_url(docs_path: str, use_directory_urls: bool) -> str:
    """The URL (relative to the site root) MkDocs gives the page written at `docs_path`."""
    stem = docs_path[:-3] if docs_path.endswith(".md") else docs_path
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(target: str, from_page: str) -> str:
    """`target` (a URL from the site root) as a link from the page whose URL is `from_page`."""
    if from_page.endswith("/") or not from_page:
        folder = from_page
    else:
        folder = posixpath.dirname(from_page) + "/" if "/" in from_page else ""
    return ("../" * folder.count("/") + target) or "./"


def quiz_fence(data: dict[str, Any], indent: str) -> str:
    """A ```quiz fence holding `data` as JSON, long enough that no text inside can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{indent}{fence}quiz\n{indent}{text}\n{indent}{fence}"


class PipelineHtml:
    """HTML the pipeline writes itself around author text (the lecture header with the data
    progress.js reads, the progress page, the quiz widgets): it holds author text only escaped
    or already sanitized, and needs elements and attributes the sanitizer takes from content. A page's
    Markdown holds a token in its place, which the site's Markdown extension replaces after
    sanitizing. Tokens are private-use characters with a per-build nonce: content cannot forge
    one, and Markdown reads no syntax in them."""

    def __init__(self) -> None:
        self.nonce = "".join(chr(0xE010 + int(c, 16)) for c in secrets.token_hex(6))
        self.blocks: dict[str, str] = {}

    def __call__(self, markup: str) -> str:
        index = "".join(chr(0xE010 + int(c, 16)) for c in f"{len(self.blocks):x}")
        token = f"\ue004{self.nonce}\ue00f{index}\ue005"
        self.blocks[token] = markup
        return token

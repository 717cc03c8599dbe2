"""The same XSS corpus in the course export: built with the check skipped, no html component,
quiz component or about page of either language carries anything that could run in the LMS."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest

from curriculum.errors import OlxBuildError

from .helpers import build_olx_unchecked, edit, site_copy, tar_members
from .xss_vectors import INTRO, PWN, plant

TAB_LINK = f'<a href="java\tscript:{PWN}">tab anchor</a>'
ENCODED_TAB_LINK = f'<a href="java&#9;script:{PWN}">encoded tab anchor</a>'

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "form", "frame", "frameset",
                  "svg", "math", "template", "mglyph"}
SCHEMES = ("javascript:", "vbscript:", "data:")


class _Active(html.parser.HTMLParser):
    """Tags and attributes that could run, as a browser would read the markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            compact = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "data-pwned" or (name in ("href", "src", "action") and
                                                                  compact.startswith(SCHEMES)):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "id" and value == "__config":
                self.found.append(f"<{tag} id=__config>")

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def members(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = site_copy(tmp_path_factory.mktemp("xss-olx") / "curriculum")
    plant(root)
    # The export refuses a relative address that names no file of the repository: "x" is pointed
    # at an image, and the tab-in-scheme link (refused whole, see below) is left out.
    intro = root / INTRO
    text = intro.read_text(encoding="utf-8").replace("src=x ", "src=img/roles.png ")
    text = text.replace(TAB_LINK, "tab anchor").replace(ENCODED_TAB_LINK, "encoded tab anchor")
    intro.write_text(text, encoding="utf-8")
    members = tar_members(build_olx_unchecked(root, root / "build" / "olx"))
    assert len({name.split(":")[0] for name in members}) == 2  # one course per language
    return members


@pytest.mark.parametrize("link", [TAB_LINK, ENCODED_TAB_LINK], ids=["tab", "encoded tab"])
def test_a_tab_in_a_scheme_is_refused_by_the_export(link: str, tmp_path: Path) -> None:
    """The export reads "java<tab>script:" as a file of the repository, finds none, and refuses."""
    root = site_copy(tmp_path / "curriculum")
    edit(root, INTRO, "A CMIO is not the CIO [2].", f"A CMIO is not the CIO [2].\n\n{link}")
    with pytest.raises(OlxBuildError, match="inf-intro.md"):
        build_olx_unchecked(root, root / "build" / "olx")
    assert not (root / "build" / "olx").exists() or list((root / "build" / "olx").iterdir()) == []


def _markup(members: dict[str, bytes]) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in members.items() if name.endswith((".html", ".xml"))}


def test_the_lecture_reached_the_export(members: dict[str, bytes]) -> None:
    pages = [text for name, text in _markup(members).items()
             if name.endswith("html/text_inf-intro.html") and "zh-TW" not in name]  # the source language's course
    assert len(pages) == 1
    for shown in ("Paragraph with an attribute list.", ">entity link<", "clobbered", "Details body."):
        assert shown in pages[0], shown


@pytest.mark.parametrize("kind", ["html", "vertical", "about", "course", "sequential", "chapter"])
def test_no_active_markup_in_the_export(kind: str, members: dict[str, bytes]) -> None:
    found = []
    for name, text in _markup(members).items():
        if f"course/{kind}" not in name:
            continue
        parser = _Active()
        parser.feed(text)
        parser.close()
        found += [f"{name}: {item}" for item in parser.found]
    assert found == []


def test_no_script_body_in_the_export(members: dict[str, bytes]) -> None:
    """The payloads' script never appears as markup: at most as escaped text inside an attribute."""
    hits = [name for name, text in _markup(members).items() if "<script>window.__pwned" in text
            or "<script>alert(1)" in text]
    assert hits == []

"""The files of the curriculum tree, as the loader finds them, and the files writers may publish.

A pull request controls every file, so the tree is walked without following links: a symbolic
link anywhere in it (to /etc/passwd, /proc/self/environ or .git/config) is an error, and no
writer ever reads through one. Writers publish only what a lecture references, of the types in
:data:`ASSET_TYPES`; an SVG is published through :func:`clean_svg`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .diagnostics import Report

ASSET_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
# Read by no loader of the check (the others are refused by sources.read_text as they are read).
ROOT_FILES = ("mkdocs.yml",)


@dataclass
class Tree:
    markdown: list[str] = field(default_factory=list)  # lectures/**/*.md, repository-relative
    other: list[str] = field(default_factory=list)  # every other file under lectures/


def scan(root: Path, report: Report) -> Tree:
    """Walk lectures/ without following links; report every symbolic link in it (and mkdocs.yml)."""
    tree = Tree()
    for name in ROOT_FILES:
        if (root / name).is_symlink():
            _symlink(report, name)
    base = root / "lectures"
    if base.is_symlink():
        _symlink(report, "lectures")
    elif base.is_dir():
        for folder, dirs, files in os.walk(base, followlinks=False):
            here = Path(folder)
            for name in sorted(dirs):
                if (here / name).is_symlink():
                    _symlink(report, (here / name).relative_to(root).as_posix())
            dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
            for name in sorted(files):
                path = here / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    _symlink(report, rel)
                else:
                    (tree.markdown if name.endswith(".md") else tree.other).append(rel)
    return tree


def _symlink(report: Report, rel: str) -> None:
    report.error(rel, None, "file-symlink", "a symbolic link: curriculum files must be regular files of the "
                 "repository (a link could publish any file of the machine that builds the site)")


def publishable(path: Path) -> bool:
    return path.suffix.lower() in ASSET_TYPES


# -- SVG -------------------------------------------------------------------------------------

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "defs", "linearGradient", "radialGradient", "stop", "title", "desc", "clipPath", "mask", "pattern", "symbol",
    "use", "marker", "metadata",
})
_EXTERNAL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)


class SvgError(ValueError):
    pass


def clean_svg(data: bytes) -> tuple[bytes, list[str]]:
    """The SVG without scripts, event attributes, foreignObject, styles or external references,
    and what was removed. A document type (entities) or non-SVG XML is refused."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise SvgError("an SVG may not declare a document type or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SvgError(f"not well-formed XML: {exc}") from None
    if root.tag != f"{{{SVG}}}svg":
        raise SvgError("the root element is not <svg>")
    removed: list[str] = []
    _clean(root, removed)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), removed


def _clean(element: ET.Element, removed: list[str]) -> None:
    for child in list(element):
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if not (isinstance(child.tag, str) and child.tag.startswith(f"{{{SVG}}}") and name in SVG_ELEMENTS):
            removed.append(f"<{name or 'comment'}>")
            element.remove(child)
            continue
        _clean(child, removed)
    for attribute, value in list(element.attrib.items()):
        local = attribute.rsplit("}", 1)[-1].lower()
        external_href = local == "href" and not value.strip().startswith("#")
        if local.startswith("on") or local == "style" or external_href or _EXTERNAL.search(value):
            removed.append(f'{local}="{value[:40]}"')
            del element.attrib[attribute]

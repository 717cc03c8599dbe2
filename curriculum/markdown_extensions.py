"""The site's Markdown extensions, for every renderer outside MkDocs: the course export (whose
lecture html components must read like the site's pages) and the check (which renders content
to find what the sanitizer would remove). They are the Markdown
extensions of the root mkdocs.yml (``markdown_extensions``), or, for a curriculum without one,
:data:`DEFAULT_EXTENSIONS`. mkdocs.yml is read by `curriculum.mkdocs_yml`, as the site reads it:
as data, with only its allow-listed Python names resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from . import mkdocs_yml
from .errors import ConfigError

# The one default list, for a curriculum without a mkdocs.yml (the site's list, without its
# quiz fence formatter).
DEFAULT_EXTENSIONS: tuple[Any, ...] = (
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    {"toc": {"permalink": True}},
    {"pymdownx.arithmatex": {"generic": True, "inline_syntax": ["round"]}},
    "pymdownx.betterem",
    "pymdownx.details",
    {"pymdownx.highlight": {"use_pygments": True}},
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
    {"pymdownx.tasklist": {"custom_checkbox": True}},
)



@dataclass(frozen=True)
class Extensions:
    """Markdown extension names and their configurations."""

    names: tuple[str, ...]
    configs: dict[str, dict[str, Any]]
    source: str  # where they come from: mkdocs.yml or this module


def extensions_for(root: Path) -> Extensions:
    """The extensions of `root`/mkdocs.yml when it lists some, else the default list."""
    raw = mkdocs_yml.read(Path(root))
    entries = raw.get("markdown_extensions") if raw else None
    if entries:
        return _parse_entries(entries, "mkdocs.yml")
    return _parse_entries(list(DEFAULT_EXTENSIONS), "curriculum/markdown_extensions.py")


def _parse_entries(entries: Any, source: str) -> Extensions:
    if isinstance(entries, dict):  # MkDocs also accepts a mapping of name: options
        entries = [{k: v} for k, v in entries.items()]
    if not isinstance(entries, list):
        raise ConfigError("markdown_extensions must be a list", path=source)
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, str):
            name, options = entry, None
        elif isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
        else:
            raise ConfigError(f"markdown_extensions entry {entry!r} is neither a name nor name: options", path=source)
        names.append(name)
        if isinstance(options, dict):
            configs[name] = dict(options)
            fences = options.get("custom_fences")
            if name == "pymdownx.superfences" and isinstance(fences, list):
                # The quiz fence is the site's: quizzes are components of their own in the course.
                configs[name]["custom_fences"] = [f for f in fences if not (isinstance(f, dict) and f.get("name") == "quiz")]
    return Extensions(tuple(names), configs, source)


def new_markdown(extensions: Extensions, *extra: Any) -> markdown.Markdown:
    """A Markdown instance with `extensions`, then the `extra` ones (names or instances)."""
    try:
        return markdown.Markdown(extensions=[*extensions.names, *extra], extension_configs=extensions.configs)
    except Exception as exc:  # an extension that does not import, or rejects its options
        raise ConfigError(f"the Markdown extensions cannot be loaded: {type(exc).__name__}: {exc}",
                          path=extensions.source) from None

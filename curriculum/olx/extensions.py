"""The Markdown extensions of the exported course: the site's own.

The lecture html components must read like the site's pages, so they use the Markdown
extensions of the root mkdocs.yml (``markdown_extensions``), or, for a curriculum without one,
:data:`DEFAULT_EXTENSIONS`. mkdocs.yml may hold ``!!python/name:`` and
``!!python/object/apply:`` tags; a safe loader keeps them as inert values and resolves only
names inside the Markdown and pymdown-extensions packages. Anything else (such as the site's
quiz fence formatter: quiz fences never reach an html component) is left out together with the
setting that holds it, so reading the configuration runs no code of the repository.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml

from .errors import OlxBuildError

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

# Python names mkdocs.yml may refer to that the loader resolves; others are left out.
RESOLVABLE_PACKAGES = ("markdown.", "pymdownx.")


@dataclass(frozen=True)
class Extensions:
    """Markdown extension names and their configurations."""

    names: tuple[str, ...]
    configs: dict[str, dict[str, Any]]
    source: str  # where they come from: mkdocs.yml or this module


@dataclass(frozen=True)
class _PythonTag:
    suffix: str  # e.g. "name:pymdownx.slugs.slugify"
    value: Any


class _Unresolved:
    pass


UNRESOLVED = _Unresolved()


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that keeps Python and MkDocs tags as inert values instead of failing."""


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _PythonTag:
    if isinstance(node, yaml.MappingNode):
        value: Any = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return _PythonTag(suffix, value)


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_TolerantLoader.add_multi_constructor("!", _python_tag)  # MkDocs' !ENV and !relative


def extensions_for(root: Path) -> Extensions:
    """The extensions of `root`/mkdocs.yml when it lists some, else the default list."""
    path = Path(root) / "mkdocs.yml"
    if path.is_file():
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise OlxBuildError("mkdocs.yml", f"cannot be read for the Markdown extensions: {exc}") from None
        entries = raw.get("markdown_extensions") if isinstance(raw, dict) else None
        if entries:
            return _parse_entries(entries, "mkdocs.yml")
    return _parse_entries(list(DEFAULT_EXTENSIONS), "curriculum/olx/extensions.py")


def _parse_entries(entries: Any, source: str) -> Extensions:
    if isinstance(entries, dict):  # MkDocs also accepts a mapping of name: options
        entries = [{k: v} for k, v in entries.items()]
    if not isinstance(entries, list):
        raise OlxBuildError(source, "markdown_extensions must be a list")
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, str):
            name, options = entry, None
        elif isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
        else:
            raise OlxBuildError(source, f"markdown_extensions entry {entry!r} is neither a name nor name: options")
        if not isinstance(name, str):
            continue  # a tagged name the loader does not resolve
        names.append(name)
        if isinstance(options, dict):
            configs[name] = {k: v for k, v in ((k, _resolve(v)) for k, v in options.items()) if v is not UNRESOLVED}
    return Extensions(tuple(names), configs, source)


def _resolve(value: Any) -> Any:
    """`value` with its Python tags resolved, or UNRESOLVED; a list drops unresolved items and a
    mapping inside an option is dropped whole when any of its values is unresolved."""
    if isinstance(value, _PythonTag):
        return _resolve_tag(value)
    if isinstance(value, list):
        return [v for v in (_resolve(item) for item in value) if v is not UNRESOLVED]
    if isinstance(value, dict):
        out = {k: _resolve(v) for k, v in value.items()}
        return UNRESOLVED if any(v is UNRESOLVED for v in out.values()) else out
    return value


def _resolve_tag(tag: _PythonTag) -> Any:
    kind, _, dotted = tag.suffix.partition(":")
    if kind not in ("name", "object/apply") or not dotted.startswith(RESOLVABLE_PACKAGES):
        return UNRESOLVED
    module_name, _, attribute = dotted.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return UNRESOLVED
    if kind == "name":
        return target
    args, kwds = [], {}
    if isinstance(tag.value, dict):
        args, kwds = list(tag.value.get("args") or []), dict(tag.value.get("kwds") or {})
    elif isinstance(tag.value, list):
        args = tag.value
    return target(*args, **kwds)


def new_markdown(extensions: Extensions, *extra: Any) -> markdown.Markdown:
    """A Markdown instance with `extensions`, then the `extra` ones (names or instances)."""
    try:
        return markdown.Markdown(extensions=[*extensions.names, *extra], extension_configs=extensions.configs)
    except Exception as exc:  # an extension that does not import, or rejects its options
        raise OlxBuildError(extensions.source, f"the Markdown extensions cannot be loaded: "
                            f"{type(exc).__name__}: {exc}") from None

"""mkdocs.yml read as data, never as code.

mkdocs.yml is a file of the repository, so a pull request controls it. MkDocs' own loader
resolves any Python name (``!!python/object/apply:os.system``), reads the environment (``!ENV``)
and runs hooks; this reader does none of it. It loads the file with a safe loader that resolves
only :data:`PYTHON_NAMES`, and refuses by default: a setting, plugin, Markdown extension or
option that is not on the allow-lists below is an error naming the key and its line. The site
and the course export both read mkdocs.yml here.

Strings that page templates print unescaped (theme, extra, site description, the table of
contents' title) may not hold markup characters.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

# Python names mkdocs.yml may use: the quiz fence the project ships, and slug and fence
# functions of the Markdown packages. object/apply is allowed for the slug factories only.
PYTHON_NAMES = frozenset({
    "curriculum.site.quizfence.format",
    "pymdownx.superfences.fence_code_format",
    "pymdownx.superfences.fence_div_format",
    "pymdownx.slugs.slugify",
    "markdown.extensions.toc.slugify",
    "markdown.extensions.toc.slugify_unicode",
})
APPLY_NAMES = frozenset({"pymdownx.slugs.slugify"})

# The static site generators the pipeline can run; mkdocs.yml's own `engine:` picks one.
ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"  # until Zensical has a preview and versioned sites too (docs/engines.md)

TOP_KEYS = frozenset({
    "engine", "site_name", "site_description", "site_author", "copyright", "use_directory_urls", "theme", "extra",
    "plugins", "markdown_extensions", "validation", "extra_css", "extra_javascript", "site_url",
    "repo_url", "repo_name", "edit_uri", "remote_branch", "remote_name",
})
THEME_KEYS = frozenset({"name", "font", "icon", "palette", "features", "favicon", "logo", "direction"})
EXTRA_KEYS = frozenset({"generator", "version"})  # extra.alternate (the language switch) is the pipeline's
PLUGINS = {"search": frozenset({"lang", "separator", "min_search_length", "pipeline"}),
           "material/search": frozenset({"lang", "separator", "pipeline"})}
# Markdown extensions that only transform the text they are given.
EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "sane_lists",
    "smarty", "nl2br", "wikilinks", "meta", "legacy_attrs", "legacy_em", "fenced_code", "codehilite",
    "pymdownx.arithmatex", "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic", "pymdownx.details",
    "pymdownx.escapeall", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.mark",
    "pymdownx.saneheaders", "pymdownx.smartsymbols", "pymdownx.superfences", "pymdownx.tabbed",
    "pymdownx.tasklist", "pymdownx.tilde", "pymdownx.striphtml", "pymdownx.magiclink",
    "pymdownx.blocks.admonition", "pymdownx.blocks.details", "pymdownx.blocks.tab", "pymdownx.fancylists",
    "pymdownx.progressbar",
})
# Options that read files or load from elsewhere, refused in any extension.
FILE_OPTIONS = frozenset({"base_path", "auto_append", "url_download", "restrict_base_path", "check_paths"})
_MARKUP = ("<", ">", '"', "`")


class _Tagged:
    """A Python tag, kept as data until it is checked against the allow-list."""

    def __init__(self, kind: str, name: str, value: Any, line: int) -> None:
        self.kind, self.name, self.value, self.line = kind, name, value, line


class _Loader(yaml.SafeLoader):
    """Safe loading; duplicate keys and every tag other than the Python ones are refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConfigError(f"the key {key!r} is given twice", key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _python(loader: _Loader, suffix: str, node: yaml.Node) -> _Tagged:
    kind, _, name = suffix.partition(":")
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        value: Any = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return _Tagged(kind, name, value, line)


def _refuse_tag(loader: _Loader, suffix: str, node: yaml.Node) -> None:
    raise ConfigError(f"the tag !{suffix} is not allowed: mkdocs.yml is data (no environment, no other files)",
                      node.start_mark.line + 1)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _python)
_Loader.add_multi_constructor("!", _refuse_tag)
_Loader.add_multi_constructor("tag:", lambda loader, suffix, node: _refuse_tag(loader, "tag:" + suffix, node))


def read(root: Path) -> dict[str, Any] | None:
    """`root`/mkdocs.yml checked and with its allowed Python names resolved; None without one."""
    path = Path(root) / "mkdocs.yml"
    if path.is_symlink():
        raise ConfigError("a symbolic link: mkdocs.yml must be a regular file of the repository")
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text") from None
    lines = _KeyLines(text)
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
                          mark.line + 1 if mark else None) from None
    if not isinstance(raw, dict):
        raise ConfigError("the settings must be a mapping")
    _check(raw, lines)
    return _resolve(raw, "", lines)


class _KeyLines:
    """The line of the first `key:` in the file, for messages about a key."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def __call__(self, key: str) -> int | None:
        for needle in dict.fromkeys((key, key.rsplit(".", 1)[-1])):  # "pymdownx.snippets", then "snippets"
            for number, line in enumerate(self.lines, 1):
                stripped = line.lstrip(" -")
                if stripped.startswith((f"{needle}:", f"'{needle}':", f'"{needle}":')) or stripped == needle:
                    return number
        return None


def _check(raw: dict, line: _KeyLines) -> None:
    for key in raw:
        if key not in TOP_KEYS:
            why = {"hooks": "hooks run Python code of the repository",
                   "INHERIT": "the pipeline writes the configuration itself",
                   "docs_dir": "the pipeline generates it", "site_dir": "the pipeline generates it",
                   "nav": "the pipeline generates it from domains/*.yml",
                   "watch": "the preview watches the curriculum itself"}.get(str(key), "it is not a setting the site uses")
            raise ConfigError(f"the setting {key!r} is not allowed: {why}", line(str(key)))
    if "engine" in raw and raw["engine"] not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)} (it is {raw['engine']!r})", line("engine"))
    theme = raw.get("theme")
    if isinstance(theme, dict):
        for key in theme:
            if key not in THEME_KEYS:
                why = ": the pipeline generates it" if key in ("custom_dir", "language") else ""
                raise ConfigError(f"the theme setting {key!r} is not allowed{why}", line(str(key)))
        if theme.get("name", "material") != "material":
            raise ConfigError("the theme must be material", line("name"))
        if theme.get("font", False) is not False:
            raise ConfigError("theme.font must be false: web fonts load from another host", line("font"))
    elif theme is not None and theme != "material":
        raise ConfigError("the theme must be material", line("theme"))
    extra = raw.get("extra")
    if extra is not None and not isinstance(extra, dict):
        raise ConfigError("extra must be a mapping", line("extra"))
    for key in extra or {}:
        if key not in EXTRA_KEYS:
            why = "the pipeline generates it" if key == "alternate" else "the site's templates would print or load it"
            raise ConfigError(f"the extra setting {key!r} is not allowed: {why}", line(str(key)))
    for key in ("theme", "extra", "site_description", "site_author", "repo_name", "site_url", "repo_url", "edit_uri",
                "copyright"):
        _plain(raw.get(key), key, line)
    for key in ("extra_javascript", "extra_css"):
        if raw.get(key):
            raise ConfigError(f"{key} is not allowed: the site's scripts and styles are the pipeline's own, "
                              "vendored in curriculum/site/assets", line(key))
    _check_plugins(raw.get("plugins"), line)
    _check_extensions(raw.get("markdown_extensions"), line)


def _plain(value: Any, key: str, line: _KeyLines) -> None:
    """Strings that templates print unescaped hold no markup characters."""
    if isinstance(value, str):
        if any(ch in value for ch in _MARKUP):
            raise ConfigError(f"{key} may not contain <, >, \" or `: page templates print it as HTML", line(key))
    elif isinstance(value, dict):
        for k, v in value.items():
            _plain(v, f"{key}.{k}", line)
    elif isinstance(value, list):
        for item in value:
            _plain(item, key, line)


def _entries(value: Any, what: str, line: _KeyLines) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.items())
    if not isinstance(value, list):
        raise ConfigError(f"{what} must be a list", line(what))
    out = []
    for entry in value:
        if isinstance(entry, str):
            out.append((entry, None))
        elif isinstance(entry, dict) and len(entry) == 1:
            out.append(next(iter(entry.items())))
        else:
            raise ConfigError(f"{what}: {entry!r} is neither a name nor name: options", line(what))
    return out


def _check_plugins(value: Any, line: _KeyLines) -> None:
    for name, options in _entries(value, "plugins", line):
        if name not in PLUGINS:
            raise ConfigError(f"the plugin {name!r} is not allowed: the pipeline manages the site's plugins "
                              "(search only)", line(str(name)))
        for key in options or {}:
            if key not in PLUGINS[name]:
                raise ConfigError(f"the {name} option {key!r} is not allowed", line(str(key)))


def _check_extensions(value: Any, line: _KeyLines) -> None:
    for name, options in _entries(value, "markdown_extensions", line):
        short = str(name).removeprefix("markdown.extensions.")
        if short not in EXTENSIONS:
            why = " (it reads files)" if "snippets" in short or "b64" in short or "pathconverter" in short else ""
            raise ConfigError(f"the Markdown extension {name!r} is not allowed{why}", line(str(name)))
        _check_options(options, str(name), line)
        if short == "toc" and isinstance(options, dict):
            _plain(options.get("title"), "title", line)
            _plain(options.get("permalink"), "permalink", line)


def _check_options(options: Any, where: str, line: _KeyLines) -> None:
    if isinstance(options, dict):
        for key, value in options.items():
            if key in FILE_OPTIONS:
                raise ConfigError(f"{where}: the option {key!r} is not allowed (it reads files)", line(str(key)))
            _check_options(value, where, line)
    elif isinstance(options, list):
        for item in options:
            _check_options(item, where, line)


def _resolve(value: Any, where: str, line: _KeyLines) -> Any:
    if isinstance(value, _Tagged):
        return _resolve_tag(value, where)
    if isinstance(value, dict):
        return {k: _resolve(v, f"{where}.{k}" if where else str(k), line) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, where, line) for v in value]
    return value


def _resolve_tag(tag: _Tagged, where: str) -> Any:
    if tag.kind == "name" and tag.name in PYTHON_NAMES:
        return _import(tag.name)
    if tag.kind == "object/apply" and tag.name in APPLY_NAMES:
        args, kwds = [], {}
        if isinstance(tag.value, dict):
            args, kwds = list(tag.value.get("args") or []), dict(tag.value.get("kwds") or {})
        elif isinstance(tag.value, list):
            args = tag.value
        if not all(isinstance(v, str | int | float | bool) for v in [*args, *kwds.values()]):
            raise ConfigError(f"{where}: the arguments of {tag.name} must be plain values", tag.line)
        return _import(tag.name)(*args, **kwds)
    allowed = ", ".join(sorted(PYTHON_NAMES))
    raise ConfigError(f"{where}: !!python/{tag.kind}:{tag.name} is not allowed (allowed Python names: {allowed})",
                      tag.line)


def _import(dotted: str) -> Any:
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attribute)

"""One MkDocs configuration per site language, generated from the hand-edited mkdocs.yml.

mkdocs.yml holds the theme and the Markdown extensions. It is read as data by
`curriculum.mkdocs_yml` (never by MkDocs' own loader, which would run Python tags); the pipeline
adds what comes from the curriculum (see the comment at the top of mkdocs.yml) and hands the
result to MkDocs' `load_config` as settings, so MkDocs validates it as it would validate the file.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from curriculum_quiz import sanitize

from .. import mkdocs_yml
from ..errors import ConfigError, SiteBuildError
from . import search, ui

PACKAGE = Path(__file__).resolve().parent
OVERRIDES = PACKAGE / "overrides"


# Extensions the generated pages rely on, added when mkdocs.yml lacks them.
REQUIRED_EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables", "toc")
QUIZ_FORMAT = "curriculum.site.quizfence.format"

# print.js before math.js: the math it copies into the printed quiz is rendered with the page's.
SCRIPTS = ["assets/progress.js", "assets/quiz.js", "assets/print.js", "assets/math.js", "assets/site.js"]
STYLES = ["assets/quiz.css", "assets/site.css", "assets/print.css"]
PREVIEW_SCRIPT = "assets/preview.js"
OFFLINE_SCRIPT = "assets/offline.js"  # in <head>, before the theme's script: the site opened from disk

@dataclass
class Settings:
    """mkdocs.yml as written (with its allowed !!python/name values resolved)."""

    path: Path
    raw: dict[str, Any]


def read_settings(root: Path) -> Settings:
    path = root / "mkdocs.yml"
    try:
        raw = mkdocs_yml.read(root)
    except ConfigError as exc:
        raise SiteBuildError(exc.message, path=exc.path, line=exc.line) from None
    if raw is None:
        raise SiteBuildError("mkdocs.yml is missing: the site's theme and Markdown extensions come from it", path="mkdocs.yml")
    _check_quiz_fence(raw.get("markdown_extensions") or [])
    return Settings(path, raw)


def _extension_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        return next(iter(entry))
    return None


def _check_quiz_fence(extensions: list) -> None:
    for entry in extensions:
        if _extension_name(entry) == "pymdownx.superfences" and isinstance(entry, dict):
            for fence in (entry["pymdownx.superfences"] or {}).get("custom_fences") or []:
                if isinstance(fence, dict) and fence.get("name") == "quiz":
                    fmt = fence.get("format")
                    name = f"{getattr(fmt, '__module__', '')}.{getattr(fmt, '__name__', '')}"
                    if name != QUIZ_FORMAT:
                        raise SiteBuildError(f"mkdocs.yml: the quiz fence's format must be !!python/name:{QUIZ_FORMAT}",
                                             path="mkdocs.yml")
                    return
    raise SiteBuildError("mkdocs.yml: pymdownx.superfences needs the custom fence "
                         f"{{name: quiz, class: quiz, format: !!python/name:{QUIZ_FORMAT}}}, or quizzes "
                         "would show as code", path="mkdocs.yml")


def _extensions(raw: list, terms: list, pipeline_html: dict[str, str]) -> list:
    extensions = copy.deepcopy(raw)  # MkDocs' validation consumes the {name: options} mappings
    present = {_extension_name(e) for e in extensions}
    for name in REQUIRED_EXTENSIONS:
        if name not in present and f"markdown.extensions.{name}" not in present:
            extensions.append(name)
    extensions.append({"curriculum.site.markdown_ext": {"terms": terms, "glossary": "/glossary.md",
                                                         "pipeline_html": pipeline_html}})
    return extensions


def _plugins(raw: Any, language: str, jieba_dict: Path | None) -> list:
    raw = copy.deepcopy(raw)
    plugins = list(raw) if isinstance(raw, list) else [{k: v} for k, v in (raw or {}).items()] if raw else ["search"]
    out = []
    for entry in plugins:
        name = _extension_name(entry)
        if name in ("search", "material/search"):
            options = dict(entry[name] or {}) if isinstance(entry, dict) else {}
            entry = {name: search.plugin_options(options, language, str(jieba_dict) if jieba_dict else None)}
        out.append(entry)
    return out


def language_config(settings: Settings, **kwargs: Any) -> MkDocsConfig:
    """The MkDocs configuration of one language's site, validated by MkDocs."""
    options = language_options(settings, **kwargs)
    # An empty file stands for mkdocs.yml: MkDocs must not read the real one with its own loader.
    return load_config(_EmptyConfig(str(settings.path)), **options)


def language_options(settings: Settings, *, language: str, site_name: str, languages: list[str], source: str,
                     docs_dir: Path, site_dir: Path, nav: list, terms: list, jieba_dict: Path | None,
                     pipeline_html: dict[str, str] | None = None,
                     preview: bool = False, versioned: bool = False) -> dict[str, Any]:
    """The settings of one language's site: mkdocs.yml with what the curriculum adds (the same
    for every engine; curriculum.site.engines writes them in the form Zensical reads)."""
    raw = settings.raw
    theme = copy.deepcopy(raw.get("theme") or {"name": "material"})
    if isinstance(theme, str):
        theme = {"name": theme}
    if language not in ui.THEME_LANGUAGE:
        raise SiteBuildError(f"the site has no interface strings for language {language!r} "
                             f"(it supports {', '.join(ui.THEME_LANGUAGE)})", path="programme.yml")
    theme["language"] = ui.THEME_LANGUAGE[language]
    theme["custom_dir"] = str(OVERRIDES)

    extra = copy.deepcopy(raw.get("extra") or {})
    extra["alternate"] = [
        {"name": ui.LANGUAGE_NAMES.get(lang, lang), "lang": lang, "link": _root_link(language, lang, source)}
        for lang in languages
    ]
    if versioned and language == source:
        extra.setdefault("version", {"provider": "mike"})
    extra["polyfills"] = [OFFLINE_SCRIPT, *(extra.get("polyfills") or [])]

    validation = copy.deepcopy(raw.get("validation") or {})
    links = validation.setdefault("links", {})
    links["absolute_links"] = "relative_to_docs"  # the glossary links: /glossary.md#term
    links.setdefault("not_found", "warn")
    links.setdefault("anchors", "warn")

    # `engine` is the pipeline's own setting (which generator runs), not the generator's.
    options: dict[str, Any] = {key: copy.deepcopy(value) for key, value in raw.items() if key != "engine"}
    options |= {
        "site_name": sanitize.title_text(site_name),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "nav": nav,
        "theme": theme,
        "extra": extra,
        "plugins": _plugins(raw.get("plugins"), language, jieba_dict),
        "markdown_extensions": _extensions(raw.get("markdown_extensions") or [], terms, pipeline_html or {}),
        "extra_javascript": SCRIPTS + ([PREVIEW_SCRIPT] if preview else []) + list(raw.get("extra_javascript") or []),
        "extra_css": STYLES + list(raw.get("extra_css") or []),
        "validation": validation,
        "strict": True,  # any MkDocs warning (a missing image, a broken link) fails the build
    }
    if versioned:
        options["use_directory_urls"] = True
    return options


class _EmptyConfig(io.StringIO):
    """An empty configuration file named like mkdocs.yml (MkDocs resolves relative paths from it)."""

    def __init__(self, name: str) -> None:
        super().__init__("{}")
        self.name = name


def _root_link(site: str, target: str, source: str) -> str:
    """The root of `target`'s site, from the root of `site`'s site."""
    if site == target:
        return "./"
    up = "" if site == source else "../"
    down = "" if target == source else f"{target}/"
    return (up + down) or "./"

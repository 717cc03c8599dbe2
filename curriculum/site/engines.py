"""The engines that build a language's site from its generated pages: MkDocs and Zensical.

MkDocs (with Material) runs in-process in `curriculum.site.build` and is the default. Zensical,
from the team behind Material, reads MkDocs' configuration format, runs the same Python Markdown
extensions and writes Material's HTML; it is the way off MkDocs 1.x before Material's end of
life (see docs/engines.md). It runs here as a subprocess on a configuration written for it:

* one full file per language, no INHERIT, docs_dir and site_dir relative to the file (Zensical
  0.0.73 panics on INHERIT with an absolute docs_dir), the theme overrides copied beside it;
* Python names as the dotted strings and {object, kwds} mappings Zensical resolves itself, so the
  file is plain YAML (no Python tags: the reader Zensical uses would run any);
* the pipeline's Markdown extension reads the glossary terms and the pipeline's own markup (the
  PipelineHtml tokens and blocks) from a JSON file named by its `data` option, since Python
  objects cannot cross the process boundary; it sanitizes and restores them as under MkDocs.

The site is built inside that language's work folder and moved to its place only when Zensical
succeeded; `build_site` then scans the pages and commits the whole site atomically, as for MkDocs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from ..errors import SiteBuildError
from ..mkdocs_yml import APPLY_NAMES, ENGINES, PYTHON_NAMES
from ..model import Curriculum
from . import pages
from .config import OVERRIDES, Settings, language_options

ZENSICAL_VERSION = "0.0.73"  # the exact release the tests pass with; pinned in pyproject.toml too
MARKDOWN_EXTENSION = "curriculum.site.markdown_ext"
TIMEOUT = 1800  # seconds: a stuck engine must not hang the build (far above a 1,000-lecture build)
# Settings Zensical does not read: MkDocs' strictness comes from --strict, and the search
# plugin takes a separator only (no lunr languages, no jieba).
_MKDOCS_ONLY = ("strict",)
_SEARCH_OPTIONS = ("separator",)


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise SiteBuildError(f"unknown site engine {name!r} (choose one of: {', '.join(ENGINES)})")
    return name


def zensical_version() -> str | None:
    """The installed Zensical's version, or None when it is not installed."""
    try:
        return metadata.version("zensical")
    except metadata.PackageNotFoundError:
        return None


def require_zensical() -> None:
    found = zensical_version()
    if found is None:
        raise SiteBuildError("the zensical engine needs Zensical, which is not installed: "
                             f"pip install 'zensical=={ZENSICAL_VERSION}' (or the project's [zensical] extra)")
    if found != ZENSICAL_VERSION:
        raise SiteBuildError(f"the zensical engine is tested with Zensical {ZENSICAL_VERSION}, "
                             f"but {found} is installed: pip install 'zensical=={ZENSICAL_VERSION}'")


def build_language_zensical(curriculum: Curriculum, settings: Settings, language: str, project: Path, site_dir: Path,
                            dates: dict, *, jieba_dict: Path | None, preview: bool = False, versioned: bool = False,
                            drafts: bool = False) -> None:
    """Build one language's site with Zensical into `site_dir`, working in `project` (a new folder)."""
    from .build import write_docs  # build imports this module only when Zensical is chosen

    require_zensical()
    programme = curriculum.programme
    use_directory_urls = True if versioned else bool(settings.raw.get("use_directory_urls", True))
    docs = pages.site_docs(curriculum, language, dates, use_directory_urls, drafts=drafts, links_from_source=True)
    write_docs(curriculum, docs, project / "docs", preview=preview)
    options = language_options(
        settings, language=language, languages=programme.languages, source=programme.source_language,
        site_name=pages.localized(programme.title, language, programme.source_language),
        docs_dir=project / "docs", site_dir=project / "site", nav=docs.nav,
        terms=pages.glossary_terms(curriculum, language), jieba_dict=jieba_dict,
        pipeline_html=docs.pipeline.blocks, preview=preview, versioned=versioned)
    config = write_config(options, project)
    run_zensical(config, language, docs, curriculum.root)
    _move_into(project / "site", site_dir)


# -- the configuration -----------------------------------------------------------------------

def write_config(options: dict[str, Any], project: Path) -> Path:
    """Write `options` (config.language_options) as the mkdocs.yml Zensical reads in `project`:
    paths relative to it, the extension's data in a JSON file beside it. Returns the file."""
    config = {key: value for key, value in options.items() if key not in _MKDOCS_ONLY}
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    shutil.copytree(OVERRIDES, project / "overrides")
    # The classic variant is Material's look, which the site's styles and contrast were made for.
    config["theme"] = {**config["theme"], "custom_dir": "overrides", "variant": "classic"}
    config["plugins"] = [_search_only(entry) for entry in config["plugins"]]
    extensions = []
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict) and MARKDOWN_EXTENSION in entry:
            data = project / "markdown-data.json"
            values = entry[MARKDOWN_EXTENSION]
            data.write_text(json.dumps({key: values[key] for key in ("terms", "glossary", "pipeline_html")},
                                       ensure_ascii=False), encoding="utf-8")
            entry = {MARKDOWN_EXTENSION: {"data": str(data)}}
        extensions.append(_plain(entry, "markdown_extensions"))
    config["markdown_extensions"] = extensions
    config = _plain(config, "")
    path = project / "mkdocs.yml"
    path.write_text("# Written by curriculum build site --engine zensical from the repository's mkdocs.yml.\n"
                    + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path


def _search_only(entry: Any) -> Any:
    if isinstance(entry, dict) and len(entry) == 1:
        name, options = next(iter(entry.items()))
        if name in ("search", "material/search"):
            return {"search": {k: v for k, v in (options or {}).items() if k in _SEARCH_OPTIONS}}
    return entry


def _plain(value: Any, where: str) -> Any:
    """`value` as YAML data: the allowed Python names of mkdocs.yml (resolved by curriculum.mkdocs_yml)
    become the dotted names and {object, kwds} mappings Zensical resolves."""
    if isinstance(value, dict):
        return {key: _plain(item, f"{where}.{key}" if where else str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, where) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, functools.partial):
        factory = _slug_factory(value)
        if factory is not None:
            return factory
    elif callable(value):
        name = f"{getattr(value, '__module__', '')}.{getattr(value, '__name__', '')}"
        if name in PYTHON_NAMES:
            return name
    raise SiteBuildError(f"mkdocs.yml: {where} cannot be written for Zensical ({value!r})", path="mkdocs.yml")


def _slug_factory(value: functools.partial) -> dict[str, Any] | None:
    """pymdownx.slugs.slugify(**kwds) returns a partial of its private worker with the same keywords."""
    import pymdownx.slugs

    for name in APPLY_NAMES:
        module, _, attribute = name.rpartition(".")
        if module != "pymdownx.slugs" or value.args:
            continue
        made = getattr(pymdownx.slugs, attribute)(**value.keywords)
        if isinstance(made, functools.partial) and made.func is value.func and made.keywords == value.keywords:
            return {"object": name, "kwds": dict(value.keywords)}
    return None


# -- running Zensical ------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Zensical's diagnostics: "Warning: message", then "╭─[ docs/path.md:LINE:COL ]" and the line itself.
_HEADING = re.compile(r"^(?:warning|error)\s*:\s*(?P<message>.+)$", re.I)
_WHERE = re.compile(r"╭─\[\s*(?P<path>.+?):(?P<line>\d+):(?P<col>\d+)\s*\]")
_QUOTED = re.compile(r"^\s*(?P<line>\d+)\s*│\s?(?P<text>.*)$")
_CRASH = re.compile(r"panicked|^[\w.]*(?:Error|Exception)\b(?!: Aborted because --strict)")


def run_zensical(config: Path, language: str, docs: pages.Docs, sources: Path) -> None:
    """Run `zensical build --strict` on `config`; its complaints become the build's failure, each
    pointing at the source file (and line, when the quoted line is found there) rather than at
    the generated page. `sources` is the curriculum's root."""
    command = [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    try:
        done = subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SiteBuildError(f"the {language} site cannot be built: Zensical did not finish in {TIMEOUT} s") from None
    output = _ANSI.sub("", (done.stdout or "") + "\n" + (done.stderr or ""))
    problems = diagnostics(output, docs, sources)
    if done.returncode == 0 and not problems and (config.parent / "site").is_dir():
        return
    if not problems:  # no diagnostic: a crash (its last lines say why)
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        problems = [Problem(None, None, line) for line in lines if _CRASH.search(line)][-5:] or \
            [Problem(None, None, line) for line in lines[-15:]]
    first = next((p for p in problems if p.path), None)
    raise SiteBuildError(f"the {language} site cannot be built (Zensical {ZENSICAL_VERSION})",
                         path=first.path if first else None, line=first.line if first else None,
                         details=[p.text() for p in problems[:30]])


class Problem:
    """One of Zensical's diagnostics, placed in the source file where it can be."""

    def __init__(self, path: str | None, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message

    def text(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        return where + self.message


def diagnostics(output: str, docs: pages.Docs, sources: Path) -> list[Problem]:
    problems: list[Problem] = []
    current: Problem | None = None
    quoted_line = 0
    for raw in output.splitlines():
        text = raw.strip()
        heading = _HEADING.match(text)
        if heading:
            current = Problem(None, None, heading.group("message").strip())
            problems.append(current)
            continue
        where = _WHERE.search(text)
        if where and current is not None and current.path is None:
            generated = where.group("path").replace("\\", "/").removeprefix("docs/")
            current.path = docs.sources.get(generated, generated)
            quoted_line = int(where.group("line"))
            current.message += f" (generated page {generated}, line {quoted_line})"
            continue
        quoted = _QUOTED.match(raw)
        if quoted and current is not None and current.path and int(quoted.group("line")) == quoted_line:
            excerpt = quoted.group("text").strip()
            current.line = _line_in(sources / current.path, excerpt)
            current.message += f": {excerpt[:160]}"
            quoted_line = 0
    return problems


def _line_in(path: Path, excerpt: str) -> int | None:
    """The line of `path` that holds `excerpt` (a line of the generated page), if one does."""
    if not excerpt or not path.is_file():
        return None
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if line.strip() == excerpt:
            return number
    return None


def _move_into(built: Path, site_dir: Path) -> None:
    """Move the built site into `site_dir` (which may already hold other languages' folders)."""
    site_dir.mkdir(parents=True, exist_ok=True)
    for item in sorted(built.iterdir()):
        destination = site_dir / item.name
        if destination.exists():
            raise SiteBuildError(f"the built site would overwrite {destination.name} (a page named like a language?)")
        item.rename(destination)

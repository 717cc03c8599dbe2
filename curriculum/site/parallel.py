"""Every language's MkDocs build, the pages rendered by several processes.

MkDocs' build (mkdocs.commands.build.build) taken apart so that its costly part, rendering and
writing each page (Markdown, the theme's template, the search plugin's indexing), is shared out:

1. this process prepares each language as MkDocs would: its pages written as Markdown, its
   configuration, files and navigation, the theme's static files and templates (404, sitemap);
2. the pages are cut into shards (runs of pages in MkDocs' order, their files' paths'), and workers
   render and write the shards, the costliest first, so that both languages' pages keep every
   worker busy until the end (the Chinese pages cost about three times the English: jieba);
   each worker scans what it wrote, writes its pages' search entries to a file of its own and
   sends back the pages' anchors;
3. this process checks the links to anchors across pages, writes each search index from the
   shards' files in the pages' order (streamed: no process holds a whole language's index),
   and the files for opening the site from disk.

With one process the shards are rendered here, one after the other: the same steps, the same
site (tested against MkDocs' own build). MkDocs' messages come in the pages' order, up to the
first page that failed, as a build of all pages in one process gives them.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from ..errors import SiteBuildError
from ..model import Curriculum
from . import pages, search
from .build import _mkdocs_log, exception_summary, failure_from, mkdocs_config, scan_files, write_docs
from .config import Settings
from .offline import INDEX, write_offline_search
from .workers import forked_map

SHARDS_PER_PROCESS = 4  # per language: small enough that the last shards even out the workers


@dataclass
class Lane:
    """One language's build, prepared in this process (workers inherit it when forked)."""

    language: str
    sources: dict[str, str]  # generated page -> its source file, for messages
    costs: list[int]  # per page of doc_files: see page_cost
    config: MkDocsConfig
    plugin_configs: dict
    jieba_words: list[str]
    files: Files
    nav: Navigation
    env: object
    doc_files: list[File]
    site_dir: Path
    prefix: str  # the language's folder in the finished site, for the scan's messages
    scratch: Path  # the shards' search entries
    written: list[str] = field(default_factory=list)  # what this process wrote (static files, templates)
    closed: bool = False

    def activate(self) -> MkDocsConfig:
        self.config = activate(self.config, self.plugin_configs, self.jieba_words)
        return self.config

    def close(self) -> None:
        """The plugins' on_shutdown, once."""
        if not self.closed:
            self.closed = True
            self.config.plugins.on_shutdown()


def activate(config: MkDocsConfig, plugin_configs: dict, jieba_words: list[str]) -> MkDocsConfig:
    """A language's settings back in MkDocs' plugin instances (one per process, shared by the
    languages' configurations), then their on_config: a fresh search index. The search plugin
    loads jieba's user dictionary again there: the glossary words of the last load are taken out
    first, so that every page is cut as by a single build (see search.reset_jieba)."""
    for name, plugin in config.plugins.items():
        plugin.config = plugin_configs[name]
    if jieba_words:
        search.reset_jieba(jieba_words)
    return config.plugins.on_config(config)


@dataclass(frozen=True)
class Shard:
    lane: int
    start: int
    stop: int
    cost: int


@dataclass
class ShardResult:
    index_part: Path | None  # the shard's search entries as JSON, comma-separated (None: no search)
    anchors: list[set[str] | None]  # per page: the ids it has
    links: list[dict[str, dict[str, str]]]  # per page: target page's src_uri -> anchor -> link as written
    messages: list[str]  # MkDocs' warnings and errors, in the pages' order
    error: str | None  # the exception that stopped the shard ("" for an Abort), None if it completed
    loads: list[str]
    active: list[str]


_LANES: list[Lane] = []  # set in this process just before the workers are forked


def prepare(curriculum: Curriculum, settings: Settings, language: str, docs: pages.Docs, docs_dir: Path,
            site_dir: Path, prefix: str, *, jieba_dict: Path | None, preview: bool, versioned: bool) -> Lane:
    """Step 1 for one language: everything before the pages, as mkdocs.commands.build.build does it."""
    write_docs(curriculum, docs, docs_dir, preview=preview)
    with _mkdocs_log() as records:
        config = mkdocs_config(curriculum, settings, docs, docs_dir, site_dir, records, jieba_dict=jieba_dict,
                               preview=preview, versioned=versioned)
        try:
            config.plugins.on_startup(command="build", dirty=False)
            plugin_configs = {name: plugin.config for name, plugin in config.plugins.items()}
            config = config.plugins.on_config(config)
            env = config.theme.get_env()
            files, nav = files_and_navigation(config, env)
            _read_pages(files, config, records)
            env = config.plugins.on_env(env, config=config, files=files)
            site_dir.mkdir(parents=True, exist_ok=True)
            write_theme_files(config, env, files, nav)
        except (Exception, Abort) as exc:
            raise failure_from(f"the {language} site cannot be built", exception_summary(exc), records.messages,
                               docs.sources) from None
        if records.messages:
            raise failure_from(f"the {language} site cannot be built", "", records.messages, docs.sources)
    doc_files = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
    # The pages' Markdown is on disk (workers read it from there): the lane keeps only its cost.
    costs = [page_cost(docs.pages.get(file.src_uri, "")) for file in doc_files]
    lane = Lane(language, docs.sources, costs, config, plugin_configs, pages.jieba_words(curriculum) if jieba_dict else [],
                files, nav, env, doc_files, site_dir, prefix,
                Path(tempfile.mkdtemp(prefix=f"search-{language}-", dir=docs_dir.parent)))
    pages_written = {file.dest_uri for file in doc_files}
    lane.written = [path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*")
                    if path.is_file() and path.relative_to(site_dir).as_posix() not in pages_written]
    return lane


def files_and_navigation(config: MkDocsConfig, env) -> tuple[Files, Navigation]:
    """MkDocs' steps from pre_build to the navigation, and a Page for each page the navigation
    leaves out (mkdocs.commands.build.build does them in this order)."""
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
    return files, nav


def write_theme_files(config: MkDocsConfig, env, files: Files, nav: Navigation) -> None:
    """The static files and the theme's and the configuration's templates (404, sitemap), which
    MkDocs writes before the pages."""
    files.copy_static_files(inclusion=InclusionLevel.is_included)
    for template in config.theme.static_templates:
        mkdocs_build._build_theme_template(template, env, files, config, nav)
    for template in config.extra_templates:
        mkdocs_build._build_extra_template(template, files, config, nav)


def _read_pages(files: Files, config: MkDocsConfig, records) -> None:
    """What a page's template shows of the other pages, as a build of all pages has it when it
    writes the first: each page's source read (its meta), and the title of a page the navigation
    does not name (a section's index page) taken from its rendering. That rendering's messages are
    dropped: the page's worker renders it again and reports them in their place."""
    for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
        page = file.page
        assert page is not None
        if "title" in vars(page):  # named by the navigation
            page.read_source(config)
            _forget_text(page)
            continue
        logged = len(records.messages)
        try:
            mkdocs_build._populate_page(page, config, files)
        except Exception:  # noqa: S110 - reported by the worker that renders the page
            pass
        del records.messages[logged:]


def _forget_text(page: Page) -> None:
    """A page's text, once written (or its meta read), is no longer needed: the other pages show
    only its title and address, the anchor check its ids. A page the navigation does not name
    keeps its Markdown, from which MkDocs gives its title."""
    page.content = None
    if "title" in vars(page):
        page.markdown = None


def page_cost(markdown: str) -> int:
    """A page's share of the work: its Markdown's UTF-8 length (a Chinese character counts three,
    as jieba's work on it roughly does), and one for the template."""
    return len(markdown.encode("utf-8")) + 1


def shards(lanes: list[Lane], processes: int) -> list[Shard]:
    """Each language's pages in runs of about equal cost, the costliest runs first."""
    count = 1 if processes <= 1 else processes * SHARDS_PER_PROCESS
    out: list[Shard] = []
    for number, lane in enumerate(lanes):
        costs = lane.costs
        total = sum(costs)
        start, spent, cut = 0, 0, 1
        for index, cost in enumerate(costs):
            spent += cost
            if spent * count >= total * cut or index == len(costs) - 1:
                out.append(Shard(number, start, index + 1, sum(costs[start:index + 1])))
                start = index + 1
                while spent * count >= total * cut:
                    cut += 1
    return sorted(out, key=lambda shard: -shard.cost) if processes > 1 else out


def render_shard(shard: Shard) -> ShardResult:
    """Step 2: render and write the shard's pages (in a worker, or here with one process)."""
    lane = _LANES[shard.lane]
    result = ShardResult(None, [], [], [], None, [], [])
    written: list[str] = []
    with _mkdocs_log() as records:
        try:
            config = lane.activate()
            index = search_plugin(config)
            part = None
            if index is not None:
                result.index_part = lane.scratch / f"search-{shard.start:06d}.json"
                part = _IndexPart(result.index_part)
            with part or contextlib.nullcontext():
                for file in lane.doc_files[shard.start:shard.stop]:
                    page = file.page
                    assert page is not None
                    mkdocs_build._populate_page(page, config, lane.files)
                    mkdocs_build._build_page(page, config, lane.doc_files, lane.nav, lane.env)
                    written.append(file.dest_uri)
                    result.anchors.append(page.present_anchor_ids)
                    result.links.append({target.src_uri: links for target, links in (page.links_to_anchors or {}).items()})
                    _forget_text(page)
                    if part is not None:
                        part.take(index.search_index.entries)
        except (Exception, Abort) as exc:
            result.error = exception_summary(exc)
        result.messages = list(records.messages)
    result.loads, result.active = scan_files(lane.site_dir, written)
    return result


class _IndexPart:
    """A shard's search entries, as the plugin's json.dumps writes them, comma-separated: written
    page by page, so that memory holds one page's entries."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("w", encoding="utf-8")
        self.empty = True

    def take(self, entries: list[dict]) -> None:
        """The entries onto the file, and out of the plugin's list."""
        for entry in entries:
            self.file.write(("" if self.empty else ",") + json.dumps(entry, separators=(",", ":"), default=str))
            self.empty = False
        entries.clear()

    def __enter__(self) -> _IndexPart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def build(lanes: list[Lane], processes: int) -> tuple[list[str], list[str]]:
    """Steps 2 and 3 for every prepared language; (loads from other hosts, active markup) found by
    the scan of everything written. A failure is that of the first language and page, in order."""
    plan = shards(lanes, processes)
    results = dict(zip(plan, _run(lanes, plan, processes), strict=True))
    loads: list[str] = []
    active: list[str] = []
    for number, lane in enumerate(lanes):
        # Taken out of `results` once finished: the next language's index is written without them.
        done = [results.pop(shard) for shard in sorted((s for s in plan if s.lane == number), key=lambda s: s.start)]
        messages: list[str] = []
        for result in done:
            messages += result.messages
            if result.error is not None:
                raise failure_from(f"the {lane.language} site cannot be built", result.error, messages, lane.sources)
        _finish(lane, done, messages)
        for found_loads, found_active in [scan_files(lane.site_dir, lane.written),
                                          *((result.loads, result.active) for result in done)]:
            loads += [lane.prefix + item for item in found_loads]
            active += [lane.prefix + item for item in found_active]
    return loads, active


def _run(lanes: list[Lane], plan: list[Shard], processes: int) -> list[ShardResult]:
    global _LANES
    _LANES = lanes
    try:
        return forked_map(render_shard, plan, processes)
    finally:
        _LANES = []


def _finish(lane: Lane, done: list[ShardResult], messages: list[str]) -> None:
    """Step 3 for one language: anchors across pages, the search index, the files for disk."""
    with _mkdocs_log() as records:
        config = lane.activate()
        try:
            pages_in_order = [file.page for file in lane.doc_files]
            anchors = [ids for result in done for ids in result.anchors]
            links = [page_links for result in done for page_links in result.links]
            for page, ids in zip(pages_in_order, anchors, strict=True):
                page.present_anchor_ids = ids
            for page, page_links in zip(pages_in_order, links, strict=True):
                page.links_to_anchors = {lane.files.get_file_from_path(src): targets
                                         for src, targets in page_links.items()}
                page.validate_anchor_links(files=lane.files, log_level=config.validation.links.anchors)
            index = search_plugin(config)
            if index is not None:
                index.search_index.entries = []  # the plugin writes the index's settings; the shards its entries
            config.plugins.on_post_build(config=config)
            if index is not None:
                _write_index(lane.site_dir / INDEX, [result.index_part for result in done])
        except (Exception, Abort) as exc:
            raise failure_from(f"the {lane.language} site cannot be built", exception_summary(exc),
                               messages + records.messages, lane.sources) from None
        if messages or records.messages:  # strict: any warning fails, as MkDocs' strict build does
            raise failure_from(f"the {lane.language} site cannot be built", "", messages + records.messages,
                               lane.sources)
    write_offline_search(lane.site_dir)
    lane.written += [path.relative_to(lane.site_dir).as_posix() for path in (lane.site_dir / "search").glob("*")]


_NO_DOCS = b'"docs":[]}'


def _write_index(path: Path, parts: list[Path | None]) -> None:
    """The search index: the settings the plugin wrote (with no entries), the shards' entries.
    The same bytes as the plugin's json.dumps of all entries at once."""
    written = path.read_bytes()
    if not written.endswith(_NO_DOCS):
        raise SiteBuildError(f"the search plugin wrote its index in a form this build does not know: {written[-80:]!r}")
    with path.open("wb") as index:
        index.write(written[:-2])
        first = True
        for part in parts:
            if part is None or not part.stat().st_size:
                continue
            if not first:
                index.write(b",")
            with part.open("rb") as data:
                shutil.copyfileobj(data, index)
            first = False
        index.write(b"]}")


def search_plugin(config: MkDocsConfig):
    """Material's (or MkDocs') search plugin, if the site has one."""
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index"):
            return plugin
    return None


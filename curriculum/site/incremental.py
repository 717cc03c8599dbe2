"""One language's MkDocs build kept in memory between changes, for the live preview.

The steps are MkDocs' own build (mkdocs.commands.build), taken apart so that their state (the
configuration, the theme's template environment, the files, the navigation, the rendered pages
and the search index's entries of each page) outlives one build:

* nothing but page text changed (same pages, same navigation, same glossary and settings): only
  the changed pages are rendered again and written in place, their search entries replaced and
  the search index written again; the scan covers the changed pages;
* the navigation or the set of pages changed (a title, the order, a status, a domain file): the
  whole language is laid out again into a new folder, but a page whose Markdown is unchanged
  keeps its rendered HTML (only its template is rendered again, for the new navigation);
* the glossary, the programme or mkdocs.yml changed: a new configuration, every page rendered.

A page is "unchanged" when its Markdown is, with the pipeline's own markup put in place of the
tokens that stand for it (their nonce differs between two writings of the pages).

Every MkDocs warning fails the update (the site is built strict), and an update renders and
validates everything before it writes a page, so that a failure leaves the last good pages.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from ..errors import SiteBuildError
from ..model import Curriculum
from . import pages
from .build import (
    _failure,
    _mkdocs_log,
    _Records,
    language_docs,
    mkdocs_config,
    scan_failure,
    scan_files,
    write_docs,
)
from .config import Settings
from .parallel import activate, files_and_navigation, search_plugin, write_theme_files

_TOKEN = re.compile("\ue004[^\ue005]*\ue005")
_RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


def expanded(text: str, blocks: dict[str, str]) -> str:
    """A page's Markdown with the pipeline's markup in place of its tokens."""
    return _TOKEN.sub(lambda m: blocks.get(m.group(0), m.group(0)), text)


@dataclass
class _Rendered:
    markdown: str  # expanded
    attributes: dict = field(default_factory=dict)


@dataclass
class Update:
    """What one update did: "pages" (only changed pages), "layout" (navigation) or "full"."""

    kind: str
    pages: list[str]
    site_dir: Path


class LiveLanguage:
    """The preview's build of one language; `update()` brings it up to date with the model."""

    def __init__(self, curriculum: Curriculum, settings: Settings, language: str, work: Path, *,
                 jieba_dict: Path | None, drafts: bool = True, preview: bool = True) -> None:
        self.language = language
        self.work = work
        self.jieba_dict = jieba_dict
        self.drafts, self.preview = drafts, preview
        self.site_dir: Path | None = None
        self.docs: pages.Docs | None = None
        self._blocks: dict[str, str] = {}  # every token the configuration's Markdown extension knows
        self._key: tuple | None = None  # what the configuration was made from
        self._config = None
        self._plugin_configs: dict = {}
        self._jieba_words: list[str] = []
        self._env = None
        self._files = None
        self._nav = None
        self._rendered: dict[str, _Rendered] = {}  # src_uri -> the page as last rendered
        self._entries: dict[str, list[dict]] = {}  # src_uri -> its search index entries
        self._curriculum = curriculum
        self._settings = settings

    # -- the update --------------------------------------------------------------------------

    def update(self, curriculum: Curriculum, settings: Settings, dates: dict) -> Update:
        docs = language_docs(curriculum, settings, self.language, dates, drafts=self.drafts)
        key = (repr(settings.raw), repr(pages.glossary_terms(curriculum, self.language)),
               repr(curriculum.programme.title), repr(curriculum.programme.languages))
        with _mkdocs_log() as records:
            try:
                if self._config is None or key != self._key or self.docs is None:
                    return self._full(curriculum, settings, docs, key, records)
                new_text = {path: expanded(text, docs.pipeline.blocks) for path, text in docs.pages.items()}
                changed = [path for path, text in new_text.items()
                           if self._rendered.get(path) is None or self._rendered[path].markdown != text]
                if docs.nav != self.docs.nav or set(docs.pages) != set(self.docs.pages):
                    return self._layout(curriculum, docs, changed, records)
                return self._pages(curriculum, docs, changed, records)
            except SiteBuildError:
                self.close()  # the next update starts afresh
                raise
            except (Exception, Abort) as exc:
                self.close()  # the next update starts afresh
                raise _failure(f"the {self.language} site cannot be built", exc, records, docs) from None

    def _full(self, curriculum: Curriculum, settings: Settings, docs: pages.Docs, key: tuple,
              records: _Records) -> Update:
        """A new configuration and theme, every page rendered, into a new folder."""
        site_dir = self._new_site_dir()
        docs_dir = Path(tempfile.mkdtemp(prefix=f"docs-{self.language}-", dir=self.work)) / "docs"
        write_docs(curriculum, docs, docs_dir, preview=self.preview)
        config = mkdocs_config(curriculum, settings, docs, docs_dir, site_dir, records, jieba_dict=self.jieba_dict,
                               preview=self.preview)
        self.close()
        config.plugins.on_startup(command="build", dirty=False)
        # MkDocs keeps one instance of each plugin per process, whatever the configuration:
        # each language puts its own plugin settings back before it builds (see _activate).
        self._plugin_configs = {name: plugin.config for name, plugin in config.plugins.items()}
        self._jieba_words = pages.jieba_words(curriculum) if self.jieba_dict else []
        self._rendered, self._entries = {}, {}
        self._blocks = config.mdx_configs.get("curriculum.site.markdown_ext", {}).get("pipeline_html", {})
        self._env = config.theme.get_env()
        self._config, self._key = config, key
        self._lay_out(docs, site_dir, records, reuse=False)
        return Update("full", sorted(docs.pages), site_dir)

    def _layout(self, curriculum: Curriculum, docs: pages.Docs, changed: list[str], records: _Records) -> Update:
        """New navigation: every page's template again (unchanged pages keep their HTML), into a new folder."""
        site_dir = self._new_site_dir()
        self._write_changed(curriculum, docs, changed, replace_all=set(docs.pages) != set(self.docs.pages))
        self._config["nav"] = docs.nav
        self._lay_out(docs, site_dir, records, reuse=True)
        return Update("layout", sorted(changed), site_dir)

    def _lay_out(self, docs: pages.Docs, site_dir: Path, records: _Records, reuse: bool) -> None:
        config = self._config
        config["site_dir"] = str(site_dir)
        config = self._activate()
        files, nav = files_and_navigation(config, self._env)
        doc_files = files.documentation_pages()
        for file in doc_files:
            self._populate(file.page, files, docs, reuse)
        env = config.plugins.on_env(self._env, config=config, files=files)
        self._validate(doc_files, files, records)
        site_dir.mkdir(parents=True, exist_ok=True)
        write_theme_files(config, env, files, nav)
        search = search_plugin(self._config)  # its index is kept per page
        self._entries = {}
        for file in doc_files:
            self._build(file, doc_files, nav, env, search)
        self._write_index(doc_files, search)
        self._raise_on(records, docs)
        failure = scan_failure(*scan_files(site_dir, _all_files(site_dir)))
        if failure:
            raise failure
        # The previous folder stays: the caller serves it until every language is up to date.
        self._config, self._files, self._nav, self._env = config, files, nav, env
        self.docs, self.site_dir = docs, site_dir

    def _pages(self, curriculum: Curriculum, docs: pages.Docs, changed: list[str], records: _Records) -> Update:
        """Only the changed pages, in place."""
        assert self.site_dir is not None
        if not changed:
            self.docs = docs
            return Update("pages", [], self.site_dir)
        self._write_changed(curriculum, docs, changed, replace_all=False)
        self._activate()
        files, config = self._files, self._config
        doc_files = files.documentation_pages()
        targets = [files.get_file_from_path(path) for path in changed]
        for file in targets:
            self._populate(file.page, files, docs, reuse=False)
        self._validate(doc_files, files, records)
        self._raise_on(records, docs)
        search = search_plugin(self._config)  # its index is kept per page
        for file in targets:
            self._build(file, doc_files, self._nav, self._env, search)
        self._write_index(doc_files, search)
        self._raise_on(records, docs)
        failure = scan_failure(*scan_files(self.site_dir, [f.dest_uri for f in targets]))
        if failure:
            raise failure
        del config
        self.docs = docs
        return Update("pages", sorted(changed), self.site_dir)

    # -- the steps ---------------------------------------------------------------------------

    def _write_changed(self, curriculum: Curriculum, docs: pages.Docs, changed: list[str], replace_all: bool) -> None:
        """The changed pages' Markdown into the docs folder; their tokens made known to the extension."""
        self._blocks.update(docs.pipeline.blocks)
        docs_dir = Path(self._config.docs_dir)
        if replace_all:
            for path in set(self.docs.pages) - set(docs.pages):
                (docs_dir / path).unlink(missing_ok=True)
        for path in changed:
            dest = docs_dir / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(docs.pages[path], encoding="utf-8")

    def _populate(self, page: Page, files, docs: pages.Docs, reuse: bool) -> None:
        src = page.file.src_uri
        text = expanded(docs.pages[src], docs.pipeline.blocks) if src in docs.pages else None
        known = self._rendered.get(src)
        if reuse and known is not None and text is not None and known.markdown == text:
            page.read_source(self._config)  # meta and title, as a render would leave them
            for name, value in known.attributes.items():
                setattr(page, name, value)
            return
        mkdocs_build._populate_page(page, self._config, files)
        self._rendered[src] = _Rendered(text or "", {name: getattr(page, name, None) for name in _RENDERED})

    def _activate(self):
        self._config = activate(self._config, self._plugin_configs, self._jieba_words)
        return self._config

    def _validate(self, doc_files, files, records: _Records) -> None:
        level = self._config.validation.links.anchors
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=level)

    def _build(self, file, doc_files, nav, env, search) -> None:
        before = len(search.search_index.entries) if search is not None else 0
        mkdocs_build._build_page(file.page, self._config, doc_files, nav, env)
        if search is not None:
            self._entries[file.src_uri] = search.search_index.entries[before:]

    def _write_index(self, doc_files, search) -> None:
        if search is None:
            return
        # In the order of a full build: the pages' order.
        search.search_index.entries = [entry for file in doc_files for entry in self._entries.get(file.src_uri, [])]
        self._config.plugins.on_post_build(config=self._config)

    def _raise_on(self, records: _Records, docs: pages.Docs) -> None:
        if records.messages:  # strict: any warning fails, as in `curriculum build site`
            raise _failure(f"the {self.language} site cannot be built", Abort(""), records, docs)

    def _new_site_dir(self) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{self.language}-", dir=self.work))

    def close(self) -> None:
        """End this build state; its docs folder goes, its site folders stay for the caller to remove."""
        if self._config is not None:
            self._config.plugins.on_shutdown()
            shutil.rmtree(Path(self._config.docs_dir).parent, ignore_errors=True)
            self._config = None


def _all_files(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]

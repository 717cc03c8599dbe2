"""`curriculum build site`: the course site of every language.

For each language of programme.yml (the source language first, at the site's root; the others
under /<language>/): write that language's pages from the model into a temporary docs folder,
with the site's assets and the lectures' own files (images), generate its MkDocs configuration
from mkdocs.yml, and build it: with MkDocs, every language at once, the pages rendered by
worker processes (curriculum.site.parallel); with another engine, each language by that engine
(curriculum.site.engines). All of it happens in a temporary folder that replaces the target
only when every language built and the result loads nothing from another host.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from .. import files
from ..errors import SiteBuildError
from ..mkdocs_yml import DEFAULT_ENGINE
from ..model import Curriculum
from ..output import atomic_dir
from . import pages, search
from .config import PACKAGE, Settings, language_config, read_settings
from .gitdates import last_changes
from .workers import forked_map

ASSETS = PACKAGE / "assets"
PREVIEW_JS = PACKAGE / "preview" / "preview.js"


PROCESSES_ENV = "CURRICULUM_SITE_PROCESSES"


def site_processes() -> int:
    """How many processes build the site: one per CPU, or the number in CURRICULUM_SITE_PROCESSES
    (1 builds everything in this process)."""
    value = os.environ.get(PROCESSES_ENV, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise SiteBuildError(f"{PROCESSES_ENV} must be a whole number of processes, at least 1 (it is {value!r})")
        return int(value)
    return max(1, os.cpu_count() or 1)


def build_site(curriculum: Curriculum, target: Path, versioned: bool = False, preview: bool = False,
               drafts: bool = False, engine: str | None = None) -> Path:
    """Build the site of every language into `target` (replaced only on success). Draft lectures
    are taught only with `drafts` (the preview); otherwise they are "coming soon" like outlines.
    The work is shared out between worker processes (see site_processes); each scans what it wrote."""
    curriculum = curriculum.taught(drafts)
    settings = read_settings(curriculum.root)
    engine = engine or settings.raw.get("engine") or DEFAULT_ENGINE
    target = Path(target)
    dates = last_changes(curriculum.root)
    languages = curriculum.programme.languages
    processes = site_processes()
    with tempfile.TemporaryDirectory(prefix="curriculum-site-") as tmp, atomic_dir(target) as site:
        work = Path(tmp)
        jieba_dict = jieba_dictionary(curriculum, work)
        # The other languages are built beside the site, on its file system, and moved into it
        # at the end: each MkDocs build empties its own site folder first.
        lanes = Path(tempfile.mkdtemp(prefix=f".{site.name}.languages.", suffix=".tmp", dir=site.parent))
        try:
            jobs = [_LanguageJob(language, work / "docs" / language,
                                 site if language == curriculum.programme.source_language else lanes / language,
                                 "" if language == curriculum.programme.source_language else f"{language}/")
                    for language in languages]
            if engine == "mkdocs":
                scans = [_build_mkdocs(curriculum, settings, dates, jobs, processes, jieba_dict=jieba_dict,
                                       preview=preview, versioned=versioned, drafts=drafts)]
            else:
                shared = _Shared(curriculum, settings, dates, jieba_dict, preview, versioned, drafts, engine)
                scans = _run_jobs(shared, jobs, processes)
            for job in jobs:
                if job.site_dir != site:
                    job.site_dir.rename(site / job.language)
        finally:
            shutil.rmtree(lanes, ignore_errors=True)
        failure = scan_failure([item for scan in scans for item in scan[0]],
                               [item for scan in scans for item in scan[1]])
        if failure:
            raise failure
    return target


def _build_mkdocs(curriculum: Curriculum, settings: Settings, dates: dict, jobs: list[_LanguageJob], processes: int,
                  *, jieba_dict: Path | None, preview: bool, versioned: bool, drafts: bool) -> tuple[list[str], list[str]]:
    """Every language with MkDocs, the pages shared out between `processes` (curriculum.site.parallel)."""
    from . import parallel

    lanes = []
    try:
        for job in jobs:
            docs = language_docs(curriculum, settings, job.language, dates, versioned=versioned, drafts=drafts)
            lanes.append(parallel.prepare(curriculum, settings, job.language, docs, job.docs_dir, job.site_dir,
                                          job.prefix, jieba_dict=jieba_dict, preview=preview, versioned=versioned))
        return parallel.build(lanes, processes)
    finally:
        for lane in lanes:
            lane.close()


def jieba_dictionary(curriculum: Curriculum, work: Path) -> Path | None:
    """The glossary's Chinese words as a jieba user dictionary (None: there are none); jieba's
    own dictionary is loaded here, once, before any worker starts (they inherit it)."""
    _load_jieba()
    words = pages.jieba_words(curriculum)
    search.reset_jieba(words)  # jieba's own dictionary noted before any user dictionary is loaded
    if not words:
        return None
    path = work / "jieba-user.dict"
    path.write_text(search.user_dictionary(words), encoding="utf-8")
    return path


@dataclass(frozen=True)
class _Shared:
    """What every language's build reads (inherited by forked workers, never pickled)."""

    curriculum: Curriculum
    settings: Settings
    dates: dict
    jieba_dict: Path | None
    preview: bool
    versioned: bool
    drafts: bool
    engine: str


@dataclass(frozen=True)
class _LanguageJob:
    language: str
    docs_dir: Path
    site_dir: Path
    prefix: str  # the language's folder in the finished site, for the scan's messages


_SHARED: _Shared | None = None  # set in the parent just before the workers are forked


def _build_job(job: _LanguageJob) -> tuple[list[str], list[str]]:
    """One language: its pages, its MkDocs build, the scan of what it wrote."""
    shared = _SHARED
    assert shared is not None
    build_language(shared.curriculum, shared.settings, job.language, job.docs_dir, job.site_dir, shared.dates,
                   jieba_dict=shared.jieba_dict, preview=shared.preview, versioned=shared.versioned,
                   drafts=shared.drafts, engine=shared.engine)
    loads, active = scan_pages(job.site_dir)
    return [job.prefix + item for item in loads], [job.prefix + item for item in active]


def _run_jobs(shared: _Shared, jobs: list[_LanguageJob], processes: int) -> list[tuple[list[str], list[str]]]:
    global _SHARED
    _SHARED = shared
    try:
        # A failure is reported for the first language that failed, in the languages' order.
        return forked_map(_build_job, jobs, processes)
    finally:
        _SHARED = None


def build_language(curriculum: Curriculum, settings: Settings, language: str, docs_dir: Path, site_dir: Path,
                   dates: dict, *, jieba_dict: Path | None, preview: bool = False, versioned: bool = False,
                   drafts: bool = False, engine: str) -> None:
    """One language's site built by an engine other than MkDocs, which runs outside this process
    (curriculum.site.engines); MkDocs builds every language at once (_build_mkdocs)."""
    from .engines import build_language_zensical, check_engine

    check_engine(engine)
    build_language_zensical(curriculum, settings, language, docs_dir, site_dir, dates, jieba_dict=jieba_dict,
                            preview=preview, versioned=versioned, drafts=drafts)


def language_docs(curriculum: Curriculum, settings: Settings, language: str, dates: dict, *,
                  versioned: bool = False, drafts: bool = False) -> pages.Docs:
    use_directory_urls = True if versioned else bool(settings.raw.get("use_directory_urls", True))
    return pages.site_docs(curriculum, language, dates, use_directory_urls, drafts=drafts)


def mkdocs_config(curriculum: Curriculum, settings: Settings, docs: pages.Docs, docs_dir: Path, site_dir: Path,
                  records: _Records, *, jieba_dict: Path | None, preview: bool = False,
                  versioned: bool = False) -> MkDocsConfig:
    """The language's MkDocs configuration; a failure names mkdocs.yml."""
    programme = curriculum.programme
    language = docs.language
    if jieba_dict is not None:  # the search plugin loads it when the build starts
        search.reset_jieba(pages.jieba_words(curriculum))
    try:
        return language_config(
            settings, language=language, languages=programme.languages, source=programme.source_language,
            site_name=pages.localized(programme.title, language, programme.source_language),
            docs_dir=docs_dir, site_dir=site_dir, nav=docs.nav,
            terms=pages.glossary_terms(curriculum, language), jieba_dict=jieba_dict,
            pipeline_html=docs.pipeline.blocks,
            preview=preview, versioned=versioned)
    except (Exception, Abort) as exc:
        raise _failure(f"the {language} site's configuration is invalid", exc, records, docs,
                       path="mkdocs.yml") from None


def write_docs(curriculum: Curriculum, docs: pages.Docs, docs_dir: Path, preview: bool = False) -> None:
    """The generated pages, the site's assets and the files lectures link to (images): only
    those, of the types the check allows, never through a link; an SVG as the SVG sanitizer
    leaves it."""
    docs_dir.mkdir(parents=True)
    shutil.copytree(ASSETS, docs_dir / "assets")
    if preview:
        shutil.copy2(PREVIEW_JS, docs_dir / "assets" / "preview.js")
    for rel in sorted(curriculum.assets):
        source = curriculum.root / rel
        if source.is_symlink() or not source.is_file() or not files.publishable(source):
            raise SiteBuildError("a linked file is not a regular image file of the repository", path=rel)
        dest = docs_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        if source.suffix.lower() == ".svg":
            try:
                data = files.clean_svg(data)[0]
            except files.SvgError as exc:
                raise SiteBuildError(f"the SVG cannot be published: {exc}", path=rel) from None
        dest.write_bytes(data)
    for path, text in docs.pages.items():
        dest = docs_dir / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")


# -- MkDocs' messages ------------------------------------------------------------------------

class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call must not hide the real problem
            self.messages.append(str(record.msg))


@contextlib.contextmanager
def _mkdocs_log() -> Iterator[_Records]:
    """Collect MkDocs' warnings and errors (reported with the failure) instead of printing them."""
    logger = logging.getLogger("mkdocs")
    handler = _Records()
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)


_DOC_PATH = re.compile(r"'([^']+\.md)'")


def _failure(message: str, exc: BaseException, records: _Records, docs: pages.Docs,
             path: str | None = None) -> SiteBuildError:
    """The build's failure, its messages pointing at the source files rather than generated pages."""
    return failure_from(message, exception_summary(exc), records.messages, docs.sources, path)


def exception_summary(exc: BaseException) -> str:
    """What an exception adds to MkDocs' own messages ("" for MkDocs' Abort, which adds nothing)."""
    text = str(exc).strip() if not isinstance(exc, Abort) else ""
    return f"{type(exc).__name__}: {text}" if text else ""


def failure_from(message: str, summary: str, messages: list[str], sources: dict[str, str],
                 path: str | None = None) -> SiteBuildError:
    """The failure of a build that logged `messages` and ended with `summary` (see exception_summary);
    `sources` maps the generated pages to their source files, which the messages name instead."""
    details: list[str] = []
    blamed: list[str] = []
    for text in messages:
        if text.startswith("Aborted with"):
            continue
        source = _source_of(text, sources)
        if source:
            blamed.append(source)
            text = f"{source}: {text}"
        if text not in details:
            details.append(text)
    if summary and not any(summary.split(": ", 1)[-1] in d for d in details):
        details.append(summary)
    return SiteBuildError(message, path=path or (blamed[0] if blamed else None), details=details)


def _source_of(text: str, sources: dict[str, str]) -> str | None:
    for match in _DOC_PATH.finditer(text):
        if match.group(1) in sources:
            return sources[match.group(1)]
    return None


def _load_jieba() -> None:
    """Quiet jieba and load its dictionary now (once per process, inherited by the workers)."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


# -- intranet safety -------------------------------------------------------------------------

_LOADING_TAGS = {"script", "link", "img", "iframe", "frame", "source", "video", "audio", "embed", "object", "track",
                 "image", "use", "input"}
_LOADING_ATTRS = {"src", "href", "data", "poster", "srcset", "xlink:href"}
_LINK_LOADS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon",
               "dns-prefetch", "preconnect"}
# Candidates first: an attribute value that starts with a remote URL (fast: the pattern starts
# with a literal); then the tag and attribute around each are looked at.
_REMOTE_VALUE = re.compile(r"=\s*[\"']?\s*(?:https?:)?//", re.I)
_TAG_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)")
_ATTR_BEFORE = re.compile(r"([a-zA-Z:-]+)\s*$")
_REL = re.compile(r"\brel\s*=\s*[\"']?([^\"'>]+)", re.I)
_REMOTE_CSS = re.compile(r"(?:url\(\s*[\"']?\s*(?:https?:)?//|@import\s+[\"'](?:https?:)?//)", re.I)


def scan_pages(site: Path) -> tuple[list[str], list[str]]:
    """One reading of every built page and style sheet: (loads from other hosts, active markup)."""
    found: list[str] = []
    for folder, _dirs, names in os.walk(site):
        found += [(Path(folder) / name).relative_to(site).as_posix() for name in names]
    return scan_files(site, found)


def scan_files(site: Path, paths: list[str]) -> tuple[list[str], list[str]]:
    """The scan of the pages and style sheets among `paths` (relative to `site`)."""
    loads: list[str] = []
    active: list[str] = []
    for rel in paths:
        if not rel.endswith((".html", ".css")):
            continue
        text = (site / rel).read_text(encoding="utf-8", errors="replace")
        if "url(" in text or "@import" in text:
            loads += [f"{rel}: {m.group(0)}" for m in _REMOTE_CSS.finditer(text)]
        if rel.endswith(".html"):
            loads += [f"{rel}: {tag}" for tag in _remote_tags(text)]
            active += [f"{rel}: {item}" for item in _page_active(text)]
    return loads, active


def scan_failure(loads: list[str], active: list[str]) -> SiteBuildError | None:
    if loads:
        return SiteBuildError("the site would load files from other hosts (it must work on an intranet)",
                              details=loads[:20])
    if active:
        return SiteBuildError("the site would run content as code (an event attribute, a script address or "
                              "an element the sanitizer never lets through)", details=active[:20])
    return None


def external_loads(site: Path) -> list[str]:
    """Every place in the built site that would make the browser fetch from another host."""
    return scan_pages(site)[0]


def _remote_tags(text: str) -> list[str]:
    out = []
    for match in _REMOTE_VALUE.finditer(text):
        start = text.rfind("<", 0, match.start())
        if start < 0 or text.rfind(">", start, match.start()) != -1:
            continue  # not inside a tag
        tag = _TAG_START.match(text, start)
        attr = _ATTR_BEFORE.search(text, start, match.start())
        if not tag or not attr or tag.group(1).lower() not in _LOADING_TAGS or attr.group(1).lower() not in _LOADING_ATTRS:
            continue
        end = text.find(">", match.end())
        markup = text[start:end + 1 if end != -1 else len(text)]
        if tag.group(1).lower() == "link":
            rel = _REL.search(markup)
            if not rel or not set(rel.group(1).lower().split()) & _LINK_LOADS:
                continue
        out.append(markup[:160])
    return out


# -- active content --------------------------------------------------------------------------
# Content reaches a page only through the sanitizer, and titles only as inert text. This scan of
# the built pages is the second line: markup that can run code, wherever it came from (a
# template printing a value unescaped), fails the build instead of reaching a trainee.

# Candidates, looked for in the page's lower-cased text (the parser then says whether each is
# markup or text). Each test starts from a literal, which Python's re finds at C speed: one
# alternation, a case-insensitive pattern or a pattern starting with a class is several times
# slower on a page of 80 KB. An element that runs or frames, a script or HTML data address, a
# refresh; then an event attribute and a character reference inside a tag (below).
_ACTIVE = tuple(re.compile(pattern) for pattern in (
    r"<\s*(?:iframe|object|embed|base|frame|frameset|applet)\b", r"script\s*:", r"data\s*:\s*text/html",
    r"http-equiv"))
_EVENT = re.compile(r"on[a-z]+\s*=")
_BEFORE_ATTRIBUTE = frozenset(" \t\n\r\f/\"'")


def _may_run(lowered: str) -> bool:
    return any(pattern.search(lowered) for pattern in _ACTIVE) or _event_attribute(lowered) or _reference_in_tag(lowered)


def _event_attribute(lowered: str) -> bool:
    """on…= after a space, a slash (<svg/onload=…>) or a quote closing the previous value."""
    return any(m.start() and lowered[m.start() - 1] in _BEFORE_ATTRIBUTE for m in _EVENT.finditer(lowered))


def _reference_in_tag(lowered: str) -> bool:
    """A character reference inside a tag: an address may spell its scheme with one
    (javascr&#105;pt:, javascript&colon;)."""
    amp = lowered.find("&")
    while amp != -1:
        start = lowered.rfind("<", 0, amp)
        if start != -1 and lowered.find(">", start, amp) == -1:
            return True
        amp = lowered.find("&", amp + 1)
    return False


def active_content(site: Path) -> list[str]:
    """Every place in the built pages' markup (not their text) that could run code, and every page
    whose <title> was closed early (a title printed as HTML)."""
    return scan_pages(site)[1]


def _page_active(text: str) -> list[str]:
    found = ["a title printed as markup (<title> closed twice)"] if text.count("</title>") > 1 else []
    if _may_run(text.lower()):
        found += _active_markup(text)
    return found


class _ActiveMarkup(HTMLParser):
    """Elements and attributes of a page that could run code (values as a browser decodes them)."""

    ELEMENTS = frozenset({"iframe", "object", "embed", "base", "frame", "frameset", "applet"})
    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})
    _SCHEME = re.compile(r"^\s*(?:(?:java|vb)script\s*:|data\s*:\s*text/html)", re.I)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.ELEMENTS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").replace("\t", "").replace("\n", "")
            if name.startswith("on") or (tag == "meta" and name == "http-equiv") or \
                    (name in self.URL_ATTRIBUTES and self._SCHEME.match(value)):
                self.found.append(f'<{tag} {name}="{value[:80]}">')

    handle_startendtag = handle_starttag


def _active_markup(text: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(text)
    parser.close()
    return parser.found

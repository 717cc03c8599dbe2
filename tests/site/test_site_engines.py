"""The site on each engine: MkDocs (the default) and Zensical (`--engine zensical`).

The configuration Zensical reads, the same pages from both engines, Zensical's failures reaching
the author, and what a trainee sees on each engine's build in Debian's Chromium (tooltips,
admonitions, math, search separators). The trainee's journeys themselves (quizzes, progress,
language switch, search, intranet rule, accessibility) run on both engines in test_site_browser.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect
from sitehelpers import site_copy

from curriculum import checks
from curriculum.cli import _parser, main
from curriculum.diagnostics import Report
from curriculum.errors import SiteBuildError
from curriculum.site import build_site, pages, search
from curriculum.site.config import language_options, read_settings
from curriculum.site.engines import ENGINES, ZENSICAL_VERSION, run_zensical, write_config, zensical_version
from curriculum.site.markdown_ext import read_data

SITE_ENGINES = ENGINES
LECTURES = ("lectures/informatics/inf-intro/", "lectures/ai/ai-models/", "zh-TW/lectures/informatics/inf-intro/",
            "zh-TW/lectures/ai/ai-models/", "glossary/", "zh-TW/glossary/", "progress/", "zh-TW/progress/")


def test_the_command_offers_every_engine_and_the_pinned_zensical_is_installed(
        capsys: pytest.CaptureFixture[str]) -> None:
    parser = _parser()
    assert parser.parse_args(["build", "site"]).engine is None  # then mkdocs.yml's engine, else mkdocs
    for engine in ENGINES:
        assert parser.parse_args(["build", "site", "--engine", engine]).engine == engine
    with pytest.raises(SystemExit):
        parser.parse_args(["build", "site", "--engine", "hugo"])
    assert "invalid choice: 'hugo' (choose from mkdocs, zensical)" in capsys.readouterr().err.replace("'mkdocs'", "mkdocs") \
        .replace("'zensical'", "zensical")
    assert zensical_version() == ZENSICAL_VERSION
    pinned = re.findall(r'"zensical==([\d.]+)"', (Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert pinned and set(pinned) == {ZENSICAL_VERSION}


# -- the configuration Zensical reads --------------------------------------------------------

def test_zensical_reads_one_plain_file_with_relative_paths_and_the_extension_data(tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")
    curriculum = checks.check(root, Report())
    settings = read_settings(root)
    docs = pages.site_docs(curriculum, "zh-TW", {}, True, links_from_source=True)
    project = tmp_path / "project"
    project.mkdir()
    options = language_options(settings, language="zh-TW", site_name="站", languages=["en", "zh-TW"], source="en",
                               docs_dir=project / "docs", site_dir=project / "site", nav=docs.nav,
                               terms=pages.glossary_terms(curriculum, "zh-TW"), jieba_dict=None,
                               pipeline_html=docs.pipeline.blocks)
    path = write_config(options, project)
    text = path.read_text(encoding="utf-8")
    assert "INHERIT" not in text and "!!python" not in text and str(tmp_path) not in text.replace(
        str(project / "markdown-data.json"), "")
    config = yaml.safe_load(text)  # plain data: Zensical's own (unsafe) reader has nothing to run
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site" and "strict" not in config
    assert config["theme"]["custom_dir"] == "overrides" and (project / "overrides" / "partials" / "alternate.html").is_file()
    assert config["theme"]["language"] == "zh-TW" and config["theme"]["variant"] == "classic"
    assert config["plugins"] == [{"search": {"separator": search.SEPARATOR}}]  # Zensical reads no other option
    extensions = {next(iter(e)) if isinstance(e, dict) else e: (e[next(iter(e))] if isinstance(e, dict) else None)
                  for e in config["markdown_extensions"]}
    assert extensions["toc"]["slugify"] == {"object": "pymdownx.slugs.slugify",
                                            "kwds": {"case": "lower", "percent_encode": False, "normalize": "NFC"}}
    fence = extensions["pymdownx.superfences"]["custom_fences"][0]
    assert fence == {"name": "quiz", "class": "quiz", "format": "curriculum.site.quizfence.format"}
    ours = extensions["curriculum.site.markdown_ext"]
    assert list(ours) == ["data"]
    data = read_data(ours["data"])
    assert data["glossary"] == "/glossary.md" and any(t["anchor"] == "term-interoperability" for t in data["terms"])
    assert data["pipeline_html"] == docs.pipeline.blocks and data["pipeline_html"]  # the tokens, unchanged


def test_a_setting_that_cannot_be_written_for_zensical_is_refused(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    with pytest.raises(SiteBuildError, match=r"mkdocs.yml: markdown_extensions.toc.slugify cannot be written"):
        write_config({"theme": {}, "plugins": [], "markdown_extensions": [{"toc": {"slugify": lambda s, sep: s}}]},
                     tmp_path / "project")


# -- the same pages ---------------------------------------------------------------------------

class _Article(HTMLParser):
    """A page's <article>: its text, and the markup of its quizzes and admonitions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if self.depth:
            # data-search-exclude is an instruction to the search indexer: Zensical drops it from the page.
            self.tags.append(tag + "".join(f" {k}={v}" for k, v in sorted(attrs) if k != "data-search-exclude"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and data.strip():
            self.text.append(data.strip())


def article(site: Path, path: str) -> _Article:
    parser = _Article()
    parser.feed((site / path / "index.html").read_text(encoding="utf-8"))
    return parser


def test_both_engines_write_the_same_lectures(build_with: Callable[[str], Path]) -> None:
    mkdocs, zensical = (build_with(engine) / "build" / "site" for engine in ("mkdocs", "zensical"))
    for path in LECTURES:
        a, b = article(mkdocs, path), article(zensical, path)
        assert a.text == b.text, path
        # the same elements and attributes, links included (Zensical's skip anchor aside)
        assert a.tags == [t for t in b.tags if t != "a id=__skip tabindex=-1"], path
    quiz = [t for t in article(zensical, "lectures/ai/ai-models/").tags if "cmio-quiz" in t or "cmio-q " in t]
    assert quiz and any("admonition example" in t for t in article(zensical, "lectures/ai/ai-models/").tags)


def test_the_zensical_site_keeps_summative_text_drafts_and_outlines_out(build_with: Callable[[str], Path]) -> None:
    site = build_with("zensical") / "build" / "site"
    for path in (p for p in site.rglob("*") if p.is_file() and p.suffix != ".png"):
        content = path.read_bytes().decode("utf-8", errors="replace")
        assert "SECRET" not in content and "秘密" not in content, path
    assert "(2 questions)" in (site / "lectures/ai/ai-models/index.html").read_text(encoding="utf-8")
    for language in ("", "zh-TW/"):
        index = json.loads((site / language / "search.json").read_text(encoding="utf-8"))
        locations = {item["location"].split("#")[0] for item in index["items"]}
        assert "lectures/informatics/inf-intro/" in locations
        assert not {loc for loc in locations if "inf-exchange" in loc or "ai-draft" in loc or "progress" in loc}


# -- failures ---------------------------------------------------------------------------------

def test_a_zensical_failure_names_the_source_line_exits_non_zero_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = site_copy(tmp_path / "curriculum")
    lecture = root / "lectures" / "ai" / "ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace("(../informatics/inf-intro.md)", "(../informatics/inf-intro.md#nowhere)"),
                       encoding="utf-8")
    line = next(n for n, t in enumerate(lecture.read_text(encoding="utf-8").splitlines(), 1) if "#nowhere" in t)
    old = root / "build" / "site"
    old.mkdir(parents=True)
    (old / "index.html").write_text("the last good site", encoding="utf-8")
    assert main(["build", "site", "--root", str(root), "--engine", "zensical"]) == 2
    err = capsys.readouterr().err
    assert f"lectures/ai/ai-models.md:{line}: the en site cannot be built (Zensical {ZENSICAL_VERSION})" in err
    assert "anchor does not exist" in err and "#nowhere" in err
    assert [p.name for p in old.iterdir()] == ["index.html"]  # the last good site is left as it was
    assert (old / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert not [p for p in (root / "build").iterdir() if p.name != "site"]


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")
    with pytest.raises(SiteBuildError, match=r"unknown site engine 'hugo' \(choose one of: mkdocs, zensical\)"):
        build_site(checks.check(root, Report()), tmp_path / "site", engine="hugo")
    assert not (tmp_path / "site").exists()


def _generator(site: Path) -> str:
    return re.search(r'<meta name="generator" content="([a-z]+)', (site / "index.html").read_text("utf-8")).group(1)


def test_mkdocs_yml_chooses_the_engine_and_the_command_line_overrides_it(tmp_path: Path) -> None:
    from curriculum.cli import main

    root = site_copy(tmp_path / "curriculum")
    assert main(["build", "site", "--root", str(root)]) == 0
    assert _generator(root / "build" / "site") == "mkdocs", "the default engine"
    settings = root / "mkdocs.yml"
    settings.write_text("engine: zensical\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["build", "site", "--root", str(root)]) == 0
    assert _generator(root / "build" / "site") == "zensical"
    assert _generator(root / "build" / "site" / "zh-TW") == "zensical"
    assert main(["build", "site", "--root", str(root), "--engine", "mkdocs"]) == 0
    assert _generator(root / "build" / "site") == "mkdocs"


def test_an_unknown_engine_in_mkdocs_yml_is_refused_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from curriculum.cli import main

    root = site_copy(tmp_path / "curriculum")
    settings = root / "mkdocs.yml"
    settings.write_text("site_name: x\nengine: hugo\n" + settings.read_text(encoding="utf-8").replace("site_name:", "#", 1),
                        encoding="utf-8")
    assert main(["check", str(root)]) == 2
    assert "mkdocs.yml:2: engine must be one of mkdocs, zensical (it is 'hugo')" in capsys.readouterr().err


def test_a_setting_zensical_refuses_is_reported_with_its_reason(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text("docs_dir: docs\nsite_dir: site\n", encoding="utf-8")  # no site_name
    with pytest.raises(SiteBuildError) as failure:
        run_zensical(config, "en", pages.Docs("en"), tmp_path)
    assert failure.value.message == f"the en site cannot be built (Zensical {ZENSICAL_VERSION})"
    assert any("Missing required setting: site_name" in d for d in failure.value.details), failure.value.details


# -- in the browser, on each engine -------------------------------------------------------------

def test_a_glossary_term_shows_its_definition_as_a_tooltip(web, site_url: str, engine: str) -> None:
    page = web.page
    page.goto(site_url + "lectures/ai/ai-models/")
    term = page.locator("article a.cmio-term").first
    expect(term).to_have_text("PPV")
    term.hover()
    # the site's own popover (assets/site.js), the same on both engines
    expect(page.locator("#cmio-term-tip")).to_contain_text("The share of positive results", timeout=10000)
    expect(page.locator("#cmio-term-tip")).to_be_visible()
    term.click()
    page.wait_for_url(re.compile(r".*/glossary/#term-positive-predictive-value$"))


def test_admonitions_and_math_render(web, site_url: str, engine: str) -> None:
    page = web.page
    page.goto(site_url + "zh-TW/lectures/ai/ai-models/")
    expect(page.locator("article .admonition.example .admonition-title")).to_be_visible()
    expect(page.locator("article .admonition.example form, article .admonition.example .cmio-quiz").first).to_be_visible()
    page.goto(site_url + "lectures/ai/ai-models/")  # the translation has no formula
    expect(page.locator(".arithmatex .katex").first).to_be_attached()


def test_search_separators_are_valid_unicode_patterns_in_the_browser(web, site_url: str, engine: str) -> None:
    page = web.page
    page.goto(site_url)
    parts = page.evaluate("([s, text]) => text.split(new RegExp(s, 'u')).filter(Boolean)",
                          [search.SEPARATOR, "醫療資訊長、互通性 PPV=0.8 (a-b) 健保IC卡"])
    assert parts == ["醫療資訊長", "互通性", "PPV", "0.8", "a", "b", "健保", "IC", "卡"]

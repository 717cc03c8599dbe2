"""`curriculum build site` on the site fixture: a real MkDocs build of both languages, read back
from build/site (no browser here)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitehelpers import site_copy

from curriculum import checks
from curriculum.cli import main
from curriculum.diagnostics import Report
from curriculum.site.build import external_loads
from curriculum_quiz import model as quizmodel

BLOCKS = {"div", "p", "dt", "dd", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "br", "legend", "label", "section",
          "table", "ul", "ol", "dl", "form", "fieldset", "title", "script"}


class Elements(HTMLParser):
    """Start tags with their attributes, and the text, of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in BLOCKS:
            self.text_parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.text_parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def with_class(self, css_class: str) -> list[tuple[str, dict[str, str]]]:
        return [(t, a) for t, a in self.tags if css_class in a.get("class", "").split()]


def flat(text: str) -> str:
    """Text without the colons between labels and values."""
    return " ".join(text.replace(":", " ").replace("：", " ").split())


def page(site_dir: Path, path: str) -> str:
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


def test_both_languages_are_built_with_material_in_the_right_language(site_dir: Path) -> None:
    en, zh = page(site_dir, "."), page(site_dir, "zh-TW")
    assert '<html lang="en"' in en and '<html lang="zh-TW"' in zh
    assert "Mini CMIO Programme" in en and "迷你醫療資訊長課程" in zh
    # Material's own interface strings in Traditional Chinese as used in Taiwan
    assert 'placeholder="搜尋"' in zh and "目錄" in zh
    assert 'placeholder="Search"' in en
    for language in ("", "zh-TW/"):
        for path in ("", "lectures/informatics/", "lectures/ai/", "lectures/informatics/inf-intro/",
                     "lectures/informatics/inf-exchange/", "lectures/ai/ai-models/", "lectures/ai/ai-draft/",
                     "glossary/", "progress/"):
            assert (site_dir / language / path / "index.html").is_file(), language + path
        assert (site_dir / language / "search" / "search_index.json").is_file()
        assert (site_dir / language / "assets" / "progress.js").is_file()
        assert (site_dir / language / "lectures" / "informatics" / "img" / "roles.png").is_file()
    assert not list(site_dir.glob("**/*.md")), "Markdown sources must not be published"


def test_lecture_header_body_and_numbered_references(site_dir: Path) -> None:
    html = page(site_dir, "lectures/informatics/inf-intro")
    doc = Elements(html)
    header = doc.with_class("cmio-lecture")
    assert header and header[0][1]["data-lecture-id"] == "inf-intro"
    text = doc.text
    for expected in ("Duration: 30 minutes", "Version: 1.0.0", "Last change: 15 January 2026",
                     "Authors: Faculty A, Faculty B", "Competencies: CC1", "Status: Published",
                     "Learning objectives", "Differentiate the CMIO's role from the CIO's."):
        assert flat(expected) in flat(text), expected
    assert doc.find("time", datetime="2026-01-15")
    assert doc.find("abbr", title="Fundamentals (ABPM clinical informatics core content)")
    # the body, its image, then references numbered with anchors the citations link to
    assert doc.find("img", alt="The CMIO between clinical and IT teams")
    references = [a for t, a in doc.tags if t == "li" and a.get("id", "").startswith("cmio-ref-")]
    assert [a["id"] for a in references] == ["cmio-ref-1", "cmio-ref-2"]
    citations = [a["href"] for _, a in doc.with_class("cmio-cite")]
    assert citations.count("#cmio-ref-1") == 2 and citations.count("#cmio-ref-2") == 2
    assert html.index('class="cmio-lecture"') < html.index('<h2 id="why-interoperability-matters"') < html.index(
        '<li id="cmio-ref-1"')
    assert doc.find("a", href="https://doi.org/10.4338/ACI-2015-12-R-0174")
    # the formative quiz, rendered by the quiz fence in the page's language
    forms = [a for t, a in doc.tags if t == "form" and a.get("data-quiz") == "inf-intro-check"]
    assert forms and forms[0]["data-lecture"] == "inf-intro" and forms[0]["lang"] == "en"
    zh = Elements(page(site_dir, "zh-TW/lectures/informatics/inf-intro"))
    assert "時間 30 分鐘" in flat(zh.text)
    assert "最後修改" in zh.text and "2026 年 1 月 15 日" in zh.text
    assert [a for t, a in zh.tags if t == "form" and a.get("lang") == "zh-TW"]
    assert "檢查答案" in zh.text


def test_outline_draft_untranslated_and_outdated_are_shown_as_such(site_dir: Path) -> None:
    outline = Elements(page(site_dir, "lectures/informatics/inf-exchange"))
    assert outline.with_class("cmio-outline") and "Coming soon" in outline.text
    assert "Describe how hospitals in Taiwan exchange records." in outline.text
    assert "Status Coming soon" in flat(outline.text)
    # a draft is never taught by the default build: coming soon, without its body
    draft = Elements(page(site_dir, "lectures/ai/ai-draft"))
    assert draft.with_class("cmio-outline") and not draft.with_class("cmio-draft")
    assert "A governance committee reviews every model before use" not in draft.text
    assert not Elements(page(site_dir, "zh-TW/lectures/informatics/inf-intro")).with_class("cmio-untranslated")
    # zh-TW: translation of 1.0.0 while the source is at 1.1.0
    outdated = Elements(page(site_dir, "zh-TW/lectures/ai/ai-models"))
    assert outdated.with_class("cmio-outdated")
    assert "1.0.0" in outdated.text and "1.1.0" in outdated.text
    assert not Elements(page(site_dir, "lectures/ai/ai-models")).with_class("cmio-outdated")


def test_home_and_domain_pages(site_dir: Path) -> None:
    home = Elements(page(site_dir, "."))
    assert "Who this course is for" in home.text and "How to use this site" in home.text
    assert home.find("a", href="lectures/informatics/") and home.find("a", href="lectures/ai/")
    assert "1 modules · 2 lectures (1 available now)" in home.text
    domain = Elements(page(site_dir, "lectures/ai"))
    assert "Clinical AI fundamentals" in domain.text and "What models do and how to judge them." in domain.text
    assert "What clinical AI models do 45 minutes Published" in domain.text
    assert "Governing clinical AI 20 minutes Coming soon" in domain.text and not domain.find("a", href="ai-draft/")
    assert "Outline an AI governance committee's remit." in domain.text
    assert domain.find("a", href="ai-models/")
    zh = Elements(page(site_dir, "zh-TW/lectures/informatics"))
    assert "醫療資訊長的任務 30 分鐘 已發布" in zh.text
    assert "Exchanging records between hospitals 40 分鐘 即將推出" in zh.text


def test_glossary_page_is_bilingual_and_terms_are_explained_in_lectures(site_dir: Path) -> None:
    for language in ("", "zh-TW/"):
        glossary = Elements(page(site_dir, language + "glossary"))
        for words in ("Interoperability", "互通性", "Chief Medical Information Officer", "醫療資訊長", "CMIO",
                      "系統之間交換資料並使用所交換資料的能力。", "The share of positive results that are true positives."):
            assert words in glossary.text, (language, words)
        assert glossary.find("h2", id="term-positive-predictive-value")
        assert not glossary.with_class("cmio-term"), "the glossary does not link its own terms"
    lecture = Elements(page(site_dir, "lectures/informatics/inf-intro"))
    terms = {a["href"]: a["title"] for _, a in lecture.with_class("cmio-term")}
    assert terms["../../../glossary/#term-interoperability"].startswith(
        "Interoperability: The ability of systems to exchange data")
    assert "../../../glossary/#term-chief-medical-information-officer" in terms
    # English glossary by the English term; Chinese by the Chinese term (radical-and-stroke order)
    headings = {lang: re.findall(r'<h2 id="(term-[^"]+)"', page(site_dir, lang + "glossary")) for lang in ("", "zh-TW/")}
    assert sorted(headings[""]) == sorted(headings["zh-TW/"]) and len(headings[""]) >= 3
    zh_names = re.findall(r'<h2 id="term-[^"]+">([^<（]+)', page(site_dir, "zh-TW/glossary"))
    assert len(zh_names) >= 3 and zh_names == sorted(zh_names), zh_names
    zh = Elements(page(site_dir, "zh-TW/lectures/ai/ai-models"))
    zh_terms = {a["href"]: a["title"] for _, a in zh.with_class("cmio-term")}
    assert zh_terms["../../../glossary/#term-positive-predictive-value"] == \
        "陽性預測值（PPV）：檢驗結果為陽性者中，真正患病者所占的比例。"


def test_language_switcher_leads_to_the_same_page(site_dir: Path) -> None:
    for source, expected in (("lectures/ai/ai-models", {"en": "../../.././lectures/ai/ai-models/",
                                                        "zh-TW": "../../../zh-TW/lectures/ai/ai-models/"}),
                             ("zh-TW/lectures/ai/ai-models", {"en": "../../../../lectures/ai/ai-models/",
                                                              "zh-TW": "../../.././lectures/ai/ai-models/"}),
                             ("zh-TW", {"en": "./../", "zh-TW": "././"}),
                             ("zh-TW/glossary", {"en": "../../glossary/", "zh-TW": ".././glossary/"})):
        doc = Elements(page(site_dir, source))
        links = {a["hreflang"]: a["href"] for _, a in doc.with_class("cmio-language")}
        assert links == expected, source
        for href in links.values():
            assert (site_dir / source / href / "index.html").resolve().is_file()


def test_no_text_of_a_summative_quiz_reaches_the_site(built: Path, site_dir: Path) -> None:
    report = Report()
    curriculum = checks.check(built, report)
    secrets: set[str] = set()
    for lecture in curriculum.lectures.values():
        for index, quiz in enumerate(lecture.quizzes):
            if quiz.mode != "summative":
                continue
            for language in ("en", "zh-TW"):
                secrets |= set(_texts(lecture.quiz_in(language, index)["questions"]))
    assert {"SECRETPROMPT zebra which model writes discharge letters?", "秘密解析乙"} <= secrets
    everything = [p for p in site_dir.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert any(p.name == "search_index.json" for p in everything)
    for path in everything:
        content = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".gz":
            continue
        for secret in secrets:
            assert secret not in content, f"{secret!r} found in {path.relative_to(site_dir)}"
        assert "SECRET" not in content and "秘密" not in content, path
    # what the page shows instead: a notice with the number of questions
    notice = Elements(page(site_dir, "lectures/ai/ai-models")).with_class("cmio-quiz-notice")
    assert notice and notice[0][1]["data-quiz"] == "ai-domain-exam"
    assert "(2 questions)" in page(site_dir, "lectures/ai/ai-models")
    assert "共 2 題" in page(site_dir, "zh-TW/lectures/ai/ai-models")


def _texts(value) -> list[str]:
    """Every string of a quiz's questions that is longer than a word (ids and types excluded)."""
    if isinstance(value, str):
        return [value] if len(value) > 3 and not quizmodel.ID_PATTERN.fullmatch(value) else []
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("id", "type", "assesses") for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def test_nothing_is_loaded_from_another_host(site_dir: Path) -> None:
    assert external_loads(site_dir) == []
    assert not list(site_dir.rglob("preview.js")), "the live-preview script is for `curriculum serve` only"
    remote = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)=[\"']?(?:https?:)?//", re.I)
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in remote.finditer(text):
            assert 'rel="alternate"' not in match.group(0) and "<a" not in match.group(0), match.group(0)
            pytest.fail(f"{path.relative_to(site_dir)} loads {match.group(0)}")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for path in site_dir.rglob("*.css"):
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", path.read_text(encoding="utf-8")), path


def test_search_indexes_chinese_glossary_terms_as_words(site_dir: Path) -> None:
    index = json.loads((site_dir / "zh-TW" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"] and "\\u200b" in index["config"]["separator"].encode(
        "unicode_escape").decode()
    separator = re.compile(index["config"]["separator"])
    tokens = {token for doc in index["docs"] for token in separator.split(doc["title"] + " " + doc["text"])}
    # jieba's user dictionary keeps each Chinese term but its last character whole (site/search.py)
    assert {"陽性預測", "醫療資訊", "互通"} <= tokens
    titles = [doc["location"] for doc in index["docs"] if "陽性預測值" in doc["title"].replace("\u200b", "")]
    assert "glossary/#term-positive-predictive-value" in titles
    assert not any(doc["location"].startswith("progress/") for doc in index["docs"])


def test_generated_configuration_per_language(built: Path, tmp_path: Path) -> None:
    from curriculum.site.config import language_config, read_settings

    settings = read_settings(built)
    (tmp_path / "docs").mkdir()
    config = language_config(settings, language="zh-TW", site_name="x", languages=["en", "zh-TW"], source="en",
                             docs_dir=tmp_path / "docs", site_dir=tmp_path / "out", nav=[], terms=[], jieba_dict=None)
    assert config.theme["language"] == "zh-TW" and config.theme["font"] is False
    assert "navigation.prune" in config.theme["features"]
    assert config.extra["alternate"] == [{"name": "English", "lang": "en", "link": "../"},
                                         {"name": "繁體中文", "lang": "zh-TW", "link": "./"}]
    assert config.extra_javascript[:2] == ["assets/progress.js", "assets/quiz.js"]
    assert config.extra_css[:2] == ["assets/quiz.css", "assets/site.css"]
    assert config.strict is True
    fences = config.mdx_configs["pymdownx.superfences"]["custom_fences"]
    assert [(f["name"], f["class"], f"{f['format'].__module__}.{f['format'].__name__}") for f in fences] == \
        [("quiz", "quiz", "curriculum.site.quizfence.format")]


# -- bad inputs: a clear message, a non-zero exit, nothing half-written --------------------------

def _site_files(root: Path) -> dict[str, bytes]:
    site = root / "build" / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_missing_image_fails_clearly_and_keeps_the_previous_site(tmp_path: Path, capsys) -> None:
    root = site_copy(tmp_path / "curriculum")
    assert main(["build", "site", "--root", str(root)]) == 0
    before = _site_files(root)
    (root / "lectures" / "informatics" / "img" / "roles.png").unlink()
    capsys.readouterr()
    assert main(["build", "site", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "lectures/informatics/inf-intro.md:" in err and "img/roles.png does not exist" in err
    assert _site_files(root) == before
    assert not [p for p in (root / "build").iterdir() if p.name != "site"], "no temporary folder is left"


def test_a_broken_anchor_found_by_mkdocs_names_the_source_and_leaves_no_site(tmp_path: Path, capsys) -> None:
    root = site_copy(tmp_path / "curriculum")
    lecture = root / "lectures" / "ai" / "ai-models.zh-TW.md"
    lecture.write_text(lecture.read_text(encoding="utf-8").replace(
        "陽性預測值取決於盛行率 [1]。", "陽性預測值取決於盛行率 [1]，見[下文](#no-such-section)。"), encoding="utf-8")
    assert main(["build", "site", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "curriculum: lectures/ai/ai-models.zh-TW.md: the zh-TW site cannot be built" in err
    assert "#no-such-section" in err and "internal error" not in err
    assert not (root / "build" / "site").exists()
    assert not (root / "build").exists() or not list((root / "build").iterdir())


@pytest.mark.parametrize(("change", "message"), [
    (None, "mkdocs.yml is missing"),
    ("extra_css: [https://cdn.example.org/theme.css]\n", "extra_css is not allowed"),
    ("docs_dir: elsewhere\n", "the setting 'docs_dir' is not allowed: the pipeline generates it"),
    ("nav: [index.md]\n", "the setting 'nav' is not allowed: the pipeline generates it"),
    ("theme: [unclosed\n", "invalid YAML"),
])
def test_mkdocs_yml_problems_are_reported(tmp_path: Path, capsys, change: str | None, message: str) -> None:
    root = site_copy(tmp_path / "curriculum")
    if change is None:
        (root / "mkdocs.yml").unlink()
    else:
        with (root / "mkdocs.yml").open("a", encoding="utf-8") as fd:
            fd.write(change)
    assert main(["build", "site", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err
    assert not (root / "build" / "site").exists()


def test_builds_outside_git_without_last_change(tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")  # not a repository
    assert main(["build", "site", "--root", str(root)]) == 0
    doc = Elements(page(root / "build" / "site", "lectures/informatics/inf-intro"))
    assert "Version" in doc.text and "Last change" not in doc.text


def test_versioned_build_for_mike_has_the_version_selector_on_the_source_site(tmp_path: Path) -> None:
    from curriculum.site import build_site

    root = site_copy(tmp_path / "curriculum")
    curriculum = checks.check(root, Report())
    build_site(curriculum, tmp_path / "site", versioned=True)
    assert '"version": {"provider": "mike"}' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "zh-TW" / "lectures" / "ai" / "ai-models" / "index.html").is_file()


def test_outlines_and_drafts_stay_out_of_the_navigation_and_search(site_dir: Path) -> None:
    home = page(site_dir, ".")
    lecture = page(site_dir, "lectures/informatics/inf-intro")
    for html in (home, lecture):
        navigation = re.findall(r'<a href="([^"]*)"[^>]*class="md-(?:nav|footer)__link', html)
        navigation += re.findall(r'class="md-(?:nav|footer)__link[^"]*"[^>]*href="([^"]*)"', html)
        assert navigation and not [h for h in navigation if "inf-exchange" in h or "ai-draft" in h], navigation
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "lectures/informatics/inf-intro/" in locations
    assert not {loc for loc in locations if "inf-exchange" in loc or "ai-draft" in loc}
    domain = page(site_dir, "lectures/informatics")
    assert "Exchanging records between hospitals" in domain and "inf-exchange/" not in domain  # listed, not linked


def test_a_preview_with_drafts_teaches_them(tmp_path: Path) -> None:
    from curriculum.diagnostics import Report
    from curriculum.site import build_site

    root = site_copy(tmp_path / "curriculum")
    curriculum = checks.check(root, Report())
    site = build_site(curriculum, tmp_path / "site", drafts=True)
    draft = Elements(page(site, "lectures/ai/ai-draft"))
    assert draft.with_class("cmio-draft") and "This lecture is a draft" in draft.text
    assert "ai-draft/" in page(site, "lectures/ai/ai-models")  # in the navigation
    # zh-TW: no translation -> the original with a visible notice
    untranslated = Elements(page(site, "zh-TW/lectures/ai/ai-draft"))
    assert untranslated.with_class("cmio-untranslated") and "尚未翻譯" in untranslated.text
    assert "A governance committee reviews every model before use" in untranslated.text
    original = [a for _, a in untranslated.with_class("cmio-original")]
    assert original and original[0]["lang"] == "en", "the original's text is marked as English for screen readers"
    assert [a for t, a in untranslated.tags if t == "li" and a.get("lang") == "en"], "objectives too"


def test_a_line_break_between_chinese_characters_renders_as_nothing(tmp_path: Path) -> None:
    from curriculum.diagnostics import Report
    from curriculum.site import build_site

    root = site_copy(tmp_path / "curriculum")
    lecture = root / "lectures" / "informatics" / "inf-intro.zh-TW.md"
    lecture.write_text(lecture.read_text(encoding="utf-8") + "\n醫療資訊長連結臨床團隊，\n並與資訊團隊合作。\n", encoding="utf-8")
    curriculum = checks.check(root, Report())
    site = build_site(curriculum, tmp_path / "site")
    html = page(site, "zh-TW/lectures/informatics/inf-intro")
    assert "臨床團隊，並與資訊團隊合作。" in html and "臨床團隊，\n並與" not in html


def test_the_language_switch_is_the_pipelines(tmp_path: Path) -> None:
    from curriculum import mkdocs_yml
    from curriculum.errors import ConfigError

    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  alternate: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:3: the extra setting 'alternate' is not allowed: the pipeline"):
        mkdocs_yml.read(tmp_path)

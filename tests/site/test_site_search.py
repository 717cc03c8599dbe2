"""What the site's search finds: the bundled curriculum built by `curriculum build site`, its search
indexes read back, and Material's search box driven in Chromium in both languages, at 1280×800
and on a phone (390×844)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect
from sitehelpers import REPO
from staticserver import serve

from curriculum import checks
from curriculum.cli import main
from curriculum.diagnostics import Report
from curriculum.site import search, ui
from curriculum.site.pages import glossary_entries, shown
from curriculum.site.quizfence import UI
from curriculum_quiz.cjk import one_line

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PREFIX = {"en": "", "zh-TW": "zh-TW/"}
_TAG = re.compile(r"<[^>]*>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("search")
    assert main(["build", "site", "--root", str(REPO), "--out", str(out)]) == 0
    return checks.check(REPO, Report()), out / "site"


@pytest.fixture(scope="module")
def site_url(bundled) -> Iterator[str]:
    """The bundled site served on 127.0.0.1 (the `web` fixture opens its pages)."""
    with serve(bundled[1]) as url:
        yield url


def index(site: Path, language: str) -> dict:
    return json.loads((site / PREFIX[language] / "search" / "search_index.json").read_text(encoding="utf-8"))


def plain(text: str) -> str:
    """Index or source text as a reader sees it: no tags, jieba's cuts, Markdown marks or line breaks."""
    text = html.unescape(_TAG.sub(" ", text.replace("\u200b", "")))
    text = _MD_LINK.sub(r"\1", one_line(text))
    return " ".join(re.sub(r"[*_`]", "", text).split())


def lecture_url(lecture) -> str:
    return f"lectures/{lecture.domain_id}/{lecture.id}/"


def indexed_text(data: dict, url: str) -> str:
    return " ".join(plain(doc["title"] + " " + doc["text"]) for doc in data["docs"] if doc["location"].startswith(url))


def quiz_texts(question: dict) -> tuple[str, list[str]]:
    """(the prompt, the texts a trainee sees only inside the quiz widget)."""
    hidden = [question.get("hint"), question.get("explanation"), question.get("feedback")]
    for choice in question.get("choices") or []:
        hidden += [choice.get("text"), choice.get("feedback")]
    hidden += question.get("items") or []
    hidden += [side for pair in question.get("pairs") or [] for side in pair]
    return question["prompt"], [plain(str(t)) for t in hidden if t and len(plain(str(t))) > 3]


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_the_index_holds_prompts_but_no_answers_labels_or_metadata(bundled, language: str) -> None:
    curriculum, site = bundled
    data = index(site, language)
    labels = [UI[language][key] for key in ("check", "hint_show", "show_answer", "how_multiple", "how_ordering",
                                            "how_matching",
                                            "number", "choose", "move_up", "move_down", "quiz")]
    checked = prompts = 0
    for lecture in curriculum.lectures.values():
        if not shown(lecture, drafts=False):
            assert not [d for d in data["docs"] if d["location"].startswith(lecture_url(lecture))], \
                f"{lecture.id} is not taught yet and must not be indexed"
            continue
        text = indexed_text(data, lecture_url(lecture))
        translation = lecture.translations.get(language) if language != curriculum.programme.source_language else None
        page = plain(" ".join(p for p in (translation or lecture).body if isinstance(p, str)))
        page += " " + plain(" ".join([*lecture.objectives.values(),
                                      *(translation.objectives.values() if translation else [])]))
        for label in labels:
            label = label.split("{")[0].strip()
            assert label not in text or label in page, f"{lecture.id}: the button or notice {label!r} is indexed"
        for fact in (ui.duration(language, lecture.duration), ui.t(language, "last_change"),
                     ui.status(language, lecture.status)):
            assert fact not in text or fact in page, f"{lecture.id}: the metadata {fact!r} is indexed"
        for n, quiz in enumerate(lecture.quizzes):
            if quiz.mode != "formative":
                continue
            for question in lecture.quiz_in(language, n)["questions"]:
                prompt, hidden = quiz_texts(question)
                assert plain(prompt)[:40] in text, f"{lecture.id}/{question['id']}: the prompt is not indexed"
                prompts += 1
                for item in hidden:
                    assert item not in text or item in page, f"{lecture.id}/{question['id']}: {item!r} is indexed"
                    checked += 1
    assert prompts > 20 and checked > 100  # the bundled curriculum has quizzes in every domain


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_domain_pages_index_their_text_but_not_the_lecture_tables(bundled, language: str) -> None:
    curriculum, site = bundled
    data = index(site, language)
    header = " ".join(ui.t(language, key) for key in ("lecture", "duration", "status"))
    for domain in curriculum.domains:
        url = f"lectures/{domain.id}/"
        text = " ".join(plain(d["text"]) for d in data["docs"] if d["location"].split("#")[0] == url)
        assert text, f"{domain.id}: the domain page is not indexed"
        assert header not in text, f"{domain.id}: the lecture table is indexed"
        page = (site / PREFIX[language] / url / "index.html").read_text(encoding="utf-8")
        taught = [lec for m in domain.modules for lec in curriculum.lectures_of(m) if shown(lec, drafts=False)]
        assert taught
        tables = "".join(re.findall(r'<div class="cmio-lectures".*?</table>', page, re.S))
        links = {urljoin(f"/{url}", href) for href in re.findall(r'href="([^"]+)"', tables)}
        for lecture in taught:  # each taught lecture is linked from its domain's table, to its own page
            assert f"/{lecture_url(lecture)}" in links, f"{domain.id}: no link to {lecture.id}"
            assert (site / PREFIX[language] / lecture_url(lecture) / "index.html").is_file()


def test_the_index_settings_per_language(bundled) -> None:
    _, site = bundled
    for language in ("en", "zh-TW"):
        config = index(site, language)["config"]
        assert config["separator"] == search.SEPARATOR
        assert "trimmer" not in config["pipeline"]  # it would empty every Chinese token
        assert "stopWordFilter" not in config["pipeline"]  # HIS and IT are stop words to lunr
        separator = re.compile(config["separator"])
        assert [t for t in separator.split("健保IC卡：負責任AI／機器學習*") if t] == \
            ["健保", "IC", "卡", "負責任", "AI", "機器學習"]


def test_the_dictionary_keeps_each_term_but_its_last_character() -> None:
    assert search.dictionary_words(["醫療資訊長", "確效", "值集 / 代碼系統", "健保IC卡"]) == \
        ["醫療資訊", "確效", "值集", "代碼系", "健保"]
    # a term that is another one plus a character: both left to jieba's own dictionary
    assert search.dictionary_words(["資通安全", "資通安全長", "資通安全事件"]) == ["資通安全事"]
    assert search.user_dictionary(["確效"]) == f"確效 {search.USER_WORD_FREQUENCY}\n"


# -- in the browser ------------------------------------------------------------------------------

def open_search(page: Page, viewport: str) -> None:
    if viewport == "phone":  # the header's search icon opens the search overlay
        page.locator('label.md-header__button[for="__search"]').click()
    else:
        page.locator("input.md-search__input").click()
    expect(page.locator("input.md-search__input")).to_be_visible()


def results(page: Page, query: str, found=lambda links: False) -> list[str]:
    """Type `query` and return the results' links, scrolling the list to its end until `found(links)`
    or no more come (Material renders ten results, then four more each time the list's end comes
    into view)."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.fill("")
    box.press("End")  # an empty box shows the placeholder: no answer of the last query is left
    expect(meta).to_have_text(re.compile(r"^(Type to start searching|打字進行搜尋)$"))
    box.fill(query)
    box.press("End")  # Material searches on key-up
    expect(meta).not_to_have_text(re.compile(r"^(|Initializing search|正在初始化搜尋引擎|Type to start searching|打字進行搜尋)$"))
    page.wait_for_timeout(100)
    wrap = page.locator(".md-search__scrollwrap")
    count = -1
    while True:
        links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.getAttribute('href'))")
        if found(links) or count == len(links):
            return links
        count = len(links)
        wrap.evaluate("el => el.scrollTo(0, 0)")  # the list's end must leave the view and come back
        page.wait_for_timeout(80)
        wrap.evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(200)


def bare(href: str) -> str:
    """A result's link without the ?h= highlighting query."""
    path, _, fragment = href.partition("#")
    return path.split("?")[0] + ("#" + fragment if fragment else "")


def missing_on(page: Page, href_end: str) -> list[str]:
    """The 缺少字詞/missing-words notes shown on the results whose link ends with `href_end`."""
    return page.eval_on_selector_all(
        ".md-search-result__link", "(links, end) => links.filter(a => a.getAttribute('href').endsWith(end))"
        ".flatMap(a => [...a.querySelectorAll('.md-search-result__terms')].map(t => t.textContent))", href_end)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_chinese_glossary_term_finds_its_entry_and_lectures(web, bundled, site_url: str, viewport: str) -> None:
    curriculum, site = bundled
    data = index(site, "zh-TW")
    page = web.page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(site_url + "zh-TW/")
    open_search(page, viewport)
    failures = []
    for anchor, term in glossary_entries(curriculum):
        name = term.term["zh-TW"]
        entry = f"{site_url}zh-TW/glossary/#{anchor}"
        # the lectures that use the term: on the desktop all of them are looked for in the results
        users = [f"{site_url}zh-TW/{lecture_url(lec)}" for lec in curriculum.lectures.values()
                 if viewport == "desktop" and shown(lec, drafts=False)
                 and name.lower() in indexed_text(data, lecture_url(lec)).lower()]

        def found(links: list[str], entry=entry, users=users) -> bool:
            pages = {bare(link) for link in links} | {bare(link).split("#")[0] for link in links}
            return entry in pages and all(user in pages for user in users)

        links = results(page, name, found)
        if not found(links):
            pages = {bare(link).split("#")[0] for link in links} | set(map(bare, links))
            failures.append(f"{name}: not found: {[u for u in [entry, *users] if u not in pages]}")
        if missing_on(page, f"#{anchor}"):
            failures.append(f"{name}: its glossary entry reports {missing_on(page, f'#{anchor}')}")
    assert failures == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_english_glossary_terms_find_their_entries(web, bundled, site_url: str, viewport: str) -> None:
    curriculum, _ = bundled
    page = web.page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(site_url)
    open_search(page, viewport)
    failures = []
    for anchor, term in glossary_entries(curriculum):
        for name in filter(None, (term.term["en"], term.abbr)):
            entry = f"{site_url}glossary/#{anchor}"
            if entry not in map(bare, results(page, name, lambda links, e=entry: e in map(bare, links))):
                failures.append(f"{name}: its glossary entry is not among the results")
    assert failures == []


def test_a_word_only_in_a_quiz_choice_finds_nothing(web, bundled, site_url: str) -> None:
    """A choice's text is not searchable: a word that appears only in choices returns no lecture."""
    curriculum, site = bundled
    data = index(site, "en")
    separator = re.compile(data["config"]["separator"])
    tokens = {t.lower() for doc in data["docs"] for t in separator.split(plain(doc["title"] + " " + doc["text"])) if t}
    words = []
    for lecture in curriculum.lectures.values():
        for n, quiz in enumerate(lecture.quizzes):
            if quiz.mode != "formative" or not shown(lecture, drafts=False):
                continue
            for question in lecture.quiz_in("en", n)["questions"]:
                for choice in question.get("choices") or []:
                    for word in re.findall(r"[A-Za-z]{6,}", plain(choice["text"])):
                        if not any(t.startswith(word.lower()) for t in tokens):
                            words.append((word, lecture))
    assert words, "the bundled quizzes should have choices with words found nowhere else"
    page = web.page
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(site_url)
    open_search(page, "desktop")
    for word, lecture in words[:5]:
        assert not [h for h in results(page, word) if lecture_url(lecture) in h], f"{word!r} finds {lecture.id}"
        expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")

"""The preview's incremental updates give the pages a full `curriculum build site` gives (real
MkDocs builds, compared byte for byte)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitehelpers import site_copy

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.site import build_site
from curriculum.site.serve import Preview

LECTURE = "lectures/ai/ai-models.md"
LECTURE_PAGE = "lectures/ai/ai-models/index.html"
UNCHANGED_PAGE = "lectures/informatics/inf-intro/index.html"


def full_build(root: Path, target: Path) -> Path:
    """What `curriculum serve` builds, made from scratch by build_site."""
    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and not report.errors, report.sorted()[:3]
    return build_site(curriculum, target, preview=True, drafts=True)


def served(preview: Preview, language: str, rel: str) -> bytes:
    assert preview.current is not None
    return (preview.current[language] / rel).read_bytes()


def built(site: Path, language: str, rel: str) -> bytes:
    return (site / ("" if language == "en" else f"{language}/") / rel).read_bytes()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def preview(tmp_path: Path):
    root = site_copy(tmp_path / "curriculum")
    preview = Preview(root, port=0, log=lambda text: None)
    assert preview.rebuild(), preview.errors
    yield preview
    preview._close_live()


@pytest.mark.parametrize(("path", "old", "new", "kind"), [
    (LECTURE, "Prediction models output scores", "Prediction models (edited) output scores", "pages"),
    (LECTURE, "title: What clinical AI models do", "title: What clinical AI models really do", "layout"),
    ("domains/ai.yml", "Clinical AI fundamentals", "Clinical AI essentials", "layout"),
])
def test_an_update_gives_the_pages_of_a_full_build(preview: Preview, tmp_path: Path, path: str, old: str, new: str,
                                                   kind: str) -> None:
    edit(preview.root / path, old, new)
    assert preview.rebuild(), preview.errors
    assert preview.last_update.startswith(f"en: {kind}")
    site = full_build(preview.root, tmp_path / "full")
    for language in ("en", "zh-TW"):
        # the changed page, an unchanged page (its navigation included) and the search index
        for rel in (LECTURE_PAGE, UNCHANGED_PAGE, "search/search_index.json"):
            assert served(preview, language, rel) == built(site, language, rel), (language, rel)
    # the edit shows on the lecture's page (a module title in its navigation)
    assert new.split(": ")[-1].encode() in served(preview, "en", LECTURE_PAGE)


def test_a_body_edit_renders_only_the_changed_page(preview: Preview) -> None:
    before = served(preview, "en", UNCHANGED_PAGE)
    edit(preview.root / LECTURE, "Prediction models output scores", "Prediction models (edited) output scores")
    assert preview.rebuild()
    assert preview.last_update == "en: pages, 1 page(s); zh-TW: pages, 0 page(s)"
    assert b"Prediction models (edited) output scores" in served(preview, "en", LECTURE_PAGE)
    assert b"(edited)" in served(preview, "en", "search/search_index.json")
    assert served(preview, "en", UNCHANGED_PAGE) == before


def test_an_update_that_fails_keeps_the_last_good_pages(preview: Preview) -> None:
    good = served(preview, "zh-TW", LECTURE_PAGE)
    build = preview.build_number
    edit(preview.root / "lectures/ai/ai-models.zh-TW.md", "陽性預測值取決於盛行率 [1]。",
         "陽性預測值取決於盛行率 [1]，見[下文](#no-such-section)。")
    assert not preview.rebuild()
    assert "lectures/ai/ai-models.zh-TW.md: the zh-TW site cannot be built" in preview.errors
    assert "#no-such-section" in preview.errors
    assert preview.build_number == build and served(preview, "zh-TW", LECTURE_PAGE) == good
    edit(preview.root / "lectures/ai/ai-models.zh-TW.md", "，見[下文](#no-such-section)", "")
    assert preview.rebuild() and preview.errors == ""


def test_chinese_is_cut_the_same_after_many_updates(preview: Preview, tmp_path: Path) -> None:
    """Each update loads the search plugin's jieba user dictionary again; jieba adds its words'
    counts to its total on every load, so without a reset each update would cut Chinese text a
    little differently from a full build (here: 所交換資料 became 所交 / 換資料 after a few)."""
    path = preview.root / "lectures/ai/ai-models.zh-TW.md"
    sentence = "醫院之間所交換資料的格式須一致。"
    for n in range(5):
        edit(path, "陽性預測值取決於盛行率", f"{sentence * (n + 1)}陽性預測值取決於盛行率")
        assert preview.rebuild(), preview.errors
        edit(path, sentence * (n + 1), sentence * n)
    assert preview.rebuild(), preview.errors
    site = full_build(preview.root, tmp_path / "full")
    index = "search/search_index.json"
    assert "所交換資料".encode("unicode_escape") in built(site, "zh-TW", index).replace(b"\\u200b", b"")
    for rel in (LECTURE_PAGE, index):
        assert served(preview, "zh-TW", rel) == built(site, "zh-TW", rel), rel

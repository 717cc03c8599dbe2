"""The html component's own words: in the course's language, and none of the site's controls."""

from __future__ import annotations

import tarfile
from pathlib import Path

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.olx import build_olx


def html_of(archive: Path, name: str) -> str:
    with tarfile.open(archive) as tar:
        return tar.extractfile(f"course/{name}").read().decode("utf-8")


def test_zh_tw_words_and_the_untranslated_notice(mini: Path, tmp_path: Path):
    report = Report()
    curriculum = checks.check(mini, report)
    assert not report.errors
    archive = build_olx(curriculum, tmp_path, ["zh-TW"])[0]
    untranslated = html_of(archive, "html/text_inf-intro.html")
    assert "本講次尚未翻譯為中文，以下為英文原文。" in untranslated and "學習目標" in untranslated
    assert "The CMIO bridges clinical and IT teams" in untranslated
    translated = html_of(archive, "html/text_ai-models.html")
    assert "尚未翻譯" not in translated and "預測模型輸出分數" in translated
    assert "30 分鐘" in untranslated and "版本 1.0.0" in untranslated
    assert "關於本課程" in html_of(archive, "about/overview.html")


def test_references_are_numbered_and_their_web_addresses_linked(mini: Path, tmp_path: Path):
    lecture = mini / "lectures/ai/ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace('"Author B. Title. Journal. 2022."',
                                    '"Author B. Title <b>. Journal. 2022. https://doi.org/10.1000/x&y=1."'),
                       encoding="utf-8")
    report = Report()
    curriculum = checks.check(mini, report)
    assert not report.errors
    html = html_of(build_olx(curriculum, tmp_path, ["en"])[0], "html/text_ai-models.html")
    assert '<li id="cmio-ref-1">Author A. Title. Journal. 2021.</li>' in html
    assert ('<li id="cmio-ref-2">Author B. Title &lt;b&gt;. Journal. 2022. <a href="https://doi.org/10.1000/x&amp;y=1">'
            'https://doi.org/10.1000/x&amp;y=1</a>.</li>') in html

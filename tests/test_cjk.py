"""Line breaks between Chinese characters read as nothing, in every renderer of author text."""

from __future__ import annotations

from curriculum.site.markup import md_text
from curriculum_quiz import markup
from curriculum_quiz.cjk import join_lines, one_line


def test_a_line_break_between_chinese_characters_reads_as_nothing() -> None:
    assert join_lines("四大領域，\n聚焦於此。") == "四大領域，聚焦於此。"
    assert join_lines("- 第一項，\n  繼續") == "- 第一項，繼續"  # a list item's continuation line


def test_a_break_next_to_latin_text_stays_a_space() -> None:
    assert join_lines("導入 AI\n模型") == "導入 AI\n模型"
    assert join_lines("English text\n中文") == "English text\n中文"
    assert join_lines("Plain English\nprose") == "Plain English\nprose"


def test_code_fences_are_left_as_written() -> None:
    text = "甲\n```\n乙\n丙\n```\n丁\n戊"
    assert join_lines(text) == "甲\n```\n乙\n丙\n```\n丁戊"


def test_yaml_folded_values_lose_the_space_between_chinese_characters() -> None:
    assert join_lines("評估病人、 資料與 AI 模型", folded=True) == "評估病人、資料與 AI 模型"
    assert join_lines("評估病人、 資料", folded=False) == "評估病人、 資料"  # a body keeps its own spaces
    assert one_line("病人、 資料  與\nAI 模型") == "病人、資料與 AI 模型"
    assert md_text("病人、\n資料") == "病人、資料"


def test_quiz_text_in_the_lms_joins_chinese_lines() -> None:
    assert markup.html_block("下列何者，\n最適合？") == "<p>下列何者，最適合？</p>"
    assert markup.html_block("下列何者， 最適合？") == "<p>下列何者，最適合？</p>"

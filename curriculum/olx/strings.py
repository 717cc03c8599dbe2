"""The words the course export adds around the curriculum's text, per course language.

The export keeps its own (the site's interface strings are the site's to change, and some of
them speak of the site's own controls). A language not listed here gets the English words.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "duration": "Duration",
        "minutes": "{n} minutes",
        "minute": "1 minute",
        "version": "Version",
        "objectives": "Learning objectives",
        "references": "References",
        "overview": "About this course",
        "exam": "Domain assessment",
        "quiz": "Check your understanding",
        "untranslated": "This lecture has not been translated yet; the original is shown below.",
        "outdated": "This translation follows version {translated} of the original, which is now at version "
                    "{current}: the latest changes may be missing here.",
    },
    "zh-TW": {
        "duration": "時間",
        "minutes": "{n} 分鐘",
        "minute": "1 分鐘",
        "version": "版本",
        "objectives": "學習目標",
        "references": "參考文獻",
        "overview": "關於本課程",
        "exam": "領域評量",
        "quiz": "隨堂測驗",
        "untranslated": "本講次尚未翻譯為中文，以下為英文原文。",
        "outdated": "本中文版譯自英文原文 {translated} 版；英文原文已更新至 {current} 版，較新的修改可能尚未反映在本頁。",
    },
}


def t(language: str, key: str, **values: object) -> str:
    text = STRINGS.get(language, STRINGS["en"])[key]
    return text.format(**values) if values else text


def duration(language: str, minutes: int) -> str:
    return t(language, "minute") if minutes == 1 else t(language, "minutes", n=minutes)

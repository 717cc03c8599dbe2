"""The words of the course site around the authored content, in each site language.

Material's own interface (search box, navigation, footer) is translated by the theme; this file
holds the labels of the pages the pipeline writes: lecture headers, notices, the home, domain,
glossary and progress pages.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("en", "zh-TW")

# The language switcher's labels, each in its own language.
LANGUAGE_NAMES = {"en": "English", "zh-TW": "繁體中文"}

# Material's interface language for each site language (partials/languages/<code>.html);
# Material has both zh-Hant and zh-TW: zh-TW uses the terms of Taiwan (搜尋, 導覽列, 複製).
THEME_LANGUAGE = {"en": "en", "zh-TW": "zh-TW"}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "glossary": "Glossary",
        "progress": "Your progress",
        "minutes": "{n} minutes",
        "minute": "1 minute",
        "duration": "Duration",
        "version": "Version",
        "last_change": "Last change",
        "authors": "Authors",
        "competencies": "Competencies",
        "status": "Status",
        "objectives": "Learning objectives",
        "objectives_intro": "After this lecture you will be able to:",
        "references": "References",
        "status_published": "Published",
        "status_draft": "Draft",
        "status_outline": "Coming soon",
        "draft_title": "Draft",
        "draft_text": "This lecture is a draft: its content is still being reviewed and may change.",
        "outline_title": "Coming soon",
        "outline_text": "This lecture is being written. Its learning objectives are listed below; "
                        "the content will follow in a later release of the course.",
        "untranslated_title": "Not yet translated",
        "outdated_title": "Translation behind the original",
        "domains": "The four domains",
        "domain_counts": "{modules} modules · {lectures} lectures ({available} available now)",
        "lecture": "Lecture",
        "module_objectives": "Objectives of this module",
        "how_title": "How to use this site",
        "how": (
            "- Work through the domains in any order; within a module, the lectures are listed in the "
            "order they are taught. Each lecture opens with its learning objectives, duration and "
            "version, and closes with its numbered references; a citation such as \\[1\\] links to its "
            "reference.\n"
            "- Terms of the [glossary](glossary.md) are underlined with dots where they appear in a "
            "lecture: point at one, tap it or focus it with the keyboard to read its definition; click it "
            "(on a touch screen, tap it again) to open the glossary.\n"
            "- *Check your understanding* quizzes give feedback right away and can be retried as often "
            "as you like; they are not graded. Graded domain assessments are taken in the course's "
            "learning platform; this site only says how many questions they have.\n"
            "- Your [progress](progress.md) (lectures visited and best quiz scores) is kept in this "
            "browser only. Export it to a file to continue on another device.\n"
            "- Use the language menu in the header to read the same page in Traditional Chinese, and the "
            "search box to search this language's pages, glossary included.\n"
            "- The site loads nothing from other hosts, so it also works on a hospital intranet."
        ),
        "glossary_intro": "Each term is given in English and Traditional Chinese, as used in Taiwan, with "
                          "its abbreviation and the source of the Chinese form. In lectures, a term "
                          "of this glossary is underlined with dots: point at it or tap it to read its definition.",
        "glossary_source": "Source",
        "glossary_empty": "The glossary is empty.",
        "progress_intro": "This page summarises, for each domain and module, the lectures you have opened and "
                          "your best score on each *Check your understanding* quiz. It is stored in this "
                          "browser only (nothing is sent anywhere); export it to a file to keep it or to "
                          "continue on another device, and import that file there.",
        "progress_nojs": "The progress page needs JavaScript, which is turned off in this browser.",
        "progress_export": "Export progress to a file",
        "progress_import": "Import progress from a file",
        "progress_lecture": "Lecture",
        "progress_visited": "Visited",
        "progress_quiz": "Best quiz score",
        "progress_none": "no quiz",
    },
    "zh-TW": {
        "home": "首頁",
        "glossary": "詞彙表",
        "progress": "學習進度",
        "minutes": "{n} 分鐘",
        "minute": "1 分鐘",
        "duration": "時間",
        "version": "版本",
        "last_change": "最後修改",
        "authors": "作者",
        "competencies": "能力指標",
        "status": "狀態",
        "objectives": "學習目標",
        "objectives_intro": "完成本講次後，您將能夠：",
        "references": "參考文獻",
        "status_published": "已發布",
        "status_draft": "草稿",
        "status_outline": "即將推出",
        "draft_title": "草稿",
        "draft_text": "本講次為草稿，內容仍在審閱中，可能會再修改。",
        "outline_title": "即將推出",
        "outline_text": "本講次正在撰寫中。下方列出其學習目標，內容將於課程後續版本中提供。",
        "untranslated_title": "尚未翻譯",
        "outdated_title": "翻譯版本落後於原文",
        "domains": "四大領域",
        "domain_counts": "{modules} 個單元 · {lectures} 個講次（目前可閱讀 {available} 個）",
        "lecture": "講次",
        "module_objectives": "本單元的學習目標",
        "how_title": "如何使用本網站",
        "how": (
            "- 各領域可依任意順序學習；每個單元中的講次依授課順序排列。每個講次開頭列出學習目標、時間與版本，"
            "結尾列出編號的參考文獻；內文中的引用（例如 \\[1\\]）可連結至對應的文獻。\n"
            "- 講次中出現的[詞彙表](glossary.md)詞彙會加上點狀底線：將滑鼠移到詞彙上、輕觸詞彙，或以鍵盤移至該詞彙，"
            "即可看到定義；點選（觸控螢幕上再輕觸一次）則開啟詞彙表。\n"
            "- 「自我評量」測驗會立即提供回饋，可重複作答，不列入成績。計分的領域評量須於課程的學習平台上作答；"
            "本網站只顯示其題數。\n"
            "- 您的[學習進度](progress.md)（已閱讀的講次與測驗最佳成績）只儲存在此瀏覽器中。"
            "可匯出為檔案，在其他裝置上匯入後繼續學習。\n"
            "- 使用頁首的語言選單可切換至同一頁的英文版；搜尋框可搜尋本語言的所有頁面，包括詞彙表。\n"
            "- 本網站不會從其他主機載入任何內容，因此在醫院內部網路中也能使用。"
        ),
        "glossary_intro": "每個詞彙列出英文與臺灣使用的正體中文名稱、縮寫，以及中文用語的出處。"
                          "在講次中，本詞彙表的詞彙會加上點狀底線：將滑鼠移到詞彙上或輕觸詞彙，即可看到定義。",
        "glossary_source": "出處",
        "glossary_empty": "詞彙表目前沒有內容。",
        "progress_intro": "本頁依領域與單元彙整您已閱讀的講次，以及每個「自我評量」測驗的最佳成績。"
                          "進度只儲存在此瀏覽器中，不會傳送到任何地方；您可以將進度匯出為檔案保存，"
                          "或在其他裝置上匯入後繼續學習。",
        "progress_nojs": "學習進度頁需要 JavaScript，但此瀏覽器已將其關閉。",
        "progress_export": "將進度匯出為檔案",
        "progress_import": "從檔案匯入進度",
        "progress_lecture": "講次",
        "progress_visited": "已閱讀",
        "progress_quiz": "測驗最佳成績",
        "progress_none": "無測驗",
    },
}

# Strings progress.js needs, in the page's language; {placeholders} are filled in the browser.
PROGRESS_JS: dict[str, dict[str, str]] = {
    "en": {
        "not_visited": "Not yet",
        "visited": "Visited {date}",
        "no_quiz": "no quiz",
        "not_taken": "Not taken",
        "score": "{best} of {max}",
        "module": "{visited} of {lectures} lectures visited · {quizzes} of {total} quizzes taken",
        "domain": "{visited} of {lectures} lectures visited · {quizzes} of {total} quizzes taken",
        "exported": "Your progress was saved to {file}.",
        "imported": "Progress imported: {lectures} lectures.",
        "import_error": "This file could not be imported: {reason}",
        "storage_error": "This browser does not allow the site to store your progress.",
    },
    "zh-TW": {
        "not_visited": "尚未閱讀",
        "visited": "已於 {date} 閱讀",
        "no_quiz": "無測驗",
        "not_taken": "尚未作答",
        "score": "{best}／{max}",
        "module": "已閱讀 {visited}／{lectures} 個講次 · 已作答 {quizzes}／{total} 個測驗",
        "domain": "已閱讀 {visited}／{lectures} 個講次 · 已作答 {quizzes}／{total} 個測驗",
        "exported": "您的進度已儲存為 {file}。",
        "imported": "已匯入進度：{lectures} 個講次。",
        "import_error": "無法匯入此檔案：{reason}",
        "storage_error": "此瀏覽器不允許本網站儲存您的學習進度。",
    },
}


# Strings of the home page's overall progress (progress.js).
HOME_JS: dict[str, dict[str, str]] = {
    "en": {
        "overall": "You have completed {done} of {total} lectures.",
        "continue": "Continue: {title}",
    },
    "zh-TW": {
        "overall": "您已完成 {done}／{total} 個講次。",
        "continue": "繼續學習：{title}",
    },
}


def t(language: str, key: str, **values: object) -> str:
    text = STRINGS[language][key]
    return text.format(**values) if values else text


def duration(language: str, minutes: int) -> str:
    return t(language, "minute") if minutes == 1 else t(language, "minutes", n=minutes)


def untranslated(language: str) -> str:
    if language == "zh-TW":
        return "本講次尚未翻譯為中文，以下為英文原文。"
    return "This lecture has not been translated yet; the original is shown below."


def outdated(language: str, translated: str, current: str) -> str:
    if language == "zh-TW":
        return (f"本中文版譯自英文原文 {translated} 版；英文原文已更新至 {current} 版，"
                "較新的修改可能尚未反映在本頁。可使用頁首的語言選單閱讀英文原文。")
    return (f"This translation follows version {translated} of the original, which is now at version "
            f"{current}: the latest changes may be missing here. Use the language menu to read the original.")


def date(language: str, value: dt.date) -> str:
    if language == "zh-TW":
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return f"{value.day} {value:%B} {value.year}"


def status(language: str, value: str) -> str:
    return t(language, f"status_{value}") if f"status_{value}" in STRINGS[language] else value

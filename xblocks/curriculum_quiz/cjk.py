"""Line breaks in Chinese text.

Authors wrap long lines in their editor; YAML folds a line break into a space. In English a
line break reads as a space, but between two Chinese characters (or Chinese punctuation) it must
read as nothing: "四大領域，\\n聚焦" is "四大領域，聚焦", not "四大領域， 聚焦". Every renderer of
author text (the site's pages and quizzes, the course export, this XBlock) applies these before
Markdown, so the two languages read as their readers expect.
"""

from __future__ import annotations

import re

# Han, CJK punctuation and symbols, kana, bopomofo, compatibility ideographs, vertical and
# full-width forms: characters between which Chinese typography puts no space.
CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff" \
      "\ufe10-\ufe1f\ufe30-\ufe4f\uff01-\uff60\uff61-\uff65"
_BETWEEN = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
_SPACE_BETWEEN = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_FOLDED_BETWEEN = re.compile(rf"(?<=[{CJK}])[ \t]*(?:\n[ \t]*)?(?=[{CJK}])")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HAS_CJK = re.compile(rf"[{CJK}]")


def join_lines(text: str, folded: bool = False) -> str:
    """Markdown `text` with each line break between two Chinese characters removed (with the
    indentation around it), outside fenced code blocks. `folded`: the text is a YAML value,
    whose line breaks YAML may have folded into spaces, so spaces between two Chinese
    characters go too."""
    if not _HAS_CJK.search(text):
        return text
    if folded and "```" not in text and "~~~" not in text:
        return _FOLDED_BETWEEN.sub("", text)
    if "\n" not in text:
        return text
    if "```" not in text and "~~~" not in text:
        return _BETWEEN.sub("", text)
    out: list[str] = []
    fence: str | None = None
    joinable = False  # the last line in `out` is prose
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        elif marker:
            fence, joinable = marker.group(1), False
            out.append(line)
        elif joinable and _END.search(out[-1]) and _START.match(line):
            out[-1] = out[-1].rstrip(" \t") + line.lstrip(" \t")
        else:
            out.append(line)
            joinable = True
    return "\n".join(out)


_END = re.compile(rf"[{CJK}][ \t]*\Z")
_START = re.compile(rf"[ \t]*[{CJK}]")


def one_line(text: object) -> str:
    """Plain text on one line: runs of white space become one space, none between two Chinese
    characters (a YAML-folded line break included)."""
    value = str(text)
    if _HAS_CJK.search(value):
        value = _SPACE_BETWEEN.sub("", value)
    return " ".join(value.split())

"""YAML mistakes explained as an author can act on them, at the line where the mistake is."""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import checks, yamlpos
from curriculum.diagnostics import Report

CASES = [
    ("unquoted colon", "title: Part 1: basics\nversion: 1.0.0\n", 1, "put the whole value in quotes"),
    ("over-indented question field", "questions:\n  - id: a\n    type: single\n  - id: b\n      type: single\n"
     "      prompt: x\n  - id: c\n    type: x\n", 5, "indent it by 4 spaces, like the line above"),
    ("over-indented key", "id: x\ntitle: y\n  version: 1.0.0\nstatus: z\n", 3, "indent it by 0 spaces"),
    ("under-indented list item", "questions:\n  - id: a\n    choices:\n      - text: a\n     - text: b\n", 5,
     "indentation does not match the lines above"),
    ("missing dash", "questions:\n  - id: a\n    type: t\n  id: b\n", 4, "a new list item starts with '- '"),
    ("unclosed quote", 'title: "abc\nversion: 1\n', 1, "this quote is never closed"),
    ("backtick", "title: `x`\n", 1, "cannot start with ` or @: put the whole value in quotes"),
]


@pytest.mark.parametrize(("text", "line", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_is_explained_at_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(yamlpos.YAMLProblem) as problem:
        yamlpos.load(text)
    assert problem.value.pos.line == line
    message = str(problem.value.args[1] if len(problem.value.args) > 1 else problem.value)
    assert words in message, message
    assert "[" in message, "the parser's own words follow, for those who know YAML"


def test_a_version_written_as_a_number_says_to_quote_it(mini: Path) -> None:
    lecture = mini / "lectures/ai/ai-models.md"
    lecture.write_text(lecture.read_text(encoding="utf-8").replace("version: 1.1.0", "version: 1.1", 1), encoding="utf-8")
    report = Report()
    checks.check(mini, report)
    messages = [d.message for d in report.errors if d.path == "lectures/ai/ai-models.md"]
    assert any('put it in quotes, e.g. "1.0.0"' in m for m in messages), messages


def test_in_a_lecture_the_line_is_the_files(mini: Path) -> None:
    lecture = mini / "lectures/ai/ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    title_line = next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith("title:"))
    lecture.write_text(text.replace("title: What clinical AI models do", "title: AI models: what they do", 1),
                       encoding="utf-8")
    report = Report()
    checks.check(mini, report)
    found = [(d.line, d.rule) for d in report.errors if d.path == "lectures/ai/ai-models.md"]
    assert (title_line, "yaml-syntax") in found, found
    assert [d for d in report.errors if "quotes" in d.message and d.line == title_line]

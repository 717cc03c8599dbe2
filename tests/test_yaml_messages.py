"""YAML mistakes explained as an author can act on them, at the line where the mistake is."""

from __future__ import annotations

import subprocess
import sys
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


# Each mistake as faculty make it in a lecture with a translation, run through `curriculum check`:
# (name, old, new, line, column, rule, the fix the message must give). A block indented too far
# is reported at its first line.
Q_PPV = ("  - id: q-ppv\n    type: numeric\n    assesses: ai-models-b\n"
         "    prompt: \"Prevalence 10%, sensitivity 90%, specificity 80%: PPV?\"\n")
LECTURE_MISTAKES = [
    ("unquoted colon in a title", "title: What clinical AI models do", "title: AI models: what they do", 3, 17,
     "yaml-syntax", "a colon followed by a space inside a value: put the whole value in quotes"),
    ("over-indented question", Q_PPV, "".join("  " + line + "\n" for line in Q_PPV.splitlines()), 38, 1,
     "yaml-syntax", "this list item is indented 4 spaces but the item above it ('- id: q-generative') 2 spaces: "
     "move this line and the rest of its item 2 spaces to the left"),
    ("version: 1.0", "version: 1.1.0", "version: 1.0", 4, 10, "schema-type",
     "version: 1.0 is read as a number, not a version: write all three parts, e.g. version: 1.0.0"),
    ("tab indentation", "    type: numeric", "\ttype: numeric", 39, 1, "yaml-tab", "replace the tab with spaces"),
    ("missing dash before a question", "  - id: q-ppv", "    id: q-ppv", 38, 5, "yaml-duplicate-key",
     "duplicate key 'id' (first defined at line 26): if this line starts a new list item, put '- ' before 'id'"),
    ("missing dash in the references", '  - "Author B.', '    "Author B.', 14, 1, "yaml-syntax",
     "a new list item starts with '- ': add it at the start of this line"),
    ("unclosed quote", 'specificity 80%: PPV?"', "specificity 80%: PPV?", 41, 13, "yaml-syntax",
     "this quote is never closed: close it at the end of the value"),
    ("duplicate key", "duration: 45\n", "duration: 45\nstatus: draft\n", 7, 1, "yaml-duplicate-key",
     "duplicate key 'status' (first defined at line 5): keep one of the two"),
]


@pytest.mark.parametrize(("old", "new", "line", "col", "rule", "fix"), [c[1:] for c in LECTURE_MISTAKES],
                         ids=[c[0] for c in LECTURE_MISTAKES])
def test_each_mistake_in_a_lecture_is_one_finding_with_its_fix(mini: Path, old: str, new: str, line: int, col: int,
                                                               rule: str, fix: str) -> None:
    lecture = mini / "lectures/ai/ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    assert old in text
    lecture.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "curriculum", "check", "--strict", str(mini)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, "one mistake, one finding (the translation is not reported as orphaned):\n" + result.stdout
    assert lines[0].startswith(f"lectures/ai/ai-models.md:{line}:{col}: error [{rule}] "), lines[0]
    assert fix in lines[0], lines[0]


def test_a_quote_closed_on_a_later_line_is_not_blamed() -> None:
    """A quoted value may go on over lines; the mistake is then elsewhere, at the parser's line."""
    with pytest.raises(yamlpos.YAMLProblem) as problem:
        yamlpos.load('references:\n  - "Long\n    title"\n  - ok\ntitle: a: b\n')
    assert problem.value.pos.line == 5
    assert "quote is never closed" not in problem.value.message

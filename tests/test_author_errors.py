"""Mistakes a physician makes while writing, as `curriculum check` reports them: one finding per
mistake, at its line, with the fix in the message, and a build that refuses them."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from curriculum import scaffold

MODELS = "lectures/ai/ai-models.md"
MODELS_ZH = "lectures/ai/ai-models.zh-TW.md"
INTRO = "lectures/informatics/inf-intro.md"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", *args], capture_output=True, text=True)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(root: Path, *options: str) -> tuple[int, list[str]]:
    result = run("check", *options, str(root))
    return result.returncode, result.stdout.strip().splitlines()


# -- one mistake, one finding ------------------------------------------------------------------

ONE_MISTAKE = [
    # (name, file, old, new, expected "path:line:col: error [rule]")
    ("colon in the title of a translated lecture", MODELS, "title: What clinical AI models do",
     "title: AI models: what they do", f"{MODELS}:3:17: error [yaml-syntax]"),
    ("version written as a number", MODELS, "version: 1.1.0", "version: 1.1", f"{MODELS}:4:10: error [schema-type]"),
    ("front matter never closed", MODELS, "  - \"Author B. Title. Journal. 2022.\"\n---",
     "  - \"Author B. Title. Journal. 2022.\"", f"{MODELS}:1:1: error [front-matter]"),
    ("YAML error in a quiz of a translated lecture", MODELS, "    hint: Look at the output.",
     "    hint: \"Look at the output.", f"{MODELS}:36:11: error [yaml-syntax]"),
    ("YAML error in the domain exam", MODELS, "    prompt: SECRET-EXAM-TF PPV depends on prevalence.",
     "      prompt: SECRET-EXAM-TF PPV depends on prevalence.", f"{MODELS}:85:1: error [yaml-syntax]"),
    ("colon in a domain title", "domains/ai.yml", "{en: Artificial Intelligence,", "{en: Artificial Intelligence: AI,",
     "domains/ai.yml:2:36: error [yaml-syntax] inside { } or [ ], a value with ': ' or ',' in it needs quotes"),
    ("YAML error in a translation's quiz", MODELS_ZH, "    prompt: 排列部署步驟。", "    prompt: \"排列部署步驟。",
     f"{MODELS_ZH}:24:13: error [yaml-syntax]"),
]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [c[1:] for c in ONE_MISTAKE],
                         ids=[c[0] for c in ONE_MISTAKE])
def test_one_mistake_is_one_finding(mini: Path, rel: str, old: str, new: str, expected: str) -> None:
    """No translation-orphan, missing lecture, exam leak or unassessed objective follows from it."""
    edit(mini, rel, old, new)
    code, lines = findings(mini, "--strict")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(expected), "\n".join(lines)


# -- image paths -------------------------------------------------------------------------------

LOCAL = [
    ("Windows path", r"C:\Users\chen\Desktop\org.png"),
    ("Windows path with slashes", "D:/slides/org.png"),
    ("network share", r"\\fileserver\teaching\org.png"),
    ("file: URL", "file:///Users/chen/org.png"),
    ("absolute path", "/home/chen/org.png"),
]


@pytest.mark.parametrize("url", [c[1] for c in LOCAL], ids=[c[0] for c in LOCAL])
def test_a_path_on_the_authors_computer_is_an_error(mini: Path, url: str) -> None:
    edit(mini, INTRO, "The CMIO bridges", f"![Org chart]({url}) The CMIO bridges")
    code, lines = findings(mini)
    assert code == 1
    assert lines == [f"{INTRO}:15:14: error [md-local-path] {url} is "
                     f"{'a file: address' if url.startswith('file:') else 'a path on one computer'}, which no "
                     "trainee's browser can open: copy the file into the repository next to this lecture "
                     "(e.g. img/org.png) and write that relative path"]


SPACED = [("angle brackets", "<img/org chart.png>"), ("percent-encoded", "img/org%20chart.png"),
          ("bare space", "img/org chart.png"), ("with a title", 'img/org chart.png "Org chart"')]


@pytest.mark.parametrize("target", [c[1] for c in SPACED], ids=[c[0] for c in SPACED])
def test_a_space_in_a_file_name_is_an_error_and_no_build_publishes_it(mini: Path, target: str) -> None:
    """Markdown needs <…> or %20 around such a name, and each tool quotes it its own way: the check
    asks for a name without spaces rather than let the image break on the site or in the LMS."""
    (mini / "lectures/informatics/img").mkdir()
    (mini / "lectures/informatics/img/org chart.png").write_bytes(PNG)
    edit(mini, INTRO, "The CMIO bridges", f"![Org chart]({target}) The CMIO bridges")
    code, lines = findings(mini, "--strict")
    assert code == 1
    col = 15 if target.startswith("<") else 14  # the name itself, inside the brackets
    assert lines == [f"{INTRO}:15:{col}: error [md-file-name] the file name 'org chart.png' has a space, which breaks "
                     "the link on the site or in the course export: rename the file to 'org-chart.png' and write "
                     "that name here"]
    for target_kind in ("site", "olx"):
        out = mini / f"out-{target_kind}"
        result = run("build", target_kind, "--root", str(mini), "--out", str(out))
        assert result.returncode == 1 and "[md-file-name]" in result.stderr, result.stderr
        assert not out.exists() or not any(out.iterdir())


def test_the_renamed_image_reaches_the_course_export(mini: Path) -> None:
    (mini / "lectures/informatics/img").mkdir()
    (mini / "lectures/informatics/img/org-chart.png").write_bytes(PNG)
    edit(mini, INTRO, "The CMIO bridges", "![Org chart](img/org-chart.png) The CMIO bridges")
    assert findings(mini, "--strict") == (0, [])
    out = mini / "out"
    result = run("build", "olx", "--root", str(mini), "--out", str(out))
    assert result.returncode == 0, result.stderr
    archive = next((out / "olx").glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert any(name.startswith("course/static/") and name.endswith("org-chart.png") for name in names), names


# -- citations ---------------------------------------------------------------------------------

FORMS = [("comma", "[1,2]", "[1][2]"), ("comma and space", "[1, 2]", "[1][2]"), ("hyphen", "[1-2]", "[1][2]"),
         ("en dash range", "[1–3]", "[1][2][3]"), ("semicolon", "[1; 2]", "[1][2]")]


@pytest.mark.parametrize(("written", "supported"), [c[1:] for c in FORMS], ids=[c[0] for c in FORMS])
def test_a_citation_list_or_range_says_how_to_write_it(mini: Path, written: str, supported: str) -> None:
    edit(mini, MODELS, "generative models output content [2].", f"generative models output content {written}.")
    code, lines = findings(mini)
    assert code == 1
    assert lines == [f"{MODELS}:16:71: error [ref-citation-form] {written} is not linked to the references: "
                     f"write {supported}, one bracket per reference"]


def test_citations_in_quiz_text_are_checked_at_their_line(mini: Path) -> None:
    edit(mini, MODELS, "    hint: Look at the output.", "    hint: Look at the output [3].")
    edit(mini, MODELS, "        feedback: It outputs a probability.", "        feedback: It outputs a probability [1,2].")
    edit(mini, MODELS, "    explanation: Prediction models map inputs to a score [1].",
         "    explanation: >-\n      Prediction models map inputs\n      to a score [7].")
    code, lines = findings(mini)
    assert code == 1
    assert lines == [
        f"{MODELS}:32:44: error [ref-citation-form] [1,2] is not linked to the references: write [1][2], "
        "one bracket per reference",
        f"{MODELS}:36:30: error [ref-citation] citation [3] has no entry: the lecture lists 2 reference(s)",
        f"{MODELS}:39:18: error [ref-citation] citation [7] has no entry: the lecture lists 2 reference(s)",
    ]


def test_citations_in_a_translated_quiz_are_checked(mini: Path) -> None:
    edit(mini, MODELS_ZH, "    prompt: 排列部署步驟。", "    prompt: 排列部署步驟 [5]。")
    assert findings(mini) == (1, [f"{MODELS_ZH}:24:20: error [ref-citation] citation [5] has no entry: the lecture "
                                  "lists 2 reference(s)"])


def test_a_reference_cited_only_in_a_quiz_is_used(mini: Path) -> None:
    edit(mini, MODELS, "generative models output content [2].", "generative models output content.")
    edit(mini, MODELS, "    hint: Look at the output.", "    hint: Look at the output [2].")
    assert findings(mini, "--strict") == (0, [])


# -- the skeleton's example text ---------------------------------------------------------------

def test_a_published_lecture_may_not_keep_the_skeletons_text(mini: Path) -> None:
    created = run("new", "lecture", "--domain", "informatics", "--module", "inf-basics", "--id", "inf-gov",
                  "--title", "Governance", "--root", str(mini))
    assert created.returncode == 0, created.stderr
    assert findings(mini, "--strict") == (0, []), "a draft skeleton passes"
    lecture = mini / "lectures/informatics/inf-gov.md"
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace("status: draft ", "status: published ", 1), encoding="utf-8")
    code, lines = findings(mini)
    assert code == 1
    file_lines = text.split("\n")
    expected = []
    for what, placeholder in scaffold.PLACEHOLDERS.items():
        number = next(i for i, line in enumerate(file_lines, 1) if placeholder in line)
        col = file_lines[number - 1].index(placeholder) + 1
        expected.append(f"lectures/informatics/inf-gov.md:{number}:{col}: error [lecture-placeholder] the example "
                        f"{what} of `curriculum new lecture` is still here ({placeholder!r}): write your own, or "
                        "set status: draft until it is done")
    assert sorted(lines) == sorted(expected)


def test_prose_may_use_the_words_of_a_short_placeholder(mini: Path) -> None:
    edit(mini, INTRO, "The CMIO bridges clinical and IT teams [1].",
         "The CMIO bridges clinical and IT teams [1]. There is rarely A right answer in governance.")
    assert findings(mini, "--strict") == (0, [])


# -- the first pull request of CONTRIBUTING.md ---------------------------------------------------

def test_the_lecture_pasted_in_the_browser_passes_the_check(mini: Path) -> None:
    """Path A of CONTRIBUTING.md: the text a physician pastes, listed in its module, passes."""
    guide = (Path(__file__).parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"^   ```markdown\n(.*?)^   ```$", guide, re.S | re.M)
    assert block, "CONTRIBUTING.md shows the lecture to paste"
    text = "\n".join(line.removeprefix("   ") for line in block.group(1).split("\n"))
    (mini / "lectures/ai/ai-sepsis-alerts.md").write_text(text, encoding="utf-8")
    edit(mini, "domains/ai.yml", "[ai-models, ai-later]", "[ai-models, ai-later, ai-sepsis-alerts]")
    assert findings(mini, "--strict") == (0, [])


def test_the_messages_page_names_real_rules() -> None:
    from curriculum.rules import RULES

    page = (Path(__file__).parent.parent / "docs/check-messages.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", page))
    assert {"ref-citation-form", "md-local-path", "md-file-name", "lecture-placeholder",
            "translation-unfinished"} <= named
    assert named <= set(RULES), named - set(RULES)

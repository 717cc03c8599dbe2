"""`curriculum new translation`: a draft skeleton beside the lecture that passes the check, whose
untranslated text the check finds at its lines once the translation is published."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import checks, scaffold
from curriculum.diagnostics import Report

INTRO = "lectures/informatics/inf-intro.md"
INTRO_ZH = "lectures/informatics/inf-intro.zh-TW.md"
MARK = scaffold.untranslated_marker("zh-TW")

# A body with the Markdown a lecture uses: headings, a list, a table, an admonition, code, a link.
BODY = """The CMIO bridges clinical and IT teams [1].

## Why the role exists

Physicians and engineers
speak different languages.

- Clinical safety
- Data governance

| Task | Owner |
|---|---|
| Order sets | CMIO |

!!! example "Worked case: an order set"
    A committee reviews the order set.

```text
GET /fhir/Patient/123
```

### What comes next

See [the AI lecture](../ai/ai-models.md).
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", *args], capture_output=True, text=True)


def check(root: Path) -> tuple[int, list[str]]:
    result = run("check", "--strict", str(root))
    return result.returncode, result.stdout.strip().splitlines()


def headings(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"(?m)^(#{1,6}) ", text)]


def ids(text: str) -> list[str]:
    return re.findall(r"(?m)^\s*(?:- )?id: (\S+)", text)


def richer_intro(root: Path) -> None:
    lecture = root / INTRO
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace("The CMIO bridges clinical and IT teams [1].\n", BODY, 1), encoding="utf-8")


def test_a_new_translation_is_a_draft_that_passes_the_check(mini: Path) -> None:
    richer_intro(mini)
    result = run("new", "translation", "inf-intro", "--root", str(mini))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {INTRO_ZH}"
    source = (mini / INTRO).read_text(encoding="utf-8")
    text = (mini / INTRO_ZH).read_text(encoding="utf-8")
    assert "source_version: 1.0.0\n" in text and "\nstatus: draft " in text
    assert headings(text) == headings(source)
    assert ids(text) == [i for i in ids(source) if i != "inf-intro"], "quiz and question ids, in order"
    assert "answer:" not in text, "answers come from the source"
    assert "GET /fhir/Patient/123" in text and MARK + "GET" not in text, "code is copied as it is"
    assert check(mini) == (0, [])


def test_published_with_text_left_to_translate_is_an_error_at_each_line(mini: Path) -> None:
    richer_intro(mini)
    assert run("new", "translation", "inf-intro", "--root", str(mini)).returncode == 0
    path = mini / INTRO_ZH
    text = path.read_text(encoding="utf-8").replace("status: draft ", "status: published ", 1)
    path.write_text(text, encoding="utf-8")
    code, lines = check(mini)
    assert code == 1
    marked = [(number, line.index(MARK) + 1) for number, line in enumerate(text.split("\n"), 1) if MARK in line]
    assert len(marked) >= 14  # title, objective, paragraphs, list items, table rows, headings, admonition, quiz
    assert lines == [f"{INTRO_ZH}:{number}:{col}: error [translation-unfinished] {MARK} marks text still to "
                     "translate: translate it and remove the mark, or set status: draft" for number, col in marked]


def test_once_every_mark_is_gone_the_published_translation_is_clean(mini: Path) -> None:
    richer_intro(mini)
    assert run("new", "translation", "inf-intro", "--root", str(mini)).returncode == 0
    path = mini / INTRO_ZH
    text = path.read_text(encoding="utf-8").replace("status: draft ", "status: published ", 1)
    path.write_text(text.replace(MARK, ""), encoding="utf-8")  # as if translated
    assert check(mini) == (0, [])
    report = Report()
    curriculum = checks.check(mini, report)
    assert curriculum is not None
    translation = curriculum.lectures["inf-intro"].translations["zh-TW"]
    assert [q["id"] for q in translation.quizzes[0]["questions"]] == ["q-role"]


def test_an_existing_translation_is_never_overwritten(mini: Path) -> None:
    path = mini / "lectures/ai/ai-models.zh-TW.md"
    before = path.read_bytes()
    result = run("new", "translation", "ai-models", "--root", str(mini))
    assert result.returncode == 2
    assert "lectures/ai/ai-models.zh-TW.md already exists; it was not changed" in result.stderr
    assert path.read_bytes() == before


def test_an_unknown_lecture_lists_close_ids(mini: Path) -> None:
    result = run("new", "translation", "inf-intr", "--root", str(mini))
    assert result.returncode == 2
    assert result.stderr.startswith("curriculum: no lecture 'inf-intr'; did you mean inf-intro")
    assert not list(mini.glob("lectures/*/inf-intr*.zh-TW.md"))


def test_a_lecture_with_errors_is_named_as_such(mini: Path) -> None:
    lecture = mini / INTRO
    lecture.write_text(lecture.read_text(encoding="utf-8").replace("duration: 30", "duration: thirty"),
                       encoding="utf-8")
    result = run("new", "translation", "inf-intro", "--root", str(mini))
    assert result.returncode == 2
    assert "lectures/informatics/inf-intro.md has errors: run `curriculum check`" in result.stderr


def test_a_lecture_with_an_invalid_quiz_gets_no_skeleton(mini: Path) -> None:
    lecture = mini / INTRO
    lecture.write_text(lecture.read_text(encoding="utf-8").replace("answer: false", "answer: maybe"), encoding="utf-8")
    report = Report()
    curriculum = checks.check(mini, report)
    assert curriculum is not None and curriculum.lectures["inf-intro"].invalid_quizzes
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.new_translation(curriculum, "inf-intro", None)
    assert str(refused.value) == f"{INTRO} has errors: run `curriculum check` and fix them first"
    assert not (mini / INTRO_ZH).exists()


def test_an_unknown_language_lists_the_programmes(mini: Path) -> None:
    result = run("new", "translation", "inf-intro", "--lang", "fr", "--root", str(mini))
    assert result.returncode == 2
    assert result.stderr.strip() == "curriculum: 'fr' is not a translation language of programme.yml; languages: zh-TW"
    assert not (mini / "lectures/informatics/inf-intro.fr.md").exists()


def test_every_bundled_lecture_gets_a_skeleton_that_passes(tmp_path: Path) -> None:
    """The bundled lectures, their translations set aside, each get a skeleton; the whole passes."""
    repo = Path(__file__).parent.parent
    root = tmp_path / "curriculum"
    root.mkdir()
    for name in ("programme.yml", "glossary.yml", "mkdocs.yml"):
        (root / name).write_bytes((repo / name).read_bytes())
    for name in ("domains", "lectures"):
        subprocess.run(["cp", "-r", str(repo / name), str(root / name)], check=True)
    for translation in root.glob("lectures/*/*.zh-TW.md"):
        translation.unlink()
    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and report.sorted(strict=True) == []
    for lecture in curriculum.lectures.values():
        scaffold.new_translation(curriculum, lecture.id, "zh-TW")
    report = Report()
    curriculum = checks.check(root, report)
    assert [d.text() for d in report.sorted(strict=True)] == []
    assert curriculum is not None and all("zh-TW" in lecture.translations for lecture in curriculum.lectures.values())


def _exported_text(root: Path, out: Path) -> str:
    """The html component of the zh-TW course export that teaches inf-intro's body."""
    import tarfile

    from curriculum.olx import build_olx

    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and not report.errors
    archives = build_olx(curriculum, out, ["zh-TW"])
    with tarfile.open(archives[0]) as tar:
        texts = [tar.extractfile(m).read().decode("utf-8") for m in tar.getmembers()
                 if m.isfile() and m.name.endswith(".html")]
    [text] = [t for t in texts if "The CMIO bridges clinical and IT teams" in t]
    return text


UNTRANSLATED = "本講次尚未翻譯為中文"


def test_a_draft_translation_is_not_taught_until_published(mini: Path, tmp_path: Path) -> None:
    assert run("new", "translation", "inf-intro", "--root", str(mini)).returncode == 0
    draft = _exported_text(mini, tmp_path / "draft")
    assert MARK not in draft, "the draft's marked text reaches trainees"
    assert UNTRANSLATED in draft, "with the notice of an untranslated lecture"
    path = mini / INTRO_ZH
    text = path.read_text(encoding="utf-8").replace("status: draft ", "status: published ", 1)
    path.write_text(text.replace(MARK, ""), encoding="utf-8")
    published = _exported_text(mini, tmp_path / "published")
    assert UNTRANSLATED not in published, "a published translation is taught"


def test_the_site_teaches_a_draft_translation_only_in_the_preview(mini: Path, tmp_path: Path) -> None:
    from curriculum.site import build_site

    shutil.copy2(Path(__file__).resolve().parents[1] / "mkdocs.yml", mini / "mkdocs.yml")  # the site's settings
    assert run("new", "translation", "inf-intro", "--root", str(mini)).returncode == 0
    report = Report()
    curriculum = checks.check(mini, report)
    assert curriculum is not None and not report.errors
    page = "zh-TW/lectures/informatics/inf-intro/index.html"
    site = build_site(curriculum, tmp_path / "site") / page
    text = site.read_text(encoding="utf-8")
    assert MARK not in text and UNTRANSLATED in text, "trainees get the source with its notice"
    preview = build_site(curriculum, tmp_path / "preview", drafts=True) / page
    assert MARK in preview.read_text(encoding="utf-8"), "the author's preview shows the draft"

"""Grading policy without summative quizzes, and files that cannot share a name in static/."""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

import pytest
from olxcleaner import validate

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.olx import OlxBuildError, build_olx

REPO = Path(__file__).parent.parent.parent


def load(root: Path):
    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and not report.errors, report.sorted()[:5]
    return curriculum


def drop_domain_assessment(root: Path) -> None:
    for name, heading in (("ai-models.md", "## Domain assessment"), ("ai-models.zh-TW.md", "## 領域評量")):
        path = root / "lectures/ai" / name
        text = path.read_text(encoding="utf-8")
        if heading in text:
            path.write_text(text[:text.index(heading)], encoding="utf-8")


def test_without_summative_quizzes_the_grading_policy_still_validates(mini: Path, tmp_path: Path):
    drop_domain_assessment(mini)
    curriculum = load(mini)
    assert all(quiz.mode == "formative" for quiz in curriculum.quizzes())
    archive = build_olx(curriculum, tmp_path / "olx", ["en"])[0]
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    grading = json.loads((tmp_path / "x/course/policies/2026/grading_policy.json").read_text())
    assert grading["GRADER"] == [{"type": "Quiz", "short_label": "Quiz", "min_count": 1, "drop_count": 0,
                                  "weight": 1.0}]
    _, errors, _ = validate(str(tmp_path / "x/course"), steps=8, allowed_xblocks=["curriculum_quiz"])
    assert [e.description for e in errors.errors] == []


def test_two_files_with_one_static_name_are_refused(mini: Path, tmp_path: Path):
    png = (REPO / "curriculum/olx/course_image.png").read_bytes()
    for folder in ("lectures/ai/img_a", "lectures/ai/img/a"):
        (mini / folder).mkdir(parents=True)
    (mini / "lectures/ai/img_a/b.png").write_bytes(png)  # static name lectures_ai_img_a_b.png
    (mini / "lectures/ai/img/a_b.png").write_bytes(png)  # the same static name
    lecture = mini / "lectures/ai/ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace("Prediction models output scores",
                                    "![One](img_a/b.png)\n![Two](img/a_b.png)\n\nPrediction models output scores"),
                       encoding="utf-8")
    out = tmp_path / "olx"
    with pytest.raises(OlxBuildError, match=re.escape("would both be static/lectures_ai_img_a_b.png")):
        build_olx(load(mini), out, ["en"])
    assert not out.exists() or list(out.iterdir()) == []


def test_static_names_hold_only_url_safe_characters(mini: Path, tmp_path: Path):
    # A space is refused by the check (md-file-name); other characters outside [A-Za-z0-9._-] are not.
    (mini / "lectures/ai/my+charts").mkdir()
    (mini / "lectures/ai/my+charts/roc+curve.png").write_bytes((REPO / "curriculum/olx/course_image.png").read_bytes())
    lecture = mini / "lectures/ai/ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace("Prediction models output scores",
                                    "![ROC](my+charts/roc+curve.png)\n\nPrediction models output scores"),
                       encoding="utf-8")
    archive = build_olx(load(mini), tmp_path / "olx", ["en"])[0]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        html = tar.extractfile("course/html/text_ai-models.html").read().decode("utf-8")
    assert "course/static/lectures_ai_my-charts_roc-curve.png" in names
    assert 'src="/static/lectures_ai_my-charts_roc-curve.png"' in html


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def test_each_language_is_a_course_of_its_own_with_the_platforms_language_code(mini: Path, tmp_path: Path):
    english, chinese = build_olx(load(mini), tmp_path / "olx", ["en", "zh-TW"])
    assert english.name == "TSHS-MINI101-2026.tar.gz" and chinese.name == "TSHS-MINI101-2026-zh-TW.tar.gz"
    en, zh = _members(english), _members(chinese)
    assert b'url_name="2026"' in en["course/course.xml"] and b'url_name="2026-zh-TW"' in zh["course/course.xml"]
    assert "course/course/2026-zh-TW.xml" in zh and "course/policies/2026-zh-TW/grading_policy.json" in zh
    policy = json.loads(zh["course/policies/2026-zh-TW/policy.json"])
    assert policy["course/2026-zh-TW"]["language"] == "zh_HANT"
    assert json.loads(en["course/policies/2026/policy.json"])["course/2026"]["language"] == "en"


def test_the_runs_of_translated_courses_are_configurable(mini: Path, tmp_path: Path):
    programme = mini / "programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8") + "runs: {zh-TW: 2026T}\n", encoding="utf-8")
    chinese = build_olx(load(mini), tmp_path / "olx", ["zh-TW"])[0]
    assert chinese.name == "TSHS-MINI101-2026T.tar.gz"
    assert b'url_name="2026T"' in _members(chinese)["course/course.xml"]


def test_a_run_that_is_not_a_safe_path_part_is_a_finding(mini: Path):
    programme = mini / "programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8") + "runs: {zh-TW: ../x}\n", encoding="utf-8")
    report = Report()
    checks.check(mini, report)
    assert [d.rule for d in report.errors] == ["id-path"]


def test_a_translated_course_names_its_quizzes_in_its_language(mini: Path, tmp_path: Path):
    for name in ("ai-models.zh-TW.md",):  # a translation that gives no quiz titles
        path = mini / "lectures/ai" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: 自我評量\n", "").replace("title: AI 領域評量\n", ""), encoding="utf-8")
    zh = _members(build_olx(load(mini), tmp_path / "olx", ["zh-TW"])[0])
    names = [name for path, data in zh.items() if path.endswith(".xml")
             for name in re.findall(r'display_name="([^"]*)"', data.decode("utf-8"))]
    assert "領域評量" in names and "隨堂測驗" in names
    assert "AI domain assessment" not in names and "Check your understanding" not in names

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
    (mini / "lectures/ai/my charts").mkdir()
    (mini / "lectures/ai/my charts/roc curve.png").write_bytes((REPO / "curriculum/olx/course_image.png").read_bytes())
    lecture = mini / "lectures/ai/ai-models.md"
    text = lecture.read_text(encoding="utf-8")
    lecture.write_text(text.replace("Prediction models output scores",
                                    "![ROC](my%20charts/roc%20curve.png)\n\nPrediction models output scores"),
                       encoding="utf-8")
    archive = build_olx(load(mini), tmp_path / "olx", ["en"])[0]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        html = tar.extractfile("course/html/text_ai-models.html").read().decode("utf-8")
    assert "course/static/lectures_ai_my-charts_roc-curve.png" in names
    assert 'src="/static/lectures_ai_my-charts_roc-curve.png"' in html

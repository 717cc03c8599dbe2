"""`curriculum build` refuses a broken curriculum, writes atomically, and builds the XBlock wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from curriculum.output import atomic_dir


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", *args], capture_output=True, text=True, cwd=cwd)


def test_build_refuses_a_curriculum_with_errors_and_writes_nothing(mini: Path):
    lecture = mini / "lectures/informatics/inf-intro.md"
    lecture.write_text(lecture.read_text().replace("duration: 30", "duration: thirty"))
    result = cli("build", "xblocks", cwd=mini)
    assert result.returncode == 1
    assert "inf-intro.md:6:11: error [schema-type]" in result.stderr
    assert "not building" in result.stderr
    assert not (mini / "build").exists()


def test_build_xblocks_writes_an_installable_wheel(mini: Path):
    result = cli("build", "xblocks", cwd=mini)
    assert result.returncode == 0, result.stderr
    wheels = list((mini / "build/dist").glob("*.whl"))
    assert [w.name for w in wheels] == ["curriculum_quiz_xblock-0.1.0-py3-none-any.whl"]
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read("curriculum_quiz_xblock-0.1.0.dist-info/entry_points.txt").decode()
    assert "[xblock.v1]\ncurriculum_quiz = curriculum_quiz.block:CurriculumQuizBlock" in entry_points
    assert "curriculum_quiz/translations/zh_TW/LC_MESSAGES/text.mo" in names
    assert not any(name.startswith("curriculum/") for name in names), "the wheel carries nothing of the pipeline"


def test_atomic_dir_keeps_the_old_output_when_a_writer_fails(tmp_path: Path):
    target = tmp_path / "out"
    with atomic_dir(target) as work:
        (work / "index.html").write_text("first")
    with pytest.raises(RuntimeError), atomic_dir(target) as work:
        (work / "index.html").write_text("half")
        raise RuntimeError("writer failed")
    assert (target / "index.html").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temporary folder is left behind"
    with atomic_dir(target) as work:
        (work / "new.html").write_text("second")
    assert sorted(p.name for p in target.iterdir()) == ["new.html"]

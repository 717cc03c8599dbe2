"""`curriculum check --against REF` on a temporary git repository with scripted commits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MODELS = "lectures/ai/ai-models.md"
MODELS_ZH = "lectures/ai/ai-models.zh-TW.md"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", "check", *args], capture_output=True, text=True, cwd=root)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(mini: Path) -> Path:
    git(mini, "init", "-q", "-b", "main")
    git(mini, "-c", "user.email=f@example.org", "-c", "user.name=F", "add", "-A")
    git(mini, "-c", "user.email=f@example.org", "-c", "user.name=F", "commit", "-qm", "base")
    return mini


def test_unchanged_curriculum_passes(repo: Path):
    result = check(repo, "--against", "HEAD")
    assert result.returncode == 0, result.stdout


def test_removed_question_is_an_error_until_retired(repo: Path):
    edit(repo, MODELS, "id: q-fhir", "id: q-api-standard")
    edit(repo, MODELS_ZH, "id: q-fhir", "id: q-api-standard")
    edit(repo, MODELS, "version: 1.1.0", "version: 1.2.0")
    edit(repo, MODELS_ZH, "source_version: 1.1.0", "source_version: 1.2.0")
    result = check(repo, "--against", "HEAD")
    assert result.returncode == 1
    assert result.stdout.strip() == (
        f"{MODELS}:26:3: error [history-removed-id] question id 'ai-models-check/q-fhir' existed at HEAD "
        f"({MODELS}) and is gone: trainees' learner state in the LMS would be lost; restore it, or list it "
        "under retired: in programme.yml")
    edit(repo, "programme.yml", "retired: []", "retired: [q-fhir]")
    assert check(repo, "--against", "HEAD").returncode == 0


def test_removed_lecture_points_at_programme(repo: Path):
    edit(repo, "domains/ai.yml", "[ai-models, ai-later]", "[ai-models]")
    (repo / "lectures/ai/ai-later.md").unlink()
    result = check(repo, "--against", "HEAD")
    assert result.returncode == 1
    assert "programme.yml:15:10: error [history-removed-id] lecture id 'ai-later' existed at HEAD" in result.stdout


def test_change_without_version_bump(repo: Path):
    edit(repo, MODELS, "Prediction models output scores", "Prediction models output risk scores")
    result = check(repo, "--against", "HEAD")
    assert result.returncode == 1
    assert f"{MODELS}:4:10: error [history-unbumped] the lecture changed since HEAD but its version is still 1.1.0" \
        in result.stdout


def test_version_going_down(repo: Path):
    edit(repo, MODELS, "version: 1.1.0", "version: 1.0.9")
    edit(repo, MODELS_ZH, "source_version: 1.1.0", "source_version: 1.0.9")
    result = check(repo, "--against", "HEAD")
    assert result.returncode == 1
    assert f"{MODELS}:4:10: error [history-version-down] version went down from 1.1.0 at HEAD to 1.0.9" in result.stdout


def test_unknown_ref_is_a_usage_error(repo: Path):
    result = check(repo, "--against", "no-such-branch")
    assert result.returncode == 2
    assert "--against no-such-branch" in result.stderr and "Traceback" not in result.stderr


def test_a_file_that_fails_to_load_is_not_reported_as_removed(repo: Path):
    edit(repo, MODELS, "  - id: q-fhir\n    type: text", "  - id: q-fhir\n    type: essay")  # an invalid quiz
    edit(repo, "lectures/informatics/inf-intro.md", "title: What a CMIO is for", "title: [unclosed")
    result = check(repo, "--against", "HEAD")
    assert result.returncode == 1
    assert "history-removed-id" not in result.stdout, result.stdout

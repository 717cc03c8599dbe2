"""`curriculum changelog` and `curriculum release` on a temporary git repository with scripted commits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

MODELS = "lectures/ai/ai-models.md"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", *args], capture_output=True, text=True, cwd=root)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(mini: Path) -> Path:
    git(mini, "init", "-q", "-b", "main")
    git(mini, "config", "user.email", "faculty@example.org")
    git(mini, "config", "user.name", "Faculty")
    git(mini, "add", "-A")
    git(mini, "commit", "-qm", "Release 0.1.0")
    git(mini, "tag", "v0.1.0")
    # An edit without a version bump, a renamed question, a changed correct answer, a reworded objective.
    edit(mini, MODELS, "Prediction models output scores [1]", "Prediction models output risk scores [1]")
    edit(mini, MODELS, "id: q-fhir", "id: q-api-standard")
    edit(mini, "lectures/ai/ai-models.zh-TW.md", "id: q-fhir", "id: q-api-standard")
    edit(mini, MODELS, "answer: 0.33", "answer: 0.34")
    edit(mini, MODELS, "Evaluate a vendor's accuracy claim using PPV.", "Appraise a vendor's accuracy claim using PPV.")
    git(mini, "commit", "-qam", "Edit the AI lecture")
    return mini


def test_changelog_json(repo: Path):
    result = cli(repo, "changelog", "--from", "v0.1.0", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)
    assert changes["lectures_changed"] == [{"id": "ai-models", "title": "What clinical AI models do",
                                            "before": "1.1.0", "after": "1.1.0"}]
    assert changes["questions_added"] == [{"lecture": "ai-models", "quiz": "ai-models-check", "id": "q-api-standard"}]
    assert changes["questions_removed"] == [{"lecture": "ai-models", "quiz": "ai-models-check", "id": "q-fhir"}]
    assert changes["answers_changed"] == [{"lecture": "ai-models", "quiz": "ai-models-check", "id": "q-ppv"}]
    assert changes["objectives_reworded"][0]["id"] == "ai-models-b"
    assert changes["lectures_added"] == changes["lectures_removed"] == []


def test_changelog_markdown_and_outdated_translation(repo: Path):
    edit(repo, MODELS, "version: 1.1.0", "version: 1.2.0")
    git(repo, "commit", "-qam", "Bump")
    result = cli(repo, "changelog", "--from", "v0.1.0", "--to", "HEAD")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "`ai-models` What clinical AI models do: 1.1.0 → 1.2.0" in out
    assert "`ai-models-check/q-ppv` (ai-models)" in out.split("### Correct answer changed")[1]
    assert "`ai-models` zh-TW: translates 1.1.0, source is 1.2.0" in out


def test_changelog_does_not_touch_the_working_tree(repo: Path):
    (repo / MODELS).write_text("garbage", encoding="utf-8")
    result = cli(repo, "changelog", "--from", "v0.1.0")
    assert result.returncode == 0, result.stderr
    assert (repo / MODELS).read_text(encoding="utf-8") == "garbage"
    assert git(repo, "status", "--porcelain").strip() == f"M {MODELS}"


def test_changelog_bad_ref_is_a_usage_error(repo: Path):
    result = cli(repo, "changelog", "--from", "v9.9.9")
    assert result.returncode == 2
    assert "v9.9.9" in result.stderr and "Traceback" not in result.stderr


def test_release_writes_version_and_changelog(repo: Path):
    result = cli(repo, "release", "0.2.0")
    assert result.returncode == 0, result.stderr
    programme = (repo / "programme.yml").read_text(encoding="utf-8")
    assert "version: 0.2.0\n" in programme
    assert programme.replace("version: 0.2.0", "version: 0.1.0") == git(repo, "show", "HEAD:programme.yml")
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n")
    assert "## 0.2.0 — " in changelog and "(changes since v0.1.0)" in changelog
    assert "q-api-standard" in changelog
    # a second release goes on top of the first
    git(repo, "commit", "-qam", "Release 0.2.0")
    git(repo, "tag", "v0.2.0")
    edit(repo, MODELS, "version: 1.1.0", "version: 1.1.1")
    git(repo, "commit", "-qam", "Fix")
    assert cli(repo, "release", "0.2.1").returncode == 0
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 0.2.1") < changelog.index("## 0.2.0")


def test_release_refuses_a_lower_version(repo: Path):
    result = cli(repo, "release", "0.0.9")
    assert result.returncode == 2
    assert "not above the current version 0.1.0" in result.stderr
    assert not (repo / "CHANGELOG.md").exists()


def test_release_with_site_deploys_a_mike_version_on_a_local_branch(repo: Path):
    import shutil

    shutil.copy(Path(__file__).parent.parent / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "add", "mkdocs.yml")
    git(repo, "commit", "-qm", "Site configuration")
    result = cli(repo, "release", "0.2.0", "--site")
    assert result.returncode == 0, result.stderr
    assert "not pushed" in result.stderr
    tree = git(repo, "ls-tree", "--name-only", "gh-pages").split()
    assert {"0.2.0", "latest", "versions.json"} <= set(tree)
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert versions == [{"version": "0.2.0", "title": "0.2.0", "aliases": ["latest"]}]
    index = git(repo, "show", "gh-pages:0.2.0/index.html")
    assert '"provider": "mike"' in index  # Material's version selector
    assert "zh-TW" in git(repo, "ls-tree", "--name-only", "gh-pages", "0.2.0/")
    assert git(repo, "remote").strip() == ""  # nothing could have been pushed

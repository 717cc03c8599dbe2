"""The pre-commit hook works from a fresh clone after scripts/setup, with no environment activated."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).parent.parent


def hook() -> dict:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return config["repos"][0]["hooks"][0]


def run_hook(root: Path) -> subprocess.CompletedProcess:
    """Run the hook's entry as pre-commit runs a `script` hook: from the repository root, with a
    PATH that does not hold the environment's bin folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    return subprocess.run([str(root / hook()["entry"])], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_the_hook_is_a_script_of_the_repository_and_runs_on_curriculum_files() -> None:
    entry = hook()
    assert entry["language"] == "script" and (REPO / entry["entry"]).is_file()
    assert os.access(REPO / entry["entry"], os.X_OK)
    assert not shutil.which("curriculum", path="/usr/local/bin:/usr/bin:/bin")


def test_the_hook_checks_the_curriculum_without_an_activated_environment() -> None:
    result = run_hook(REPO)
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout + result.stderr


def test_without_setup_the_hook_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "pre-commit-check", tmp_path / "scripts" / "pre-commit-check")
    result = run_hook(tmp_path)
    assert result.returncode == 1
    assert "run scripts/setup once" in result.stderr

"""The GitHub workflows parse, and every command they run exists and accepts its arguments."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from curriculum.cli import COMMANDS, _parser

REPO = Path(__file__).parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def commands(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def curriculum_invocations(script: str) -> list[list[str]]:
    """Each `.venv/bin/curriculum ...` call of a step, with GitHub and shell expressions filled in."""
    script = script.replace("${{ github.base_ref }}", "main").replace("${GITHUB_REF_NAME#v}", "1.2.3")
    calls = []
    for line in script.splitlines():
        for part in line.replace("&&", ";").replace(">>", ";").split(";"):
            words = shlex.split(part.strip()) if part.strip() else []
            if words and words[0] == ".venv/bin/curriculum":
                calls.append(words[1:])
    return calls


def test_there_are_workflows_for_pull_requests_main_and_tags():
    triggers = {}
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        triggers.update(workflow[True])  # PyYAML reads the key `on` as true
    assert {"pull_request", "push"} <= set(triggers)


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_command_exists(path: Path):
    workflow = yaml.safe_load(path.read_text())
    scripts = commands(workflow)
    assert scripts
    calls = [call for script in scripts for call in curriculum_invocations(script)]
    assert calls, "a workflow calls curriculum commands"
    for call in calls:
        assert call[0] in COMMANDS, call
        _parser().parse_args(call)  # exits (SystemExit) on an unknown option
    for script in scripts:
        for line in script.splitlines():
            word = line.strip().split(" ")[0]
            if word.startswith(("scripts/", ".venv/bin/")):
                assert (REPO / word).exists() or word.startswith(".venv/bin/"), word

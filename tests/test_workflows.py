"""The GitHub workflows parse, every command they run exists and accepts its arguments, and they
hold the trust boundary: pinned actions, least privilege, no stored token, no expression in a
script, nothing but build outputs uploaded, and zizmor finds nothing."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from curriculum.cli import COMMANDS, _parser

REPO = Path(__file__).parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
IDS = [p.name for p in WORKFLOWS]
ZIZMOR = Path(sys.executable).parent / "zizmor"  # from the test extra, in the same venv

# The only write permissions any job holds: Pages deployment (which runs no repository code)
# and the release (gh-pages push and release files).
WRITE_PERMISSIONS = {
    ("main.yml", "deploy"): {"pages", "id-token"},
    ("release.yml", "release"): {"contents"},
}
# Sample values for the environment variables that scripts read, to parse their commands.
SAMPLE_ENV = {"GITHUB_REF_NAME#v": "1.2.3", "GITHUB_REF_NAME": "v1.2.3", "BASE_REF": "main"}
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)\s*$")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def triggers(workflow: dict) -> set[str]:
    on = workflow[True]  # PyYAML reads the key `on` as true
    return {on} if isinstance(on, str) else set(on)


def steps(workflow: dict) -> Iterator[tuple[str, dict]]:
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def commands(workflow: dict) -> list[str]:
    """Each `run:` script, with the variables it reads from its step's env filled in."""
    scripts = []
    for _, step in steps(workflow):
        if "run" in step:
            script = step["run"]
            for name, value in SAMPLE_ENV.items():
                script = script.replace("${" + name + "}", value).replace("$" + name, value)
            scripts.append(script)
    return scripts


def curriculum_invocations(script: str) -> list[list[str]]:
    """Each `.venv/bin/curriculum ...` call of a step."""
    calls = []
    for line in script.replace("\\\n", " ").splitlines():  # continued lines are one command
        for part in line.replace("&&", ";").replace(">>", ";").split(";"):
            words = shlex.split(part.strip()) if part.strip() else []
            if words and words[0] == ".venv/bin/curriculum":
                calls.append(words[1:])
    return calls


def zizmor(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert ZIZMOR.exists(), f"{ZIZMOR} is missing: run scripts/setup --test (zizmor is in the test extra)"
    return subprocess.run([str(ZIZMOR), "--offline", "--no-progress", *args, ".github/"],
                          cwd=root, capture_output=True, text=True, timeout=120)


def findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    """zizmor's JSON findings as `file:line ident (severity): description`."""
    assert result.stdout.strip().startswith("["), result.stderr
    out = []
    for finding in json.loads(result.stdout):
        primary = next(loc for loc in finding["locations"] if loc["symbolic"]["kind"] == "Primary")
        path = primary["symbolic"]["key"]["Local"]["verbatim_path"]
        line = primary["concrete"]["location"]["start_point"]["row"] + 1
        severity = finding["determinations"]["severity"]
        out.append(f"{path}:{line} {finding['ident']} ({severity}): {finding['desc']}")
    return out


def test_there_are_workflows_for_pull_requests_main_and_tags():
    found = set().union(*(triggers(load(path)) for path in WORKFLOWS))
    assert {"pull_request", "push"} <= found


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_every_command_exists(path: Path):
    scripts = commands(load(path))
    assert scripts
    calls = [call for script in scripts for call in curriculum_invocations(script)]
    assert calls, "a workflow calls curriculum commands"
    for call in calls:
        assert call[0] in COMMANDS, call
        _parser().parse_args(call)  # exits (SystemExit) on an unknown option
    for script in scripts:
        for line in script.splitlines():
            word = line.strip().split(" ")[0]
            if word.startswith("scripts/"):
                assert (REPO / word).exists(), word


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path):
    uses_lines = [(n, line) for n, line in enumerate(path.read_text().splitlines(), 1) if "uses:" in line]
    assert uses_lines
    for number, line in uses_lines:
        assert PINNED.match(line), (f"{path.name}:{number}: pin the action to a 40-hex commit SHA "
                                    f"with its version in a comment (`@<sha> # vX.Y.Z`): {line.strip()}")
    # the parsed YAML agrees with the lines read (no `uses` hidden in a flow mapping)
    assert len([s for _, s in steps(load(path)) if "uses" in s]) == len(uses_lines)


def test_each_action_has_one_pinned_version_across_workflows():
    versions: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if m := PINNED.match(line):
                versions.setdefault(m[1], set()).add((m[2], m[3]))
    assert versions
    assert {action: pins for action, pins in versions.items() if len(pins) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_permissions_are_least_privilege(path: Path):
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name}: set top-level `permissions: {{}}`"
    top = workflow["permissions"]
    assert isinstance(top, dict) and set(top.values()) <= {"read", "none"}, f"{path.name}: top-level {top}"
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        assert isinstance(granted, dict), f"{path.name}: job {name} has permissions {granted!r}"
        written = {scope for scope, level in granted.items() if level == "write"}
        assert written <= WRITE_PERMISSIONS.get((path.name, name), set()), f"{path.name}: job {name} writes {written}"
        if "pull_request" in triggers(workflow):
            assert not written, f"{path.name}: a pull-request job gets no write token"


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_no_dangerous_trigger(path: Path):
    assert not triggers(load(path)) & {"pull_request_target", "workflow_run"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_no_expression_inside_a_script(path: Path):
    for job, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: job {job}: pass the value through env: {step['run']}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_every_checkout_keeps_no_credentials(path: Path):
    checkouts = [(job, s) for job, s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for job, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: job {job}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_artifacts_hold_only_build_outputs(path: Path):
    for job, step in steps(load(path)):
        action = step.get("uses", "").split("@")[0]
        if action not in ("actions/upload-artifact", "actions/upload-pages-artifact"):
            continue
        options = step["with"]
        for entry in str(options["path"]).split():
            assert entry.startswith("build/") and ".." not in entry and ".git" not in entry, (
                f"{path.name}: job {job} uploads {entry!r}: only build/ outputs may leave the runner")
        assert options.get("include-hidden-files") is False, f"{path.name}: job {job}: include-hidden-files: false"


def test_zizmor_finds_nothing_in_the_workflows_and_dependabot_config():
    result = zizmor(REPO, "--pedantic", "--format", "json")  # code smells too, not only risks
    assert findings(result) == []
    assert result.returncode == 0, result.stderr
    audited = [*WORKFLOWS, REPO / ".github" / "dependabot.yml"]
    for path in audited:  # "nothing found" only counts if the file was read
        assert f"completed {path.relative_to(REPO).as_posix()}" in result.stderr, result.stderr


def test_zizmor_flags_an_injection_and_an_unpinned_action(tmp_path: Path):
    """The gate bites: the CI command fails on a workflow with both mistakes."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "name: bad\n"
        "on: pull_request\n"
        "permissions: {}\n"
        "jobs:\n"
        "  greet:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          persist-credentials: false\n"
        '      - run: echo "${{ github.head_ref }}"\n'
    )
    found = findings(zizmor(tmp_path, "--format", "json"))
    assert any(f.startswith(".github/workflows/bad.yml:11 template-injection") for f in found), found
    assert any(f.startswith(".github/workflows/bad.yml:8 unpinned-uses") for f in found), found
    assert zizmor(tmp_path, "--min-severity", "low").returncode != 0  # as .ci/run calls it

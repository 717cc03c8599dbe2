"""Attacks on the build's file handling and command line: ids that become paths, a failing or
interrupted build of several targets, stale temporary folders, and arguments that become
addresses, versions and folders."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curriculum import checks
from curriculum.cli import main
from curriculum.diagnostics import Report
from curriculum.errors import OlxBuildError, UsageError

from .helpers import edit, line_of, loaded, site_copy, tar_members


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes (folders as entries too)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def _stale(build: Path) -> list[str]:
    return sorted(p.name for p in build.glob(".*") if p.name.endswith((".tmp", ".old")))


def _one_line(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


# -- ids that become file names ----------------------------------------------------------------

ID_PATHS = [("run", 'run: "2026"', 'run: ".."'), ("org", "org: TSHS", 'org: "../x"'),
            ("course", "course: MINI101", 'course: "a/../../b"'),
            ("runs", 'run: "2026"', 'runs: {zh-TW: "../../escaped"}\nrun: "2026"')]


@pytest.mark.parametrize("key, old, new", ID_PATHS,
                         ids=[f"{k}: {n.split(chr(10))[0].split(': ', 1)[1]}" for k, _o, n in ID_PATHS])
def test_an_id_that_is_not_a_path_part(key: str, old: str, new: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`curriculum check` names the line (exit 1), and the loader gives the builders no curriculum."""
    root = site_copy(tmp_path / "curriculum")
    edit(root, "programme.yml", old, new)
    line = line_of(root, "programme.yml", new)
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"programme.yml:{line}:" in out and "[id-path]" in out, out
    report = Report()
    assert checks.check(root, report) is None, "a programme whose ids are not path parts must not load"


MODEL_IDS = [
    pytest.param("run", "..", id="run: .."),
    pytest.param("org", "../x", id="org: ../x"),
    pytest.param("course", "a/../../b", id="course: a/../../b"),
    pytest.param("runs", {"zh-TW": "../../escaped"}, id="runs: {zh-TW: ../../escaped}"),
]


@pytest.mark.parametrize("key, value", MODEL_IDS)
def test_the_export_writes_no_path_from_an_id(key: str, value: str, tmp_path: Path) -> None:
    """Even given a model holding such an id (the loader refuses it), the export refuses or writes
    only safe names inside its folder."""
    from curriculum.olx import build_olx

    root = site_copy(tmp_path / "curriculum")
    curriculum = loaded(root)
    setattr(curriculum.programme, key, value)
    before = {p for p in tmp_path.rglob("*")}
    out = root / "build" / "olx"
    try:
        build_olx(curriculum, out, languages=curriculum.programme.languages)
        built = True
    except (UsageError, ValueError):
        built = False
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p not in before)
    assert all(p == "curriculum/build" or p.startswith("curriculum/build/olx") for p in written), written
    if built:
        names = [m.split(":", 1)[1] for m in tar_members(out)]
        assert names, "no archive was written"
        assert [n for n in names if ".." in n.split("/") or n.startswith("/")] == []


# -- several targets: all or nothing -------------------------------------------------------------

@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A curriculum with a build/site from `curriculum build site` (copied by each test)."""
    root = site_copy(tmp_path_factory.mktemp("robust") / "curriculum")
    assert main(["build", "site", "--root", str(root)]) == 0
    return root


@pytest.fixture()
def project(built_site: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "curriculum"
    shutil.copytree(built_site, root, symlinks=True)
    return root


def test_a_failing_export_keeps_the_previous_outputs(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import curriculum.olx

    build = project / "build"
    before = _tree(build / "site")

    def failing(curriculum, dest_dir, languages, quiz_format="xblock"):
        dest_dir.mkdir(parents=True, exist_ok=True)
        (dest_dir / "half-written.tar.gz").write_bytes(b"partial")
        raise OlxBuildError("programme.yml", "the course image is missing")

    monkeypatch.setattr(curriculum.olx, "build_olx", failing)
    capsys.readouterr()
    assert main(["build", "--root", str(project)]) == 2
    lines = _one_line(capsys)
    assert len(lines) == 1 and "course image" in lines[0], lines
    assert _tree(build / "site") == before, "the old site changed although the build failed"
    assert sorted(p.name for p in build.iterdir()) == ["site"], "a new output was left beside the old site"
    assert _stale(build) == []


def test_stale_temporary_folders_are_removed(project: Path) -> None:
    build = project / "build"
    for name in (".site.abc.tmp", ".build.x.tmp", ".site.old"):
        (build / name / "lectures").mkdir(parents=True)
        (build / name / "lectures" / "left.html").write_text("left by a killed build", encoding="utf-8")
    assert main(["build", "site", "--root", str(project)]) == 0
    assert _stale(build) == []
    assert (build / "site" / "index.html").is_file()


def test_ctrl_c_leaves_the_old_site(project: Path) -> None:
    build = project / "build"
    before = _tree(build / "site")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-c", "from curriculum.cli import run; run()", "build", "site",
                                "--root", str(project)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               text=True)
    deadline = time.monotonic() + 120
    try:
        while not list(build.glob(".build.*.tmp/.site.*.tmp")):  # the site is being written
            assert process.poll() is None, f"the build ended before it could be interrupted: {process.communicate()}"
            assert time.monotonic() < deadline, "no temporary folder appeared"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    lines = [line for line in err.splitlines() if line.strip()]
    assert process.returncode == 130, err
    assert len(lines) == 1 and "interrupted" in lines[0], err
    assert _stale(build) == []
    assert _tree(build / "site") == before


# -- arguments that become addresses, versions and folders ---------------------------------------

ARGUMENTS = [
    ["serve", "--port", "70000"],
    ["serve", "--port", "0"],
    ["serve", "--host", "a b"],
    ["serve", "--host", "127.0.0.1/../x"],
    ["site-deploy", "../x"],
    ["site-deploy", "1.0.0", "--alias", "../../etc"],
    ["site-deploy", "1.0.0", "--alias", ".hidden"],
    ["site-deploy", "1.0.0", "--branch", "../main"],
    ["site-deploy", "1.0.0", "--branch=-delete"],
]


@pytest.mark.parametrize("argv", ARGUMENTS, ids=[" ".join(a) for a in ARGUMENTS])
def test_a_bad_argument_is_a_usage_error(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = site_copy(tmp_path / "curriculum")
    assert main([*argv, "--root", str(root)]) == 2
    lines = _one_line(capsys)
    assert len(lines) == 1 and lines[0].startswith("curriculum: "), lines
    assert not (root / "build").exists()

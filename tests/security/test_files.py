"""Files a pull request could add to leak the build machine's files or publish what no lecture
references: symbolic links, stray files, and SVGs that carry script."""

from __future__ import annotations

import os
import secrets
import shutil
import threading
from pathlib import Path

import pytest

from curriculum.cli import main
from curriculum.errors import UsageError

from .helpers import (
    all_files,
    build_olx_unchecked,
    build_site_unchecked,
    edit,
    files_holding,
    findings,
    line_of,
    site_copy,
    tar_members,
)

MODELS = "lectures/ai/ai-models.md"
BODY_END = "## Domain assessment"
PASSWD_LINE = Path("/etc/passwd").read_bytes().split(b"\n")[0]  # "root:x:0:0:..."


def _link(root: Path, markdown: str) -> None:
    """Add a line to ai-models.md's body."""
    edit(root, MODELS, BODY_END, f"{markdown}\n\n{BODY_END}")


def _secret(tmp_path: Path) -> tuple[Path, bytes]:
    """A file outside the curriculum (like .git/config or a deploy key) holding a unique token."""
    token = f"SECRET-{secrets.token_hex(8)}"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "config"
    secret.write_text(f"[remote]\n  token = {token}\n", encoding="utf-8")
    return secret, token.encode()


def _rules(root: Path) -> set[tuple[str, str, str]]:
    return {(d.path, d.rule, d.severity) for d in findings(root)}


def _build_both(root: Path) -> list[Path]:
    """Site and course export built with the check skipped; each may refuse (UsageError)."""
    built = []
    for build, out in ((build_site_unchecked, root / "build" / "site"), (build_olx_unchecked, root / "build" / "olx")):
        try:
            built.append(build(root, out))
        except UsageError:
            assert not out.exists(), "a refused build left its output"
    return built


# -- symbolic links --------------------------------------------------------------------------

def test_a_linked_image_symlink_to_etc_passwd(tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")
    os.symlink("/etc/passwd", root / "lectures/ai/leak.png")
    _link(root, "![Leak](leak.png)")
    assert ("lectures/ai/leak.png", "file-symlink", "error") in _rules(root)
    assert _build_both(root) == [], "a build published a lecture whose image is a link"
    assert files_holding(root / "build", PASSWD_LINE) == []
    assert [name for name in all_files(root / "build") if name.endswith("leak.png")] == []


@pytest.fixture()
def linked_tree(tmp_path: Path) -> tuple[Path, bytes]:
    """Symbolic links no lecture references: to /proc/self/environ, a secret lecture file outside
    the curriculum, the machine's root folder; and the fake secret's token."""
    root = site_copy(tmp_path / "curriculum")
    secret, token = _secret(tmp_path)
    os.symlink("/proc/self/environ", root / "lectures/ai/environ.png")
    os.symlink("/", root / "lectures/ai/up")
    # A listed lecture whose file is a link to the secret (written as a lecture, so it would load).
    lecture = (root / "lectures/ai/ai-draft.md").read_text(encoding="utf-8")
    secret.write_text(lecture + f"\nThe token is {token.decode()}.\n", encoding="utf-8")
    (root / "lectures/ai/ai-draft.md").unlink()
    os.symlink(secret, root / "lectures/ai/ai-draft.md")
    return root, token


@pytest.mark.parametrize("rel", ["lectures/ai/environ.png", "lectures/ai/up", "lectures/ai/ai-draft.md"])
def test_each_symlink_is_reported(rel: str, linked_tree: tuple[Path, bytes]) -> None:
    root, _token = linked_tree
    assert (rel, "file-symlink", "error") in _rules(root)


def test_the_check_does_not_walk_into_a_folder_link_to_root(linked_tree: tuple[Path, bytes]) -> None:
    root, _token = linked_tree
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(findings(root)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, "the check did not finish within 60 s (it walked into lectures/ai/up -> /)"


def test_no_byte_through_a_link_is_built(linked_tree: tuple[Path, bytes]) -> None:
    root, token = linked_tree
    built = _build_both(root)
    assert len(built) == 2, "the links are not referenced: both outputs build, without them"
    build = root / "build"
    assert files_holding(build, token) == []
    assert files_holding(build, f"HOME={os.environ.get('HOME', '/root')}".encode()) == []
    assert files_holding(build, PASSWD_LINE) == []
    names = all_files(build) + list(tar_members(build / "olx"))
    assert [n for n in names if "environ" in n or "/up/" in n or "passwd" in n] == []


def test_mkdocs_yml_as_a_symlink_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = site_copy(tmp_path / "curriculum")
    secret, token = _secret(tmp_path)
    shutil.copy2(root / "mkdocs.yml", secret)
    secret.write_text(secret.read_text(encoding="utf-8") + f"site_description: {token.decode()}\n", encoding="utf-8")
    (root / "mkdocs.yml").unlink()
    os.symlink(secret, root / "mkdocs.yml")
    code = main(["build", "site", "--root", str(root)])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "mkdocs.yml" in lines[0] and "symbolic link" in lines[0], lines
    assert not (root / "build" / "site").exists()
    with pytest.raises(UsageError, match="symbolic link"):
        build_site_unchecked(root, root / "build" / "site")
    assert files_holding(root / "build", token) == []


# -- stray files -----------------------------------------------------------------------------

STRAYS = {
    "lectures/ai/ai-models.md.orig": None,  # an editor's backup: the quiz with its correct answers
    "lectures/ai/notes.html": '<p>STRAY-HTML</p><script>window.__pwned=1</script>\n',
    "lectures/ai/unlinked.svg": '<svg xmlns="http://www.w3.org/2000/svg"><text>STRAY-SVG</text></svg>\n',
}


@pytest.fixture()
def stray_tree(tmp_path: Path) -> Path:
    root = site_copy(tmp_path / "curriculum")
    for rel, text in STRAYS.items():
        if text is None:
            text = (root / MODELS).read_text(encoding="utf-8").replace("SECRETPROMPT", "STRAY-ORIG")
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("rel", list(STRAYS))
def test_a_stray_file_is_reported_unpublished(rel: str, stray_tree: Path) -> None:
    assert (rel, "file-unpublished", "warning") in _rules(stray_tree)


def test_no_stray_file_is_published(stray_tree: Path) -> None:
    built = _build_both(stray_tree)
    assert len(built) == 2, "the site and the course export build beside unpublished files"
    build = stray_tree / "build"
    for marker in (b"STRAY-ORIG", b"STRAY-HTML", b"STRAY-SVG"):
        assert files_holding(build, marker) == [], marker
    names = all_files(build) + list(tar_members(build / "olx"))
    assert [n for n in names if n.endswith((".orig", "notes.html", "unlinked.svg", ".md"))] == []


def test_the_course_export_holds_no_correct_answer_of_a_stray_file(stray_tree: Path) -> None:
    build_olx_unchecked(stray_tree, stray_tree / "build" / "olx")
    members = tar_members(stray_tree / "build" / "olx")
    assert [m for m, data in members.items() if b"correct: true" in data] == []


# -- linked files ----------------------------------------------------------------------------

EVIL_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40"
     onload="window.__pwned=1">
  <script>window.__pwned=2</script>
  <foreignObject width="40" height="40"><div xmlns="http://www.w3.org/1999/xhtml">FOREIGN</div></foreignObject>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <a xlink:href="javascript:window.__pwned=3"><rect width="40" height="40" fill="teal"/></a>
  <rect width="10" height="10" style="fill:url(https://evil.example/paint)"/>
  <circle cx="20" cy="20" r="5" fill="navy"/>
</svg>
"""
SVG_ACTIVE = (b"<script", b"onload", b"foreignObject", b"FOREIGN", b"evil.example", b"javascript:", b"__pwned")


@pytest.fixture()
def svg_tree(tmp_path: Path) -> Path:
    root = site_copy(tmp_path / "curriculum")
    (root / "lectures/ai/chart.svg").write_text(EVIL_SVG, encoding="utf-8")
    _link(root, "![A chart](chart.svg)")
    return root


def test_a_linked_svg_with_script_is_reported(svg_tree: Path) -> None:
    line = line_of(svg_tree, MODELS, "![A chart](chart.svg)")
    found = [(d.path, d.line, d.rule) for d in findings(svg_tree)]
    assert (MODELS, line, "md-asset") in found, found


@pytest.mark.parametrize("target", ["site", "olx"])
def test_the_published_svg_is_clean(target: str, svg_tree: Path) -> None:
    if target == "site":
        site = build_site_unchecked(svg_tree, svg_tree / "build" / "site")
        published = [p.read_bytes() for p in site.rglob("*.svg") if p.name == "chart.svg"]
    else:
        members = tar_members(build_olx_unchecked(svg_tree, svg_tree / "build" / "olx"))
        published = [data for name, data in members.items() if name.endswith("chart.svg")]
    assert published, "the linked SVG was not published"
    for data in published:
        assert b"<circle" in data  # the drawing itself is kept
        assert [marker for marker in SVG_ACTIVE if marker in data] == []


@pytest.mark.parametrize("name, text", [("notes.txt", "STRAY-TXT\n"), ("page.html", "<p>STRAY-PAGE</p>\n")])
def test_a_linked_file_that_is_not_an_image_is_reported(name: str, text: str, tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")
    (root / "lectures/ai" / name).write_text(text, encoding="utf-8")
    _link(root, f"See [the file]({name}).")
    line = line_of(root, MODELS, f"[the file]({name})")
    found = [(d.path, d.line, d.rule) for d in findings(root)]
    assert (MODELS, line, "md-asset") in found, found
    assert _build_both(root) == [], "a build published a linked file that is not an image"
    assert files_holding(root / "build", text.strip().encode()) == []

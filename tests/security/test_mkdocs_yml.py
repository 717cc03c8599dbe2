"""mkdocs.yml is a file a pull request controls: each attack is refused by `curriculum build site`
with exit 2 and one line naming `mkdocs.yml:LINE`, before anything runs or is written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from curriculum.cli import main

from .helpers import edit, files_holding, loaded, site_copy

MARKER = "PWNED-MARKER"  # the file an attack would create (in the test's own folder)
SLUGIFY = "slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
QUIZ_FORMAT = "format: !!python/name:curriculum.site.quizfence.format"
TOC = "  - toc:\n      permalink: true\n"


@dataclass(frozen=True)
class Attack:
    name: str
    old: str  # text of the repository's mkdocs.yml ("" appends `new` at the end)
    new: str  # may hold {marker}
    needle: str  # on the line the message must name
    lecture: str | None = None  # a line added to a lecture's body


ATTACKS = [
    Attack("python object/apply os.system in toc slugify", SLUGIFY,
           "slugify: !!python/object/apply:os.system ['touch {marker}']", "os.system"),
    Attack("python name os.system as the quiz fence format", QUIZ_FORMAT, "format: !!python/name:os.system",
           "os.system"),
    Attack("python object/new subprocess.Popen", "", "site_author: !!python/object/new:subprocess.Popen "
           "[['touch', '{marker}']]\n", "subprocess.Popen"),
    Attack("hooks running a Python file", "", "hooks:\n  - evil.py\n", "hooks:"),
    Attack("!ENV reading the environment", "", "site_description: !ENV [HOME]\n", "site_description"),
    Attack("!relative reading the config folder", "", "site_description: !relative $config_dir\n",
           "site_description"),
    Attack("pymdownx.snippets with base_path /", "", "  - pymdownx.snippets:\n      base_path: ['/']\n",
           "pymdownx.snippets", lecture='--8<-- "/etc/passwd"'),
    Attack("base_path option in an allowed extension", "  - pymdownx.betterem\n",
           "  - pymdownx.betterem:\n      base_path: ['/']\n", "base_path"),
    Attack("pymdownx.b64 embedding files", "", "  - pymdownx.b64:\n      base_path: /etc\n", "pymdownx.b64"),
    Attack("a plugin other than search", "  - search ", "  - macros\n  - search ", "macros"),
    Attack("extra_javascript", "", "extra_javascript:\n  - https://evil.example/x.js\n", "extra_javascript"),
    Attack("extra_css", "", "extra_css:\n  - https://evil.example/x.css\n", "extra_css"),
    Attack("INHERIT another configuration", "", "INHERIT: /etc/mkdocs.yml\n", "INHERIT"),
    Attack("theme.custom_dir templates", "  font: false", "  custom_dir: overrides\n  font: false", "custom_dir"),
    Attack("extra.analytics", "  generator: false", "  generator: false\n  analytics:\n    provider: google\n"
           "    property: G-EVIL", "analytics"),
    Attack("copyright with <script>", "", "copyright: <script>window.__pwned=1</script>\n", "copyright"),
    Attack("toc title with <img onerror>", TOC, TOC + "      title: <img src=x onerror=alert(1)>\n", "title:"),
    Attack("a duplicate key", "use_directory_urls: true\n", "use_directory_urls: true\nuse_directory_urls: false\n",
           "use_directory_urls: false"),
    Attack("theme.font true (web fonts from another host)", "  font: false", "  font: true", "font: true"),
    Attack("an unknown top-level key", "", "dev_addr: 0.0.0.0:80\n", "dev_addr"),
]
LINE_XFAIL: dict[str, str] = {}  # every refusal names its line


def _write(root: Path, attack: Attack, marker: Path) -> int:
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    new = attack.new.replace("{marker}", str(marker))
    if attack.old:
        assert attack.old in text, attack.old
        text = text.replace(attack.old, new, 1)
    else:
        text = text.rstrip("\n") + "\n" + new
    path.write_text(text, encoding="utf-8")
    (root / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('hook ran')\n", encoding="utf-8")
    if attack.lecture:
        edit(root, "lectures/ai/ai-models.md", "## Domain assessment", f"{attack.lecture}\n\n## Domain assessment")
    index = text.find(attack.needle, text.find(new) if attack.old or not new else 0)
    assert index >= 0, attack.needle
    return text.count("\n", 0, index) + 1


def _build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["build", "site", "--root", str(root)])
    return code, [entry for entry in capsys.readouterr().err.splitlines() if entry.strip()]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_mkdocs_yml_attack_is_refused(attack: Attack, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2, one line naming mkdocs.yml, no code run, nothing built, nothing read."""
    root = site_copy(tmp_path / "curriculum")
    marker = tmp_path / MARKER
    _write(root, attack, marker)
    code, lines = _build(root, capsys)
    assert code == 2, lines
    assert len(lines) == 1 and lines[0].startswith("curriculum: mkdocs.yml"), lines
    assert not marker.exists(), "the attack ran code"
    assert not (root / "build" / "site").exists()
    build = root / "build"
    if build.exists():
        assert files_holding(build, Path("/etc/passwd").read_bytes().split(b"\n")[0]) == []
        assert files_holding(build, os.environ.get("HOME", "/root").encode()) == []


@pytest.mark.parametrize("attack", [pytest.param(a, id=a.name, marks=[pytest.mark.xfail(strict=True, reason=LINE_XFAIL[
    a.name])] if a.name in LINE_XFAIL else []) for a in ATTACKS])
def test_the_refusal_names_the_line(attack: Attack, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = site_copy(tmp_path / "curriculum")
    line = _write(root, attack, tmp_path / MARKER)
    code, lines = _build(root, capsys)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"curriculum: mkdocs.yml:{line}: "), lines


CODE_ATTACKS = [a for a in ATTACKS if "marker" in a.new or a.name.startswith(("hooks", "!ENV", "pymdownx.snippets"))]


@pytest.mark.parametrize("attack", CODE_ATTACKS, ids=[a.name for a in CODE_ATTACKS])
def test_the_course_export_reads_mkdocs_yml_as_data_too(attack: Attack, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = site_copy(tmp_path / "curriculum")
    marker = tmp_path / MARKER
    _write(root, attack, marker)
    code = main(["build", "olx", "--root", str(root)])
    lines = [entry for entry in capsys.readouterr().err.splitlines() if entry.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("curriculum: mkdocs.yml"), lines
    assert not marker.exists()
    assert not (root / "build" / "olx").exists()


@pytest.mark.parametrize("target", ["site", "olx"])
@pytest.mark.parametrize("attack", CODE_ATTACKS, ids=[a.name for a in CODE_ATTACKS])
def test_the_builders_refuse_it_with_the_check_skipped(attack: Attack, target: str, tmp_path: Path) -> None:
    """The curriculum is loaded while mkdocs.yml is clean; the builders then read it themselves."""
    from curriculum.errors import UsageError
    from curriculum.olx import build_olx
    from curriculum.site import build_site

    root = site_copy(tmp_path / "curriculum")
    curriculum = loaded(root)
    marker = tmp_path / MARKER
    _write(root, attack, marker)
    out = root / "build" / target
    with pytest.raises(UsageError, match="mkdocs.yml"):
        if target == "site":
            build_site(curriculum, out)
        else:
            build_olx(curriculum, out, languages=curriculum.programme.languages)
    assert not marker.exists()
    assert not out.exists()

"""The export's Markdown extensions: the site's mkdocs.yml read without running its Python tags,
or one default list when there is no mkdocs.yml."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.errors import ConfigError
from curriculum.markdown_extensions import DEFAULT_EXTENSIONS, extensions_for, new_markdown
from curriculum.olx import build_olx

REPO = Path(__file__).parent.parent


def test_the_sites_mkdocs_yml_is_read_with_its_python_tags_tolerated():
    extensions = extensions_for(REPO)
    assert extensions.source == "mkdocs.yml"
    assert "pymdownx.superfences" in extensions.names and "toc" in extensions.names
    # The site's quiz fence formatter is site code: left out, with the fence definition holding it.
    assert extensions.configs["pymdownx.superfences"].get("custom_fences", []) == []
    # pymdownx's own slugify is resolved, so Chinese headings keep their words in their ids.
    md = new_markdown(extensions)
    assert 'id="臨床決策支援"' in md.convert("## 臨床決策支援")


def test_python_names_outside_the_allow_list_are_refused_and_never_imported(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n"
        "  - toc:\n"
        "      permalink: true\n"
        "      slugify: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n"
        "  - admonition\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^mkdocs\.yml:4: .*os\.system is not allowed"):
        extensions_for(tmp_path)
    assert not (tmp_path / "pwned.txt").exists() and not Path("pwned.txt").exists()


def test_allowed_python_names_resolve(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: diagram\n"
        "          class: diagram\n"
        "          format: !!python/name:pymdownx.superfences.fence_div_format\n", encoding="utf-8")
    fences = extensions_for(tmp_path).configs["pymdownx.superfences"]["custom_fences"]
    assert [f["name"] for f in fences] == ["diagram"] and callable(fences[0]["format"])


def test_without_mkdocs_yml_the_default_list_applies(tmp_path: Path):
    extensions = extensions_for(tmp_path)
    assert extensions.source == "curriculum/markdown_extensions.py"
    assert len(extensions.names) == len(DEFAULT_EXTENSIONS)
    html = new_markdown(extensions).convert('!!! example "Worked case"\n    Body.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')
    assert 'class="admonition example"' in html and "<table>" in html


def test_an_unknown_extension_stops_the_build_with_the_file_named(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions:\n  - no_such_extension_here\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^mkdocs\.yml:2: the Markdown extension 'no_such_extension_here' is not allowed"):
        new_markdown(extensions_for(tmp_path))


def test_a_curriculum_without_mkdocs_yml_exports(mini: Path, tmp_path: Path):
    report = Report()
    curriculum = checks.check(mini, report)
    assert not report.errors
    archive = build_olx(curriculum, tmp_path / "olx", ["en"])[0]
    with tarfile.open(archive) as tar:
        html = tar.extractfile("course/html/text_ai-models.html").read().decode("utf-8")
    assert "Prediction models output scores" in html

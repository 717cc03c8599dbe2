"""Units made on every processor are exactly the units made in one process, errors included."""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.olx import OlxBuildError, build_olx, units
from curriculum.olx.content import Renderer

REPO = Path(__file__).parent.parent.parent

# Markdown whose output carries per-page counters (tabs, repeated headings) and abbreviations.
PAGE_STATE = ('\n\n=== "A"\n    one\n=== "B"\n    two\n\nText about *HTML*.\n\n'
              "*[HTML]: Hyper Text Markup\n\n## Heading\n\n## Heading\n\n- [x] done\n\n\\(a+b\\)\n")


def load(root: Path):
    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and not report.errors, report.sorted()[:5]
    return curriculum


def test_parallel_units_equal_serial_units(mini: Path, monkeypatch):
    for rel in ("lectures/ai/ai-models.md", "lectures/informatics/inf-intro.md"):
        path = mini / rel
        path.write_text(path.read_text(encoding="utf-8").replace("\n```quiz", PAGE_STATE + "\n```quiz", 1),
                        encoding="utf-8")
    curriculum = load(mini)
    for quiz_format in ("xblock", "capa"):
        serial = units.make_units(curriculum, ["en", "zh-TW"], quiz_format, Renderer(curriculum.root))
        monkeypatch.setattr(units, "PARALLEL_MIN_LECTURES", 1)  # two lectures: two worker processes
        parallel = units.make_units(curriculum, ["en", "zh-TW"], quiz_format, Renderer(curriculum.root))
        monkeypatch.undo()
        assert list(parallel) == list(serial) and parallel == serial
    html = serial[("inf-intro", "en")].html
    assert 'id="heading_1"' in html and '<abbr title="Hyper Text Markup">HTML</abbr>' in html


def test_an_error_in_a_worker_stops_the_build(mini: Path, tmp_path: Path, monkeypatch):
    curriculum = load(mini)
    lecture = curriculum.lectures["inf-intro"]
    lecture.body[0] += "\n\n![A chart](../../../outside.png)\n"  # past the checker, as a bug would
    monkeypatch.setattr(units, "PARALLEL_MIN_LECTURES", 1)
    out = tmp_path / "olx"
    with pytest.raises(OlxBuildError, match=r"^lectures/informatics/inf-intro\.md: \.\./\.\./\.\./outside\.png points "
                                            "outside the repository$"):
        build_olx(curriculum, out, ["en", "zh-TW"])
    assert not out.exists() or list(out.iterdir()) == []


def test_citations_link_exactly_as_the_site_links_them():
    """The export marks citations before Markdown runs and links them after, and leaves out the
    inline patterns a text gives nothing to (both faster); the result is the site's, on every
    lecture of the bundled curriculum and on the places a citation or a pattern can stand."""
    from curriculum.markdown_extensions import new_markdown
    from curriculum.olx.content import body_text, sanitize

    def site_html(text: str) -> str:  # every inline pattern in place
        site.reset()
        return site.convert(text)

    report = Report()
    curriculum = checks.check(REPO, report)
    renderer = Renderer(REPO)
    site = new_markdown(renderer.extensions, "curriculum.site.markdown_ext")
    texts = [body_text(lecture, translation) for lecture in curriculum.lectures.values()
             for translation in (None, *lecture.translations.values())]
    texts += ["## Results [1]\n\nSee `x[1]`, \\[2], ![chart [4]](img.png) and [5][6].\n\n```\ncode [7]\n```\n\n"
              "    indented [8]\n\n| a [1] | b |\n|---|---|\n| [2] | x |\n\n!!! note \"Title [3]\"\n    Body [4]\n",
              "No citation here.", "A mark \ue0001\ue001 the author typed, and [1].",
              "Plain *prose* and __more__ prose  \nafter a line break, \\(x^2\\) too.",
              "Code `x < y`, \\*not em\\*, &copy; &amp;, <b>bold</b>, <https://example.org>, a@b.org, [a link](x.md)."]
    assert len(texts) > 3
    for text in texts:
        # The site's extension also sanitizes; the export sanitizes each component after rendering.
        assert sanitize(renderer.render(text)) == site_html(text), text[:200]


def test_archives_made_in_parallel_equal_archives_made_alone(mini: Path, tmp_path: Path, monkeypatch):
    import hashlib

    curriculum = load(mini)
    alone = build_olx(curriculum, tmp_path / "alone", ["en", "zh-TW"], "capa")
    monkeypatch.setattr(units, "PARALLEL_MIN_LECTURES", 1)  # units and archives in worker processes
    parallel = build_olx(curriculum, tmp_path / "parallel", ["en", "zh-TW"], "capa")
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in parallel] == \
        [hashlib.sha256(p.read_bytes()).hexdigest() for p in alone]


def test_a_missing_course_image_stops_the_build_in_a_worker_too(mini: Path, tmp_path: Path, monkeypatch):
    programme = mini / "programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8") + "course_image: images/cover.png\n", encoding="utf-8")
    curriculum = load(mini)
    for threshold in (units.PARALLEL_MIN_LECTURES, 1):
        monkeypatch.setattr(units, "PARALLEL_MIN_LECTURES", threshold)
        out = tmp_path / f"olx-{threshold}"
        with pytest.raises(OlxBuildError, match=r"^programme\.yml: images/cover\.png does not exist$"):
            build_olx(curriculum, out, ["en", "zh-TW"])
        assert not out.exists() or list(out.iterdir()) == []

"""The shortcuts the site's rendering takes for speed produce what the long way produces.

Each shortcut is compared with the long way on the same text, with the site's own Markdown
extensions (the repository's mkdocs.yml): a citation's link text marked final, plain quiz text
rendered without a Markdown conversion, and the sanitizer's answer for text with no markup.
"""

from __future__ import annotations

import functools
import random
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from curriculum.checks import check
from curriculum.diagnostics import Report
from curriculum.markdown_extensions import extensions_for
from curriculum.publictext import quiz_texts
from curriculum.site import quizfence
from curriculum.site.markdown_ext import CitationProcessor, CurriculumExtension, link_citations
from curriculum_quiz import sanitize

ROOT = Path(__file__).resolve().parents[2]
SITE = extensions_for(ROOT)  # the repository's mkdocs.yml
TERMS = [{"anchor": "term-ai", "names": ["AI"], "title": "AI: artificial intelligence"}]


def site_markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=[*SITE.names, CurriculumExtension(terms=TERMS)],
                             extension_configs=SITE.configs)


def quiz_text_markdown() -> markdown.Markdown:
    """What a quiz text is rendered with on a lecture page (see quizfence.renderer_for)."""
    names = [name for name in SITE.names if name not in ("toc", "footnotes")]
    md = markdown.Markdown(extensions=names, extension_configs={k: v for k, v in SITE.configs.items() if k in names})
    link_citations(md)
    return md


# -- citations -------------------------------------------------------------------------------

CITING = [
    "Sepsis alerts fire too often [1]. AI helps [2][3], *sometimes* [1].\n\n## A heading [2]\n\n- a list [3]\n",
    "A reference link of the same name: [1].\n\n[1]: https://example.org/one\n",
    "An abbreviation of the same name: [1] and [2].\n\n*[1]: one\n",
    "Citations in **bold [1]**, in a [link [2]](x.md), in `code [3]`, escaped \\[4], before ( [5](y.md).\n",
    "!!! note \"Cited [1]\"\n    Inside an admonition [2].\n\n| a | b |\n|---|---|\n| [1] | [2] |\n",
]


# The long way also wrote an empty copy of a citation's link before a citation inside emphasis
# (Markdown processed its text twice there): a link without a name, now gone.
EMPTY_CITATION = re.compile(r'<a class="cmio-cite" href="#cmio-ref-\d+"></a>')


@pytest.mark.parametrize("text", CITING)
def test_a_final_citation_text_renders_the_page_unchanged(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    shortcut = site_markdown().convert(text)
    monkeypatch.setattr(CitationProcessor, "_final", lambda self, n: False)
    long = site_markdown().convert(text)
    if "**bold [1]**" in text:
        assert shortcut == EMPTY_CITATION.sub("", long) != long
    else:
        assert shortcut == long
    assert 'class="cmio-cite"' in shortcut


def test_a_citation_inside_emphasis_is_one_link() -> None:
    html = site_markdown().convert("In **bold [1]** and *emphasis [2]*.")
    assert html == ('<p>In <strong>bold <a class="cmio-cite" href="#cmio-ref-1">[1]</a></strong> and '
                    '<em>emphasis <a class="cmio-cite" href="#cmio-ref-2">[2]</a></em>.</p>')


def test_the_citation_text_is_final_only_where_nothing_after_it_could_change_it() -> None:
    md = site_markdown()
    md.convert("Cited [1].\n\n[2]: https://example.org\n\n*[3]: three\n")
    citation = md.inlinePatterns["cmio_citation"]
    assert citation._final("1")
    assert not citation._final("2")  # a shortcut reference [2] would link it
    assert not citation._final("3")  # the abbreviation would mark it
    smarty = markdown.Markdown(extensions=["smarty", CurriculumExtension()])  # an inline pattern not known inert
    smarty.convert("Cited [1].")
    assert not smarty.inlinePatterns["cmio_citation"]._final("1")


def test_a_page_rendered_by_mkdocs_takes_the_shortcut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs adds tree processors of its own to each page's Markdown: they leave the text alone."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Title\n\nAI cited [1] and **emphasised [2]**.\n", encoding="utf-8")
    config = load_config(config_file=None, site_name="x", docs_dir=str(docs), site_dir=str(tmp_path / "site"),
                         markdown_extensions=[*({name: SITE.configs.get(name, {})} for name in SITE.names),
                                              {"curriculum.site.markdown_ext": {"terms": TERMS}}])
    files = get_files(config)
    page = Page(None, files.documentation_pages()[0], config)
    page.read_source(config)
    answers: list[bool] = []
    final = CitationProcessor._final
    monkeypatch.setattr(CitationProcessor, "_final", lambda self, n: answers.append(final(self, n)) or answers[-1])
    page.render(config, files)
    assert answers == [True, True]
    assert page.content.split("\n")[1] == ('<p><a class="cmio-term" href="/glossary.md#term-ai" '
                            'title="AI: artificial intelligence">AI</a> cited <a class="cmio-cite" href="#cmio-ref-1">[1]'
                            '</a> and <strong>emphasised <a class="cmio-cite" href="#cmio-ref-2">[2]</a></strong>.</p>')


# -- plain quiz text -------------------------------------------------------------------------

def renderers() -> tuple[quizfence.TextRenderer, quizfence.TextRenderer]:
    short, long = quizfence.TextRenderer(quiz_text_markdown), quizfence.TextRenderer(quiz_text_markdown)
    long._plain_as_is = False
    assert short._plain_as_is
    return short, long


@functools.cache
def bundled_quiz_texts() -> list[str]:
    curriculum = check(ROOT, Report())
    texts = []
    for lecture in curriculum.lectures.values():
        quizzes = [quiz.data for quiz in lecture.quizzes]
        quizzes += [data for translation in lecture.translations.values() for data in translation.quizzes]
        texts += [text for quiz in quizzes for field, text in quiz_texts(quiz) if "answers" not in field]
    return texts


PIECES = [*"abcXYZ 019.,;:?!'\"()%/+-@é中文，。「」\ufeff", "  ", " - ", " 1. ", " + ", " : ", " # ", "http://x.org/a",
          " (c) ", "--", "...", "1/2", " *a* ", "_b_", "[1]", "<b>", "&amp;", "\\(x\\)", "\n", "\n- ", "\n: ",
          "\u00a0", "\t", "`c`", "{: .x}", "$"]


def test_plain_quiz_text_renders_as_the_markdown_conversion_does() -> None:
    short, long = renderers()
    rng = random.Random(7)
    texts = bundled_quiz_texts() + ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10)))
                                    for _ in range(5000)]
    plain = 0
    for text in texts:
        assert short.block(text) == long.block(text), text
        assert short.inline(text) == long.inline(text) and short.plain(text) == long.plain(text), text
        plain += bool(quizfence._PLAIN_PROSE.fullmatch(text.strip()))
    assert plain > 1000  # the shortcut was taken, for bundled texts too
    assert any(quizfence._PLAIN_PROSE.fullmatch(text.strip()) for text in bundled_quiz_texts())


def test_plain_prose_is_converted_where_an_extension_could_read_it() -> None:
    assert quizfence.reads_plain_prose_as_is(quiz_text_markdown())
    for extensions in (["smarty"], ["pymdownx.smartsymbols"], ["pymdownx.magiclink"], ["pymdownx.emoji"], ["toc"]):
        assert not quizfence.reads_plain_prose_as_is(markdown.Markdown(extensions=extensions)), extensions
    assert not quizfence.reads_plain_prose_as_is(site_markdown())  # it links glossary terms in prose
    glossary = markdown.Markdown(extensions=["abbr"], extension_configs={"abbr": {"glossary": {"HIS": "x"}}})
    assert not quizfence.reads_plain_prose_as_is(glossary)
    renderer = quizfence.TextRenderer(lambda: markdown.Markdown(extensions=["smarty"]))
    assert renderer.block("It's the clinician's call -- not the vendor's...") == \
        "<p>It\u2019s the clinician\u2019s call \u2013 not the vendor\u2019s\u2026</p>"  # smarty's, not as typed


# -- the sanitizer ---------------------------------------------------------------------------

def test_text_without_markup_is_what_the_cleaner_makes_of_it() -> None:
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(0x250)] + [*"中文。「」", "\ufeff", "\u2028", "\U0001f600", "\ufffd", "\uffff",
                                                   "\ue004", "\u200b", "<b>", "&amp;", "&lt;", "\r\n"]
    skipped = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert sanitize.clean(text) == sanitize._CLEANER.clean(text), repr(text)
        skipped += not sanitize._CLEANER_CHANGES.search(text)
    assert skipped > 1000
    for text in ("\ufeffBOM", "a\rb", "a\x00b", "x > y", "1\xa02", "<script>alert(1)</script>"):
        assert sanitize.clean(text) != text  # each goes through the cleaner, which changes it
    with pytest.raises(UnicodeEncodeError):
        sanitize.clean("lone \ud800 surrogate")  # refused as before

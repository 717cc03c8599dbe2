"""The site's Markdown extension (citations, glossary terms) and the page helpers, without MkDocs."""

from __future__ import annotations

import markdown

from curriculum.site.markdown_ext import CurriculumExtension
from curriculum.site.markup import md_text, page_url, quiz_fence, relative_url

TERMS = [
    {"anchor": "term-cmio", "names": ["Chief Medical Information Officer", "CMIO", "醫療資訊長"], "title": "CMIO: bridge"},
    {"anchor": "term-cio", "names": ["資訊長", "CIO"], "title": "CIO: runs IT"},
    {"anchor": "term-ai", "names": ["AI"], "title": "AI"},
]


def render(text: str, terms=TERMS) -> str:
    md = markdown.Markdown(extensions=[CurriculumExtension(terms=terms), "attr_list", "footnotes", "toc", "admonition"])
    return md.convert(text)


def test_citations_link_to_the_reference_list_as_the_checker_reads_them() -> None:
    html = render("One [1], two at once [2][3], not \\[4], not a link [5](x.md), not a footnote [^1].\n\n"
                  "[^1]: note\n\n`code [6]`")
    assert '<a class="cmio-cite" href="#cmio-ref-1">[1]</a>' in html
    assert '<a class="cmio-cite" href="#cmio-ref-2">[2]</a><a class="cmio-cite" href="#cmio-ref-3">[3]</a>' in html
    assert "cmio-ref-4" not in html and "cmio-ref-5" not in html and "cmio-ref-6" not in html
    assert '<a href="x.md">5</a>' in html


def test_first_occurrence_of_each_term_is_linked_outside_headings_links_and_code() -> None:
    html = render("# The CMIO\n\nThe CMIO and the CIO; the CMIO again. `CMIO` [CMIO](x.md) CMIOS AI-based AI.\n\n"
                  "這位醫療資訊長不是資訊長。")
    assert html.count('class="cmio-term"') == 3
    assert '<h1 id="the-cmio">The CMIO</h1>' in html
    assert '<a class="cmio-term" href="/glossary.md#term-cmio" title="CMIO: bridge">CMIO</a> and the ' \
           '<a class="cmio-term" href="/glossary.md#term-cio" title="CIO: runs IT">CIO</a>' in html
    assert "AI-based" in html and 'title="AI">AI</a>.' in html
    # Chinese names match inside Chinese text; the longest name wins where names overlap
    assert "這位醫療資訊長不是資訊長。" in html


def test_terms_inside_an_admonition_and_a_list() -> None:
    html = render('!!! note "A CMIO note"\n    The CIO decides.\n\n- AI in a list\n')
    assert '<p class="admonition-title">A CMIO note</p>' in html
    assert 'href="/glossary.md#term-cio"' in html and 'href="/glossary.md#term-ai"' in html


def test_md_text_shows_author_text_as_typed() -> None:
    for text in ("PPV (0.8) [1] *not em* $5 and $6 a|b", "- not a list", "12. not a list", "# not a heading",
                 "<script>alert(1)</script> & \\(x\\)"):
        html = markdown.markdown(md_text(text), extensions=["tables", "pymdownx.arithmatex", CurriculumExtension()])
        plain = html.removeprefix("<p>").removesuffix("</p>")
        import html as h
        assert h.unescape(plain) == text, (text, html)


def test_urls_and_relative_links() -> None:
    assert page_url("index.md", True) == "" and page_url("lectures/ai/index.md", True) == "lectures/ai/"
    assert page_url("lectures/ai/x.md", True) == "lectures/ai/x/" and page_url("lectures/ai/x.md", False) == \
        "lectures/ai/x.html"
    assert relative_url("lectures/ai/x/", "progress/") == "../lectures/ai/x/"
    assert relative_url("lectures/ai/x.html", "progress.html") == "lectures/ai/x.html"
    assert relative_url("", "") == "./"


def test_quiz_fence_cannot_be_closed_by_its_content() -> None:
    fence = quiz_fence({"id": "q", "prompt": "a ```` b"}, "    ")
    lines = fence.split("\n")
    assert lines[0] == "    `````quiz" and lines[2] == "    `````"
    assert lines[1].startswith('    {"id":"q"')


def test_english_terms_link_in_any_capitalisation_and_in_the_plural() -> None:
    terms = [{"anchor": "term-interop", "names": ["Interoperability"], "title": "I"},
             {"anchor": "term-cmio", "names": ["Chief Medical Information Officer", "CMIO"], "title": "C"},
             {"anchor": "term-ai", "names": ["AI"], "title": "A"}]
    html = render("Hospitals want interoperability. Two chief medical information officers met.", terms)
    assert '<a class="cmio-term" href="/glossary.md#term-interop" title="I">interoperability</a>' in html
    assert '<a class="cmio-term" href="/glossary.md#term-cmio" title="C">chief medical information officers</a>' in html
    assert 'title="C">CMIOs</a>' in render("The CMIOs met.", terms)
    # abbreviations only in capitals: "ai" in a word or in lower case is not the term
    assert "cmio-term" not in render("The ai of it, and Haiti.", terms)

"""The pages of one language's site, written as Markdown from the model, and its navigation.

    index.md                          home: the programme, its domains, how to use the site
    lectures/<domain>/index.md        a domain: modules, objectives, lectures with duration and status
    lectures/<domain>/<lecture>.md    a lecture (see lecture_page)
    glossary.md                       the bilingual glossary
    progress.md                       the trainee's progress (filled in by assets/progress.js)

Lectures keep their source folder, so relative links between lectures and to images work as
written. Both languages have every page: an untranslated lecture shows the original.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from curriculum_quiz.cjk import one_line
from curriculum_quiz.sanitize import title_text

from ..errors import SiteBuildError
from ..model import Curriculum, Domain, GlossaryTerm, Lecture, Module
from . import search, ui
from .lecture_page import lecture_markdown
from .markup import PipelineHtml, esc, md_inline, md_text, page_url, relative_url, slug


@dataclass
class Docs:
    language: str
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown
    sources: dict[str, str] = field(default_factory=dict)  # docs path -> source file it comes from
    nav: list = field(default_factory=list)
    pipeline: PipelineHtml = field(default_factory=PipelineHtml)  # the pipeline's own markup


def localized(value: dict[str, str], language: str, source: str) -> str:
    return value.get(language) or value.get(source) or next(iter(value.values()), "")


def lecture_path(lecture: Lecture) -> str:
    return f"lectures/{lecture.domain_id}/{lecture.id}.md"


def domain_path(domain: Domain) -> str:
    return f"lectures/{domain.id}/index.md"


def lecture_title(curriculum: Curriculum, lecture: Lecture, language: str) -> str:
    translation = lecture.translations.get(language) if language != curriculum.programme.source_language else None
    return translation.title if translation else lecture.title


def shown(lecture: Lecture, drafts: bool) -> bool:
    """Whether the site teaches `lecture`: published ones, and drafts in a preview. The others get
    a "coming soon" page with their objectives (links to them keep working), outside the
    navigation, the Next/Previous chain and the search index."""
    return lecture.status == "published" or (drafts and lecture.status == "draft")


def site_docs(curriculum: Curriculum, language: str, dates: dict[str, dt.date], use_directory_urls: bool,
              drafts: bool = False, links_from_source: bool = False) -> Docs:
    """Every page of one language's site. `links_from_source`: the engine (Zensical) rewrites links in
    the pipeline's own markup as it does Markdown links, from the page's source file; MkDocs leaves
    that markup as written, so its links are relative to the page's URL."""
    docs = Docs(language)
    source = curriculum.programme.source_language
    docs.pages["index.md"] = home(curriculum, language, docs.pipeline, drafts)
    docs.sources["index.md"] = curriculum.programme.path
    nav: list = [{ui.t(language, "home"): "index.md"}]
    for domain in curriculum.domains:
        path = domain_path(domain)
        docs.pages[path] = domain_page(curriculum, domain, language, use_directory_urls, docs.pipeline, drafts)
        docs.sources[path] = domain.path
        items: list = [path]
        for module in domain.modules:
            lectures = curriculum.lectures_of(module)
            if not lectures:
                continue
            entries = []
            for lecture in lectures:
                if lecture.id == "index":
                    raise SiteBuildError("a lecture cannot be called 'index': its page would replace the domain's "
                                         "overview; rename it", path=lecture.path)
                lpath = lecture_path(lecture)
                teach = shown(lecture, drafts)
                docs.pages[lpath], docs.sources[lpath] = lecture_markdown(curriculum, lecture, language, dates,
                                                                          docs.pipeline, coming_soon=not teach)
                if teach:
                    entries.append({title_text(lecture_title(curriculum, lecture, language)): lpath})
            if entries:
                items.append({title_text(localized(module.title, language, source)): entries})
        nav.append({title_text(localized(domain.title, language, source)): items})
    docs.pages["glossary.md"] = glossary_page(curriculum, language)
    docs.sources["glossary.md"] = "glossary.yml"
    docs.pages["progress.md"] = progress_page(curriculum, language, use_directory_urls, docs.pipeline, drafts,
                                              links_from_source)
    docs.sources["progress.md"] = "domains/"
    nav += [{ui.t(language, "glossary"): "glossary.md"}, {ui.t(language, "progress"): "progress.md"}]
    docs.nav = nav  # titles as inert plain text: Material prints nav titles unescaped
    return docs


# -- home ------------------------------------------------------------------------------------

def home(curriculum: Curriculum, language: str, pipeline: PipelineHtml, drafts: bool = False) -> str:
    programme = curriculum.programme
    source = programme.source_language
    # A page's heading is also its <title> where the navigation names it not: inert text.
    out = [f"# {md_text(title_text(localized(programme.title, language, source)))}", ""]
    if programme.summary:
        out += [md_text(localized(programme.summary, language, source)), ""]
    out += [pipeline(home_progress(curriculum, language, drafts)), ""]
    if programme.description:
        out += [_demote(localized(programme.description, language, source)).strip(), ""]
    out += [f"## {md_text(ui.t(language, 'domains'))} {{#cmio-domains}}", ""]
    for domain in curriculum.domains:
        lectures = [lec for m in domain.modules for lec in curriculum.lectures_of(m)]
        available = sum(1 for lec in lectures if shown(lec, drafts))
        out += [f"### [{md_text(localized(domain.title, language, source))}]({domain_path(domain)})", ""]
        if domain.summary:
            out += [md_text(localized(domain.summary, language, source)), ""]
        counts = ui.t(language, "domain_counts", modules=len(domain.modules), lectures=len(lectures), available=available)
        out += [f"*{md_text(counts)}*", ""]
    out += [f"## {md_text(ui.t(language, 'how_title'))} {{#cmio-how}}", "", ui.t(language, "how"), ""]
    return "\n".join(out)


def home_progress(curriculum: Curriculum, language: str, drafts: bool = False) -> str:
    """The home page's overall progress and Continue link, filled in by assets/progress.js from
    the lectures taught here (id → title and formative quiz ids). Hidden until the script runs."""
    lectures = {
        lecture.id: {"title": lecture_title(curriculum, lecture, language),
                     "quizzes": [q.id for q in lecture.quizzes if q.mode == "formative"]}
        for domain in curriculum.domains for module in domain.modules
        for lecture in curriculum.lectures_of(module) if shown(lecture, drafts)
    }
    strings = json.dumps(ui.HOME_JS[language], ensure_ascii=False).replace("<", "\\u003c")
    return (f'<section class="cmio-home-progress" id="cmio-home-progress" aria-labelledby="cmio-home-progress-title" '
            f'data-lectures="{esc(json.dumps(lectures, ensure_ascii=False))}" hidden>'
            f'<p class="cmio-home-progress__title" id="cmio-home-progress-title"><strong>'
            f'{esc(ui.t(language, "progress"))}</strong></p>'
            '<p class="cmio-home-progress__summary" id="cmio-home-progress-summary"></p>'
            '<progress aria-labelledby="cmio-home-progress-summary" max="1" value="0"></progress>'
            '<p class="cmio-home-progress__continue" hidden><a class="md-button md-button--primary" href="./"></a></p>'
            f'<script type="application/json" class="cmio-home-progress__strings">{strings}</script>'
            "</section>")


def _demote(markdown_text: str) -> str:
    """The programme description's headings one level down, under the page title."""
    return re.sub(r"(?m)^(#{1,5})(?=\s)", r"#\1", markdown_text.replace("\r\n", "\n"))


# -- domains ---------------------------------------------------------------------------------

def domain_page(curriculum: Curriculum, domain: Domain, language: str, use_directory_urls: bool,
                pipeline: PipelineHtml, drafts: bool = False) -> str:
    source = curriculum.programme.source_language
    out = [f"# {md_text(title_text(localized(domain.title, language, source)))}", ""]
    if domain.summary:
        out += [md_text(localized(domain.summary, language, source)), ""]
    for module in domain.modules:
        out += _module(curriculum, module, language, page_url(domain_path(domain), use_directory_urls),
                       lambda lecture: page_url(lecture_path(lecture), use_directory_urls), pipeline, drafts)
    return "\n".join(out)


def _module(curriculum: Curriculum, module: Module, language: str, here: str, url_of: Callable[[Lecture], str],
            pipeline: PipelineHtml, drafts: bool) -> list[str]:
    source = curriculum.programme.source_language
    out = [f"## {md_text(localized(module.title, language, source))} {{#{module.id}}}", ""]
    if module.summary:
        out += [md_text(localized(module.summary, language, source)), ""]
    lectures = curriculum.lectures_of(module)
    if not lectures:
        return out
    # The pipeline's own markup: its rows (titles, durations, status) are facts for the reader, not
    # text to search, so the search index leaves the table out (Material's data-search-exclude).
    rows = [f"<tr><th>{esc(ui.t(language, 'lecture'))}</th><th>{esc(ui.t(language, 'duration'))}</th>"
            f"<th>{esc(ui.t(language, 'status'))}</th></tr>"]
    for lecture in lectures:
        title = esc(one_line(lecture_title(curriculum, lecture, language)))
        teach = shown(lecture, drafts)
        status = esc(ui.status(language, lecture.status if teach else "outline"))
        if teach:  # coming soon: listed with its objectives below
            title = f'<a href="{esc(relative_url(url_of(lecture), here))}">{title}</a>'
        rows.append(f"<tr><td>{title}</td><td>{esc(ui.duration(language, lecture.duration))}</td><td>{status}</td></tr>")
    out += [pipeline(f'<div class="cmio-lectures" data-search-exclude><table>{"".join(rows)}</table></div>'), "",
            f"**{md_text(ui.t(language, 'module_objectives'))}**", ""]
    items = []
    for lecture in lectures:
        translation = lecture.translations.get(language) if language != source else None
        for oid, text in lecture.objectives.items():
            translated = translation.objectives.get(oid) if translation else None
            mark = f' lang="{esc(source)}"' if translated is None and language != source else ""
            items.append(f"<li{mark}>{esc(one_line(translated or text))}</li>")
    out += [f'<ul class="cmio-objectives">{"".join(items)}</ul>', ""]
    return out


# -- glossary --------------------------------------------------------------------------------

def glossary_entries(curriculum: Curriculum) -> list[tuple[str, GlossaryTerm]]:
    """(anchor, term) in English alphabetical order; the anchor is the same in both languages."""
    source = curriculum.programme.source_language
    entries: list[tuple[str, GlossaryTerm]] = []
    used: set[str] = set()
    for term in sorted(curriculum.glossary, key=lambda t: localized(t.term, source, source).casefold()):
        anchor = base = slug(localized(term.term, source, source), "term-")
        n = 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        entries.append((anchor, term))
    return entries


def glossary_page(curriculum: Curriculum, language: str) -> str:
    source = curriculum.programme.source_language
    out = [f"# {md_text(ui.t(language, 'glossary'))}", "", md_text(ui.t(language, "glossary_intro")), ""]
    entries = glossary_entries(curriculum)
    if language.startswith("zh"):
        # By the Chinese term, in radical-and-stroke order: the order of the CJK ideographs in
        # Unicode, which follows the Kangxi radicals and then the remaining strokes.
        entries.sort(key=lambda entry: localized(entry[1].term, language, source))
    if not entries:
        return "\n".join(out + [md_text(ui.t(language, "glossary_empty")), ""])
    out.append('<div class="cmio-glossary cmio-noterms" markdown>')
    out.append("")
    for anchor, term in entries:
        name = localized(term.term, language, source)
        out += [f"## {md_text(_with_abbr(name, term.abbr, language))} {{#{anchor}}}", ""]
        others = [(lang, text) for lang, text in term.term.items() if lang != language and text and text != name]
        for lang, text in others:
            out += [f'<p class="cmio-glossary__term" lang="{esc(lang)}">{esc(text)}</p>', ""]
        definition = localized(term.definition, language, source)
        if definition:
            out += [md_text(definition), ""]
        for lang, text in term.definition.items():
            if lang != language and text:
                out += [f'<p class="cmio-glossary__other" lang="{esc(lang)}">{esc(one_line(text))}</p>', ""]
        if term.source:
            out += [f'<p class="cmio-glossary__source">{esc(ui.t(language, "glossary_source"))}: '
                    f"{esc(term.source)}</p>", ""]
    out += ["</div>", ""]
    return "\n".join(out)


def _with_abbr(name: str, abbr: str | None, language: str) -> str:
    if not abbr or abbr == name:
        return name
    return f"{name}（{abbr}）" if language.startswith("zh") else f"{name} ({abbr})"


def glossary_terms(curriculum: Curriculum, language: str) -> list[dict[str, object]]:
    """The terms the Markdown extension links in this language's pages: {anchor, names, title}.
    Names are the term, its abbreviation, synonyms and irregular plural (GlossaryTerm.names); the
    Chinese site also matches the English names, for pages shown untranslated and English words
    in Chinese text (LLM, GenAI)."""
    source = curriculum.programme.source_language
    terms = []
    for anchor, term in glossary_entries(curriculum):
        names = term.names(language) + (term.names(source) if language != source else [])
        name = localized(term.term, language, source)
        definition = one_line(localized(term.definition, language, source))
        label = _with_abbr(name, term.abbr, language)
        title = f"{label}{'：' if language.startswith('zh') else ': '}{definition}" if definition else label
        terms.append({"anchor": anchor, "names": [n for n in names if n and len(n) > 1], "title": title})
    return terms


def jieba_words(curriculum: Curriculum) -> list[str]:
    """The words of jieba's user dictionary: from the glossary's Chinese terms, so that search
    finds each of them (see site/search.py)."""
    return search.dictionary_words(text for term in curriculum.glossary
                                   for language, text in term.term.items() if language.startswith("zh"))


# -- progress --------------------------------------------------------------------------------

def progress_page(curriculum: Curriculum, language: str, use_directory_urls: bool, pipeline: PipelineHtml,
                  drafts: bool = False, links_from_source: bool = False) -> str:
    source = curriculum.programme.source_language
    here = "progress.md" if links_from_source else page_url("progress.md", use_directory_urls)
    strings = json.dumps(ui.PROGRESS_JS[language], ensure_ascii=False).replace("<", "\\u003c")
    front = ["---", "search:", "  exclude: true", "---", "", f"# {md_text(ui.t(language, 'progress'))}", "",
             md_inline(ui.t(language, "progress_intro")), ""]
    # The pipeline's own markup, filled in by assets/progress.js.
    parts = [
        f'<div class="cmio-progress" id="cmio-progress" data-language="{esc(language)}">'
        f'<noscript><p class="cmio-progress__nojs">{esc(ui.t(language, "progress_nojs"))}</p></noscript>'
        '<div class="cmio-progress__actions">'
        f'<button type="button" class="md-button" data-action="export">{esc(ui.t(language, "progress_export"))}</button>'
        f'<label class="md-button cmio-progress__import">{esc(ui.t(language, "progress_import"))}'
        '<input type="file" accept=".json,application/json" data-action="import" class="cmio-sr"></label>'
        "</div>"
        '<p class="cmio-progress__status" role="status" aria-live="polite"></p>'
        f'<script type="application/json" class="cmio-progress__strings">{strings}</script>',
    ]
    for domain in curriculum.domains:
        modules = [(m, [lec for lec in curriculum.lectures_of(m) if shown(lec, drafts)]) for m in domain.modules]
        modules = [(m, lectures) for m, lectures in modules if lectures]
        if not modules:
            continue
        title = esc(localized(domain.title, language, source))
        parts.append(f'<section class="cmio-progress__domain" data-domain="{esc(domain.id)}" '
                     f'aria-labelledby="cmio-progress-{esc(domain.id)}">'
                     f'<h2 id="cmio-progress-{esc(domain.id)}">{title}</h2>'
                     '<p class="cmio-progress__summary" data-summary="domain"></p>')
        for module, lectures in modules:
            mtitle = esc(localized(module.title, language, source))
            parts.append(f'<div class="cmio-progress__module" data-module="{esc(module.id)}">'
                         f'<h3 id="cmio-progress-{esc(module.id)}">{mtitle}</h3>'
                         '<p class="cmio-progress__summary" data-summary="module"></p>'
                         f'<table aria-labelledby="cmio-progress-{esc(module.id)}"><thead><tr>'
                         f'<th scope="col">{esc(ui.t(language, "progress_lecture"))}</th>'
                         f'<th scope="col">{esc(ui.t(language, "progress_visited"))}</th>'
                         f'<th scope="col">{esc(ui.t(language, "progress_quiz"))}</th></tr></thead><tbody>')
            for lecture in lectures:
                quizzes = [{"id": q.id, "count": len(q.questions)} for q in lecture.quizzes if q.mode == "formative"]
                href = relative_url(page_url(lecture_path(lecture), use_directory_urls), here)
                parts.append(
                    f'<tr data-lecture="{esc(lecture.id)}" data-quizzes="{esc(json.dumps(quizzes))}">'
                    f'<th scope="row"><a href="{esc(href)}">{esc(lecture_title(curriculum, lecture, language))}</a></th>'
                    f'<td data-cell="visited">–</td>'
                    f'<td data-cell="quiz">{"–" if quizzes else esc(ui.t(language, "progress_none"))}</td></tr>')
            parts.append("</tbody></table></div>")
        parts.append("</section>")
    parts.append("</div>")
    return "\n".join(front) + "\n" + pipeline("\n".join(parts)) + "\n"

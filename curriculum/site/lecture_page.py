"""The Markdown of one lecture page in one site language, from the model.

Layout: the title; a header (`.cmio-lecture`, which carries the lecture id for progress.js)
with duration, version, last change, authors, competencies and status; notices (draft, outline,
not yet translated, outdated translation); the learning objectives; the body, whose quizzes are
written as ```quiz fences of JSON for curriculum.site.quizfence; the numbered references.
"""

from __future__ import annotations

import datetime as dt

from curriculum_quiz.cjk import one_line
from curriculum_quiz.sanitize import title_text

from ..model import Curriculum, Lecture, QuizPart, Translation
from . import ui
from .markup import PipelineHtml, esc, linkify, md_text, quiz_fence


def lecture_markdown(curriculum: Curriculum, lecture: Lecture, language: str,
                     dates: dict[str, dt.date], pipeline: PipelineHtml, coming_soon: bool = False) -> tuple[str, str]:
    """(page Markdown, the source file it comes from) for `lecture` on the `language` site. A
    lecture the site does not teach yet (an outline, or a draft outside a preview) is coming
    soon: its objectives only, kept out of search."""
    translation: Translation | None = None
    source = curriculum.programme.source_language
    if language != source:
        translation = lecture.translations.get(language)
    source_path = translation.path if translation else lecture.path
    title = translation.title if translation else lecture.title

    status = "outline" if coming_soon else lecture.status
    front = ["---", "search:", "  exclude: true", "---", ""] if coming_soon else []
    out = front + [f"# {md_text(title_text(title))}", "",
                   pipeline(_header(curriculum, lecture, language, dates.get(source_path), status)), ""]
    out += _notices(curriculum, lecture, language, translation, status)
    out += _objectives(lecture, language, source, translation)
    if coming_soon:
        return "\n".join(out) + "\n", source_path
    body = translation.body if translation else lecture.body
    text = _body(lecture, body, language).strip("\n")
    original = language != source and translation is None
    if text.strip() and original:  # shown untranslated: marked as the original's language
        out += [f'<div class="cmio-original" lang="{esc(source)}" markdown>', "", text, "", "</div>", ""]
    elif text.strip():
        out += [text, ""]
    references = translation.references if translation and translation.references is not None else lecture.references
    out += _references(references, language, source if original else None)
    return "\n".join(out) + "\n", source_path


def _header(curriculum: Curriculum, lecture: Lecture, language: str, changed: dt.date | None, status: str) -> str:
    facts = [(ui.t(language, "duration"), esc(ui.duration(language, lecture.duration))),
             (ui.t(language, "version"), esc(lecture.version))]
    if changed is not None:
        facts.append((ui.t(language, "last_change"),
                      f'<time datetime="{changed.isoformat()}">{esc(ui.date(language, changed))}</time>'))
    if lecture.authors:
        facts.append((ui.t(language, "authors"), esc(", ".join(lecture.authors))))
    if lecture.competencies:
        codes = []
        for code in lecture.competencies:
            framework = curriculum.programme.frameworks.get(code)
            if framework:
                codes.append(f'<abbr title="{esc(framework.title)} ({esc(framework.framework)})">{esc(code)}</abbr>')
            else:
                codes.append(esc(code))
        facts.append((ui.t(language, "competencies"), ", ".join(codes)))
    facts.append((ui.t(language, "status"),
                  f'<span class="cmio-status cmio-status--{esc(status)}">{esc(ui.status(language, status))}'
                  "</span>"))
    rows = "".join(f"<div><dt>{esc(label)}</dt><dd>{value}</dd></div>" for label, value in facts)
    return (f'<div class="cmio-lecture" data-lecture-id="{esc(lecture.id)}" data-lecture-version="{esc(lecture.version)}" '
            f'data-domain="{esc(lecture.domain_id)}" data-module="{esc(lecture.module_id or "")}">'
            f'<dl class="cmio-lecture__facts" data-search-exclude>{rows}</dl></div>')


def _admonition(kind: str, title: str, text: str) -> list[str]:
    return [f'!!! {kind} "{title.replace(chr(34), chr(39))}"', "", f"    {md_text(text)}", ""]


def _notices(curriculum: Curriculum, lecture: Lecture, language: str, translation: Translation | None,
             status: str) -> list[str]:
    out: list[str] = []
    if language != curriculum.programme.source_language:
        if translation is None:
            out += _admonition("warning cmio-untranslated", ui.t(language, "untranslated_title"),
                               ui.untranslated(language))
        elif translation.is_outdated(lecture):
            out += _admonition("info cmio-outdated", ui.t(language, "outdated_title"),
                               ui.outdated(language, translation.source_version, lecture.version))
    if status == "draft":
        out += _admonition("note cmio-draft", ui.t(language, "draft_title"), ui.t(language, "draft_text"))
    elif status == "outline":
        out += _admonition("info cmio-outline", ui.t(language, "outline_title"), ui.t(language, "outline_text"))
    return out


def _objectives(lecture: Lecture, language: str, source: str, translation: Translation | None) -> list[str]:
    """The objectives, each in the page's language where translated (else marked as the original's)."""
    items = []
    for oid, text in lecture.objectives.items():
        shown = translation.objectives.get(oid) if translation else None
        mark = f' lang="{esc(source)}"' if shown is None and language != source else ""
        items.append(f"<li{mark}>{esc(one_line(shown or text))}</li>")
    return [f"## {md_text(ui.t(language, 'objectives'))} {{#cmio-objectives}}", "",
            md_text(ui.t(language, "objectives_intro")), "", f'<ul class="cmio-objectives">{"".join(items)}</ul>', ""]


def _body(lecture: Lecture, body: list, language: str) -> str:
    parts: list[str] = []
    for part in body:
        if isinstance(part, QuizPart):
            parts.append(quiz_fence(quiz_data(lecture, part.index, language), part.indent))
        else:
            parts.append(part)
    return "\n".join(parts)


def quiz_data(lecture: Lecture, index: int, language: str) -> dict:
    """What the page holds of quiz `index`: a formative quiz whole (text of `language`,
    answers from the source); of a summative quiz only its id and number of questions."""
    quiz = lecture.quizzes[index]
    if quiz.mode == "summative":
        return {"id": quiz.id, "mode": "summative", "count": len(quiz.questions), "lecture": lecture.id,
                "language": language}
    return {**lecture.quiz_in(language, index), "lecture": lecture.id, "language": language}


def _references(references: list[str], language: str, original: str | None) -> list[str]:
    if not references:
        return []
    mark = f' lang="{esc(original)}"' if original else ""
    items = "".join(f'<li id="cmio-ref-{n}">{linkify(" ".join(str(ref).split()))}</li>'
                    for n, ref in enumerate(references, 1))
    return [f"## {md_text(ui.t(language, 'references'))} {{#cmio-references}}", "",
            f'<ol class="cmio-references"{mark}>{items}</ol>', ""]

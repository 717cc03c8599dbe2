"""Each lecture's unit in each language: the html component and the quiz components.

Making units is nearly all of an export's work (Markdown is pure Python), and one unit does not
depend on another, so a large curriculum is made on every processor: forked workers share the
loaded model and each renders with its own Markdown instance. The result is the same as made
in one process, in the same order, so two builds stay byte-identical.
"""

from __future__ import annotations

import concurrent.futures
import gc
import json
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree as ET

from curriculum_quiz.olx import quiz_xml
from curriculum_quiz.sanitize import plain_text

from ..model import Curriculum, Lecture
from . import capa, urlnames
from .content import Assets, Renderer, lecture_html
from .strings import t

T = TypeVar("T")
R = TypeVar("R")

# Below this many lectures per extra process, starting the process costs more than it saves.
PARALLEL_MIN_LECTURES = 40


@dataclass
class Unit:
    """A lecture's vertical in one language, before it takes its place in the course."""

    display_name: str
    html: str  # the html component's content
    quizzes: list[str]  # the component element of each quiz, by quiz index
    files: dict[str, bytes] = field(default_factory=dict)  # capa problem files, by path under course/
    static: dict[str, Path] = field(default_factory=dict)  # files for static/, by name


def quiz_title(curriculum: Curriculum, lecture: Lecture, index: int, language: str) -> str:
    """A quiz's display name in `language`'s course: the translation's title, or the interface's
    word for the kind of quiz where a translated lecture gives none (never the source's English)."""
    quiz = lecture.quizzes[index]
    fallback = t(language, "exam" if quiz.mode == "summative" else "quiz")
    translation = lecture.translations.get(language) if language != curriculum.programme.source_language else None
    if translation is not None:
        translated = translation.quizzes[index] if index < len(translation.quizzes) else None
        return (translated or {}).get("title") or fallback
    return quiz.data.get("title") or fallback


def make_unit(curriculum: Curriculum, lecture: Lecture, language: str, quiz_format: str, renderer: Renderer) -> Unit:
    source = curriculum.programme.source_language
    translation = lecture.translations.get(language) if language != source else None
    assets = Assets(curriculum.root)
    content = lecture_html(curriculum, lecture, language, renderer, assets)
    unit = Unit(translation.title if translation else lecture.title, content, [], static=assets.files)
    for index in range(len(lecture.quizzes)):
        name = quiz_title(curriculum, lecture, index, language)
        unit.quizzes.append(_quiz_component(lecture, index, language, quiz_format, renderer, unit.files, source, name))
    return unit


def _quiz_component(lecture: Lecture, index: int, language: str, quiz_format: str, renderer: Renderer,
                    files: dict[str, bytes], source: str, name: str) -> str:
    """The vertical's child element for quiz `index`: the XBlock inline, or a reference to a capa problem."""
    quiz = lecture.quiz_in(language, index)
    url_name = urlnames.quiz(quiz["id"])
    if quiz_format == "xblock":
        # `language` is the language of the quiz's text: the source's until the lecture is translated.
        text_language = language if language in lecture.translations else source
        attributes = {"url_name": url_name, "display_name": name, "lecture_id": lecture.id,
                      "lecture_version": lecture.version, "language": text_language}
        key = (json.dumps(quiz, ensure_ascii=False), *attributes.values())
        element = renderer.quiz_memo.get(key)
        if element is None:
            element = renderer.quiz_memo[key] = quiz_xml(quiz, **attributes)
        return element

    def text(markdown_text: str) -> str:
        return plain_text(renderer.render(markdown_text))

    problem = capa.problem_element(quiz, url_name, language, text, weight=None)
    del problem.attrib["url_name"]
    problem.set("display_name", name)
    files[f"problem/{url_name}.xml"] = (ET.tostring(problem, encoding="unicode") + "\n").encode("utf-8")
    return f'<problem url_name="{url_name}"/>'


def make_units(curriculum: Curriculum, languages: list[str], quiz_format: str,
               renderer: Renderer) -> dict[tuple[str, str], Unit]:
    """Every listed lecture's unit in every language, by (lecture id, language)."""
    lecture_ids = [i for module in curriculum.modules() for i in module.lecture_ids if i in curriculum.lectures]
    global _job
    _job = (curriculum, languages, quiz_format)
    try:
        workers = min(processors(), len(lecture_ids) // PARALLEL_MIN_LECTURES)
        done = fork_map(_units_in_worker, lecture_ids, workers, initializer=_start_worker,
                        chunksize=max(1, len(lecture_ids) // (max(workers, 1) * 8)))
    finally:
        _job = None
    if done is None:
        return {(i, language): make_unit(curriculum, curriculum.lectures[i], language, quiz_format, renderer)
                for i in lecture_ids for language in languages}
    return {(i, language): unit for i, units in zip(lecture_ids, done) for language, unit in zip(languages, units)}


def processors() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(fn: Callable[[T], R], items: list[T], workers: int, initializer: Callable[[], None] | None = None,
             chunksize: int = 1) -> list[R] | None:
    """`fn` over `items` in `workers` forked processes, in order; None when that is not worth it
    (fewer than two workers) or not possible (no fork on this system): then the caller works alone.

    Forked workers see the parent's memory as it is at the call: put what they need in module
    globals first."""
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the collector of a worker then neither walks nor copies the parent's objects
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=initializer) as pool:
            return list(pool.map(fn, items, chunksize=chunksize))
    finally:
        gc.unfreeze()


# What a forked worker works on (inherited from the parent), and its own renderer.
_job: tuple[Curriculum, list[str], str] | None = None
_worker_renderer: Renderer | None = None


def _start_worker() -> None:
    global _worker_renderer
    assert _job is not None
    _worker_renderer = Renderer(_job[0].root)


def _units_in_worker(lecture_id: str) -> list[Unit]:
    assert _job is not None and _worker_renderer is not None
    curriculum, languages, quiz_format = _job
    lecture = curriculum.lectures[lecture_id]
    return [make_unit(curriculum, lecture, language, quiz_format, _worker_renderer) for language in languages]

"""`curriculum build olx`: the Open edX course export, one .tar.gz per language.

Structure, as Studio exports it: course/course.xml → course/course/<run>.xml; a chapter per
domain; a sequential per module holding a vertical per lecture (an html component, then its
formative quizzes); after a module's lectures, a graded sequential (format "Quiz") per summative
quiz of that module. Quizzes are `curriculum_quiz` XBlocks (default) or capa problems.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

from ..gcpause import collector_paused
from ..model import Curriculum, Lecture, Module
from ..schema import PATH_PART
from . import units as lecture_units
from . import urlnames
from .content import Assets, OlxBuildError, Renderer, sanitize, static_bytes
from .strings import t
from .tarball import source_date_epoch, write_tar_gz
from .units import Unit, fork_map, make_units, processors, quiz_title

__all__ = ["build_olx", "OlxBuildError", "archive_name"]

DEFAULT_COURSE_IMAGE = Path(__file__).parent / "course_image.png"
# Course languages as Open edX lists them (its ALL_LANGUAGES): Traditional Chinese is zh_HANT.
LMS_LANGUAGE = {"en": "en", "zh-TW": "zh_HANT"}


def archive_name(curriculum: Curriculum, language: str) -> str:
    p = curriculum.programme
    return f"{p.org}-{p.course}-{p.run_of(language)}.tar.gz"


def build_olx(curriculum: Curriculum, dest_dir: Path, languages: list[str], quiz_format: str = "xblock") -> list[Path]:
    """Write one archive per language into `dest_dir`; all or none of them are replaced."""
    if quiz_format not in ("xblock", "capa"):
        raise ValueError(f"unknown quiz format {quiz_format!r}")
    with collector_paused():
        return _build(curriculum.taught(), Path(dest_dir), languages, quiz_format)


def _safe_ids(curriculum: Curriculum, languages: list[str]) -> None:
    """org, course and each run become archive and folder names: the check refuses unsafe ones, and
    the export refuses them too, so a model built without the check cannot write outside."""
    p = curriculum.programme
    for key, value in [("org", p.org), ("course", p.course), *(("run", p.run_of(lang)) for lang in languages)]:
        if not isinstance(value, str) or not PATH_PART.match(value):
            raise OlxBuildError(p.path, f"{key} {value!r} is not a safe name for the course's files")


def _build(curriculum: Curriculum, dest_dir: Path, languages: list[str], quiz_format: str) -> list[Path]:
    _safe_ids(curriculum, languages)
    renderer = Renderer(curriculum.root)
    _check_unique_ids(curriculum)
    units = make_units(curriculum, languages, quiz_format, renderer)
    mtime = source_date_epoch(curriculum.root)
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".olx-", dir=dest_dir) as tmp:
        global _archive_job
        jobs = [(language, Path(tmp) / archive_name(curriculum, language)) for language in languages]
        _archive_job = (curriculum, quiz_format, renderer, units, mtime)
        try:  # one process per language for a large course: Python assembles, zlib compresses
            large = len(curriculum.lectures) >= lecture_units.PARALLEL_MIN_LECTURES * 2
            if fork_map(_write_archive, jobs, min(len(jobs), processors()) if large else 1) is None:
                for job in jobs:
                    _write_archive(job)
        finally:
            _archive_job = None
        outputs = []
        for _, path in jobs:  # only after every archive was written
            final = dest_dir / path.name
            os.replace(path, final)
            outputs.append(final)
    return outputs


_archive_job: tuple[Curriculum, str, Renderer, dict[tuple[str, str], Unit], int] | None = None


def _write_archive(job: tuple[str, Path]) -> None:
    language, path = job
    assert _archive_job is not None
    curriculum, quiz_format, renderer, units, mtime = _archive_job
    files = course_files(curriculum, language, quiz_format, renderer, units)
    write_tar_gz({f"course/{name}": data for name, data in files.items()}, path, mtime)


class _Course:
    """The files of one course export, keyed by their path under course/."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def xml(self, path: str, element: ET.Element | str) -> None:
        text = element if isinstance(element, str) else ET.tostring(element, encoding="unicode")
        self.files[path] = (text + "\n").encode("utf-8")

    def text(self, path: str, text: str) -> None:
        self.files[path] = text.encode("utf-8")


def course_files(curriculum: Curriculum, language: str, quiz_format: str, renderer: Renderer,
                 units: dict[tuple[str, str], Unit]) -> dict[str, bytes]:
    p = curriculum.programme
    source = p.source_language
    course = _Course()
    assets = Assets(curriculum.root)

    def title(value: dict[str, str]) -> str:
        return value.get(language) or value.get(source, "")

    run = ET.Element("course")  # its settings live in policies/<run>/policy.json, as Studio exports them
    summative_count = 0
    for domain in curriculum.domains:
        ET.SubElement(run, "chapter", {"url_name": urlnames.chapter(domain.id)})
        chapter = ET.Element("chapter", {"display_name": title(domain.title)})
        for module in domain.modules:
            ET.SubElement(chapter, "sequential", {"url_name": urlnames.sequential(module.id)})
            exams = _module(curriculum, module, language, units, assets, course, title)
            for quiz_id in exams:
                ET.SubElement(chapter, "sequential", {"url_name": urlnames.exam_sequential(quiz_id)})
            summative_count += len(exams)
        course.xml(f"chapter/{urlnames.chapter(domain.id)}.xml", chapter)
    course.xml(f"course/{p.run_of(language)}.xml", run)
    course.xml("course.xml", ET.Element("course", {"url_name": p.run_of(language), "org": p.org, "course": p.course}))
    _policies(curriculum, language, quiz_format, summative_count, course, assets, title)
    _about(curriculum, language, renderer, course)
    for name, file in sorted(assets.files.items()):
        course.files[f"static/{name}"] = static_bytes(file)
    return course.files


def _module(curriculum: Curriculum, module: Module, language: str, units: dict[tuple[str, str], Unit],
            assets: Assets, course: _Course, title: Callable) -> list[str]:
    """Write the module's sequential and its lectures; return the ids of its summative quizzes."""
    sequential = ET.Element("sequential", {"display_name": title(module.title)})
    exams: list[tuple[Lecture, int]] = []
    for lecture in curriculum.lectures_of(module):
        unit = units[(lecture.id, language)]
        for name, file in sorted(unit.static.items()):
            assets.place(name, file, lecture.path)
        course.files.update(unit.files)
        summative = {i for i, quiz in enumerate(lecture.quizzes) if quiz.mode == "summative"}
        exams += [(lecture, i) for i in sorted(summative)]
        ET.SubElement(sequential, "vertical", {"url_name": urlnames.vertical(lecture.id)})
        components = [f'  <html url_name="{urlnames.html(lecture.id)}"/>']
        html_meta = ET.Element("html", {"filename": urlnames.html(lecture.id), "display_name": unit.display_name})
        course.xml(f"html/{urlnames.html(lecture.id)}.xml", html_meta)
        course.text(f"html/{urlnames.html(lecture.id)}.html", unit.html)
        components += [f"  {element}" for index, element in enumerate(unit.quizzes) if index not in summative]
        course.xml(f"vertical/{urlnames.vertical(lecture.id)}.xml",
                   f'<vertical display_name="{_attr(unit.display_name)}">\n' + "\n".join(components) + "\n</vertical>")
    course.xml(f"sequential/{urlnames.sequential(module.id)}.xml", sequential)
    for lecture, index in exams:
        quiz = lecture.quizzes[index]
        name = quiz_title(curriculum, lecture, index, language)
        exam = ET.Element("sequential", {"display_name": name, "graded": "true", "format": "Quiz"})
        ET.SubElement(exam, "vertical", {"url_name": urlnames.exam_vertical(quiz.id)})
        course.xml(f"sequential/{urlnames.exam_sequential(quiz.id)}.xml", exam)
        component = units[(lecture.id, language)].quizzes[index]
        course.xml(f"vertical/{urlnames.exam_vertical(quiz.id)}.xml",
                   f'<vertical display_name="{_attr(name)}">\n  {component}\n</vertical>')
    return [lecture.quizzes[index].id for lecture, index in exams]


def _check_unique_ids(curriculum: Curriculum) -> None:
    """url_names come from ids: two modules (the one kind the check does not compare) must differ."""
    seen: dict[str, str] = {}
    for domain in curriculum.domains:
        for module in domain.modules:
            if module.id in seen:
                raise OlxBuildError(domain.path, f"module id {module.id!r} is also used in {seen[module.id]}; "
                                    "module ids become url_names and must be unique")
            seen[module.id] = domain.path


def _attr(value: str) -> str:
    return html.escape(value, quote=True).replace("\n", "&#10;").replace("\t", "&#9;")


def _policies(curriculum: Curriculum, language: str, quiz_format: str, summative_count: int, course: _Course,
              assets: Assets, title: Callable) -> None:
    p = curriculum.programme
    if p.course_image:
        image = assets.add("programme.yml", p.course_image).removeprefix("/static/")
    else:
        image = assets.place(DEFAULT_COURSE_IMAGE.name, DEFAULT_COURSE_IMAGE, "programme.yml")
    settings = {
        "display_name": title(p.title),
        "language": LMS_LANGUAGE.get(language, language),
        "course_image": image,
        "advanced_modules": ["curriculum_quiz"] if quiz_format == "xblock" else [],
        "show_calculator": False,
    }
    if p.start:
        settings["start"] = f"{p.start.isoformat()}T00:00:00Z"
    if p.end:
        settings["end"] = f"{p.end.isoformat()}T00:00:00Z"
    policy = {f"course/{p.run_of(language)}": settings}
    # One assignment type, "Quiz", the format of the graded sequentials. Open edX and olxcleaner
    # want a non-empty GRADER with min_count >= 1, also while no quiz is summative yet.
    graders = [{"type": "Quiz", "short_label": "Quiz", "min_count": max(1, summative_count), "drop_count": 0,
                "weight": float(p.grading.get("quiz_weight", 1.0))}]
    grading = {
        "GRADER": graders,
        "GRADE_CUTOFFS": {"Pass": float(p.grading["pass"])},
    }
    course.text(f"policies/{p.run_of(language)}/policy.json",
                json.dumps(policy, ensure_ascii=False, indent=4, sort_keys=True) + "\n")
    course.text(f"policies/{p.run_of(language)}/grading_policy.json", json.dumps(grading, indent=4, sort_keys=True) + "\n")
    course.text("policies/assets.json", "{}\n")


def _about(curriculum: Curriculum, language: str, renderer: Renderer, course: _Course) -> None:
    p = curriculum.programme
    source = p.source_language
    description = p.description.get(language) or p.description.get(source) or p.summary.get(language) \
        or p.summary.get(source) or ""
    summary = p.summary.get(language) or p.summary.get(source) or ""
    overview = f"<section class=\"about\"><h2>{html.escape(t(language, 'overview'))}</h2>" \
               f"{renderer.render(description)}</section>"
    course.text("about/overview.html", sanitize(overview) + "\n")
    course.text("about/short_description.html", html.escape(" ".join(summary.split())) + "\n")

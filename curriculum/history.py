"""`curriculum check --against REF`: what a new release must not do to learners.

Lecture, quiz and question ids become Open edX url_names and keys of learner state; one that was
present at REF and is gone now loses trainees' progress and grades, unless programme.yml lists
it as `retired` (given up on purpose). A lecture whose content changed needs a higher version,
and a version never goes down.
"""

from __future__ import annotations

from . import gitrefs
from .diagnostics import Pos, Report
from .diff import content_key, version_went_down
from .model import Curriculum, Lecture


def ids_of(curriculum: Curriculum) -> dict[str, tuple[str, str]]:
    """Every learner-state id → (kind, where it lives), for lectures, quizzes and questions."""
    out: dict[str, tuple[str, str]] = {}
    for lecture in curriculum.lectures.values():
        out[f"lecture:{lecture.id}"] = ("lecture", lecture.path)
        for quiz in lecture.quizzes:
            out[f"quiz:{quiz.id}"] = ("quiz", lecture.path)
            for question in quiz.questions:
                out[f"question:{quiz.id}/{question['id']}"] = ("question", lecture.path)
    return out


def check_against(current: Curriculum, ref: str, report: Report) -> None:
    """Add history-* findings comparing `current` with the curriculum at git revision `ref`."""
    before, before_report = gitrefs.load_at(current.root, ref)
    if before is None:
        raise gitrefs.GitError(f"the curriculum at {ref} cannot be loaded: "
                               + "; ".join(d.text() for d in before_report.sorted()[:2]))
    retired = set(current.programme.retired)
    now = ids_of(current)
    for key, (kind, path) in ids_of(before).items():
        if key in now or _failed_to_load(current, kind, path):
            continue
        stable_id = key.split(":", 1)[1]
        short = stable_id.rsplit("/", 1)[-1]
        if stable_id in retired or short in retired:
            continue
        where, pos = _where(current, kind, stable_id, path)
        report.error(where, pos, "history-removed-id",
                     f"{kind} id {stable_id!r} existed at {ref} ({path}) and is gone: trainees' learner state "
                     "in the LMS would be lost; restore it, or list it under retired: in programme.yml")
    for lecture_id, lecture in current.lectures.items():
        old = before.lectures.get(lecture_id)
        if old is None:
            continue
        pos = lecture.source.front.value_pos["version"]
        if version_went_down(old.version, lecture.version):
            report.error(lecture.path, pos, "history-version-down",
                         f"version went down from {old.version} at {ref} to {lecture.version}")
        elif old.version == lecture.version and content_key(old) != content_key(lecture):
            report.error(lecture.path, pos, "history-unbumped",
                         f"the lecture changed since {ref} but its version is still {lecture.version}; bump it")


def _where(current: Curriculum, kind: str, stable_id: str, old_path: str) -> tuple[str, Pos | None]:
    """Point at the place the id went missing from: its quiz or lecture if still there, else programme.yml."""
    if kind == "question":
        quiz_id = stable_id.split("/", 1)[0]
        for lecture in current.lectures.values():
            for quiz in lecture.quizzes:
                if quiz.id == quiz_id:
                    return lecture.path, quiz.data.value_pos["questions"]
    lecture = _lecture_at(current, old_path)
    if kind == "quiz" and lecture is not None:
        return lecture.path, lecture.source.front.value_pos["id"]
    raw = current.programme.raw
    return current.programme.path, raw.value_pos["retired"] if "retired" in raw else Pos(1, 1)


def _failed_to_load(current: Curriculum, kind: str, path: str) -> bool:
    """The id's file is there but could not be read (the check reports why): not a removal."""
    lecture = _lecture_at(current, path)
    if lecture is None:
        return (current.root / path).is_file()
    return kind != "lecture" and lecture.invalid_quizzes > 0


def _lecture_at(current: Curriculum, path: str) -> Lecture | None:
    return next((lecture for lecture in current.lectures.values() if lecture.path == path), None)

"""The ``curriculum_quiz`` XBlock: a curriculum quiz, graded on the server, leak-free.

Content is one field, ``quiz``: the mapping a ```quiz fence defines. The quiz model
(:mod:`curriculum_quiz.model`) validates and grades it; :mod:`curriculum_quiz.presentation`
lays it out for each learner under opaque keys, so that nothing sent to the browser before the
learner's submission tells an answer.

Handlers: ``submit`` (grades), ``hint`` and ``studio_submit``. Errors are JSON objects
``{"error": message}`` with a 4xx status; a refused request changes no state.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from typing import Any

from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, Scope, String
from xblock.runtime import NullI18nService
from xblock.scorable import ScorableXBlockMixin, Score

from . import markup, model, olx, render
from .keys import KeyScheme
from .presentation import Presentation, ResponseError, answers_revealed
from .scenarios import workbench_scenarios as _workbench_scenarios
from .yaml_io import MAX_YAML_BYTES, YamlError, dump_quiz_yaml, load_quiz_yaml

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_STUDIO_BODY_BYTES = MAX_YAML_BYTES + 16 * 1024
ANONYMOUS_ID = "edx-platform.anonymous_user_id"
KEY_SECRET_SETTING = "KEY_SECRET"
_KEY_CONTEXT = b"curriculum_quiz keys v1"


def _(text: str) -> str:
    """Mark a string for translation; it is translated where it is shown."""
    return text


class HttpError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra

    def response(self) -> Response:
        headers = {"Allow": "POST"} if self.status == 405 else {}
        return json_response({"error": self.message, **self.extra}, status=self.status, headers=headers)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(body=json.dumps(data, ensure_ascii=False).encode("utf-8"), status=status,
                        content_type="application/json", charset="utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_json_object(request: Any, limit: int, fields: set[str]) -> dict[str, Any]:
    """The JSON object in a POST body, or :class:`HttpError` (405, 400) saying what is wrong."""
    if request.method != "POST":
        raise HttpError(405, "use POST")
    if request.content_length is not None and request.content_length > limit:
        raise HttpError(400, f"the request body is larger than {limit // 1024} KB")
    body = request.body
    if len(body) > limit:
        raise HttpError(400, f"the request body is larger than {limit // 1024} KB")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8 text") from None
    try:
        payload = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except RecursionError:
        raise HttpError(400, "the request body is not valid JSON: nested too deeply") from None
    except ValueError as err:
        raise HttpError(400, f"the request body is not valid JSON: {err}") from None
    if not isinstance(payload, dict):
        raise HttpError(400, f"the request body must be a JSON object, not {model.describe(payload)}")
    unknown = sorted(set(payload) - fields)
    if unknown:
        raise HttpError(400, f"unknown field(s) {', '.join(map(repr, unknown))}; expected {', '.join(sorted(fields))}")
    return payload


@XBlock.wants("i18n", "user", "settings")
class CurriculumQuizBlock(ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """A quiz of the CMIO curriculum, graded on the server."""

    icon_class = "problem"
    has_author_view = True

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Curriculum quiz",
                          help=_("The name shown in the course navigation."))
    quiz = Dict(display_name=_("Quiz"), scope=Scope.content, default={},
                help=_("The quiz, as its quiz fence in the lecture defines it."))
    lecture_id = String(display_name=_("Lecture"), scope=Scope.settings, default="",
                        help=_("Id of the curriculum lecture this quiz comes from (empty if made in Studio)."))
    lecture_version = String(display_name=_("Lecture version"), scope=Scope.settings, default="")
    language = String(display_name=_("Language"), scope=Scope.settings, default="",
                      help=_("Language of the quiz text, e.g. en or zh-TW."))
    weight = Float(display_name=_("Weight"), scope=Scope.settings, default=None,
                   help=_("Scales the raw score (number of questions) in the course grade; empty = unscaled."))

    attempts_used = Integer(scope=Scope.user_state, default=0)
    responses = Dict(scope=Scope.user_state, default={}, help="Last submitted responses, canonical, by question id.")
    scores = Dict(scope=Scope.user_state, default={}, help="Last scores in [0, 1] by question id.")
    raw_earned = Float(scope=Scope.user_state, default=None)
    completed = Boolean(scope=Scope.user_state, default=False)
    key_salt = String(scope=Scope.user_state, default="",
                      help="Learner key secret, used only where the server offers no secret.")

    # ------------------------------------------------------------------------------------------
    # Services and identities

    def _translator(self) -> Any:
        return self.runtime.service(self, "i18n") or NullI18nService()

    def _learner_id(self) -> str:
        user_service = self.runtime.service(self, "user")
        if user_service is not None:
            try:
                anonymous = user_service.get_current_user().opt_attrs.get(ANONYMOUS_ID)
            except NotImplementedError:
                anonymous = None
            if anonymous:
                return str(anonymous)
        anonymous = getattr(self.runtime, "anonymous_student_id", None)
        if anonymous:
            return str(anonymous)
        return str(self.scope_ids.user_id or "")

    def _server_secret(self) -> bytes | None:
        """The server's key secret: XBLOCK_SETTINGS["CurriculumQuizBlock"]["KEY_SECRET"], else
        Django's SECRET_KEY; None outside such a server."""
        settings_service = self.runtime.service(self, "settings")
        if settings_service is not None:
            bucket = settings_service.get_settings_bucket(self, default={}) or {}
            if bucket.get(KEY_SECRET_SETTING):
                return str(bucket[KEY_SECRET_SETTING]).encode("utf-8")
        try:
            from django.conf import settings as django_settings
            if django_settings.configured and getattr(django_settings, "SECRET_KEY", ""):
                return str(django_settings.SECRET_KEY).encode("utf-8")
        except ImportError:
            pass
        return None

    def _key_secret(self, create: bool) -> tuple[bytes, str | None]:
        """The secret for keys and order, and a new learner salt to store (if one had to be made).

        With no server secret, a random salt kept in the learner's state takes its place.
        """
        server = self._server_secret()
        if server is not None:
            material, new_salt = server, None
        elif self.key_salt:
            material, new_salt = b"salt:" + self.key_salt.encode("ascii"), None
        else:
            new_salt = secrets.token_hex(16)
            material = b"salt:" + new_salt.encode("ascii")
            if create:
                self.key_salt = new_salt
                self.save()
                new_salt = None
        return hmac.new(material, _KEY_CONTEXT, hashlib.sha256).digest(), new_salt

    def _presentation(self, quiz: dict[str, Any], secret: bytes) -> Presentation:
        return Presentation(quiz, KeyScheme(secret, str(self.scope_ids.usage_id), self._learner_id()))

    def _dom_prefix(self) -> str:
        return "cq-" + hashlib.sha256(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:12]

    def _valid_quiz(self) -> dict[str, Any] | None:
        quiz = self.quiz
        return None if model.validate_quiz(quiz) else quiz

    def _title(self, quiz: dict[str, Any] | None) -> str:
        title = (quiz or {}).get("title")
        return title if isinstance(title, str) and title else self.display_name

    def _resource(self, path: str) -> str:
        return self.runtime.local_resource_url(self, path)

    # ------------------------------------------------------------------------------------------
    # Views

    def student_view(self, context: dict | None = None) -> Fragment:
        tr = self._translator()
        quiz = self._valid_quiz()
        prefix = self._dom_prefix()
        frag = Fragment()
        frag.add_css_url(self._resource("public/css/curriculum_quiz.css"))
        if quiz is None:
            frag.add_content(render.unavailable_html(tr, prefix=prefix, title=self._title(self.quiz)))
            return frag
        secret, _salt = self._key_secret(create=True)
        pres = self._presentation(quiz, secret)
        settings = pres.settings
        submitted = self.attempts_used > 0
        responses = self.responses if submitted else {}
        prefill = {pq.id: pres.keyed(pq, responses[pq.id]) for pq in pres.questions
                   if responses.get(pq.id) is not None and not model.response_problem(pq.question, responses[pq.id])}
        locked = bool(settings["attempts"]) and self.attempts_used >= settings["attempts"]
        frag.add_content(render.student_html(
            pres, tr, prefix=prefix, language=self.language, title=self._title(quiz), prefill=prefill, locked=locked,
            attempts_text=render.attempts_line(tr, self.attempts_used, settings["attempts"])))
        frag.add_javascript_url(self._resource("public/js/curriculum_quiz.js"))
        frag.initialize_js("CurriculumQuizBlock", {
            "strings": render.js_strings(tr),
            "result": self._reply(pres, responses, tr) if submitted else None,
        })
        return frag

    def author_view(self, context: dict | None = None) -> Fragment:
        tr = self._translator()
        frag = Fragment(render.source_notice_html(tr, lecture_id=self.lecture_id, lecture_version=self.lecture_version,
                                                  language=self.language))
        student = self.student_view(context)
        frag.add_fragment_resources(student)
        frag.add_content(student.content)
        if student.js_init_fn:
            frag.initialize_js(student.js_init_fn, student.json_init_args)
        return frag

    def student_view_data(self, context: dict | None = None) -> dict[str, Any]:
        """Questions with keyed, shuffled choices, items and sides; never answers (also for mobile apps)."""
        quiz = self._valid_quiz()
        if quiz is None:
            return {"title": self._title(self.quiz), "questions": []}
        secret, _salt = self._key_secret(create=True)
        return self._presentation(quiz, secret).data()

    def studio_view(self, context: dict | None = None) -> Fragment:
        tr = self._translator()
        quiz = self.quiz
        problems = [format_problem(p) for p in model.validate_quiz(quiz)] if quiz else []
        notice = render.source_notice_html(tr, lecture_id=self.lecture_id, lecture_version=self.lecture_version,
                                           language=self.language)
        frag = Fragment(render.studio_html(tr, prefix=self._dom_prefix(), display_name=self.display_name,
                                           yaml_text=dump_quiz_yaml(quiz) if quiz else "", notice=notice,
                                           problems=problems))
        frag.add_css_url(self._resource("public/css/curriculum_quiz.css"))
        frag.add_javascript_url(self._resource("public/js/curriculum_quiz_studio.js"))
        frag.initialize_js("CurriculumQuizStudio", {"strings": render.studio_strings(tr)})
        return frag

    # ------------------------------------------------------------------------------------------
    # Grading

    def _reply(self, pres: Presentation, responses: dict[str, Any], tr: Any) -> dict[str, Any]:
        """The learner's graded result: per question, totals, attempts and what may be revealed."""
        settings = pres.settings
        allowed = settings["attempts"]
        # A stored response that no longer fits the question (its structure was edited) counts as none.
        usable = {pq.id: responses[pq.id] for pq in pres.questions
                  if responses.get(pq.id) is not None and not model.response_problem(pq.question, responses[pq.id])}
        scores = {pq.id: model.grade(pq.question, usable[pq.id]) if pq.id in usable else 0.0 for pq in pres.questions}
        earned = sum(scores.values())
        all_correct = all(model.is_correct(s) for s in scores.values())
        reveal = answers_revealed(settings["show_answer"], self.attempts_used, allowed, all_correct)
        return {
            "questions": {pq.id: pres.outcome(pq, usable.get(pq.id), scores[pq.id], reveal) for pq in pres.questions},
            "score": earned,
            "max_score": len(pres.questions),
            "message": render.score_line(tr, earned, len(pres.questions)),
            "attempts_used": self.attempts_used,
            "attempts_allowed": allowed,
            "attempts_remaining": max(0, allowed - self.attempts_used) if allowed else None,
            "attempts_text": render.attempts_line(tr, self.attempts_used, allowed),
            "finished": all_correct or (bool(allowed) and self.attempts_used >= allowed),
            "answers_revealed": reveal,
        }

    @staticmethod
    def _grade(question: Any, canonical: Any) -> float:
        """Score of a stored response under the current quiz; 0 if missing or no longer well formed."""
        if canonical is None or model.response_problem(question, canonical):
            return 0.0
        return model.grade(question, canonical)

    @XBlock.handler
    def submit(self, request: Any, suffix: str = "") -> Response:
        """Grade ``{"answers": {question_id: response}}``; see the module docstring of presentation."""
        tr = self._translator()
        try:
            payload = read_json_object(request, MAX_BODY_BYTES, {"answers"})
            if "answers" not in payload:
                raise HttpError(400, "the request body needs an 'answers' object")
            quiz = self._valid_quiz()
            if quiz is None:
                raise HttpError(409, tr.gettext("This quiz is not available yet. Please check back later."))
            allowed = model.settings(quiz)["attempts"]
            if allowed and self.attempts_used >= allowed:
                raise HttpError(403, tr.gettext("No attempts remain: you have used all {allowed}.").format(
                    allowed=allowed))
            secret, new_salt = self._key_secret(create=False)
            pres = self._presentation(quiz, secret)
            try:
                responses = pres.canonical(payload["answers"])
            except ResponseError as err:
                raise HttpError(400, str(err)) from None
            if not responses:
                raise HttpError(400, tr.gettext("Answer at least one question before submitting."))
        except HttpError as err:
            return err.response()

        # Valid: from here on, state changes.
        if new_salt:
            self.key_salt = new_salt
        self.attempts_used += 1
        self.responses = responses
        scores = {pq.id: self._grade(pq.question, responses.get(pq.id)) for pq in pres.questions}
        self.scores = scores
        score = Score(raw_earned=sum(scores.values()), raw_possible=float(len(pres.questions)))
        self.set_score(score)
        self.completed = True
        self._publish_grade(score)
        self.emit_completion(1.0)
        return json_response(self._reply(pres, responses, tr))

    @XBlock.handler
    def hint(self, request: Any, suffix: str = "") -> Response:
        """``{"question_id": id}`` → ``{"question_id": id, "hint": html}``."""
        try:
            payload = read_json_object(request, MAX_BODY_BYTES, {"question_id"})
            qid = payload.get("question_id")
            quiz = self._valid_quiz()
            if quiz is None:
                raise HttpError(409, "this quiz is not available")
            question = next((q for q in model.questions(quiz) if q["id"] == qid), None)
            if question is None:
                raise HttpError(400, f"unknown question id {qid!r}")
            if not question.get("hint"):
                raise HttpError(404, f"question {qid!r} has no hint")
        except HttpError as err:
            return err.response()
        return json_response({"question_id": qid, "hint": markup.html_block(question["hint"])})

    @XBlock.handler
    def studio_submit(self, request: Any, suffix: str = "") -> Response:
        """``{"yaml": text, "display_name": text}`` from the Studio editor; saves only a valid quiz."""
        try:
            payload = read_json_object(request, MAX_STUDIO_BODY_BYTES, {"yaml", "display_name"})
            text = payload.get("yaml")
            if not isinstance(text, str):
                raise HttpError(400, "'yaml' must be text")
            display_name = payload.get("display_name", self.display_name)
            if not isinstance(display_name, str):
                raise HttpError(400, "'display_name' must be text")
            try:
                quiz = load_quiz_yaml(text)
            except YamlError as err:
                raise HttpError(400, f"YAML: {err}", problems=[f"YAML: {err}"]) from None
            problems = model.validate_quiz(quiz)
            if problems:
                messages = [format_problem(p) for p in problems]
                raise HttpError(400, f"the quiz has {len(messages)} problem(s)", problems=messages)
        except HttpError as err:
            return err.response()
        self.quiz = quiz
        title = quiz.get("title")
        self.display_name = display_name.strip() or (title if isinstance(title, str) and title else self.display_name)
        return json_response({"result": "success"})

    # ------------------------------------------------------------------------------------------
    # Scoring (ScorableXBlockMixin) and completion

    def max_score(self) -> int:
        questions = self.quiz.get("questions")
        return len(questions) if isinstance(questions, list) else 0

    def has_submitted_answer(self) -> bool:
        return self.attempts_used > 0

    def get_score(self) -> Score:
        return Score(raw_earned=float(self.raw_earned or 0.0), raw_possible=float(self.max_score()))

    def set_score(self, score: Score) -> None:
        self.raw_earned = float(score.raw_earned)

    def calculate_score(self) -> Score:
        """The score of the learner's last responses under the current quiz (does not change state)."""
        quiz = self._valid_quiz()
        if quiz is None:
            raise ValueError(f"the quiz of {self.scope_ids.usage_id} has errors and cannot be graded")
        responses = self.responses
        earned = sum(self._grade(q, responses.get(q["id"])) for q in model.questions(quiz))
        return Score(raw_earned=earned, raw_possible=float(len(model.questions(quiz))))

    def rescore(self, only_if_higher: bool) -> None:
        """Regrade the last responses under the current quiz (e.g. after an answer-key fix) and
        publish the new grade; the stored score changes unless ``only_if_higher`` and not higher."""
        _ = self._translator().gettext
        if not self.allows_rescore():
            raise TypeError(_("Problem does not support rescoring: {}").format(self.scope_ids.usage_id))
        if not self.has_submitted_answer():
            raise ValueError(_("Cannot rescore unanswered problem: {}").format(self.scope_ids.usage_id))
        score = self.calculate_score()
        if not only_if_higher or score.raw_earned > (self.raw_earned or 0.0):
            quiz = self.quiz
            self.scores = {q["id"]: self._grade(q, self.responses.get(q["id"])) for q in model.questions(quiz)}
            self.set_score(score)
        self._publish_grade(score, only_if_higher)

    # ------------------------------------------------------------------------------------------
    # OLX

    @classmethod
    def parse_xml(cls, node: Any, runtime: Any, keys: Any) -> CurriculumQuizBlock:
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in olx.read_quiz_element(node).items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node: Any) -> None:
        attributes = {name: getattr(self, name) for name in olx.FIELD_ATTRIBUTES
                      if self.fields[name].is_set_on(self)}
        olx.fill_quiz_element(node, self.quiz, **attributes)

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        return _workbench_scenarios()


def format_problem(problem: model.Problem) -> str:
    """A model problem for people: its path (question numbers from 1) and message."""
    parts: list[str] = []
    path = list(problem.path)
    i = 0
    while i < len(path):
        step = path[i]
        if step == "questions" and i + 1 < len(path) and isinstance(path[i + 1], int):
            parts.append(f"question {path[i + 1] + 1}")
            i += 2
            continue
        parts.append(f"{step + 1}" if isinstance(step, int) else str(step))
        i += 1
    where = " › ".join(parts) if parts else "quiz"
    return f"{where}: {problem.message} [{problem.rule}]"

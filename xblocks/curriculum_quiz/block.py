"""The ``curriculum_quiz`` XBlock: a curriculum quiz, graded on the server, leak-free.

Content is one field, ``quiz``: the mapping a ```quiz fence defines. The quiz model
(:mod:`curriculum_quiz.model`) validates and grades it; :mod:`curriculum_quiz.presentation`
lays it out for each learner under opaque keys, so that nothing sent to the browser before the
learner's submission tells an answer.

Handlers: ``submit`` (grades), ``hint`` and ``studio_submit``. Errors are JSON objects
``{"error": message}`` with a 4xx status; a refused request changes no state and publishes no
event.

Operator settings, ``XBLOCK_SETTINGS["CurriculumQuizBlock"]``: ``KEY_SECRET`` (required in
production: it keys the opaque choice keys and the shuffle) and ``KEY_SECRETS_PREVIOUS`` (a list
of earlier secrets whose keys are still accepted, for rotation). See xblocks/README.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, Scope, String
from xblock.runtime import NullI18nService
from xblock.scorable import ScorableXBlockMixin, Score

from . import markup, model, olx, render, report
from .keys import KeyScheme
from .presentation import Presentation, ResponseError, answers_revealed
from .scenarios import workbench_scenarios as _workbench_scenarios
from .yaml_io import MAX_YAML_BYTES, YamlError, dump_quiz_yaml, load_quiz_yaml

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_STUDIO_BODY_BYTES = MAX_YAML_BYTES + 16 * 1024
# XBlockUser.opt_attrs keys the Open edX user service fills in.
ANONYMOUS_ID = "edx-platform.anonymous_user_id"
USER_ID = "edx-platform.user_id"
USER_IS_STAFF = "edx-platform.user_is_staff"
USER_ROLE = "edx-platform.user_role"
STAFF_ROLES = ("staff", "instructor", "administrator")
KEY_SECRET_SETTING = "KEY_SECRET"
PREVIOUS_SECRETS_SETTING = "KEY_SECRETS_PREVIOUS"
_KEY_CONTEXT = b"curriculum_quiz keys v1"
# A submission holds its lock at most this long (a crashed worker's lock expires by itself).
LOCK_SECONDS = 10
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_local_locks: set[str] = set()
_local_locks_guard = threading.Lock()
_warned_no_secret = False


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
        # ASCII escapes: an error message can always be sent, whatever text it quotes.
        body = json.dumps({"error": self.message, **self.extra}).encode("ascii")
        return json_body_response(body, status=self.status, headers=headers)


def encode_json(data: Any) -> bytes:
    """``data`` as UTF-8 JSON; raises :class:`HttpError` (400) for text UTF-8 cannot carry (a lone
    surrogate such as "\\ud800" that arrived \\u-escaped in a request)."""
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise HttpError(400, "the request holds text that is not valid Unicode (a lone surrogate)") from None


def json_body_response(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(body=body, status=status, content_type="application/json", charset="utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def json_response(data: Any, status: int = 200) -> Response:
    return json_body_response(encode_json(data), status=status)


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


@XBlock.wants("i18n", "user", "settings", "studio_user_permissions")
class CurriculumQuizBlock(ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """A quiz of the CMIO curriculum, graded on the server."""

    icon_class = "problem"
    has_author_view = True
    # Staff "view as a specific learner" may show this block; it is then rendered read-only.
    show_in_read_only_mode = True

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

    # The attempt counter has capa's name, so that the instructor dashboard's "reset attempts"
    # (which sets state["attempts"] = 0) and "delete learner state" work on this block.
    attempts = Integer(scope=Scope.user_state, default=0, help="Graded submissions used.")
    # Earlier releases counted under this name; _migrate_attempts moves it to `attempts`.
    attempts_used = Integer(scope=Scope.user_state, default=0, help="Deprecated: the old name of `attempts`.")
    responses = Dict(scope=Scope.user_state, default={}, help="Last submitted responses, canonical, by question id.")
    scores = Dict(scope=Scope.user_state, default={}, help="Last scores in [0, 1] by question id.")
    raw_earned = Float(scope=Scope.user_state, default=None)
    completed = Boolean(scope=Scope.user_state, default=False)
    key_salt = String(scope=Scope.user_state, default="",
                      help="Learner key secret, used only where the server offers no secret.")
    block_key_salt = String(scope=Scope.user_state_summary, default="",
                            help="Block key secret (student_view_data), used only where the server offers no secret.")

    # ------------------------------------------------------------------------------------------
    # Services and identities

    def _translator(self) -> Any:
        return self.runtime.service(self, "i18n") or NullI18nService()

    def _current_user(self) -> Any:
        """The XBlockUser of the request, or None where the runtime has no user service."""
        user_service = self.runtime.service(self, "user")
        if user_service is None:
            return None
        try:
            return user_service.get_current_user()
        except NotImplementedError:
            return None

    def _learner_id(self) -> str:
        user = self._current_user()
        anonymous = user.opt_attrs.get(ANONYMOUS_ID) if user is not None else None
        if anonymous:
            return str(anonymous)
        anonymous = getattr(self.runtime, "anonymous_student_id", None)
        if anonymous:
            return str(anonymous)
        return str(self.scope_ids.user_id or "")

    def _is_course_staff(self) -> bool:
        """Whether the person making this request is on the course team.

        How each Open edX runtime says so:

        * Studio (editing, where ``studio_submit`` is called): the ``studio_user_permissions``
          service, whose ``can_write(course_key)`` is Studio's own write-access check.
        * LMS and Studio preview: the ``user`` service's XBlockUser, whose ``opt_attrs`` carry
          ``edx-platform.user_is_staff`` (course Staff or Admin) and ``edx-platform.user_role``.
        * Older runtimes: the runtime attribute ``user_is_staff``.

        ``runtime.is_author_mode`` is not used: it tells where a block is shown, not who asks.
        Anything else, including a runtime that says nothing (the workbench), is not staff.
        """
        permissions = self.runtime.service(self, "studio_user_permissions")
        course_key = getattr(self.scope_ids.usage_id, "context_key", None)
        if permissions is not None and course_key is not None:
            return bool(permissions.can_write(course_key))
        user = self._current_user()
        if user is not None:
            attrs = user.opt_attrs
            if attrs.get(USER_IS_STAFF) is True or attrs.get(USER_ROLE) in STAFF_ROLES:
                return True
        return getattr(self.runtime, "user_is_staff", False) is True

    def _read_only(self) -> bool:
        """Staff viewing a learner's quiz ("view as a specific learner"): shown, never submitted.

        Detected as a user service naming a course-staff member other than the learner whose
        state this block holds (``scope_ids.user_id``).
        """
        user = self._current_user()
        if user is None:
            return False
        current = user.opt_attrs.get(USER_ID)
        learner = self.scope_ids.user_id
        if current is None or learner is None or str(current) == str(learner):
            return False
        return user.opt_attrs.get(USER_IS_STAFF) is True or user.opt_attrs.get(USER_ROLE) in STAFF_ROLES

    def _server_secrets(self) -> list[bytes]:
        """The server's key secrets, current first: XBLOCK_SETTINGS["CurriculumQuizBlock"]
        ["KEY_SECRET"] then its ["KEY_SECRETS_PREVIOUS"]; without them Django's SECRET_KEY (and
        SECRET_KEY_FALLBACKS); empty outside such a server."""
        global _warned_no_secret
        settings_service = self.runtime.service(self, "settings")
        bucket: dict[str, Any] = {}
        if settings_service is not None:
            bucket = settings_service.get_settings_bucket(self, default={}) or {}
        if bucket.get(KEY_SECRET_SETTING):
            previous = bucket.get(PREVIOUS_SECRETS_SETTING) or []
            if isinstance(previous, str):
                previous = [previous]
            return [str(secret).encode("utf-8") for secret in [bucket[KEY_SECRET_SETTING], *previous] if secret]
        try:
            from django.conf import settings as django_settings
            if django_settings.configured and getattr(django_settings, "SECRET_KEY", ""):
                if not _warned_no_secret:
                    _warned_no_secret = True
                    log.warning("curriculum_quiz: XBLOCK_SETTINGS['CurriculumQuizBlock']['KEY_SECRET'] is not set; "
                                "choice keys are derived from Django's SECRET_KEY")
                fallbacks = getattr(django_settings, "SECRET_KEY_FALLBACKS", None) or []
                return [str(secret).encode("utf-8") for secret in [django_settings.SECRET_KEY, *fallbacks] if secret]
        except ImportError:
            pass
        return []

    def _key_secrets(self, *, block: bool, create: bool) -> tuple[list[bytes], str | None]:
        """Secrets for keys and order (current first) and a new salt to store, if one had to be made.

        With no server secret, a random salt takes its place: kept in the learner's state for
        the learner's keys, in the block's shared state (user_state_summary) for block keys.
        """
        server = self._server_secrets()
        if server:
            materials, new_salt = server, None
        else:
            field = "block_key_salt" if block else "key_salt"
            salt, new_salt = getattr(self, field), None
            if not salt:
                salt = secrets.token_hex(16)
                if create:
                    setattr(self, field, salt)
                    self.save()
                else:
                    new_salt = salt
            materials = [b"salt:" + salt.encode("ascii")]
        return [hmac.new(m, _KEY_CONTEXT, hashlib.sha256).digest() for m in materials], new_salt

    def _presentations(self, quiz: dict[str, Any], *, block: bool, create: bool) -> tuple[list[Presentation],
                                                                                          str | None]:
        """The quiz under the current and every previous secret, for the learner or the block."""
        secrets_, new_salt = self._key_secrets(block=block, create=create)
        usage = str(self.scope_ids.usage_id)
        if block:
            schemes = [KeyScheme.for_block(secret, usage) for secret in secrets_]
        else:
            learner = self._learner_id()
            schemes = [KeyScheme(secret, usage, learner) for secret in secrets_]
        return [Presentation(quiz, scheme) for scheme in schemes], new_salt

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
    # Learner state: attempts

    def _migrate_attempts(self) -> bool:
        """Move a count saved under the old name ``attempts_used`` to ``attempts``; True if moved.

        An explicitly set ``attempts`` wins (the instructor dashboard may have reset it).
        """
        try:
            legacy = self.fields["attempts_used"].is_set_on(self)
        except Exception:  # noqa: BLE001 - a runtime without learner state (Studio) has nothing to migrate
            return False
        if not legacy:
            return False
        if not self.fields["attempts"].is_set_on(self):
            self.attempts = self.attempts_used
        del self.attempts_used
        return True

    def _attempts_made(self) -> int:
        if self.fields["attempts"].is_set_on(self) or not self.fields["attempts_used"].is_set_on(self):
            return self.attempts
        return self.attempts_used

    def _stored_attempts(self) -> int:
        """The attempt count in the runtime's storage now, not as this instance loaded it: another
        request may have saved an attempt since."""
        field_data = self._field_data
        for name in ("attempts", "attempts_used"):
            if field_data.has(self, name):
                value = field_data.get(self, name)
                return value if isinstance(value, int) and not isinstance(value, bool) else 0
        return 0

    def _lock_key(self) -> str:
        ident = f"{self.scope_ids.usage_id}\0{self.scope_ids.user_id}\0{self._learner_id()}".encode()
        return "curriculum_quiz:submit:" + hashlib.sha256(ident).hexdigest()

    @contextmanager
    def _submission_lock(self) -> Iterator[bool]:
        """A short lock on this learner's submissions to this block; yields whether it was taken.

        Capa relies on the attempt count it loaded; two submissions sent at once could then
        both pass the check. Here the second finds the lock taken (cache.add is atomic in the
        LMS's shared cache, memcached or Redis) and is refused; the holder re-reads the count
        from storage before grading. Without Django (ToyRuntime), a lock of this process.
        """
        key, token = self._lock_key(), secrets.token_hex(8)
        cache = _django_cache()
        if cache is not None:
            taken = bool(cache.add(key, token, LOCK_SECONDS))
            try:
                yield taken
            finally:
                if taken and cache.get(key) == token:
                    cache.delete(key)
            return
        with _local_locks_guard:
            taken = key not in _local_locks
            _local_locks.add(key)
        try:
            yield taken
        finally:
            if taken:
                with _local_locks_guard:
                    _local_locks.discard(key)

    # ------------------------------------------------------------------------------------------
    # Views

    @XBlock.supports("multi_device")
    def student_view(self, context: dict | None = None) -> Fragment:
        tr = self._translator()
        quiz = self._valid_quiz()
        prefix = self._dom_prefix()
        frag = Fragment()
        frag.add_css_url(self._resource("public/css/curriculum_quiz.css"))
        if quiz is None:
            frag.add_content(render.unavailable_html(tr, prefix=prefix, title=self._title(self.quiz)))
            return frag
        read_only = self._read_only()
        if not read_only and self._migrate_attempts():
            self.save()
        presentations, _salt = self._presentations(quiz, block=False, create=not read_only)
        pres = presentations[0]
        settings = pres.settings
        used = self._attempts_made()
        submitted = used > 0
        responses = self.responses if submitted else {}
        prefill = {pq.id: pres.keyed(pq, responses[pq.id]) for pq in pres.questions
                   if responses.get(pq.id) is not None and not model.response_problem(pq.question, responses[pq.id])}
        locked = read_only or (bool(settings["attempts"]) and used >= settings["attempts"])
        frag.add_content(render.student_html(
            pres, tr, prefix=prefix, language=self.language, title=self._title(quiz), prefill=prefill, locked=locked,
            attempts_text=render.attempts_line(tr, used, settings["attempts"]), read_only=read_only))
        frag.add_javascript_url(self._resource("public/js/curriculum_quiz.js"))
        frag.initialize_js("CurriculumQuizBlock", {
            "strings": render.js_strings(tr),
            "result": self._reply(pres, responses, tr, used) if submitted else None,
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
        """What the mobile apps receive (the Course Blocks API's ``student_view_data``).

        Depends on the block only, never on the learner: questions with prompts and the texts of
        choices, items and matching sides under the block's opaque keys, in the block's stable
        order; never answers, feedback or explanations. ``submit`` accepts these keys.
        """
        quiz = self._valid_quiz()
        if quiz is None:
            return {"title": self._title(self.quiz), "questions": []}
        presentations, _salt = self._presentations(quiz, block=True, create=True)
        return presentations[0].data()

    def studio_view(self, context: dict | None = None) -> Fragment:
        tr = self._translator()
        quiz = self.quiz
        problems = [format_problem(p) for p in model.validate_quiz(quiz)] if quiz else []
        notice = render.source_notice_html(tr, lecture_id=self.lecture_id, lecture_version=self.lecture_version,
                                           language=self.language)
        frag = Fragment(render.studio_html(tr, prefix=self._dom_prefix(), display_name=self.display_name,
                                           weight=self.weight, language=self.language,
                                           yaml_text=dump_quiz_yaml(quiz) if quiz else "", notice=notice,
                                           problems=problems))
        frag.add_css_url(self._resource("public/css/curriculum_quiz.css"))
        frag.add_javascript_url(self._resource("public/js/curriculum_quiz_studio.js"))
        frag.initialize_js("CurriculumQuizStudio", {"strings": render.studio_strings(tr)})
        return frag

    # ------------------------------------------------------------------------------------------
    # Grading

    def _reply(self, pres: Presentation, responses: dict[str, Any], tr: Any, used: int) -> dict[str, Any]:
        """The learner's graded result after ``used`` attempts: per question, totals, attempts and
        what may be revealed."""
        settings = pres.settings
        allowed = settings["attempts"]
        # A stored response that no longer fits the question (its structure was edited) counts as none.
        usable = {pq.id: responses[pq.id] for pq in pres.questions
                  if responses.get(pq.id) is not None and not model.response_problem(pq.question, responses[pq.id])}
        scores = {pq.id: model.grade(pq.question, usable[pq.id]) if pq.id in usable else 0.0 for pq in pres.questions}
        earned = sum(scores.values())
        all_correct = all(model.is_correct(s) for s in scores.values())
        reveal = answers_revealed(settings["show_answer"], used, allowed, all_correct)
        return {
            "questions": {pq.id: pres.outcome(pq, usable.get(pq.id), scores[pq.id], reveal) for pq in pres.questions},
            "score": earned,
            "max_score": len(pres.questions),
            "message": render.score_line(tr, earned, len(pres.questions)),
            "attempts_used": used,
            "attempts_allowed": allowed,
            "attempts_remaining": max(0, allowed - used) if allowed else None,
            "attempts_text": render.attempts_line(tr, used, allowed),
            "finished": all_correct or (bool(allowed) and used >= allowed),
            "answers_revealed": reveal,
        }

    @staticmethod
    def _grade(question: Any, canonical: Any) -> float:
        """Score of a stored response under the current quiz; 0 if missing or no longer well formed."""
        if canonical is None or model.response_problem(question, canonical):
            return 0.0
        return model.grade(question, canonical)

    @staticmethod
    def _canonical(presentations: list[Presentation], answers: Any) -> tuple[Presentation, dict[str, Any]]:
        """The responses of ``answers`` under the presentation that knows most of the keys they use
        (the first on a tie); raises :class:`ResponseError` as that presentation judges them.

        The learner's keys (HTML view), the block's keys (mobile apps) and those of previous
        secrets (pages opened before a rotation) are all accepted; the reply uses the same keys.
        """
        used = set(_strings_in(answers))
        pres = max(presentations, key=lambda p: len(used & p.known_keys()))
        return pres, pres.canonical(answers)

    @XBlock.handler
    def submit(self, request: Any, suffix: str = "") -> Response:
        """Grade ``{"answers": {question_id: response}, "keys": "learner" | "block"}``; see the module
        docstring of presentation. Choices, items and sides may be named by the learner's keys
        (the HTML view) or the block's (``student_view_data``); the reply uses the same ones.
        ``keys`` (optional) says which: a client of ``student_view_data`` sends ``"block"`` so that
        a reply to answers naming no key (true/false, numbers, text) still reveals in its keys.

        Everything is checked, graded and the reply encoded before any state changes; only then
        is the attempt saved and the grade published.
        """
        tr = self._translator()
        try:
            payload = read_json_object(request, MAX_BODY_BYTES, {"answers", "keys"})
            if "answers" not in payload:
                raise HttpError(400, "the request body needs an 'answers' object")
            space = payload.get("keys")
            if space not in (None, "learner", "block"):
                raise HttpError(400, "'keys' must be \"learner\" (the HTML view's keys) or \"block\" "
                                     "(student_view_data's keys)")
            quiz = self._valid_quiz()
            if quiz is None:
                raise HttpError(409, tr.gettext("This quiz is not available yet. Please check back later."))
            if self._read_only():
                raise HttpError(403, "this is a learner's quiz viewed by staff: it is read-only")
            with self._submission_lock() as taken:
                if not taken:
                    raise HttpError(409, tr.gettext(
                        "Another submission of this quiz is being graded. Please try again in a moment."))
                return self._grade_submission(quiz, payload["answers"], tr, space)
        except HttpError as err:
            return err.response()

    def _grade_submission(self, quiz: dict[str, Any], answers: Any, tr: Any, space: str | None) -> Response:
        """The part of ``submit`` that runs under the submission lock. ``space`` restricts the keys
        accepted to the learner's or the block's (None: either, the learner's first)."""
        used = max(self._stored_attempts(), self._attempts_made())
        allowed = model.settings(quiz)["attempts"]
        if allowed and used >= allowed:
            raise HttpError(403, tr.gettext("No attempts remain: you have used all {allowed}.").format(allowed=allowed))
        learner, new_salt = self._presentations(quiz, block=False, create=False)
        block, new_block_salt = self._presentations(quiz, block=True, create=False)
        try:
            candidates = learner if space == "learner" else block if space == "block" else learner + block
            pres, responses = self._canonical(candidates, answers)
        except ResponseError as err:
            raise HttpError(400, str(err)) from None
        if not responses:
            raise HttpError(400, tr.gettext("Answer at least one question before submitting."))
        used += 1
        scores = {pq.id: self._grade(pq.question, responses.get(pq.id)) for pq in pres.questions}
        score = Score(raw_earned=sum(scores.values()), raw_possible=float(len(pres.questions)))
        body = encode_json(self._reply(pres, responses, tr, used))

        # Valid and answerable: from here on, state changes. Saved before the grade is published,
        # so that a failure to publish never hands out an attempt that was not counted.
        if new_salt:
            self.key_salt = new_salt
        if new_block_salt:
            self.block_key_salt = new_block_salt
        self._migrate_attempts()
        self.attempts = used
        self.responses = responses
        self.scores = scores
        self.set_score(score)
        self.completed = True
        self.save()
        self._publish_grade(score)
        self.emit_completion(1.0)
        return json_body_response(body)

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
            return json_response({"question_id": qid, "hint": markup.html_block(question["hint"])})
        except HttpError as err:
            return err.response()

    @XBlock.handler
    def studio_submit(self, request: Any, suffix: str = "") -> Response:
        """``{"yaml", "display_name", "weight", "language"}`` from the Studio editor; course staff
        only (see :meth:`_is_course_staff`); saves nothing unless every field is valid."""
        try:
            payload = read_json_object(request, MAX_STUDIO_BODY_BYTES, {"yaml", "display_name", "weight", "language"})
            if not self._is_course_staff():
                raise HttpError(403, "only the course team may edit this quiz")
            text = payload.get("yaml")
            if not isinstance(text, str):
                raise HttpError(400, "'yaml' must be text")
            display_name = payload.get("display_name", self.display_name)
            language = payload.get("language", self.language)
            for name, value in (("yaml", text), ("display_name", display_name), ("language", language)):
                if not isinstance(value, str):
                    raise HttpError(400, f"'{name}' must be text")
                if not _valid_unicode(value):
                    raise HttpError(400, f"'{name}' holds text that is not valid Unicode (a lone surrogate)")
            language = language.strip()
            if language and not _LANGUAGE_TAG.fullmatch(language):
                raise HttpError(400, f"'language' must be a language tag such as en or zh-TW, not {language!r}")
            weight = _weight(payload.get("weight", self.weight))
            try:
                quiz = load_quiz_yaml(text)
            except YamlError as err:
                raise HttpError(400, f"YAML: {err}", problems=[f"YAML: {err}"]) from None
            problems = model.validate_quiz(quiz)
            if problems:
                messages = [format_problem(p) for p in problems]
                raise HttpError(400, f"the quiz has {len(messages)} problem(s): {messages[0]}", problems=messages)
            body = encode_json({"result": "success"})
        except HttpError as err:
            return err.response()
        self.quiz = quiz
        title = quiz.get("title")
        self.display_name = display_name.strip() or (title if isinstance(title, str) and title else self.display_name)
        self.language = language
        self.weight = weight
        return json_body_response(body)

    # ------------------------------------------------------------------------------------------
    # Scoring (ScorableXBlockMixin) and completion

    def max_score(self) -> int:
        questions = self.quiz.get("questions")
        return len(questions) if isinstance(questions, list) else 0

    def has_submitted_answer(self) -> bool:
        return self._attempts_made() > 0

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
    # Instructor reports

    def generate_report_data(self, user_state_iterator: Any, limit_responses: int | None = None) -> Iterator[
            tuple[str, dict[str, Any]]]:
        """Rows of the LMS "Problem responses" report: ``(username, row)`` for every learner and
        every question answered, with the columns of :data:`curriculum_quiz.report.COLUMNS`; at
        most ``limit_responses`` rows when given."""
        quiz = self._valid_quiz()
        if quiz is None or (limit_responses is not None and limit_responses <= 0):
            return
        count = 0
        for user_state in user_state_iterator:
            state = user_state.state or {}
            attempts = state.get("attempts", state.get("attempts_used", 0))
            responses = state.get("responses")
            scores = state.get("scores")
            for row in report.rows(quiz, responses if isinstance(responses, dict) else {},
                                   scores if isinstance(scores, dict) else {},
                                   attempts if isinstance(attempts, int) else 0, self.lecture_id, self.lecture_version):
                yield user_state.username, row
                count += 1
                if limit_responses is not None and count >= limit_responses:
                    return

    # ------------------------------------------------------------------------------------------
    # OLX

    @classmethod
    def parse_xml(cls, node: Any, runtime: Any, keys: Any) -> CurriculumQuizBlock:
        """A block from its ``<curriculum_quiz>`` element; a missing or invalid quiz is an import
        error naming the element's url_name, never an empty block."""
        url_name = node.get("url_name") or getattr(keys.usage_id, "block_id", None) or str(keys.usage_id)
        where = f"<{olx.TAG} url_name=\"{url_name}\">"
        try:
            values = olx.read_quiz_element(node)
        except olx.OlxError as err:
            raise olx.OlxError(f"{where}: {err}") from None
        if "quiz" not in values:
            raise olx.OlxError(f"{where}: the element holds no quiz (its text must be the quiz as JSON)")
        problems = model.validate_quiz(values["quiz"])
        if problems:
            listed = "; ".join(format_problem(p) for p in problems[:5])
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise olx.OlxError(f"{where}: the quiz is invalid: {listed}{more}")
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in values.items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node: Any) -> None:
        attributes = {name: getattr(self, name) for name in olx.FIELD_ATTRIBUTES
                      if self.fields[name].is_set_on(self)}
        olx.fill_quiz_element(node, self.quiz, **attributes)

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        return _workbench_scenarios()


def _strings_in(value: Any, depth: int = 0) -> Iterator[str]:
    """Every text in a submitted ``answers`` value (keys and values of objects, list items)."""
    if isinstance(value, str):
        yield value
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings_in(item, depth + 1)
    elif depth < 4 and isinstance(value, list):
        for item in value:
            yield from _strings_in(item, depth + 1)


def _django_cache() -> Any:
    """Django's default cache where Django is configured (the LMS, the workbench), else None."""
    try:
        from django.conf import settings as django_settings
        if not django_settings.configured:
            return None
        from django.core.cache import cache
    except ImportError:
        return None
    return cache


def _weight(value: Any) -> float | None:
    """A weight from the Studio editor: empty (unscaled) or a finite number ≥ 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise HttpError(400, f"'weight' must be a number ≥ 0 or empty, not {value!r}") from None
    if not model.is_number(value) or value < 0:
        raise HttpError(400, "'weight' must be a finite number ≥ 0 or empty")
    return float(value)


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

"""Test runtime: xblock-sdk's WorkbenchRuntime with the services the Open edX LMS gives blocks.

Blocks run in the real workbench runtime (field data, handlers, rendering, saving). The runtime
is given what the LMS provides and the workbench does not: a per-learner anonymous id through
the user service, an i18n service that loads the block's own ``translations/<locale>/
LC_MESSAGES/text.mo`` for the active Django language (as edx-platform's XBlock i18n service
does), in-memory field storage, and a record of published events.
"""

from __future__ import annotations

import copy
import gettext
import html
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz_test_settings")
django.setup()

from django.utils import translation  # noqa: E402
from webob import Request  # noqa: E402
from workbench.runtime import WorkbenchRuntime  # noqa: E402
from xblock.fields import ScopeIds  # noqa: E402
from xblock.reference.user_service import UserService, XBlockUser  # noqa: E402
from xblock.runtime import DictKeyValueStore, KvsFieldData  # noqa: E402

from curriculum_quiz.block import CurriculumQuizBlock  # noqa: E402

BLOCK_TYPE = "curriculum_quiz"


class LearnerService(UserService):
    """The LMS user service: ``staff`` sets what Open edX sets for a course Staff member."""

    def __init__(self, user_id: str, anonymous_id: str, staff: bool = False) -> None:
        user = XBlockUser(is_current_user=True, full_name=f"Learner {user_id}")
        user.opt_attrs["edx-platform.user_id"] = user_id
        user.opt_attrs["edx-platform.anonymous_user_id"] = anonymous_id
        user.opt_attrs["edx-platform.user_is_staff"] = staff
        user.opt_attrs["edx-platform.user_role"] = "staff" if staff else "student"
        super().__init__(user=user)

    def get_current_user(self) -> XBlockUser:
        return self._user


class BlockI18nService:
    """What edx-platform's XBlockI18nService does: for the active Django language, the block's
    catalogue delivered by ``atlas pull`` (``<atlas_root>/<module>/<locale>/LC_MESSAGES/
    django.mo``) if that folder exists, else the package's own ``translations/<locale>/
    LC_MESSAGES/text.mo``; Django's translation when neither has the locale."""

    atlas_root: Path | None = None  # edx-platform's conf/plugins-locale/xblock.v1

    def __init__(self, block: Any) -> None:
        block_class = getattr(block, "unmixed_class", type(block))
        root_module = block_class.__module__.split(".")[0]
        module = __import__(root_module)
        atlas = self.atlas_root / root_module if self.atlas_root is not None else None
        if atlas is not None and atlas.is_dir():
            domain, localedir = "django", atlas
        else:
            domain, localedir = "text", Path(module.__file__).parent / "translations"
        self.domain, self.localedir = domain, localedir
        locale = translation.to_locale(translation.get_language() or "en")
        try:
            self.translator: Any = gettext.translation(domain, str(localedir), [locale])
        except OSError:
            self.translator = translation

    def __getattr__(self, name: str) -> Any:
        return getattr(self.translator, name)


class QuizRuntime(WorkbenchRuntime):
    def __init__(self, user_id: str = "learner-1", store: DictKeyValueStore | None = None) -> None:
        super().__init__(user_id=user_id)
        self.store = store if store is not None else DictKeyValueStore()
        self._services["field-data"] = KvsFieldData(self.store)
        self._services["user"] = LearnerService(user_id, f"anon-{user_id}")
        self.events: list[tuple[str, dict]] = []

    def service(self, block: Any, service_name: str) -> Any:
        service = super().service(block, service_name)
        if service_name == "i18n":
            return BlockI18nService(block)
        return service

    def publish(self, block: Any, event_type: str, event_data: dict) -> None:
        super().publish(block, event_type, event_data)
        self.events.append((event_type, copy.deepcopy(event_data)))

    def grades(self) -> list[dict]:
        return [data for kind, data in self.events if kind == "grade"]


class Course:
    """Blocks of one course: content shared, one runtime per learner."""

    def __init__(self) -> None:
        self.store = DictKeyValueStore()
        self.runtimes: dict[str, QuizRuntime] = {}
        self._ids = QuizRuntime(store=self.store).id_generator

    def runtime(self, learner: str) -> QuizRuntime:
        if learner not in self.runtimes:
            self.runtimes[learner] = QuizRuntime(user_id=learner, store=self.store)
        return self.runtimes[learner]

    def new_usage(self) -> tuple[str, str]:
        def_id = self._ids.create_definition(BLOCK_TYPE)
        return def_id, self._ids.create_usage(def_id)

    def block(self, usage: tuple[str, str], learner: str = "learner-1") -> CurriculumQuizBlock:
        def_id, usage_id = usage
        runtime = self.runtime(learner)
        return runtime.construct_xblock_from_class(CurriculumQuizBlock, ScopeIds(learner, BLOCK_TYPE, def_id, usage_id))

    def add(self, quiz: dict, learner: str = "learner-1", **fields: Any) -> CurriculumQuizBlock:
        block = self.block(self.new_usage(), learner)
        block.quiz = copy.deepcopy(quiz)
        for name, value in fields.items():
            setattr(block, name, value)
        block.save()
        return block

    def as_learner(self, block: CurriculumQuizBlock, learner: str) -> CurriculumQuizBlock:
        return self.block((block.scope_ids.def_id, block.scope_ids.usage_id), learner)


def post(block: CurriculumQuizBlock, handler: str, payload: Any = None, *, body: bytes | None = None,
         method: str = "POST") -> tuple[int, Any]:
    """Call a handler through the runtime, as the LMS does; (status, decoded JSON body)."""
    request = Request.blank("/", method=method)
    if body is None:
        body = json.dumps(payload).encode("utf-8")
    if method == "POST":
        request.body = body
        request.content_type = "application/json"
    response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body) if response.body else None


def snapshot(course: Course) -> dict:
    """Everything the runtime has stored (content, settings and every learner's state)."""
    return copy.deepcopy(course.store.db_dict)


def render(block: CurriculumQuizBlock, view: str = "student_view", language: str | None = None) -> Any:
    if language:
        with translation.override(language):
            return block.runtime.render(block, view)
    return block.runtime.render(block, view)


def as_staff(block: CurriculumQuizBlock, staff_id: str | None = None) -> CurriculumQuizBlock:
    """Make the block's runtime serve a course Staff member (by default the block's own user;
    another id is staff viewing that learner's block)."""
    user_id = staff_id or str(block.scope_ids.user_id)
    block.runtime._services["user"] = LearnerService(user_id, f"anon-{user_id}", staff=True)
    return block


_OPTION_PATTERNS = {
    "choices": r'<div class="cq-choice" data-key="(k[0-9a-f]+)">.*?<label[^>]*>(.*?)</label>',
    "items": r'<li class="cq-order-item" data-key="([^"]+)"><span class="cq-order-text"[^>]*>(.*?)</span>',
    "left": r'<div class="cq-match" data-left-key="([^"]+)"><label[^>]*>(.*?)</label>',
    "right": r'<option value="([^"]+)"[^>]*>(.*?)</option>',
}


def html_options(block: CurriculumQuizBlock) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """What the learner's HTML view offers: question id → kind → [(key, plain text)] in display order."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for part in block.student_view().content.split("<fieldset")[1:]:
        qid = html.unescape(re.search(r'data-question-id="([^"]+)"', part).group(1))
        kinds: dict[str, list[tuple[str, str]]] = {}
        for kind, pattern in _OPTION_PATTERNS.items():
            seen: dict[str, str] = {}
            for key, text in re.findall(pattern, part, re.DOTALL):
                seen.setdefault(html.unescape(key), " ".join(html.unescape(re.sub("<[^>]+>", "", text)).split()))
            if seen:
                kinds[kind] = list(seen.items())
        out[qid] = kinds
    return out


def html_key_of(block: CurriculumQuizBlock, question_id: str, kind: str, text: str) -> str:
    """The key the learner's HTML view gives the choice / item / side whose source text is ``text``."""
    from curriculum_quiz.markup import plain

    wanted = html.unescape(plain(text))
    return next(key for key, shown in html_options(block)[question_id][kind] if shown == wanted)


def question_data(block: CurriculumQuizBlock, question_id: str) -> dict:
    data = block.student_view_data()
    return next(q for q in data["questions"] if q["id"] == question_id)


def key_of(block: CurriculumQuizBlock, question_id: str, kind: str, text: str) -> str:
    """The block key (student_view_data, as the mobile apps see it) of the choice / item / side
    whose source text is ``text``."""
    from curriculum_quiz.markup import html_block

    entries = question_data(block, question_id)[kind]
    return next(e["key"] for e in entries if e["text"] == html_block(text))


def submit(block: CurriculumQuizBlock, answers: dict, keys: str | None = None) -> tuple[int, Any]:
    """Submit ``answers``; ``keys`` ("block" for answers built with :func:`key_of`) says whose keys."""
    return post(block, "submit", {"answers": answers} if keys is None else {"answers": answers, "keys": keys})

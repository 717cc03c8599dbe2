"""Open edX fit: the capa-named attempt counter, mobile data, translations as the platform loads
them, read-only staff views, the Studio editor, key-secret rotation and the responses report."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
from django.utils import translation
from quiz_testing import BlockI18nService, Course, as_staff, html_key_of, key_of, post, render, snapshot, submit
from test_quizblock_parts import SettingsService
from xblock.fields import Integer, Scope

import curriculum_quiz
from curriculum_quiz import msgfmt, report, scenarios
from curriculum_quiz.block import CurriculumQuizBlock
from curriculum_quiz.yaml_io import dump_quiz_yaml

LLM = "A large language model drafting discharge summaries"


def one(question: dict, **settings) -> dict:
    return scenarios.quiz("platform", "Platform", [copy.deepcopy(question)], **settings)


def state(course: Course, block, learner: str = "learner-1") -> dict:
    """The learner's stored state of the block, field name → value."""
    out = {}
    for key, value in course.store.db_dict.items():
        if key.scope.user and key.user_id == learner and key.block_scope_id == block.scope_ids.usage_id:
            out[key.field_name] = value
    return out


# ----------------------------------------------------------------------------------------------
# B1 attempts


def test_the_attempt_counter_is_capas_attempts_field(course: Course):
    field = CurriculumQuizBlock.fields["attempts"]
    assert field.scope == Scope.user_state and isinstance(field, Integer)
    block = course.add(one(scenarios.TRUE_FALSE, attempts=1))
    submit(block, {"q-tf": True})
    assert state(course, block)["attempts"] == 1 and "attempts_used" not in state(course, block)


def test_old_attempts_used_state_migrates_when_the_block_loads(course: Course):
    block = course.add(one(scenarios.TRUE_FALSE, attempts=2))
    learner = course.as_learner(block, "learner-1")
    learner.attempts_used = 2  # saved by an earlier release
    learner.responses = {"q-tf": True}
    learner.save()
    assert state(course, block) == {"attempts_used": 2, "responses": {"q-tf": True}}

    loaded = course.as_learner(block, "learner-1")
    assert "disabled" in loaded.student_view().content  # both attempts used
    assert state(course, block)["attempts"] == 2 and "attempts_used" not in state(course, block)
    assert submit(course.as_learner(block, "learner-1"), {"q-tf": False})[0] == 403


def test_instructor_reset_and_delete_of_learner_state(course: Course):
    block = course.add(one(scenarios.TRUE_FALSE, attempts=1))
    assert submit(block, {"q-tf": True})[0] == 200
    assert submit(course.as_learner(block, "learner-1"), {"q-tf": True})[0] == 403

    # "Reset attempts" on the instructor dashboard: state["attempts"] = 0, the rest kept.
    for key in list(course.store.db_dict):
        if key.field_name == "attempts" and key.user_id == "learner-1":
            course.store.db_dict[key] = 0
    assert submit(course.as_learner(block, "learner-1"), {"q-tf": False})[0] == 200

    # Even over unmigrated old state, an explicit reset wins.
    old = course.add(one(scenarios.TRUE_FALSE, attempts=1))
    learner = course.as_learner(old, "learner-1")
    learner.attempts_used = 1
    learner.attempts = 0
    learner.save()
    assert submit(course.as_learner(old, "learner-1"), {"q-tf": False})[0] == 200

    # "Delete learner state": nothing stored, a fresh start.
    for key in [k for k in course.store.db_dict if k.user_id == "learner-1" and k.block_scope_id ==
                block.scope_ids.usage_id]:
        del course.store.db_dict[key]
    fresh = course.as_learner(block, "learner-1")
    assert fresh.attempts == 0 and not fresh.has_submitted_answer()
    assert submit(fresh, {"q-tf": False})[0] == 200


# ----------------------------------------------------------------------------------------------
# B2 mobile


def test_student_view_supports_multi_device(course: Course):
    block = course.add(scenarios.MIXED)
    assert block.has_support(block.student_view, "multi_device")
    assert not block.has_support(block.studio_view, "multi_device")


def test_block_keys_are_accepted_and_the_reply_uses_them(course: Course):
    quiz = {**scenarios.MIXED, "show_answer": "always"}
    block = course.add(quiz)
    other = course.as_learner(block, "learner-2")
    right = key_of(other, "q-generative", "choices", LLM)  # student_view_data: the same for every learner
    assert right == key_of(block, "q-generative", "choices", LLM)
    status, reply = submit(other, {"q-generative": right, "q-steps": [key_of(other, "q-steps", "items", t)
                                                                      for t in scenarios.ORDERING["items"]]})
    assert status == 200 and reply["score"] == 2
    assert reply["questions"]["q-generative"]["response"] == right
    assert reply["questions"]["q-laws"]["answer"] == {key_of(block, "q-laws", "left", left):
                                                      key_of(block, "q-laws", "right", right_)
                                                      for left, right_ in scenarios.MATCHING["pairs"]}
    # The HTML keys still work, and their reply is in HTML keys.
    html_right = html_key_of(block, "q-generative", "choices", LLM)
    assert html_right != right
    status, reply = submit(block, {"q-generative": html_right})
    assert status == 200 and reply["questions"]["q-generative"]["answer"] == html_right
    # "keys": "block" makes a reply to keyless answers reveal in block keys.
    status, reply = submit(course.as_learner(block, "learner-3"), {"q-tf": False}, keys="block")
    assert reply["questions"]["q-generative"]["answer"] == right
    # Mixing the two kinds of keys in one submission is refused.
    mixed = {"q-generative": right, "q-phi": [html_key_of(block, "q-phi", "choices", "Medical record number")]}
    assert submit(course.as_learner(block, "learner-4"), mixed)[0] == 400
    assert submit(course.as_learner(block, "learner-4"), {"q-tf": True}, keys="mobile")[0] == 400


def test_student_view_data_is_byte_identical_for_quizzes_differing_only_in_the_key(course: Course):
    quiz = copy.deepcopy(scenarios.MIXED)
    changed = copy.deepcopy(quiz)
    by_id = {q["id"]: q for q in changed["questions"]}
    for choice in by_id["q-generative"]["choices"]:
        choice["correct"] = choice["text"] == "A readmission risk model"
    by_id["q-tf"]["answer"] = True
    by_id["q-ppv"]["answer"] = 0.5
    by_id["q-fhir"]["answers"] = ["CDA"]
    by_id["q-steps"]["items"] = list(reversed(by_id["q-steps"]["items"]))
    rights = [p[1] for p in by_id["q-laws"]["pairs"]]
    by_id["q-laws"]["pairs"] = [[p[0], rights[(i + 1) % len(rights)]] for i, p in enumerate(by_id["q-laws"]["pairs"])]
    block = course.add(quiz)
    first = json.dumps(block.student_view_data(), ensure_ascii=False).encode("utf-8")
    block.quiz = changed
    block.save()
    second = json.dumps(course.as_learner(block, "learner-9").student_view_data(), ensure_ascii=False).encode("utf-8")
    assert first == second


# ----------------------------------------------------------------------------------------------
# B3 translations, loaded the way the platform's XBlock i18n service loads them


@pytest.mark.parametrize("language", ["zh-tw", "zh-hant", "zh-hk"])
def test_traditional_chinese_for_every_traditional_language_code(course: Course, language: str):
    block = course.add(scenarios.MIXED)
    with translation.override(language):
        service = BlockI18nService(block)
        assert service.domain == "text" and service.localedir == Path(curriculum_quiz.__file__).parent / "translations"
        assert service.gettext("Submit") == "送出"
        assert service.ngettext("You have submitted {count} time; you may submit again.",
                                "You have submitted {count} times; you may submit again.", 3) == \
            "您已送出 {count} 次，可以再次送出。"
    content = render(block, language=language).content
    assert ">送出</button>" in content and "第 1 題，共 7 題" in content


def test_other_languages_fall_back_to_the_source_strings(course: Course):
    block = course.add(scenarios.MIXED)
    for language in ("en", "zh-cn", "fr"):
        assert ">Submit</button>" in render(block, language=language).content


@pytest.mark.parametrize("language", ["zh-tw", "zh-hant", "zh-hk"])
def test_atlas_pulled_catalogues_take_precedence(course: Course, tmp_path: Path, language: str):
    # `atlas pull` puts the conf/locale .po files under conf/plugins-locale/xblock.v1/<module>/ and
    # the platform compiles them (domain django); simulate that with the shipped catalogue.
    root = tmp_path / "plugins-locale" / "xblock.v1"
    pulled = root / "curriculum_quiz"
    shutil.copytree(msgfmt.LOCALE, pulled)
    po = pulled / "zh_TW" / "LC_MESSAGES" / "django.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "送出"', 'msgstr "提交"'), encoding="utf-8")
    for name in ("zh_TW", *msgfmt.ALIASES["zh_TW"]):
        msgfmt.compile_po(po, pulled / name / "LC_MESSAGES" / "django.mo")
    block = course.add(scenarios.MIXED)
    BlockI18nService.atlas_root = root
    try:
        with translation.override(language):
            service = BlockI18nService(block)
            assert service.domain == "django" and service.gettext("Submit") == "提交"
    finally:
        BlockI18nService.atlas_root = None


def test_the_wheel_layout_of_the_catalogues():
    package = Path(curriculum_quiz.__file__).parent
    assert (package / "conf/locale/en/LC_MESSAGES/django.po").is_file()
    for name in ("zh_TW", "zh_Hant", "zh_HK"):
        assert (package / f"conf/locale/{name}/LC_MESSAGES/django.mo").is_file()
        assert (package / f"translations/{name}/LC_MESSAGES/text.mo").is_file()
    # One translation source: aliases are compiled copies, not second .po files.
    assert sorted(p.parts[-3] for p in package.glob("conf/locale/*/LC_MESSAGES/django.po")) == ["en", "zh_TW"]


# ----------------------------------------------------------------------------------------------
# B4 read-only for staff viewing a learner


def test_staff_viewing_a_learner_sees_a_read_only_quiz(course: Course):
    block = course.add(one(scenarios.SINGLE, attempts=2))
    learner = course.as_learner(block, "learner-1")
    assert submit(learner, {"q-generative": key_of(learner, "q-generative", "choices", LLM)})[0] == 200
    assert CurriculumQuizBlock.show_in_read_only_mode is True

    viewed = as_staff(course.as_learner(block, "learner-1"), staff_id="staff-7")
    before = snapshot(course)
    content = viewed.student_view().content
    assert "cq-submit" not in content and "read-only" in content
    assert re.search(r"<fieldset[^>]* disabled>", content)
    assert viewed.student_view().json_init_args["result"]["score"] == 1  # the learner's result is shown
    status, reply = submit(viewed, {"q-generative": key_of(viewed, "q-generative", "choices", LLM)})
    assert status == 403 and "read-only" in reply["error"]
    assert snapshot(course) == before
    # Staff on their own quiz may submit.
    own = as_staff(course.as_learner(block, "learner-5"))
    assert "cq-submit" in own.student_view().content
    assert submit(own, {"q-generative": key_of(own, "q-generative", "choices", LLM)})[0] == 200


# ----------------------------------------------------------------------------------------------
# B5 Studio


def test_the_studio_editor_has_its_own_buttons_and_every_field(course: Course):
    block = course.add(scenarios.MIXED, display_name="Check", weight=2.5, language="zh-TW")
    content = block.studio_view().content
    assert content.count("editor-with-buttons") == 1 and 'class="xblock-actions"' in content
    assert re.search(r'<button type="submit" class="button action-primary save-button cq-save">Save</button>',
                     content)
    assert 'class="button cancel-button cq-cancel"' in content
    for name, value in (("display_name", "Check"), ("weight", "2.5"), ("language", "zh-TW")):
        assert re.search(rf'name="{name}" value="{re.escape(value)}"', content), name
    assert "<textarea" in content


def test_studio_saves_display_name_weight_language_and_quiz(course: Course):
    block = as_staff(course.add(scenarios.MIXED))
    edited = {**scenarios.MIXED, "title": "Edited"}
    status, reply = post(block, "studio_submit", {"yaml": dump_quiz_yaml(edited), "display_name": "Renamed",
                                                  "weight": "3", "language": "zh-TW"})
    assert (status, reply) == (200, {"result": "success"})
    saved = course.as_learner(block, "learner-2")
    assert (saved.quiz, saved.display_name, saved.weight, saved.language) == (edited, "Renamed", 3.0, "zh-TW")
    assert post(block, "studio_submit", {"yaml": dump_quiz_yaml(edited), "weight": ""})[0] == 200
    assert course.as_learner(block, "learner-2").weight is None
    status, reply = post(block, "studio_submit", {"yaml": dump_quiz_yaml(edited), "language": "zh TW<"})
    assert status == 400 and "'language' must be a language tag" in reply["error"]


# ----------------------------------------------------------------------------------------------
# B6 key secret and rotation


def with_settings(block, bucket: dict):
    block.runtime._services["settings"] = SettingsService({"CurriculumQuizBlock": bucket})
    return block


def test_keys_survive_a_rotation_when_the_old_secret_is_listed(course: Course):
    block = with_settings(course.add(one(scenarios.SINGLE)), {"KEY_SECRET": "old-secret"})
    usage = (block.scope_ids.def_id, block.scope_ids.usage_id)
    old_html = html_key_of(block, "q-generative", "choices", LLM)
    old_block = key_of(block, "q-generative", "choices", LLM)

    rotated = with_settings(course.block(usage), {"KEY_SECRET": "new-secret", "KEY_SECRETS_PREVIOUS": ["old-secret"]})
    assert key_of(rotated, "q-generative", "choices", LLM) != old_block
    status, reply = submit(rotated, {"q-generative": old_html})  # a page opened before the rotation
    assert status == 200 and reply["score"] == 1 and reply["questions"]["q-generative"]["response"] == old_html
    status, reply = submit(with_settings(course.as_learner(block, "learner-2"), {
        "KEY_SECRET": "new-secret", "KEY_SECRETS_PREVIOUS": "old-secret"}), {"q-generative": old_block})
    assert status == 200 and reply["score"] == 1

    # Without the previous secret listed, the old keys are unknown: a clear 400, nothing stored.
    dropped = with_settings(course.as_learner(block, "learner-3"), {"KEY_SECRET": "new-secret"})
    before = snapshot(course)
    status, reply = submit(dropped, {"q-generative": old_block})
    assert status == 400 and "unknown choice key" in reply["error"]
    assert snapshot(course) == before


def test_without_a_key_secret_django_secret_key_is_used(course: Course):
    from django.conf import settings

    block = course.add(one(scenarios.SINGLE))
    with_django = key_of(block, "q-generative", "choices", LLM)
    configured = with_settings(course.as_learner(block, "learner-1"), {"KEY_SECRET": settings.SECRET_KEY})
    assert key_of(configured, "q-generative", "choices", LLM) == with_django
    assert not course.as_learner(block, "learner-1").key_salt


# ----------------------------------------------------------------------------------------------
# B7 the problem responses report


class UserState:
    """What the platform's user-state iterator yields (XBlockUserState): username and state."""

    def __init__(self, username: str, state: dict) -> None:
        self.username, self.state = username, state


def report_rows(course: Course, block, learners: list[str], limit: int | None = None) -> list[tuple[str, dict]]:
    states = [UserState(f"user-{learner}", state(course, block, learner)) for learner in learners]
    return list(block.generate_report_data(iter(states), limit))


def test_the_report_has_one_row_per_learner_and_answered_question(course: Course):
    block = course.add(scenarios.MIXED, lecture_id="ai-what-models-do", lecture_version="1.0.0")
    b = block
    answers = {
        "q-generative": key_of(b, "q-generative", "choices", LLM),
        "q-phi": [key_of(b, "q-phi", "choices", t) for t in ("Full-face photograph", "Medical record number")],
        "q-tf": True,
        "q-ppv": 0.33,
        "q-fhir": "hl7 fhir",
        "q-steps": [key_of(b, "q-steps", "items", t) for t in
                    ("Silent-mode evaluation", "Limited pilot", "Monitoring", "Full deployment")],
        "q-laws": {key_of(b, "q-laws", "left", "HIPAA"): key_of(b, "q-laws", "right", "United States"),
                   key_of(b, "q-laws", "left", "GDPR"): key_of(b, "q-laws", "right", "Taiwan")},
    }
    assert submit(block, answers)[0] == 200
    assert submit(course.as_learner(block, "learner-2"), {"q-tf": False})[0] == 200
    assert submit(course.as_learner(block, "learner-2"), {"q-tf": True})[0] == 200

    rows = report_rows(course, block, ["learner-1", "learner-2", "learner-3"])
    assert all(tuple(row) == report.COLUMNS for _, row in rows)
    assert [(user, row["Question ID"]) for user, row in rows] == [
        ("user-learner-1", q["id"]) for q in scenarios.MIXED["questions"]] + [("user-learner-2", "q-tf")]
    by_id = {row["Question ID"]: row for user, row in rows if user == "user-learner-1"}
    common = {"Quiz ID": "ai-what-models-do-check", "Attempts": 1, "Lecture": "ai-what-models-do", "Version": "1.0.0"}
    assert by_id["q-generative"] == {**common, "Question ID": "q-generative",
                                     "Question": "Which system produces new text rather than a risk score?",
                                     "Answer": LLM, "Answer indices": "2", "Score": 1.0, "Correct": "true"}
    assert (by_id["q-phi"]["Answer"], by_id["q-phi"]["Answer indices"]) == (
        "Medical record number; Full-face photograph", "1;2")
    assert (by_id["q-tf"]["Answer"], by_id["q-tf"]["Answer indices"], by_id["q-tf"]["Correct"]) == ("true", "", "false")
    assert (by_id["q-ppv"]["Answer"], by_id["q-ppv"]["Score"]) == ("0.33", 1.0)
    assert (by_id["q-fhir"]["Answer"], by_id["q-fhir"]["Correct"]) == ("hl7 fhir", "true")
    assert by_id["q-steps"]["Answer indices"] == "1;2;4;3" and by_id["q-steps"]["Score"] == 0.5
    assert by_id["q-steps"]["Answer"] == "Silent-mode evaluation; Limited pilot; Monitoring; Full deployment"
    assert by_id["q-laws"]["Answer indices"] == "1=1;3=2"
    assert by_id["q-laws"]["Answer"] == "HIPAA → United States; GDPR → Taiwan"
    assert by_id["q-laws"]["Score"] == pytest.approx(1 / 3) and by_id["q-laws"]["Correct"] == "false"
    learner_2 = [row for user, row in rows if user == "user-learner-2"][0]
    assert learner_2["Attempts"] == 2 and learner_2["Correct"] == "false" and learner_2["Answer"] == "true"


def test_the_report_honours_limit_responses_and_old_state(course: Course):
    block = course.add(scenarios.MIXED)
    for learner in ("learner-1", "learner-2"):
        assert submit(course.as_learner(block, learner), {"q-tf": False, "q-ppv": 0.33})[0] == 200
    assert len(report_rows(course, block, ["learner-1", "learner-2"])) == 4
    assert len(report_rows(course, block, ["learner-1", "learner-2"], limit=3)) == 3
    assert report_rows(course, block, ["learner-1"], limit=0) == []
    old = UserState("old", {"attempts_used": 2, "responses": {"q-tf": False}, "scores": {"q-tf": 1.0}})
    rows = list(block.generate_report_data(iter([old])))
    assert rows == [("old", {**rows[0][1], "Attempts": 2, "Score": 1.0, "Correct": "true"})]


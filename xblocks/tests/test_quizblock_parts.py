"""The block's pure parts: keys, Markdown, catalogues, YAML, show-answer policy, key secrets."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
from quiz_testing import Course

import curriculum_quiz
from curriculum_quiz import markup, msgfmt, scenarios
from curriculum_quiz.keys import KeyScheme, choice_materials, text_materials
from curriculum_quiz.presentation import answers_revealed
from curriculum_quiz.yaml_io import YamlError, dump_quiz_yaml, load_quiz_yaml

PACKAGE = Path(curriculum_quiz.__file__).parent
PO = PACKAGE / "conf" / "locale" / "zh_TW" / "LC_MESSAGES" / "django.po"
MO = PACKAGE / "translations" / "zh_TW" / "LC_MESSAGES" / "text.mo"
SOURCE_PO = PACKAGE / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"


# ----------------------------------------------------------------------------------------------
# Keys


def test_keys_are_deterministic_distinct_and_depend_on_every_input():
    scheme = KeyScheme(b"secret", "block-1", "learner-1")
    keys = scheme.keys("q", "choice", choice_materials(5))
    assert keys == KeyScheme(b"secret", "block-1", "learner-1").keys("q", "choice", choice_materials(5))
    assert len(set(keys)) == 5
    for other in (KeyScheme(b"other", "block-1", "learner-1"), KeyScheme(b"secret", "block-2", "learner-1"),
                  KeyScheme(b"secret", "block-1", "learner-2")):
        assert not set(other.keys("q", "choice", choice_materials(5))) & set(keys)
    assert not set(scheme.keys("q2", "choice", choice_materials(5))) & set(keys)
    assert not set(scheme.keys("q", "item", choice_materials(5))) & set(keys)
    # No confusion between framed parts.
    assert KeyScheme(b"s", "ab", "c").keys("q", "k", ["1"]) != KeyScheme(b"s", "a", "bc").keys("q", "k", ["1"])


def test_order_is_a_permutation_that_follows_the_materials_not_their_positions():
    scheme = KeyScheme(b"secret", "block", "learner")
    texts = ["Silent-mode evaluation", "Limited pilot", "Full deployment", "Monitoring"]
    order = scheme.order("q", "item", text_materials(texts))
    assert sorted(order) == [0, 1, 2, 3]
    shown = [texts[i] for i in order]
    reversed_texts = list(reversed(texts))
    assert [reversed_texts[i] for i in scheme.order("q", "item", text_materials(reversed_texts))] == shown
    # Normalised text: case and spacing do not change a key.
    spaced, plain = text_materials(["Limited  PILOT"]), text_materials(["limited pilot"])
    assert scheme.keys("q", "item", spaced) == scheme.keys("q", "item", plain)


# ----------------------------------------------------------------------------------------------
# Markdown


@pytest.mark.parametrize("text", [
    "A sepsis early-warning score", "Prevalence 10%, sensitivity 90%: what's the PPV?", "敗血症早期預警分數（機率）。",
    "HIPAA", "1. a list", "3) three", "a_b_c", 'It\'s "quoted" — yes', "x (y) z!", "2026", "snake_case _em_",
    "**bold** and *em*", "# heading", "- item", "> quote", "a  b", "Tom & Jerry < 3", "use `code`", "[l](https://x.org)",
])
def test_the_plain_text_shortcut_matches_markdown(text):
    md = markdown.Markdown(extensions=list(markup.MARKDOWN_EXTENSIONS))
    assert markup.html_block(text) == markup.sanitize(md.convert(text)).strip()


def test_inline_and_plain_forms():
    assert markup.inline("Is **this** it?") == "Is <strong>this</strong> it?"
    assert markup.inline("one\n\ntwo") == "one two"
    assert markup.plain("A <b>bold</b> & [link](https://x.org)") == "A bold &amp; link"
    assert markup.legend_parts("Lead.\n\n- a\n- b") == ("Lead.", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", False)
    assert markup.legend_parts("- a\n- b")[0::2] == ("a b", True)


# ----------------------------------------------------------------------------------------------
# Catalogue


def ui_strings() -> set[str]:
    """Every string the package passes to _(), gettext() or ngettext()."""
    found: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name in ("_", "gettext") and args:
                found.add(args[0])
            elif name == "ngettext" and len(args) >= 2:
                found.add(args[0] + "\0" + args[1])
    return found


def test_every_ui_string_has_a_zh_tw_translation():
    catalogue = msgfmt.parse_po(PO.read_text(encoding="utf-8"))
    translated = {k.decode("utf-8") for k in catalogue if k}
    missing = sorted(ui_strings() - translated)
    assert not missing, missing
    assert not sorted(translated - ui_strings()), "catalogue has strings the code no longer uses"


def test_the_source_catalogue_lists_every_ui_string_untranslated():
    text = SOURCE_PO.read_text(encoding="utf-8")
    ids = set(re.findall(r'^msgid "(.+)"$', text, re.MULTILINE))
    plurals = set(re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"$', text, re.MULTILINE))
    singular = ui_strings() - {s for s in ui_strings() if "\0" in s}
    assert ids == singular | {one for one, _ in plurals}
    assert {f"{one}\0{many}" for one, many in plurals} == {s for s in ui_strings() if "\0" in s}
    assert msgfmt.parse_po(text).keys() == {b""}  # nothing translated: only the header


def test_every_shipped_mo_is_compiled_from_the_po(tmp_path):
    compiled = msgfmt.compile_po(PO, tmp_path / "text.mo").read_bytes()
    paths = msgfmt.compiled_paths("zh_TW")
    assert {p.relative_to(PACKAGE).as_posix() for p in paths} == {
        f"{layout}/{locale}/LC_MESSAGES/{domain}.mo"
        for locale in ("zh_TW", "zh_Hant", "zh_HK")
        for layout, domain in (("conf/locale", "django"), ("translations", "text"))}
    for path in paths:
        assert path.read_bytes() == compiled, f"{path}: run python -m curriculum_quiz.msgfmt"
    translations = gettext.GNUTranslations(MO.open("rb"))
    assert translations.gettext("Submit") == "送出"
    plural = translations.ngettext("You have submitted {count} time; you may submit again.",
                                   "You have submitted {count} times; you may submit again.", 2)
    assert plural == "您已送出 {count} 次，可以再次送出。"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext not installed")
def test_gnu_msgfmt_accepts_the_po_and_agrees(tmp_path):
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "gnu.mo"), str(PO)], check=True,
                   capture_output=True)
    ours = gettext.GNUTranslations(MO.open("rb"))
    gnu = gettext.GNUTranslations((tmp_path / "gnu.mo").open("rb"))
    assert ours._catalog == gnu._catalog


def test_po_parser_handles_context_continuations_and_fuzzy():
    po = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgctxt "menu"\nmsgid "Open"\nmsgstr "開啟"\n\n'
          'msgid ""\n"Long "\n"text"\nmsgstr ""\n"長"\n"文字"\n\n'
          '#, fuzzy\nmsgid "Unsure"\nmsgstr "不確定"\n\n'
          'msgid "Empty"\nmsgstr ""\n')
    catalogue = msgfmt.parse_po(po)
    assert catalogue[b"menu\x04Open"] == "開啟".encode()
    assert catalogue[b"Long text"] == "長文字".encode()
    assert b"Unsure" not in catalogue and b"Empty" not in catalogue


# ----------------------------------------------------------------------------------------------
# YAML


@pytest.mark.parametrize("quiz", [scenarios.MIXED, scenarios.ZH_TW], ids=["en", "zh-TW"])
def test_yaml_round_trip(quiz):
    assert load_quiz_yaml(dump_quiz_yaml(quiz)) == quiz


@pytest.mark.parametrize("text, message", [
    ("a: 1\na: 2\n", "line 2, column 1: duplicate key 'a' (first on line 1)"),
    ("a: &x [1]\nb: *x\n", "line 2, column 4: aliases"),
    ("a: [1\n", "line 2"),
    ("? [1, 2]\n: x\n", "mapping keys must be text or numbers"),
    ("x" * (257 * 1024), "larger than 256 KB"),
])
def test_yaml_errors_have_positions(text, message):
    with pytest.raises(YamlError) as err:
        load_quiz_yaml(text)
    assert message in str(err.value)


# ----------------------------------------------------------------------------------------------
# Show-answer policy and key secrets


def test_nothing_is_revealed_before_the_first_submission_under_any_policy():
    for policy in ("finished", "attempted", "always", "never"):
        assert answers_revealed(policy, 0, 1, True) is False


class SettingsService:
    """The LMS's settings service: XBLOCK_SETTINGS buckets by block class name."""

    def __init__(self, buckets: dict) -> None:
        self.buckets = buckets

    def get_settings_bucket(self, block, default=None):
        return self.buckets.get(type(block).unmixed_class.__name__, default)


def test_an_operator_key_secret_takes_precedence(course: Course):
    block = course.add(scenarios.MIXED)
    default_keys = block.student_view_data()
    runtime = course.runtime("learner-1")
    runtime._services["settings"] = SettingsService({"CurriculumQuizBlock": {"KEY_SECRET": "rotated"}})
    rotated = course.as_learner(block, "learner-1").student_view_data()
    assert rotated != default_keys
    assert rotated == course.as_learner(block, "learner-1").student_view_data()
    assert not course.as_learner(block, "learner-1").key_salt  # a server secret needs no learner salt

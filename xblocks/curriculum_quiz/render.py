"""HTML of the learner and Studio views.

Every value is escaped here with :func:`html.escape`, or is author Markdown rendered and
sanitised by :mod:`curriculum_quiz.markup`. UI strings come from the translator passed in
(the runtime's i18n service), through ``_`` and ``ngettext`` so they can be extracted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any, Protocol

from . import markup
from .presentation import Presentation, PresentedQuestion


class Translator(Protocol):
    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


def a(value: Any) -> str:
    """An attribute value (or plain text) escaped for HTML."""
    return escape(str(value), quote=True)


def attempts_line(tr: Translator, used: int, allowed: int) -> str:
    """What the learner is told about attempts (``allowed`` 0 = unlimited)."""
    _ = tr.gettext
    if allowed <= 0:
        if used == 0:
            return _("You may submit as many times as you like.")
        return tr.ngettext("You have submitted {count} time; you may submit again.",
                           "You have submitted {count} times; you may submit again.", used).format(count=used)
    if used >= allowed:
        return _("No attempts remain: you have used all {allowed}.").format(allowed=allowed)
    return _("Attempts used: {used} of {allowed}.").format(used=used, allowed=allowed)


def score_line(tr: Translator, earned: float, possible: int) -> str:
    return tr.gettext("You scored {earned} out of {possible}.").format(earned=number(earned), possible=possible)


def number(value: float) -> str:
    """A score for people: whole numbers without decimals, others with up to two."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def js_strings(tr: Translator) -> dict[str, str]:
    """UI strings the learner script shows, already translated."""
    _ = tr.gettext
    return {
        "correct": _("Correct"),
        "incorrect": _("Incorrect"),
        "partial": _("Partially correct"),
        "notAnswered": _("Not answered"),
        "questionScore": _("Score for this question: {score}"),
        "correctAnswer": _("Correct answer"),
        "correctOrder": _("Correct order"),
        "correctMatches": _("Correct matches"),
        "acceptedAnswers": _("Accepted answers"),
        "tolerance": _("{value} (within ± {tolerance})"),
        "explanation": _("Explanation"),
        "isCorrectChoice": _("(correct answer)"),
        "true": _("True"),
        "false": _("False"),
        "submitting": _("Submitting your answers…"),
        "submitError": _("Your answers could not be submitted: {error}"),
        "noAnswers": _("Answer at least one question before submitting."),
        "notANumber": _("Question {number}: enter a number, for example 0.25."),
        "movedTo": _("{item}: position {position} of {total}."),
        "showHint": _("Show hint"),
        "hideHint": _("Hide hint"),
        "hintError": _("The hint could not be loaded."),
    }


def student_html(pres: Presentation, tr: Translator, *, prefix: str, language: str, title: str,
                 prefill: Mapping[str, Any], locked: bool, attempts_text: str, read_only: bool = False) -> str:
    """The learner view. ``prefill`` holds the learner's last responses (keyed) after a submission;
    ``read_only`` (staff viewing a learner's quiz) leaves out the Submit button."""
    _ = tr.gettext
    total = len(pres.questions)
    lang = f' lang="{a(language)}"' if language else ""
    parts = [f'<div class="cq-block" id="{a(prefix)}"{lang}>']
    if title:
        parts.append(f'<h3 class="cq-title">{a(title)}</h3>')
    parts.append(f'<p class="cq-attempts" id="{a(prefix)}-attempts">{a(attempts_text)}</p>')
    parts.append(f'<form class="cq-form" novalidate aria-describedby="{a(prefix)}-attempts">')
    for number, pq in enumerate(pres.questions, 1):
        parts.append(_question(pq, tr, f"{prefix}-q{number}", number, total, prefill.get(pq.id), locked))
    disabled = " disabled" if locked else ""
    if read_only:
        parts.append(f'<p class="cq-read-only" role="note">'
                     f'{a(_("You are viewing this learner’s quiz read-only: it cannot be submitted here."))}</p>')
    else:
        parts.append(f'<div class="cq-actions"><button type="submit" class="cq-submit"{disabled}>'
                     f'{a(_("Submit"))}</button></div>')
    parts.append(f'<div class="cq-status" id="{a(prefix)}-status" role="status" aria-live="polite" aria-atomic="true">'
                 '</div>')
    parts.append("</form></div>")
    return "".join(parts)


def _question(pq: PresentedQuestion, tr: Translator, pid: str, number: int, total: int, prefill: Any,
              locked: bool) -> str:
    _ = tr.gettext
    question = pq.question
    lead, rest, copy = markup.legend_parts(question["prompt"])
    described = [f"{pid}-more"] if rest else []
    described.append(f"{pid}-feedback")
    lead_html = f'<span class="cq-visually-hidden">{lead}</span>' if copy else f'<span class="cq-prompt">{lead}</span>'
    disabled = " disabled" if locked else ""
    counter = _("Question {number} of {total}").format(number=number, total=total)
    parts = [
        f'<fieldset class="cq-question cq-type-{a(pq.type)}" id="{a(pid)}" data-question-id="{a(pq.id)}" '
        f'data-type="{a(pq.type)}" data-number="{number}" aria-describedby="{a(" ".join(described))}"{disabled}>',
        f'<legend class="cq-legend"><span class="cq-number">{a(counter)}</span> {lead_html}</legend>',
    ]
    if rest:
        parts.append(f'<div class="cq-prompt-more" id="{a(pid)}-more">{rest}</div>')
    parts.append(BODIES[pq.type](pq, tr, pid, prefill))
    if question.get("hint"):
        parts.append(
            f'<div class="cq-hint-area"><button type="button" class="cq-hint-button" aria-expanded="false" '
            f'aria-controls="{a(pid)}-hint">{a(_("Show hint"))}</button>'
            f'<div class="cq-hint" id="{a(pid)}-hint" hidden></div></div>')
    parts.append(f'<div class="cq-feedback" id="{a(pid)}-feedback" aria-live="polite"></div>')
    parts.append("</fieldset>")
    return "".join(parts)


def _choices(pq: PresentedQuestion, tr: Translator, pid: str, prefill: Any) -> str:
    kind = "radio" if pq.type == "single" else "checkbox"
    chosen = {prefill} if isinstance(prefill, str) else set(prefill or ())
    parts = ['<div class="cq-choices">']
    for option in pq.options["choices"]:
        oid = f"{pid}-{option.key}"
        checked = " checked" if option.key in chosen else ""
        parts.append(
            f'<div class="cq-choice" data-key="{a(option.key)}"><input type="{kind}" id="{a(oid)}" name="{a(pid)}" '
            f'value="{a(option.key)}"{checked}><label for="{a(oid)}">{markup.inline(option.text)}</label></div>')
    parts.append("</div>")
    return "".join(parts)


def _true_false(pq: PresentedQuestion, tr: Translator, pid: str, prefill: Any) -> str:
    _ = tr.gettext
    parts = ['<div class="cq-choices">']
    for value, label in (("true", _("True")), ("false", _("False"))):
        checked = " checked" if prefill is (value == "true") else ""
        parts.append(
            f'<div class="cq-choice" data-key="{value}"><input type="radio" id="{a(pid)}-{value}" name="{a(pid)}" '
            f'value="{value}"{checked}><label for="{a(pid)}-{value}">{a(label)}</label></div>')
    parts.append("</div>")
    return "".join(parts)


def _numeric(pq: PresentedQuestion, tr: Translator, pid: str, prefill: Any) -> str:
    _ = tr.gettext
    value = "" if prefill is None else repr(prefill) if isinstance(prefill, float) else str(prefill)
    return (f'<div class="cq-field"><label for="{a(pid)}-input">{a(_("Your answer (a number)"))}</label> '
            f'<input type="text" inputmode="decimal" autocomplete="off" id="{a(pid)}-input" name="{a(pid)}" '
            f'value="{a(value)}"></div>')


def _text(pq: PresentedQuestion, tr: Translator, pid: str, prefill: Any) -> str:
    _ = tr.gettext
    value = prefill if isinstance(prefill, str) else ""
    return (f'<div class="cq-field"><label for="{a(pid)}-input">{a(_("Your answer"))}</label> '
            f'<input type="text" autocomplete="off" maxlength="1000" id="{a(pid)}-input" name="{a(pid)}" '
            f'value="{a(value)}"></div>')


def _ordering(pq: PresentedQuestion, tr: Translator, pid: str, prefill: Any) -> str:
    _ = tr.gettext
    options = pq.options["items"]
    if isinstance(prefill, list):
        by_key = {o.key: o for o in options}
        options = [by_key[k] for k in prefill if k in by_key] + [o for o in options if o.key not in prefill]
    parts = [
        f'<p class="cq-instructions" id="{a(pid)}-instructions">'
        f'{a(_("Put the items in order, first at the top. Use the Move up and Move down buttons."))}</p>',
        f'<ol class="cq-order" aria-describedby="{a(pid)}-instructions">',
    ]
    for option in options:
        tid = f"{pid}-{option.key}-text"
        parts.append(
            f'<li class="cq-order-item" data-key="{a(option.key)}"><span class="cq-order-text" id="{a(tid)}">'
            f'{markup.inline(option.text)}</span><span class="cq-order-buttons">'
            f'<button type="button" class="cq-move" data-direction="up" aria-describedby="{a(tid)}">'
            f'{a(_("Move up"))}</button>'
            f'<button type="button" class="cq-move" data-direction="down" aria-describedby="{a(tid)}">'
            f'{a(_("Move down"))}</button></span></li>')
    parts.append("</ol>")
    parts.append(f'<div class="cq-visually-hidden cq-order-status" aria-live="polite" id="{a(pid)}-order-status">'
                 '</div>')
    return "".join(parts)


def _matching(pq: PresentedQuestion, tr: Translator, pid: str, prefill: Any) -> str:
    _ = tr.gettext
    chosen = prefill if isinstance(prefill, Mapping) else {}
    parts = [f'<p class="cq-instructions">{a(_("Choose the match for each item."))}</p><div class="cq-matches">']
    for left in pq.options["left"]:
        sid = f"{pid}-{left.key}"
        options = [f'<option value="">{a(_("— Choose a match —"))}</option>']
        for right in pq.options["right"]:
            selected = " selected" if chosen.get(left.key) == right.key else ""
            options.append(f'<option value="{a(right.key)}"{selected}>{markup.plain(right.text)}</option>')
        parts.append(
            f'<div class="cq-match" data-left-key="{a(left.key)}"><label class="cq-match-left" for="{a(sid)}">'
            f'{markup.inline(left.text)}</label> <select id="{a(sid)}" data-left-key="{a(left.key)}">'
            f'{"".join(options)}</select></div>')
    parts.append("</div>")
    return "".join(parts)


BODIES: dict[str, Callable[[PresentedQuestion, Translator, str, Any], str]] = {
    "single": _choices,
    "multiple": _choices,
    "true-false": _true_false,
    "numeric": _numeric,
    "text": _text,
    "ordering": _ordering,
    "matching": _matching,
}


def unavailable_html(tr: Translator, *, prefix: str, title: str) -> str:
    _ = tr.gettext
    heading = f'<h3 class="cq-title">{a(title)}</h3>' if title else ""
    return (f'<div class="cq-block" id="{a(prefix)}">{heading}<p class="cq-unavailable" role="note">'
            f'{a(_("This quiz is not available yet. Please check back later."))}</p></div>')


def source_notice_html(tr: Translator, *, lecture_id: str, lecture_version: str, language: str) -> str:
    """The notice on a block that came from the curriculum repository."""
    _ = tr.gettext
    if not lecture_id:
        return ""
    source = _("This quiz comes from the curriculum repository: lecture {lecture}, version {version}.").format(
        lecture=lecture_id, version=lecture_version or "?")
    if language:
        source += " " + _("Language: {language}.").format(language=language)
    warning = _("The next course import replaces any changes made here in Studio. "
                "To keep a change, make it in the lecture in the curriculum repository.")
    return (f'<div class="cq-source-notice" role="note"><p>{a(source)}</p>'
            f'<p><strong>{a(warning)}</strong></p></div>')


def studio_html(tr: Translator, *, prefix: str, display_name: str, weight: float | None, language: str,
                yaml_text: str, notice: str, problems: list[str]) -> str:
    """The Studio editor, inside Studio's ``editor-with-buttons`` structure: the editor modal then
    shows our Save and Cancel (in its ``xblock-actions`` bar) instead of adding its own."""
    _ = tr.gettext
    problem_items = "".join(f"<li>{a(p)}</li>" for p in problems)
    problem_list = (f'<p>{a(_("The saved quiz has problems:"))}</p><ul>{problem_items}</ul>' if problems else "")
    help_text = _("Edit the quiz as YAML, exactly as in a quiz fence of a lecture: id, title, mode, attempts, "
                  "shuffle, show_answer and questions. Question numbers in messages count from 1.")
    weight_text = "" if weight is None else number(weight) if weight == int(weight) else repr(weight)

    def field(name: str, label: str, value: str, help_: str, attrs: str = "") -> str:
        fid = f"{prefix}-{name.replace('_', '-')}"
        return (f'<li class="field comp-setting-entry cq-field"><label class="label setting-label" for="{a(fid)}">'
                f'{a(label)}</label><input class="input setting-input" type="text" id="{a(fid)}" name="{a(name)}" '
                f'value="{a(value)}" aria-describedby="{a(fid)}-help"{attrs}>'
                f'<span class="tip setting-help" id="{a(fid)}-help">{a(help_)}</span></li>')

    return (
        f'<div class="editor-with-buttons cq-studio" id="{a(prefix)}-studio">{notice}'
        f'<form class="cq-studio-form" novalidate><div class="wrapper-comp-settings is-active">'
        f'<ul class="list-input settings-list">'
        + field("display_name", _("Display name"), display_name, _("The name shown in the course navigation."))
        + field("weight", _("Weight"), weight_text,
                _("Scales the raw score (number of questions) in the course grade; empty = unscaled."),
                ' inputmode="decimal"')
        + field("language", _("Language"), language, _("Language of the quiz text, e.g. en or zh-TW."))
        + f'</ul><div class="cq-field"><label for="{a(prefix)}-yaml">{a(_("Quiz (YAML)"))}</label>'
        f'<textarea id="{a(prefix)}-yaml" name="yaml" rows="28" spellcheck="false" '
        f'aria-describedby="{a(prefix)}-yaml-help {a(prefix)}-problems">{a(yaml_text)}</textarea>'
        f'<p class="cq-help" id="{a(prefix)}-yaml-help">{a(help_text)}</p></div>'
        f'<div class="cq-problems" id="{a(prefix)}-problems" aria-live="polite">{problem_list}</div></div>'
        f'<div class="xblock-actions"><ul>'
        f'<li class="action-item"><button type="submit" class="button action-primary save-button cq-save">'
        f'{a(_("Save"))}</button></li>'
        f'<li class="action-item"><button type="button" class="button cancel-button cq-cancel">'
        f'{a(_("Cancel"))}</button></li></ul></div>'
        f"</form></div>"
    )


def studio_strings(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "saving": _("Saving…"),
        "saved": _("Saved."),
        "problems": _("The quiz was not saved. Please fix these problems:"),
        "saveError": _("The quiz could not be saved: {error}"),
    }

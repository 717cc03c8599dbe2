"""The ```quiz fence of the course site, as a pymdownx.superfences custom fence formatter.

The pipeline writes every quiz of a lecture page as a fence whose content is JSON:

* a **formative** quiz: the quiz mapping exactly as the quiz model defines it (``id``, ``title``,
  ``mode``, ``attempts``, ``shuffle``, ``show_answer``, ``questions`` with every field, answers,
  feedback and explanations included), plus ``lecture`` (the lecture id) and ``language``
  (``"en"`` or ``"zh-TW"``). It renders as an accessible form that ``assets/quiz.js`` grades in
  the browser;
* a **summative** quiz: only ``{"id", "mode": "summative", "count", "lecture", "language"}``.
  It renders as a notice that the quiz is taken in the learning platform, and nothing else.

Configured in mkdocs.yml as::

    - pymdownx.superfences:
        custom_fences:
          - name: quiz
            class: cmio-quiz
            format: !!python/name:curriculum.site.quizfence.format

Author text (prompts, choices, items, matching sides, hints, feedback, explanations) is Markdown.
It is rendered by a fresh Markdown instance carrying the page's extensions (without the ones
that give elements page-wide ids) and sanitised by `curriculum_quiz.sanitize` before it reaches the page or the
quiz's embedded JSON. Where the page links citations (`[n]`, see markdown_ext.CitationProcessor),
quiz text links them to the same reference anchors. A fence that breaks the contract stops the build with a clear message
instead of falling back to a code block, which could show a summative quiz's text.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import re
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import markdown
from markdown.treeprocessors import InlineProcessor as InlineTreeprocessor
from pymdownx.superfences import SuperFencesException

from curriculum_quiz import model, sanitize
from curriculum_quiz.cjk import join_lines

from . import markdown_ext

LANGUAGES = ("en", "zh-TW")

UI: dict[str, dict[str, str]] = {
    "en": {
        "quiz": "Check your understanding",
        "check": "Check answer",
        "hint_show": "Show hint",
        "hint_hide": "Hide hint",
        "hint": "Hint",
        "explanation": "Explanation",
        "true": "True",
        "false": "False",
        "number": "Your answer (a number)",
        "text": "Your answer",
        "choose": "Choose…",
        "move_up": "Move up",
        "move_down": "Move down",
        "separator": ": ",
        "how_multiple": "Select every correct answer.",
        "how_ordering": "Put the items in order with the Move up and Move down buttons.",
        "how_matching": "For each item, choose its match.",
        "correct": "Correct.",
        "partial": "Partly correct: {percent}.",
        "incorrect": "Not correct yet. You can try again.",
        "need_single": "Choose an answer first.",
        "need_multiple": "Select at least one answer first.",
        "need_number": "Enter a number first.",
        "need_text": "Type an answer first.",
        "need_matching": "Choose at least one match first.",
        "moved": "{item}: position {position} of {count}.",
        "score": "Your score on this quiz: {score} of {max}.",
        "best": "Your best: {best} of {max}.",
        "show_answer": "Show answer",
        "row_wrong": "incorrect",
        "summative_one": "This quiz is taken and graded in the course's learning platform (1 question).",
        "summative": "This quiz is taken and graded in the course's learning platform ({count} questions).",
    },
    "zh-TW": {
        "quiz": "自我評量",
        "check": "檢查答案",
        "hint_show": "顯示提示",
        "hint_hide": "隱藏提示",
        "hint": "提示",
        "explanation": "解析",
        "true": "正確",
        "false": "錯誤",
        "number": "您的答案（數字）",
        "text": "您的答案",
        "choose": "請選擇…",
        "move_up": "上移",
        "move_down": "下移",
        "separator": "：",
        "how_multiple": "請勾選所有正確的答案。",
        "how_ordering": "請使用「上移」與「下移」按鈕排出正確的順序。",
        "how_matching": "請為每一個項目選出對應的答案。",
        "correct": "答對了。",
        "partial": "部分正確：{percent}。",
        "incorrect": "答案還不正確，您可以再試一次。",
        "need_single": "請先選擇一個答案。",
        "need_multiple": "請至少勾選一個答案。",
        "need_number": "請先輸入數字。",
        "need_text": "請先輸入答案。",
        "need_matching": "請至少完成一組配對。",
        "moved": "「{item}」目前在第 {position} 位，共 {count} 位。",
        "score": "本測驗目前得分：{score}／{max}。",
        "best": "最佳成績：{best}／{max}。",
        "show_answer": "顯示答案",
        "row_wrong": "不正確",
        "summative_one": "本測驗須於課程的學習平台上作答並計分（共 1 題）。",
        "summative": "本測驗須於課程的學習平台上作答並計分（共 {count} 題）。",
    },
}

# The strings the browser needs; the rest are used only here.
JS_STRINGS = ("hint_show", "hint_hide", "hint", "explanation", "correct", "partial", "incorrect",
              "need_single", "need_multiple", "need_number", "need_text", "need_matching", "moved", "score",
              "best", "row_wrong")

FORMATIVE_EXTRA = {"lecture", "language"}
SUMMATIVE_FIELDS = {"id", "mode", "count", "lecture", "language"}


class QuizFenceError(SuperFencesException):
    """A quiz fence that does not follow the contract. SuperFences lets it stop the build."""


# ----------------------------------------------------------------------------------------------
# Author text: Markdown rendered with the page's extensions, then sanitised.

# Extensions left out of quiz text: they give elements ids that must be unique on the page.
EXCLUDED_EXTENSIONS = {"markdown.extensions.toc", "markdown.extensions.footnotes"}
# Extensions that neither register themselves nor use processor classes of their own, found by
# the name under which they register a processor.
BY_PROCESSOR_NAME = {"smart-symbols": "pymdownx.smartsymbols", "smarty": "markdown.extensions.smarty"}
_SINGLE_PARAGRAPH = re.compile(r"<p>((?:(?!</?p[ >]).)*)</p>", re.S)
_FIRST_PARAGRAPH = re.compile(r"<p>((?:(?!</?p[ >]).)*)</p>\s*(.*)", re.S)


# Plain prose: one line that starts with a letter and holds only letters, digits, single-line
# spaces and punctuation that no Markdown syntax of PLAIN_MODULES starts with (no \ ` * _ [ ] < >
# & { } | $ ~ ^ = #, no list or heading at its start, no control, private-use or non-breaking
# characters, which the sanitizer would rewrite). Markdown makes one paragraph of it, as it is.
_PLAIN_PROSE = re.compile(r"[^\W\d_][^\x00-\x1f\x7f-\xa0\\`*_\[\]<>&{}|$~^=#\u2028\u2029\ud800-\uf8ff\ufff0-\uffff]*")
# The modules of the processors that read no syntax in plain prose (smarty, smartsymbols, emoji,
# magiclink, keys, caret, tilde, mark, critic, nl2br, wikilinks and unknown extensions do).
PLAIN_MODULES = frozenset({
    "markdown.blockprocessors", "markdown.preprocessors", "markdown.inlinepatterns", "markdown.treeprocessors",
    "markdown.postprocessors", "markdown.extensions.abbr", "markdown.extensions.admonition",
    "markdown.extensions.attr_list", "markdown.extensions.def_list", "markdown.extensions.md_in_html",
    "markdown.extensions.tables", "markdown.extensions.fenced_code", "pymdownx.arithmatex", "pymdownx.betterem",
    "pymdownx.delimiterprocessor", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
})


def reads_plain_prose_as_is(md: markdown.Markdown) -> bool:
    """Whether every processor of `md` comes from PLAIN_MODULES (or links citations, which need
    a "["), with no abbreviation glossary."""
    registries = (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns, md.treeprocessors, md.postprocessors,
                  md.registeredExtensions)
    if any(type(p).__module__ not in PLAIN_MODULES and type(p) is not markdown_ext.CitationProcessor
           for registry in registries for p in registry):
        return False  # the site's own extension links glossary terms in prose
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    if any(isinstance(t, InlineTreeprocessor) and t is not inline for t in md.treeprocessors):
        return False  # another extension's own inline patterns (smarty's)
    md.reset()
    return not getattr(md.treeprocessors["abbr"], "abbrs", None) if "abbr" in md.treeprocessors else True


class TextRenderer:
    """Renders author Markdown with one private Markdown instance; results are cached."""

    def __init__(self, factory: Callable[[], markdown.Markdown]) -> None:
        self._md = factory()
        self._plain_as_is = reads_plain_prose_as_is(self._md)
        self._cache: dict[str, str] = {}
        self._plain: dict[str, str] = {}
        self._lock = threading.RLock()
        self._depth = 0

    def block(self, text: str) -> str:
        """Sanitised block HTML (paragraphs, lists, tables...)."""
        text = text.strip()
        if not text:
            return ""
        cached = self._cache.get(text)
        if cached is None:
            source = join_lines(text, folded=True)
            if self._plain_as_is and _PLAIN_PROSE.fullmatch(source):
                # What Markdown and the sanitizer make of it, without a conversion per text
                # (most quiz texts; the sanitizer's allow-list has nothing to take from it).
                cached = f"<p>{source}</p>"
            else:
                cached = self._convert(source)
            self._cache[text] = cached
        return cached

    def _convert(self, source: str) -> str:
        with self._lock:
            if self._depth:
                raise QuizFenceError("quiz text cannot contain another quiz fence")
            self._depth += 1
            try:
                self._md.reset()
                return sanitize.clean(self._md.convert(source)).strip()
            finally:
                self._depth -= 1

    def inline(self, text: str) -> str:
        """Sanitised phrasing content: a one-paragraph text without its <p>, else plain text."""
        block = self.block(text)
        match = _SINGLE_PARAGRAPH.fullmatch(block)
        if match:
            return match.group(1)
        return html.escape(self.plain(text), quote=False)

    def plain(self, text: str) -> str:
        """The text a reader sees, without markup (not escaped)."""
        found = self._plain.get(text)
        if found is None:
            found = self._plain[text] = plain_text(self.block(text))
        return found


plain_text = sanitize.plain_text


_RENDERERS: dict[str, TextRenderer] = {}
_BY_PAGE: weakref.WeakKeyDictionary[markdown.Markdown, TextRenderer] = weakref.WeakKeyDictionary()


def renderer_for(md: markdown.Markdown | None) -> TextRenderer:
    """A renderer with the extensions of the page's Markdown instance, shared between pages alike."""
    if md is None:
        return _renderer("", lambda: markdown.Markdown())
    found = _BY_PAGE.get(md)
    if found is None:
        instances, names = page_extensions(md)
        # The page links citations to its reference list: quiz text links them the same way.
        citations = markdown_ext.CITATION_NAME in md.inlinePatterns
        signature = repr(([(type(e).__module__, type(e).__qualname__, _config_repr(e)) for e in instances], names,
                          citations))

        def factory() -> markdown.Markdown:
            try:
                text_md = markdown.Markdown(extensions=[*(_rebuild(e) for e in instances), *names])
            except Exception:  # an extension that cannot be rebuilt: fall back to plain Markdown
                text_md = markdown.Markdown()
            if citations:
                markdown_ext.link_citations(text_md)
            return text_md

        found = _BY_PAGE[md] = _renderer(signature, factory)
    return found


def _renderer(signature: str, factory: Callable[[], markdown.Markdown]) -> TextRenderer:
    renderer = _RENDERERS.get(signature)
    if renderer is None:
        if len(_RENDERERS) >= 16:  # a long-running preview server reloads its configuration
            _RENDERERS.clear()
        renderer = _RENDERERS[signature] = TextRenderer(factory)
    return renderer


def page_extensions(md: markdown.Markdown) -> tuple[list[markdown.Extension], list[str]]:
    """The page's extensions: registered instances (with their configuration) and, for the
    extensions that do not register themselves, the module names their processors come from."""
    instances: list[markdown.Extension] = []
    covered: set[str] = set()
    for ext in md.registeredExtensions:
        module = type(ext).__module__
        covered.add(module)
        if module in EXCLUDED_EXTENSIONS or not module.startswith(("markdown.extensions.", "pymdownx.")):
            continue
        if ext not in instances:
            instances.append(ext)
    names: list[str] = []
    registries = (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns, md.treeprocessors, md.postprocessors)
    found = [type(processor).__module__ for registry in registries for processor in registry]
    found += [module for name, module in BY_PROCESSOR_NAME.items() if any(name in r for r in registries)]
    for module in found:
        if (module.startswith(("markdown.extensions.", "pymdownx.")) and module not in covered
                and module not in EXCLUDED_EXTENSIONS and module not in names and _is_extension(module)):
            names.append(module)
    return instances, names


def _is_extension(module: str) -> bool:
    try:
        return callable(getattr(importlib.import_module(module), "makeExtension", None))
    except ImportError:
        return False


def _config_repr(ext: markdown.Extension) -> str:
    return repr(sorted(ext.getConfigs().items(), key=lambda item: item[0]))


def _rebuild(ext: markdown.Extension) -> markdown.Extension:
    return type(ext)(**ext.getConfigs())


# ----------------------------------------------------------------------------------------------
# The formatter

def format(source: str, language: str, css_class: str, options: Mapping | None, md: markdown.Markdown | None,
           **kwargs: Any) -> str:
    """Render one ```quiz fence (JSON, see the module docstring) as HTML."""
    data = _parse(source)
    lang = data.get("language")
    if lang not in LANGUAGES:
        raise QuizFenceError(f"quiz fence {data.get('id')!r}: 'language' must be one of {', '.join(LANGUAGES)}, "
                             f"not {lang!r}")
    if data.get("mode") == "summative":
        return markdown_ext.widget(md, render_summative(data, lang))
    return markdown_ext.widget(md, QuizForm(data, lang, renderer_for(md), css_class).html())


def _parse(source: str) -> dict[str, Any]:
    try:
        data = json.loads(source)
    except ValueError as error:
        raise QuizFenceError(f"a quiz fence must hold the quiz as JSON written by the pipeline: {error}") from None
    if not isinstance(data, dict):
        raise QuizFenceError("a quiz fence must hold a JSON object")
    if not isinstance(data.get("id"), str) or not model.ID_PATTERN.match(data["id"]):
        raise QuizFenceError(f"a quiz fence needs an 'id' matching [a-z0-9][a-z0-9-]*, not {data.get('id')!r}")
    if not isinstance(data.get("lecture"), str) or not data["lecture"]:
        raise QuizFenceError(f"quiz fence {data['id']!r}: 'lecture' (the lecture id) is missing")
    return data


def render_summative(data: Mapping[str, Any], lang: str) -> str:
    """Only a notice: none of a summative quiz's text may reach the site."""
    unknown = sorted(set(data) - SUMMATIVE_FIELDS)
    if unknown:
        raise QuizFenceError(f"summative quiz fence {data['id']!r} may only hold {', '.join(sorted(SUMMATIVE_FIELDS))}; "
                             f"it also holds {', '.join(map(repr, unknown))}")
    count = data.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise QuizFenceError(f"summative quiz fence {data['id']!r}: 'count' must be the number of questions")
    ui = UI[lang]
    notice = ui["summative_one"] if count == 1 else ui["summative"].format(count=count)
    return (f'<div class="admonition info cmio-quiz-notice" data-quiz="{_attr(data["id"])}" lang="{lang}">'
            f"<p>{html.escape(notice, quote=False)}</p></div>")


def _attr(value: Any) -> str:
    return html.escape(str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' in the text."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def display_order(count: int, seed: str, shuffle: bool, avoid_identity: bool = False) -> list[int]:
    """A stable shuffle of range(count) (same order in every build and in both languages)."""
    order = list(range(count))
    if not shuffle:
        return order
    order.sort(key=lambda i: hashlib.sha256(f"{seed}\x00{i}".encode()).digest())
    if avoid_identity and count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


class QuizForm:
    """The HTML of one formative quiz."""

    def __init__(self, data: Mapping[str, Any], lang: str, text: TextRenderer, css_class: str = "") -> None:
        quiz = {k: v for k, v in data.items() if k not in FORMATIVE_EXTRA}
        problems = model.validate_quiz(quiz)
        if problems:
            listed = "; ".join(f"{'.'.join(map(str, p.path)) or 'quiz'}: {p.message}" for p in problems[:5])
            raise QuizFenceError(f"quiz fence {data['id']!r} is not a valid quiz: {listed}")
        if model.settings(quiz)["mode"] != "formative":
            raise QuizFenceError(f"quiz fence {data['id']!r}: a summative quiz fence holds only "
                                 f"{', '.join(sorted(SUMMATIVE_FIELDS))}")
        self.quiz = quiz
        self.lecture = data["lecture"]
        self.lang = lang
        self.ui = UI[lang]
        self.text = text
        self.css_class = css_class
        self.shuffle = bool(model.settings(quiz)["shuffle"])
        self.base = f"cmio-quiz-{quiz['id']}"

    def html(self) -> str:
        quiz_id = self.quiz["id"]
        title = self.quiz.get("title") or self.ui["quiz"]
        classes = " ".join(dict.fromkeys(["cmio-quiz", *self.css_class.split()]))
        parts = [
            f'<form class="{_attr(classes)}" id="{self.base}" data-quiz="{_attr(quiz_id)}" '
            f'data-lecture="{_attr(self.lecture)}" lang="{self.lang}" aria-labelledby="{self.base}-title" novalidate>',
            f'<p class="cmio-quiz__title" id="{self.base}-title" data-search-exclude>{self.text.inline(title)}</p>',
        ]
        entries = []
        for question in model.questions(self.quiz):
            markup, entry = self.question(question)
            parts.append(markup)
            entries.append(entry)
        data = {"quiz": quiz_id, "lecture": self.lecture, "ui": {k: self.ui[k] for k in JS_STRINGS},
                "questions": entries}
        parts.append(f'<p class="cmio-quiz__score" id="{self.base}-score" hidden></p>')
        parts.append(f'<script type="application/json" class="cmio-quiz__data">{script_json(data)}</script>')
        parts.append("</form>")
        return "\n".join(parts)

    # -- one question ---------------------------------------------------------------------------

    def question(self, q: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        qtype = q["type"]
        qid = f"{self.base}-{q['id']}"
        prompt = self.text.block(q["prompt"])
        single = _SINGLE_PARAGRAPH.fullmatch(prompt)
        first = _FIRST_PARAGRAPH.fullmatch(prompt)
        if single:
            legend, rest = single.group(1), ""
        elif first:
            legend, rest = first.group(1), first.group(2)
        else:
            legend, rest = html.escape(plain_text(prompt), quote=False), ""
        out = [f'<fieldset class="cmio-q cmio-q--{qtype}" id="{qid}" data-question="{_attr(q["id"])}" '
               f'data-type="{qtype}">',
               f'<legend class="cmio-q__prompt">{legend}</legend>']
        if rest:
            out.append(f'<div class="cmio-q__prompt-more">{rest}</div>')
        out.append(getattr(self, "body_" + qtype.replace("-", "_"))(q, qid))
        hint = self.text.block(q["hint"]) if q.get("hint") else ""
        out.append('<div class="cmio-q__actions" data-search-exclude>')
        out.append(f'<button type="button" class="cmio-q__check" data-action="check">{self.ui["check"]}</button>')
        if hint:
            out.append(f'<button type="button" class="cmio-q__hint-toggle" data-action="hint" aria-expanded="false" '
                       f'aria-controls="{qid}-hint">{self.ui["hint_show"]}</button>')
        if q.get("explanation"):  # quiz.js shows it after two wrong tries
            out.append(f'<button type="button" class="cmio-q__show-answer" data-action="answer" hidden>'
                       f'{self.ui["show_answer"]}</button>')
        out.append("</div>")
        if hint:
            out.append(f'<div class="cmio-q__hint" id="{qid}-hint" aria-live="polite" hidden></div>')
        out.append(f'<div class="cmio-q__feedback" id="{qid}-feedback" aria-live="polite"></div>')
        out.append("</fieldset>")
        return "\n".join(out), self.entry(q, hint)

    def entry(self, q: Mapping[str, Any], hint: str) -> dict[str, Any]:
        """What quiz.js needs for one question: the grading fields (as the quiz model has them,
        texts reduced to plain text) and the sanitised HTML shown after a check."""
        qtype = q["type"]
        grading: dict[str, Any] = {"id": q["id"], "type": qtype}
        entry: dict[str, Any] = {"id": q["id"], "question": grading, "hint": hint or None,
                                 "explanation": self.text.block(q["explanation"]) if q.get("explanation") else None}
        if qtype in ("single", "multiple"):
            grading["choices"] = [{"correct": c.get("correct") is True} for c in q["choices"]]
            entry["choiceFeedback"] = [self.text.block(c["feedback"]) if c.get("feedback") else None
                                       for c in q["choices"]]
        else:
            feedback = q.get("feedback") or {}
            entry["feedback"] = {k: self.text.block(feedback[k]) if feedback.get(k) else None
                                 for k in ("correct", "incorrect")}
        if qtype in ("true-false", "numeric"):
            grading["answer"] = q["answer"]
        if qtype == "numeric" and "tolerance" in q:
            grading["tolerance"] = q["tolerance"]
        if qtype == "text":
            grading["answers"] = list(q["answers"])
        if qtype == "ordering":
            grading["items"] = [self.text.plain(item) for item in q["items"]]
        if qtype == "matching":
            grading["pairs"] = [[self.text.plain(left), self.text.plain(right)] for left, right in q["pairs"]]
        return entry

    def _seed(self, q: Mapping[str, Any], kind: str) -> str:
        return f"{self.quiz['id']}/{q['id']}/{kind}"

    def _choice(self, kind: str, name: str, cid: str, value: str, label: str) -> str:
        return (f'<div class="cmio-q__choice" data-search-exclude><input type="{kind}" id="{cid}" name="{name}" value="{value}">'
                f'<label for="{cid}">{label}</label></div>')

    def body_single(self, q: Mapping[str, Any], qid: str, kind: str = "radio") -> str:
        order = display_order(len(q["choices"]), self._seed(q, "choices"), self.shuffle)
        rows = [self._choice(kind, qid, f"{qid}-c{i}", str(i), self.text.inline(q["choices"][i]["text"]))
                for i in order]
        return '<div class="cmio-q__choices">' + "".join(rows) + "</div>"

    def body_multiple(self, q: Mapping[str, Any], qid: str) -> str:
        how = f'<p class="cmio-q__how" data-search-exclude>{self.ui["how_multiple"]}</p>'
        return how + self.body_single(q, qid, kind="checkbox")

    def body_true_false(self, q: Mapping[str, Any], qid: str) -> str:
        rows = [self._choice("radio", qid, f"{qid}-{value}", value, self.ui[value]) for value in ("true", "false")]
        return '<div class="cmio-q__choices">' + "".join(rows) + "</div>"

    def body_numeric(self, q: Mapping[str, Any], qid: str) -> str:
        return (f'<div class="cmio-q__field" data-search-exclude><label for="{qid}-input">{self.ui["number"]}</label> '
                f'<input type="text" inputmode="decimal" id="{qid}-input" name="{qid}" '
                f'autocomplete="off"></div>')

    def body_text(self, q: Mapping[str, Any], qid: str) -> str:
        return (f'<div class="cmio-q__field" data-search-exclude><label for="{qid}-input">{self.ui["text"]}</label> '
                f'<input type="text" id="{qid}-input" name="{qid}" maxlength="1000" autocomplete="off" '
                f'autocapitalize="off" spellcheck="false"></div>')

    def body_ordering(self, q: Mapping[str, Any], qid: str) -> str:
        items = q["items"]
        order = display_order(len(items), self._seed(q, "items"), True, avoid_identity=True)
        sep = self.ui["separator"]
        rows = []
        for position, i in enumerate(order):
            name = self.text.plain(items[i])
            up_off = ' aria-disabled="true"' if position == 0 else ""
            down_off = ' aria-disabled="true"' if position == len(order) - 1 else ""
            rows.append(
                f'<li class="cmio-q__item" data-index="{i}" data-search-exclude><span class="cmio-q__item-text">'
                f'{self.text.inline(items[i])}</span><span class="cmio-q__moves">'
                f'<button type="button" data-action="up" aria-label="{_attr(self.ui["move_up"] + sep + name)}"{up_off}>'
                f'{self.ui["move_up"]}</button>'
                f'<button type="button" data-action="down" aria-label="{_attr(self.ui["move_down"] + sep + name)}"'
                f'{down_off}>{self.ui["move_down"]}</button></span></li>')
        return (f'<p class="cmio-q__how" id="{qid}-how" data-search-exclude>{self.ui["how_ordering"]}</p>'
                f'<ol class="cmio-q__order" aria-describedby="{qid}-how">' + "".join(rows) + "</ol>"
                '<p class="cmio-sr cmio-q__moved" aria-live="polite"></p>')

    def body_matching(self, q: Mapping[str, Any], qid: str) -> str:
        pairs = q["pairs"]
        order = display_order(len(pairs), self._seed(q, "right"), True, avoid_identity=True)
        options = f'<option value="">{self.ui["choose"]}</option>' + "".join(
            f'<option value="{j}">{html.escape(self.text.plain(pairs[j][1]), quote=False)}</option>' for j in order)
        rows = [f'<div class="cmio-q__pair" data-search-exclude><label for="{qid}-m{i}">{self.text.inline(left)}</label> '
                f'<select id="{qid}-m{i}" data-left="{i}">{options}</select></div>'
                for i, (left, _right) in enumerate(pairs)]
        return (f'<p class="cmio-q__how" data-search-exclude>{self.ui["how_matching"]}</p>'
                '<div class="cmio-q__pairs">' + "".join(rows) + "</div>")

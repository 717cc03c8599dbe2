/*
 * Formative quizzes of the course site.
 *
 * The grader mirrors the Python quiz model (curriculum_quiz.model.grade) on the same canonical
 * responses: choices, items and right-hand sides are named by their index in the source.
 * tests/vectors/grading.json holds both to the same scores. The widget reads the quiz data that
 * curriculum/site/quizfence.py embeds in each form, grades a question when its "Check answer"
 * button is pressed, shows the feedback and explanation in the question's aria-live region and
 * reports the quiz total to the progress store (window.CMIOProgress.recordQuiz).
 *
 * No libraries and no network: everything comes from the page.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------
  // The grader

  var NUMERIC_EPSILON = 1e-9;
  // The characters Python's str.split() treats as whitespace (str.isspace), no more, no less.
  var WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  function normalizeText(value) {
    return value.normalize("NFKC").split(WHITESPACE).filter(function (part) {
      return part !== "";
    }).join(" ").toLowerCase();
  }

  function isIndex(value, n) {
    return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < n;
  }

  function isNumber(value) {
    return typeof value === "number" && isFinite(value);
  }

  function allIndices(list, n) {
    return list.every(function (r) { return isIndex(r, n); });
  }

  /** Why a canonical response is malformed for this question, or null if it is well formed. */
  function responseProblem(question, response) {
    var n;
    switch (question.type) {
      case "single":
        n = question.choices.length;
        if (!isIndex(response, n)) return "expected the index of one of " + n + " choices";
        return null;
      case "multiple":
        n = question.choices.length;
        if (!Array.isArray(response) || !allIndices(response, n)) return "expected a list of choice indices below " + n;
        if (new Set(response).size !== response.length) return "a choice is selected more than once";
        return null;
      case "true-false":
        return typeof response === "boolean" ? null : "expected true or false";
      case "numeric":
        return isNumber(response) ? null : "expected a finite number";
      case "text":
        if (typeof response !== "string") return "expected text";
        if (Array.from(response).length > 1000) return "the answer is longer than 1000 characters";
        return null;
      case "ordering": {
        n = question.items.length;
        if (!Array.isArray(response)) return "expected every one of the " + n + " items exactly once";
        var seen = response.filter(function (r) { return isIndex(r, n); }).sort(function (a, b) { return a - b; });
        var ok = seen.length === n && seen.every(function (r, i) { return r === i; });
        return ok ? null : "expected every one of the " + n + " items exactly once";
      }
      case "matching":
        n = question.pairs.length;
        if (!Array.isArray(response) || response.length !== n) return "expected one entry for each of the " + n + " left-hand items";
        if (!response.every(function (r) { return r === null || isIndex(r, n); })) {
          return "expected right-hand indices below " + n + ", or nothing";
        }
        return null;
      default:
        return "unknown question type " + JSON.stringify(question.type);
    }
  }

  /** Score a well-formed canonical response in [0, 1], exactly as the Python quiz model does. */
  function grade(question, response) {
    var problem = responseProblem(question, response);
    if (problem) throw new Error(problem);
    var count;
    switch (question.type) {
      case "single":
        return question.choices[response].correct === true ? 1 : 0;
      case "multiple": {
        var key = question.choices.map(function (c) { return c.correct === true; });
        var right = key.filter(Boolean).length;
        var hits = response.filter(function (r) { return key[r]; }).length;
        var misses = response.length - hits;
        return Math.max(0, (hits - misses) / right);
      }
      case "true-false":
        return response === question.answer ? 1 : 0;
      case "numeric": {
        var answer = question.answer;
        var tolerance = question.tolerance === undefined ? 0 : question.tolerance;
        var slack = NUMERIC_EPSILON * Math.max(1, Math.abs(answer));
        return Math.abs(response - answer) <= tolerance + slack ? 1 : 0;
      }
      case "text": {
        var given = normalizeText(response);
        return question.answers.some(function (a) { return normalizeText(a) === given; }) ? 1 : 0;
      }
      case "ordering":
      case "matching":
        count = response.filter(function (r, i) { return r === i; }).length;
        return count / response.length;
    }
    throw new Error("unknown question type");
  }

  function isCorrect(score) {
    return score >= 1 - NUMERIC_EPSILON;
  }

  window.CMIOQuizGrader = {
    grade: grade,
    responseProblem: responseProblem,
    normalizeText: normalizeText,
    isCorrect: isCorrect
  };

  // ------------------------------------------------------------------------------------------
  // The widget

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function formatScore(value) {
    return String(Math.round(value * 100) / 100);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // HTML produced and sanitised at build time by the fence formatter (never learner input).
  function trustedBlock(className, html) {
    var el = element("div", className);
    el.innerHTML = html;
    return el;
  }

  /** The canonical response the learner has given, or {missing: message}. */
  function readResponse(q, ui) {
    var fs = q.fieldset;
    var type = q.question.type;
    var checked;
    if (type === "single" || type === "true-false") {
      checked = fs.querySelector("input[type=radio]:checked");
      if (!checked) return { missing: ui.need_single };
      return { response: type === "single" ? Number(checked.value) : checked.value === "true" };
    }
    if (type === "multiple") {
      checked = Array.prototype.map.call(fs.querySelectorAll("input[type=checkbox]:checked"), function (box) {
        return Number(box.value);
      });
      if (!checked.length) return { missing: ui.need_multiple };
      return { response: checked };
    }
    if (type === "numeric") {
      var field = fs.querySelector("input");
      var value = field.valueAsNumber;
      if (!isNumber(value)) {
        value = Number(String(field.value).trim().replace(",", "."));
        if (!field.value.trim() || !isNumber(value)) return { missing: ui.need_number };
      }
      return { response: value };
    }
    if (type === "text") {
      var text = fs.querySelector("input").value;
      if (!text.trim()) return { missing: ui.need_text };
      return { response: text.slice(0, 1000) };
    }
    if (type === "ordering") {
      return {
        response: Array.prototype.map.call(fs.querySelectorAll(".cmio-q__item"), function (li) {
          return Number(li.getAttribute("data-index"));
        })
      };
    }
    // matching: one select per left item, in source order
    var response = [];
    Array.prototype.forEach.call(fs.querySelectorAll("select[data-left]"), function (select) {
      response[Number(select.getAttribute("data-left"))] = select.value === "" ? null : Number(select.value);
    });
    if (response.every(function (r) { return r === null; })) return { missing: ui.need_matching };
    return { response: response };
  }

  /** The author's feedback for the learner's own response, as the Python model chooses it. */
  function feedbackFor(q, response, score) {
    var type = q.question.type;
    if (type === "single" || type === "multiple") {
      var picked = type === "single" ? [response] : response.slice().sort(function (a, b) { return a - b; });
      return picked.map(function (i) { return q.choiceFeedback[i]; }).filter(Boolean);
    }
    var text = (q.feedback || {})[isCorrect(score) ? "correct" : "incorrect"];
    return text ? [text] : [];
  }

  function Quiz(form) {
    this.form = form;
    this.data = JSON.parse(form.querySelector("script.cmio-quiz__data").textContent);
    this.ui = this.data.ui;
    this.scores = {};
    this.questions = {};
    var quiz = this;
    this.data.questions.forEach(function (entry) {
      var fieldset = form.querySelector('fieldset[data-question="' + entry.id + '"]');
      if (!fieldset) return;
      entry.fieldset = fieldset;
      quiz.questions[entry.id] = entry;
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("click", function (event) { quiz.onClick(event); });
    form.addEventListener("keydown", function (event) { quiz.onKeydown(event); });
  }

  Quiz.prototype.entryOf = function (node) {
    var fieldset = node.closest("fieldset[data-question]");
    return fieldset ? this.questions[fieldset.getAttribute("data-question")] : undefined;
  };

  Quiz.prototype.onClick = function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || !this.form.contains(button)) return;
    var q = this.entryOf(button);
    if (!q) return;
    var action = button.getAttribute("data-action");
    if (action === "check") this.check(q);
    else if (action === "hint") this.toggleHint(q, button);
    else if (action === "up" || action === "down") this.move(q, button, action === "up" ? -1 : 1);
  };

  Quiz.prototype.onKeydown = function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || (target.type !== "text" && target.type !== "number")) return;
    var q = this.entryOf(target);
    if (!q) return;
    event.preventDefault();
    this.check(q);
  };

  Quiz.prototype.check = function (q) {
    var ui = this.ui;
    var region = q.fieldset.querySelector(".cmio-q__feedback");
    var given = readResponse(q, ui);
    region.textContent = "";
    if (given.missing) {
      q.fieldset.removeAttribute("data-result");
      region.appendChild(element("p", "cmio-q__verdict cmio-q__verdict--missing", given.missing));
      return;
    }
    var score = grade(q.question, given.response);
    var result = isCorrect(score) ? "correct" : score > 0 ? "partial" : "incorrect";
    q.fieldset.setAttribute("data-result", result);
    var verdict = result === "partial" ? fill(ui.partial, { percent: Math.round(score * 100) + "%" }) : ui[result];
    region.appendChild(element("p", "cmio-q__verdict cmio-q__verdict--" + result, verdict));
    feedbackFor(q, given.response, score).forEach(function (html) {
      region.appendChild(trustedBlock("cmio-q__choice-feedback", html));
    });
    if (q.explanation) {
      var explanation = element("div", "cmio-q__explanation");
      explanation.appendChild(element("p", "cmio-q__label", ui.explanation));
      explanation.appendChild(trustedBlock("cmio-q__explanation-text", q.explanation));
      region.appendChild(explanation);
    }
    this.scores[q.id] = score;
    this.record();
  };

  Quiz.prototype.record = function () {
    var scores = this.scores;
    var total = Object.keys(scores).reduce(function (sum, id) { return sum + scores[id]; }, 0);
    var max = this.data.questions.length;
    var summary = this.form.querySelector(".cmio-quiz__score");
    if (summary) {
      summary.textContent = fill(this.ui.score, { score: formatScore(total), max: max });
      summary.hidden = false;
    }
    var progress = window.CMIOProgress;
    if (progress && typeof progress.recordQuiz === "function") {
      try {
        progress.recordQuiz(this.data.lecture, this.data.quiz, total, max);
      } catch (error) {
        if (window.console) window.console.error(error);
      }
    }
  };

  Quiz.prototype.toggleHint = function (q, button) {
    var box = document.getElementById(button.getAttribute("aria-controls"));
    if (!box || !q.hint) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    if (open && !box.hasChildNodes()) {
      box.appendChild(element("p", "cmio-q__label", this.ui.hint));
      box.appendChild(trustedBlock("cmio-q__hint-text", q.hint));
    }
    box.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? this.ui.hint_hide : this.ui.hint_show;
  };

  Quiz.prototype.move = function (q, button, step) {
    var li = button.closest(".cmio-q__item");
    var list = li.parentNode;
    if (step < 0 && li.previousElementSibling) {
      // Move the neighbour rather than the item, so the focused button never leaves the page.
      list.insertBefore(li.previousElementSibling, li.nextElementSibling);
    } else if (step > 0 && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else {
      return;
    }
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (item, position) {
      var up = item.querySelector('button[data-action="up"]');
      var down = item.querySelector('button[data-action="down"]');
      if (position === 0) up.setAttribute("aria-disabled", "true"); else up.removeAttribute("aria-disabled");
      if (position === items.length - 1) down.setAttribute("aria-disabled", "true"); else down.removeAttribute("aria-disabled");
    });
    button.focus();
    var status = q.fieldset.querySelector(".cmio-q__moved");
    if (status) {
      var name = li.querySelector(".cmio-q__item-text").textContent.replace(/\s+/g, " ").trim();
      status.textContent = fill(this.ui.moved, { item: name, position: items.indexOf(li) + 1, count: items.length });
    }
  };

  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("form.cmio-quiz"), function (form) {
      if (form.getAttribute("data-ready") === "true") return;
      try {
        new Quiz(form);
        form.setAttribute("data-ready", "true");
      } catch (error) {
        if (window.console) window.console.error("quiz " + form.getAttribute("data-quiz") + ": " + error);
      }
    });
  }

  window.CMIOQuiz = { init: init };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  // Material's instant navigation swaps the page content without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { init(document); });
  }
})();

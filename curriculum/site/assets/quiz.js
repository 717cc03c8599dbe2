/*
 * Formative quizzes of the course site.
 *
 * The grader mirrors the Python quiz model (curriculum_quiz.model.grade) on the same canonical
 * responses: choices, items and right-hand sides are named by their index in the source.
 * tests/vectors/grading.json holds both to the same scores. The widget reads the quiz data that
 * curriculum/site/quizfence.py embeds in each form, grades a question when its "Check answer"
 * button is pressed and shows the verdict and the feedback on the learner's own answer in the
 * question's aria-live region; ordering and matching mark each wrong position or pair. The
 * explanation (which gives the answer away) shows once the question is right, or after two
 * wrong tries when the learner presses "Show answer".
 *
 * Each check is kept by the progress store (window.CMIOProgress: recordAnswer, recordQuiz), so a
 * reloaded page restores the answers, their verdicts and the best score; a quiz is completed
 * once every question has been checked. Answers read back are checked against the question's
 * kind before use (responseProblem), as stored data is untrusted.
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

  // After this many checks that are not right, the learner may ask for the answer.
  var TRIES_BEFORE_ANSWER = 2;

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

  function progressStore() {
    var progress = window.CMIOProgress;
    return progress && typeof progress === "object" ? progress : null;
  }

  function callStore(name) {
    var store = progressStore();
    if (!store || typeof store[name] !== "function") return undefined;
    try {
      return store[name].apply(store, Array.prototype.slice.call(arguments, 1));
    } catch (error) {
      if (window.console) window.console.error(error);
      return undefined;
    }
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

  /** Put a (well-formed) canonical response back into the question's inputs. */
  function writeResponse(q, response) {
    var fs = q.fieldset;
    var type = q.question.type;
    if (type === "single" || type === "true-false" || type === "multiple") {
      var picked = type === "multiple" ? response.map(String) : [String(response)];
      Array.prototype.forEach.call(fs.querySelectorAll("input[type=radio], input[type=checkbox]"), function (box) {
        box.checked = picked.indexOf(box.value) !== -1;
      });
    } else if (type === "numeric" || type === "text") {
      fs.querySelector("input").value = String(response);
    } else if (type === "ordering") {
      var list = fs.querySelector(".cmio-q__order");
      var byIndex = {};
      Array.prototype.forEach.call(list.children, function (li) { byIndex[li.getAttribute("data-index")] = li; });
      response.forEach(function (index) { list.appendChild(byIndex[String(index)]); });
      updateMoves(list);
    } else {
      Array.prototype.forEach.call(fs.querySelectorAll("select[data-left]"), function (select) {
        var value = response[Number(select.getAttribute("data-left"))];
        select.value = value === null ? "" : String(value);
      });
    }
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

  function updateMoves(list) {
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (item, position) {
      var up = item.querySelector('button[data-action="up"]');
      var down = item.querySelector('button[data-action="down"]');
      if (position === 0) up.setAttribute("aria-disabled", "true"); else up.removeAttribute("aria-disabled");
      if (position === items.length - 1) down.setAttribute("aria-disabled", "true"); else down.removeAttribute("aria-disabled");
    });
  }

  /** The rows of an ordering or matching question, each with whether it is right in `response`. */
  function rowResults(q, response) {
    var fs = q.fieldset;
    if (q.question.type === "ordering") {
      return Array.prototype.map.call(fs.querySelectorAll(".cmio-q__item"), function (li, position) {
        return { row: li, control: null, right: Number(li.getAttribute("data-index")) === position };
      });
    }
    return Array.prototype.map.call(fs.querySelectorAll(".cmio-q__pair"), function (pair) {
      var select = pair.querySelector("select[data-left]");
      var left = Number(select.getAttribute("data-left"));
      return { row: pair, control: select, right: response[left] === left };
    });
  }

  function clearRowMarks(q) {
    Array.prototype.forEach.call(q.fieldset.querySelectorAll(".cmio-q__row-mark"), function (mark) { mark.remove(); });
    Array.prototype.forEach.call(q.fieldset.querySelectorAll("[data-row-result]"), function (row) {
      row.removeAttribute("data-row-result");
    });
    Array.prototype.forEach.call(q.fieldset.querySelectorAll("[aria-invalid]"), function (control) {
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
    });
  }

  // Each wrong pair or position is marked in words (seen and read out), not only the total.
  function markRows(q, response, ui) {
    clearRowMarks(q);
    rowResults(q, response).forEach(function (result) {
      result.row.setAttribute("data-row-result", result.right ? "right" : "wrong");
      if (result.right) return;
      if (result.control) result.control.setAttribute("aria-invalid", "true");
      var mark = element("span", "cmio-q__row-mark");
      mark.appendChild(element("span", "cmio-q__row-sign", "✗ ")).setAttribute("aria-hidden", "true");
      mark.appendChild(document.createTextNode(ui.row_wrong));
      if (result.control) {
        mark.id = result.control.id + "-mark";
        result.control.setAttribute("aria-describedby", mark.id);
        result.row.appendChild(mark);
      } else {
        result.row.insertBefore(mark, result.row.querySelector(".cmio-q__moves"));
      }
    });
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
      entry.tries = 0;
      entry.revealed = false;
      quiz.questions[entry.id] = entry;
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("click", function (event) { quiz.onClick(event); });
    form.addEventListener("keydown", function (event) { quiz.onKeydown(event); });
    form.addEventListener("change", function (event) {
      var q = event.target.tagName === "SELECT" ? quiz.entryOf(event.target) : undefined;
      if (q) quiz.clearRow(event.target);
    });
    this.restore();
  }

  Quiz.prototype.entryOf = function (node) {
    var fieldset = node.closest("fieldset[data-question]");
    return fieldset ? this.questions[fieldset.getAttribute("data-question")] : undefined;
  };

  Quiz.prototype.clearRow = function (select) {
    var row = select.closest(".cmio-q__pair");
    var mark = row && row.querySelector(".cmio-q__row-mark");
    if (mark) mark.remove();
    if (row) row.removeAttribute("data-row-result");
    select.removeAttribute("aria-invalid");
    select.removeAttribute("aria-describedby");
  };

  Quiz.prototype.onClick = function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || !this.form.contains(button)) return;
    var q = this.entryOf(button);
    if (!q) return;
    var action = button.getAttribute("data-action");
    if (action === "check") this.check(q);
    else if (action === "hint") this.toggleHint(q, button);
    else if (action === "answer") this.reveal(q);
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

  /** The answers kept from an earlier visit: inputs, verdicts and feedback come back as they were. */
  Quiz.prototype.restore = function () {
    var stored = callStore("answers", this.data.lecture, this.data.quiz);
    if (!stored || typeof stored !== "object") return;
    var quiz = this;
    Object.keys(this.questions).forEach(function (id) {
      var q = quiz.questions[id];
      var answer = Object.prototype.hasOwnProperty.call(stored, id) ? stored[id] : null;
      // Stored data is untrusted: the response must fit this question as it is now.
      if (!answer || typeof answer !== "object" || responseProblem(q.question, answer.response)) return;
      q.tries = Number.isInteger(answer.tries) && answer.tries >= 0 ? answer.tries : 0;
      q.revealed = answer.revealed === true;
      writeResponse(q, answer.response);
      quiz.show(q, answer.response);
    });
    var best = callStore("quiz", this.data.lecture, this.data.quiz);
    this.summary(best && best.max === this.data.questions.length ? best.best : null);
  };

  Quiz.prototype.check = function (q) {
    var ui = this.ui;
    var region = q.fieldset.querySelector(".cmio-q__feedback");
    var given = readResponse(q, ui);
    if (given.missing) {
      region.textContent = "";
      clearRowMarks(q);
      q.fieldset.removeAttribute("data-result");
      region.appendChild(element("p", "cmio-q__verdict cmio-q__verdict--missing", given.missing));
      return;
    }
    var score = grade(q.question, given.response);
    if (!isCorrect(score)) q.tries += 1;
    this.show(q, given.response);
    callStore("recordAnswer", this.data.lecture, this.data.quiz, q.id,
              { response: given.response, score: score, tries: q.tries, revealed: q.revealed });
    this.record();
  };

  /** Verdict, feedback, row marks and (when earned) the explanation of a graded response. */
  Quiz.prototype.show = function (q, response) {
    var ui = this.ui;
    var region = q.fieldset.querySelector(".cmio-q__feedback");
    var score = grade(q.question, response);
    var result = isCorrect(score) ? "correct" : score > 0 ? "partial" : "incorrect";
    this.scores[q.id] = score;
    region.textContent = "";
    q.fieldset.setAttribute("data-result", result);
    var verdict = result === "partial" ? fill(ui.partial, { percent: Math.round(score * 100) + "%" }) : ui[result];
    region.appendChild(element("p", "cmio-q__verdict cmio-q__verdict--" + result, verdict));
    feedbackFor(q, response, score).forEach(function (html) {
      region.appendChild(trustedBlock("cmio-q__choice-feedback", html));
    });
    if (q.question.type === "ordering" || q.question.type === "matching") {
      if (result === "correct") clearRowMarks(q); else markRows(q, response, ui);
    }
    var answerButton = q.fieldset.querySelector('button[data-action="answer"]');
    var explained = q.explanation && (result === "correct" || q.revealed);
    if (answerButton) answerButton.hidden = !(q.explanation && !explained && q.tries >= TRIES_BEFORE_ANSWER);
    if (explained) this.explain(q, region);
  };

  Quiz.prototype.explain = function (q, region) {
    if (region.querySelector(".cmio-q__explanation")) return;
    var explanation = element("div", "cmio-q__explanation");
    explanation.appendChild(element("p", "cmio-q__label", this.ui.explanation));
    explanation.appendChild(trustedBlock("cmio-q__explanation-text", q.explanation));
    region.appendChild(explanation);
  };

  /** "Show answer": the explanation, after the tries are used up. */
  Quiz.prototype.reveal = function (q) {
    if (!q.explanation || q.tries < TRIES_BEFORE_ANSWER) return;
    q.revealed = true;
    var button = q.fieldset.querySelector('button[data-action="answer"]');
    var region = q.fieldset.querySelector(".cmio-q__feedback");
    this.explain(q, region);
    if (button) {
      button.hidden = true;
      var check = q.fieldset.querySelector('button[data-action="check"]');
      if (check) check.focus(); // the pressed button is gone: keep the focus in the question
    }
    var stored = callStore("answers", this.data.lecture, this.data.quiz) || {};
    var last = stored[q.id];
    if (last && typeof last === "object") {
      last.revealed = true;
      callStore("recordAnswer", this.data.lecture, this.data.quiz, q.id, last);
    }
  };

  Quiz.prototype.summary = function (best) {
    var scores = this.scores;
    var ids = Object.keys(scores);
    if (!ids.length) return;
    var total = ids.reduce(function (sum, id) { return sum + scores[id]; }, 0);
    var max = this.data.questions.length;
    var el = this.form.querySelector(".cmio-quiz__score");
    if (!el) return;
    var text = fill(this.ui.score, { score: formatScore(total), max: max });
    if (best !== null && best !== undefined && best > total) {
      text += " " + fill(this.ui.best, { best: formatScore(best), max: max });
    }
    el.textContent = text;
    el.hidden = false;
  };

  Quiz.prototype.record = function () {
    var scores = this.scores;
    var ids = Object.keys(scores);
    var total = ids.reduce(function (sum, id) { return sum + scores[id]; }, 0);
    var max = this.data.questions.length;
    // Completed only once every question has been checked (answering one of five is not enough).
    var completed = this.data.questions.every(function (entry) {
      return Object.prototype.hasOwnProperty.call(scores, entry.id);
    });
    callStore("recordQuiz", this.data.lecture, this.data.quiz, total, max, completed);
    var best = callStore("quiz", this.data.lecture, this.data.quiz);
    this.summary(best && best.max === max ? best.best : null);
    callStore("refresh");
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
    clearRowMarks(q); // the marks were for the checked order
    updateMoves(list);
    button.focus();
    var items = Array.prototype.slice.call(list.children);
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

/*
 * The printed lecture (a handout): each formative quiz as numbered questions on paper, and
 * their answers on a last page of their own.
 *
 * Built once when the page is ready, hidden on screen by print.css and shown only in print, so
 * it is there however print styles are applied (the browser's Print and PDF export, but also
 * emulated print media, which sends no "beforeprint" event), it shows the quiz as written
 * whatever the trainee has since done on screen, and math.js renders the math it copies along
 * with the page's. Everything comes from the page itself: the question texts and choices from
 * the quiz form's markup (its display order), the answers from the quiz's JSON data script that
 * quiz.js grades with. A summative quiz has neither: its notice is printed as it is.
 */
(function () {
  "use strict";

  // The answer page's heading in each site language (the quiz's own strings come with its data).
  var ANSWERS = { en: "Answers", "zh-TW": "參考答案" };
  var LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  function letter(i) {
    return i < LETTERS.length ? LETTERS.charAt(i) : String(i + 1);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** A copy of author markup already in the page, without ids, "for" or form controls. */
  function copy(node) {
    var clone = node.cloneNode(true);
    [clone].concat(Array.prototype.slice.call(clone.querySelectorAll("*"))).forEach(function (n) {
      if (n.nodeType !== 1) return;
      n.removeAttribute("id");
      n.removeAttribute("for");
      n.removeAttribute("aria-describedby");
      n.removeAttribute("aria-controls");
    });
    Array.prototype.forEach.call(clone.querySelectorAll("input, select, button, textarea"), function (n) {
      n.remove();
    });
    return clone;
  }

  function contents(node) {
    var span = el("span");
    var clone = copy(node);
    while (clone.firstChild) span.appendChild(clone.firstChild);
    return span;
  }

  /** Sanitised HTML of the quiz data (explanations), parsed inert. */
  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function list(tag, className, items) {
    var ol = el(tag, className);
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(item);
      ol.appendChild(li);
    });
    return ol;
  }

  // -- one question on paper, and its answer ------------------------------------------------------

  function choices(fieldset) {
    // [{value, label}] in the order the page shows them
    return Array.prototype.map.call(fieldset.querySelectorAll(".cmio-q__choice"), function (row) {
      var input = row.querySelector("input");
      var label = row.querySelector("label");
      return { value: input ? input.value : "", label: label };
    });
  }

  function blankLine(fieldset) {
    var box = el("div", "cmio-print-blank");
    var label = fieldset.querySelector(".cmio-q__field label");
    if (label) box.appendChild(el("span", "cmio-print-blank__label", label.textContent));
    box.appendChild(el("span", "cmio-print-blank__line"));
    return box;
  }

  function printedQuestion(fieldset) {
    var type = fieldset.getAttribute("data-type");
    var item = el("div", "cmio-print-q");
    var legend = fieldset.querySelector(".cmio-q__prompt");
    var prompt = el("div", "cmio-print-q__prompt");
    if (legend) prompt.appendChild(contents(legend));
    item.appendChild(prompt);
    var more = fieldset.querySelector(".cmio-q__prompt-more");
    if (more) item.appendChild(copy(more));
    var how = fieldset.querySelector(".cmio-q__how");
    if (how && type === "multiple") item.appendChild(copy(how));

    if (type === "single" || type === "multiple" || type === "true-false") {
      item.appendChild(list("ol", "cmio-print-choices", choices(fieldset).map(function (choice) {
        return choice.label ? contents(choice.label) : el("span");
      })));
    } else if (type === "numeric" || type === "text") {
      item.appendChild(blankLine(fieldset));
    } else if (type === "ordering") {
      item.appendChild(list("ul", "cmio-print-order", Array.prototype.map.call(
        fieldset.querySelectorAll(".cmio-q__item"), function (row) {
          var text = row.querySelector(".cmio-q__item-text");
          return text ? contents(text) : el("span", null, row.textContent);
        })));
    } else if (type === "matching") {
      var sides = el("div", "cmio-print-match");
      sides.appendChild(list("ol", "cmio-print-match__left", Array.prototype.map.call(
        fieldset.querySelectorAll(".cmio-q__pair label"), contents)));
      var select = fieldset.querySelector(".cmio-q__pair select");
      var options = select ? Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; }) : [];
      sides.appendChild(list("ol", "cmio-print-choices cmio-print-match__right", options.map(function (o) {
        return el("span", null, o.textContent);
      })));
      item.appendChild(sides);
    }
    return item;
  }

  function answerOf(fieldset, entry) {
    var q = entry.question || {};
    var type = fieldset.getAttribute("data-type");
    var answer = el("div", "cmio-print-a__answer");
    if (type === "single" || type === "multiple") {
      var shown = choices(fieldset);
      var right = [];
      shown.forEach(function (choice, position) {
        var source = (q.choices || [])[Number(choice.value)];
        if (source && source.correct) {
          var part = el("span", "cmio-print-a__choice", letter(position) + ". ");
          if (choice.label) part.appendChild(contents(choice.label));
          right.push(part);
        }
      });
      right.forEach(function (part, i) {
        if (i) answer.appendChild(document.createTextNode("; "));
        answer.appendChild(part);
      });
    } else if (type === "true-false") {
      var value = q.answer ? "true" : "false";
      var match = choices(fieldset).filter(function (c) { return c.value === value; })[0];
      answer.textContent = match && match.label ? match.label.textContent : value;
    } else if (type === "numeric") {
      answer.textContent = String(q.answer) + (q.tolerance ? " (± " + q.tolerance + ")" : "");
    } else if (type === "text") {
      answer.textContent = (q.answers || []).join(" / ");
    } else if (type === "ordering") {
      answer.appendChild(list("ol", "cmio-print-a__order", (q.items || []).map(function (text) {
        return el("span", null, text);
      })));
    } else if (type === "matching") {
      var select = fieldset.querySelector(".cmio-q__pair select");
      var options = select ? Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; }) : [];
      answer.appendChild(list("ol", "cmio-print-match__left", (q.pairs || []).map(function (pair, i) {
        var position = options.map(function (o) { return o.value; }).indexOf(String(i));
        return el("span", null, pair[0] + " → " + (position >= 0 ? letter(position) + ". " : "") + pair[1]);
      })));
    }
    return answer;
  }

  // -- a quiz ------------------------------------------------------------------------------------

  function readData(form) {
    var script = form.querySelector("script.cmio-quiz__data");
    if (!script) return null;
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  function printQuiz(form, data, answers) {
    var title = form.querySelector(".cmio-quiz__title");
    var byId = {};
    (data.questions || []).forEach(function (entry) { byId[entry.id] = entry; });
    var fieldsets = Array.prototype.filter.call(form.querySelectorAll("fieldset.cmio-q[data-question]"), function (f) {
      return byId[f.getAttribute("data-question")];
    });
    if (!fieldsets.length) return;

    var paper = el("section", "cmio-print-quiz");
    paper.setAttribute("lang", form.getAttribute("lang") || document.documentElement.lang);
    paper.setAttribute("data-quiz", form.getAttribute("data-quiz") || "");
    if (title) paper.appendChild(el("p", "cmio-print-quiz__title", title.textContent));
    var questions = list("ol", "cmio-print-quiz__questions", fieldsets.map(function (fieldset) {
      return printedQuestion(fieldset);
    }));
    paper.appendChild(questions);
    form.parentNode.insertBefore(paper, form.nextSibling);

    var key = el("div", "cmio-print-a");
    key.setAttribute("data-quiz", form.getAttribute("data-quiz") || "");
    if (title) key.appendChild(el("h3", "cmio-print-a__title", title.textContent));
    var explanationLabel = (data.ui && data.ui.explanation) || "";
    key.appendChild(list("ol", "cmio-print-a__list", fieldsets.map(function (fieldset) {
      var entry = byId[fieldset.getAttribute("data-question")];
      var block = el("div");
      block.appendChild(answerOf(fieldset, entry));
      if (entry.explanation) {
        var explanation = el("div", "cmio-print-a__explanation");
        if (explanationLabel) explanation.appendChild(el("p", "cmio-print-a__label", explanationLabel));
        explanation.appendChild(fragment(entry.explanation));
        block.appendChild(explanation);
      }
      return block;
    })));
    answers.push(key);
  }

  function init() {
    var article = document.querySelector("article.md-content__inner") || document.body;
    if (article.querySelector(".cmio-print-answers")) return;
    var answers = [];
    Array.prototype.forEach.call(article.querySelectorAll("form.cmio-quiz"), function (form) {
      var data = readData(form);
      if (data) printQuiz(form, data, answers);
    });
    if (!answers.length) return;
    var lang = document.documentElement.lang;
    var section = el("section", "cmio-print-answers");
    section.setAttribute("lang", lang);
    section.appendChild(el("h2", "cmio-print-answers__title", ANSWERS[lang] || ANSWERS.en));
    answers.forEach(function (key) { section.appendChild(key); });
    article.appendChild(section);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

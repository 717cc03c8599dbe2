/*
 * A trainee's progress on the course site, kept in this browser's localStorage only.
 *
 * window.CMIOProgress:
 *   visit(lectureId, path, quizIds)           records that the lecture was opened (now), where it
 *                                             is (its URL path from the site root) and its quizzes
 *   recordQuiz(lectureId, quizId, score, max, completed)
 *                                             keeps the best total score of a quiz; `completed` once
 *                                             every question has been checked
 *   recordAnswer(lectureId, quizId, questionId, answer)
 *                                             keeps a question's last answer {response, score, tries, revealed}
 *   answers(lectureId, quizId)                the kept answers of a quiz, by question id
 *   quiz(lectureId, quizId)                   {best, max, completed} of a quiz, or null
 *   lectureState(lectureId, quizIds)          {visited, completed, best, max} of a lecture
 *   data()                                    a copy of everything recorded
 *   exportFile()                              downloads it as a JSON file (returns the text)
 *   importFile(file)                          merges such a file (a Promise of the result)
 *
 * Storage key "cmio-progress-v2", value:
 *   {"version": 2,
 *    "last": {"lecture": "<id>", "path": "lectures/<domain>/<id>/"},
 *    "lectures": {"<id>": {"visited": "<ISO date>", "quizIds": ["<quizId>", ...],
 *                          "quizzes": {"<quizId>": {"best": <score>, "max": <max>, "completed": <bool>,
 *                                                   "answers": {"<questionId>": {"response": ..., "score": <0..1>,
 *                                                                                "tries": <n>, "revealed": <bool>}}}}}}}
 * Version 1 ("cmio-progress-v1": lectures → {visited, quizzes → {best, max}}) is still read: from
 * the old key when the new one is empty, and from exported files; a v1 quiz whose best is its
 * maximum counts as completed (every question was checked and right).
 *
 * Everything read back (storage, imported files) is untrusted: ids must match the id pattern,
 * answers keep only the shapes a canonical response can have; quiz.js then checks each response
 * against its question's kind before using it.
 *
 * On every page the lecture links of the sidebar and of the domain pages' tables show the
 * lecture's state; the home page (#cmio-home-progress) shows overall progress and a Continue
 * link; the progress page (#cmio-progress) lists every lecture. No network is used.
 */
(function () {
  "use strict";

  var KEY = "cmio-progress-v2";
  var V1_KEY = "cmio-progress-v1";
  var VERSION = 2;
  var ID = /^[a-z0-9][a-z0-9-]*$/;
  // A lecture page's URL from the site root, as MkDocs writes it (directory URLs or .html files).
  var LECTURE_PATH = /(?:^|\/)(lectures\/([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*)(?:\/(?:index\.html)?|\.html))$/;
  var MAX_ITEMS = 500; // a response list longer than any quiz question has
  var MAX_TEXT = 1000;

  // The only words this script writes on every page (sidebar marks): the pipeline's markup does
  // not reach every page, so they live here, by the page's language.
  var MARKS = {
    en: { visited: ", visited", score: ", best score {best} of {max}", completed: ", completed" },
    "zh-TW": { visited: "，已閱讀", score: "，最佳成績 {best}／{max}", completed: "，已完成" }
  };

  function empty() {
    return { version: VERSION, lectures: {} };
  }

  function isObject(value) {
    return Boolean(value) && typeof value === "object" && !Array.isArray(value);
  }

  function isScore(value) {
    return typeof value === "number" && isFinite(value) && value >= 0;
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // The shapes a canonical response can take (see quiz.js): a choice index or a number, true or
  // false, a text, or a list of indices (null for an unanswered matching row).
  function cleanResponse(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return isFinite(value) ? value : undefined;
    if (typeof value === "string") return Array.from(value).length <= MAX_TEXT ? value : undefined;
    if (Array.isArray(value) && value.length <= MAX_ITEMS && value.every(function (r) {
      return r === null || (typeof r === "number" && Number.isInteger(r) && r >= 0 && r < MAX_ITEMS);
    })) return value.slice();
    return undefined;
  }

  function cleanAnswer(value) {
    if (!isObject(value)) return null;
    var response = cleanResponse(value.response);
    if (response === undefined) return null;
    var score = typeof value.score === "number" && value.score >= 0 && value.score <= 1 ? value.score : 0;
    var tries = Number.isInteger(value.tries) && value.tries >= 0 ? Math.min(value.tries, 1e6) : 0;
    return { response: response, score: score, tries: tries, revealed: value.revealed === true };
  }

  function cleanQuiz(value, version) {
    if (!isObject(value) || !isScore(value.best) || !isScore(value.max) || value.best > value.max) return null;
    var out = { best: value.best, max: value.max };
    // Version 1 kept the running total: its maximum means every question was checked and right.
    out.completed = version === 1 ? value.max > 0 && value.best >= value.max : value.completed === true;
    out.answers = {};
    if (version === 2 && isObject(value.answers)) {
      Object.keys(value.answers).slice(0, MAX_ITEMS).forEach(function (qid) {
        var answer = ID.test(qid) ? cleanAnswer(value.answers[qid]) : null;
        if (answer) out.answers[qid] = answer;
      });
    }
    return out;
  }

  function cleanIds(value) {
    if (!Array.isArray(value)) return undefined;
    var ids = value.filter(function (id) { return typeof id === "string" && ID.test(id); });
    return ids.filter(function (id, i) { return ids.indexOf(id) === i; }).slice(0, MAX_ITEMS);
  }

  function cleanPath(value) {
    return typeof value === "string" && value.length < 500 && LECTURE_PATH.test(value) &&
      LECTURE_PATH.exec(value)[1] === value ? value : null;
  }

  // A clean version-2 copy of `value` if it is progress data (version 1 or 2), else null.
  function sanitize(value) {
    if (!isObject(value) || (value.version !== 1 && value.version !== VERSION)) return null;
    if (!isObject(value.lectures)) return null;
    var version = value.version;
    var out = empty();
    Object.keys(value.lectures).forEach(function (id) {
      var entry = value.lectures[id];
      if (!ID.test(id) || !isObject(entry)) return;
      var clean = { quizzes: {} };
      if (typeof entry.visited === "string" && !isNaN(Date.parse(entry.visited))) clean.visited = entry.visited;
      var ids = version === 2 ? cleanIds(entry.quizIds) : undefined;
      if (ids) clean.quizIds = ids;
      var quizzes = isObject(entry.quizzes) ? entry.quizzes : {};
      Object.keys(quizzes).forEach(function (quizId) {
        var q = ID.test(quizId) ? cleanQuiz(quizzes[quizId], version) : null;
        if (q) clean.quizzes[quizId] = q;
      });
      out.lectures[id] = clean;
    });
    if (version === 2 && isObject(value.last) && typeof value.last.lecture === "string" && ID.test(value.last.lecture)) {
      var path = cleanPath(value.last.path);
      if (path) out.last = { lecture: value.last.lecture, path: path };
    }
    return out;
  }

  var memory = null; // used when localStorage is unavailable (private windows, policies)
  var storageBroken = false;

  function load() {
    try {
      var raw = window.localStorage.getItem(KEY);
      if (raw === null) raw = window.localStorage.getItem(V1_KEY); // migrated on the next save
      if (raw === null) return memory ? sanitize(memory) || empty() : empty();
      return sanitize(JSON.parse(raw)) || empty();
    } catch (error) {
      storageBroken = true;
      return memory ? sanitize(memory) || empty() : empty();
    }
  }

  function save(data) {
    memory = data;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(data));
      return true;
    } catch (error) {
      storageBroken = true;
      return false;
    }
  }

  function lecture(data, id) {
    if (!data.lectures[id]) data.lectures[id] = { quizzes: {} };
    return data.lectures[id];
  }

  function quizEntry(entry, quizId, max) {
    var q = entry.quizzes[quizId];
    if (!q || q.max !== max) {
      // A new quiz, or one whose questions changed: its old score says nothing about this one.
      q = entry.quizzes[quizId] = { best: 0, max: max, completed: false, answers: q ? q.answers : {} };
    }
    return q;
  }

  function validIds() {
    return Array.prototype.every.call(arguments, function (id) { return typeof id === "string" && ID.test(id); });
  }

  function visit(lectureId, path, quizIds) {
    if (!validIds(lectureId)) return;
    var data = load();
    var entry = lecture(data, lectureId);
    entry.visited = new Date().toISOString();
    var ids = cleanIds(quizIds);
    if (ids) entry.quizIds = ids;
    var clean = cleanPath(path);
    if (clean) data.last = { lecture: lectureId, path: clean };
    save(data);
  }

  function recordQuiz(lectureId, quizId, score, max, completed) {
    if (!validIds(lectureId, quizId) || !isScore(score) || !isScore(max) || score > max) return;
    var data = load();
    var q = quizEntry(lecture(data, lectureId), quizId, max);
    q.best = Math.max(q.best, score);
    if (completed === true) q.completed = true;
    save(data);
  }

  function recordAnswer(lectureId, quizId, questionId, answer) {
    if (!validIds(lectureId, quizId, questionId)) return;
    var clean = cleanAnswer(answer);
    if (!clean) return;
    var data = load();
    var entry = lecture(data, lectureId);
    var q = entry.quizzes[quizId];
    if (!q) q = entry.quizzes[quizId] = { best: 0, max: 0, completed: false, answers: {} };
    q.answers[questionId] = clean;
    save(data);
  }

  function answers(lectureId, quizId) {
    var entry = load().lectures[lectureId];
    var q = entry && own(entry.quizzes, quizId) ? entry.quizzes[quizId] : null;
    return q ? JSON.parse(JSON.stringify(q.answers)) : {};
  }

  function quiz(lectureId, quizId) {
    var entry = load().lectures[lectureId];
    var q = entry && own(entry.quizzes, quizId) ? entry.quizzes[quizId] : null;
    return q && q.max > 0 ? { best: q.best, max: q.max, completed: q.completed } : null;
  }

  // A lecture's state from `current`: visited; completed when visited and every formative quiz
  // (`quizIds`, else the ones it was seen with) is completed; the summed best score of its quizzes.
  function stateOf(current, lectureId, quizIds) {
    var entry = own(current.lectures, lectureId) ? current.lectures[lectureId] : null;
    var state = { visited: Boolean(entry && entry.visited), completed: false, best: 0, max: 0 };
    if (!entry) return state;
    var ids = quizIds || entry.quizIds || Object.keys(entry.quizzes);
    var done = state.visited;
    ids.forEach(function (id) {
      var q = own(entry.quizzes, id) ? entry.quizzes[id] : null;
      if (q && q.max > 0) {
        state.best += q.best;
        state.max += q.max;
      }
      if (!q || !q.completed) done = false;
    });
    state.completed = done;
    return state;
  }

  function lectureState(lectureId, quizIds) {
    return stateOf(load(), lectureId, cleanIds(quizIds));
  }

  function data() {
    return JSON.parse(JSON.stringify(load()));
  }

  // Merge `incoming` into `current`: the later visit, the better score and the better answer win.
  function merge(current, incoming) {
    Object.keys(incoming.lectures).forEach(function (id) {
      var from = incoming.lectures[id];
      var to = lecture(current, id);
      if (from.visited && (!to.visited || Date.parse(from.visited) > Date.parse(to.visited))) {
        to.visited = from.visited;
        if (from.quizIds) to.quizIds = from.quizIds;
      }
      if (!to.quizIds && from.quizIds) to.quizIds = from.quizIds;
      Object.keys(from.quizzes).forEach(function (quizId) {
        var q = from.quizzes[quizId];
        var mine = to.quizzes[quizId];
        if (!mine || (mine.max !== q.max && q.max > 0)) {
          to.quizzes[quizId] = q;
          return;
        }
        if (mine.max === q.max) {
          mine.best = Math.max(mine.best, q.best);
          mine.completed = mine.completed || q.completed;
        }
        Object.keys(q.answers).forEach(function (qid) {
          var a = q.answers[qid];
          var b = mine.answers[qid];
          if (!b || a.score > b.score) mine.answers[qid] = a;
          else {
            b.tries = Math.max(a.tries, b.tries);
            b.revealed = a.revealed || b.revealed;
          }
        });
      });
    });
    if (incoming.last && !current.last) current.last = incoming.last;
    return current;
  }

  function fileName() {
    return "cmio-progress-" + new Date().toISOString().slice(0, 10) + ".json";
  }

  function exportFile() {
    var text = JSON.stringify(load(), null, 2) + "\n";
    var blob = new Blob([text], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = fileName();
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(url);
      link.remove();
    }, 1000);
    return text;
  }

  function readText(file) {
    if (file && typeof file.text === "function") return file.text();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsText(file);
    });
  }

  function importFile(file) {
    if (!file) return Promise.reject(new Error("no file"));
    if (file.size > 5 * 1024 * 1024) return Promise.reject(new Error("the file is larger than 5 MB"));
    return readText(file).then(function (text) {
      var parsed;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new Error("it is not a JSON file");
      }
      var incoming = sanitize(parsed);
      if (!incoming) throw new Error("it is not a progress file of this site (version 1 or " + VERSION + ")");
      var merged = merge(load(), incoming);
      save(merged);
      refresh();
      return { lectures: Object.keys(incoming.lectures).length, data: JSON.parse(JSON.stringify(merged)) };
    });
  }

  window.CMIOProgress = {
    key: KEY,
    visit: visit,
    recordQuiz: recordQuiz,
    recordAnswer: recordAnswer,
    answers: answers,
    quiz: quiz,
    lectureState: lectureState,
    data: data,
    exportFile: exportFile,
    importFile: importFile
  };

  // ------------------------------------------------------------------------------------------
  // Shared by the pages

  function strings(root, selector) {
    var node = root.querySelector(selector);
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return own(values, key) ? String(values[key]) : all;
    });
  }

  function formatScore(value) {
    return String(Math.round(value * 100) / 100);
  }

  function formatDate(iso, language) {
    var date = new Date(iso);
    try {
      return date.toLocaleDateString(language || undefined, { year: "numeric", month: "long", day: "numeric" });
    } catch (error) {
      return iso.slice(0, 10);
    }
  }

  function pageLanguage() {
    var lang = document.documentElement.lang || "en";
    return own(MARKS, lang) ? lang : lang.toLowerCase().indexOf("zh") === 0 ? "zh-TW" : "en";
  }

  // ------------------------------------------------------------------------------------------
  // Lecture links: the sidebar and the domain pages' tables

  function lectureOfLink(link) {
    if (link.origin !== window.location.origin || link.hash && link.pathname === window.location.pathname) return null;
    var match = LECTURE_PATH.exec(link.pathname);
    return match && match[3] !== "index" ? match[3] : null;
  }

  function markLinks(current) {
    var text = MARKS[pageLanguage()];
    var marker = document.querySelector(".cmio-lecture[data-lecture-id]");
    var here = marker ? marker.getAttribute("data-lecture-id") : null;
    // Lecture links, and on a lecture page the sidebar's entry for the page itself (on a phone
    // it is the label that opens the page's table of contents).
    var links = document.querySelectorAll(".md-nav a.md-nav__link[href], .md-content table a[href], " +
                                          '.md-nav label.md-nav__link--active[for="__toc"]');
    Array.prototype.forEach.call(links, function (link) {
      if (link.closest("#cmio-progress")) return;
      Array.prototype.forEach.call(link.querySelectorAll(".cmio-mark, .cmio-mark-sr"), function (old) { old.remove(); });
      link.classList.remove("cmio-link--visited", "cmio-link--completed");
      // A collapsed section's link leads to its first page; it stands for the section.
      if (link.parentElement && link.parentElement.classList.contains("md-nav__item--nested")) return;
      var id = link.tagName === "LABEL" ? here : lectureOfLink(link);
      if (!id || !ID.test(id)) return;
      var state = stateOf(current, id);
      if (!state.visited && !state.max) return;
      var mark = document.createElement("span");
      mark.className = "cmio-mark" + (state.completed ? " cmio-mark--completed" : "");
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = (state.completed ? "✓" : "•") + (state.max ? " " + formatScore(state.best) + "/" + formatScore(state.max) : "");
      var spoken = document.createElement("span");
      spoken.className = "cmio-sr cmio-mark-sr";
      spoken.textContent = (state.max ? fill(text.score, { best: formatScore(state.best), max: formatScore(state.max) }) : "") +
        (state.completed ? text.completed : text.visited);
      link.classList.add(state.completed ? "cmio-link--completed" : "cmio-link--visited");
      // Inside Material's ellipsis span when there is one, so the mark sits at the title's end.
      var holder = link.querySelector(".md-ellipsis") || link;
      holder.appendChild(mark);
      holder.appendChild(spoken);
    });
  }

  // ------------------------------------------------------------------------------------------
  // The home page: overall progress and Continue

  function renderHome(current) {
    var root = document.getElementById("cmio-home-progress");
    if (!root) return;
    var text = strings(root, ".cmio-home-progress__strings");
    var lectures;
    try {
      lectures = JSON.parse(root.getAttribute("data-lectures") || "{}");
    } catch (error) {
      return;
    }
    var ids = Object.keys(lectures).filter(function (id) { return ID.test(id); });
    var done = ids.filter(function (id) {
      var info = lectures[id];
      return stateOf(current, id, cleanIds(info && info.quizzes) || []).completed;
    }).length;
    var summary = root.querySelector(".cmio-home-progress__summary");
    var bar = root.querySelector("progress");
    if (summary) summary.textContent = fill(text.overall, { done: done, total: ids.length });
    if (bar) {
      bar.max = Math.max(ids.length, 1);
      bar.value = done;
    }
    var cont = root.querySelector(".cmio-home-progress__continue");
    var last = current.last;
    if (cont) {
      var known = last && own(lectures, last.lecture);
      cont.hidden = !known;
      if (known) {
        var link = cont.querySelector("a");
        // The home page is the site's root: the stored path is already relative to it.
        link.setAttribute("href", last.path);
        link.textContent = fill(text["continue"], { title: String(lectures[last.lecture].title || last.lecture) });
      }
    }
    root.hidden = false;
  }

  // ------------------------------------------------------------------------------------------
  // The progress page

  function renderProgressPage(current) {
    var root = document.getElementById("cmio-progress");
    if (!root) return;
    var text = strings(root, ".cmio-progress__strings");
    var language = root.getAttribute("data-language") || document.documentElement.lang;

    function quizList(row) {
      try {
        return JSON.parse(row.getAttribute("data-quizzes") || "[]");
      } catch (error) {
        return [];
      }
    }

    function summarize(scope, kind) {
      var rows = scope.querySelectorAll("tr[data-lecture]");
      var visited = 0, quizzes = 0, taken = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var entry = current.lectures[row.getAttribute("data-lecture")];
        if (entry && entry.visited) visited += 1;
        var list = quizList(row);
        quizzes += list.length;
        list.forEach(function (quiz) {
          if (entry && entry.quizzes && entry.quizzes[quiz.id] && entry.quizzes[quiz.id].max) taken += 1;
        });
      });
      var line = scope.querySelector('[data-summary="' + kind + '"]');
      if (line) line.textContent = fill(text[kind], { visited: visited, lectures: rows.length, quizzes: taken, total: quizzes });
    }

    Array.prototype.forEach.call(root.querySelectorAll("tr[data-lecture]"), function (row) {
      var entry = current.lectures[row.getAttribute("data-lecture")];
      var visitedCell = row.querySelector('[data-cell="visited"]');
      var quizCell = row.querySelector('[data-cell="quiz"]');
      row.classList.toggle("cmio-progress--visited", Boolean(entry && entry.visited));
      if (visitedCell) {
        visitedCell.textContent = entry && entry.visited
          ? fill(text.visited, { date: formatDate(entry.visited, language) })
          : text.not_visited || "";
      }
      if (quizCell) {
        var list = quizList(row);
        if (!list.length) {
          quizCell.textContent = text.no_quiz || "";
        } else {
          quizCell.textContent = list.map(function (quiz) {
            var result = entry && entry.quizzes && entry.quizzes[quiz.id];
            if (!result || !result.max) return text.not_taken || "";
            return fill(text.score, { best: formatScore(result.best), max: formatScore(result.max) });
          }).join(" · ");
        }
      }
    });
    Array.prototype.forEach.call(root.querySelectorAll(".cmio-progress__module"), function (module) {
      summarize(module, "module");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".cmio-progress__domain"), function (domain) {
      summarize(domain, "domain");
    });
    var status = root.querySelector(".cmio-progress__status");
    if (status && storageBroken && !status.textContent) status.textContent = text.storage_error || "";
  }

  function setUpProgressPage() {
    var root = document.getElementById("cmio-progress");
    if (!root || root.getAttribute("data-ready") === "true") return;
    root.setAttribute("data-ready", "true");
    var text = strings(root, ".cmio-progress__strings");
    var status = root.querySelector(".cmio-progress__status");
    var exportButton = root.querySelector('[data-action="export"]');
    var input = root.querySelector('input[data-action="import"]');
    if (exportButton) {
      exportButton.addEventListener("click", function () {
        exportFile();
        if (status) status.textContent = fill(text.exported, { file: fileName() });
      });
    }
    if (input) {
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file) return;
        importFile(file).then(function (result) {
          if (status) status.textContent = fill(text.imported, { lectures: result.lectures });
        }, function (error) {
          if (status) status.textContent = fill(text.import_error, { reason: error && error.message ? error.message : String(error) });
        }).then(function () {
          input.value = "";
        });
      });
    }
  }

  function refresh() {
    var current = load();
    markLinks(current);
    renderHome(current);
    renderProgressPage(current);
  }

  function onPage() {
    var marker = document.querySelector(".cmio-lecture[data-lecture-id]");
    if (marker) {
      var match = LECTURE_PATH.exec(window.location.pathname);
      var quizIds = Array.prototype.map.call(document.querySelectorAll("form.cmio-quiz[data-quiz]"), function (form) {
        return form.getAttribute("data-quiz");
      });
      // A "coming soon" page is not where a trainee continues.
      var teaching = !marker.querySelector(".cmio-status--outline");
      visit(marker.getAttribute("data-lecture-id"), match && teaching ? match[1] : null, quizIds);
    }
    setUpProgressPage();
    refresh();
  }

  window.CMIOProgress.refresh = refresh;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
  // Material's instant navigation (if turned on) swaps pages without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  }
  // Another tab recorded something: keep the marks and pages current.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) refresh();
  });
})();

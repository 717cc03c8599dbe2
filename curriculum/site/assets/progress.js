/*
 * A trainee's progress on the course site, kept in this browser's localStorage only.
 *
 * window.CMIOProgress:
 *   visit(lectureId)                         records that the lecture was opened (now)
 *   recordQuiz(lectureId, quizId, score, max) keeps the best score of a quiz
 *   data()                                   a copy of everything recorded
 *   exportFile()                             downloads it as a JSON file (returns the text)
 *   importFile(file)                         merges such a file (a Promise of the result)
 *
 * Storage key "cmio-progress-v1", value:
 *   {"version": 1, "lectures": {"<id>": {"visited": "<ISO date>",
 *                                       "quizzes": {"<quizId>": {"best": <score>, "max": <max>}}}}}
 *
 * A lecture page carries <div class="cmio-lecture" data-lecture-id="...">: opening it records a
 * visit. The progress page (#cmio-progress) lists domains, modules and lectures; this script fills
 * in what was recorded and wires the export and import controls. No network is used.
 */
(function () {
  "use strict";

  var KEY = "cmio-progress-v1";
  var VERSION = 1;
  var ID = /^[a-z0-9][a-z0-9-]*$/;

  function empty() {
    return { version: VERSION, lectures: {} };
  }

  function isScore(value) {
    return typeof value === "number" && isFinite(value) && value >= 0;
  }

  // A clean copy of `value` if it is progress data, else null. Unknown keys are dropped.
  function sanitize(value) {
    if (!value || typeof value !== "object" || value.version !== VERSION) return null;
    if (!value.lectures || typeof value.lectures !== "object" || Array.isArray(value.lectures)) return null;
    var out = empty();
    Object.keys(value.lectures).forEach(function (id) {
      var entry = value.lectures[id];
      if (!ID.test(id) || !entry || typeof entry !== "object") return;
      var clean = { quizzes: {} };
      if (typeof entry.visited === "string" && !isNaN(Date.parse(entry.visited))) clean.visited = entry.visited;
      var quizzes = entry.quizzes && typeof entry.quizzes === "object" ? entry.quizzes : {};
      Object.keys(quizzes).forEach(function (quizId) {
        var q = quizzes[quizId];
        if (ID.test(quizId) && q && isScore(q.best) && isScore(q.max) && q.best <= q.max) {
          clean.quizzes[quizId] = { best: q.best, max: q.max };
        }
      });
      out.lectures[id] = clean;
    });
    return out;
  }

  var memory = null; // used when localStorage is unavailable (private windows, policies)
  var storageBroken = false;

  function load() {
    try {
      var raw = window.localStorage.getItem(KEY);
      if (raw === null) return empty();
      return sanitize(JSON.parse(raw)) || empty();
    } catch (error) {
      storageBroken = true;
      return memory ? sanitize(memory) : empty();
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
    if (!data.lectures[id].quizzes) data.lectures[id].quizzes = {};
    return data.lectures[id];
  }

  function visit(lectureId) {
    if (typeof lectureId !== "string" || !ID.test(lectureId)) return;
    var data = load();
    lecture(data, lectureId).visited = new Date().toISOString();
    save(data);
  }

  function recordQuiz(lectureId, quizId, score, max) {
    if (typeof lectureId !== "string" || !ID.test(lectureId) || typeof quizId !== "string" || !ID.test(quizId)) return;
    if (!isScore(score) || !isScore(max) || score > max) return;
    var data = load();
    var entry = lecture(data, lectureId);
    var previous = entry.quizzes[quizId];
    if (!previous || score > previous.best || previous.max !== max) {
      entry.quizzes[quizId] = { best: previous && previous.max === max ? Math.max(previous.best, score) : score, max: max };
    }
    save(data);
  }

  function data() {
    return JSON.parse(JSON.stringify(load()));
  }

  // Merge `incoming` into `current`: the later visit and the better score win.
  function merge(current, incoming) {
    Object.keys(incoming.lectures).forEach(function (id) {
      var from = incoming.lectures[id];
      var to = lecture(current, id);
      if (from.visited && (!to.visited || Date.parse(from.visited) > Date.parse(to.visited))) to.visited = from.visited;
      Object.keys(from.quizzes).forEach(function (quizId) {
        var q = from.quizzes[quizId];
        var mine = to.quizzes[quizId];
        if (!mine || mine.max !== q.max || q.best > mine.best) {
          to.quizzes[quizId] = mine && mine.max === q.max ? { best: Math.max(mine.best, q.best), max: q.max } : q;
        }
      });
    });
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
      if (!incoming) throw new Error("it is not a progress file of this site (version " + VERSION + ")");
      var merged = merge(load(), incoming);
      save(merged);
      render();
      return { lectures: Object.keys(incoming.lectures).length, data: JSON.parse(JSON.stringify(merged)) };
    });
  }

  window.CMIOProgress = {
    key: KEY,
    visit: visit,
    recordQuiz: recordQuiz,
    data: data,
    exportFile: exportFile,
    importFile: importFile
  };

  // ------------------------------------------------------------------------------------------
  // The progress page

  function strings(root) {
    var node = root.querySelector(".cmio-progress__strings");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
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

  function render() {
    var root = document.getElementById("cmio-progress");
    if (!root) return;
    var text = strings(root);
    var language = root.getAttribute("data-language") || document.documentElement.lang;
    var current = load();

    function summarize(scope, kind) {
      var rows = scope.querySelectorAll("tr[data-lecture]");
      var visited = 0, quizzes = 0, taken = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var entry = current.lectures[row.getAttribute("data-lecture")];
        if (entry && entry.visited) visited += 1;
        var list = JSON.parse(row.getAttribute("data-quizzes") || "[]");
        quizzes += list.length;
        list.forEach(function (quiz) {
          if (entry && entry.quizzes && entry.quizzes[quiz.id]) taken += 1;
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
        var list = JSON.parse(row.getAttribute("data-quizzes") || "[]");
        if (!list.length) {
          quizCell.textContent = text.no_quiz || "";
        } else {
          quizCell.textContent = list.map(function (quiz) {
            var result = entry && entry.quizzes && entry.quizzes[quiz.id];
            return result ? fill(text.score, { best: formatScore(result.best), max: formatScore(result.max) })
              : text.not_taken || "";
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
    var text = strings(root);
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
    render();
  }

  function onPage() {
    var marker = document.querySelector(".cmio-lecture[data-lecture-id]");
    if (marker) visit(marker.getAttribute("data-lecture-id"));
    setUpProgressPage();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
  // Material's instant navigation (if turned on) swaps pages without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  }
  // Another tab recorded something: keep the progress page current.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) render();
  });
})();

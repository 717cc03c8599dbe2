/*
 * Math in lectures: pymdownx.arithmatex (generic mode) writes \( ... \) and \[ ... \] into
 * elements of class "arithmatex"; on pages that have any, this loads the vendored KaTeX (from
 * this site, never from a CDN) and renders them. Pages without math load nothing.
 */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var base = here ? here.replace(/[^/]*$/, "") + "vendor/katex/" : null;
  var loading = null;

  function load() {
    if (window.katex) return Promise.resolve(window.katex);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "katex.min.css";
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = base + "katex.min.js";
      script.onload = function () { resolve(window.katex); };
      script.onerror = function () { reject(new Error("KaTeX could not be loaded")); };
      document.head.appendChild(script);
    });
    return loading;
  }

  function strip(text, display) {
    var value = text.trim();
    var open = display ? "\\[" : "\\(";
    var close = display ? "\\]" : "\\)";
    if (value.indexOf(open) === 0 && value.lastIndexOf(close) === value.length - 2) {
      value = value.slice(2, -2);
    }
    return value;
  }

  function render() {
    var nodes = document.querySelectorAll(".arithmatex:not([data-rendered])");
    if (!nodes.length || !base) return;
    load().then(function (katex) {
      Array.prototype.forEach.call(nodes, function (node) {
        // Material announces the page (document$) as soon as this script subscribes, as well as
        // on DOMContentLoaded: both calls wait on the same load, so render each node only once.
        if (node.hasAttribute("data-rendered")) return;
        var display = node.tagName !== "SPAN";
        var tex = strip(node.textContent, display);
        try {
          katex.render(tex, node, { displayMode: display, throwOnError: false });
          node.setAttribute("data-rendered", "true");
        } catch (error) {
          if (window.console) window.console.error(error);
        }
      });
    }, function (error) {
      if (window.console) window.console.error(error);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(render);
  }
})();

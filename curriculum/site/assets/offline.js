/*
 * The course site opened from disk (file://), e.g. the pull request's preview artifact unzipped.
 * Loaded in the page's <head>, before the theme's script; on a served site it does nothing, so
 * the served site keeps its directory URLs (lectures/ai/ai-models/) unchanged.
 *
 * From disk a browser shows a folder listing for a link that ends in "/", refuses XMLHttpRequest
 * and refuses a Worker script file. So, on file:// only:
 * - links to a folder are followed to its index.html (links in the page when it is ready, and
 *   links the theme adds later, such as search results, when they are clicked);
 * - the theme's search worker runs from its source, which the build writes into
 *   search/search_worker.js (a script, so it loads from disk); the search index itself comes
 *   from search/search_index.js, which the theme already reads from disk;
 * - the theme does not request the languages' sitemap.xml files (it would be refused, and the
 *   language menu's links already lead to the same page in the other language).
 */
(function () {
  "use strict";

  if (location.protocol !== "file:") return;

  var script = document.currentScript;
  var WORKER_SOURCE = script ? new URL("../search/search_worker.js", script.src).href : null;

  // -- links to folders --------------------------------------------------------------------------

  function toIndex(link) {
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#") return;
    var url = new URL(link.href, location.href);
    if (url.protocol !== "file:" || url.pathname.slice(-1) !== "/") return;
    url.pathname += "index.html";
    link.href = url.href;
  }

  function fixLinks() {
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), toIndex);
  }

  function onActivate(event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (link) toIndex(link);
  }

  document.addEventListener("click", onActivate, true);
  document.addEventListener("auxclick", onActivate, true);
  document.addEventListener("contextmenu", onActivate, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fixLinks);
  } else {
    fixLinks();
  }

  // -- sitemaps ----------------------------------------------------------------------------------
  // The theme reads every <link rel="alternate" hreflang> of the head (written before this script).

  Array.prototype.forEach.call(document.querySelectorAll("link[rel=alternate][hreflang]"), function (link) {
    link.remove();
  });

  // -- the search worker -------------------------------------------------------------------------

  var NativeWorker = window.Worker;
  if (!NativeWorker || !WORKER_SOURCE) return;

  var source = null;
  var waiting = [];

  function withSource(callback) {
    if (source !== null) return callback(source);
    waiting.push(callback);
    if (waiting.length > 1) return;
    var tag = document.createElement("script");
    tag.src = WORKER_SOURCE;
    tag.onload = function () {
      source = typeof window.__cmioSearchWorker === "string" ? window.__cmioSearchWorker : "";
      waiting.splice(0).forEach(function (pending) { pending(source); });
    };
    tag.onerror = function () {
      source = "";
      waiting.splice(0).forEach(function (pending) { pending(source); });
    };
    document.head.appendChild(tag);
  }

  /*
   * A stand-in with a Worker's interface (postMessage, terminate, "message" events) that starts
   * the real worker from a blob of its source once that source has loaded; messages sent before
   * then are delivered in order. (A worker from a blob cannot import scripts from disk: this
   * works because the site's search uses lunr's English pipeline only, which needs none.)
   */
  function SourceWorker() {
    var self = new EventTarget();
    var queue = [];
    var worker = null;
    var ended = false;

    function relay(type) {
      return function (event) {
        var copy = type === "message" ? new MessageEvent("message", { data: event.data }) : new Event(type);
        self.dispatchEvent(copy);
        var handler = self["on" + type];
        if (typeof handler === "function") handler.call(self, copy);
      };
    }

    self.postMessage = function (message) {
      if (worker) worker.postMessage(message);
      else queue.push(message);
    };
    self.terminate = function () {
      ended = true;
      if (worker) worker.terminate();
    };

    withSource(function (text) {
      if (ended) return;
      if (!text) {
        relay("error")();
        return;
      }
      var blob = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
      worker = new NativeWorker(blob);
      worker.addEventListener("message", relay("message"));
      worker.addEventListener("error", relay("error"));
      queue.splice(0).forEach(function (message) { worker.postMessage(message); });
    });
    return self;
  }

  window.Worker = function (url, options) {
    var resolved = new URL(url, location.href);
    if (resolved.protocol === "file:" && /\/workers\/search\.[^/]*\.js$/.test(resolved.pathname)) {
      return SourceWorker();
    }
    return new NativeWorker(url, options);
  };
})();

/*
 * Live preview (`curriculum serve` only; never part of a built site): asks the preview server
 * which build it serves, then waits on it for the next one (the server answers as soon as a
 * build or the sources' errors change, or after a while), reloads the page when a new build is
 * ready, and shows the sources' errors in a banner while they prevent a rebuild.
 */
(function () {
  "use strict";

  var seen = null;
  var errors = "";
  var banner = null;

  function show(errors) {
    if (!errors) {
      if (banner) banner.remove();
      banner = null;
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "cmio-preview-banner";
      banner.setAttribute("role", "alert");
      document.body.appendChild(banner);
    }
    banner.textContent = errors;
  }

  function poll() {
    var url = "/.cmio-preview.json";
    if (seen !== null) url += "?since=" + seen + "&errors=" + encodeURIComponent(errors);
    var wait = 0;
    fetch(url, { cache: "no-store" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (!state) { wait = 1000; return; }
      if (seen === null) seen = state.build;
      else if (state.build !== seen) { window.location.reload(); return; }
      errors = state.errors || "";
      show(errors);
    }).catch(function () {
      wait = 1000; /* the preview server stopped or is restarting */
    }).then(function () {
      setTimeout(poll, wait);
    });
  }

  poll();
})();

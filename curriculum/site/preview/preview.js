/*
 * Live preview (`curriculum serve` only; never part of a built site): asks the preview server
 * every second which build it serves, reloads the page when a new build is ready, and shows
 * the sources' errors in a banner while they prevent a rebuild.
 */
(function () {
  "use strict";

  var seen = null;
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
    fetch("/.cmio-preview.json", { cache: "no-store" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (!state) return;
      if (seen === null) seen = state.build;
      else if (state.build !== seen) window.location.reload();
      show(state.errors || "");
    }).catch(function () {
      /* the preview server stopped or is restarting */
    }).then(function () {
      setTimeout(poll, 1000);
    });
  }

  poll();
})();

/*
 * Small accessibility fixes of the theme's markup, applied in the browser:
 * Material's search box is a role="dialog" without a name; it gets the search field's label.
 */
(function () {
  "use strict";

  function fix() {
    var dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    var input = document.querySelector(".md-search__input[aria-label]");
    if (dialog && input) dialog.setAttribute("aria-label", input.getAttribute("aria-label"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();

/*
 * The site's small behaviours on top of the theme:
 *
 * - Material's search box is a role="dialog" without a name; it gets the search field's label.
 * - Glossary terms in the text (a.cmio-term, the definition in `title`) explain themselves in one
 *   popover: on hover with a mouse, on keyboard focus, and on a touch screen at the first tap
 *   (there is no hover to reveal it, and the link would leave the page at once). A second tap on
 *   the same term, or on the name in the popover, opens the glossary entry; a tap elsewhere or
 *   Escape closes it. Without JavaScript the `title` is still there as the browser's tooltip.
 */
(function () {
  "use strict";

  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    var input = document.querySelector(".md-search__input[aria-label]");
    if (dialog && input) dialog.setAttribute("aria-label", input.getAttribute("aria-label"));
  }

  // -- glossary terms ----------------------------------------------------------------------

  var TIP_ID = "cmio-term-tip";
  var HIDE_DELAY = 250; // ms: time to move the mouse from the term into the popover
  var tip = null; // the popover, made on first use
  var shown = null; // the term it explains
  var hovering = false;
  var hideTimer = 0;
  var press = null; // the pointer that went down last: {type, term, wasShown}

  function terms() {
    return document.querySelectorAll("a.cmio-term");
  }

  /* The definition moves from `title` to data-cmio-definition before the theme starts (it runs
     on DOMContentLoaded, after this script): the theme's own tooltip would answer hover and focus
     only, and the browser's tooltip would show the text twice. */
  function takeTitles() {
    var all = terms();
    for (var i = 0; i < all.length; i++) {
      if (all[i].hasAttribute("title")) {
        all[i].setAttribute("data-cmio-definition", all[i].getAttribute("title"));
        all[i].removeAttribute("title");
      }
    }
  }

  function termOf(node) {
    return node && node.closest ? node.closest("a.cmio-term") : null;
  }

  function inTip(node) {
    return !!(tip && node && tip.contains(node));
  }

  function makeTip() {
    tip = document.createElement("div");
    tip.id = TIP_ID;
    tip.className = "cmio-term-tip md-typeset";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    var name = document.createElement("a");
    name.className = "cmio-term-tip__name";
    name.tabIndex = -1; // the term itself is the keyboard's way to the entry
    var text = document.createElement("span");
    text.className = "cmio-term-tip__text";
    tip.appendChild(name);
    tip.appendChild(text);
    tip.addEventListener("pointerenter", function (event) {
      if (event.pointerType === "mouse") { hovering = true; clearTimeout(hideTimer); }
    });
    tip.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse") { hovering = false; hideSoon(); }
    });
    document.body.appendChild(tip);
  }

  /* "Name (ABBR): definition" (pages.glossary_terms writes it so): the name leads to the entry. */
  function split(definition) {
    var at = definition.search(/：|: /);
    if (at < 0) return [definition, ""];
    return [definition.slice(0, at), definition.slice(at + (definition.charAt(at) === "：" ? 1 : 2))];
  }

  function show(term) {
    clearTimeout(hideTimer);
    if (!tip) makeTip();
    if (shown && shown !== term) shown.removeAttribute("aria-describedby");
    var parts = split(term.getAttribute("data-cmio-definition") || "");
    var name = tip.querySelector(".cmio-term-tip__name");
    name.textContent = parts[0];
    name.href = term.href;
    tip.querySelector(".cmio-term-tip__text").textContent = parts[1];
    var lang = term.closest("[lang]");
    tip.lang = lang ? lang.getAttribute("lang") : "";
    tip.hidden = false;
    shown = term;
    term.setAttribute("aria-describedby", TIP_ID);
    place();
  }

  function hide() {
    clearTimeout(hideTimer);
    if (!tip || !shown) return;
    tip.hidden = true;
    shown.removeAttribute("aria-describedby");
    shown = null;
    hovering = false;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      if (!hovering && !(shown && document.activeElement === shown) && !inTip(document.activeElement)) hide();
    }, HIDE_DELAY);
  }

  /* Below the term's first line (above it when there is no room below), inside the viewport. */
  function place() {
    if (!tip || !shown) return;
    var box = shown.getClientRects()[0] || shown.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var gap = 6;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var size = tip.getBoundingClientRect();
    var left = Math.min(Math.max(8, box.left), Math.max(8, width - size.width - 8));
    var top = box.bottom + gap;
    if (top + size.height > window.innerHeight && box.top - gap - size.height >= 0) top = box.top - gap - size.height;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function touchLike(type) {
    return type === "touch" || type === "pen";
  }

  function watchTerms() {
    var all = terms();
    for (var i = 0; i < all.length; i++) {
      all[i].addEventListener("pointerenter", function (event) {
        if (event.pointerType !== "mouse") return;
        hovering = true;
        show(event.currentTarget);
      });
      all[i].addEventListener("pointerleave", function (event) {
        if (event.pointerType !== "mouse") return;
        hovering = false;
        hideSoon();
      });
      all[i].addEventListener("focus", function (event) {
        show(event.currentTarget);
      });
      all[i].addEventListener("blur", function (event) {
        if (!inTip(event.relatedTarget)) hideSoon();
      });
      all[i].addEventListener("click", function (event) {
        var term = event.currentTarget;
        var first = press && press.term === term && touchLike(press.type) && !press.wasShown;
        press = null;
        if (first) {
          event.preventDefault(); // the first tap explains; the second one follows the link
          show(term);
        }
      });
    }
    // Capture: note each pointer before the term's own handlers (and before focus moves).
    document.addEventListener("pointerdown", function (event) {
      var term = termOf(event.target);
      press = {type: event.pointerType, term: term, wasShown: !!term && term === shown && !tip.hidden};
      if (shown && term !== shown && !inTip(event.target)) hide();
    }, true);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !shown) return;
      if (inTip(document.activeElement)) shown.focus(); // back to the term, then closed
      hide();
    });
    window.addEventListener("resize", place);
  }

  function start() {
    nameSearchDialog();
    if (terms().length) watchTerms();
  }

  takeTitles();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Tooltips for figures and terms: an element's title shown as text, on hover and focus.
 *
 * Material's own tooltips (the content.tooltips feature) put a title into the page
 * with innerHTML, so a figure's label or a glossary definition, escaped once in the
 * HTML, would become markup again in the tooltip.  This script shows the same titles
 * with textContent only, styled as Material's tooltips.  Without JavaScript the
 * browser's own title tooltip shows the same text.
 *
 * Listeners sit on the document, so pages swapped in by instant navigation need
 * nothing more.  Escape hides the tooltip; the title is put back when it hides.
 */
(function () {
  "use strict";

  var HOSTS = ".md-content [title]";
  var tip = null;
  var host = null;

  function element() {
    if (!tip || !tip.isConnected) {
      tip = document.createElement("div");
      tip.className = "md-tooltip2 explainer-tooltip";
      tip.id = "explainer-tooltip";
      tip.setAttribute("role", "tooltip");
      var inner = document.createElement("div");
      inner.className = "md-tooltip2__inner md-typeset";
      tip.appendChild(inner);
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(el) {
    if (host === el) return;
    hide();
    var text = el.getAttribute("title");
    if (!text) return;
    host = el;
    // The browser would show its own tooltip over ours; the title comes back on hide.
    el.setAttribute("data-title", text);
    el.removeAttribute("title");
    el.setAttribute("aria-describedby", "explainer-tooltip");
    var node = element();
    node.firstChild.textContent = text;
    var box = el.getBoundingClientRect();
    // Material's tooltip stylesheet places the box from these properties (set through
    // the CSSOM, which a Content-Security-Policy allows, unlike style attributes).
    node.style.setProperty("--md-tooltip-host-x", box.left + window.scrollX + "px");
    node.style.setProperty("--md-tooltip-host-y", box.top + window.scrollY + "px");
    node.style.setProperty("--md-tooltip-x", box.width / 2 + "px");
    node.style.setProperty("--md-tooltip-y", box.height + 8 + "px");
    node.style.setProperty("--md-tooltip-width", node.firstChild.getBoundingClientRect().width + "px");
    node.classList.add("md-tooltip2--bottom", "md-tooltip2--active");
  }

  function hide() {
    if (!host) return;
    host.setAttribute("title", host.getAttribute("data-title"));
    host.removeAttribute("data-title");
    host.removeAttribute("aria-describedby");
    host = null;
    if (tip) tip.classList.remove("md-tooltip2--active");
  }

  function hostOf(target) {
    if (!(target instanceof Element)) return null;
    var el = target.closest(HOSTS + ", [data-title]");
    return el && el.closest(".md-content") ? el : null;
  }

  document.addEventListener("mouseover", function (e) {
    var el = hostOf(e.target);
    if (el) show(el);
    else if (host && !(e.target instanceof Node && host.contains(e.target))) hide();
  });
  document.addEventListener("focusin", function (e) {
    var el = hostOf(e.target);
    if (el) show(el); else hide();
  });
  document.addEventListener("focusout", function (e) {
    if (host && e.target === host) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
})();

/* A figure's provenance, opened in place (macros/provenance.py writes it, hidden, right after
 * each figure link: label, value, as-of date, sources, revisions).  Hover or focus shows it;
 * a click, a tap, Enter or Space keeps it open, and its links can then be followed (Tab goes
 * into it, as it comes next in the page); Escape closes it and gives focus back to the number.
 * The link itself goes to the sources page only when JavaScript is off.
 *
 * Keyboard: a paragraph's numbers are one tab stop, not one each (a chapter has dozens, and
 * a reader tabbing to a chart would press Tab through them all); the arrow keys move between
 * the numbers of that paragraph (roving tabindex).  Screen readers still reach every number,
 * each a button that says whether its provenance is open.
 */
(function () {
  "use strict";

  var BLOCK = "p, li, td, th, dd, figcaption, summary";
  var open = null;   // the figure link whose provenance shows
  var pinned = false;
  var serial = 0;

  function popoverOf(a) {
    var next = a && a.nextElementSibling;
    return next && next.classList.contains("fig-prov") ? next : null;
  }

  function figOf(target) {
    if (!(target instanceof Element)) return null;
    var a = target.closest("a.fig");
    if (a && popoverOf(a)) return a;
    var pop = target.closest(".fig-prov");
    return pop && pop.previousElementSibling && pop.previousElementSibling.matches("a.fig")
      ? pop.previousElementSibling : null;
  }

  function prepare(root) {
    var groups = new Map();
    root.querySelectorAll(".md-content a.fig").forEach(function (a) {
      var pop = popoverOf(a);
      if (!pop || a.hasAttribute("aria-controls")) return;
      if (!pop.id) pop.id = "fig-prov-" + (++serial);
      // The popover says what the title said; the browser's own tooltip would cover it.
      if (a.hasAttribute("title")) {
        a.setAttribute("data-fig-title", a.getAttribute("title"));
        a.removeAttribute("title");
      }
      a.setAttribute("role", "button");
      a.setAttribute("aria-expanded", "false");
      a.setAttribute("aria-controls", pop.id);
      var block = a.parentElement.closest(BLOCK) || a.parentElement;
      if (!groups.has(block)) groups.set(block, []);
      groups.get(block).push(a);
    });
    groups.forEach(function (list) {
      list.forEach(function (a, i) { a.setAttribute("tabindex", i === 0 ? "0" : "-1"); });
    });
  }

  function place(a, pop) {
    var parent = pop.offsetParent || document.body;
    var pr = parent.getBoundingClientRect();
    var box = a.getBoundingClientRect();
    var x = box.left - pr.left + parent.scrollLeft;
    var room = parent.clientWidth - pop.offsetWidth - 4;
    if (x > room) x = Math.max(0, room);
    // Set through the CSSOM, which the Content-Security-Policy allows (style attributes it refuses).
    pop.style.setProperty("--fig-prov-x", x + "px");
    pop.style.setProperty("--fig-prov-y", box.bottom - pr.top + parent.scrollTop + 4 + "px");
  }

  function show(a, pin) {
    if (open && open !== a) hide(false);
    var pop = popoverOf(a);
    open = a;
    pinned = pinned || !!pin;
    pop.hidden = false;
    pop.classList.add("fig-prov--open");
    // Shown on hover or focus, it is a glance: Tab moves on to the next paragraph, not
    // through its links.  Opened on purpose (click, tap, Enter, Space), its links come next.
    pop.querySelectorAll("a").forEach(function (link) {
      if (pinned) link.removeAttribute("tabindex"); else link.setAttribute("tabindex", "-1");
    });
    a.setAttribute("aria-expanded", "true");
    place(a, pop);
  }

  function hide(refocus) {
    if (!open) return;
    var a = open, pop = popoverOf(a);
    open = null;
    pinned = false;
    if (pop) {
      if (refocus && pop.contains(document.activeElement)) a.focus();
      pop.hidden = true;
      pop.classList.remove("fig-prov--open");
    }
    a.setAttribute("aria-expanded", "false");
  }

  function move(a, step) {
    var block = a.parentElement.closest(BLOCK) || a.parentElement;
    var list = Array.prototype.filter.call(block.querySelectorAll("a.fig[aria-controls]"), function (x) {
      return (x.parentElement.closest(BLOCK) || x.parentElement) === block;
    });
    var next = list[list.indexOf(a) + step];
    if (!next) return;
    a.setAttribute("tabindex", "-1");
    next.setAttribute("tabindex", "0");
    next.focus();
  }

  document.addEventListener("click", function (e) {
    var a = e.target instanceof Element ? e.target.closest("a.fig") : null;
    if (a && popoverOf(a)) {
      // The provenance opens here; the sources page is a link inside it.  Caught on the way
      // down (capture), before Material's instant navigation, listening on the body, follows it.
      e.preventDefault();
      e.stopPropagation();
      if (open === a && pinned) hide(false); else show(a, true);
      return;
    }
    if (open && !figOf(e.target)) hide(false);
  }, true);
  document.addEventListener("keydown", function (e) {
    var a = e.target instanceof Element && e.target.matches("a.fig[aria-controls]") ? e.target : null;
    if (e.key === "Escape" && open) { hide(true); return; }
    if (!a) return;
    if (e.key === " ") { e.preventDefault(); a.click(); }
    else if (e.key === "ArrowRight" || e.key === "ArrowDown") { e.preventDefault(); move(a, 1); }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { e.preventDefault(); move(a, -1); }
  });
  document.addEventListener("mouseover", function (e) {
    var a = figOf(e.target);
    if (a) show(a, false);
    else if (open && !pinned && !(open.contains(document.activeElement))) hide(false);
  });
  document.addEventListener("focusin", function (e) {
    var a = figOf(e.target);
    if (a) { if (e.target === a) show(a, false); }
    else if (open) hide(false);
  });

  // A link to a row of the figure index, or to a source's citations, lands in a closed <details>
  // (macros/markup.py): Chromium opens it by itself when it scrolls to the row, other browsers,
  // and Material's instant navigation, which scrolls by script, do not.  Open it, then scroll.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var inside = false;
    for (var d = target.parentElement; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") { inside = true; d.open = true; }
    }
    if (!inside) return;
    // Also when the browser opened it already: it may have done so after a scroll that missed the row.
    // And once more a frame later, in case instant navigation scrolls the page it swapped in after this.
    target.scrollIntoView();
    requestAnimationFrame(function () { target.scrollIntoView(); });
  }
  window.addEventListener("hashchange", reveal);

  function start() { prepare(document); reveal(); }
  // Pages swapped in by instant navigation are prepared again (Material's document$).
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

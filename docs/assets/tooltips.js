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

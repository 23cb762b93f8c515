/* The claims audit: the links by verdict and by chapter narrow the table in place.
 *
 * Without JavaScript they are plain links to lists below the table (macros/claimbox.py),
 * so the page works the same, one step slower.  With it, a link becomes a toggle button:
 * pressed, the table shows only the claims with that verdict (or from that chapter);
 * one verdict and one chapter can be combined; pressed again, it lets go.  A status line
 * says how many claims show.  Text is set with textContent only.
 */
(function () {
  "use strict";

  var state = { verdict: null, chapter: null };

  function apply(root) {
    var rows = root.querySelectorAll("table.claims-table tbody tr");
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = (!state.verdict || tr.dataset.verdict === state.verdict) &&
               (!state.chapter || tr.dataset.chapter === state.chapter);
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    root.querySelectorAll(".claims-filter a[data-filter]").forEach(function (a) {
      a.setAttribute("aria-pressed", String(state[a.dataset.filter] === a.dataset.value));
    });
    var status = root.querySelector(".claims-filter__status");
    if (status) {
      // Another edition writes its own words (data-showing, with {shown} and {total}).
      var showing = status.dataset.showing || "Showing {shown} of {total} claims in the table below.";
      status.textContent = state.verdict || state.chapter
        ? showing.split("{shown}").join(String(shown)).split("{total}").join(String(rows.length)) : "";
    }
  }

  function setup() {
    var filter = document.querySelector(".claims-filter");
    if (!filter) return;
    state = { verdict: null, chapter: null };
    filter.querySelectorAll("a[data-filter]").forEach(function (a) {
      a.setAttribute("role", "button");
      a.setAttribute("aria-pressed", "false");
    });
    filter.addEventListener("click", function (e) {
      var a = e.target instanceof Element ? e.target.closest("a[data-filter]") : null;
      if (!a) return;
      e.preventDefault();
      e.stopPropagation();  // not a jump to the list below: Material's instant navigation stays out
      var key = a.dataset.filter;
      state[key] = state[key] === a.dataset.value ? null : a.dataset.value;
      apply(document);
    });
    filter.addEventListener("keydown", function (e) {
      if (e.key === " " && e.target instanceof Element && e.target.matches("a[data-filter]")) {
        e.preventDefault();
        e.target.click();
      }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

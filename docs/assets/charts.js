/* Charts: static SVG first, interactive on first interaction.
 *
 * Every chart arrives as build-time SVG (readable with JavaScript off) plus its
 * compiled Vega spec in a <template>.  Nothing is loaded until a reader
 * hovers, focuses or taps a chart; then the Vega runtime, served from this
 * site, is loaded once and the static SVG is swapped for a live view with
 * tooltips on hover and on keyboard focus, drawn from the same layout (page or
 * phone) as the static drawing it replaces, so nothing moves.  Colours come from CSS
 * (currentColor), so both views follow the palette toggle with no re-render.
 *
 * The pages' Content-Security-Policy forbids eval, with which Vega compiles
 * its expressions: views are parsed with their expressions' syntax trees kept
 * (ast: true) and evaluated by vega-interpreter, the Vega project's CSP-safe
 * evaluator, served beside the runtime (macros/runtime.py, macros/csp.py).
 *
 * Material's instant navigation swaps the page content without a reload:
 * per-page work runs from `document$`, and views whose figure has left the
 * page are finalized there, so nothing leaks across navigations.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var RUNTIME = new URL("runtime/vega.min.js", script ? script.src : location.href).href;
  var INTERPRETER = new URL("runtime/vega-interpreter.js", script ? script.src : location.href).href;
  var live = new Map(); // <figure> -> Vega view
  var bound = new WeakSet();
  var runtime = null;
  var tip = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  // Vega, then the interpreter, which adds itself to the vega global.
  function loadRuntime() {
    if (window.vega && window.vega.expressionInterpreter) return Promise.resolve(window.vega);
    if (!runtime) {
      runtime = (window.vega ? Promise.resolve() : loadScript(RUNTIME))
        .then(function () { return loadScript(INTERPRETER); })
        .then(function () {
          if (!window.vega || !window.vega.expressionInterpreter) throw new Error("no Vega expression interpreter");
          return window.vega;
        })
        .catch(function (err) { runtime = null; throw err; });
    }
    return runtime;
  }

  function tooltipElement() {
    if (!tip || !tip.isConnected) {
      tip = document.createElement("div");
      tip.className = "chart-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.id = "chart-tooltip";
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  function hideTip() {
    if (tip) tip.hidden = true;
  }

  function showTip(value, x, y) {
    var el = tooltipElement();
    if (value == null || value === "") { el.hidden = true; return; }
    el.textContent = "";
    var entries = typeof value === "object" ? Object.entries(value) : [[null, value]];
    entries.forEach(function (kv) {
      var row = document.createElement("div");
      if (kv[0] !== null) {
        var k = document.createElement("span");
        k.className = "chart-tooltip__key";
        k.textContent = kv[0] + ": ";
        row.appendChild(k);
      }
      row.appendChild(document.createTextNode(String(kv[1])));
      el.appendChild(row);
    });
    el.hidden = false;
    var w = el.offsetWidth, h = el.offsetHeight;
    var left = Math.min(x + 12, window.innerWidth - w - 8);
    var top = y + 14 + h > window.innerHeight ? y - h - 10 : y + 14;
    el.style.left = Math.max(8, left) + "px";
    el.style.top = Math.max(8, top) + "px";
  }

  // Vega's tooltip handler: (handler, event, item, value).
  function vegaTooltip(_handler, event, _item, value) {
    if (value == null || value === "") { hideTip(); return; }
    showTip(value, event.clientX, event.clientY);
  }

  function makeMarksFocusable(figure, holder) {
    var nodes = holder.querySelectorAll("svg *");
    var first = null;
    nodes.forEach(function (node) {
      var item = node.__data__;
      if (!item || item._svg !== node || item.tooltip == null || !item.mark) return;
      // Groups hold marks; text marks are the value labels of a bar or rule that is itself a stop.
      if (item.mark.marktype === "group" || item.mark.marktype === "text") return;
      node.setAttribute("tabindex", "0");
      node.setAttribute("focusable", "true");
      // What a screen reader says is what the tooltip shows: titled and formatted, once
      // (Vega's own label repeats every field, some under their raw names).
      var tip = item.tooltip;
      if (tip && typeof tip === "object") {
        node.setAttribute("aria-label", Object.keys(tip).map(function (k) { return k + ": " + tip[k]; }).join("; "));
      }
      node.addEventListener("focus", function () {
        var r = node.getBoundingClientRect();
        showTip(item.tooltip, r.left + r.width / 2, r.top + r.height / 2);
      });
      node.addEventListener("blur", hideTip);
      if (!first) first = node;
    });
    return first;
  }

  // The page holds two static drawings (the page's and the phone's); CSS shows the
  // one that fits.  The live view is drawn from that one's Vega, so it has its
  // size to the pixel and replaces it without moving anything.
  function shownDrawing(canvas) {
    var all = canvas.querySelectorAll(":scope > svg.chart__drawing");
    for (var i = 0; i < all.length; i++) {
      if (getComputedStyle(all[i]).display !== "none") return all[i];
    }
    return all[0] || null;
  }

  function hydrate(figure, focusAfter) {
    if (live.has(figure) || figure.dataset.state === "loading") return;
    var canvas = figure.querySelector(".chart__canvas");
    var staticSvg = canvas && shownDrawing(canvas);
    var layout = staticSvg && staticSvg.classList.contains("chart__drawing--phone") ? "phone" : "wide";
    var template = figure.querySelector('template.chart__spec[data-layout="' + layout + '"]') ||
      figure.querySelector("template.chart__spec");
    if (!template || !canvas) return;
    figure.dataset.state = "loading";
    loadRuntime().then(function (vega) {
      if (!figure.isConnected) return null;
      var spec = JSON.parse(template.content.textContent);
      var holder = document.createElement("div");
      holder.className = "chart__live";
      holder.setAttribute("data-pending", ""); // drawn out of the flow, unseen (explainer.css)
      canvas.appendChild(holder);
      // Expressions as syntax trees, evaluated by the interpreter: no eval, as the CSP demands.
      var view = new vega.View(vega.parse(spec, null, { ast: true }), {
        expr: vega.expressionInterpreter,
        renderer: "svg", container: holder, hover: true, tooltip: vegaTooltip
      });
      live.set(figure, view);
      return view.runAsync().then(function () {
        var svg = holder.querySelector("svg");
        if (svg) {
          // The live view takes the static one's place for every reader: it is
          // named and described by the static SVG's title and description
          // (still referable while hidden), and its marks carry their values.
          svg.setAttribute("role", "graphics-document");
          ["labelledby", "describedby"].forEach(function (rel) {
            var ref = staticSvg && staticSvg.getAttribute("aria-" + rel);
            if (ref) svg.setAttribute("aria-" + rel, ref);
          });
          svg.removeAttribute("focusable");
        }
        // One step, so no frame shows both or neither.  An attribute, not the .hidden
        // property: SVG elements have no such property, and setting it left both on the page.
        canvas.querySelectorAll(":scope > svg.chart__drawing").forEach(function (still) {
          still.setAttribute("hidden", "");
        });
        holder.removeAttribute("data-pending");
        figure.dataset.state = "live";
        var first = makeMarksFocusable(figure, holder);
        if (focusAfter && first && document.activeElement === canvas) first.focus();
      });
    }).catch(function (err) {
      figure.dataset.state = "static"; // the static chart stays; nothing is lost
      // ... but nothing can be explored after all: no tab stop, no promise.
      canvas.removeAttribute("tabindex");
      if (canvas.dataset.label) canvas.setAttribute("aria-label", canvas.dataset.label);
      console.warn("chart stays static:", err.message);
    });
  }

  function bind(figure) {
    if (bound.has(figure)) return;
    bound.add(figure);
    // The static page leaves the canvas out of the tab order: without this script
    // there is nothing to explore.  With it, focus is one way in.
    var canvas = figure.querySelector(".chart__canvas");
    if (canvas) {
      canvas.dataset.label = canvas.getAttribute("aria-label");
      canvas.setAttribute("tabindex", "0");
      // Another edition writes its own words (data-explore, "{label}" where the chart's name goes).
      var explore = canvas.dataset.explore || "{label}; hover, tap or focus to explore values";
      canvas.setAttribute("aria-label", explore.split("{label}").join(canvas.dataset.label));
    }
    var start = function (event) { hydrate(figure, event.type === "focusin"); };
    figure.addEventListener("pointerenter", start, { once: true });
    figure.addEventListener("focusin", start, { once: true });
    figure.addEventListener("touchstart", start, { once: true, passive: true });
  }

  function finalizeDetached() {
    live.forEach(function (view, figure) {
      if (!figure.isConnected) {
        view.finalize(); // removes Vega's listeners and timers
        live.delete(figure);
      }
    });
    hideTip();
  }

  // An edition's chart face (overrides/main.html: link[data-chart-font], media="print"), applied once
  // the page has loaded and painted: fetched with the page, it would count as holding up its first
  // paint.  Again after each instant navigation, which may bring the link in afresh.
  function applyChartFont() {
    document.querySelectorAll("link[data-chart-font]").forEach(function (link) {
      if (link.media !== "all") link.media = "all";
    });
  }

  function afterFirstPaint(fn) {
    var loaded = document.readyState === "complete";
    var painted = !("PerformanceObserver" in window) ||
      (PerformanceObserver.supportedEntryTypes || []).indexOf("paint") < 0;
    var done = false;
    function maybe() {
      if (loaded && painted && !done) { done = true; setTimeout(fn, 0); }
    }
    if (!loaded) window.addEventListener("load", function () { loaded = true; maybe(); }, { once: true });
    if (!painted) {
      new PerformanceObserver(function (list, observer) {
        if (list.getEntriesByName("first-contentful-paint").length) {
          observer.disconnect();
          painted = true;
          maybe();
        }
      }).observe({ type: "paint", buffered: true });
    }
    maybe();
  }

  function setup() {
    finalizeDetached();
    document.querySelectorAll("figure.chart").forEach(bind);
    if (document.querySelector("link[data-chart-font]")) afterFirstPaint(applyChartFont);
  }

  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideTip(); });

  // For the browser tests and for anyone debugging in the console.
  window.explainerCharts = {
    liveViews: function () { return live.size; },
    runtimeUrl: RUNTIME,
    interpreterUrl: INTERPRETER
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

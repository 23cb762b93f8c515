"""Charts rendered at build time: Vega-Lite spec -> static SVG + compiled Vega, cached.

The cache lives outside site/ (``.cache/charts`` by default) and holds two
kinds of entry, so that a rebuild draws only the charts whose spec changed and
builds only the specs whose inputs changed:

- ``spec-<key>``: the Vega-Lite spec Altair built, keyed by everything it is
  built from: the chart's id, the code that builds specs (charts.py, theme.py,
  format.py, model.py), Altair's version, and every field of the figures and
  series the chart declares.  Computing this key needs neither Altair nor
  vl-convert, which is what makes a fully cached rebuild cheap.
- ``drawing-<key>``: the compiled Vega and the SVG, keyed by the spec itself,
  vl-convert's version and the drawing code (renderer.py).  An edit that
  changes a chart's inputs but not its spec (a figure's note, say) rebuilds
  the spec and finds the drawing.

Entries are written atomically (temporary file + rename), so concurrent builds
never see half an entry, and carry a sha256 of their content, so a corrupt
entry is made again, never served.  Entries a build uses are touched; those no
build has used for ``KEEP_DAYS`` are deleted after a successful build.
Charts that miss are made beside the build (renderer.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import queue
import re
import threading
import time
from dataclasses import dataclass
from html import escape
from importlib import metadata
from pathlib import Path

from .cache import read_checked, write_checked
from .charts import ChartDef
from .model import Dataset
from .renderer import CARD_HEIGHT, CARD_WIDTH, ChartFailed, Job, RenderPool, draw, draw_card, drop_spare, failure
from .theme import FONT

__all__ = ["ChartFailed", "ChartStore", "Rendered", "failure", "render_fresh", "social_png"]

# Bump when the post-processing here changes what an entry holds.
FORMAT = 5
KEEP_DAYS = 30
_SPEC_CODE = ("charts.py", "linecharts.py", "chartdef.py", "annotate.py", "theme.py", "format.py", "model.py")
_DRAW_CODE = ("renderer.py", "render.py")


@dataclass(frozen=True)
class Rendered:
    """What the page needs of one chart."""

    spec: dict  # Vega-Lite, with inline data
    svg: str
    vega: dict
    warnings: tuple[str, ...] = ()  # what Vega-Lite and Vega warned of while drawing it (the build stops)


def _canonical(obj: object, sort: bool = True) -> str:
    return json.dumps(obj, sort_keys=sort, ensure_ascii=False, separators=(",", ":"), default=str)


def _state(obj: object) -> object:
    """A figure's or series' every field but where it is written (moving a line changes no chart)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _state(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "origin"}
    if isinstance(obj, (tuple, list)):
        return [_state(v) for v in obj]
    return obj


_digests: dict[tuple[str, ...], str] = {}


def _code_digest(files: tuple[str, ...], dists: tuple[str, ...]) -> str:
    """Hash of some of this package's files and some libraries' versions (once per process)."""
    if files not in _digests:
        h = hashlib.sha256(f"format={FORMAT}\0".encode())
        here = Path(__file__).parent
        for name in files:
            h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        for dist in dists:
            h.update(f"{dist}=={metadata.version(dist)}\0".encode())
        _digests[files] = h.hexdigest()
    return _digests[files]


def spec_key(chart: ChartDef, data: Dataset) -> str:
    """The key of a chart's spec: the chart, the code and Altair that build it, and what it reads."""
    inputs = [_state(data.series[ref] if ref in data.series else data.figures[ref]) for ref in chart.uses]
    # Tooltips name each figure's publishers: a renamed publisher changes the spec too.
    inputs.append([_state(data.sources[s]) for s in sorted({s for f in chart.figures(data) for s in f.sources})
                   if s in data.sources])
    state = {"chart": chart.id, "code": _code_digest(_SPEC_CODE, ("altair",)), "inputs": inputs}
    if chart.locale != "en":  # another edition's spec: its texts too (English keys stay as they were)
        state["edition"] = [chart.locale, chart.description, [list(t) for t in chart.texts],
                            _code_digest(("i18n_charts.py",), ())]
    return hashlib.sha256(_canonical(state).encode()).hexdigest()


def drawing_key(spec: dict) -> str:
    """The key of a spec's drawing: the spec (key order included) and the renderer's code and version."""
    renderer = _code_digest(_DRAW_CODE, ("vl-convert-python",))
    return hashlib.sha256(f"{renderer}\0{_canonical(spec, sort=False)}".encode()).hexdigest()


def render_fresh(chart: ChartDef, data: Dataset) -> Rendered:
    """Build the spec with Altair and render it with vl-convert, in this process, no cache."""
    spec = chart.spec(data)
    vega, svg, warnings = draw(spec)
    return Rendered(spec, svg, vega, warnings)


class ChartCache:
    """The chart entries under one directory (None: no cache, every look-up misses)."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.used: set[str] = set()

    def _path(self, kind: str, key: str, ext: str = "json") -> Path | None:
        return self.directory / f"{kind}-{key}.{ext}" if self.directory else None

    def _read(self, path: Path | None, key: str) -> bytes | None:
        body = read_checked(path) if path is not None else None
        head = key.encode() + b"\n"
        if body is None or not body.startswith(head):
            return None
        self.used.add(path.name)
        try:
            os.utime(path)  # recently used: kept by prune()
        except OSError:
            pass
        return body[len(head):]

    def _write(self, path: Path | None, key: str, body: bytes) -> None:
        if path is not None:
            self.used.add(path.name)
            write_checked(path, key.encode() + b"\n" + body)

    def get(self, kind: str, key: str) -> object | None:
        body = self._read(self._path(kind, key), key)
        try:
            return json.loads(body) if body is not None else None
        except ValueError:
            return None  # a digest that matches unreadable JSON: made again, never served

    def put(self, kind: str, key: str, value: object) -> None:
        # Not sorted: the spec's key order is the order of the table's columns,
        # so a cached chart must come back exactly as it was rendered.
        self._write(self._path(kind, key), key, _canonical(value, sort=False).encode("utf-8"))

    def get_png(self, key: str) -> bytes | None:
        body = self._read(self._path("card", key, "png"), key)
        return body if body is not None and body.startswith(b"\x89PNG\r\n\x1a\n") else None

    def put_png(self, key: str, png: bytes) -> None:
        self._write(self._path("card", key, "png"), key, png)

    def drawing(self, spec: dict) -> tuple[dict, str, tuple[str, ...]] | None:
        """The Vega, SVG and warnings drawn for this spec, if an entry has them."""
        drawn = self.get("drawing", drawing_key(spec))
        try:
            vega, svg, warnings = drawn["vega"], drawn["svg"], tuple(drawn["warnings"])
        except (TypeError, KeyError):
            return None
        if isinstance(vega, dict) and isinstance(svg, str) and all(isinstance(w, str) for w in warnings):
            return vega, svg, warnings
        return None

    def put_drawing(self, spec: dict, vega: dict, svg: str, warnings: tuple[str, ...]) -> None:
        self.put("drawing", drawing_key(spec), {"vega": vega, "svg": svg, "warnings": list(warnings)})

    def prune(self, keep_days: float = KEEP_DAYS) -> int:
        """Delete the entries no build has used for keep_days (none that this one used); returns how many."""
        if self.directory is None or not self.directory.is_dir():
            return 0
        cutoff, removed = time.time() - keep_days * 86400, 0
        for path in self.directory.iterdir():
            try:
                if path.name not in self.used and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                pass  # another build removed or replaced it
        return removed


class ChartStore:
    """Rendered charts for one build, from the cache when possible, else made beside the build.

    Safe to ask from several threads (the card threads wait here for their charts)."""

    def __init__(self, data: Dataset, cache_dir: Path | None):
        self.data = data
        self.cache = ChartCache(cache_dir)
        self.hits = 0  # charts whose spec and drawing both came from the cache
        self.misses = 0  # charts whose spec or drawing had to be made
        self.drawn = 0  # charts V8 drew in this build
        self._memo: dict[str, Rendered | ChartFailed] = {}
        self._keys: dict[str, str] = {}  # chart id -> spec key
        self._pool: RenderPool | None = None
        self._press: CardPress | None = None
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._closed = False
        self._spec_cached: set[str] = set()  # charts whose spec the cache had (only their drawing is made)

    def prefetch(self, charts, cards=()) -> None:
        """Look the charts up in the cache, and start making the ones it lacks beside the build,
        and the social cards of ``cards`` as soon as each of those is ready.

        Called once, with every chart the pages place; a chart asked for later
        is made when it is asked for.
        """
        jobs = []
        with self._guard:
            for chart in charts:
                if chart.id in self._keys:
                    continue
                key = self._keys[chart.id] = spec_key(chart, self.data)
                spec = self.cache.get("spec", key)
                spec = spec if isinstance(spec, dict) else None
                drawn = self.cache.drawing(spec) if spec is not None else None
                if drawn is not None:
                    self.hits += 1
                    self._memo[chart.id] = Rendered(spec, drawn[1], drawn[0], drawn[2])
                    continue
                self.misses += 1
                if spec is not None:
                    self._spec_cached.add(chart.id)
                jobs.append(Job(chart, self.data, spec))
            if self._pool is None:
                # Also with no jobs: the render process forked ahead (hooks.py) is then stopped.
                self._pool = RenderPool.start(jobs, self.cache.drawing)
        if cards and self._press is None:
            self._press = CardPress(self, list(cards))

    def _lock(self, ident: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(ident, threading.Lock())

    def get(self, chart: ChartDef) -> Rendered:
        """The chart, from the cache or made (waiting for the process or thread that makes it).

        Raises ChartFailed, with the line of charts.py, for a chart that fails (every time it is asked for)."""
        with self._lock(chart.id):
            if chart.id not in self._memo:
                try:
                    self._memo[chart.id] = self._make(chart)
                except Exception as exc:  # noqa: BLE001 - kept, so every caller gets the chart's own error
                    self._memo[chart.id] = failure(chart.build, exc)
            rendered = self._memo[chart.id]
        if isinstance(rendered, ChartFailed):
            raise rendered
        return rendered

    def _make(self, chart: ChartDef) -> Rendered:
        if self._closed:  # a card thread still asking after a failed build: nothing more is made
            raise ChartFailed("the build stopped before the chart was made", None)
        self.prefetch([chart])
        if chart.id in self._memo:
            return self._memo[chart.id]
        if self._pool is not None and self._pool.has(chart.id):
            spec, vega, svg, warnings, drawn_now = self._pool.result(chart.id)
        else:  # asked for after prefetch: made here
            cached = self.cache.get("spec", self._keys[chart.id])
            if isinstance(cached, dict):
                self._spec_cached.add(chart.id)
            spec = Job(chart, self.data, cached if isinstance(cached, dict) else None).make_spec()
            drawn = self.cache.drawing(spec)
            (vega, svg, warnings), drawn_now = (drawn, False) if drawn is not None else (draw(spec), True)
        if chart.id not in self._spec_cached:
            self.cache.put("spec", self._keys[chart.id], spec)
        if drawn_now:
            with self._guard:
                self.drawn += 1
            self.cache.put_drawing(spec, vega, svg, warnings)
        return Rendered(spec, svg, vega, warnings)

    def card(self, chart: ChartDef) -> bytes:
        """The chart's social card, from the cache or rasterised now."""
        return social_png(chart, self.get(chart), self.cache)

    def cards(self) -> dict[str, bytes]:
        """The social cards asked for in ``prefetch`` that could be made, by chart id (waits for the last).

        A card whose chart failed is missing: ``card`` raises the chart's error."""
        return self._press.collect() if self._press is not None else {}

    def order(self) -> list[str]:
        """The charts being made beside the build, in the order they were handed over."""
        return self._pool.order() if self._pool is not None else []

    def close_renderers(self) -> None:
        """From now on give only charts already made; reap the render process (stopping it if the
        build ended early)."""
        self._closed = True
        if self._pool is not None:
            self._pool.close()
        drop_spare()

    def close(self) -> None:
        """Reap the render processes and the card threads."""
        self.close_renderers()
        if self._press is not None:
            self._press.stop()


OG_TEXT = "#1f2329"
OG_PAD = 40  # px of the card, all round
OG_TITLE = 32  # px: the title's size, less for a title too long to fit at it
OG_GAP = 20  # px between the title and the chart
OG_EM = 0.62  # the widest a bold title's average letter is, in ems (Liberation Sans Bold)
_SIZE = re.compile(r'^<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def card_svg(svg: str, title: str) -> str:
    """The chart as a social-media card: titled, on white, with dark text, 1200 by 630 px.

    Open Graph and Twitter show a large image at 1.91:1 and crop any other
    shape, so the card is that shape, with the chart scaled to fit under the
    title and centred: a tall chart cropped would lose its title.  A card is an
    image, so the page's colours cannot reach it: the chart's ``currentColor``
    takes a fixed dark grey from the card, and the transparent background
    becomes white.  Built around the page's own SVG, so a card costs a
    rasterisation (resvg, no V8) and shows exactly the chart the page shows.
    """
    size = _SIZE.match(svg)
    if size is None or not svg.endswith("</svg>"):
        raise ValueError("a chart SVG without width and height")
    w, h = float(size.group(1)), float(size.group(2))
    room = CARD_WIDTH - 2 * OG_PAD
    font = min(OG_TITLE, room / (OG_EM * max(len(title), 1)))
    top = OG_PAD + font + OG_GAP
    scale = min(room / w, (CARD_HEIGHT - top - OG_PAD) / h)
    x, y = (CARD_WIDTH - w * scale) / 2, top + (CARD_HEIGHT - top - OG_PAD - h * scale) / 2
    # The chart's content moves into a group: resvg draws a nested <svg> (a new
    # viewport) about five times slower, for the same picture.
    content = svg[svg.index(">") + 1:-len("</svg>")]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'<text x="{OG_PAD}" y="{OG_PAD + font:.2f}" font-family="{escape(FONT)}" font-size="{font:.2f}" '
            f'font-weight="bold" fill="{OG_TEXT}">{escape(title)}</text>'
            f'<g color="{OG_TEXT}" transform="translate({x:.2f},{y:.2f}) scale({scale:.5f})">{content}</g></svg>')


def social_png(chart: ChartDef, rendered: Rendered, cache: ChartCache | None = None) -> bytes:
    """A PNG card of the chart (CARD_WIDTH by CARD_HEIGHT), cached beside its SVG and checked before reuse."""
    key = hashlib.sha256(_canonical([_code_digest(_DRAW_CODE, ("vl-convert-python",)), chart.title,
                                     rendered.svg]).encode()).hexdigest()
    png = cache.get_png(key) if cache is not None else None
    if png is None:
        png = draw_card(card_svg(rendered.svg, chart.title))
        if cache is not None:
            cache.put_png(key, png)
    return png


class CardPress:
    """Social cards rasterised on two threads, each as soon as its chart is ready.

    resvg lets go of the GIL, so the cards are made while the other charts are
    drawn, the theme is compiled and the pages are written, on whichever core is free.
    """

    THREADS = 2

    def __init__(self, store: ChartStore, charts: list[ChartDef]):
        self._store = store
        self._todo: queue.SimpleQueue = queue.SimpleQueue()
        for chart in charts:
            self._todo.put(chart)
        self._done: dict[str, bytes] = {}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, name="explainer-cards", daemon=True)
                         for _ in range(self.THREADS)]
        for thread in self._threads:
            thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                chart = self._todo.get_nowait()
            except queue.Empty:
                return
            try:
                self._done[chart.id] = social_png(chart, self._store.get(chart), self._store.cache)
            except Exception:  # noqa: BLE001 - left out of collect(); store.card() then raises the chart's own error
                pass

    def stop(self) -> None:
        """Take no more cards, and wait for those being made."""
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def collect(self) -> dict[str, bytes]:
        for thread in self._threads:
            thread.join()
        return dict(self._done)

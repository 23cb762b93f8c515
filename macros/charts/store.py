"""Charts rendered at build time, in one cache: a chart's spec, Vega, SVG, warnings and card.

The cache lives outside site/ (``.cache/charts`` by default).  One entry per
chart, ``chart-<key>.json`` (spec, Vega, SVG and warnings) and, once a card was
made, ``chart-<key>.png`` beside it, both under one key: the chart's id, the
code that builds and draws it (``_CODE``), Altair's and vl-convert's
versions, every field of the figures and series the chart declares, and the
sources they cite (tooltips name publishers).  A chart's phone drawing is a
chart of its own (``ChartDef.phone_layout``: its own id, so its own entry).  Computing the key needs neither
Altair nor vl-convert, which is what makes a fully cached rebuild cheap; a miss
builds the spec and draws it, here, on the thread that asks.

Entries are written atomically (temporary file + rename), so concurrent builds
never see half an entry, and carry a sha256 of their content, so a corrupt
entry is made again, never served.  Entries a build uses are touched; those no
build has used for ``KEEP_DAYS`` are deleted after a successful build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..build.cache import read_checked, write_checked
from .catalog import ChartDef
from ..errors import ChartFailed, failure
from ..data.model import Dataset
from .cards import social_png
from .draw import draw

# Bump when the post-processing here changes what an entry holds.
FORMAT = 7
KEEP_DAYS = 30
# Paths in macros/: every file that changes what a chart draws (a split module lists each part).
_CODE = ("charts/catalog.py", "charts/linecharts.py", "charts/chartdef.py", "charts/annotate.py", "charts/theme.py",
         "pages/format.py", "pages/ja_numbers.py", "data/model.py", "charts/draw.py", "charts/store.py",
         "charts/fonts.py", "charts/cards.py", "charts/aria.py")
_DISTS = ("altair", "vl-convert-python")
_EDITION_CODE = ("pages/i18n.py", "pages/overlay.py", "charts/translated.py")


@dataclass(frozen=True)
class Rendered:
    """What the page needs of one chart."""

    spec: dict  # Vega-Lite, with inline data
    svg: str
    vega: dict
    warnings: tuple[str, ...] = ()  # what Vega-Lite and Vega warned of while drawing it (the build stops)
    texts_used: tuple[str, ...] = ()  # another edition's: the English texts it translated (unused_texts)


def _canonical(obj: object, sort: bool = True) -> str:
    return json.dumps(obj, sort_keys=sort, ensure_ascii=False, separators=(",", ":"), default=str)


def _state(obj: object) -> object:
    """A figure's or series' every field but where it is written (moving a line changes no chart)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _state(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "origin"}
    if isinstance(obj, (tuple, list)):
        return [_state(v) for v in obj]
    return obj


_digest: list[str] = []


def _edition_digest() -> str:
    """Hash of the code that puts a chart into another edition's words (macros/pages/i18n.py, overlay.py, macros/charts/translated.py)."""
    here = Path(__file__).parent.parent
    h = hashlib.sha256()
    for name in _EDITION_CODE:
        h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return h.hexdigest()


def _code_digest() -> str:
    """Hash of the code that builds and draws charts and the libraries' versions (once per process)."""
    if not _digest:
        h = hashlib.sha256(f"format={FORMAT}\0".encode())
        here = Path(__file__).parent.parent
        for name in _CODE:
            h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        for dist in _DISTS:
            h.update(f"{dist}=={metadata.version(dist)}\0".encode())
        _digest.append(h.hexdigest())
    return _digest[0]


def spec_key(chart: ChartDef, data: Dataset) -> str:
    """A chart's key: the chart, the code and libraries that build and draw it, and what it reads."""
    inputs = [_state(data.series[ref] if ref in data.series else data.figures[ref]) for ref in chart.uses]
    # Tooltips name each figure's publishers: a renamed publisher changes the spec too.
    inputs.append([_state(data.sources[s]) for s in sorted({s for f in chart.figures(data) for s in f.sources})
                   if s in data.sources])
    state = {"chart": chart.id, "code": _code_digest(), "inputs": inputs}
    if chart.locale != "en":  # another edition's spec: its texts too (English keys stay as they were)
        state["edition"] = [chart.locale, chart.description, [list(t) for t in chart.texts], _edition_digest()]
    return hashlib.sha256(_canonical(state).encode()).hexdigest()


def render_fresh(chart: ChartDef, data: Dataset) -> Rendered:
    """Build the spec with Altair and render it with vl-convert, in this process, no cache."""
    used: set[str] = set()
    try:
        spec = chart.spec(data, used)
    except Exception as exc:  # noqa: BLE001 - any failure of a chart function is the chart's error
        raise failure(chart.build, exc) from exc
    try:
        vega, svg, warnings = draw(spec, locale=chart.locale)
    except Exception as exc:  # noqa: BLE001 - vl-convert's error is the chart's error
        raise failure(chart.build, exc) from exc
    return Rendered(spec, svg, vega, warnings, tuple(sorted(used)))


class ChartCache:
    """The chart entries under one directory (None: no cache, every look-up misses)."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.used: set[str] = set()

    def _path(self, key: str, ext: str) -> Path | None:
        return self.directory / f"chart-{key}.{ext}" if self.directory else None

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

    def get(self, key: str) -> Rendered | None:
        body = self._read(self._path(key, "json"), key)
        try:
            entry = json.loads(body) if body is not None else None
            rendered = Rendered(entry["spec"], entry["svg"], entry["vega"], tuple(entry["warnings"]),
                                tuple(entry["texts_used"]))
        except (ValueError, TypeError, KeyError):
            return None  # a digest that matches unreadable JSON: made again, never served
        if (isinstance(rendered.spec, dict) and isinstance(rendered.vega, dict) and isinstance(rendered.svg, str)
                and all(isinstance(w, str) for w in (*rendered.warnings, *rendered.texts_used))):
            return rendered
        return None

    def put(self, key: str, rendered: Rendered) -> None:
        # Not sorted: the spec's key order is the order of the table's columns,
        # so a cached chart must come back exactly as it was rendered.
        entry = {"spec": rendered.spec, "vega": rendered.vega, "svg": rendered.svg,
                 "warnings": list(rendered.warnings), "texts_used": list(rendered.texts_used)}
        self._write(self._path(key, "json"), key, _canonical(entry, sort=False).encode("utf-8"))

    def get_png(self, key: str) -> bytes | None:
        body = self._read(self._path(key, "png"), key)
        return body if body is not None and body.startswith(b"\x89PNG\r\n\x1a\n") else None

    def put_png(self, key: str, png: bytes) -> None:
        self._write(self._path(key, "png"), key, png)

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
    """Rendered charts for one build: from the cache, else built and drawn here when first asked for.

    Safe to ask from several threads (one chart is made once)."""

    def __init__(self, data: Dataset, cache_dir: Path | None):
        self.data = data
        self.cache = ChartCache(cache_dir)
        self.hits = 0  # charts the cache had
        self.misses = 0  # charts built and drawn in this build
        self.drawn = 0  # charts V8 drew in this build
        self._memo: dict[str, Rendered | ChartFailed] = {}
        self._keys: dict[str, str] = {}  # chart id -> key
        self._cards: list[ChartDef] = []
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._closed = False

    def key(self, chart: ChartDef) -> str:  # the chart's cache key (computed once a build)
        with self._guard:
            if chart.id not in self._keys:
                self._keys[chart.id] = spec_key(chart, self.data)
            return self._keys[chart.id]

    def want_cards(self, charts) -> None:
        self._cards = list(charts)  # the charts whose social cards ``cards`` makes

    def _lock(self, ident: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(ident, threading.Lock())

    def get(self, chart: ChartDef) -> Rendered:
        """The chart, from the cache or made now.

        Raises ChartFailed, with the line of its chart function, for a chart that fails (every time it is asked for)."""
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
        key = self.key(chart)
        cached = self.cache.get(key)
        if cached is not None:
            with self._guard:
                self.hits += 1
            return cached
        if self._closed:  # asked for after a failed build: nothing more is made
            raise ChartFailed("the build stopped before the chart was made", None)
        with self._guard:
            self.misses += 1
        rendered = render_fresh(chart, self.data)
        with self._guard:
            self.drawn += 1
        self.cache.put(key, rendered)
        return rendered

    def card(self, chart: ChartDef) -> bytes:
        """The chart's social card, from the cache or rasterised now."""
        return social_png(chart, self.get(chart), self.cache, self.key(chart))

    def cards(self) -> dict[str, bytes]:
        """The social cards of ``want_cards`` that could be made, by chart id.

        A card whose chart failed is missing: ``card`` raises the chart's error."""
        made = {}
        for chart in self._cards:
            try:
                made[chart.id] = self.card(chart)
            except Exception:  # noqa: BLE001 - the chart's own error is reported where it is shown
                continue
        return made

    def close(self) -> None:
        self._closed = True  # from now on give only charts already made or cached

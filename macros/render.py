"""Charts rendered at build time: Vega-Lite spec -> static SVG + compiled Vega.

One vl-convert runtime serves the whole build, and none starts when every
chart comes from the cache.  Charts missing from the cache are drawn in a forked
process (renderer.py) as soon as the build knows which ones it needs
(``ChartStore.prefetch``), so V8 works while MkDocs renders the pages; social
cards are rasterised here from the drawn SVG (resvg, no V8).

The cache lives outside site/ (``.cache/charts`` by default) and is keyed by a
hash of everything a chart's output depends on: the code that builds and
renders charts, the figures the chart reads, and the versions of Altair and
vl-convert.  Computing that key needs neither Altair nor vl-convert, which is
what makes a fully cached rebuild cheap.  Entries are written atomically
(temporary file + rename), so concurrent builds never see half an entry, and
carry a digest of their content, so a corrupt entry is re-rendered, never served.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from html import escape
from importlib import metadata
from pathlib import Path

from .cache import read_checked, write_atomic, write_checked
from .charts import ChartDef
from .model import Dataset, Figure
from .renderer import RenderPool, draw, draw_card
from .theme import FONT

# Bump when the post-processing below changes what an entry holds.
FORMAT = 4
_CODE_FILES = ("charts.py", "theme.py", "format.py", "model.py", "render.py", "renderer.py")


@dataclass(frozen=True)
class Rendered:
    """What the page needs of one chart."""

    spec: dict  # Vega-Lite, with inline data
    svg: str
    vega: dict


def _canonical(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _figure_state(fig: Figure) -> dict:
    return {"id": fig.id, "label": fig.label, "value": fig.value, "unit": fig.unit.value,
            "scale": fig.scale, "as_of": fig.as_of.isoformat(), "precision": fig.precision}


_code_digest: str | None = None


def code_digest() -> str:
    """Hash of the chart-making code and the libraries' versions."""
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        here = Path(__file__).parent
        for name in _CODE_FILES:
            h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        for dist in ("altair", "vl-convert-python"):
            h.update(f"{dist}=={metadata.version(dist)}\0".encode())
        h.update(f"format={FORMAT}".encode())
        _code_digest = h.hexdigest()
    return _code_digest


def cache_key(chart: ChartDef, data: Dataset) -> str:
    state = {"chart": chart.id, "code": code_digest(), "figures": [_figure_state(f) for f in chart.figures(data)]}
    return hashlib.sha256(_canonical(state).encode()).hexdigest()


def _payload_digest(spec: dict, svg: str, vega: dict) -> str:
    return hashlib.sha256(_canonical([spec, svg, vega]).encode()).hexdigest()


def render_fresh(chart: ChartDef, data: Dataset) -> Rendered:
    """Build the spec with Altair and render it with vl-convert, in this process, no cache."""
    spec = chart.spec(data)
    vega, svg = draw(spec)
    return Rendered(spec, svg, vega)


class ChartStore:
    """Rendered charts for one build, from the cache when possible."""

    def __init__(self, data: Dataset, cache_dir: Path | None):
        self.data = data
        self.cache_dir = cache_dir
        self.hits = 0
        self.misses = 0
        self._memo: dict[str, Rendered] = {}
        self._pending: dict[str, tuple[str, dict | BaseException]] = {}  # id -> (key, spec or error)
        self._pool: RenderPool | None = None

    def prefetch(self, charts) -> None:
        """Look the charts up in the cache; start drawing the misses, in a forked process if possible.

        The specs are built here (Altair) while the child starts V8.  A chart
        whose function fails keeps its error for ``get``, which raises it.
        """
        todo = []
        for chart in charts:
            if chart.id in self._memo or chart.id in self._pending:
                continue
            key = cache_key(chart, self.data)
            rendered = self._read(key)
            if rendered is None:
                todo.append((chart, key))
            else:
                self.hits += 1
                self._memo[chart.id] = rendered
        if not todo:
            return
        if self._pool is None:
            self._pool = RenderPool.start(len(todo))
        for chart, key in todo:
            self.misses += 1
            try:
                spec = chart.spec(self.data)
            except Exception as exc:  # noqa: BLE001 - raised again by get(), where it is reported
                self._pending[chart.id] = (key, exc)
                continue
            self._pending[chart.id] = (key, spec)
            if self._pool is not None:
                self._pool.send(chart.id, spec)
        if self._pool is not None:
            self._pool.finish_sending()

    def get(self, chart: ChartDef) -> Rendered:
        """The chart, from the cache or drawn (waiting for a render process if one draws it)."""
        if chart.id in self._memo:
            return self._memo[chart.id]
        if chart.id not in self._pending:
            self.prefetch([chart])
            if chart.id in self._memo:
                return self._memo[chart.id]
        key, spec = self._pending.pop(chart.id)
        if isinstance(spec, BaseException):
            raise spec
        if self._pool is not None and self._pool.has(chart.id):
            vega, svg = self._pool.result(chart.id, spec)
        else:
            vega, svg = draw(spec)
        rendered = Rendered(spec, svg, vega)
        self._write(key, rendered)
        self._memo[chart.id] = rendered
        return rendered

    def card(self, chart: ChartDef) -> bytes:
        """The chart's social card, from the cache or rasterised now (while the child draws on)."""
        return social_png(chart, self.get(chart), self.cache_dir)

    def order(self) -> list[str]:
        """The charts still to come, in the order they were sent to be drawn."""
        return list(self._pending)

    def close(self) -> None:
        """Reap the render processes (stopping them if the build ended early)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / f"{key}.json" if self.cache_dir else None

    def _read(self, key: str) -> Rendered | None:
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("key") != key:
                return None
            spec, svg, vega = entry["spec"], entry["svg"], entry["vega"]
            if entry.get("digest") != _payload_digest(spec, svg, vega):
                return None
            return Rendered(spec, svg, vega)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # unreadable or corrupt: render again, never serve it

    def _write(self, key: str, r: Rendered) -> None:
        path = self._path(key)
        if path is None:
            return
        entry = {"key": key, "spec": r.spec, "svg": r.svg, "vega": r.vega,
                 "digest": _payload_digest(r.spec, r.svg, r.vega)}
        # Not sorted: the spec's key order is the order of the table's columns,
        # so a cached chart must come back exactly as it was rendered.
        write_atomic(path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


OG_TEXT = "#1f2329"
OG_PAD = 24
OG_TITLE = 18  # px
_SIZE = re.compile(r'^<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def card_svg(svg: str, title: str) -> str:
    """The chart as a social-media card: titled, on white, with dark text.

    A card is an image, so the page's colours cannot reach it: the chart's
    ``currentColor`` takes a fixed dark grey from the card, and the transparent
    background becomes white.  Built around the page's own SVG, so a card costs
    a rasterisation (resvg, no V8) and shows exactly the chart the page shows.
    """
    size = _SIZE.match(svg)
    if size is None or not svg.endswith("</svg>"):
        raise ValueError("a chart SVG without width and height")
    w, h = float(size.group(1)), float(size.group(2))
    top = OG_PAD + OG_TITLE + 16
    width, height = w + 2 * OG_PAD, h + top + OG_PAD
    # The chart's content moves into a group: resvg draws a nested <svg> (a new
    # viewport) about five times slower, for the same picture.
    content = svg[svg.index(">") + 1:-len("</svg>")]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'<text x="{OG_PAD}" y="{OG_PAD + OG_TITLE}" font-family="{escape(FONT)}" font-size="{OG_TITLE}" '
            f'font-weight="bold" fill="{OG_TEXT}">{escape(title)}</text>'
            f'<g color="{OG_TEXT}" transform="translate({OG_PAD},{top})">{content}</g></svg>')


def card_path(cache_dir: Path, chart: ChartDef, rendered: Rendered) -> Path:
    key = hashlib.sha256(_canonical([FORMAT, code_digest(), chart.title, rendered.svg]).encode()).hexdigest()
    return cache_dir / f"{key}.png"


def social_png(chart: ChartDef, rendered: Rendered, cache_dir: Path | None) -> bytes:
    """A PNG card of the chart (about 1250 px wide), cached beside its SVG and checked before reuse."""
    path = card_path(cache_dir, chart, rendered) if cache_dir else None
    cached = read_checked(path) if path is not None else None
    if cached is not None and cached.startswith(b"\x89PNG\r\n\x1a\n"):
        return cached
    data = draw_card(rendered.svg, chart.title)
    if path is not None:
        write_checked(path, data)
    return data

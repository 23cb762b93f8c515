"""Charts rendered at build time: Vega-Lite spec -> static SVG + compiled Vega.

One vl-convert runtime serves the whole build (the module keeps one V8
isolate; it starts on the first render, and not at all when every chart comes
from the cache).

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
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .charts import ChartDef
from .model import Dataset, Figure

# Bump when the post-processing below changes what an entry holds.
FORMAT = 2
_CODE_FILES = ("charts.py", "theme.py", "format.py", "model.py", "render.py")


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
    """Build the spec with Altair and render it with vl-convert, no cache."""
    import vl_convert as vlc

    spec = chart.spec(data)
    # Compile once; the SVG of the compiled spec is byte-identical to rendering
    # the Vega-Lite spec directly, and the same Vega drives the interactive view.
    vega = vlc.vegalite_to_vega(spec)
    svg = _tidy_svg(vlc.vega_to_svg(vega))
    return Rendered(spec, svg, vega)


def _tidy_svg(svg: str) -> str:
    # The root <svg> gets its role, name and description in embed.py; here we only
    # drop the fixed class vl-convert writes so our CSS can target the root cleanly.
    return re.sub(r'^<svg ([^>]*?)class="marks" ', r"<svg \1", svg, count=1)


class ChartStore:
    """Rendered charts for one build, from the cache when possible."""

    def __init__(self, data: Dataset, cache_dir: Path | None):
        self.data = data
        self.cache_dir = cache_dir
        self.hits = 0
        self.misses = 0
        self._memo: dict[str, Rendered] = {}

    def get(self, chart: ChartDef) -> Rendered:
        if chart.id in self._memo:
            return self._memo[chart.id]
        key = cache_key(chart, self.data)
        rendered = self._read(key)
        if rendered is None:
            self.misses += 1
            rendered = render_fresh(chart, self.data)
            self._write(key, rendered)
        else:
            self.hits += 1
        self._memo[chart.id] = rendered
        return rendered

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
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"key": key, "spec": r.spec, "svg": r.svg, "vega": r.vega,
                 "digest": _payload_digest(r.spec, r.svg, r.vega)}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:12]}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                # Not sorted: the spec's key order is the order of the table's columns,
                # so a cached chart must come back exactly as it was rendered.
                json.dump(entry, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass


OG_TEXT = "#1f2329"


def social_spec(spec: dict, title: str) -> dict:
    """The chart as a social-media card: titled, on white, with dark text.

    A card is an image, so the page's colours cannot reach it: currentColor
    becomes a fixed dark grey and the transparent background white.
    """
    text = json.dumps(spec).replace('"currentColor"', json.dumps(OG_TEXT))
    card = json.loads(text)
    card["config"] = {**card.get("config", {}), "background": "#ffffff", "padding": 24}
    card["title"] = {"text": title, "fontSize": 18, "anchor": "start", "color": OG_TEXT, "offset": 12}
    return card


def social_png(chart: ChartDef, rendered: Rendered, cache_dir: Path | None) -> bytes:
    """A PNG card of the chart, cached beside its SVG (and checked before reuse)."""
    path = cache_dir / f"{hashlib.sha256(_canonical([FORMAT, code_digest(), rendered.spec]).encode()).hexdigest()}.png" \
        if cache_dir else None
    if path is not None and path.exists():
        data = path.read_bytes()
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82"):
            return data
    import vl_convert as vlc

    data = vlc.vegalite_to_png(social_spec(rendered.spec, chart.title), scale=2)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return data

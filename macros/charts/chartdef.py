"""What every chart function plugs into: the registry, a chart's view of the data, its spec.

A chart is one function in catalog.py or linecharts.py, registered by ``@chart(...)``: its
docstring gives the title (a finding: what the reader should see) and the
accessible description (the SVG's <desc>, for assistive technology); the
decorator names the figures it reads, the subtitle (the measure and its unit)
and the caption (what the chart cannot show).  Each chart is drawn twice at
build time: at the page's width and at a phone's (``ChartDef.phone``), so a
phone shows a drawing made for it, with or without JavaScript, rather than a
desktop drawing shrunk to 60%.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import chartcheck  # units per axis, return types and names, at the author's line
from ..errors import Problem, nearest
from ..data.model import Dataset, Figure, Series
from .speccheck import backslash_titles, spec_fetches, unknown_fields
from .theme import PHONE_WIDTH, WIDTH

class _LazyAltair:
    """Altair, imported on first use.

    Importing Altair costs about a fifth of a second; a rebuild whose charts all
    come from the cache (store.py) never builds a chart, so it should not pay that.
    """

    def __getattr__(self, name: str):
        return getattr(load_altair(), name)


alt = _LazyAltair()


def _with_theme(chart, locale: str) -> dict:
    """The spec under its edition's theme: its text measured in that edition's face (theme.FONTS)."""
    from . import theme

    if locale == "en":
        return chart.to_dict(validate=False)
    theme.enable(locale)
    try:
        return chart.to_dict(validate=False)
    finally:
        theme.enable("en")


def load_altair():
    """Import Altair and enable the site's theme (once); later look-ups of ``alt`` go straight to it
    (in this module; a module that imported the lazy ``alt`` asks here on every look-up)."""
    import altair

    if globals()["alt"] is not altair:
        from . import theme

        theme.enable()
        globals()["alt"] = altair
    return altair


class Inputs:
    """A chart's view of the data: only what it declared, and the layout it is drawn for."""

    def __init__(self, data: Dataset, uses: tuple[str, ...], chart_id: str, phone: bool = False,
                 build: Callable | None = None):
        self._data, self._uses, self._chart, self._build = data, uses, chart_id, build
        self.read: dict[str, tuple[Figure, int | None]] = {}  # figure id -> (figure, line that read it)
        self.phone = phone  # drawn for a phone: narrower, fewer labels, the same text size
        self.width = PHONE_WIDTH if phone else WIDTH  # the whole drawing, padding included

    def _check(self, ref: str) -> None:
        if ref not in self._uses:
            raise KeyError(f"chart '{self._chart}' reads '{ref}' but does not declare it in @chart(...)")
        if self._build is not None:
            line = chartcheck.caller_line(self._build)
            got = self._data.series[ref].points if ref in self._data.series else (self._data.figures[ref],)
            for f in got:
                self.read.setdefault(f.id, (f, line))

    def fig(self, ref: str) -> Figure:
        self._check(ref)
        return self._data.figures[ref]

    def series(self, ref: str) -> Series:
        self._check(ref)
        return self._data.series[ref]

    def sources_of(self, fig: Figure) -> str:
        """Who a figure comes from, as a tooltip names them (the publishers, each once)."""
        return "; ".join(dict.fromkeys(self._data.sources[s].publisher for s in fig.sources))


@dataclass(frozen=True)
class ChartDef:
    id: str
    title: str
    description: str
    uses: tuple[str, ...]
    build: Callable[[Inputs], alt.Chart]
    subtitle: str = ""  # the measure and its unit, shown under the title
    caption: str = ""  # what the chart cannot show, shown under it
    phone: bool = False  # the phone's drawing of the chart (see ``phone_layout``)
    locale: str = "en"  # the edition it is drawn for (macros/charts/translated.py: chart_overlay)
    texts: tuple[tuple[str, str], ...] = ()  # another edition's: each English string it shows -> its own

    def phone_layout(self) -> ChartDef:
        """The same chart drawn for a phone; cached and drawn as a chart of its own."""
        return dataclasses.replace(self, id=f"{self.id}.phone", phone=True)

    @property
    def base_id(self) -> str:
        return self.id.removesuffix(".phone")

    def figures(self, data: Dataset) -> tuple[Figure, ...]:
        """Every figure the chart plots (series expanded into their points)."""
        out: list[Figure] = []
        for ref in self.uses:
            out.extend(data.series[ref].points if ref in data.series else (data.figures[ref],))
        return tuple(out)

    def spec(self, data: Dataset, used: set | None = None) -> dict:
        """The Vega-Lite spec, with the description every chart must carry; ``used`` gets the English
        texts (``texts``) another edition's spec showed."""
        from ..pages.i18n import formatting

        inputs = Inputs(data, self.uses, self.base_id, self.phone, self.build)
        with formatting(self.locale):  # its numbers and dates as its edition writes them
            chart = self.build(inputs)
        if wrong := chartcheck.wrong_return(self.build, chart, Inputs(data, self.uses, self.base_id, self.phone)):
            raise wrong
        # Schema validation costs more than building the chart; the tests validate
        # every spec (tests/test_charts.py), so the build does not repeat it.
        spec = _with_theme(chart, self.locale)
        spec["description"] = self.description
        if self.locale != "en":
            spec = self._translated(spec, data, used)
        fetches = spec_fetches(spec)
        if fetches:
            from ..errors import ChartFailed

            what, needle = fetches[0]
            raise ChartFailed(f"{what}: a chart loads nothing from outside the page (readers' browsers "
                              "would fetch it, vl-convert would draw it empty)", self._line_of(needle))
        titled = backslash_titles(spec)
        if titled:
            from ..errors import ChartFailed

            raise ChartFailed(f"a title with a backslash ({titled[0][:60]!r}): Vega-Lite writes titles into "
                              "expressions without escaping it, where it ends the string early",
                              self._line_of(titled[0].split("\\")[0].strip() or titled[0]))
        if conflict := chartcheck.unit_conflict(spec, inputs.read):
            raise conflict
        missing = unknown_fields(spec)
        if missing:
            from ..errors import ChartFailed

            field, known = missing[0]
            raise ChartFailed(f"an encoding names field '{field}', which the chart's data does not have "
                              f"(it has: {', '.join(sorted(known))})", self._line_naming(field))
        return spec

    def _translated(self, spec: dict, data: Dataset, used: set | None = None) -> dict:
        """The spec with every string it shows in this chart's locale (data/<locale>/charts.yml: texts)."""
        from .translated import myriad_axes, own_texts, translate_spec

        spec = myriad_axes(spec)
        try:
            own = (*own_texts(data), self.title, self.subtitle, self.caption, self.description,
                   *(text for _, text in self.texts))
            return translate_spec(spec, dict(self.texts), tuple(sorted({o for o in own if o}, key=len, reverse=True)),
                                  used)
        except KeyError as exc:
            from ..errors import ChartFailed

            texts = exc.args
            literal = re.split(r"[0-9¥$]", texts[0], maxsplit=1)[0].strip() or texts[0]
            shown = "; ".join(repr(t) for t in texts[:12]) + (f"; and {len(texts) - 12} more" if len(texts) > 12 else "")
            raise ChartFailed(f"the chart shows {len(texts)} string(s) with no {self.locale} text: {shown}. Add them "
                              f"to data/{self.locale}/charts.yml under {self.base_id}: texts: (or all_charts: texts:)",
                              self._line_of(literal))

    def _line_of(self, needle: str) -> int | None:
        """The first line of the chart function that contains ``needle`` (else its first)."""
        try:
            lines, start = inspect.getsourcelines(self.build)
        except (OSError, TypeError):
            return None
        return start + next((i for i, text in enumerate(lines) if needle and needle in text), 0)

    def _line_naming(self, field: str) -> int | None:
        """The line of the chart function that writes a field's name (else its first)."""
        try:
            lines, start = inspect.getsourcelines(self.build)
        except (OSError, TypeError):
            return None
        hit = re.compile(r"""["']""" + re.escape(field) + r"""(:[A-Z])?["']""")
        return start + next((i for i, text in enumerate(lines) if hit.search(text)), 0)


# Keys whose value a browser would load (Vega-Lite and Vega alike), marks that load an image,
# and CSS url() in a paint or style property (url(#id), a gradient or clip in the SVG, is local).
CHARTS: dict[str, ChartDef] = {}
REGISTERED = chartcheck.Registry()  # a second function of one name is reported, not silently kept


def shown_path(path: Path) -> str | None:
    """A file of the macros package as the build's messages name it (``macros/charts/catalog.py``), else None."""
    package = Path(__file__).resolve().parent.parent
    try:
        return "macros/" + path.resolve().relative_to(package).as_posix()
    except ValueError:
        return None


def source_file(function: Callable) -> str:
    """Where a chart function is written, as the build's messages name it (``macros/charts/catalog.py``)."""
    try:
        path = Path(inspect.getsourcefile(function))
    except (OSError, TypeError):
        return "macros/charts/catalog.py"
    # A chart function outside the package (a test's) is reported as the charts module's.
    return shown_path(path) or "macros/charts/catalog.py"


def input_problems(data: Dataset) -> list[Problem]:
    """Each figure or series a chart declares that data/ does not have (renamed there, not here)."""
    known = sorted({*data.figures, *data.series})
    out = REGISTERED.problems()
    for c in CHARTS.values():
        for ref in c.uses:
            if ref not in data.figures and ref not in data.series:
                try:
                    line: int | None = inspect.getsourcelines(c.build)[1]  # the @chart(...) line
                except (OSError, TypeError):
                    line = None
                out.append(Problem(source_file(c.build), line, c.id, f"@chart(...) declares unknown figure or series '{ref}'",
                                   f"Fix the id here or in data/; {nearest(ref, known)}."))
    return out


def chart(*uses: str, subtitle: str = "", caption: str = ""):
    """Register a chart function under its own name, with its subtitle and caption."""

    def register(fn: Callable[[Inputs], alt.Chart]) -> Callable[[Inputs], alt.Chart]:
        doc = inspect.getdoc(fn) or ""
        title, _, rest = doc.partition("\n")
        if not title or not rest.strip():
            raise ValueError(f"chart function {fn.__name__} needs a docstring: a title line, then a description")
        REGISTERED.note(CHARTS, fn.__name__, fn)
        CHARTS.setdefault(fn.__name__, ChartDef(fn.__name__, title.strip().rstrip("."), " ".join(rest.split()), uses,
                                                fn, " ".join(subtitle.split()), " ".join(caption.split())))
        return fn

    return register

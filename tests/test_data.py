"""The loader: the real data validates, and every kind of mistake is refused
with a message naming the file, the line and the key."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from macros.data import load as data
from macros.errors import DataError
from macros.data.model import Unit

ROOT = Path(__file__).resolve().parent.parent

SOURCES = """\
sources:
  src-a:
    title: A report
    publisher: Publisher A
    date: 2025-12-26
    url: https://example.org/a
"""
TOPIC = """\
figures:
  total:
    label: A total
    value: 100
    scale: billion
    unit: yen
    as_of: 2025-12-01
    sources: [src-a]
  part:
    label: A part
    value: 40
    scale: billion
    unit: yen
    as_of: 2025-12-01
    sources: [src-a]
    part_of: demo.total
"""

CATEGORY = """\
series:
  density:
    label: Robots per worker
    unit: count
    x: category
    points:
      korea:
        name: Korea
        value: 10
        as_of: 2025-12-01
        sources: [src-a]
"""
YEARS = """\
series:
  history:
    label: A share
    unit: percent
    x: year
    points:
      2020:
        value: 10
        name: Twenty twenty
        as_of: 2025-12-01
        sources: [src-a]
"""


def write(tmp_path: Path, **files: str) -> Path:
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    # claims.yml and glossary.yml are required (data.REQUIRED): empty ones unless a test writes its own.
    contents = {"sources": SOURCES, "demo": TOPIC, "claims": "claims: {}\n", "glossary": "terms: {}\n", **files}
    for name, text in contents.items():
        if text is None:
            continue
        path = d / f"{name}.yml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return d


def load_minimal(d: Path):
    # Derived figures need the real data's inputs; the minimal fixtures have none.
    from macros.data import derived
    saved = derived.DERIVATIONS
    derived.DERIVATIONS = ()
    try:
        return data.load(d, today=date(2026, 11, 25))
    finally:
        derived.DERIVATIONS = saved


def error_of(d: Path) -> str:
    with pytest.raises(DataError) as exc:
        load_minimal(d)
    return str(exc.value)


def test_real_data_loads():
    ds = data.load(ROOT / "data")
    assert ds.figures and ds.sources and ds.claims
    assert all(f.sources for f in ds.figures.values())


def test_no_fact_is_stored_twice():
    """One value, unit, date and sources under two ids: a correction to one would leave the other stale.
    (A series point is a figure: write its id, like history.meti_share.1988, rather than copy it.)"""
    ds = data.load(ROOT / "data")
    seen: dict[tuple, str] = {}
    twice = []
    for f in ds.figures.values():
        if f.derived:
            continue  # computed from others: their value may match an input's by design
        first = seen.setdefault((f.value, f.unit, f.as_of, tuple(sorted(f.sources))), f.id)
        if first != f.id:
            twice.append((first, f.id))
    assert not twice, f"the same fact under two ids: {twice}"


def test_every_source_a_figure_cites_can_be_followed():
    """A reader checks a figure by opening its source: each source a figure cites has a URL.
    The one exception is the article under review, which came as text; its figures are what it claims."""
    ds = data.load(ROOT / "data")
    cited = {sid for f in ds.figures.values() for sid in f.sources} - {"article"}
    assert sorted(sid for sid in cited if not ds.sources[sid].url) == []


def test_a_category_point_is_labelled_and_named_as_readers_see_it(tmp_path):
    ds = load_minimal(write(tmp_path, more=CATEGORY))
    series = ds.series["more.density"]
    point = ds.figures["more.density.korea"]
    assert point.label == "Robots per worker, Korea"
    assert series.name_of(point) == "Korea" and series.x_of(point) == "korea"


def test_minimal_data_loads_into_frozen_objects(tmp_path):
    ds = load_minimal(write(tmp_path))
    total = ds.figures["demo.total"]
    assert total.value == 100e9 and total.unit is Unit.YEN and total.as_of == date(2025, 12, 1)
    with pytest.raises(AttributeError):
        total.value = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        ds.figures["x"] = total  # type: ignore[index]


@pytest.mark.parametrize(
    "name, files, expected",
    [
        ("malformed YAML", {"demo": "figures:\n  total: {label: x\n  other: 1\n"},
         ["data/demo.yml:", "YAML syntax error", "column"]),
        ("duplicate key", {"demo": TOPIC.replace("  part:\n", "  total:\n", 1)},
         ["data/demo.yml:9", "total", "duplicate key", "line 2"]),
        ("missing field", {"demo": TOPIC.replace("    unit: yen\n", "", 1)},
         ["data/demo.yml:2", "figures.total", "missing field 'unit'"]),
        ("wrong type", {"demo": TOPIC.replace("value: 100", "value: lots", 1)},
         ["data/demo.yml:4", "figures.total.value", "expected a number"]),
        ("unknown unit", {"demo": TOPIC.replace("unit: yen", "unit: yens", 1)},
         ["data/demo.yml:6", "figures.total.unit", "unknown unit 'yens'", "Known units"]),
        ("unknown source id", {"demo": TOPIC.replace("sources: [src-a]", "sources: [src-b]", 1)},
         ["data/demo.yml:8", "demo.total.sources", "unknown source id 'src-b'", "src-a"]),
        ("unknown field", {"demo": TOPIC.replace("    unit: yen\n", "    unit: yen\n    colour: red\n", 1)},
         ["data/demo.yml:7", "figures.total.colour", "unknown field"]),
        ("share over 100", {"demo": TOPIC.replace("value: 40\n    scale: billion\n    unit: yen",
                                                     "value: 140\n    unit: percent", 1).replace("    part_of: demo.total\n", "")},
         ["data/demo.yml:11", "demo.part.value", "between 0 and 100"]),
        ("negative amount", {"demo": TOPIC.replace("value: 40", "value: -40", 1)},
         ["data/demo.yml:11", "demo.part.value", "negative"]),
        ("as-of after its source", {"demo": TOPIC.replace("as_of: 2025-12-01", "as_of: 2026-01-05", 1)},
         ["data/demo.yml:7", "demo.total.as_of", "later than its newest source"]),
        ("parts exceed total", {"demo": TOPIC.replace("value: 40", "value: 140", 1)},
         ["data/demo.yml:2", "demo.total", "add up to", "more than the total"]),
        ("unknown part_of", {"demo": TOPIC.replace("part_of: demo.total", "part_of: demo.totl", 1)},
         ["data/demo.yml:16", "demo.part.part_of", "unknown figure id 'demo.totl'", "demo.total"]),
        ("a figure's id in a note readers see", {"demo": TOPIC.replace("    part_of: demo.total\n",
                                                                    "    part_of: demo.total\n    note: Part of demo.total.\n", 1)},
         ["data/demo.yml:17", "demo.part.note", "names the figure id 'demo.total'", "[[demo.total]]"]),
        ("a name with an underscore in a note", {"demo": TOPIC.replace("    part_of: demo.total\n",
                                                                     "    part_of: demo.total\n    note: See the robot_density series.\n", 1)},
         ["data/demo.yml:17", "demo.part.note", "names the id 'robot_density'"]),
        ("object-constructing tag", {"demo": "figures: !!python/object/apply:os.system ['true']\n"},
         ["data/demo.yml:1", "tags that construct objects are refused"]),
        ("empty file", {"demo": "   \n"}, ["data/demo.yml:1", "empty"]),
        ("date that does not exist", {"demo": TOPIC.replace("as_of: 2025-12-01", "as_of: 2025-02-30", 1)},
         ["data/demo.yml:7", "as_of", "'2025-02-30' is not a real date", "YYYY-MM-DD"]),
        ("unknown top-level key", {"demo": TOPIC.replace("figures:", "figure:", 1)},
         ["data/demo.yml:1: figure: unknown field", "Known fields: figures, series"]),
        ("not UTF-8", {"demo": TOPIC.encode() + b"# caf\xe9\n"}, ["data/demo.yml:17", "not UTF-8"]),
        ("source without date or comment", {"sources": SOURCES.replace("    date: 2025-12-26\n", "")},
         ["data/sources.yml:2", "sources.src-a", "needs a comment saying why"]),
        ("a source's note is no field", {"sources": SOURCES + "    note: why\n"},
         ["data/sources.yml:7", "sources.src-a.note", "unknown field"]),
        ("source date in the future", {"sources": SOURCES.replace("2025-12-26", "2027-01-01")},
         ["data/sources.yml:5", "sources.src-a.date", "in the future"]),
        ("bad url", {"sources": SOURCES.replace("https://example.org/a", "example.org/a")},
         ["data/sources.yml:6", "sources.src-a.url", "http(s) address"]),
        ("missing sources file", {"sources": None}, ["data/sources.yml", "bibliography file is required"]),
        ("two figures with one label", {"demo": TOPIC.replace("label: A part", "label: a  Total", 1)},
         ["data/demo.yml:10", "demo.part.label", "the same label as demo.total (data/demo.yml:2)", "keep one"]),
        ("category point without a name", {"more": CATEGORY.replace("        name: Korea\n", "")},
         ["data/more.yml:7", "series.density.points.korea", "missing field 'name'"]),
        ("year point with a name", {"more": YEARS},
         ["data/more.yml:9", "series.history.points.2020.name", "a year needs no name"]),
        ("category key that is not an id", {"more": CATEGORY.replace("      korea:", '      "x\\"><img src=x>":', 1)},
         ["data/more.yml:7", "series.density.points.", "a category key is an id"]),
        ("id with a trailing line break", {"demo": TOPIC.replace("  part:\n", '  "part\\n":\n', 1)},
         ["data/demo.yml:9", "figures.part", "ids are lower-case letters"]),
        ("right-to-left override in a label", {"demo": TOPIC.replace("label: A part", "label: A \u202etrap", 1)},
         ["data/demo.yml:10", "U+202E", "RIGHT-TO-LEFT OVERRIDE", "column 14", "Delete it"]),
        ("zero-width space in a key", {"demo": TOPIC.replace("  part:", "  pa\u200brt:", 1)},
         ["data/demo.yml:9", "U+200B", "ZERO WIDTH SPACE"]),
        ("control character in a comment", {"demo": TOPIC + "# bell \x07\n"}, ["data/demo.yml:17", "U+0007"]),
        ("byte-order mark inside a file", {"demo": TOPIC.replace("label: A part", "label: A \ufeffpart", 1)},
         ["data/demo.yml:10", "U+FEFF"]),
    ],
)
def test_each_mistake_is_refused_with_file_line_and_key(tmp_path, name, files, expected):
    message = error_of(write(tmp_path, **files))
    for part in expected:
        assert part in message, f"{name}: {part!r} not in\n{message}"


def test_a_byte_order_mark_opening_a_file_is_allowed(tmp_path):
    assert load_minimal(write(tmp_path, demo="\ufeff" + TOPIC)).figures["demo.part"].label == "A part"


@pytest.mark.parametrize("where", ["above the key", "inside the entry"])
def test_an_undated_source_explained_in_a_comment_loads_without_showing_it(tmp_path, where):
    undated = SOURCES.replace("    date: 2025-12-26\n", "")
    comment = "# Undated: the page shows no date."
    text = (undated.replace("  src-a:\n", f"  {comment}\n  src-a:\n") if where == "above the key"
            else undated.replace("    url:", f"    {comment}\n    url:"))
    source = load_minimal(write(tmp_path, sources=text)).sources["src-a"]
    assert source.date is None and "Undated" not in repr(source)


def test_glossary_definitions_are_kept_as_written(tmp_path):
    glossary = 'terms:\n  IFR: "{{ 7*7 }} <b>bold</b> & more"\n'
    ds = load_minimal(write(tmp_path, glossary=glossary))
    assert ds.glossary["IFR"] == "{{ 7*7 }} <b>bold</b> & more"


def test_independent_mistakes_are_reported_together(tmp_path):
    broken = TOPIC.replace("unit: yen", "unit: yens", 1).replace("sources: [src-a]\n  part", "sources: [nope]\n  part", 1)
    broken = broken.replace("value: 40", "value: forty", 1)
    message = error_of(write(tmp_path, demo=broken))
    assert "3 problems" in message or "problems" in message
    assert "unknown unit" in message and "expected a number" in message


def test_yaml_tag_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    error_of(write(tmp_path, demo=f"figures: !!python/object/apply:os.system ['touch {marker}']\n"))
    assert not marker.exists()


def test_claims_must_use_known_figures(tmp_path):
    claims = """\
    claims:
      c1:
        quote: "the article says"
        verdict: accurate
        summary: Right.
        evidence: "It is [[demo.nope]]."
        sources: [src-a]
        page: stimulus
    """
    message = error_of(write(tmp_path, claims=claims))
    assert "data/claims.yml:6: claims.c1.evidence: unknown figure id 'demo.nope'" in message, message


def test_unknown_verdict(tmp_path):
    claims = """\
    claims:
      c1:
        quote: "q"
        verdict: mostly_true
        summary: s
        evidence: e
        sources: [src-a]
        page: stimulus
    """
    message = error_of(write(tmp_path, claims=claims))
    assert "data/claims.yml:4" in message and "claims.c1.verdict" in message

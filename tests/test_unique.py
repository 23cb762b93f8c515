"""Names are unique (macros/data/unique.py, yamlfile.py): two things of one name stop the build
naming both places, file:line each."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from macros.data import load as data, derived
from macros.errors import DataError

ROOT = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _line(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def _problems(d: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        data.load(d)
    return [str(p) for p in caught.value.problems]


def test_a_figure_with_a_derived_figures_id_names_both_places(tmp_path):
    d = _copy(tmp_path)
    risks = d / "risks.yml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("figures:\n", (
        "figures:\n  sales_goal_usd:\n    label: \"A copy\"\n    value: 1\n    unit: usd\n    scale: billion\n"
        "    as_of: 2023-04-04\n    sources: [jiji-2023-04-04]\n"), 1), encoding="utf-8")
    derived_line = _line(Path(inspect.getsourcefile(derived)), '"risks.sales_goal_usd"')
    found = _problems(d)
    assert len(found) == 1, found
    assert found[0].startswith(f"data/risks.yml:{_line(risks, '  sales_goal_usd:')}: risks.sales_goal_usd: "), found
    assert f"macros/data/derived.py:{derived_line}" in found[0], found


def test_two_glossary_terms_equal_but_for_case_name_both_lines(tmp_path):
    d = _copy(tmp_path)
    glossary = d / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("  METI:", "  meti: The ministry, again.\n  METI:", 1), encoding="utf-8")
    found = _problems(d)
    assert len(found) == 1, found
    first, second = _line(glossary, "  meti:"), _line(glossary, "  METI:")
    assert found[0].startswith(f"data/glossary.yml:{second}: terms.METI: "), found
    assert f"data/glossary.yml:{first}" in found[0], found


@pytest.mark.parametrize("name, entry", [("sources.yml", "  jiji-2023-04-04:"), ("claims.yml", None)])
def test_an_id_written_twice_in_its_file_names_both_lines(tmp_path, name, entry):
    """Sources, claims (and events) live in one file each: the loader refuses a repeated key."""
    d = _copy(tmp_path)
    path = d / name
    text = path.read_text(encoding="utf-8")
    if entry is None:  # the first claim's id line
        entry = next(t for t in text.splitlines() if t.startswith("  ") and not t.startswith("   ")
                     and t.rstrip().endswith(":"))
    # The entry's block: its id line and the more-indented lines after it.
    block_start = text.index(entry + "\n")
    lines = text[block_start:].splitlines(keepends=True)
    size = 1 + next(i for i, t in enumerate(lines[1:]) if t.startswith("  ") and not t.startswith("   "))
    block = "".join(lines[:size])
    block_end = block_start + len(block)
    path.write_text(text[:block_end] + block + text[block_end:], encoding="utf-8")
    found = _problems(d)
    first = _line(path, entry)
    second = first + block.count("\n")
    assert any(p.startswith(f"data/{name}:{second}: ") and f"line {first}" in p for p in found), found

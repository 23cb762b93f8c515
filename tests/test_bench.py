"""The benchmark (`python3 tasks.py bench`, tools/bench.py) runs and prints every row.

A file of its own: the one test here is among the suite's longest (every kind of build, cold
ones included), and alone in its file the two test workers can run it beside another file.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT


def test_the_benchmark_prints_every_row_with_its_cpu_time():
    """The README's benchmark command runs (one round, no browser); its figures are not judged here."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--runs", "1", "--no-weight"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {line.split()[0] + (" " + line.split()[1] if line.split()[1] in ("edit", "rebuild") else ""): line
            for line in proc.stdout.splitlines() if line.startswith("  ")}
    for name in ("floor", "cold", "warm", "data edit", "cold+cards"):
        assert re.search(r"\d+\.\d\d s +\d+\.\d\d×.*CPU +\d+\.\d\d s +\(at best \d+\.\d\d×\)"
                         r" +rounds \d+\.\d\d–\d+\.\d\d×", rows[name]), rows
    for name in ("floor rebuild", "warm rebuild", "data-edit rebuild"):
        assert name in rows, rows
    # Both editions: the warm build beside English alone, and `tasks.py serve --ja`'s rebuilds.
    assert re.search(r"^  warm, both +\d+\.\d\d s", proc.stdout, re.M), proc.stdout
    assert re.search(r"both editions warm / English alone warm: +\d+\.\d\d×", proc.stdout), proc.stdout
    assert re.search(r"data-edit rebuild of both editions .* \d+\.\d\d s: +\d+\.\d\d× English alone", proc.stdout), \
        proc.stdout


def test_every_copy_of_the_scaled_site_plots_only_its_own_figures(tmp_path):
    """`bench --scale K`'s copies share nothing by accident: a chart of copy k plots copy k's figures,
    through derived figures too, and copy k's chapters show claims of their own, naming copy k's
    figures (a shared derived figure once made a one-value edit redraw every copy's chart, and
    shared claims rebuild every copy's page: the benchmark measured that instead of the edit)."""
    sys.path.insert(0, str(ROOT))
    from tools.bench import _copy_project

    project = _copy_project(tmp_path / "project", 3)
    check = (
        "import re\n"
        "from pathlib import Path\n"
        "from macros.data.load import load\n"
        "from macros.charts.catalog import CHARTS\n"
        "d = load(Path('data'))\n"
        "def leaves(ref):\n"
        "    f = d.figures.get(ref)\n"
        "    return [x for i in f.inputs for x in leaves(i)] if f is not None and f.inputs else [ref]\n"
        "for k in (2, 3):\n"
        "    copies = [c for c in CHARTS.values() if c.id.endswith(f'_k{k}')]\n"
        "    assert len(copies) == len([c for c in CHARTS.values() if '_k' not in c.id]) > 0, k\n"
        "    shared = {c.id: [u for r in c.uses for u in leaves(r) if f'_k{k}.' not in u] for c in copies}\n"
        "    assert not any(shared.values()), {c: u for c, u in shared.items() if u}\n"
        "    assert d.figures[f'stimulus_k{k}.unallocated'].value != d.figures['stimulus.unallocated'].value\n"
        "    claims = [c for c in d.claims.values() if c.id.endswith(f'_k{k}')]\n"
        "    assert len(claims) == len([c for c in d.claims.values() if '_k' not in c.id]) > 0, k\n"
        "    named = {c.id: [f for f in (*c.figures, *re.findall(r'\\[\\[([^]]+)\\]\\]', c.evidence))\n"
        "                    for f in leaves(f) if f'_k{k}.' not in f]\n"
        "             for c in claims}\n"
        "    assert not any(named.values()), {c: f for c, f in named.items() if f}\n"
        "    assert all(c.page.endswith(f'-k{k}') for c in claims), k\n"
        "    for page in ('stimulus', 'rapidus', 'risks'):\n"
        "        text = Path(f'docs/{page}-k{k}.md').read_text()\n"
        "        assert 'claim(\"' in text and not re.search(r'claim\\(\"[a-z0-9_]+(?<!_k' + str(k) + r')\"', text), page\n"
        "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", check], cwd=project, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr[-3000:]

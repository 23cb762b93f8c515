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

"""The pre-release of vl-convert the lock pins, and what of it the build depends on (MAINTAINERS.md).

No released vl-convert (1.9.0.post1 is the newest) has these; if an upgrade or a
downgrade loses one, a test here fails before the charts quietly change.
"""

from __future__ import annotations

import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_lock_pins_the_vl_convert_maintainers_md_explains():
    pinned = next(line.split("==")[1] for line in (ROOT / "requirements.lock").read_text().splitlines()
                  if line.startswith("vl-convert-python=="))
    assert metadata.version("vl-convert-python") == pinned
    if not pinned.replace(".", "").isdigit():  # a pre-release: its reason must be written down
        assert f"vl-convert-python=={pinned}" in (ROOT / "MAINTAINERS.md").read_text(encoding="utf-8")


def test_vl_convert_takes_every_setting_the_build_fixes():
    """2.0's ``configure`` (no network, no host fonts, one worker); 1.9 has no such call."""
    from macros.charts.draw import vl_convert

    vlc = vl_convert()
    vega = vlc.vegalite_to_vega({"mark": "point", "data": {"values": [{"a": 1}]},
                                 "encoding": {"x": {"field": "a", "type": "quantitative"}}})
    assert vlc.vega_to_svg(vega).startswith("<svg")


def test_vl_convert_lets_go_of_the_gil_while_it_draws():
    """The pages are written while a chart is drawn only if the drawing lets other threads run."""
    from macros.charts.draw import vl_convert

    vlc = vl_convert()
    spec = {"mark": "point", "width": 400, "height": 300,
            "data": {"values": [{"a": i, "b": (i * 37) % 101} for i in range(3000)]},
            "encoding": {"x": {"field": "a", "type": "quantitative"},
                         "y": {"field": "b", "type": "quantitative"}}}
    vega = vlc.vegalite_to_vega(spec)
    vlc.vega_to_svg(vega)  # warm
    best = 0.0
    for _ in range(3):  # the best of three: the machine may be busy
        done, ticks = threading.Event(), 0

        def draw():
            for _ in range(5):
                vlc.vega_to_svg(vega)
            done.set()

        thread = threading.Thread(target=draw)
        start = time.perf_counter()
        thread.start()
        longest, last = 0.0, time.perf_counter()
        while not done.is_set():
            ticks += 1
            now = time.perf_counter()
            longest, last = max(longest, now - last), now
        thread.join()
        elapsed = time.perf_counter() - start
        best = max(best, 1 - longest / elapsed)
    # Held for each drawing, the main thread would stall for a fifth of the time at least.
    assert best > 0.8, f"the main thread stalled for {1 - best:.0%} of the drawing"

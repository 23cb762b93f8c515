"""Real Chromium (Debian's package) driven by Playwright, and the local static server.

`playwright install` cannot download browsers here, so tests launch the system
Chromium through ``executable_path``.  In CI the browser tests must run: a
missing Chromium fails them rather than skipping them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket

import pytest

from tools.preview import serve  # noqa: F401  (the static server the tests use, as `tasks.py preview` does)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed; CI must run the browser tests (tasks.py test installs it)")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def require_chart_font() -> None:
    """The charts' static SVG is laid out in Liberation Sans; Chromium must have it to draw what readers see.

    tasks.py installs it (Debian's fonts-liberation) beside Chromium; in CI its absence fails the test.
    """
    from tasks import has_liberation_sans

    if has_liberation_sans():
        return
    if os.environ.get("CI"):
        pytest.fail("Liberation Sans is not installed; tasks.py test installs Debian's fonts-liberation")
    pytest.skip("Liberation Sans is not installed (apt-get install fonts-liberation)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()

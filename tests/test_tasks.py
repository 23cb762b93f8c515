"""`tasks.py serve`: a port of one's choosing, one line when it is taken, nothing left behind when stopped."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT
from .test_serve import free_port

pytestmark = pytest.mark.slow


def _tasks(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "tasks.py"), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)


def _port_free(port: int) -> bool:
    """Whether a server could listen on the port now (as servers bind: past closing connections)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_a_port_in_use_is_one_line_that_says_how_to_pick_another():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _tasks("serve", "--port", str(port))
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    assert f"127.0.0.1:{port}" in lines[0] and f"--port {port + 1}" in lines[0], out
    assert "Traceback" not in out


def test_stopping_serve_stops_the_server_and_frees_its_port():
    port = free_port()
    proc = _tasks("serve", "--port", str(port), "--host", "127.0.0.1")
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    if resp.status == 200 and "<html" in resp.read().decode("utf-8", "replace"):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "serve did not answer on the chosen port"
            time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)  # what `kill` sends, as a closed terminal's SIGHUP would
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while not _port_free(port):
            assert time.monotonic() < deadline, "the port is still held after serve was stopped"
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

"""vl-convert in forked processes, so that V8 draws while MkDocs works.

vl-convert holds the GIL while it converts, so threads would buy nothing: a
build that has charts to draw forks a child per spare core (at most two) once
it knows which (``ChartStore.prefetch``).  Each child starts its V8 runtime (about
0.5 s) while the parent imports Altair and builds the specs, then compiles and
draws the specs it is sent while the parent renders the pages.  Results come
back over pipes.  Social cards need no V8 (resvg rasterises the drawn SVG), so
the parent makes them while it waits for the last charts.

Children are forked only where that is safe and useful: on Linux, from a
process that runs a single thread (of any kind: V8's own threads count, and
that is why a process that has drawn a chart never forks).  Under `mkdocs
serve` (which runs threads, and keeps V8 warm between rebuilds anyway), and
elsewhere, charts are drawn in-process, with byte-identical results.  If a
child dies, the parent draws what is missing itself.

Text is measured and drawn with the Liberation Sans that vl-convert carries in
memory, never with the host's fonts (``_vl_convert``).  Our font stack resolves
to Liberation Sans on a machine that has it installed, and to the same metrics
everywhere this way; and a font on disk is reopened for every glyph, which made
text three fifths of a chart's drawing time.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import sys
import tempfile
import threading
from html import escape
from pathlib import Path

TINY = {"mark": "point"}
MAX_CHILDREN = 2
_EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
_fonts_set = False


def _vl_convert():
    """vl_convert, its font database limited to the fonts it bundles (once per process).

    vl-convert loads the host's fonts through fontconfig's list of directories
    the first time it needs a font.  Pointing FONTCONFIG_FILE, for that moment
    only, at a configuration whose one directory is empty leaves the fonts it
    carries in memory (Liberation Sans, in four styles).
    """
    global _fonts_set
    import vl_convert as vlc

    if not _fonts_set:
        with tempfile.TemporaryDirectory(prefix="explainer-fonts-") as tmp:
            conf = Path(tmp) / "fonts.conf"
            conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{escape(tmp)}</dir></fontconfig>\n',
                            encoding="utf-8")
            before = os.environ.get("FONTCONFIG_FILE")
            os.environ["FONTCONFIG_FILE"] = str(conf)
            try:
                vlc.svg_to_png(_EMPTY_SVG)  # loads the font database, once for the process
            finally:
                if before is None:
                    del os.environ["FONTCONFIG_FILE"]
                else:
                    os.environ["FONTCONFIG_FILE"] = before
        _fonts_set = True
    return vlc


def draw(spec: dict) -> tuple[dict, str]:
    """Compile a Vega-Lite spec to Vega and draw its SVG (vl-convert, in this process)."""
    vlc = _vl_convert()
    # Compile once; the SVG of the compiled spec is byte-identical to rendering
    # the Vega-Lite spec directly, and the same Vega drives the interactive view.
    vega = vlc.vegalite_to_vega(spec)
    svg = vlc.vega_to_svg(vega)
    # The root <svg> gets its role, name and description in embed.py; here we only
    # drop the fixed class vl-convert writes so our CSS can target the root cleanly.
    return vega, re.sub(r'^<svg ([^>]*?)class="marks" ', r"<svg \1", svg, count=1)


def draw_card(svg: str, title: str) -> bytes:
    """The social card of a drawn chart, as PNG (resvg; no V8)."""
    from .render import card_svg

    return _vl_convert().svg_to_png(card_svg(svg, title), scale=2)


def _threads() -> int:
    """Threads of this process, the runtime's own (V8's) included (Linux)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count() + 1  # unknown: never taken for one


def can_fork() -> bool:
    # Under serve, V8 started in this process stays warm for the next rebuild;
    # a child would start it afresh on every one.
    return (sys.platform == "linux" and _threads() == 1
            and os.environ.get("EXPLAINER_COMMAND") != "serve"
            and os.environ.get("EXPLAINER_RENDER_PROCESS", "") != "off")


def children_wanted() -> int:
    """How many render processes to fork: one core stays with MkDocs.

    Each child pays V8's start (about half a second of CPU) before its first
    chart, so on two cores a second child would only take time from the pages.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_CHILDREN, cores - 1))


class _Child:
    def __init__(self, pid: int, to_child: int, from_child: int):
        self.pid = pid
        self.out = os.fdopen(to_child, "wb")
        self.inp = os.fdopen(from_child, "rb")
        self.jobs: list[tuple[str, dict]] = []
        self.done = False


class RenderPool:
    """The parent's end: send specs, wait for drawings."""

    def __init__(self, children: list[_Child]):
        self._children = children
        self._sent: dict[str, _Child] = {}
        self._results: dict[str, tuple] = {}
        self._closed = False
        self._ready = threading.Condition()
        self._threads: list[threading.Thread] = []
        for child in children:
            self._spawn_thread(self._read, child, "reader")

    @classmethod
    def start(cls, jobs: int) -> RenderPool | None:
        """Fork the children (one per job, at most MAX_CHILDREN), or None where forking is not safe."""
        if jobs < 1 or not can_fork():
            return None
        children = []
        # Every child is forked before any thread of ours starts.
        for _ in range(min(jobs, children_wanted())):
            to_r, to_w = os.pipe()
            from_r, from_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns
                code = 1
                try:
                    for other in children:  # the siblings' pipes are not ours
                        other.out.close()
                        other.inp.close()
                    os.close(to_w)
                    os.close(from_r)
                    _child(to_r, from_w)
                    code = 0
                finally:
                    os._exit(code)  # no atexit handlers, no second flush of the parent's buffers
            os.close(to_r)
            os.close(from_w)
            children.append(_Child(pid, to_w, from_r))
        return cls(children)

    def _spawn_thread(self, target, child: _Child, kind: str) -> None:
        thread = threading.Thread(target=target, args=(child,), name=f"explainer-render-{kind}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def send(self, ident: str, spec: dict) -> None:
        """Queue a chart for the least loaded child."""
        if self._closed:
            return  # the children's input is closed: has() says no, and the chart is drawn here
        child = min(self._children, key=lambda c: len(c.jobs))
        child.jobs.append((ident, spec))
        self._sent[ident] = child

    def has(self, ident: str) -> bool:
        return ident in self._sent

    def finish_sending(self) -> None:
        # Threads write: a child reads only once its V8 is up, and a full pipe
        # must not hold up the pages.
        if self._closed:
            return
        self._closed = True
        for child in self._children:
            self._spawn_thread(self._write, child, "writer")

    @staticmethod
    def _write(child: _Child) -> None:
        try:
            for job in child.jobs:
                pickle.dump(job, child.out, protocol=pickle.HIGHEST_PROTOCOL)
            child.out.close()
        except (OSError, ValueError):
            pass  # the child is gone; result() draws here instead

    def _read(self, child: _Child) -> None:
        try:
            while True:
                ident, *rest = pickle.load(child.inp)
                with self._ready:
                    self._results[ident] = tuple(rest)
                    self._ready.notify_all()
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            pass
        finally:
            with self._ready:
                child.done = True
                self._ready.notify_all()

    def result(self, ident: str, spec: dict) -> tuple[dict, str]:
        """One chart's Vega and SVG; raises the child's error for it, or draws it here if the child died."""
        child = self._sent[ident]
        with self._ready:
            self._ready.wait_for(lambda: ident in self._results or child.done)
            result = self._results.pop(ident, None)
        if result is None:
            return draw(spec)
        ok, a, b = result
        if not ok:
            raise RuntimeError(a)
        return a, b

    def close(self) -> None:
        """Reap the children; one still drawing (a failed build no longer needs it) is stopped."""
        for child in self._children:
            with self._ready:
                finished = child.done
            if not finished:
                try:
                    os.kill(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            for stream in (child.out, child.inp):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                os.waitpid(child.pid, 0)
            except ChildProcessError:
                pass


def _child(rfd: int, wfd: int) -> None:
    _vl_convert().vegalite_to_vega(TINY)  # start V8 while the parent imports Altair and builds the specs
    inp, out = os.fdopen(rfd, "rb"), os.fdopen(wfd, "wb")
    while True:
        try:
            ident, spec = pickle.load(inp)
        except EOFError:
            break
        try:
            message = (ident, True, *draw(spec))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which reports it
            message = (ident, False, f"{type(exc).__name__}: {exc}", None)
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
    out.close()

"""Charts built and drawn beside the build: in a forked process where that is safe, else on a thread.

A chart missing from the cache costs three things: Altair (about a fifth of a
second to import, then a few milliseconds a spec), vl-convert's V8 runtime (a
fiftieth of a second to start, then its first drawings while it compiles its
JavaScript) and the drawing itself.  None of it is needed to render the pages,
so it runs beside them:

- **forked** (a build on Linux, from a process that runs a single thread): one
  child, forked ahead (``prefork``, from hooks.py, when data/ or macros/
  changed) before the build knows which charts it lacks, or else once it knows.
  It imports Altair at once and waits for its jobs, which come down a pipe with
  the data.  As soon as it has them it starts V8 beside the rest of the import,
  then builds the specs and draws them while the parent renders the pages;
  results come back up another pipe, so Altair and V8 stay out of the parent.
  A child forked ahead that gets no jobs (every chart was cached) is stopped
  before it starts V8.
- **threaded** (`mkdocs serve`, which keeps Altair and V8 warm between rebuilds,
  and anywhere forking is unsafe): one thread of this process does the same.
  vl-convert lets go of the GIL while it converts, so the pages render meanwhile.

Both run the same pipeline (``_work``): specs are built on one thread and drawn
on another, so V8 draws one chart while Altair builds the next, and a drawing
already in the cache under the spec's own key is reused, not drawn.  Both give
byte-identical results; if a child dies, or was forked from other code than the
parent now runs, what it did not send is made in this process.

Text is measured and drawn with the Liberation Sans that vl-convert carries in
memory, never with the host's fonts (``vl_convert``): the drawings then do not
depend on the machine, and a font on disk is reopened for every glyph.  Data is
inline only and vl-convert is told to fetch nothing, so a chart that names a URL
fails the build instead of drawing empty (or reaching for the network).
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import pickle
import queue
import re
import signal
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .charts import ChartDef
    from .model import Dataset

PIPE_SIZE = 1 << 20  # Linux's default ceiling for an unprivileged process
_EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
_setup = threading.Lock()
_state = {"fonts": False, "v8": False}

# Everything vl-convert does that could change a drawing or reach the network,
# set explicitly rather than left to defaults or a user's config file.  (Not
# max_v8_execution_time_secs: with it set, every drawing took five times as long.)
_CONFIG = dict(num_workers=1, base_url=False, allowed_base_urls=[], auto_google_fonts=False,
               google_fonts=None, embed_local_fonts=False, missing_fonts="fallback", vega_plugins=None,
               default_theme=None, default_format_locale=None, default_time_format_locale=None, themes=None)


def vl_convert(v8: bool = True):
    """vl_convert, set up once per process: its own fonts only, no network; V8 started if asked.

    vl-convert loads the host's fonts through fontconfig's list of directories
    the first time it needs a font.  Pointing FONTCONFIG_FILE, for that moment
    only, at a configuration whose one directory is empty leaves the fonts it
    carries in memory (Liberation Sans, in four styles).  Rasterising a card
    needs no V8, so ``v8=False`` leaves it unstarted (and this process forkable).
    """
    import vl_convert as vlc

    with _setup:
        if not _state["fonts"]:
            vlc.configure(**_CONFIG)
            logging.getLogger("tiny_skia.painter").addFilter(_not_dashing)
            with tempfile.TemporaryDirectory(prefix="explainer-fonts-") as tmp:
                conf = Path(tmp) / "fonts.conf"
                conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{escape(tmp)}</dir></fontconfig>\n',
                                encoding="utf-8")
                before = os.environ.get("FONTCONFIG_FILE")
                os.environ["FONTCONFIG_FILE"] = str(conf)
                try:
                    vlc.svg_to_png(_EMPTY_SVG)  # loads the one font database, shared with V8's text measuring
                finally:
                    if before is None:
                        del os.environ["FONTCONFIG_FILE"]
                    else:
                        os.environ["FONTCONFIG_FILE"] = before
            _state["fonts"] = True
        if v8 and not _state["v8"]:
            vlc.warm_up_workers()
            _state["v8"] = True
    return vlc


class _Warnings(logging.Handler):
    """Collects what Vega-Lite and Vega warn about while one chart is drawn."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_drawing = threading.Lock()


def draw(spec: dict) -> tuple[dict, str, tuple[str, ...]]:
    """Compile a Vega-Lite spec to Vega and draw its SVG (vl-convert, on this thread), with its warnings.

    A warning ("Invalid aggregation operator", "Infinite extent for field") is
    a chart drawn wrong, so it is kept with the drawing and the build reports
    it as an error of the chart; vl-convert sends it to Python's logging.
    """
    vlc = vl_convert()
    caught, logger = _Warnings(), logging.getLogger("vl_convert")
    with _drawing:  # one drawing at a time, so the warnings caught are this chart's
        logger.addHandler(caught)
        try:
            # Compile once; the SVG of the compiled spec is byte-identical to rendering
            # the Vega-Lite spec directly, and the same Vega drives the interactive view.
            vega = vlc.vegalite_to_vega(spec)
            svg = vlc.vega_to_svg(vega)
        finally:
            logger.removeHandler(caught)
    # The root <svg> gets its role, name and description in embed.py; here we only
    # drop the fixed class vl-convert writes so our CSS can target the root cleanly.
    return vega, re.sub(r'^<svg ([^>]*?)class="marks" ', r"<svg \1", svg, count=1), tuple(caught.messages)


CARD_WIDTH, CARD_HEIGHT = 1200, 630  # px: the 1.91:1 image Open Graph and Twitter show whole


def draw_card(card_svg: str) -> bytes:
    """A social card's SVG, laid out at CARD_WIDTH by CARD_HEIGHT, as a PNG (resvg; no V8)."""
    if not card_svg.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" '
                               f'height="{CARD_HEIGHT}" '):
        raise ValueError(f"a card SVG that is not {CARD_WIDTH} by {CARD_HEIGHT}")
    return vl_convert(v8=False).svg_to_png(card_svg)


def _not_dashing(record: logging.LogRecord) -> bool:
    # resvg warns that it cannot dash a line of a single point (a lone forecast
    # year draws one); there is nothing to draw either way, and the same SVG
    # was drawn, with its warnings checked, by draw().
    return record.getMessage() != "path dashing failed"


class ChartFailed(Exception):
    """A chart function's failure, carried across processes with the line of charts.py it reached."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line

    def __reduce__(self):
        return ChartFailed, (self.message, self.line)


def failure(build: Callable, exc: BaseException) -> ChartFailed:
    """The deepest line of macros/charts.py an exception passed through (else the function's first)."""
    if isinstance(exc, ChartFailed):
        return exc
    import inspect

    try:  # the file the chart function is written in (charts.py, linecharts.py)
        home = Path(inspect.getsourcefile(build)).name
    except (OSError, TypeError):
        home = "charts.py"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).name == home]
    return ChartFailed(f"{type(exc).__name__}: {exc}", frames[-1].lineno if frames else definition_line(build))


def definition_line(function: Callable) -> int | None:
    """The line of a function's ``def`` (below its decorators)."""
    import inspect

    try:
        lines, start = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None
    return start + next((i for i, text in enumerate(lines) if text.lstrip().startswith("def ")), 0)


@dataclass(frozen=True)
class Job:
    """One chart to make, and its spec when the cache had it (else Altair builds it)."""

    chart: ChartDef
    data: Dataset
    spec: dict | None = None

    @property
    def ident(self) -> str:
        return self.chart.id

    def make_spec(self) -> dict:
        try:
            return self.spec if self.spec is not None else self.chart.spec(self.data)
        except Exception as exc:  # noqa: BLE001 - any failure of a chart function is the chart's error
            raise failure(self.chart.build, exc) from exc


def _work(jobs: list[Job], lookup: Callable[[dict], tuple[dict, str, tuple[str, ...]] | None],
          emit: Callable[[str, object], None]) -> None:
    """Build each spec (Altair, here) and hand it to a drawing thread (V8), which
    works while the next spec is built; a spec whose drawing is cached is not drawn.

    Each job's result goes to ``emit``: (spec, vega, svg, warnings, drawn now?),
    or the ChartFailed that stops the build."""
    todo: queue.SimpleQueue = queue.SimpleQueue()

    def drawer() -> None:
        while (item := todo.get()) is not None:
            job, spec = item
            try:
                emit(job.ident, (spec, *draw(spec), True))
            except Exception as exc:  # noqa: BLE001 - vl-convert's error is the chart's error
                emit(job.ident, failure(job.chart.build, exc))

    thread = threading.Thread(target=drawer, name="explainer-draw", daemon=True)
    thread.start()
    try:
        for job in jobs:
            try:
                spec = job.make_spec()
            except ChartFailed as exc:  # reported, with its line, by the parent
                emit(job.ident, exc)
                continue
            drawn = lookup(spec)
            if drawn is not None:
                emit(job.ident, (spec, *drawn, False))
            else:
                todo.put((job, spec))
    finally:
        todo.put(None)
        thread.join()


def _threads() -> int:
    """Threads of this process, the runtime's own (V8's) included (Linux)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count() + 1  # unknown: never taken for one


def can_fork() -> bool:
    # Under serve, Altair and V8 loaded in this process stay warm for the next
    # rebuild; a child would pay for both afresh on every one.
    return (sys.platform == "linux" and _threads() == 1
            and os.environ.get("EXPLAINER_COMMAND") != "serve"
            and os.environ.get("EXPLAINER_RENDER_PROCESS", "") != "off")


class RenderPool:
    """Makes a build's missing charts beside it; ``result`` waits for one.

    One render process (or thread) per build, so V8 starts once: a second
    process would pay Altair's import and V8's start again, and on two cores
    it would only take time from the pages."""

    def __init__(self, jobs: list[Job]):
        self._jobs = {job.ident: job for job in jobs}
        self._results: dict[str, object] = {}  # received and not yet taken by result()
        self._ready = threading.Condition()
        self._child: _Child | None = None
        self._done = False  # the process or thread has stopped: what it has not sent, it never will
        self._closed = False  # the build is over (or failed): nothing more is made here

    @classmethod
    def start(cls, jobs: list[Job], lookup: Callable[[dict], tuple[dict, str, tuple[str, ...]] | None]) -> RenderPool:
        """Hand the jobs to the render process forked ahead, or to one forked now where that is safe,
        else to a thread of this process.  With no jobs, the process forked ahead is stopped."""
        pool = cls(jobs)
        spare = take_spare()
        if not jobs:
            drop_spare(spare)
            pool._done = True
            return pool
        if spare is None and can_fork():
            spare = _Child.fork()  # before the thread below: fork only while this process runs one
        if spare is not None:
            pool._child = spare
            spare.send(jobs, lookup)
            target, args = pool._read, (spare,)
            atexit.register(pool.close)  # however the build ends, the render process ends with it
        else:
            target, args = pool._run_here, (jobs, lookup)
        threading.Thread(target=target, args=args, name="explainer-render", daemon=True).start()
        return pool

    @property
    def forked(self) -> bool:
        return self._child is not None

    def _store(self, ident: str, result: object) -> None:
        with self._ready:
            self._results[ident] = result
            self._ready.notify_all()

    def _stopped(self) -> None:
        with self._ready:
            self._done = True
            self._ready.notify_all()

    def _run_here(self, jobs: list[Job], lookup) -> None:
        try:
            _work(jobs, lookup, self._store)
        finally:
            self._stopped()

    def _read(self, child: _Child) -> None:
        try:
            while True:
                ident, result = pickle.load(child.inp)
                self._store(ident, result)
                child.sent += 1
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            pass
        finally:
            self._stopped()

    def has(self, ident: str) -> bool:
        return ident in self._jobs

    def received(self) -> int:
        """How many results came from the render process (the rest were made here)."""
        return self._child.sent if self._child is not None else 0

    def order(self) -> list[str]:
        """The jobs in the order they were given (the lead charts first)."""
        return list(self._jobs)

    def result(self, ident: str) -> tuple[dict, dict, str, tuple[str, ...], bool]:
        """One chart's spec, Vega, SVG, warnings and whether it was drawn now; raises ChartFailed for a
        chart that fails.  A chart the render process did not send (it died, or refused) is made here."""
        with self._ready:
            self._ready.wait_for(lambda: ident in self._results or self._done)
            result = self._results.pop(ident, None)
        if result is None:
            if self._closed:
                raise ChartFailed("the build stopped before the chart was drawn", None)
            spec = self._jobs[ident].make_spec()
            return (spec, *draw(spec), True)
        if isinstance(result, ChartFailed):
            raise result
        return result

    def close(self) -> None:
        """Reap the render process; one still working (a failed build no longer needs it) is stopped."""
        self._closed = True
        if self._child is not None:
            with self._ready:
                finished = self._done
            self._child.stop(kill=not finished)


class _Child:
    """A render process: forked idle, it imports Altair at once, then makes the jobs it is sent."""

    def __init__(self, pid: int, to_child: int, from_child: int):
        self.pid = pid
        self.out = os.fdopen(to_child, "wb")
        self.inp = os.fdopen(from_child, "rb")
        self.sent = 0  # results received from it
        self.stopped = False

    @classmethod
    def fork(cls) -> _Child:
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        import fcntl  # forking is for Linux only, and so is this

        for fd in (to_w, from_w):  # room for the jobs and the drawings, so neither side waits to write
            try:
                fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
            except OSError:
                pass  # a smaller pipe only makes a writer wait for its reader
        # Every page the parent writes after a fork is copied first (it is the
        # child's too), and the collector writes to every object it scans:
        # frozen, the objects of the build so far are left alone by it.
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(to_w)
                os.close(from_r)
                _child(to_r, from_w)
                code = 0
            finally:
                os._exit(code)  # no atexit handlers, no second flush of the parent's buffers
        os.close(to_r)
        os.close(from_w)
        return cls(pid, to_w, from_r)

    def send(self, jobs: list[Job], lookup) -> None:
        """The child's work, with the source it must have been forked from (see ``_child``)."""
        from .stamp import source_stamp

        try:
            pickle.dump((source_stamp(), jobs, lookup), self.out, protocol=pickle.HIGHEST_PROTOCOL)
            self.out.close()
        except (OSError, ValueError, pickle.PicklingError):
            self.stop(kill=True)  # the reader then finds the pipe closed, and result() makes the jobs here

    def stop(self, kill: bool) -> None:
        """Close our ends, stop it if asked, and reap it (once: a reaped pid may be another process's)."""
        if self.stopped:
            return
        self.stopped = True
        if kill:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for stream in (self.out, self.inp):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _child(rfd: int, wfd: int) -> None:
    gc.disable()  # a short life that allocates and keeps (Altair's classes, the specs): nothing to collect
    # The jobs come while Altair is imported: a reader thread takes them and,
    # since a job is a chart the cache lacks, starts V8 beside the import.
    inp, message = os.fdopen(rfd, "rb"), []

    def receive() -> None:
        message.append(_receive(inp))
        if message[0] is not None and message[0][1]:
            vl_convert()

    reader = threading.Thread(target=receive, daemon=True)
    reader.start()
    from .charts import load_altair

    load_altair()
    reader.join()
    if not message or message[0] is None:
        return  # nothing to make (or the parent is gone)
    stamp, jobs, lookup = message[0]
    from .stamp import source_stamp

    if stamp != source_stamp():
        return  # macros/ changed since the fork: the parent makes these itself, with the code it has
    out = os.fdopen(wfd, "wb")
    lock = threading.Lock()

    def emit(ident: str, result: object) -> None:
        with lock:  # both the spec and the drawing thread send
            pickle.dump((ident, result), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()

    _work(jobs, lookup, emit)
    out.close()


def _receive(inp) -> object:
    try:
        return pickle.load(inp)
    except (EOFError, OSError, ValueError, pickle.UnpicklingError):
        return None


# -- a render process forked ahead of the build's first chart -------------

_spare: _Child | None = None


def prefork() -> bool:
    """Fork a render process now, before the build knows which charts it lacks, so that Altair
    loads beside MkDocs' own start; ``RenderPool.start`` hands it the jobs, or stops it."""
    global _spare
    if _spare is None and can_fork():
        _spare = _Child.fork()
        atexit.register(drop_spare)
    return _spare is not None


def take_spare() -> _Child | None:
    global _spare
    spare, _spare = _spare, None
    return spare


def drop_spare(spare: _Child | None = None) -> None:
    """Stop the process forked ahead (or this one) if nothing was handed to it."""
    spare = spare if spare is not None else take_spare()
    if spare is not None:
        spare.stop(kill=True)

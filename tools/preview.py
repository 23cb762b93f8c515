"""Build and serve the site exactly as pull request N's preview.

    python -m tools.preview [N] [--port 8000]      (or: python3 tasks.py preview N)

Builds with ``mkdocs build --strict`` into ``.preview-site/``, with
``SITE_URL=http://127.0.0.1:PORT/pr-preview/pr-N/``, ``PREVIEW=true`` (so
pages carry the noindex meta) and ``SOCIAL_CARDS=true``, the way .github/workflows/preview.yml builds
for GitHub Pages; then serves it under ``/pr-preview/pr-N/`` on 127.0.0.1.
A missing path under that prefix gets the site's own ``404.html`` with status
404, as on GitHub Pages; ``/`` redirects to the prefix.  Text (HTML, CSS, JavaScript,
JSON, XML, SVG) goes gzip-compressed to a client that accepts it, as GitHub Pages
sends it (what Lighthouse weighs: tools/lighthouse.py).  Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".preview-site"
HOST = "127.0.0.1"
# What GitHub Pages compresses: text, not images or fonts already compressed.
GZIP_TYPES = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
              "application/xml", "text/xml", "image/svg+xml", "application/atom+xml", "text/plain"}


def prefix_for(number: int) -> str:
    return f"/pr-preview/pr-{number}/"


def build(number: int, port: int, out: Path = OUT, project: Path = ROOT, **extra_env: str) -> int:
    """Build the preview of PR `number` as served on `port`; the exit code of mkdocs."""
    env = dict(os.environ, **extra_env, SITE_URL=f"http://{HOST}:{port}{prefix_for(number)}", PREVIEW="true",
               SOCIAL_CARDS="true")
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    return subprocess.run(cmd, cwd=project, env=env).returncode


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix`; the site's 404.html for what is missing."""

    prefix = "/"
    # Connections kept open between requests, as GitHub Pages keeps them (HTTP/1.0 would open one per
    # request, and Lighthouse would charge each page's stylesheets a new connection's round trips).
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        if os.environ.get("PREVIEW_QUIET") != "1":
            super().log_message(format, *args)

    def _url_path(self) -> str:
        return self.path.split("?", 1)[0].split("#", 1)[0]

    def send_head(self):  # type: ignore[override]
        path = self._url_path()
        if self.prefix != "/" and path in ("/", self.prefix.rstrip("/")):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not path.startswith(self.prefix):
            self.send_error(HTTPStatus.NOT_FOUND, "Outside the preview's prefix")
            return None
        return self._gzip_head() or super().send_head()

    def _gzip_head(self) -> io.BytesIO | None:
        """A file (or a directory's index.html) of a text type, gzip-compressed, to a client that accepts gzip."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        path = self._url_path()
        file = Path(self.translate_path(path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        ctype = self.guess_type(str(file))
        if not file.is_file() or ctype.split(";")[0] not in GZIP_TYPES:
            return None
        body = gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        # send_head has already turned away paths outside the prefix.
        clean = path.split("?", 1)[0].split("#", 1)[0]
        return super().translate_path("/" + clean[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not self._url_path().startswith(self.prefix) or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(site: Path, port: int, prefix: str = "/", host: str = HOST) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (PreviewHandler,), {"prefix": prefix})
    return http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(site)))


@contextlib.contextmanager
def serve(site: Path, port: int, prefix: str = "/") -> Iterator[str]:
    """Serve `site` under `prefix` in a background thread; yields the base URL."""
    server = make_server(site, port, prefix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.preview", description=__doc__.splitlines()[0])
    parser.add_argument("number", nargs="?", type=int, default=7, help="the pull request number (default: 7)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    args = parser.parse_args(argv)
    if args.number < 1:
        parser.error("the pull request number must be positive")
    code = build(args.number, args.port)
    if code != 0:
        print(f"[preview] build failed (exit {code})", file=sys.stderr)
        return code
    prefix = prefix_for(args.number)
    with make_server(OUT, args.port, prefix) as server:
        print(f"[preview] PR {args.number}'s preview: http://{HOST}:{args.port}{prefix}  (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where the build keeps what it can reuse between builds, and how it reads it back.

One directory (``.cache/`` in the project, or ``$EXPLAINER_CACHE_DIR``; ``off``
or an empty value turns caching off) holds:

- ``charts/``: rendered charts and social cards (charts/store.py);
- ``templates/``: compiled Jinja templates, the theme's and the pages' (templates.py);
- ``pages-*.json``: what each page showed in the last build into a folder (record.py).

(The validated data was kept too, until a 16x benchmark showed it saved nothing
measurable: MAINTAINERS.md.)

Nothing in it is needed: deleting it (``python3 tasks.py clean-cache``) only
makes the next build slower.  Every entry carries a sha256 of its content and
is written atomically (temporary file, then rename), so a damaged entry is
ignored and rebuilt, never used, and concurrent builds see an old entry or a new one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

PARTS = ("charts", "templates")
_DIGEST = 32  # bytes of sha256 in front of every checked entry


def cache_root(project: Path) -> Path | None:
    value = os.environ.get("EXPLAINER_CACHE_DIR")
    if value is None:
        return project / ".cache"
    return None if value in ("", "off") else Path(value)


def cache_dir(project: Path, part: str) -> Path | None:
    assert part in PARTS, part
    root = cache_root(project)
    return root / part if root is not None else None


def clear(root: Path) -> int:
    """Delete every cache entry under root; returns how many files were removed."""
    removed = 0
    for part in PARTS:
        path = root / part
        if path.is_dir():
            removed += sum(1 for p in path.rglob("*") if p.is_file())
            shutil.rmtree(path, ignore_errors=True)
    for path in root.glob("pages-*.json"):  # what the pages showed (record.py): every page is rebuilt
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def read_checked(path: Path) -> bytes | None:
    """An entry's content, or None if it is missing or fails its digest."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    body = blob[_DIGEST:]
    if len(blob) <= _DIGEST or hashlib.sha256(body).digest() != blob[:_DIGEST]:
        return None
    return body


def write_checked(path: Path, body: bytes) -> None:
    """Write an entry with its digest in front, atomically."""
    write_atomic(path, hashlib.sha256(body).digest() + body)


def write_atomic(path: Path, blob: bytes) -> None:
    """Temporary file, then rename: a reader sees the old entry or the new one.
    A cache that cannot be written only costs time."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:16]}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass

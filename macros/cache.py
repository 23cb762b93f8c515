"""Where the build keeps what it can reuse between builds, and how it reads it back.

One directory (``.cache/`` in the project, or ``$EXPLAINER_CACHE_DIR``; ``off``
or an empty value turns caching off) holds:

- ``charts/``: rendered charts and social cards (render.py);
- ``templates/``: compiled Jinja templates, the theme's and the pages' (templates.py);
- ``data/``: the validated data of the last build, and each data file's parse
  (``load_data`` below).

Nothing in it is needed: deleting it (``python3 tasks.py clean-cache``) only
makes the next build slower.  Every entry carries a sha256 of its content and
is written atomically (temporary file, then rename), so a damaged entry is
ignored and rebuilt, never used, and concurrent builds see an old entry or a new one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from .model import Dataset

PARTS = ("charts", "templates", "data")
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


def _data_key(project: Path, today: date) -> bytes:
    """Everything the validated data depends on: data/, our code, today (dates are
    checked against it) and the Python that pickled it."""
    from .stamp import source_stamp

    h = hashlib.sha256(f"python={sys.version}\0today={today.isoformat()}\0code={source_stamp()}\0".encode())
    try:
        paths = sorted((project / "data").iterdir())
    except OSError:  # not a folder: loading reports it
        paths = []
    for path in paths:
        try:
            if path.is_file():
                h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError as exc:  # an unreadable file: loading reports it (yamlfile.read_file)
            h.update(path.name.encode() + b"\0" + repr(exc).encode() + b"\0")
    return h.digest()


def snapshot_is_current(project: Path, today: date | None = None) -> bool:
    """Whether the last build's data snapshot still holds: nothing in data/ or macros/ changed since."""
    directory = cache_dir(project, "data")
    body = read_checked(directory / "dataset.pickle") if directory is not None else None
    key = _data_key(project, today or date.today()) if body is not None else b""
    return body is not None and body[:len(key)] == key


def load_data(project: Path, today: date | None = None) -> Dataset:
    """data/, loaded and validated; the last build's result if nothing it depends on changed.

    Only a valid Dataset is kept: data with problems is read and checked on every
    build, so every build reports them.
    """
    today = today or date.today()
    directory = cache_dir(project, "data")
    if directory is None:
        return _load(project, today)
    key = _data_key(project, today)
    path = directory / "dataset.pickle"  # one entry: the data as of the last build
    body = read_checked(path)
    if body is not None and body[:len(key)] == key:
        try:
            data = pickle.loads(body[len(key):])  # our own entry, verified by its digest
            if isinstance(data, Dataset):
                return data
        except Exception:  # noqa: BLE001 - an unreadable entry is rebuilt, never used
            pass
    data = _load(project, today)
    write_checked(path, key + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def _load(project: Path, today: date) -> Dataset:
    from .data import load  # imported only when needed: a cached build never reads YAML

    directory = cache_dir(project, "data")
    return load(project / "data", today, read=_parsed_in(directory) if directory is not None else None)


def _parsed_in(directory: Path):
    """A YAML reader that keeps each file's parse (three quarters of loading), so a build after a
    one-file edit parses that file only.  Only a file that parsed is kept: errors are found anew."""
    from .stamp import source_stamp
    from .yamlfile import read_file, read_yaml

    code = f"python={sys.version}\0code={source_stamp()}\0".encode()

    def read(path: Path, shown: str):
        raw = read_file(path, shown)
        key = hashlib.sha256(code + shown.encode() + b"\0" + raw).digest()
        entry = directory / "parsed" / f"{path.stem}.pickle"
        body = read_checked(entry)
        if body is not None and body[:len(key)] == key:
            try:
                return pickle.loads(body[len(key):])  # our own entry, verified by its digest
            except Exception:  # noqa: BLE001 - an unreadable entry is parsed again, never used
                pass
        doc = read_yaml(path, shown)
        write_checked(entry, key + pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        return doc

    return read

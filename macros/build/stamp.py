"""A digest of the macros package's source, to tell whether a loaded copy is stale."""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).parent.parent  # macros/, every sub-package in it


def source_stamp() -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()

"""Find numbers typed by hand in docs/: every figure must come through a macro.

What is left after removing macro calls, HTML tags, code and link targets may
contain no digits, except years (1900-2099, also as FY2026) and the names in
ALLOWED, which contain digits but are not figures.

    python -m tools.scan_numbers [docs_dir]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Names that contain digits but are not figures; keep this list short.
ALLOWED = (
    "2-nanometre", "2nm", "3nm", "Made in China 2025", "IIM-1", "CHIPS and Science Act",
    "Section 232",
)
_STRIP = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|`[^`\n]*`|\]\([^)]*\)|<[^>]+>|^\s*\*\[[^\]]+\]:.*$",
    re.S | re.M,
)
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_YEAR = re.compile(r"(?<![\d.,$¥])(?:FY)?(?:19|20)\d\d(?:s|[–-](?:19|20)?\d\d)?(?![\d%]|[.,]\d)")
_DIGIT = re.compile(r"[^\s]*\d[^\s]*")


def scan_text(text: str) -> list[tuple[int, str]]:
    """(line number, offending token) for every hand-typed number."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            text = "\n" * text[:end + 4].count("\n") + text[end + 4:]
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _STRIP.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    hits = []
    for n, line in enumerate(text.splitlines(), 1):
        for name in ALLOWED:
            line = line.replace(name, " ")
        line = _YEAR.sub(" ", line)
        for token in _DIGIT.findall(line):
            hits.append((n, token))
    return hits


def scan(docs_dir: Path) -> list[str]:
    out = []
    for path in sorted(docs_dir.rglob("*.md")):
        for n, token in scan_text(path.read_text(encoding="utf-8")):
            out.append(f"{path.as_posix()}:{n}: '{token}' looks like a number typed by hand; "
                       "use {{ fig(\"...\") }} with a figure from data/")
    return out


if __name__ == "__main__":
    found = scan(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
    print("\n".join(found) or "no hand-typed numbers")
    sys.exit(1 if found else 0)

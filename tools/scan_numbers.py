"""Find numbers typed by hand in docs/ (the build refuses them too: macros/data/typed.py).

    python -m tools.scan_numbers [docs_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

from macros.data.typed import ALLOWED, scan_text  # noqa: F401  (ALLOWED: the names that may hold digits)


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

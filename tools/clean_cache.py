"""Empty the rendered-chart cache: ``python3 tasks.py clean-cache``."""

import os
from pathlib import Path

from macros.render import clear

if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    cache = Path(os.environ.get("EXPLAINER_CACHE_DIR", root / ".cache" / "charts"))
    print(f"removed {clear(cache)} cached chart(s) from {cache}")

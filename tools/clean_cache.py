"""Empty the build caches (rendered charts, compiled templates): ``python3 tasks.py clean-cache``."""

from pathlib import Path

from macros.build.cache import cache_root, clear

if __name__ == "__main__":
    root = cache_root(Path(__file__).resolve().parent.parent)
    if root is None:
        print("caching is off (EXPLAINER_CACHE_DIR is empty or 'off'): nothing to remove")
    else:
        print(f"removed {clear(root)} cached file(s) from {root}")

"""Which pages a --dirty build (and `mkdocs serve --dirty`) rebuilds, and the record that tells it.

MkDocs rebuilds a page only if its Markdown is newer than its HTML.  Our pages
also show data/ through the macros, and the theme's overrides; and the audit
and the figure index show what every page cites.  The plugin (build/plugin.py)
asks this module in ``on_files`` which pages are stale, and writes the record
of what each page shows after a build that succeeded (build/record.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def outdate_pages(files, config, started: list[float], staged: dict[str, str], site=None) -> None:
    """A page is rebuilt too when what it shows changed since its HTML was written (or, under
    serve, since the last build began: an edit saved while it ran came after it read its
    inputs), or an edited figure would stay stale on it.

    After an edit to data/ only, a page is rebuilt only if the digest of what it shows
    (macros/build/record.py) differs from the one the last build recorded: a one-value edit
    rebuilds the pages that show that figure, or a chart of it, and the generated pages.
    ``started``: when each build of this process began to read its inputs; ``staged``: the
    site folder each build under way will replace, by the folder it is built in."""
    project = Path(config.config_file_path).resolve().parent
    # The package holds the plugin and macros/main.py, which mkdocs-macros runs.
    inputs = [project / "macros", Path(config.config_file_path)]
    if config.theme.custom_dir:
        inputs.append(Path(config.theme.custom_dir))
    code_at, data_at = newest(inputs), newest([project / "data"])
    pages = list(files.documentation_pages())
    cited = max((_mtime(Path(f.abs_src_path)) for f in pages), default=0.0)
    try:
        from macros.build.usage import READS_EVERY_PAGE
    except Exception:  # noqa: BLE001 - a broken macros package: the macros plugin reports it; rebuild all
        READS_EVERY_PAGE = ()
        code_at = float("inf")
    recorded, now = page_record(config, site, staged)
    last_start = started[-2] if len(started) > 1 else float("inf")
    for file in pages:
        inputs_at = code_at
        if any(f"{name}(" in _source(file) for name in READS_EVERY_PAGE):
            inputs_at = max(inputs_at, cited)  # data/: by digest, as below (a file saved unchanged is no edit)
        # <=, not <: where file times have whole seconds, an edit and the last build can share one.
        written = min(_mtime(Path(file.abs_dest_path)), last_start)
        stale = written <= inputs_at
        if not stale and written <= data_at:
            stale = now is None or recorded.get(file.src_uri) != now.get(file.src_uri)
        if stale:
            file.is_modified = lambda: True  # what MkDocs asks of each page, and nothing else


def record_path(config, staged: dict[str, str]) -> Path | None:
    """Where the digests of what the pages in this site folder show are kept (one record per folder)."""
    from macros.build.cache import cache_root

    root = cache_root(Path(config.config_file_path).resolve().parent)
    final = staged.get(config.site_dir, config.site_dir)
    return root / f"pages-{hashlib.sha256(str(Path(final).resolve()).encode()).hexdigest()[:16]}.json" if root else None


def page_record(config, site, staged: dict[str, str]) -> tuple[dict, dict | None]:
    """The digests the last build recorded for this site folder, and this build's (None: unknown)."""
    if site is None or site.data is None:
        return {}, None
    from macros.build import record

    # Kept for write_record: the build that asks writes what it found (a fifth of a second at 16x).
    site.page_digests = record.digests(Path(config.docs_dir), site.data)
    return record.read(record_path(config, staged)), site.page_digests


def write_record(config, site, staged: dict[str, str]) -> None:
    """What each page of a build that succeeded shows, for the next --dirty build (this build's digests,
    as on_files found them for a --dirty build)."""
    from macros.build import record

    now = getattr(site, "page_digests", None)
    record.write(record_path(config, staged), now if now is not None else record.digests(Path(config.docs_dir), site.data))


def newest(paths: list[Path]) -> float:
    """The newest file among paths (folders searched), compiled bytecode aside: it follows its source.
    Files only: a folder's time moves when anything is made in it (Python's __pycache__, an editor's
    swap file), which would make every page look stale."""
    found = (p for path in paths for p in (path.rglob("*") if path.is_dir() else [path]))
    return max((_mtime(p) for p in found if "__pycache__" not in p.parts and p.is_file()), default=0.0)


def _source(file) -> str:
    try:
        return Path(file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0  # a page never built: MkDocs builds it anyway

"""Entry point mkdocs-macros loads (``module_name: macros/main``: a file it runs, not a module it imports).

mkdocs-macros imports a macros *package* once and keeps it, so under
`mkdocs serve` edits to macros/ would not show until a restart.  A
single-file module is re-executed on every build, so this shim drops the
cached package when its source has changed since it was imported (its
``SOURCE_STAMP``) and imports it afresh; an unchanged package is kept, which
spares every rebuild the import.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))  # the project, where the macros package is


def _drop_package() -> None:
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        del sys.modules[name]


_loaded = sys.modules.get("macros")
if _loaded is None:
    _drop_package()  # what a failed import left behind (its submodules), never to be reused
else:
    from macros.build.stamp import source_stamp

    if getattr(_loaded, "SOURCE_STAMP", None) != source_stamp():
        _drop_package()

try:
    from macros.pages.register import define_env, on_post_page_macros, on_pre_page_macros  # noqa: F401
except BaseException as _exc:
    _drop_package()  # the next build imports the package afresh, every module of it
    if not isinstance(_exc, SyntaxError):
        raise
    # A half-typed edit: say where, not forty lines of import machinery.
    from mkdocs.exceptions import PluginError

    _file = Path(_exc.filename or "macros").resolve()
    _here = Path(__file__).parent.parent.resolve()
    _file = _file.relative_to(_here) if _file.is_relative_to(_here) else _file
    raise PluginError(f"{_file.as_posix()}:{_exc.lineno}: SyntaxError: {_exc.msg}\n"
                      f"    {(_exc.text or '').strip()}") from None

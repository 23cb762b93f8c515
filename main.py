"""Entry point mkdocs-macros loads (``module_name: main``).

mkdocs-macros imports a macros *package* once and keeps it, so under
`mkdocs serve` edits to macros/*.py would not show until a restart.  A
single-file module is re-executed on every build, so this shim drops the
cached package first and imports it afresh.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
for _name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
    del sys.modules[_name]

from macros import define_env, on_post_build, on_post_page_macros, on_pre_page_macros  # noqa: E402,F401

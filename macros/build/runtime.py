"""vega-interpreter, served beside the Vega runtime so that the charts run without eval.

Vega compiles its expressions into functions with the Function constructor,
which the site's Content-Security-Policy forbids (no 'unsafe-eval',
macros/build/csp.py).  The Vega project's CSP-safe evaluator is vega-interpreter,
pinned in js/package.json; it is published only as an ES module whose one
import is from vega-util, a bare name a browser cannot resolve without an
import map (itself an inline script to hash).  vega.min.js already carries
vega-util, re-exported on its ``vega`` global, so the module is served as a
classic script that reads those names from that global and adds
``vega.expressionInterpreter`` to it: text moved, none written, checked
here so that an upgrade that changes the module's shape stops the build.
"""

from __future__ import annotations

import re
from pathlib import Path

INTERPRETER_SRC = Path("js/node_modules/vega-interpreter/build/vega-interpreter.js")
INTERPRETER_DEST = "assets/runtime/vega-interpreter.js"

_IMPORT = re.compile(r"^import \{([\w\s,]+)\} from 'vega-util';\n", re.MULTILINE)
_EXPORT = re.compile(r"^export \{ (\w+) as expressionInterpreter \};\n", re.MULTILINE)
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*\n?", re.MULTILINE)  # the map is not served
_MODULE_SYNTAX = re.compile(r"^\s*(import|export)\b", re.MULTILINE)


def interpreter_script(module: str) -> str:
    """vega-interpreter's ES module as a classic script on the ``vega`` global (vega.min.js runs first)."""
    imports, exports = _IMPORT.findall(module), _EXPORT.findall(module)
    body = _SOURCE_MAP.sub("", _EXPORT.sub("", _IMPORT.sub("", module)))
    if len(imports) != 1 or len(exports) != 1 or _MODULE_SYNTAX.search(body):
        raise ValueError(f"{INTERPRETER_SRC}: not the module shape this adapter knows (one import from "
                         "vega-util, one export of expressionInterpreter); check the upgrade in macros/build/runtime.py")
    names = [name.strip() for name in imports[0].split(",") if name.strip()]
    # The served header names this module by its path before macros/ had sub-packages: the site's
    # files stay byte-for-byte what they were (a reader's cache, the deploy's diff).
    return ("/* vega-interpreter (BSD-3-Clause), from js/node_modules, as a classic script: its import from\n"
            "   vega-util reads the vega global, which re-exports vega-util (macros/runtime.py). */\n"
            "(function (vega) {\n\"use strict\";\n"
            + "".join(f"var {name} = vega.{name};\n" for name in names)
            + body
            + f"vega.expressionInterpreter = {exports[0]};\n}})(window.vega);\n")


def interpreter(project: Path) -> str:
    """The interpreter as the plain script the site serves at INTERPRETER_DEST."""
    try:
        return interpreter_script((project / INTERPRETER_SRC).read_text(encoding="utf-8"))
    except ValueError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None

"""Start-up work that must happen before mkdocs-macros loads; mkdocs.yml lists this plugin before it.

MkDocs imports the plugins a site lists, in order, and only then the site's
hooks (hooks.py): our own code can run no earlier than this, and only from an
installed plugin, which is why this one exists (``python3 tasks.py`` installs it).

mkdocs-macros imports ``requests`` when MkDocs loads it, to fetch a URL for
authors who ask it to.  This site never does, and the import (urllib3,
charset_normalizer, http.client...) costs every build a tenth of its floor,
before anything else can start.  ``requests`` is therefore registered here as
a module that imports the real one the first time anything is read from it:
a page or plugin that does use it gets it, a build that does not never pays.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

from mkdocs.plugins import BasePlugin

DEFERRED = ("requests",)
_importing = threading.RLock()


class Deferred(types.ModuleType):
    """A module imported the first time one of its attributes is read.

    Python's ``import`` of a module already in ``sys.modules`` reads only
    ``__spec__`` of it, which is the real module's spec (so ``find_spec`` answers
    as before); any other attribute, ``requests.get`` say, imports the real
    module, puts it in ``sys.modules`` in place of this one and is read from it.
    One thread imports it: another, reading meanwhile, waits rather than read a
    module half imported."""

    def __getattr__(self, name: str):
        with _importing:
            real = sys.modules.get(self.__name__)
            if real is None or real is self:
                sys.modules.pop(self.__name__, None)
                try:
                    real = importlib.import_module(self.__name__)
                except BaseException:
                    sys.modules.setdefault(self.__name__, self)  # as it was: the next read tries again
                    raise
        return getattr(real, name)


def defer(name: str) -> None:
    """Register ``name`` as a Deferred module, unless it is imported already (or cannot be found)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)  # finds it, runs none of it
    if spec is None:
        return
    module = Deferred(name)
    module.__spec__ = spec
    sys.modules[name] = module


for _name in DEFERRED:
    defer(_name)


class ExplainerPlugin(BasePlugin):
    """Does its work when MkDocs imports it (above); no event of its own."""

"""The entry point MkDocs finds for the site's plugin (``explainer`` in mkdocs.yml), installed by set-up.

The plugin itself is macros/build/plugin.py, in the project being built: a copy
of the project builds with its own.  MkDocs says where that project is only when
it hands the plugin its options (``load_config``), so this installed module is
what it imports first, and the class below turns into the project's plugin
there.  One thing cannot wait for it:

mkdocs-macros imports ``requests`` when MkDocs loads it, to fetch a URL for
authors who ask it to.  This site never does, and the import (urllib3,
charset_normalizer, http.client...) costs every build a tenth of its floor,
before anything else can start.  ``requests`` is therefore registered here as
a module that imports the real one the first time anything is read from it:
a page or plugin that does use it gets it, a build that does not never pays.
mkdocs.yml therefore lists this plugin before mkdocs-macros.

This file is copied into .venv (``python3 tasks.py setup``, again whenever it
changes): keep it to the work that must run before the project can be imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from pathlib import Path

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
    """Becomes the project's plugin (macros/build/plugin.py) when MkDocs gives it the config's path."""

    def load_config(self, options, config_file_path=None):
        project = Path(config_file_path or "mkdocs.yml").resolve().parent
        if str(project) not in sys.path:
            sys.path.insert(0, str(project))
        from macros.build.plugin import ExplainerPlugin as Plugin

        # MkDocs registers a plugin's events after this call, from the object it made: the
        # project's class, from now on (under `mkdocs serve` the same object serves every rebuild).
        self.__class__ = Plugin
        Plugin.__init__(self)
        return self.load_config(options, config_file_path)

    def on_startup(self, *, command, dirty):
        """Never called (load_config replaces this class first): declared because MkDocs keeps a plugin
        with an on_startup from one `mkdocs serve` rebuild to the next, and decides so before load_config."""

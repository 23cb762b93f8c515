"""The config a build starts from, settled before anything is read (the plugin's ``on_config``).

Kept apart from the plugin (build/plugin.py) because each piece is a rule of its
own about the config: what SOCIAL_CARDS may say, each edition's address, how a
server stays lenient, and what makes a build cheap from its start (the macros
package kept compiled, mkdocs-macros' ``git`` variable made lazy).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import CountHandler


class _Lazy(Mapping):
    """A mapping computed the first time it is read."""

    def __init__(self, compute):
        self._compute, self._value = compute, None

    def _get(self) -> dict:
        if self._value is None:
            self._value = self._compute() or {}
        return self._value

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())


def lazy_git() -> None:
    """mkdocs-macros fills its ``git`` page variable by running thirteen git
    commands at the start of every build, a few hundredths of a second that
    MkDocs alone never spends; no page of ours reads it.  It gets the same
    values, run the first time a page reads ``git``."""
    from mkdocs_macros import context

    compute = getattr(context.get_git_info, "__wrapped__", context.get_git_info)  # serve: once a rebuild

    def get_git_info():
        return _Lazy(compute)

    get_git_info.__wrapped__ = compute
    context.get_git_info = get_git_info


def serve_leniently(config) -> None:
    """Strict mode would abort the rebuild and keep serving the last good one,
    hiding the error; under serve the terminal and the page say what is wrong.
    MkDocs attaches its strict-mode counter before on_config, so detach it."""
    config.strict = False
    for logger in map(logging.getLogger, ("mkdocs", "properdocs")):  # ProperDocs counts on its own logger
        for handler in [h for h in logger.handlers if isinstance(h, CountHandler)]:
            logger.removeHandler(handler)


def edition_addresses(config, project: Path, edition: str, serving: bool) -> None:
    """Each edition's address: the English site_url, and its ja/ (the Japanese build is given it)."""
    # The English build marks the config it loads for another edition (macros/build/editions.py: build_all).
    if edition != "en" and not config.extra.get("built_by_english") and not serving:  # a translator may serve it on its own
        raise PluginError(f"{Path(config.config_file_path).name}: the {edition} edition is built by the English "
                          "build, into its site's ja/: run `mkdocs build` (python3 tasks.py build) on mkdocs.yml.")
    english_url = config.site_url
    if edition != "en" and config.site_url:
        if config.site_url.endswith(f"/{edition}/"):
            english_url = config.site_url[: -len(f"{edition}/")]
        else:
            config.site_url = f"{english_url}{edition}/"
    if edition == "en" and config.extra.get("alternate"):
        # An edition exists once its pages do (docs/<lang>/, mkdocs.<lang>.yml): until then the English
        # site has no language selector and no hreflang, and is what it was.  From then on a text it lacks
        # stops the build (macros/pages/overlay.py).
        built = [alt for alt in config.extra["alternate"] if alt.get("lang") == "en" or (
            (project / "docs" / str(alt.get("lang"))).is_dir() and (project / f"mkdocs.{alt.get('lang')}.yml").exists())]
        config.extra["alternate"] = built if len(built) > 1 else []
    if english_url and config.extra.get("alternate"):
        config.extra["editions"] = {alt["lang"]: english_url if alt["lang"] == "en" else f"{english_url}{alt['lang']}/"
                                    for alt in config.extra["alternate"]}


# What SOCIAL_CARDS can give, read by !ENV as YAML reads text: true/false/yes/no/on/off,
# 1 or 0, or nothing (set but empty).
_SWITCH = {True: True, False: False, 1: True, 0: False, None: False}


def social_cards(value, config_file: str) -> bool:
    """extra.social_cards as a bool: SOCIAL_CARDS if set (anything but a switch stops the build, naming
    the line that reads it), else whether this is CI, where services set CI to true, 1, or their name."""
    if value == "in CI":
        return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")
    if isinstance(value, (bool, int, type(None))) and value in _SWITCH:
        return _SWITCH[value]
    try:
        lines = Path(config_file).read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.strip().startswith("social_cards:"))
        where, said = f"{Path(config_file).name}:{line}", lines[line - 1].strip()
    except (OSError, StopIteration):
        where, said = Path(config_file).name, "social_cards"
    raise PluginError(f"{where}: extra.social_cards is {value!r}, not true or false ({said}).\n"
                      "    Set SOCIAL_CARDS=true to make the social cards, SOCIAL_CARDS=false to skip them.")


def keep_compiled(package: Path, rebuild: bool) -> None:
    """The package compiled (``precompile``), except on a server's rebuild: the server watches
    macros/, __pycache__ too, and a .pyc written after an edit (by precompile, or by Python as it
    imports the edited module) set off a second rebuild."""
    if rebuild:
        sys.dont_write_bytecode = True
    else:
        precompile(package)


def precompile(package: Path) -> None:
    """Keep the macros package compiled, as pip keeps installed packages.

    Where PYTHONDONTWRITEBYTECODE is set (as in many CI images) Python would
    compile the package from source on every build (a fiftieth of a second).
    The files written are checked-hash .pyc files: Python verifies them
    against the source's hash on import, so an edit is never missed, however
    soon after the last one it is saved.
    """
    import importlib.util
    import py_compile

    for source in sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts):
        try:
            cached = Path(importlib.util.cache_from_source(str(source)))
            head = cached.read_bytes()[:16] if cached.exists() else b""
            if (head[:4] == importlib.util.MAGIC_NUMBER and head[4:8] == b"\x03\0\0\0"
                    and head[8:16] == importlib.util.source_hash(source.read_bytes())):
                continue
            py_compile.compile(str(source), cfile=str(cached), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
        except (OSError, py_compile.PyCompileError):
            pass  # read-only or broken: Python compiles it (and reports a syntax error) on import


def escaped(text):
    """Text made safe for an HTML attribute, once (an escaped Markup passes through)."""
    from markupsafe import escape

    return escape(text) if isinstance(text, str) else text

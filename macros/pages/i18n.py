"""The edition a build writes in: its interface strings (``t``) and its numbers and dates (``fmt``).

The English edition reads data/ as it is; another (mkdocs.ja.yml: ``extra.edition: ja``) reads the
same and replaces every text readers see with data/ja/'s for the same id (overlay.py: ``localize``),
its interface strings with data/ja/site.yml's (``t``), its charts' texts with data/ja/charts.yml's
(charts/translated.py), and formats numbers and dates for its locale (``fmt``).  Nothing falls back
to English: an interface string without its translation is a Problem at the line that asks for it,
naming the data/ja file and key to add (``drain`` hands them to the build).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from . import format as _format
from ..errors import Problem

_current = {"locale": "en", "ui": MappingProxyType({}), "file": "data/ja/site.yml"}
_missing: dict[str, Problem] = {}


def set_locale(locale: str, ui: Mapping[str, str] | None = None) -> None:
    _current.update(locale=locale, ui=MappingProxyType(dict(ui or {})), file=f"data/{locale}/site.yml")
    _missing.clear()


def locale() -> str:
    return _current["locale"]


@contextlib.contextmanager
def formatting(locale: str):
    """Numbers and dates written for ``locale`` meanwhile (a chart is drawn for its own edition)."""
    before = _current["locale"]
    _current["locale"] = locale
    try:
        yield
    finally:
        _current["locale"] = before


def t(key: str, english: str) -> str:
    """An interface string: ``english`` in the English edition, data/<locale>/site.yml's ``key`` in another
    (a missing key is recorded as a Problem at the calling line; ``drain`` hands them to the build)."""
    if _current["locale"] == "en":
        return english
    text = _current["ui"].get(key)
    if text is None:
        caller = inspect.stack()[1]
        path, package = Path(caller.filename).resolve(), Path(__file__).resolve().parent.parent
        # The calling file as the messages name it: macros/pages/markup.py (elsewhere, its folder and name).
        shown = f"macros/{path.relative_to(package).as_posix()}" if path.is_relative_to(package) \
            else "/".join(path.parts[-2:])
        _missing.setdefault(key, Problem(shown, caller.lineno, key, f"interface string '{key}' has no translation",
                                         f"Add to {_current['file']}: {key}: ... (English: {english!r})"))
        return english
    return text


def report(problem: Problem) -> None:
    """A text the edition lacks, found while a page is written (handed to the build by ``drain``)."""
    _missing.setdefault(str(problem), problem)


def drain() -> list[Problem]:  # the texts found missing so far, each once
    out = list(_missing.values())
    _missing.clear()
    return out


class _Formatter:
    """macros/pages/format.py with this build's locale passed to every formatter that takes one."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(_format, name)
        if not _takes_locale(value):
            return value

        def bound(*args, **kw):
            kw.setdefault("locale", _current["locale"])
            return value(*args, **kw)
        return bound


@functools.lru_cache(maxsize=None)
def _takes_locale(value) -> bool:
    try:
        return callable(value) and not isinstance(value, type) and "locale" in inspect.signature(value).parameters
    except (TypeError, ValueError):
        return False


fmt = _Formatter()

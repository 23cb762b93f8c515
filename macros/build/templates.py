"""Compiled Jinja templates kept between builds.

Compiling templates is most of what a rebuild costs that is not our own work:
MkDocs compiles every Material template afresh on each build (about 0.3 s here),
and mkdocs-macros compiles each page's Markdown as a template (about 0.1 s for
the whole site).  Neither changes between most rebuilds, so both environments
get a bytecode cache on disk (``.cache/templates/``).

An entry is found by the template's name (its file for the theme, its page for
the pages) and used only if its source is unchanged, the Jinja and Python
versions match (Jinja checks both), the environment compiles the same way (the
directory is named after a digest of every setting that reaches the compiler),
and its own sha256 matches (a damaged file is compiled again, never run).
Writes are atomic, so concurrent builds see an old entry or a new one.
Each build touches the directories it uses; a directory no build has used for
a month (left by an older Jinja, say) is deleted after a successful build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from importlib import metadata
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from .cache import read_checked, write_checked


class CheckedBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache, one file per template, each checked by its digest."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.loaded = 0
        self.compiled = 0
        try:
            os.utime(directory)  # in use: kept by prune()
        except OSError:
            pass  # not made yet: its first entry makes it

    def _path(self, bucket: Bucket) -> Path:
        return self.directory / f"{bucket.key}.jbc"

    def load_bytecode(self, bucket: Bucket) -> None:
        body = read_checked(self._path(bucket))
        if body is None:
            return  # missing or damaged: the bucket stays empty and the template is compiled
        bucket.bytecode_from_string(body)  # rejects another Jinja/Python or a changed source
        if bucket.code is not None:
            self.loaded += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled += 1
        write_checked(self._path(bucket), bucket.bytecode_to_string())


def _name(obj: object) -> str:
    if obj is None or isinstance(obj, (bool, str, int)):
        return repr(obj)
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', type(obj).__qualname__)}"


def settings_digest(env: jinja2.Environment) -> str:
    """A digest of everything in an environment that changes the compiled code."""
    parts = [
        f"jinja2={metadata.version('jinja2')}",
        _name(type(env)), _name(env.template_class), _name(env.code_generator_class),
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, repr(env.line_statement_prefix),
        repr(env.line_comment_prefix), repr(env.trim_blocks), repr(env.lstrip_blocks),
        repr(env.newline_sequence), repr(env.keep_trailing_newline), repr(env.optimized),
        repr(env.is_async), _name(env.autoescape), _name(env.finalize),
        # The compiler refuses unknown filters and tests, so their names are part of it.
        ",".join(sorted(env.filters)), ",".join(sorted(env.tests)),
        ",".join(sorted(_name(type(ext)) for ext in env.extensions.values())),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def cache_theme(theme, directory: Path | None) -> None:
    """Give every Jinja environment the MkDocs theme makes a bytecode cache.

    MkDocs makes one for the build and plugins make their own (Material's search
    compiles its language partials), so the theme's ``get_env`` is wrapped.
    Jinja then looks in the cache on every template load.
    """
    if directory is None or getattr(theme.get_env, "explainer_cached", False):
        return
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = CheckedBytecodeCache(directory / f"theme-{settings_digest(env)}")
        return env

    get_env.explainer_cached = True
    theme.get_env = get_env


def cache_pages(env: jinja2.Environment, directory: Path | None, page_name) -> CheckedBytecodeCache | None:
    """Cache the pages mkdocs-macros compiles with ``env.from_string``.

    ``page_name(source)`` names the page being rendered, or returns None for any
    other string (a title, say), which is compiled as usual.  One entry per page
    keeps the cache from growing with every edit.
    """
    if directory is None:
        return None
    cache = CheckedBytecodeCache(directory / f"pages-{settings_digest(env)}")
    compile_uncached = env.from_string

    def from_string(source, globals=None, template_class=None):
        name = page_name(source) if isinstance(source, str) else None
        if name is None:
            return compile_uncached(source, globals, template_class)
        bucket = cache.get_bucket(env, name, None, source)
        code = bucket.code
        if code is None:
            code = env.compile(source)  # raises on a syntax error, as from_string does
            bucket.code = code
            cache.set_bucket(bucket)
        cls = template_class or env.template_class
        return cls.from_code(env, code, env.make_globals(globals), None)

    env.from_string = from_string
    return cache


def prune(root: Path | None, keep_days: float) -> int:
    """Delete the template directories no build has used for keep_days; returns how many."""
    if root is None or not root.is_dir():
        return 0
    cutoff, removed = time.time() - keep_days * 86400, 0
    for path in root.iterdir():
        try:
            if path.is_dir() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path)
                removed += 1
        except OSError:
            pass  # another build removed it, or is using it
    return removed

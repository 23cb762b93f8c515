"""MkDocs hooks: know whether we serve or build, and stop a build that has errors.

They also set up what makes a build cheap, as early as MkDocs lets our code
run: the macros package kept compiled, the theme's Jinja environments given a
cache of compiled templates (macros/templates.py) before the search plugin
compiles its first one, and, when data/ or macros/ changed since the last
build, the render process forked (macros/renderer.py) so that it imports
Altair while MkDocs loads the rest.  While the charts are drawn, ``on_env``
compiles the theme's templates the pages are written with next.

A failed build must publish nothing.  Errors found while rendering pages are
collected by the macros (macros/site.py); ``on_env`` runs after every page is
rendered and before anything is written to site/, so raising there leaves an
empty site directory and a non-zero exit.  Under `mkdocs serve` the same
errors are shown in the terminal and on the page, and the server keeps running.
"""

import gc
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler


def on_startup(command, dirty):
    os.environ["EXPLAINER_COMMAND"] = command
    if command != "serve":
        # A build is one short process: the objects made to start it (MkDocs,
        # the theme, the plugins) live to its end, so the collector need not
        # scan them again and again (a server, which lives on, is left alone).
        gc.freeze()


@event_priority(100)  # before the macros plugin, which loads data/ (and may log errors) in its on_config
def on_config(config):
    if os.environ.get("EXPLAINER_COMMAND") == "serve":
        # Strict mode would abort the rebuild and keep serving the last good one,
        # hiding the error; under serve the terminal and the page say what is wrong.
        # MkDocs attaches its strict-mode counter before on_config, so detach it.
        config.strict = False
        logger = logging.getLogger("mkdocs")
        for handler in [h for h in logger.handlers if isinstance(h, CountHandler)]:
            logger.removeHandler(handler)
    project = Path(config.config_file_path).resolve().parent
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    _precompile(project / "macros")
    try:
        from macros import renderer
        from macros.cache import cache_dir, snapshot_is_current
        from macros.templates import cache_theme
    except Exception:  # noqa: BLE001 - a broken macros package is reported by the macros plugin
        return config
    if renderer.can_fork() and not snapshot_is_current(project):
        # data/ or macros/ changed since the last build, so charts are likely
        # to be made: fork the render process now, and it imports Altair while
        # MkDocs goes on to load the macros and the data.  (It is stopped, before
        # V8 starts, if every chart turns out to be cached.)
        renderer.prefork()
    cache_theme(config.theme, cache_dir(project, "templates"))
    return config


def _precompile(package: Path) -> None:
    """Keep the macros package compiled, as pip keeps installed packages.

    Where PYTHONDONTWRITEBYTECODE is set (as in many CI images) Python would
    compile the package from source on every build (a fiftieth of a second).
    The files written are checked-hash .pyc files: Python verifies them
    against the source's hash on import, so an edit is never missed, however
    soon after the last one it is saved.
    """
    import importlib.util
    import py_compile

    for source in sorted(package.glob("*.py")):
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


def on_pre_build(config):
    macros = config.plugins["macros"]
    site = getattr(macros, "explainer_site", None)
    if site is not None:
        site.cache_page_templates(macros.env)  # before any page is rendered


def on_env(env, config, files):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    if site is not None:
        if site.store is not None and site.store.pending():
            _compile_theme(env, config)  # while the charts are still drawn
        site.finish_charts()
    errors = list(site.errors) if site else []
    if errors and os.environ.get("EXPLAINER_COMMAND") != "serve":
        site.close()
        lines = "\n".join(f"  - {p}" for p in errors)
        raise PluginError(f"{len(errors)} error(s) in the pages; nothing was published:\n{lines}")
    return env


def _compile_theme(env, config):
    """Compile the templates the pages and theme pages are written with next, and every template
    they name (extends, includes, imports), so Jinja keeps them compiled for the pages."""
    from jinja2 import TemplateError, meta

    cache = env.bytecode_cache
    todo, seen = ["main.html", *config.theme.static_templates], set()
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        compiled = getattr(cache, "compiled", None)
        try:
            env.get_template(name)
            if compiled is not None and cache.compiled == compiled:
                continue  # loaded from the cache: nothing to gain, and parsing would cost
            source = env.loader.get_source(env, name)[0]
        except TemplateError:
            continue  # missing or broken: MkDocs reports it where it uses it
        todo.extend(n for n in meta.find_referenced_templates(env.parse(source)) if n)


def on_page_content(html, page, config, files):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    return site.splice_blocks(html) if site else html


def on_post_page(output, page, config):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    return site.splice(output, page.url) if site else output

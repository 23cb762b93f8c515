"""MkDocs hooks: know whether we serve or build, and stop a build that has errors.

They also give the theme's Jinja environments a cache of compiled templates
(macros/templates.py), before the search plugin compiles its first one.

A failed build must publish nothing.  Errors found while rendering pages are
collected by the macros (macros/site.py); ``on_env`` runs after every page is
rendered and before anything is written to site/, so raising there leaves an
empty site directory and a non-zero exit.  Under `mkdocs serve` the same
errors are shown in the terminal and on the page, and the server keeps running.
"""

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler


def on_startup(command, dirty):
    os.environ["EXPLAINER_COMMAND"] = command


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
    try:
        from macros.cache import cache_dir
        from macros.templates import cache_theme
    except Exception:  # noqa: BLE001 - a broken macros package is reported by the macros plugin
        return config
    cache_theme(config.theme, cache_dir(project, "templates"))
    return config


def on_pre_build(config):
    macros = config.plugins["macros"]
    site = getattr(macros, "explainer_site", None)
    if site is not None:
        site.cache_page_templates(macros.env)  # before any page is rendered


def on_env(env, config, files):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    if site is not None:
        site.finish_charts()
    errors = list(site.errors) if site else []
    if errors and os.environ.get("EXPLAINER_COMMAND") != "serve":
        site.close()
        lines = "\n".join(f"  - {p}" for p in errors)
        raise PluginError(f"{len(errors)} error(s) in the pages; nothing was published:\n{lines}")
    return env


def on_page_content(html, page, config, files):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    return site.splice_blocks(html) if site else html


def on_post_page(output, page, config):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    return site.splice(output, page.url) if site else output

"""MkDocs hooks: know whether we serve or build, and stop a build that has errors.

A failed build must publish nothing.  Errors found while rendering pages are
collected by the macros (macros/site.py); ``on_env`` runs after every page is
rendered and before anything is written to site/, so raising there leaves an
empty site directory and a non-zero exit.  Under `mkdocs serve` the same
errors are shown in the terminal and on the page, and the server keeps running.
"""

import logging
import os

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
    return config


def on_env(env, config, files):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    errors = list(site.errors) if site else []
    if errors and os.environ.get("EXPLAINER_COMMAND") != "serve":
        lines = "\n".join(f"  - {p}" for p in errors)
        raise PluginError(f"{len(errors)} error(s) in the pages; nothing was published:\n{lines}")
    return env


def on_post_page(output, page, config):
    site = getattr(config.plugins["macros"], "explainer_site", None)
    return site.splice(output, page.url) if site else output

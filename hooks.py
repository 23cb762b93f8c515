"""MkDocs hooks: know whether we serve or build, and stop a build that has errors.

A failed build must publish nothing.  Errors found while rendering pages are
collected by the macros (macros/site.py); ``on_env`` runs after every page is
rendered and before anything is written to site/, so raising there leaves an
empty site directory and a non-zero exit.  Under `mkdocs serve` the same
errors are shown in the terminal and on the page, and the server keeps running.
"""

import os

from mkdocs.exceptions import PluginError


def on_startup(command, dirty):
    os.environ["EXPLAINER_COMMAND"] = command


def on_config(config):
    if os.environ.get("EXPLAINER_COMMAND") == "serve":
        # Strict mode would keep serving the last good build, hiding the error
        # page; the banner on the page and the terminal say what is wrong.
        config.strict = False
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

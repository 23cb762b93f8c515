"""The mkdocs-macros module of the explainer: registers the macros, nothing else.

Everything else lives in one module per concern: data.py (load and validate),
format.py (numbers as words), charts.py (one function per chart), render.py
(SVG and Vega, cached), embed.py (chart figures), markup.py (figures, claims,
generated pages), site.py (one build's state).
"""

from __future__ import annotations

from pathlib import Path

from .data import load
from .errors import DataError
from .site import Site, error_banner, log, serving


def define_env(env) -> None:
    try:
        data, problem = load(Path(env.project_dir) / "data"), None
    except DataError as exc:
        if not serving():
            from mkdocs.exceptions import PluginError

            raise PluginError(exc.report()) from None
        # Under `mkdocs serve` keep the server alive: log the problems and show
        # them on every page until the data is fixed.
        log.error("%s", exc.report())
        data, problem = None, exc
    site = Site(env, data, problem)
    env.explainer_site = site
    for name in ("fig", "as_of", "chart", "claim", "claims_table", "sources_list", "figure_index"):
        env.macro(getattr(site, name), name)


def on_pre_page_macros(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is None:
        return
    if site.load_error is not None:
        env.markdown = error_banner(site.load_error.problems) + env.markdown
    elif site.data.glossary:
        # Abbreviation definitions (the abbr extension) make every occurrence of a
        # term an <abbr title=...>, which Material shows as a tooltip.
        env.markdown += "\n\n" + "\n".join(
            f"*[{term}]: {text}" for term, text in site.data.glossary.items()) + "\n"


def on_post_page_macros(env) -> None:
    # mkdocs-macros writes Jinja errors (an undefined name, a syntax error) into
    # the page as text; record them so hooks.py can stop the build.
    site = getattr(env, "explainer_site", None)
    if site is None:
        return
    if site.data is not None:
        site.social_card(env.page)
    text = env.markdown or ""
    if "# _Macro Rendering Error_" in text or "# _Macro Syntax Error_" in text:
        from .errors import Problem

        first = next((line for line in text.splitlines() if line.startswith("_") and "Error" in line), "")
        detail = next((line.strip("_* ") for line in text.splitlines()
                       if line.startswith("_") and not line.startswith("_File_")), "macro error")
        site.errors.append(Problem(f"docs/{env.page.file.src_uri}", None, "", detail or first))


def on_post_build(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is not None and site.data is not None:
        site.write_files(Path(env.conf["site_dir"]))

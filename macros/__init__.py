"""The mkdocs-macros module of the explainer: registers the macros, nothing else.

Everything else lives in one module per concern: data.py (load and validate),
format.py (numbers as words), charts.py (one function per chart), render.py
(SVG and Vega, cached), embed.py (chart figures), markup.py (figures, claims,
generated pages), site.py (one build's state).
"""

from __future__ import annotations

from pathlib import Path

from .cache import load_data
from .errors import DataError
from .site import RUNTIME_SRC, Site, error_banner, log, serving
from .stamp import source_stamp

SOURCE_STAMP = source_stamp()  # what main.py compares to decide whether to import afresh


def define_env(env) -> None:
    if not (Path(env.project_dir) / RUNTIME_SRC).exists():
        # Checked first, so that a build without it stops before writing anything.
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{RUNTIME_SRC}: the Vega runtime the charts need is not installed.\n"
                          "    Run the README's set-up command (python3 tasks.py build), which runs npm ci in js/.")
    try:
        data, problem = load_data(Path(env.project_dir)), None
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
    for name in ("fig", "as_of", "evidence_until", "chart", "claim", "claims_table", "sources_list", "figure_index"):
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
    site = getattr(env, "explainer_site", None)
    if site is None:
        return
    if site.data is not None:
        site.social_card(env.page)
    # mkdocs-macros writes Jinja errors (an undefined name, a syntax error) into
    # the page as text; turn them into problems so hooks.py can stop the build.
    problem = jinja_problem(env.markdown or "", env.page.file.src_uri, env.page.file.abs_src_path)
    if problem is not None:
        site.errors.append(problem)


def jinja_problem(rendered: str, src_uri: str, abs_path: str | None):
    """The Problem behind mkdocs-macros' error text in a rendered page, if any."""
    import re

    from .errors import Problem

    if "# _Macro Rendering Error_" not in rendered and "# _Macro Syntax Error_" not in rendered:
        return None
    source = Path(abs_path).read_text(encoding="utf-8") if abs_path else ""
    # mkdocs-macros counts lines of the body: after the front matter and the blank
    # lines MkDocs strips after it.
    front = re.match(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", source, re.S)
    body_start = front.end() if front else 0
    body_start += len(source[body_start:]) - len(source[body_start:].lstrip("\n"))
    offset = source.count("\n", 0, body_start)
    file = f"docs/{src_uri}"
    syntax = re.search(r"_Line (\d+) in Markdown file:_ \*\*(.+?)\*\*", rendered)
    if syntax:
        return Problem(file, int(syntax.group(1)) + offset, "", f"Jinja syntax error: {syntax.group(2)}",
                       "Check the {{ ... }} or {% ... %} on this line: brackets, quotes and parentheses.")
    error = re.search(r"^_(\w*(?:Error|Exception|Exit))_: (.+)$", rendered, re.M)
    kind, message = (error.group(1), error.group(2)) if error else ("Error", "macro error")
    line = None
    undefined = re.match(r"'(\w+)' is undefined", message)
    if undefined:
        word = re.compile(r"\b" + re.escape(undefined.group(1)) + r"\b")
        line = next((n for n, text in enumerate(source.splitlines(), 1) if "{" in text and word.search(text)), None)
        return Problem(file, line, undefined.group(1), f"'{undefined.group(1)}' is undefined: it is not a macro or variable",
                       "Known macros: fig, as_of, chart, claim, claims_table, sources_list, figure_index.")
    return Problem(file, line, "", f"{kind}: {message}")


def on_post_build(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is not None and site.data is not None:
        site.write_files(Path(env.conf["site_dir"]))

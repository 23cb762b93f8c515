"""The mkdocs-macros module of the explainer: registers the macros, nothing else.

Everything else lives in one module per concern: data.py (load and validate),
format.py (numbers as words), charts.py (one function per chart), render.py
(SVG and Vega, cached), embed.py (chart figures), markup.py (figures, claims,
generated pages), site.py (one build's state).
"""

from __future__ import annotations

from pathlib import Path

from .cache import load_data
from .charts import input_problems
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
        charts_wrong = input_problems(data)
        if charts_wrong:
            raise DataError(charts_wrong)
    except DataError as exc:
        if not serving():
            from mkdocs.exceptions import PluginError

            raise PluginError(exc.report()) from None
        # Under `mkdocs serve` keep the server alive: log the problems and show
        # them on every page until the data is fixed.
        log.error("%s", exc.report())
        data, problem = None, exc
    try:
        site = Site(env, data, problem)
    except DataError as exc:  # a page that cannot be read (MkDocs would stop on it with a traceback)
        from mkdocs.exceptions import PluginError

        raise PluginError(exc.report()) from None
    env.explainer_site = site
    for name in ("fig", "as_of", "evidence_until", "chart", "claim", "claims_table", "sources_list", "figure_index"):
        env.macro(getattr(site, name), name)


def on_pre_page_macros(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is None:
        return
    problem = front_matter_problem(env.markdown or "", env.page.meta, env.page.file.src_uri)
    if problem is not None:
        site.report(problem)
        env.markdown = error_banner([problem]) + env.markdown
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
        site.report(problem)


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
    # The traceback mkdocs-macros writes ends in the template's own frame: its line is the call's.
    frames = re.findall(r'File "<template>", line (\d+)', rendered)
    line = int(frames[-1]) + offset if frames else None
    undefined = re.match(r"'(\w+)' is undefined", message)
    if undefined:
        name = undefined.group(1)
        if line is None:
            word = re.compile(r"\b" + re.escape(name) + r"\b")
            line = next((n for n, text in enumerate(source.splitlines(), 1) if "{" in text and word.search(text)), None)
        return Problem(file, line, name, f"'{name}' is undefined: it is not a macro or variable",
                       "Known macros: fig, as_of, chart, claim, claims_table, sources_list, figure_index. "
                       'An id goes in quotes: fig("topic.key").')
    hint = ""
    if kind == "TypeError" and "argument" in message:
        hint = ('fig, as_of, chart and claim each take one id, in quotes: fig("topic.key"); '
                "claims_table, sources_list, figure_index and evidence_until take none.")
    return Problem(file, line, "", f"{kind}: {message}", hint)


def front_matter_problem(markdown: str, meta: dict, src_uri: str):
    """The Problem with a page's front matter that MkDocs could not read, if any.

    MkDocs reads the front matter (the ``---`` block that opens a page) quietly: if it is
    not valid YAML, or never closed, the page keeps it as text, and publishes it."""
    import re

    import yaml

    from .errors import Problem

    if meta or not re.match(r"-{3}[ \t]*\n", markdown):
        return None
    file = f"docs/{src_uri}"
    block = re.match(r"-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", markdown, re.S)
    if block is None:
        return Problem(file, 1, "front matter", "the front matter opened here is never closed",
                       "End it with a line of three dashes (---).")
    try:
        value = yaml.safe_load(block.group(1))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return Problem(file, mark.line + 2 if mark else 1, "front matter", f"YAML syntax error: {exc.problem}",
                       "Quote a value that holds a colon: description: \"What Japan: its budget\".")
    except yaml.YAMLError as exc:
        return Problem(file, 1, "front matter", f"YAML error: {exc}")
    if value is None:
        return None  # an empty block: nothing to read, nothing published
    return Problem(file, 1, "front matter", f"expected key: value lines, found {type(value).__name__}")


def on_post_build(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is not None and site.data is not None:
        site.write_files(Path(env.conf["site_dir"]))

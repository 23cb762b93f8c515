"""What mkdocs-macros loads (through macros/main.py): the macros pages call, and the checks around each page's Jinja.

``define_env`` loads data/ (macros/data/load.py) into one build's state
(macros/build/site.py) and registers its macros; ``on_pre_page_macros`` and
``on_post_page_macros`` check a page before and after Jinja renders it.  Every
other build event is the site's plugin's (macros/build/plugin.py).
"""

from __future__ import annotations

from pathlib import Path

from ..charts.catalog import CHARTS, input_problems
from .chronicle import Chronicle
from ..data.load import load
from ..errors import DataError
from .glossary import abbreviations
from ..build.runtime import INTERPRETER_SRC
from ..build.site import RUNTIME_SRC, Site, log, serving
from ..errors import error_banner


def define_env(env) -> None:
    missing = [src for src in (RUNTIME_SRC, INTERPRETER_SRC) if not (Path(env.project_dir) / src).exists()]
    if missing:
        # Checked first, so that a build without it stops before writing anything.
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{missing[0]}: the Vega runtime the charts need is not installed.\n"
                          "    Run the README's set-up command (python3 tasks.py build), which runs npm ci in js/.")
    try:
        data, problem = load(Path(env.project_dir) / "data"), None
        charts_wrong = input_problems(data)
        if charts_wrong:
            raise DataError(charts_wrong)
        data = edition_data(env, data)
    except DataError as exc:
        if not serving(env.conf):
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
    for name in ("fig", "as_of", "evidence_until", "chart", "claim", "claims_table", "verdict_scale",
                 "verdict_summary", "sources_list", "figure_index"):
        env.macro(getattr(site, name), name)
    # The corrections record (updates page, timelines, feed.xml, last-updated dates).
    site.chronicle = Chronicle(site)
    for name in ("updates_list", "timeline"):
        env.macro(getattr(site.chronicle, name), name)


def edition(conf) -> str:
    """The edition a config builds: extra.edition (mkdocs.ja.yml), else English."""
    return str((conf.get("extra") or {}).get("edition") or "en")


def edition_data(env, data):
    """The data in the edition's language (macros/pages/overlay.py); English as it is."""
    from . import i18n, overlay as overlays

    locale = edition(env.conf)
    if locale == "en":
        i18n.set_locale("en")
        env.explainer_overlay = None
        return data
    overlay = overlays.load_overlay(Path(env.project_dir), locale)
    i18n.set_locale(locale, overlay.ui)
    env.explainer_overlay = overlay
    from ..charts.translated import chart_problems

    problems = chart_problems(overlay, CHARTS)
    try:
        data = overlays.localize(data, overlay, Path(env.project_dir))
    except DataError as exc:
        problems = exc.problems + problems
    if problems:
        raise DataError(problems)
    return data


def on_pre_page_macros(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is None:
        return
    # Checked on the page as written; its banner, like the data's, goes in after Jinja has
    # rendered the page (on_post_page_macros): lines put before would shift the line numbers
    # Jinja's errors give.
    source = Path(env.page.file.abs_src_path).read_text(encoding="utf-8") if env.page.meta else ""
    env.page.explainer_front_matter = front_matter_problem(env.markdown or "", env.page.meta, site.page_uri(env.page.file),
                                                           source)
    if env.page.explainer_front_matter is not None:
        site.report(env.page.explainer_front_matter)
        env.page.meta.clear()  # what MkDocs read of it (an alias bomb, say) is never shown
    env.page.explainer_title = env.page.title  # after: a title from a front matter refused above is not kept
    env.page.explainer_typed = page_text_problems(site, env.page.file)
    for problem in env.page.explainer_typed:
        site.report(problem)
    if site.load_error is None:  # from the page as written, before Jinja: what it shows, so when that changed
        # After the front matter check, which reads an empty meta as a front matter MkDocs could not read.
        site.chronicle.stamp(env.page, env.markdown or "")
    protect_code(site, env)


def protect_code(site, env) -> None:
    """Code shown as written, and unclosed or mid-sentence macros reported at their line (pagecheck.py)."""
    from . import pagecheck

    path = env.page.file.abs_src_path
    source = Path(path).read_text(encoding="utf-8") if path else (env.markdown or "")
    first = pagecheck.first_body_line(source, front_matter_read=env.page.explainer_front_matter is None)
    env.markdown, problems = pagecheck.protect(env.markdown or "", f"docs/{site.page_uri(env.page.file)}", first)
    for problem in problems:
        site.report(problem)


def on_post_page_macros(env) -> None:
    site = getattr(env, "explainer_site", None)
    if site is None:
        return
    if env.page.title != env.page.explainer_title:
        # mkdocs-macros renders a page title that holds Jinja syntax; a title is shown as written.
        env.page.title = env.page.explainer_title
    if site.data is not None:
        site.social_card(env.page)
    # mkdocs-macros writes Jinja errors (an undefined name, a syntax error) into
    # the page as text; turn them into problems so the site's plugin can stop the build.
    # MkDocs strips the front matter from the page Jinja renders unless it cannot read it.
    front = getattr(env.page, "explainer_front_matter", None)
    problem = jinja_problem(env.markdown or "", site.page_uri(env.page.file), env.page.file.abs_src_path,
                            front_matter_read=front is None)
    if problem is not None:
        site.report(problem)
    if front is not None:
        env.markdown = error_banner([front]) + (env.markdown or "")
    if env.page.explainer_typed:
        env.markdown = error_banner(env.page.explainer_typed) + (env.markdown or "")
    if site.load_error is not None:
        env.markdown = error_banner(site.load_error.problems) + (env.markdown or "")
    if site.load_error is None and site.data.glossary:
        # Abbreviation definitions (the abbr extension) make every occurrence of a term an
        # <abbr title=...>.  Added after Jinja has rendered the page: a definition is data,
        # and data is never evaluated ({{ 7*7 }} in one is shown as written).
        env.markdown = (env.markdown or "") + abbreviations(site.data.glossary)


def jinja_problem(rendered: str, src_uri: str, abs_path: str | None, front_matter_read: bool = True):
    """The Problem behind mkdocs-macros' error text in a rendered page, if any."""
    import re

    from ..errors import Problem

    if "# _Macro Rendering Error_" not in rendered and "# _Macro Syntax Error_" not in rendered:
        return None
    source = Path(abs_path).read_text(encoding="utf-8") if abs_path else ""
    # mkdocs-macros counts lines of the body: after the front matter (if MkDocs could read
    # it: otherwise it stays in the body) and the blank lines MkDocs strips after it.
    front = re.match(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", source, re.S) if front_matter_read else None
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
                       "Known macros: fig, as_of, chart, claim, claims_table, verdict_scale, verdict_summary, "
                       "sources_list, figure_index, updates_list, timeline. "
                       'An id goes in quotes: fig("topic.key").')
    hint = ""
    if kind == "TypeError" and "argument" in message:
        hint = ('fig, as_of, chart and claim each take one id, in quotes: fig("topic.key"); '
                "claims_table, sources_list, figure_index and evidence_until take none.")
    return Problem(file, line, "", f"{kind}: {message}", hint)


def page_text_problems(site, file) -> list:
    """An invisible character in a page, or a number typed into it instead of written with fig():
    at its line (read from the page as written, so the lines are the file's), a typed number
    naming the figures whose value it is."""
    from . import format as fmt
    from ..data import typed
    from ..data.yamlfile import refuse_invisible

    if not file.abs_src_path:
        return []
    source = Path(file.abs_src_path).read_text(encoding="utf-8")
    shown = f"docs/{site.page_uri(file)}"
    try:
        refuse_invisible(source, shown)
    except DataError as exc:
        return list(exc.problems)
    found = typed.heading_figures(source, shown)
    if not typed.scan_text(source):
        return found
    figures = site.data.figures.values() if site.data is not None else ()
    return found + typed.problems(source, shown, [(f.id, fmt.value(f)) for f in figures])


def front_matter_problem(markdown: str, meta: dict, src_uri: str, source: str = ""):
    """The Problem with a page's front matter, if any.

    MkDocs reads the front matter (the ``---`` block that opens a page) quietly: if it is
    not a YAML mapping (invalid, empty, never closed), the page keeps it as text, and
    publishes it.  If it did read it (``meta``), it is read again from the page's ``source``
    as data/ is, bounded: MkDocs' loader expands an alias bomb into the page's meta, which
    the theme then prints for minutes."""
    import re

    from ..errors import Problem
    from ..data.yamlfile import parse_yaml

    file = f"docs/{src_uri}"
    if meta:
        read = re.match(r"-{3}[ \t]*\n(.*?)^(?:\.{3}|-{3})[ \t]*$", source, re.S | re.M)
        try:
            parse_yaml(read.group(1), file, first_line=2) if read else None
        except DataError as exc:
            p = exc.problems[0]
            return Problem(p.file, p.line, p.key or "front matter", p.message, p.hint)
        return None
    if not re.match(r"-{3}[ \t]*\n", markdown):
        return None
    block = re.match(r"-{3}[ \t]*\n(.*?)^(?:\.{3}|-{3})[ \t]*$", markdown, re.S | re.M)
    if block is None:
        return Problem(file, 1, "front matter", "the front matter opened here is never closed",
                       "End it with a line of three dashes (---). (A page cannot open with a --- rule.)")
    if not block.group(1).strip() or all(not line.strip() or line.lstrip().startswith("#")
                                          for line in block.group(1).splitlines()):
        return Problem(file, 1, "front matter", "the front matter is empty, and would be published as text",
                       "Write its key: value lines (description: ...), or delete the block.")
    try:
        value = parse_yaml(block.group(1), file, first_line=2)
    except DataError as exc:
        p = exc.problems[0]
        return Problem(p.file, p.line, p.key or "front matter", p.message, p.hint)
    return None if isinstance(value, dict) else Problem(
        file, 2, "front matter", f"expected key: value lines, found {type(value).__name__}")

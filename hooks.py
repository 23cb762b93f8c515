"""MkDocs hooks: know whether we serve or build, and stop a build that has errors.

They also set up what makes a build cheap, as early as MkDocs lets our code
run: the macros package kept compiled, the theme's Jinja environments given a
cache of compiled templates (macros/templates.py) before the search plugin
compiles its first one; and mkdocs-macros' ``git`` variable made lazy
(``_lazy_git``).  The charts are made (or read from the cache) page by page,
as MkDocs writes each page (``on_post_page``).
A --dirty build also rebuilds the pages that data/, the macros or the theme
overrides changed under (``on_files``), not only those whose Markdown changed.

A failed build must publish nothing.  The build is written into a folder beside
site/ and swapped in only when it succeeded (macros/publish.py: ``on_config``,
the last ``on_post_build``, ``on_build_error``), whatever failed; before that,
symlinks out of the project and generated files that would replace an author's
stop it (macros/outputs.py: ``on_config``, ``on_files``).  Errors found while
rendering pages are collected by the macros (macros/site.py); ``on_env`` runs
after every page is rendered and before anything is written, so raising there
stops the build before it writes.  A chart that fails later, while the pages
are written, stops the build with every chart's errors; a --dirty build, which
starts from a copy of site/, waits for every chart at ``on_env`` instead.
Under `mkdocs serve` (which builds into a folder of its own, and is left to do
so) the same errors are shown in the terminal and on the page, and the server
keeps running.

The descriptions Material writes into meta tags unescaped are escaped
first (``on_page_context``, ``on_config``).  Last, every page written gets its
Content-Security-Policy, hashed from its own inline scripts (``on_post_page``,
``on_post_template`` for 404.html, ``on_post_build`` to give every page the
same one: macros/csp.py).
"""

import gc
import logging
import os
import shutil
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.utils import CountHandler, clean_directory


# What this MkDocs process was started to do (on_startup, once a process); on_config hands
# "serving" to the macros through the config they are given (macros/site.py: serving()).
_RUN = {"command": "build", "dirty": False}


def _serving() -> bool:
    return _RUN["command"] == "serve"


def on_startup(command, dirty):
    _RUN.update(command=command, dirty=bool(dirty))
    if command != "serve":
        # A build is one short process: the objects made to start it (MkDocs,
        # the theme, the plugins) live to its end, so the collector need not
        # scan them again and again (a server, which lives on, is left alone).
        gc.freeze()


class _Lazy(Mapping):
    """A mapping computed the first time it is read."""

    def __init__(self, compute):
        self._compute, self._value = compute, None

    def _get(self) -> dict:
        if self._value is None:
            self._value = self._compute() or {}
        return self._value

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())


def _lazy_git() -> None:
    """mkdocs-macros fills its ``git`` page variable by running thirteen git
    commands at the start of every build, a few hundredths of a second that
    MkDocs alone never spends; no page of ours reads it.  It gets the same
    values, run the first time a page reads ``git``."""
    from mkdocs_macros import context

    compute = getattr(context.get_git_info, "__wrapped__", context.get_git_info)  # serve: once a rebuild

    def get_git_info():
        return _Lazy(compute)

    get_git_info.__wrapped__ = compute
    context.get_git_info = get_git_info


# When each build of this process began to read its inputs: `mkdocs serve` rebuilds in one
# process, with this module loaded once (MkDocs caches hook modules), so ``_outdate_pages``
# can tell an edit saved while the last build ran (after it read data/) from one before it.
_STARTED: list[float] = []
# The site folder each build under way will replace, by the folder it is built in (macros/publish.py).
_STAGED: dict[str, str] = {}


@event_priority(100)  # before the macros plugin, which loads data/ (and may log errors) in its on_config
def on_config(config):
    _STARTED.append(time.time())
    config["explainer_serving"] = _serving()  # read by the macros (macros/site.py: serving)
    _lazy_git()
    config.site_description = _escaped(config.site_description)  # as a page's (on_page_context)
    config.extra["social_cards"] = social_cards(config.extra.get("social_cards"), config.config_file_path)
    if config.site_url and "scope" not in config.extra:
        # Material's first inline script names the site's root relative to each page ("." or ".."), so
        # its hash and the Content-Security-Policy would differ by page (macros/csp.py); as a path, the same.
        config.extra["scope"] = urlsplit(config.site_url).path or "/"
    if _serving():
        # Strict mode would abort the rebuild and keep serving the last good one,
        # hiding the error; under serve the terminal and the page say what is wrong.
        # MkDocs attaches its strict-mode counter before on_config, so detach it.
        config.strict = False
        for logger in map(logging.getLogger, ("mkdocs", "properdocs")):  # ProperDocs counts on its own logger
            for handler in [h for h in logger.handlers if isinstance(h, CountHandler)]:
                logger.removeHandler(handler)
    project = Path(config.config_file_path).resolve().parent
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    edition = str(config.extra.get("edition") or "en")
    # The English build marks the config it loads for another edition (macros/editions.py: build_all).
    if edition != "en" and not config.extra.get("built_by_english") and not _serving():  # a translator may serve it on its own
        raise PluginError(f"{Path(config.config_file_path).name}: the {edition} edition is built by the English "
                          "build, into its site's ja/: run `mkdocs build` (python3 tasks.py build) on mkdocs.yml.")
    # Each edition's address: the English site_url, and its ja/ (the Japanese build is given it).
    english_url = config.site_url
    if edition != "en" and config.site_url:
        if config.site_url.endswith(f"/{edition}/"):
            english_url = config.site_url[: -len(f"{edition}/")]
        else:
            config.site_url = f"{english_url}{edition}/"
    if edition == "en" and config.extra.get("alternate"):
        # An edition exists once its pages do (docs/<lang>/, mkdocs.<lang>.yml): until then the English
        # site has no language selector and no hreflang, and is what it was.  From then on a text it lacks
        # stops the build (macros/i18n.py).
        built = [alt for alt in config.extra["alternate"] if alt.get("lang") == "en" or (
            (project / "docs" / str(alt.get("lang"))).is_dir() and (project / f"mkdocs.{alt.get('lang')}.yml").exists())]
        config.extra["alternate"] = built if len(built) > 1 else []
    if english_url and config.extra.get("alternate"):
        config.extra["editions"] = {alt["lang"]: english_url if alt["lang"] == "en" else f"{english_url}{alt['lang']}/"
                                    for alt in config.extra["alternate"]}
    if _serving() and len(_STARTED) > 1:
        # The server watches macros/, __pycache__ too: a .pyc written after an edit (by
        # _precompile, or by Python as it imports the edited module) set off a second rebuild.
        sys.dont_write_bytecode = True
    else:
        _precompile(project / "macros")
    try:
        from macros import publish
        from macros.cache import cache_dir
        from macros.errors import DataError
        from macros.outputs import outside_links
        from macros.templates import cache_theme
        from macros.editions import localize_config
        from macros.format import day
    except Exception:  # noqa: BLE001 - a broken macros package is reported by the macros plugin
        return config
    wrong = localize_config(config, project)
    if wrong:
        raise PluginError(DataError(wrong).report())
    if config.extra.get("published"):
        config.extra["published_text"] = day(config.extra["published"], locale=edition)
    # Before anything is read: MkDocs would publish what a link points to.
    links = outside_links(project, [Path(config.docs_dir), project / "data"]
                          + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else []))
    if links:
        raise PluginError(DataError(links).report())
    if not _serving() and edition == "en":  # serve builds into a folder of its own
        # (Another edition is built into the English build's staging folder, published with it.)
        final = publish.stage(config, dirty=_RUN["dirty"])
        _STAGED[config.site_dir] = final
    cache_theme(config.theme, cache_dir(project, "templates"))
    return config


# What SOCIAL_CARDS can give, read by !ENV as YAML reads text: true/false/yes/no/on/off,
# 1 or 0, or nothing (set but empty).
_SWITCH = {True: True, False: False, 1: True, 0: False, None: False}


def social_cards(value, config_file: str) -> bool:
    """extra.social_cards as a bool: SOCIAL_CARDS if set (anything but a switch stops the build, naming
    the line that reads it), else whether this is CI, where services set CI to true, 1, or their name."""
    if value == "in CI":
        return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")
    if isinstance(value, (bool, int, type(None))) and value in _SWITCH:
        return _SWITCH[value]
    try:
        lines = Path(config_file).read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.strip().startswith("social_cards:"))
        where, said = f"{Path(config_file).name}:{line}", lines[line - 1].strip()
    except (OSError, StopIteration):
        where, said = Path(config_file).name, "social_cards"
    raise PluginError(f"{where}: extra.social_cards is {value!r}, not true or false ({said}).\n"
                      "    Set SOCIAL_CARDS=true to make the social cards, SOCIAL_CARDS=false to skip them.")


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


def on_files(files, config):
    site = _site(config)
    clashes = site.collisions(files) if site is not None else []
    if clashes:  # before MkDocs writes anything
        from macros.errors import DataError

        raise PluginError(DataError(clashes).report())
    if _RUN["dirty"]:
        _outdate_pages(files, config)
    if str(config.extra.get("edition") or "en") != "en":
        _shared_assets(files, config)
        missing = _unpaired_pages(files, config)
        if missing:
            from macros.errors import DataError

            raise PluginError(DataError(missing).report())
    return files


def _unpaired_pages(files, config) -> list:
    """Every English page has its counterpart in another edition, and that edition has no page of its own:
    the language selector links each page to the same path in the other edition."""
    from macros.errors import Problem

    project = Path(config.config_file_path).resolve().parent
    docs = project / "docs"
    english = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
               if not p.relative_to(docs).as_posix().startswith(f"{config.extra['edition']}/")}
    own = {f.src_uri for f in files.documentation_pages()}
    where = Path(config.docs_dir).resolve().relative_to(project).as_posix()
    return ([Problem(f"docs/{src}", None, "", f"has no {config.extra['edition']} page",
                     f"Translate it into {where}/{src} (the same macro calls).") for src in sorted(english - own)]
            + [Problem(f"{where}/{src}", None, "", "has no English page (docs/" + src + ")",
                       "An edition has the English pages only: rename or remove it.") for src in sorted(own - english)])


def _shared_assets(files, config) -> None:
    """Another edition's docs_dir (docs/ja/) holds its pages only: docs/assets/ is shared, copied into it."""
    from mkdocs.structure.files import File

    docs = Path(config.config_file_path).resolve().parent / "docs"
    for path in sorted((docs / "assets").rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and files.get_file_from_path(rel) is None:
            files.append(File(rel, str(docs), config.site_dir, config.use_directory_urls))


def _outdate_pages(files, config) -> None:
    """A --dirty build rebuilds a page only if its Markdown is newer than its HTML.  Our pages
    also show data/ through the macros, and the theme's overrides; and the audit and the figure
    index show what every page cites.  A page is rebuilt too when what it shows changed since
    its HTML was written (or, under serve, since the last build began: an edit saved while it
    ran came after it read its inputs), or an edited figure would stay stale on it.

    After an edit to data/ only, a page is rebuilt only if the digest of what it shows
    (macros/record.py) differs from the one the last build recorded: a one-value edit
    rebuilds the pages that show that figure, or a chart of it, and the generated pages."""
    project = Path(config.config_file_path).resolve().parent
    inputs = [project / "macros", project / "main.py", Path(__file__), Path(config.config_file_path)]
    if config.theme.custom_dir:
        inputs.append(Path(config.theme.custom_dir))
    code_at, data_at = _newest(inputs), _newest([project / "data"])
    pages = list(files.documentation_pages())
    cited = max((_mtime(Path(f.abs_src_path)) for f in pages), default=0.0)
    try:
        from macros.site import READS_EVERY_PAGE
    except Exception:  # noqa: BLE001 - a broken macros package: the macros plugin reports it; rebuild all
        READS_EVERY_PAGE = ()
        code_at = float("inf")
    recorded, now = _page_record(config)
    last_start = _STARTED[-2] if len(_STARTED) > 1 else float("inf")
    for file in pages:
        inputs_at = code_at
        if any(f"{name}(" in _source(file) for name in READS_EVERY_PAGE):
            inputs_at = max(inputs_at, cited, data_at)
        # <=, not <: where file times have whole seconds, an edit and the last build can share one.
        written = min(_mtime(Path(file.abs_dest_path)), last_start)
        stale = written <= inputs_at
        if not stale and written <= data_at:
            stale = now is None or recorded.get(file.src_uri) != now.get(file.src_uri)
        if stale:
            file.is_modified = lambda: True  # what MkDocs asks of each page, and nothing else


def _record_path(config) -> Path | None:
    """Where the digests of what the pages in this site folder show are kept (one record per folder)."""
    import hashlib

    from macros.cache import cache_root

    root = cache_root(Path(config.config_file_path).resolve().parent)
    final = _STAGED.get(config.site_dir, config.site_dir)
    return root / f"pages-{hashlib.sha256(str(Path(final).resolve()).encode()).hexdigest()[:16]}.json" if root else None


def _page_record(config) -> tuple[dict, dict | None]:
    """The digests the last build recorded for this site folder, and this build's (None: unknown)."""
    site = _site(config) if hasattr(config, "plugins") else None
    if site is None or site.data is None:
        return {}, None
    from macros import record

    return record.read(_record_path(config)), record.digests(Path(config.docs_dir), site.data)


def _newest(paths: list[Path]) -> float:
    """The newest file among paths (folders searched), compiled bytecode aside: it follows its source."""
    found = (p for path in paths for p in (path.rglob("*") if path.is_dir() else [path]))
    return max((_mtime(p) for p in found if "__pycache__" not in p.parts), default=0.0)


def _source(file) -> str:
    try:
        return Path(file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0  # a page never built: MkDocs builds it anyway


def on_pre_build(config):
    macros = config.plugins["macros"]
    site = _site(config)
    if site is not None:
        site.cache_page_templates(macros.env)  # before any page is rendered


def _site(config):
    return getattr(config.plugins["macros"], "explainer_site", None)


def on_env(env, config, files):
    site = _site(config)
    _report_untranslated(site)
    if site is not None:
        # With site/ empty (MkDocs cleans it unless the build is --dirty), the
        # pages are written while the charts are drawn, and a chart that fails
        # meanwhile is undone by emptying site/ again.  Otherwise what was there
        # would be lost, so every chart is waited for now, before anything is written.
        site.charts_while_writing = not _published(config.site_dir)
        if not site.charts_while_writing:
            site.finish_charts()
    _stop_on_errors(site, config, written=False)
    return env


def _report_untranslated(site) -> None:
    """Interface strings the pages used that data/<locale>/site.yml lacks (macros/i18n.py: t)."""
    if site is None:
        return
    from macros import i18n

    for problem in i18n.drain():
        site.report(problem)


def _published(site_dir: str) -> bool:
    """Whether site/ holds anything MkDocs cleans (it keeps hidden entries, a .git say, and so do we)."""
    try:
        return any(not entry.name.startswith(".") for entry in os.scandir(site_dir))
    except OSError:
        return False


def _stop_on_errors(site, config, written: bool) -> None:
    """Stop a build that has errors, reporting them all.  Once pages are written (``written``),
    every chart is waited for first, so the report is complete, and site/ is emptied again."""
    if site is None or not site.errors or _serving():
        return
    if written:
        site.finish_charts()
    site.close()
    if written and site.charts_while_writing:
        clean_directory(config.site_dir)  # it held nothing but hidden entries when writing began (on_env)
    lines = "\n".join(f"  - {p}" for p in site.errors)
    raise PluginError(f"{len(site.errors)} error(s) in the pages; nothing was published:\n{lines}")


def _escaped(text):
    """Text made safe for an HTML attribute, once (an escaped Markup passes through)."""
    from markupsafe import escape

    return escape(text) if isinstance(text, str) else text


def on_page_context(context, page, config, nav):
    # Material writes the page's description into <meta name="description"
    # content="..."> unescaped: a quote or an ampersand in the front matter
    # would end or garble the attribute.  Escaped here as Markup, Material
    # prints it as it is and our |e (overrides/main.html) leaves it alone.
    if page.meta and "description" in page.meta:
        page.meta["description"] = _escaped(page.meta["description"])
    return context


def on_page_content(html, page, config, files):
    # Material prints the front matter's title and subtitle as HTML (the subtitle in the
    # navigation of every page).  Escaped here, after the page is read and before any page
    # is written, they are Markup that Material's own |e leaves as it is.  A title from the
    # page's first heading is HTML already; one from the nav is the config's.
    for key in ("title", "subtitle"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = _escaped(page.meta[key])
    title = page.meta.get("title")
    if hasattr(title, "unescape") and page.title == title.unescape():
        page.title = title
    site = _site(config)
    from macros.glossary import first_use_only

    html = first_use_only(html)  # before the generated blocks go in: they carry no terms
    return site.splice_blocks(html) if site else html


def on_post_page(output, page, config):
    site = _site(config)
    if site is not None:
        output = site.splice(output, page.url)  # waits for the page's charts
        _stop_on_errors(site, config, written=True)
    return _secured(output, page.file.src_uri)


def on_post_template(output_content, template_name, config):
    return _secured(output_content, template_name) if template_name.endswith(".html") else output_content


def _secured(html: str, where: str) -> str:
    """The page with its Content-Security-Policy (macros/csp.py); none under serve, whose live-reload
    script, added to every page it serves, is inline and new each time."""
    if _serving():
        return html
    from macros import csp

    return csp.secure(html, where=where)


@event_priority(100)  # before the plugins write the search index, the downloads and the cards
def _stop_before_the_last_writes(config):
    site = _site(config)
    if site is not None:
        site.finish_charts()  # the charts only a social card shows
        _report_untranslated(site)
        _stop_on_errors(site, config, written=True)
    if not _serving():
        from macros import csp

        # One policy on every page, for instant navigation (macros/csp.py).  An HTML file with no
        # <head> raises: the staged build is then dropped, and site/ stays as it was.
        csp.unify(Path(config.site_dir))


@event_priority(-100)  # after every plugin has written what it writes
def _publish(config):
    site = _site(config)
    if site is not None and site.data is not None and not site.errors:
        from macros import record

        record.write(_record_path(config), record.digests(Path(config.docs_dir), site.data))
    final = _STAGED.get(config.site_dir)
    if final is not None:
        from macros import publish

        staging = config.site_dir
        if publish.publish(config, final):
            del _STAGED[staging]


@event_priority(-50)  # after every plugin has written the English site, before it is published
def _build_editions(config):
    """Build the other editions (mkdocs.ja.yml) into the English site's ja/, from the same data/: the
    build that fails stops the whole one, and nothing is published.  Then the root sitemap lists both."""
    if str(config.extra.get("edition") or "en") != "en":
        return
    from macros import editions

    editions.serve(config) if _serving() else editions.build_all(config)


on_post_build = CombinedEvent(_stop_before_the_last_writes, _build_editions, _publish)


def on_build_error(error):
    # A failed build publishes nothing: its folder goes, and site/ stays as it was.
    for staging in list(_STAGED):
        shutil.rmtree(staging, ignore_errors=True)
        del _STAGED[staging]

"""The site's MkDocs plugin: every build event that is not a page macro, in the order MkDocs runs them.

mkdocs.yml lists it as ``explainer``; MkDocs finds it through the small package
set-up installs (macros/build/entry/), which defers mkdocs-macros' ``requests``
import and hands over to this class.  mkdocs-macros stays the way pages call
macros (macros/pages/register.py, loaded through macros/main.py).

- ``on_startup``: whether this process builds or serves.
- ``on_config``, before the macros plugin loads data/: the config settled
  (configure.py), the editions' texts and addresses (editions.py), links out of
  the project refused (outputs.py), the build staged beside site/ (publish.py),
  the theme's templates kept compiled (templates.py), all in macros/build/.
- ``on_files``: generated files that would replace an author's refused; the
  pages a --dirty build rebuilds (macros/build/dirty.py); another edition's
  pages paired with the English ones.
- ``on_env``: runs after every page is rendered and before anything is
  written, so the errors the macros collected (macros/build/site.py) stop the
  build there.  A chart that fails later, while the pages are written, stops
  the build with every chart's errors; a --dirty build, which starts from a
  copy of site/, waits for every chart here instead.
- ``on_page_context``, ``on_page_content``: what Material prints unescaped
  (descriptions, titles) escaped; glossary terms and generated blocks.
- ``on_post_page``, ``on_post_template``: the charts spliced in and every page
  given its Content-Security-Policy (macros/build/csp.py).
- ``on_post_build``: the last errors, one policy on every page, the downloads,
  the other editions, the record of what each page shows, and the site
  published whole (or nothing: ``on_build_error``).

Under `mkdocs serve` (which builds into a folder of its own, and is left to do
so) the same errors are shown in the terminal and on the page, and the server
keeps running.  The server keeps this object from one rebuild to the next
(MkDocs keeps a plugin that has ``on_startup``); the rest of the package is
imported inside the events, so that an edit to it, which macros/main.py
imports afresh, is what the next rebuild runs.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.utils import clean_directory


class ExplainerPlugin(BasePlugin):
    def __init__(self):
        # What this MkDocs process was started to do (on_startup, once a process); on_config hands
        # "serving" to the macros through the config they are given (macros/build/site.py: serving()).
        self.command, self.dirty = "build", False
        # When each build of this process began to read its inputs: `mkdocs serve` rebuilds with this
        # object, so a --dirty rebuild can tell an edit saved while the last build ran (after it read
        # data/) from one before it (macros/build/dirty.py).
        self.started: list[float] = []
        # The site folder each build under way will replace, by the folder it is built in (macros/build/publish.py).
        self.staged: dict[str, str] = {}

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def on_startup(self, *, command, dirty):
        self.command, self.dirty = command, bool(dirty)
        if command != "serve":
            # A build is one short process: the objects made to start it (MkDocs,
            # the theme, the plugins) live to its end, so the collector need not
            # scan them again and again (a server, which lives on, is left alone).
            gc.freeze()

    @event_priority(100)  # before the macros plugin, which loads data/ (and may log errors) in its on_config
    def on_config(self, config):
        from . import configure

        self.started.append(time.time())
        config["explainer_serving"] = self.serving  # read by the macros (macros/build/site.py: serving)
        configure.lazy_git()
        config.site_description = configure.escaped(config.site_description)  # as a page's (on_page_context)
        config.extra["social_cards"] = configure.social_cards(config.extra.get("social_cards"), config.config_file_path)
        if config.site_url and "scope" not in config.extra:
            # Material's first inline script names the site's root relative to each page ("." or ".."), so
            # its hash and the Content-Security-Policy would differ by page (macros/build/csp.py); as a path, the same.
            config.extra["scope"] = urlsplit(config.site_url).path or "/"
        if self.serving:
            configure.serve_leniently(config)
        project = Path(config.config_file_path).resolve().parent
        if str(project) not in sys.path:
            sys.path.insert(0, str(project))
        edition = str(config.extra.get("edition") or "en")
        configure.edition_addresses(config, project, edition, self.serving)
        configure.keep_compiled(project / "macros", rebuild=self.serving and len(self.started) > 1)
        try:
            from macros.build import publish
            from macros.build.cache import cache_dir
            from macros.build.editions import localize_config
            from macros.build.outputs import outside_links
            from macros.build.templates import cache_theme
            from macros.errors import DataError
            from macros.pages.format import day
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
        if not self.serving and edition == "en":  # serve builds into a folder of its own
            # (Another edition is built into the English build's staging folder, published with it.)
            final = publish.stage(config, dirty=self.dirty)
            self.staged[config.site_dir] = final
        cache_theme(config.theme, cache_dir(project, "templates"))
        return config

    def on_files(self, files, config):
        site = _site(config)
        clashes = site.collisions(files) if site is not None else []
        if clashes:  # before MkDocs writes anything
            from macros.errors import DataError

            raise PluginError(DataError(clashes).report())
        if self.dirty:
            from macros.build import dirty

            dirty.outdate_pages(files, config, self.started, self.staged, site)
        if str(config.extra.get("edition") or "en") != "en":
            from macros.build import editions

            editions.shared_assets(files, config)
            missing = editions.unpaired_pages(files, config)
            if missing:
                from macros.errors import DataError

                raise PluginError(DataError(missing).report())
        return files

    def on_pre_build(self, config):
        site = _site(config)
        if site is not None:
            site.cache_page_templates(config.plugins["macros"].env)  # before any page is rendered

    def on_env(self, env, config, files):
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
        self._stop_on_errors(site, config, written=False)
        return env

    def on_page_context(self, context, page, config, nav):
        # Material writes the page's description into <meta name="description"
        # content="..."> unescaped: a quote or an ampersand in the front matter
        # would end or garble the attribute.  Escaped here as Markup, Material
        # prints it as it is and our |e (overrides/main.html) leaves it alone.
        from .configure import escaped

        if page.meta and "description" in page.meta:
            page.meta["description"] = escaped(page.meta["description"])
        return context

    def on_page_content(self, html, page, config, files):
        # Material prints the front matter's title and subtitle as HTML (the subtitle in the
        # navigation of every page).  Escaped here, after the page is read and before any page
        # is written, they are Markup that Material's own |e leaves as it is.  A title from the
        # page's first heading is HTML already; one from the nav is the config's.
        from macros.pages.glossary import first_use_only

        from .configure import escaped

        for key in ("title", "subtitle"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escaped(page.meta[key])
        title = page.meta.get("title")
        if hasattr(title, "unescape") and page.title == title.unescape():
            page.title = title
        site = _site(config)
        html = first_use_only(html)  # before the generated blocks go in: they carry no terms
        return site.splice_blocks(html) if site else html

    def on_post_page(self, output, page, config):
        site = _site(config)
        if site is not None:
            output = site.splice(output, page.url)  # waits for the page's charts
            self._stop_on_errors(site, config, written=True)
        return self._secured(output, page.file.src_uri)

    def on_post_template(self, output_content, template_name, config):
        return self._secured(output_content, template_name) if template_name.endswith(".html") else output_content

    @event_priority(100)  # before the plugins write the search index, the downloads and the cards
    def _stop_before_the_last_writes(self, config):
        site = _site(config)
        if site is not None:
            site.finish_charts()  # the charts only a social card shows
            _report_untranslated(site)
            self._stop_on_errors(site, config, written=True)
        if not self.serving:
            from macros.build import csp

            # One policy on every page, for instant navigation (macros/build/csp.py).  An HTML file with no
            # <head> raises: the staged build is then dropped, and site/ stays as it was.
            csp.unify(Path(config.site_dir))

    def _write_files(self, config):
        """The downloads, the feed, the cards and the runtime (macros/build/site.py: write_files)."""
        site = _site(config)
        if site is not None and site.data is not None:
            site.write_files(Path(config.site_dir))

    @event_priority(-50)  # after every plugin has written the English site, before it is published
    def _build_editions(self, config):
        """Build the other editions (mkdocs.ja.yml) into the English site's ja/, from the same data/: the
        build that fails stops the whole one, and nothing is published.  Then the root sitemap lists both."""
        if str(config.extra.get("edition") or "en") != "en":
            return
        from macros.build import editions

        editions.serve(config) if self.serving else editions.build_all(config)

    @event_priority(-100)  # after every plugin has written what it writes
    def _publish(self, config):
        site = _site(config)
        if site is not None and site.data is not None and not site.errors:
            from macros.build import dirty

            dirty.write_record(config, site, self.staged)
        final = self.staged.get(config.site_dir)
        if final is not None:
            from macros.build import publish

            staging = config.site_dir
            if publish.publish(config, final):
                del self.staged[staging]

    on_post_build = CombinedEvent(_stop_before_the_last_writes, _write_files, _build_editions, _publish)

    def on_build_error(self, error):
        # A failed build publishes nothing: its folder goes, and site/ stays as it was.
        for staging in list(self.staged):
            shutil.rmtree(staging, ignore_errors=True)
            del self.staged[staging]

    def _stop_on_errors(self, site, config, written: bool) -> None:
        """Stop a build that has errors, reporting them all.  Once pages are written (``written``),
        every chart is waited for first, so the report is complete, and site/ is emptied again."""
        if site is None or not site.errors or self.serving:
            return
        if written:
            site.finish_charts()
        site.close()
        if written and site.charts_while_writing:
            clean_directory(config.site_dir)  # it held nothing but hidden entries when writing began (on_env)
        lines = "\n".join(f"  - {p}" for p in site.errors)
        raise PluginError(f"{len(site.errors)} error(s) in the pages; nothing was published:\n{lines}")

    def _secured(self, html: str, where: str) -> str:
        """The page with its Content-Security-Policy (macros/build/csp.py); none under serve, whose live-reload
        script, added to every page it serves, is inline and new each time."""
        if self.serving:
            return html
        from macros.build import csp

        return csp.secure(html, where=where)


def _site(config):  # one build's state (macros/build/site.py), made by the macros plugin's on_config
    return getattr(config.plugins["macros"], "explainer_site", None)


def _report_untranslated(site) -> None:
    """Interface strings the pages used that data/<locale>/site.yml lacks (macros/pages/i18n.py: t)."""
    if site is None:
        return
    from macros.pages import i18n

    for problem in i18n.drain():
        site.report(problem)


def _published(site_dir: str) -> bool:
    """Whether site/ holds anything MkDocs cleans (it keeps hidden entries, a .git say, and so do we)."""
    try:
        return any(not entry.name.startswith(".") for entry in os.scandir(site_dir))
    except OSError:
        return False

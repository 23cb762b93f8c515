"""The other editions of the site (mkdocs.ja.yml), built by the English build into its own site.

``mkdocs build`` builds the English edition; its plugin (macros/build/plugin.py: ``_build_editions``), once every
English page and file is written into the staging folder and before it is published, build each
other edition with MkDocs' own build function into ``<staging>/<lang>/``, from its config file
(``INHERIT: mkdocs.yml``).  An edition's build that fails raises, so the English build fails too and
publishes nothing (macros/build/publish.py).  An edition never builds another: only the English build's
plugin calls this.  Last, the root sitemap.xml (and its .gz) lists every edition's pages.  An edition's
own build checks that its pages pair with the English ones, and shares docs/assets/ (``on_files``).
"""

from __future__ import annotations

import gzip
import io
import os
import re
from html import escape
from pathlib import Path

from ..errors import DataError, Problem
from ..data.yamlfile import read_yaml

SITEMAP = "sitemap.xml"
_URL = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)


def serve(config) -> None:
    """Under `mkdocs serve`: the other editions built as the English one is (``build_all``, --dirty as it is)
    when mkdocs.yml's extra.serve_editions says so (`python3 tasks.py serve --ja`); otherwise, where each
    of their pages would be, a page saying how to serve them, so the language switch explains itself."""
    editions = config.extra.get("editions") or {}
    if config.extra.get("serve_editions"):
        build_all(config, serving=True)
        return
    project = Path(config.config_file_path).resolve().parent
    names = {alt.get("lang"): alt.get("name") for alt in config.extra.get("alternate") or []}
    for lang in editions:
        if lang == "en":
            continue
        for page in sorted((project / "docs" / lang).glob("*.md")):
            rel = "" if page.stem == "index" else f"{page.stem}/"
            out = Path(config.site_dir) / lang / rel / "index.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(not_served(lang, "../" * (1 + rel.count("/")) + rel, names.get(lang) or lang),
                           encoding="utf-8")


def not_served(lang: str, back: str, name: str = "") -> str:
    """The page a server of the English edition alone shows where another edition's page would be."""
    lang, back, name = escape(lang), escape(back), escape(name or lang)
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>The {name} edition is not served</title>\n</head>\n<body>\n"
            f'<h1>The <span lang="{lang}">{name}</span> edition ({lang}) is not served here</h1>\n'
            f"<p>This server builds the English edition alone, so that each edit rebuilds quickly. "
            f"To preview both editions, with the language switch, stop it (Ctrl+C) and run:</p>\n"
            f"<pre><code>python3 tasks.py serve --{lang}</code></pre>\n"
            f"<p>Each rebuild then takes about twice as long. <code>python3 tasks.py build</code> always "
            f"builds both.</p>\n"
            f'<p><a href="{back}">Back to the English page</a></p>\n</body>\n</html>\n')


def build_all(config, serving: bool = False) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from ..pages import i18n

    project = Path(config.config_file_path).resolve().parent
    editions = config.extra.get("editions") or {}
    for lang, url in editions.items():
        if lang == "en":
            continue
        path = project / f"mkdocs.{lang}.yml"
        if not path.exists():
            from mkdocs.exceptions import PluginError

            raise PluginError(f"mkdocs.yml: extra.alternate names the {lang} edition, but {path.name} is missing.")
        site_dir = os.path.join(config.site_dir, lang)
        try:
            conf = load_config(config_file=str(path), site_dir=site_dir, site_url=url, strict=config.strict)
            conf.extra["built_by_english"] = True  # read by the plugin's on_config: this edition is built as it should be
            # Under serve, as the English rebuild is: --dirty, its errors on the page (macros/build/plugin.py).
            conf.plugins.on_startup(command="serve" if serving else "build", dirty=serving)
            try:
                build(conf, dirty=serving)
            finally:
                conf.plugins.on_shutdown()
        finally:
            i18n.set_locale("en")
        merge_sitemap(Path(config.site_dir), Path(site_dir), editions)
        from .cache import cache_dir

        chart_font(Path(site_dir), lang, cache_dir(project, "charts"))


CHART_FONT = "assets/fonts/charts-{lang}.woff2"
_DRAWING = re.compile(r'<svg class="chart__drawing.*?</svg>', re.S)


def chart_font(site: Path, lang: str, cache: Path | None = None) -> None:
    """The edition's chart face as WOFF2, with just the characters its charts' drawings show
    (docs/assets/fonts-<lang>.css names it): about 100 kB instead of the 6 MB font.  Kept in the chart
    cache (``cache``) by those characters, the font file and vl-convert's version: cutting it costs
    about 0.6 s, a fifth of a warm build of both editions (MAINTAINERS.md)."""
    from html import unescape

    from ..charts.draw import web_font

    shown = set()
    for page in sorted(site.rglob("*.html")):
        for svg in _DRAWING.findall(page.read_text(encoding="utf-8")):
            shown.update(unescape("".join(re.findall(r">([^<]+)</text>", svg))))
    if shown:
        text = "".join(sorted(shown))
        entry = cache / f"font-{_font_key(text, lang)}.woff2" if cache is not None else None
        body = _cached(entry)
        if body is None:
            body = web_font(text, lang)
            if entry is not None:
                from .cache import write_checked

                write_checked(entry, body)
        out = site / CHART_FONT.format(lang=lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(body)


def _font_key(text: str, lang: str) -> str:
    import hashlib
    from importlib import metadata

    from ..charts import fonts

    face = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in fonts.directory(lang).iterdir())
    what = f"{lang}\0{text}\0{face}\0{metadata.version('vl-convert-python')}"
    return hashlib.sha256(what.encode("utf-8")).hexdigest()


def _cached(entry: Path | None) -> bytes | None:
    """A font cut before (touched, so the chart cache's pruning keeps it), or None."""
    if entry is None:
        return None
    from .cache import read_checked

    body = read_checked(entry)
    if body is not None and body[:4] == b"wOF2":
        try:
            os.utime(entry)
        except OSError:
            pass
        return body
    return None


def merge_sitemap(root: Path, edition: Path, editions: dict[str, str]) -> None:
    """Add the edition's <url> entries to the root sitemap (before its </urlset>), each page of every
    edition with its counterparts (hreflang, and x-default the English page: Google's sitemap form),
    and gzip it again as MkDocs does (its file time from SOURCE_DATE_EPOCH, so builds stay
    byte-identical)."""
    main, other = root / SITEMAP, edition / SITEMAP
    if not main.exists() or not other.exists():
        return
    text = main.read_text(encoding="utf-8")
    added = "".join(m.group(0) if m.group(0).endswith("\n") else m.group(0) + "\n"
                    for m in _URL.finditer(other.read_text(encoding="utf-8")))
    head, sep, tail = text.rpartition("</urlset>")
    text = _with_alternates(head + added + sep + tail, editions)
    main.write_text(text, encoding="utf-8")
    from mkdocs.utils import get_build_timestamp

    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, filename=str(main) + ".gz", mode="wb", mtime=get_build_timestamp()) as gz:
        gz.write(text.encode("utf-8"))
    (root / (SITEMAP + ".gz")).write_bytes(buf.getvalue())


def _with_alternates(text: str, editions: dict[str, str]) -> str:
    """Every <url> whose page every edition has gets an xhtml:link per edition and x-default."""
    english = editions["en"]
    others = sorted(((lang, url) for lang, url in editions.items() if lang != "en"), key=lambda e: -len(e[1]))

    def path_of(loc: str) -> str | None:
        for _, url in others:
            if loc.startswith(url):
                return loc[len(url):]
        return loc[len(english):] if loc.startswith(english) else None

    pages = {m.group(1) for m in re.finditer(r"<loc>([^<]+)</loc>", text)}

    def annotate(m: re.Match) -> str:
        path = path_of(m.group(2))
        links = {lang: url + path for lang, url in editions.items()} if path is not None else {}
        if not links or not all(u in pages for u in links.values()):
            return m.group(0)
        tags = "".join(f'\n         <xhtml:link rel="alternate" hreflang="{lang}" href="{escape(u)}"/>'
                       for lang, u in [*sorted(links.items()), ("x-default", links["en"])])
        return m.group(1) + tags

    text = re.sub(r"(<loc>([^<]+)</loc>)", annotate, text)
    return text.replace('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                        'xmlns:xhtml="http://www.w3.org/1999/xhtml">', 1)


# -- the config and the theme's own texts ---------------------------------------------------------
def localize_config(config, project: Path) -> list[Problem]:
    """Another edition's site name, description, author, copyright, palette toggles and nav titles, from
    data/<locale>/site.yml (``site_name``, ``site_description``, ``site_author``, ``copyright``,
    ``palette_to_dark``, ``palette_to_light``, ``nav_overview``, ``nav_<page>``), and the theme overrides'
    own words (extra.ui_text: mkdocs.yml's in English, site.yml's by the same keys in another); the
    Problems of the keys it lacks, at the English text's line of mkdocs.yml."""
    locale = str(config.extra.get("edition") or "en")
    if locale == "en":
        return []
    shown = f"data/{locale}/site.yml"
    path = project / shown
    try:
        ui = read_yaml(path, shown) if path.exists() else {}
    except DataError as exc:
        return exc.problems
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    problems: list[Problem] = []

    def get(key: str, english: str, needle: str) -> str:
        if isinstance(ui.get(key), str):
            return ui[key]
        line = next((n for n, text in enumerate(lines, 1) if needle and needle in text), None)
        problems.append(Problem("mkdocs.yml" if line else "macros/pages/i18n.py", line, key,
                                f"no {locale} text for {english!r}", f"Add to {shown}: {key}: ..."))
        return english

    for attr in ("site_name", "site_description", "site_author", "copyright"):
        english = getattr(config, attr)
        if english:
            setattr(config, attr, get(attr, english, f"{attr}:"))
    for option in config.theme.get("palette") or []:
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if toggle and toggle.get("name"):
            key = "palette_to_dark" if "dark" in toggle["name"] else "palette_to_light"
            toggle["name"] = get(key, toggle["name"], toggle["name"])

    def nav(items):
        out = []
        for item in items or []:
            if isinstance(item, dict):
                for title, target in item.items():
                    if isinstance(target, str):
                        stem = target[: -len(".md")].replace("/", "_")
                        key = "nav_overview" if stem == "index" else f"nav_{stem}"
                        out.append({get(key, title, f": {target}"): target})
                    else:
                        out.append({get(f"nav_{title.lower().replace(' ', '_')}", title, title): nav(target)})
            else:
                out.append(item)
        return out

    config.nav = nav(config.nav)
    config.extra["ui_text"] = {key: get(key, english, f"{key}:")
                               for key, english in (config.extra.get("ui_text") or {}).items()}
    return problems


def unpaired_pages(files, config) -> list:
    """Every English page has its counterpart in another edition, and that edition has no page of its own:
    the language selector links each page to the same path in the other edition."""
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


def shared_assets(files, config) -> None:
    """Another edition's docs_dir (docs/ja/) holds its pages only: docs/assets/ is shared, copied into it."""
    from mkdocs.structure.files import File

    docs = Path(config.config_file_path).resolve().parent / "docs"
    for path in sorted((docs / "assets").rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and files.get_file_from_path(rel) is None:
            files.append(File(rel, str(docs), config.site_dir, config.use_directory_urls))

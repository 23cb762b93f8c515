"""Check every link of a built site, offline.

For each ``.html`` file under the site folder, every URL in ``href``, ``src``,
``xlink:href``, ``poster`` and ``srcset`` is checked:

* internal URLs (relative, or absolute paths under the site's prefix) must name
  a file of the site (a directory URL means its ``index.html``) and, when they
  carry a ``#fragment``, an element of the target page with that ``id`` (or an
  anchor with that ``name``); an empty fragment (``#``) is fine;
* absolute paths outside the prefix are errors: on a site served from
  ``/pr-preview/pr-7/`` they would leave it;
* external URLs (``http``, ``https``, ``mailto``) must be well formed; they are
  never fetched.  Canonical links name the host the site is built for (as do
  ``og:url`` metadata and ``sitemap.xml``, which are not read): external by
  design, so they are checked for form only.

    python -m tools.linkcheck SITE_DIR [--prefix /pr-preview/pr-7/]

Prints one line per problem, ``page.html: url -> reason``, and exits 1 if any.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

URL_ATTRS = ("href", "src", "xlink:href", "poster")
EXTERNAL = {"http", "https", "mailto"}
INLINE = {"data", "blob"}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def _anchors(path: Path) -> frozenset[str]:
    """The ids (and anchor names) a page or SVG file defines."""
    soup = _soup(path)
    ids = {str(t["id"]) for t in soup.find_all(id=True)}
    ids |= {str(t["name"]) for t in soup.find_all("a", attrs={"name": True})}
    return frozenset(ids)


def _urls(soup: BeautifulSoup) -> list[str]:
    out: list[str] = []
    for tag in soup.find_all(True):
        for attr in URL_ATTRS:
            value = tag.get(attr)
            if value is not None:
                out.append(str(value).strip())
        srcset = tag.get("srcset")
        if srcset:
            out += [part.split()[0] for part in str(srcset).split(",") if part.split()]
    return out


def _external(url: str) -> str | None:
    """Why an external URL is malformed, or None."""
    if any(c.isspace() for c in url):
        return "external URL contains whitespace"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as err:
        return f"malformed external URL ({err})"
    if parts.scheme == "mailto":
        return None if "@" in parts.path else "mailto: without an address"
    if not parts.netloc or not parts.hostname:
        return "external URL without a host"
    return None


def _target(site: Path, page_dir: str, path: str, prefix: str) -> tuple[Path | None, str]:
    """The file a URL path names (or None) and the site-relative name used in messages."""
    if path.startswith("/"):
        rel = path[len(prefix):]
    else:
        rel = posixpath.join(page_dir, path)
    norm = posixpath.normpath(rel) if rel else "."
    if norm == ".." or norm.startswith("../"):
        return None, ""
    name = "" if norm == "." else norm
    if rel.endswith("/") or name == "" or (site / name).is_dir():
        name = posixpath.join(name, "index.html") if name else "index.html"
    return site / name, name


def _problem(site: Path, page: Path, url: str, prefix: str) -> str | None:
    """Why one URL found in `page` is broken, or None."""
    if url == "" or url == "#":
        return None
    try:
        parts = urlsplit(url)
    except ValueError as err:
        return f"malformed URL ({err})"
    if parts.scheme in INLINE:
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme not in EXTERNAL:
            return f"unexpected URL scheme {parts.scheme or '(protocol-relative)'!r}"
        return _external(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if path.startswith("/") and not path.startswith(prefix):
        return f"absolute path outside the site prefix {prefix}"
    if path:
        page_dir = posixpath.dirname(page.relative_to(site).as_posix())
        target, name = _target(site, page_dir, path, prefix)
        if target is None:
            return "points above the site's root"
        if not target.is_file():
            return f"no such file {name}"
    else:
        target, name = page, page.relative_to(site).as_posix()
    if fragment and target.suffix in (".html", ".svg") and fragment not in _anchors(target):
        return f"no element with id {fragment!r} in {name}"
    return None


def check(site_dir: Path, prefix: str = "/") -> list[str]:
    """Every broken link of the site built in `site_dir`, as ``page: url -> reason`` lines."""
    site = Path(site_dir).resolve()
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    _anchors.cache_clear()
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        for url in _urls(_soup(page)):
            reason = _problem(site, page, url, prefix)
            if reason:
                problems.append(f"{rel}: {url} -> {reason}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.linkcheck", description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="the built site folder")
    parser.add_argument("--prefix", default="/", help="URL path the site is served from (default: /)")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir():
        parser.error(f"{args.site_dir} is not a folder")
    problems = check(args.site_dir, args.prefix)
    for line in problems:
        print(line)
    pages = sum(1 for _ in args.site_dir.rglob("*.html"))
    print(f"{len(problems)} broken link(s) in {pages} page(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

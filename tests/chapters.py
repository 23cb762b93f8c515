"""The chapters, read from mkdocs.yml's nav: a chapter is a page plus its nav line, and nothing
else lists them (README, WRITING.md: Add a chapter).

A chapter is a nav page other than the home page (the nav's first) that does not list the
whole site: the audit, the updates and the bibliography are made by macros that do
(claims_table, updates_list, sources_list, figure_index), and are reference pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

# Macros that list the whole site; a page calling one is a reference page, not a chapter.
SITE_LISTS = re.compile(r"\{\{\s*(claims_table|updates_list|sources_list|figure_index)\s*\(")


class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV tags plain YAML does not know."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: None)


def nav(root: Path) -> list[tuple[str, str]]:
    """(title, path) of each nav entry, in order."""
    conf = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    return [next(iter(item.items())) for item in conf["nav"]]


def is_reference(root: Path, path: str) -> bool:
    return bool(SITE_LISTS.search((root / "docs" / path).read_text(encoding="utf-8")))


def chapters(root: Path) -> tuple[str, ...]:
    """Each chapter's name (its file without .md), in reading order."""
    return tuple(path[: -len(".md")] for _, path in nav(root)[1:] if not is_reference(root, path))

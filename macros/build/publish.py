"""A build publishes its whole site or nothing: it is built beside the site directory and swapped in.

MkDocs writes into its site directory as it goes, so a build that failed half
way (a page that raised, a plugin's error, a full disk, a warning in strict
mode, which MkDocs checks only after the last event) left a half-written site/
behind: a deploy from it published a broken site.  Instead ``stage`` (on_config)
points the build at a fresh sibling folder, ``publish`` (the last thing
``on_post_build`` does, when MkDocs has nothing left to write) moves it into
place with two renames on one filesystem, and on_build_error
deletes it: site/ is then as it was before the build.

What MkDocs keeps in site/ when it cleans it, hidden entries (the .git of a
gh-pages checkout, say), moves into the new site.  A ``--dirty`` build, which
only rewrites what changed, starts from a copy of site/ (file times kept, as
MkDocs compares them); `mkdocs serve` builds into a folder of its own and is
left alone.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile

from mkdocs.utils import CountHandler

def stage(config, dirty: bool) -> str:
    """Point the build at a new folder beside its site folder; return the site folder."""
    final = os.path.realpath(config.site_dir)  # a link to the published folder: that folder is replaced
    parent, name = os.path.split(final)
    os.makedirs(parent, exist_ok=True)
    # A sibling, so the renames stay on one filesystem; hidden, as .gitignore's .site-*/ expects.
    staging = tempfile.mkdtemp(prefix=f".{name.lstrip('.')}-building-", dir=parent)
    if dirty and os.path.isdir(final):
        shutil.copytree(final, staging, symlinks=True, dirs_exist_ok=True,
                        ignore=lambda folder, names: [n for n in names if folder == final and n.startswith(".")])
    config.site_dir = staging
    return final


def publish(config, final: str) -> bool:
    """Move the built site into place, unless MkDocs is about to abort the build; whether it did."""
    staging = config.site_dir
    if _strict_warnings(config):
        return False  # MkDocs aborts next, and on_build_error discards it
    old = None
    if os.path.isdir(final):
        old = staging + "-old"
        os.rename(final, old)
    try:
        os.rename(staging, final)
    except OSError:
        if old is not None:
            os.rename(old, final)  # as it was; on_build_error deletes the new one
        raise
    config.site_dir = final  # for what reads it after the build (gh-deploy)
    if old is not None:
        for entry in os.scandir(old):  # what MkDocs keeps when it cleans a site folder
            if entry.name.startswith(".") and not os.path.lexists(os.path.join(final, entry.name)):
                os.rename(entry.path, os.path.join(final, entry.name))
        shutil.rmtree(old, ignore_errors=True)
    return True


def _strict_warnings(config) -> bool:
    """Whether MkDocs will abort the build for its warnings (it counts them, and checks after on_post_build)."""
    handlers = logging.getLogger("mkdocs").handlers
    return bool(config.strict) and any(h.get_counts() for h in handlers if isinstance(h, CountHandler))

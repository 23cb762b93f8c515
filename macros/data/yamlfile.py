"""Read one YAML file safely, keeping the line of every key and refusing duplicates.

PyYAML's SafeLoader already refuses tags that construct Python objects; on top
of it this loader rejects duplicate keys (PyYAML silently keeps the last one)
and records where each key was written so validation errors can name the line.

It also bounds what a file can cost before anything is built from it: its size,
how deep it nests, and how many values its aliases expand to.  An alias
(``*name``) repeats an anchored value; nine aliases to a value holding nine
aliases, eight levels down, is a billion values from a few hundred bytes (the
"billion laughs"), which ran for minutes and ended in a MemoryError.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from . import yamlhint
from ..errors import DataError, Problem


# The largest file in data/ is 26 KB, 660 values, 6 levels deep: these leave
# room to grow a hundredfold while a hostile file fails in milliseconds.
MAX_BYTES = 4 * 1024 * 1024
MAX_VALUES = 100_000
MAX_DEPTH = 50
_ALIAS_HINT = "An alias (*name) repeats its anchored value (&name); write the values out, or fewer of them."


class Located(dict):
    """A mapping that remembers its own line and the line of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]
    hidden: tuple[Problem, ...] = ()  # problems in its text the validation reports (parse_yaml)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser when PyYAML has it (several times faster; same safe
# constructors, same marks); the pure-Python one otherwise.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    display_name = ""
    hidden: list[Problem]  # invisible characters in the parsed text (_construct_str)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    out = Located()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            raise DataError(Problem(loader.display_name, line, str(key), "keys must be plain text"))
        key = str(key)
        if key in out:
            raise DataError(
                Problem(
                    loader.display_name,
                    line,
                    key,
                    f"duplicate key (first written at line {out.key_lines[key]})",
                    "YAML keeps only the last of two equal keys; delete or rename one of them.",
                )
            )
        noted = len(loader.hidden)
        out[key] = _construct_value(loader, value_node, key)
        out.key_lines[key] = line
        # Text problems found inside this value are about this key: name it, as validation names fields.
        loader.hidden[noted:] = [replace(p, key=f"{key}.{p.key}" if p.key else key) for p in loader.hidden[noted:]]
    return out


def _construct_value(loader: _Loader, node: yaml.Node, key: str) -> Any:
    """The value of one key.  A date that does not exist (_construct_timestamp) is reported under
    this key when it is the key's own value, not one deeper inside it."""
    try:
        return loader.construct_object(node, deep=True)
    except DataError as exc:
        first = exc.problems[0]
        if len(exc.problems) == 1 and not first.key and first.line == node.start_mark.line + 1:
            raise DataError(Problem(first.file, first.line, key, first.message, first.hint)) from None
        raise


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """YAML reads 2025-13-01 as a date, then fails to build it: a problem at its own line, not a traceback
    (in a value, a list, a key, anywhere)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise DataError(Problem(loader.display_name, node.start_mark.line + 1, "", f"'{node.value}' is not a real date ({exc})",
                                "Write dates as YYYY-MM-DD, with a month from 01 to 12 and a day that month has.")
                        ) from None


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    """Text.  An invisible character written as a YAML escape ("\\u202e") is not in the file's text,
    where refuse_invisible looks, but is in the string readers get: noted here, at its line, and
    reported with the file's other problems (parse_yaml)."""
    value = loader.construct_scalar(node)
    hidden = INVISIBLE.search(value)
    if hidden is not None:
        ch = value[hidden.start()]
        loader.hidden.append(Problem(
            loader.display_name, node.start_mark.line + 1, "",
            f"invisible character U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character')}) in this text",
            "Delete it (or its escape): readers cannot see it, and it can reverse or disguise the text around it."))
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


# Characters a reader cannot see that change what text says or how it is read: control
# characters (but tab and line ends), bidirectional overrides and isolates (U+202E turns
# "fdp.exe" around), zero-width characters and line separators.  No escaping makes them
# inert, so an author file that holds one does not build.  A byte-order mark opening a
# file is allowed (editors write it); anywhere else it is a zero-width no-break space.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff]")


def utf8_text(raw: bytes, display_name: str, invisible: bool = True) -> str:
    """A file's bytes as text; bytes that are not UTF-8, or (unless ``invisible`` is false: a page,
    whose problems are reported page by page) an invisible character, are a problem at their line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            Problem(display_name, line, "", f"not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})",
                    "Save the file as UTF-8.")
        ) from None
    if invisible:
        refuse_invisible(text, display_name)
    return text


def refuse_invisible(text: str, display_name: str, first_line: int = 1) -> None:
    """Raise the problem of the first invisible character in ``text``, which starts at line ``first_line``."""
    hidden = INVISIBLE.search(text, 1 if text.startswith("\ufeff") else 0)
    if hidden is None:
        return
    at = hidden.start()
    ch = text[at]
    name = unicodedata.name(ch, "a control character")
    line = first_line + text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise DataError(Problem(display_name, line, "", f"invisible character U+{ord(ch):04X} ({name}) at column {column}",
                            "Delete it: readers cannot see it, and it can reverse or disguise the text around it."))


def read_yaml(path: Path, display_name: str) -> Any:
    """Parse one file; every failure becomes a DataError naming file and line."""
    text = utf8_text(read_file(path, display_name), display_name)
    if not text.strip():
        raise DataError(Problem(display_name, 1, "", "the file is empty",
                                "Write the file's mapping, or delete the file."))
    return parse_yaml(text, display_name, keep_going=True)


def parse_yaml(text: str, display_name: str, first_line: int = 1, keep_going: bool = False) -> Any:
    """Parse YAML text that starts at line ``first_line`` of ``display_name`` (a page's front matter
    starts at its second); every failure becomes a DataError naming the file's own line.

    Text holding an invisible character is a problem too; with ``keep_going`` (a data file, whose
    other mistakes are worth reporting in the same build) a mapping comes back with those problems
    in its ``hidden``, for the validation to report with the rest."""
    refuse_invisible(text, display_name, first_line)  # also text that did not come through utf8_text
    text = "\n" * (first_line - 1) + text  # blank lines YAML skips: its marks are then the file's lines
    loader = _Loader(text)
    loader.display_name = display_name
    loader.hidden = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, display_name)
        doc = loader.construct_document(node)
        if loader.hidden:
            if not (keep_going and isinstance(doc, Located)):
                raise DataError(loader.hidden)
            doc.hidden = tuple(loader.hidden)
        return doc
    except DataError:
        raise
    except (MemoryError, RecursionError) as exc:  # bounded above; a last guard, never a traceback
        raise DataError(Problem(display_name, None, "", f"too large to read ({type(exc).__name__})",
                                _ALIAS_HINT)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        shown = ""
        lines = text.splitlines()
        if mark is not None:
            if 0 <= mark.line < len(lines):
                shown = f"\n{line:>5} | {lines[mark.line]}\n      | {' ' * mark.column}^"
        what = exc.problem or "malformed YAML"
        if mark is not None and (blamed := yamlhint.out_of_step(lines, mark.line)) is not None:
            # The line out of step with its siblings is the one to change, not where YAML noticed it.
            hint = yamlhint.hint(lines, blamed, mark.line)
            shown = f"\n{blamed + 1:>5} | {lines[blamed]}"
            raise DataError(Problem(display_name, blamed + 1, "", "YAML syntax error: this line is not indented "
                                    "like the fields around it", hint + shown)) from None
        if "could not determine a constructor" in str(exc):
            what = f"tags that construct objects are refused ({exc.problem})"
        col = f", column {mark.column + 1}" if mark else ""
        hint = "Check indentation, quotes and colons on this line or the one before."
        if "mapping values are not allowed" in what:
            hint = 'Quote a value that holds a colon and a space: label: "Japan: the budget".'
        if mark is not None and "\t" in "\n".join(lines[max(mark.line - 1, 0):mark.line + 1]):
            hint = "Indent with spaces: YAML does not allow tabs, and this line or the one before has one."
        raise DataError(Problem(display_name, line, "", f"YAML syntax error{col}: {what}", hint + shown)) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(display_name, None, "", f"YAML error: {exc}")) from None
    finally:
        loader.dispose()


def read_file(path: Path, display_name: str) -> bytes:
    """A data file's bytes; a folder, an unreadable or an oversized file is one problem naming it."""
    try:
        if path.is_dir():
            raise DataError(Problem(display_name, None, "", "is a folder, not a file",
                                    "Data files are YAML files; move the folder out of data/."))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(Problem(display_name, None, "", f"the file is {size:,} bytes, over the "
                                    f"{MAX_BYTES:,} a data file may be", "Split it, or check it is the file you meant."))
        return path.read_bytes()
    except OSError as exc:
        raise DataError(Problem(display_name, None, "", f"cannot be read: {exc.strerror or exc}",
                                "Check the file's permissions, or that it is a regular file.")) from None


def _check_expansion(root: yaml.Node, display_name: str) -> None:
    """Refuse a document nested deeper than MAX_DEPTH, whose aliases expand to more than
    MAX_VALUES values, or where an alias sits inside its own anchor (a value that contains itself).

    The composed document is a graph in which an alias is a second edge to one node, so each
    node's expanded size is counted once, from its children's: linear in the file, never in
    the expansion."""
    sizes: dict[int, int] = {}  # a collection's expanded size; a scalar's is 1
    open_: set[int] = set()  # the path from the root to the collection being walked
    stack: list[tuple[yaml.Node, int, list | None]] = [(root, 1, None)]
    while stack:
        node, depth, children = stack.pop()
        if children is not None:  # its children are sized
            open_.discard(id(node))
            sizes[id(node)] = size = 1 + sum(sizes.get(id(c), 1) for c in children)
            if size > MAX_VALUES:
                raise DataError(Problem(display_name, node.start_mark.line + 1, "", "this value expands to more "
                                        f"than {MAX_VALUES:,} values through aliases", _ALIAS_HINT))
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_:
            raise DataError(Problem(display_name, node.start_mark.line + 1, "",
                                    "an alias (*name) refers to a value that contains it", _ALIAS_HINT))
        if depth > MAX_DEPTH:
            raise DataError(Problem(display_name, node.start_mark.line + 1, "", f"nested more than {MAX_DEPTH} "
                                    "levels deep", "Data files nest a few levels: check the indentation and brackets."))
        children = _children(node)
        open_.add(id(node))
        stack.append((node, depth, children))
        stack.extend((c, depth + 1, None) for c in children if not isinstance(c, yaml.ScalarNode))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []

"""A page's Jinja, checked and protected before mkdocs-macros renders it.

mkdocs-macros renders Jinja everywhere in a page, code included: a ``{{ fig("x") }}``
written in a code block to show the syntax was rendered (and published as escaped
HTML).  Code spans and fenced blocks that hold Jinja are wrapped in
``{% raw %}...{% endraw %}`` on their own lines, so every line keeps its number and
the code is shown as written.

Two mistakes are caught here, at their own line: a ``{{`` never closed on its line
(Jinja reports it where its parser gave up, lines later, and mkdocs-macros a second
time with another line), and a ``chart()`` or ``claim()`` that shares its line with
text (Markdown then splits the sentence around the figure or box).
"""

from __future__ import annotations

import re

from ..errors import Problem

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_INLINE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_JINJA = re.compile(r"\{\{|\{%|\{#")
_BLOCK_MACRO = re.compile(r"\{\{-?\s*(chart|claim)\s*\(")
_RAW, _ENDRAW = "{% raw %}", "{% endraw %}"


def protect(markdown: str, file: str, first_line: int) -> tuple[str, list[Problem]]:
    """(the page with code protected and unclosed ``{{`` neutralised, the problems found).

    ``first_line`` is the file's line of the markdown's first line (after the front matter)."""
    lines = markdown.split("\n")
    problems: list[Problem] = []
    fence: str | None = None
    opened = 0
    for i, line in enumerate(lines):
        at = first_line + i
        if fence is not None:
            if line.lstrip(" ").startswith(fence) and not line.strip(fence[0] + " "):
                if any(_JINJA.search(x) for x in lines[opened + 1:i]):
                    lines[opened] = _RAW + lines[opened]
                    lines[i] = _ENDRAW + line
                fence = None
            continue
        match = _FENCE.match(line)
        if match:
            fence, opened = match.group(2), i
            continue
        if "`" in line:
            line = _INLINE.sub(lambda m: _RAW + m.group(0) + _ENDRAW if _JINJA.search(m.group(2)) else m.group(0),
                               line)
        plain = _INLINE.sub("", line)
        line, problem = _unclosed(line, plain, file, at)
        if problem:
            problems.append(problem)
        elif (block := _BLOCK_MACRO.search(plain)) and not re.fullmatch(r"\s*\{\{.*?\}\}\s*", plain):
            problems.append(Problem(file, at, f"{block.group(1)}()",
                                    f"{block.group(1)}() shares its line with text, which it would split",
                                    f"Put {{{{ {block.group(1)}(\"...\") }}}} on a line of its own, "
                                    "with a blank line before and after."))
        lines[i] = line
    return "\n".join(lines), problems


def _unclosed(line: str, plain: str, file: str, at: int) -> tuple[str, Problem | None]:
    """A ``{{`` with no ``}}`` after it on its line: reported here, and shown as text so Jinja does
    not report it again, lines later."""
    for opener, closer in (("{{", "}}"), ("{%", "%}")):
        start = plain.find(opener)
        while start != -1:
            end = plain.find(closer, start + 2)
            nxt = plain.find(opener, start + 2)
            if end == -1 or (nxt != -1 and nxt < end):
                col = line.find(plain[start:start + 20])
                fixed = line[:col] + _RAW + line[col:] + _ENDRAW if col != -1 else line
                return fixed, Problem(file, at, "", f"'{opener}' is not closed on its line",
                                      f"End the macro with {closer} on the same line: "
                                      '{{ fig("topic.key") }}.')
            start = plain.find(opener, end + 2)
    return line, None


def first_body_line(source: str, front_matter_read: bool = True) -> int:
    """The file's line of the first line mkdocs-macros renders: after the front matter, if MkDocs
    read it, and the blank lines MkDocs strips after it."""
    front = re.match(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", source, re.S) if front_matter_read else None
    start = front.end() if front else 0
    start += len(source[start:]) - len(source[start:].lstrip("\n"))
    return source.count("\n", 0, start) + 1


def without_code(markdown: str) -> str:
    """The page with its code spans and fenced blocks blanked (same lines): a macro shown as an
    example is not a use of the figure or chart it names."""
    out, fence = [], None
    for line in markdown.split("\n"):
        if fence is not None:
            if line.lstrip(" ").startswith(fence) and not line.strip(fence[0] + " "):
                fence = None
            out.append("")
            continue
        if match := _FENCE.match(line):
            fence = match.group(2)
            out.append("")
            continue
        out.append(_INLINE.sub("", line))
    return "\n".join(out)

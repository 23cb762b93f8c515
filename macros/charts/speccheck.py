"""What a chart's spec and drawing may not hold, found before a reader's browser would meet it.

An address the chart would load (data or images by URL, links, CSS url()), a
backslash in a title (Vega-Lite reads it as an escape), a field Vega-Lite does
not know (it ignores it, silently).  Split from chartdef.py: these read a spec
or an SVG, never a chart function; ChartDef.spec and the build (build/chart_slots.py)
report what they find at the chart's line.
"""

from __future__ import annotations

import re

_FETCH_KEYS = {"url": "data or an image given by URL ('url')", "href": "a link on a mark ('href')",
               "src": "a source address ('src')"}
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.I)
_STYLED = {"fill", "stroke", "background", "cursor", "style", "color", "fillColor", "strokeColor", "filter",
           "clip", "clip-path", "mask"}


def spec_fetches(spec: object) -> list[tuple[str, str]]:
    """(what, text to find in the chart function) for each thing in a Vega-Lite or Vega spec that
    would make a browser load an address: data or images by URL, href encodings or mark
    properties, image marks, CSS url() in a paint or style.  Inline data rows are text and skipped."""
    out: list[tuple[str, str]] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("values", "datasets") and isinstance(v, (list, dict)):
                    continue  # inline data: text, drawn as text
                if k in _FETCH_KEYS:
                    out.append((_FETCH_KEYS[k], k))
                if k in ("mark", "type") and (v == "image" or isinstance(v, dict) and v.get("type") == "image"):
                    out.append(("an image mark", "image"))
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in _STYLED and _CSS_URL.search(node):
            out.append((f"CSS url() in '{key}' ({node[:60]!r})", "url("))

    walk(spec)
    return out


def svg_fetches(svg: str) -> list[str]:
    """Each address the drawn SVG would make a browser load: href, xlink:href or src to anything but
    a fragment of the SVG itself, url() to anything but a fragment, a <style> with url() or @import."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        return [f"the SVG does not parse ({exc})"]
    out = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local in ("href", "src") and not value.strip().startswith("#"):
                out.append(f"<{tag} {local}={value[:60]!r}>")
            elif (local in _STYLED or local.startswith("marker")) and _CSS_URL.search(value):
                out.append(f"<{tag} {local}={value[:60]!r}>")
        if tag in ("image", "feImage", "foreignObject", "script", "iframe"):
            out.append(f"<{tag}>")
        if tag == "style" and (_CSS_URL.search(el.text or "") or "@import" in (el.text or "")):
            out.append("<style> loading an address")
    return out


def backslash_titles(spec: object) -> list[str]:
    """Titles with a backslash: Vega-Lite writes an encoding's title into the expressions of
    its tooltip and ARIA description, escaping quotes but not a backslash, so ``\\"`` ends
    the string and what follows is read as an expression."""
    out: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("values", "datasets") and isinstance(v, (list, dict)):
                    continue
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("title", "text", "subtitle") and "\\" in node:
            out.append(node)

    walk(spec)
    return out


def unknown_fields(spec: dict, known: frozenset[str] = frozenset()) -> list[tuple[str, frozenset[str]]]:
    """Each field an encoding names that its data lacks, with the fields it has: Vega-Lite draws such
    an encoding as nothing at all (a blank tooltip, a missing bar) and says so only sometimes."""
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        known = frozenset(k for row in data["values"] if isinstance(row, dict) for k in row)
    made = set()  # fields the transforms add (calculate as, joinaggregate as, ...)

    def outputs(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "as":
                    made.update([value] if isinstance(value, str) else value if isinstance(value, list) else [])
                else:
                    outputs(value)
        elif isinstance(node, list):
            for item in node:
                outputs(item)

    outputs(spec.get("transform", []))
    known = known | frozenset(made)
    out = []
    for definition in (spec.get("encoding") or {}).values():
        for d in definition if isinstance(definition, list) else [definition]:
            field = d.get("field") if isinstance(d, dict) else None
            if isinstance(field, str) and known and field not in known:
                out.append((field, known))
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            out.extend(unknown_fields(child, known))
    if isinstance(spec.get("spec"), dict):
        out.extend(unknown_fields(spec["spec"], known))
    return out

"""What a screen reader hears of a chart, in the edition's language.

Vega writes an ARIA label for every axis, legend and title it draws, and a role
description for every mark, in English ("X-axis titled '金額' for a linear scale
with values from 0 to 1,600", "Title text '…'", "bar mark"), whatever language the
chart is in (vega-scenegraph, util/aria.js: axisCaption, legendCaption, AriaGuides).
It uses a guide's own ``description`` instead where the spec gives one, and an
item's ``ariaRoleDescription``: another edition's charts are given both, in the
compiled Vega (``localize``, called by draw.draw), so the page's static drawing and
the live view that replaces it say the same.  What Vega does not let a spec set
stays English: the role words of the guides themselves ("axis", "legend",
"title") and of mark containers ("rect mark container").
"""

from __future__ import annotations

import copy

# Per locale: the words of a guide's label ({title}: the guide's own title), and what each kind of
# mark is called.  English is Vega's own, so it has none.
WORDS = {
    "ja": {
        "x": "横軸：{title}", "x_untitled": "横軸", "y": "縦軸：{title}", "y_untitled": "縦軸",
        "legend": "凡例：{title}", "legend_untitled": "凡例",
        "title": "表題：{title}", "subtitle": "副題：{title}", "title_role": "表題", "subtitle_role": "副題",
    },
}
MARKS = {
    "ja": {"arc": "扇形", "area": "面", "bar": "棒", "circle": "点", "line": "線", "point": "点", "rect": "四角形",
           "rule": "線", "square": "点", "text": "文字", "tick": "目盛り", "trail": "線"},
}


def mark_config(locale: str) -> dict:
    """Vega-Lite config entries that name each kind of mark in ``locale`` (theme.config merges them)."""
    return {mark: {"ariaRoleDescription": word} for mark, word in MARKS.get(locale, {}).items()}


def localize(vega: dict, locale: str) -> dict:
    """The compiled Vega with its axes, legends and titles labelled in ``locale`` (a copy; English: as is)."""
    words = WORDS.get(locale)
    if words is None:
        return vega
    out = copy.deepcopy(vega)
    _walk(out, words)
    return out


def _walk(node: dict, words: dict) -> None:
    for axis in node.get("axes") or ():
        if "description" not in axis:
            xy = "y" if axis.get("orient") in ("left", "right") else "x"
            title = _text(axis.get("title"))
            axis["description"] = words[xy].format(title=title) if title else words[f"{xy}_untitled"]
    for legend in node.get("legends") or ():
        if "description" not in legend:
            title = _text(legend.get("title"))
            legend["description"] = words["legend"].format(title=title) if title else words["legend_untitled"]
    title = node.get("title")
    if isinstance(title, dict):
        encode = title.setdefault("encode", {})
        for part, key in (("title", "text"), ("subtitle", "subtitle")):
            text = _text(title.get(key))
            if text:
                update = encode.setdefault(part, {}).setdefault("update", {})
                update.setdefault("description", {"value": words[part].format(title=text)})
                # Labelled, the text is read as an item too: "text mark" unless it is named.
                update.setdefault("ariaRoleDescription", {"value": words[f"{part}_role"]})
    for mark in node.get("marks") or ():
        if mark.get("type") == "group":
            _walk(mark, words)


def _text(value) -> str:
    """A title as one line, or "" for none or one a signal computes (Vega's own label stays then)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(value)
    return ""

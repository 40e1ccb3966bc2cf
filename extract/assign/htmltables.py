"""Task tables kept as HTML (``<table>`` in a crawled web page or a JSP/HTML fragment).

Some sources are pages stored whole: the table keeps its ``<tr>``/``<td>`` markup, a
multi-line cell is one ``<p>`` per line, and a cell may span rows (``rowspan``: one
department over three duty rows) or columns (``colspan``: a section row across the
item columns). The flattened-text reader (:mod:`extract.assign.tables`) sees none of
that, so this module reads the markup itself, by positions in the unchanged text:

* the table's cells are laid on a grid: a ``rowspan``/``colspan`` cell fills every
  slot it covers, so a row below a spanning department cell has that department;
* the header is the first row of ``<th>`` cells (or the first row), its names read
  with the shared column list (``data/assignments_table_columns.tsv``); a ``colspan``
  header covers several grid columns;
* an agency column is one the header names as such (负责考核部门, 责任单位 …) or — only
  in a table whose header names a task column (任务/考核内容 …) — a column every one of
  whose single-column cells is a list of agency names (a department column under a
  two-column 考核项目 header). A member table (姓名/职务/单位) has no task column and
  is never read;
* every body row with a task or content cell is a task (:class:`~extract.assign.tables.
  TableRow`) if it has a row number (1, 2 …) or names a department — a 总分 line or a
  section line (一、) without one is not; its key is the holding section's key plus
  ``h<table>r<row>``, both counted in the text, so the key is stable across rebuilds.

Cell text is the text between tags; each ``<p>`` line of an agency cell is its own list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.lists import parse_agency_list
from policykg.extract.assign.tables import TableRow, table_columns
from policykg.extract.model import AgencyMention, Role, Section, Span

_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table\s*>", re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_SPAN_ATTR = re.compile(r"""\b(rowspan|colspan)\s*=\s*["']?(\d{1,3})""", re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption\s*>", re.S | re.I)
_ENTITY = re.compile(r"&[a-zA-Z#0-9]{1,8};")
_RUN = re.compile(r"[^\s\u3000]+(?:[ \u3000]+[^\s\u3000]+)*")
_TEXT_KINDS = ("name", "content")


@dataclass(frozen=True)
class Cell:
    """One ``<td>``/``<th>``: its text pieces (start, end) in the document."""

    header: bool
    rows: int
    cols: int
    pieces: tuple[tuple[int, int], ...]
    span: Span

    def text(self, doc: str) -> str:
        return "".join(doc[a:b] for a, b in self.pieces)


def _pieces(doc: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Non-blank text runs between tags; an entity (``&nbsp;``) breaks a run."""
    out = []
    pos = start
    for m in [*_TAG.finditer(doc, start, end), None]:
        stop = m.start() if m else end
        cuts = [(e.start(), e.end()) for e in _ENTITY.finditer(doc, pos, stop)]
        edges = [pos] + [x for c in cuts for x in c] + [stop]
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            for part in _RUN.finditer(doc, a, b):
                out.append((part.start(), part.end()))
        if m:
            pos = m.end()
    return tuple(out)


def _rows(doc: str, start: int, end: int) -> list[tuple[Span, list[Cell]]]:
    """The table's rows in order: each row's span and its cells."""
    rows: list[tuple[Span, list[Cell]]] = []
    row_start: int | None = None
    cells: list[Cell] = []
    cell_open: tuple[bool, int, int, int] | None = None  # header, rows, cols, content start

    def close_cell(at: int) -> None:
        nonlocal cell_open
        if cell_open is not None:
            header, r, c, s = cell_open
            cells.append(Cell(header, r, c, _pieces(doc, s, at), Span(s, at)))
            cell_open = None

    def close_row(at: int) -> None:
        nonlocal row_start, cells
        close_cell(at)
        if row_start is not None and cells:
            rows.append((Span(row_start, at), cells))
        row_start, cells = None, []

    for m in _TAG.finditer(doc, start, end):
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name == "tr":
            if closing:
                close_row(m.start())
            else:
                close_row(m.start())
                row_start = m.start()
        elif name in ("td", "th"):
            close_cell(m.start())
            if not closing:
                if row_start is None:
                    row_start = m.start()
                spans = {k.lower(): int(v) for k, v in _SPAN_ATTR.findall(m.group(3))}
                cell_open = (name == "th", max(1, spans.get("rowspan", 1)),
                             max(1, spans.get("colspan", 1)), m.end())
    close_row(end)
    return rows


def _grid(rows: list[tuple[Span, list[Cell]]]) -> list[list[Cell | None]]:
    """Cells laid on a grid, spanning cells repeated in every slot they cover."""
    grid: list[list[Cell | None]] = [[] for _ in rows]
    for r, (_, cells) in enumerate(rows):
        c = 0
        for cell in cells:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(cell.rows):
                if r + dr >= len(grid):
                    break
                line = grid[r + dr]
                while len(line) < c + cell.cols:
                    line.append(None)
                for dc in range(cell.cols):
                    line[c + dc] = cell
            c += cell.cols
    return grid


def _is_agency_cell(doc: str, cell: Cell) -> bool:
    if not cell.pieces:
        return False
    for a, b in cell.pieces:
        found = parse_agency_list(doc, a, b, "responsible")
        if not found or not all(is_agency_name(x.surface) for x in found):
            return False
    return True


def _column_kinds(doc: str, header: list[Cell | None], body: list[list[Cell | None]]) -> list[str]:
    columns = table_columns()
    kinds = [columns.get(cell.text(doc), "other") if cell else "other" for cell in header]
    if not any(k in _TEXT_KINDS for k in kinds) or any(k in ("lead", "responsible") for k in kinds):
        return kinds
    for c in range(len(kinds)):
        own = {id(line[c]): line[c] for line in body
               if c < len(line) and line[c] is not None and line[c].cols == 1 and line[c].pieces}
        cells = [cell for cell in own.values() if cell is not None]
        if len(cells) >= 2 and all(_is_agency_cell(doc, cell) for cell in cells):
            kinds[c] = "responsible"
    return kinds


def find_html_tables(doc: str, sections: list[Section]) -> list[TableRow]:
    """Rows of every HTML task table in ``doc`` (see the module rules), in text order."""
    out: list[TableRow] = []
    per_section: dict[str, int] = {}
    for m in _TABLE.finditer(doc):
        if not _is_task_table(doc, m.start(1), m.end(1)):
            continue
        rows = _rows(doc, m.start(1), m.end(1))
        grid = _grid(rows)
        head = next((i for i, (_, cells) in enumerate(rows) if all(c.header for c in cells)), 0)
        kinds = _column_kinds(doc, grid[head], grid[head + 1:])
        holding = [s for s in sections if s.span.start <= m.start() < s.span.end]
        section = min(holding, key=lambda s: (len(s.span), -s.span.start)).key if holding else ""
        per_section[section] = per_section.get(section, 0) + 1
        prefix = f"{section}.h{per_section[section]}r" if section else f"h{per_section[section]}r"
        for r in range(head + 1, len(rows)):
            row = _row(doc, prefix, r - head, rows[r][0], grid[r], kinds, section)
            if row is not None:
                out.append(row)
    return out


def table_sections(doc: str, sections: list[Section]) -> list[Section]:
    """A section for each HTML task table that lies outside every section of the text
    (a stored web page has no 一、/（一） numbering around its table): key ``h<n>``,
    heading its ``<caption>`` (or 表), so its rows are stated in a section like any task."""
    out: list[Section] = []
    for m in _TABLE.finditer(doc):
        if any(s.span.start <= m.start() < s.span.end for s in sections):
            continue
        if not _is_task_table(doc, m.start(1), m.end(1)):
            continue
        n = len(out) + 1
        cap = _CAPTION.search(doc, m.start(), m.end())
        heading, hspan = "表", Span(m.start(), m.start())
        if cap and _pieces(doc, cap.start(1), cap.end(1)):
            pieces = _pieces(doc, cap.start(1), cap.end(1))
            heading = "".join(doc[a:b] for a, b in pieces)
            hspan = Span(pieces[0][0], pieces[-1][1])
        out.append(Section(f"h{n}", "part", n, f"表{n}", heading, Span(m.start(), m.end()),
                           hspan, None, 1))
    return out


def _is_task_table(doc: str, start: int, end: int) -> bool:
    rows = _rows(doc, start, end)
    if len(rows) < 2:
        return False
    grid = _grid(rows)
    head = next((i for i, (_, cells) in enumerate(rows) if all(c.header for c in cells)), 0)
    kinds = _column_kinds(doc, grid[head], grid[head + 1:])
    return any(k in _TEXT_KINDS for k in kinds) and any(k in ("lead", "responsible") for k in kinds)


def _row(doc: str, prefix: str, number: int, span: Span, line: list[Cell | None],
         kinds: list[str], section: str) -> TableRow | None:
    seen: set[int] = set()
    name, content = "", ""
    mentions: list[tuple[AgencyMention, Span]] = []
    for c, cell in enumerate(line):
        if cell is None or id(cell) in seen or c >= len(kinds):
            continue
        seen.add(id(cell))
        kind = kinds[c]
        if kind in ("lead", "responsible") and cell.cols == 1 and _is_agency_cell(doc, cell):
            role: Role = "lead" if kind == "lead" else "responsible"
            for a, b in cell.pieces:
                for found in parse_agency_list(doc, a, b, role):
                    mentions.append((found, Span(a, b)))
        elif kind == "name" and not name:
            name = cell.text(doc)
        elif kind == "content" and span.contains(cell.span):
            content += cell.text(doc)
    own = [c for c in line if c is not None and span.contains(c.span)]
    if not (name or content) or not own:
        return None
    index = next((cell for c, cell in enumerate(line) if c < len(kinds) and kinds[c] == "index"
                  and cell is not None), None)
    if not mentions and not (index is not None and index.text(doc).isdigit()):
        return None  # a total line or a section line (一、) that names no department
    label = re.split(r"[。；;]", content or name, maxsplit=1)[0][:60]
    body = "\n".join(x for x in (name, content) if x)
    return TableRow(f"{prefix}{number}", section, number, label, body, span, tuple(mentions))

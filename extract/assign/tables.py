"""Task-decomposition tables (重点任务分解表, 任务清单) as crawled text gives them.

A web or PDF crawl flattens a table to one cell per line (or per paragraph), so the
table is read from its lines:

* a *header* is a run of lines that are all column names (``data/
  assignments_table_columns.tsv``: 序号 / 任务名称 / 重点内容 / 牵头部门 / 配合部门 /
  时间节点 …, each with its kind); only a header with a row-number column and at least
  one agency column (lead or responsible) opens a task table — target tables by
  district and 表1…表3 have none;
* each *row* opens with a bare row number (``1``, no 、) that continues the count; a
  repeated header mid-table is skipped; the table ends at the next 附件 / 表 line, a
  heading, or the end of the text;
* within a row, a line whose every item is an agency or a collective is an agency
  cell; a cell ending in ``、`` or ``，`` goes on in the next line (``区绿化市容局、`` /
  ``区农业农村委``). Agency cells fill the agency columns in header order; extra cells
  belong to the last agency column;
* short lines before the content are the task name; a row without one inherits the
  name above (a 任务名称 is often given only on a group's first row).

Each row is a task (:class:`TableRow`): it lies in the section holding the table and
its key is that section's key plus the row number (``5.3.r4``; a second table in the
same section ``5.3.t2r4``), so it is stable across rebuilds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from policykg.extract.agencies import is_agency_name, writes_no_level
from policykg.extract.assign.lists import LEVELS, parse_agency_list
from policykg.extract.datafiles import read_tsv
from policykg.extract.model import AgencyMention, Role, Section, Span

_ROW_NUMBER = re.compile(r"\d{1,3}")
_TABLE_END = re.compile(
    r"(?:附件|附表|表\s*\d)|[一二三四五六七八九十]{1,3}\s*、|第[一二三四五六七八九十\d]{1,3}章"
)
_SENTENCE = re.compile(r"[。，；,;！？]")
_GROUP_ROW = re.compile(r"[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)][^。；;，,]*$")
_MAX_GROUP_ROW = 30
_MAX_NAME_LINE = 16
_CONTINUES = "、，,"
_PART_ROW = re.compile(r"[一二三四五六七八九十]{1,3}\s*、[^。；;，,]*$")


_AMOUNT = re.compile(r"\d[\d，,.．]*")
"""A cell of a group row's subtotal (``206，445``), never a row number of its own."""


def _past_amounts(lines: list[Line], j: int, expected: int) -> int:
    while j < len(lines) and _AMOUNT.fullmatch(lines[j].text) and lines[j].text != str(expected):
        j += 1
    return j


def _group_row_end(lines: list[Line], i: int, expected: int) -> int | None:
    """Where a short row grouping the rows below ends, with the subtotals it carries
    (``（一）天然气管道`` / ``42，488``): ``（一）实施…``, or ``一、实施…`` when the next row
    number follows it, past any ``（一）`` rows (otherwise ``一、`` is the document's next
    part: the table ends). None when line ``i`` is no group row."""
    text = lines[i].text
    if len(text) > _MAX_GROUP_ROW:
        return None
    if _GROUP_ROW.match(text):
        return _past_amounts(lines, i + 1, expected)
    if not _PART_ROW.match(text):
        return None
    end = j = _past_amounts(lines, i + 1, expected)
    while j < len(lines) and len(lines[j].text) <= _MAX_GROUP_ROW and _GROUP_ROW.match(
            lines[j].text):
        j = _past_amounts(lines, j + 1, expected)
    return end if j < len(lines) and lines[j].text == str(expected) else None


@cache
def table_columns() -> dict[str, str]:
    """Column name → kind (index | name | content | lead | responsible | other)."""
    rows = read_tsv("assignments_table_columns.tsv", ("column", "kind", "note"))
    return {r["column"]: r["kind"] for r in rows}


@dataclass(frozen=True)
class TableRow:
    """One row of a task table: a task with its agency cells."""

    key: str
    section: str  # key of the section holding the table
    number: int
    label: str
    text: str
    span: Span
    mentions: tuple[tuple[AgencyMention, Span], ...]  # (mention, its cell span)


@dataclass(frozen=True)
class Line:
    """One non-blank line of the text with its offsets: a cell of a table crawled one cell a
    line (the task-table and record-table readers share it)."""

    start: int
    end: int
    text: str


def cell_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip(" \u3000\t"))
        body = raw.strip(" \u3000\t")
        start = pos + lead
        if body:  # blank lines between cells (one cell per paragraph) carry nothing
            out.append(Line(start, start + len(body), body))
        pos += len(raw) + 1
    return out


_YEAR_COLUMN = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?(?:目标|任务|计划|工作目标|目标任务)?")
"""A column per year (``2024年目标`` … ``2027年目标``): targets, never bodies."""
_YEAR_PREFIX = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?")


_COLUMN_NOTE = re.compile(r"(.{2,}?)\s*[（(][^（）()]{1,20}[）)]")
"""A column name with its unit or a note in brackets: the name before it is the column."""


@cache
def _column_tails() -> tuple[tuple[str, str], ...]:
    """Rows of the columns file written ``…投资额``: any column ending so is of that kind."""
    return tuple((c[1:], k) for c, k in table_columns().items() if c.startswith("…"))


def column_kind(name: str) -> str | None:
    """The kind of a column name (:func:`table_columns`), a year column being ``other``;
    a known name after a year is that name's kind (``2024年推进任务``: the tasks of a year)."""
    kind = table_columns().get(name)
    if kind is None and (noted := _COLUMN_NOTE.fullmatch(name)):
        kind = column_kind(noted.group(1))  # 项目总投资（万元）, 建设内容及规模（产能、产值等）
    if kind is None:
        kind = next((k for tail, k in _column_tails() if name.endswith(tail)), None)
    if kind is None and _YEAR_COLUMN.fullmatch(name):
        return "other"
    if kind is None and (year := _YEAR_PREFIX.match(name)):
        return table_columns().get(name[year.end():])
    return kind


_HEADER_NOTE = re.compile(r"[（(][^（）()]{1,20}[）)]")
"""A column name's note on a line of its own (``建设内容及规模`` / ``（产能、产值等）``: a
page's line break inside the header cell)."""


def _header_at(lines: list[Line], i: int) -> list[str] | None:
    names: list[str] = []
    while i + len(names) < len(lines):
        text = lines[i + len(names)].text
        if not (column_kind(text) or (names and _HEADER_NOTE.fullmatch(text))):
            break
        names.append(text)
    if len(names) < 3 or column_kind(names[0]) != "index":
        return None
    if not any(column_kind(n) in ("lead", "responsible") for n in names):
        return None
    return names


def find_tables(text: str, sections: list[Section]) -> list[TableRow]:
    """Rows of every task table in ``text`` (see the module rules), in text order."""
    lines = cell_lines(text)
    tables_in: dict[str, int] = {}

    def prefix(i: int) -> str | None:
        holding = [s for s in sections if s.span.start <= lines[i].start < s.span.end]
        if not holding:
            return None  # read by crawled_table_sections' section first
        section = min(holding, key=lambda s: (len(s.span), -s.span.start)).key
        tables_in[section] = tables_in.get(section, 0) + 1
        n = tables_in[section]
        return f"{section}.r" if n == 1 else f"{section}.t{n}r"

    return [row for _i, _end, found in _scan_tables(text, lines, prefix) for row in found]


def _scan_tables(text: str, lines: list[Line], prefix: Callable[[int], str | None]):
    """(header line, line after the table, rows) of each task table whose header line
    ``prefix`` gives a key prefix for; a table it gives none is stepped over."""
    i = 0
    while i < len(lines):
        header = _header_at(lines, i)
        if header is None:
            i += 1
            continue
        key = prefix(i)
        if key is None:
            i += len(header)
            continue
        found, end = _read_table(text, lines, i, header, key)
        yield i, end, found
        i = max(end, i + len(header))


_CAPTION_MAX = 60
_MAX_NAME_CELL = 40


def crawled_table_sections(text: str, sections: list[Section]) -> list[Section]:
    """A section for each crawled task table outside every section of the text (a task
    list published alone, or under a notice without 一、/（一） numbering): key ``t<n>``,
    heading the caption line above its header (or 表), so its rows are tasks like those
    of a table inside a part."""
    lines = cell_lines(text)
    out: list[Section] = []

    def outside(i: int) -> str | None:
        return None if any(s.span.start <= lines[i].start < s.span.end for s in sections) else ""

    for i, end, rows in _scan_tables(text, lines, outside):
        if rows:
            n = len(out) + 1
            above = lines[i - 1] if i > 0 else None
            caption = above if above is not None and _is_caption(above.text) else None
            start = caption.start if caption else lines[i].start
            heading = caption.text if caption else "表"
            hspan = Span(caption.start, caption.end) if caption else Span(start, start)
            out.append(Section(f"t{n}", "part", n, f"表{n}", heading,
                               Span(start, lines[end - 1].end), hspan, None, 1))
    return out


def _is_caption(line: str) -> bool:
    """A short line naming the table (某市重点任务分工表), not a sentence of the notice."""
    return len(line) <= _CAPTION_MAX and not _SENTENCE.search(line) and not line.endswith("：")


def _read_table(text: str, lines: list[Line], i: int, header: list[str],
                prefix: str) -> tuple[list[TableRow], int]:
    """The rows of the table whose header starts at line ``i``, and the line after it."""
    rows: list[TableRow] = []
    i += len(header)
    roles = _column_roles(header)
    has_name = any(column_kind(n) == "name" for n in header)
    columns = [column_kind(n) for n in header[1:] if not _HEADER_NOTE.fullmatch(n)]

    def rows_of(number: int, current: list[Line], name: str) -> tuple[list[TableRow], str]:
        row = _positional_row(text, prefix, number, current, columns, roles, name)
        if row is not None:
            return [row], name
        return _rows_of(text, prefix, number, current, roles, has_name, name)

    expected = 1
    current: list[Line] = []
    number = 0
    name = ""
    while i < len(lines):
        line = lines[i]
        if _header_at(lines, i) == header:  # the header repeated mid-table
            i += len(header)
            continue
        if _ROW_NUMBER.fullmatch(line.text) and int(line.text) == expected:
            if current:
                found, name = rows_of(number, current, name)
                rows.extend(found)
            number, current, expected = expected, [], expected + 1
            i += 1
            continue
        group_end = _group_row_end(lines, i, expected)
        if group_end is not None:
            i = group_end  # （一）实施设备更新行动: a row grouping the rows below, no task
            continue
        if _TABLE_END.match(line.text) or number == 0:
            break
        current.append(line)
        i += 1
    if current:
        found, name = rows_of(number, current, name)
        rows.extend(found)
    return rows, i


def _column_roles(header: list[str]) -> list[Role]:
    """The role of each agency column, in order. A 主责单位 column leads, unless a 牵头
    column stands before it: then 牵头 > 主责 > 协办, and only the 牵头 column leads."""
    kinds = [(n, column_kind(n)) for n in header if column_kind(n) in ("lead", "responsible")]
    has_lead_word = any(k == "lead" and "牵头" in n for n, k in kinds)
    return ["lead" if k == "lead" and (not has_lead_word or "牵头" in n) else "responsible"
            for n, k in kinds]


def _is_agency_line(text: str, line: Line) -> bool:
    mentions = parse_agency_list(text, line.start, line.end, "responsible")
    return bool(mentions) and all(is_agency_name(m.surface) for m in mentions)


def _glued_at(text: str, line: Line) -> int | None:
    """Where two agency cells were run into one line by a crawl that lost the break
    between them ("区甲局、区乙局区丙中心、各街镇": the last name of one cell and the first
    of the next, with no separator): the offset of the second cell's start, or None.

    Read only when one 、 item is two complete names, the second opening with the same
    level as the first (区…局 + 区…中心) — a single long name never splits that way."""
    mentions = parse_agency_list(text, line.start, line.end, "responsible")
    glued = []
    for m in mentions:
        name = m.surface
        if len(name) < 6 or name[0] not in LEVELS:
            continue
        for k in range(3, len(name) - 2):
            left, right = name[:k], name[k:]
            if right[0] == name[0] and left[-1] in "局委办厅部" and is_agency_name(left) \
                    and is_agency_name(right) and len(parse_agency_list(right, 0, len(right),
                                                                      "responsible")) == 1:
                at = text.find(right, m.span.start, m.span.end)
                if at > m.span.start:
                    glued.append(at)
                break
    return glued[0] if len(glued) == 1 else None


_RUN_END = ("局", "委", "办", "厅", "中心", "集团", "公司")
_RUN_MIN = 3
_UNIT_ENDS = ("分局", "中心", "集团", "公司")
_PARTY_COMMITTEE = re.compile(r"(?:[省市区县]委|党委|党工委)$")


def run_together(mention: AgencyMention) -> list[AgencyMention]:
    """The names of one cell item a PDF table ran together (``区住建局区市场监管局``,
    ``商务局某地公安分局工信局``): cut after a body's suffix where the rest opens a name of
    its own: with a level (区市场监管局), as a department type written bare (工信局), or as a
    unit of five characters or more (某地公安分局, 某地供电服务中心). A cut needs both sides
    to be names and the left to end in 局/委/办/厅 … but not be a party committee, so
    中共某区委组织部 and 市公安局交通管理局 stay whole."""
    name = mention.surface
    for k in range(_RUN_MIN, len(name) - _RUN_MIN + 1):
        left, right = name[:k], name[k:]
        if not left.endswith(_RUN_END) or _PARTY_COMMITTEE.search(left):
            continue  # 中共某区委组织部: the committee's department, one body
        first = _first_name(right)
        opens = (right[0] in LEVELS or writes_no_level(first)
                 or len(first) >= 5 and first.endswith(_UNIT_ENDS))
        if not opens or not is_agency_name(left) or not is_agency_name(first):
            continue
        start = mention.span.start
        head = AgencyMention(left, Span(start, start + k), mention.role, mention.scope)
        rest = AgencyMention(right, Span(start + k, mention.span.end), mention.role,
                             mention.scope)
        return [head, *run_together(rest)]
    return [mention]


def _first_name(text: str) -> str:
    """The shortest prefix of ``text`` that ends in a body's suffix (the name a cut opens)."""
    for k in range(_RUN_MIN - 1, len(text) + 1):
        if text[:k].endswith(_RUN_END):
            return text[:k]
    return text


def _split_glued(text: str, lines: list[Line]) -> list[Line]:
    out = []
    for ln in lines:
        at = _glued_at(text, ln) if _is_agency_line(text, ln) else None
        if at is None:
            out.append(ln)
        else:
            out += [Line(ln.start, at, text[ln.start:at]), Line(at, ln.end, text[at:ln.end])]
    return out


def _positional_row(text: str, prefix: str, number: int, lines: list[Line],
                    columns: list[str | None], roles: list[Role],
                    inherited: str) -> TableRow | None:
    """A row with one line per column (or all but an empty last one) of a table whose
    header has columns besides the task and its bodies (a project table: 建设地址, 资金来源,
    建设性质 …): each cell is read from its column, so a place (某某镇) or a project's name
    (某某充电站) in another column is no body. None when the cells do not line up."""
    if "other" not in columns or len(lines) not in (len(columns), len(columns) - 1):
        return None
    agency_at = [c for c, kind in enumerate(columns) if kind in ("lead", "responsible")]
    if not agency_at or agency_at[-1] >= len(lines):
        return None
    if not all(_is_agency_line(text, lines[c]) for c in agency_at):
        return None
    def cell(kind: str) -> str:
        return next((lines[c].text for c, k in enumerate(columns)
                     if k == kind and c < len(lines)), "")

    own_name = cell("name")
    if len(own_name) > _MAX_NAME_CELL or _SENTENCE.search(own_name):
        return None  # the name cell holds a sentence: the row omits its name, cells shift
    mentions = _cell_mentions(text, [Span(lines[c].start, lines[c].end) for c in agency_at], roles)
    return _table_row(prefix, number, own_name or inherited, cell("content"),
                      Span(lines[0].start, lines[-1].end), mentions)


def _cell_mentions(text: str, cells: list[Span], roles: list[Role]
                   ) -> list[tuple[AgencyMention, Span]]:
    """The bodies of a row's agency cells, each with its column's role (the last role for
    any cell beyond the agency columns)."""
    mentions: list[tuple[AgencyMention, Span]] = []
    for c, span in enumerate(cells):
        role = roles[min(c, len(roles) - 1)] if roles else "responsible"
        for m in parse_agency_list(text, span.start, span.end, role):
            for spaced in _space_separated(text, m):
                mentions.extend((part, span) for part in run_together(spaced))
    return mentions


_SPACE_RUN = re.compile(r"[ \u3000]+")


def _space_separated(text: str, m: AgencyMention) -> list[AgencyMention]:
    """A cell's bodies separated by spaces (``县教体局 各相关乡镇政府``, a crawl's line break
    inside the cell): each part its own list, when every part is a name."""
    written = text[m.span.start:m.span.end]
    if not _SPACE_RUN.search(written.strip()):
        return [m]
    parts, at = [], m.span.start
    for piece in _SPACE_RUN.split(written):
        start = text.find(piece, at, m.span.end) if piece else -1
        if piece and start >= 0:
            parts.append((start, start + len(piece)))
            at = start + len(piece)
    if len(parts) < 2 or not all(is_agency_name(text[s:e]) for s, e in parts):
        return [m]
    return [x for s, e in parts for x in parse_agency_list(text, s, e, m.role)]


def _table_row(prefix: str, number: int, name: str, content: str, span: Span,
               mentions: list[tuple[AgencyMention, Span]]) -> TableRow:
    """A row's task: labelled by its content's first sentence, else its name or number."""
    label = re.split(r"[。；;]", content, maxsplit=1)[0][:60] or name or f"{number}"
    body = "\n".join(x for x in (name, content) if x)
    return TableRow(f"{prefix}{number}", prefix.rsplit(".", 1)[0], number, label, body, span,
                    tuple(mentions))


def _rows_of(text: str, prefix: str, number: int, lines: list[Line], roles: list[Role],
             has_name: bool, inherited: str) -> tuple[list[TableRow], str]:
    """The rows of one numbered row: one, or one per measure when the row's first cells
    were merged over several measures, each with its own deadline and agency cells (a
    crawl writes ``3 | 任务 | 措施A | 年底前 | 甲局 | 措施B | 年底前 | 乙局``). A measure is
    a sentence after the previous measure's agency cells; the later ones are keyed
    ``{row}m2``, ``{row}m3`` … and share the row's name."""
    blocks: list[list[Line]] = [[]]
    seen_agency = False
    for line in lines:
        agency = _is_agency_line(text, line)
        if seen_agency and not agency and len(line.text) > _MAX_NAME_LINE \
                and _SENTENCE.search(line.text):
            blocks.append([])
            seen_agency = False
        blocks[-1].append(line)
        seen_agency = seen_agency or agency
    if len(blocks) > 1 and not any(_is_agency_line(text, ln) for ln in blocks[-1]):
        blocks[-2].extend(blocks.pop())  # a note after the last agencies, no measure
    first, name = _row(text, prefix, number, blocks[0], roles, has_name, inherited)
    out = [first]
    for k, block in enumerate(blocks[1:], start=2):
        row, _ = _row(text, prefix, number, block, roles, False, name)
        out.append(replace(row, key=f"{row.key}m{k}"))
    return out, name


def _row(text: str, prefix: str, number: int, lines: list[Line], roles: list[Role],
         has_name: bool, inherited: str) -> tuple[TableRow, str]:
    lines = _split_glued(text, lines)
    cells: list[list[Line]] = []
    first_agency = next((k for k, ln in enumerate(lines) if _is_agency_line(text, ln)), len(lines))
    k = first_agency
    while k < len(lines) and _is_agency_line(text, lines[k]):
        cell = [lines[k]]
        while cell[-1].text.endswith(tuple(_CONTINUES)) and k + 1 < len(lines) \
                and _is_agency_line(text, lines[k + 1]):
            k += 1
            cell.append(lines[k])
        cells.append(cell)
        k += 1
    before = lines[:first_agency]
    name_lines: list[Line] = []
    if has_name:
        while len(name_lines) + 1 < len(before):
            candidate = before[len(name_lines)].text
            if len(candidate) > _MAX_NAME_LINE or _SENTENCE.search(candidate):
                break
            name_lines.append(before[len(name_lines)])
    name = "".join(ln.text for ln in name_lines) or inherited
    content = "".join(ln.text for ln in before[len(name_lines):])
    mentions = _cell_mentions(text, [Span(cell[0].start, cell[-1].end) for cell in cells], roles)
    return _table_row(prefix, number, name, content, Span(lines[0].start, lines[-1].end),
                      mentions), name

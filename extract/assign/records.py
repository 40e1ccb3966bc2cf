"""Record tables: one task laid out ``label | value``, a field a row.

A 整改完成情况公示表 or a 任务卡 gives one task as a two-column table: ``整改措施 | …`` /
``整改牵头单位 | 某省发展和改革委员会`` / ``整改时限 | …``. A crawl flattens it to one cell a
line, so the reader goes by lines:

* a *content field* is a line that is a column name of kind ``name`` or ``content``
  (:func:`.tables.column_kind`, the names the task-table reader knows) followed
  by a line that is not one: that line is the task;
* the fields after it, up to the next content field (at most ``_MAX_FIELDS``), are read
  as pairs of a column name and its value; a field of kind ``lead`` or ``responsible``
  whose value is an agency list names the task's bodies;
* a record without such a field is no task (a publicity table of figures).

A column table never reads so: its header is a run of column names, so the line after
its first name is a name again. Each record is a task in the section holding it, keyed
``<section>.f<n>`` (the n-th record of that section), so the key is stable across builds;
a record outside every section gets a section of its own (:func:`record_sections`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.lists import parse_agency_list
from policykg.extract.assign.tables import Line, TableRow, cell_lines, column_kind
from policykg.extract.model import AgencyMention, Role, Section, Span

_MAX_FIELDS = 8
_LABEL_END = "：: "


def _kind(line: str) -> str | None:
    return column_kind(line.rstrip(_LABEL_END))


@dataclass(frozen=True)
class _Record:
    value: Line  # the task
    mentions: tuple[tuple[AgencyMention, Span], ...]
    span: Span  # first field name to last field value
    title: Line | None  # the line above the first field (the table's caption)


def _scan(text: str) -> list[_Record]:
    lines = cell_lines(text)
    records: list[_Record] = []
    i = 0
    while i + 1 < len(lines):
        if _kind(lines[i].text) not in ("name", "content") or _kind(lines[i + 1].text):
            i += 1
            continue
        value = lines[i + 1]
        mentions: list[tuple[AgencyMention, Span]] = []
        j, fields = i + 2, 0
        while j + 1 < len(lines) and fields < _MAX_FIELDS:
            kind = _kind(lines[j].text)
            if kind is None or kind in ("name", "content") or _kind(lines[j + 1].text):
                break
            cell = lines[j + 1]
            if kind in ("lead", "responsible"):
                role: Role = "lead" if kind == "lead" else "responsible"
                found = parse_agency_list(text, cell.start, cell.end, role)
                if found and all(is_agency_name(m.surface) for m in found):
                    mentions.extend((m, Span(cell.start, cell.end)) for m in found)
            j, fields = j + 2, fields + 1
        if mentions:
            title = lines[i - 1] if i and len(lines[i - 1].text) <= 40 else None
            records.append(_Record(value, tuple(mentions),
                                   Span(lines[i].start, lines[j - 1].end), title))
        i = j
    return records


def find_records(text: str, sections: list[Section]) -> list[TableRow]:
    """Every record of a record table in ``text`` (see the module rules), in text order."""
    out: list[TableRow] = []
    in_section: dict[str, int] = {}
    for record in _scan(text):
        value = record.value
        holding = [s for s in sections if s.span.start <= value.start < s.span.end]
        if not holding:
            continue
        section = min(holding, key=lambda s: (len(s.span), -s.span.start)).key
        in_section[section] = in_section.get(section, 0) + 1
        number = in_section[section]
        label = re.split(r"[。；;]", value.text, maxsplit=1)[0][:60]
        out.append(TableRow(f"{section}.f{number}", section, number, label, value.text,
                            Span(value.start, value.end), record.mentions))
    return out


def record_sections(text: str, sections: list[Section]) -> list[Section]:
    """A section for each record outside every section of the text (a publicity page has
    no numbering around its table): key ``f<n>``, heading the caption line above it (or
    表), so its task is stated in a section like any other."""
    out: list[Section] = []
    for record in _scan(text):
        if any(s.span.start <= record.value.start < s.span.end for s in sections):
            continue
        n = len(out) + 1
        title = record.title
        heading = title.text if title else "表"
        hspan = Span(title.start, title.end) if title else Span(record.span.start,
                                                                 record.span.start)
        start = title.start if title else record.span.start
        out.append(Section(f"f{n}", "part", n, f"表{n}", heading, Span(start, record.span.end),
                           hspan, None, 1))
    return out

"""Cells of bodies of a task table whose rows the section parser read as measures.

A work report's target table flattened one cell a paragraph (``目标任务 | 责任领导 |
责任单位``, then ``1. 生产总值增长…`` / a leader's name / ``市发改委、市经信委…``) numbers
its task cells, so each row became a measure (1.1, 1.2 …) and the table reader never sees
a table. After such a header, a line that is nothing but a list of bodies (a ``★`` before
it and ``|`` around it allowed) is the row's 责任单位 cell: its bodies get the column's
role, form ``table``.
"""

from __future__ import annotations

import re

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.clauses import Clause
from policykg.extract.assign.lists import parse_agency_list
from policykg.extract.assign.tables import cell_lines, column_kind
from policykg.extract.model import Span

_PIPES = re.compile(r"^[|｜\s]*$")
_EDGE = "★☆*＊|｜ \u3000"
_SENTENCE = re.compile(r"[。；;！？!?#＃<>]")  # a sentence, or a page's markup
_ROLES = ("lead", "responsible")


def _header_role(names: list[str]) -> str | None:
    """The role of the one column of bodies of a header that also has a task column."""
    kinds = [column_kind(n) for n in names]
    roles = [k for k in kinds if k in _ROLES]
    if len(roles) != 1 or not any(k in ("content", "name") for k in kinds):
        return None
    return roles[0]


def cell_list_clauses(text: str) -> list[Clause]:
    """Lines of bodies after a header of such a table (see the module docstring)."""
    lines = [ln for ln in cell_lines(text) if not _PIPES.match(ln.text)]
    out: list[Clause] = []
    role = None
    i = 0
    while i < len(lines):
        names = []
        while i + len(names) < len(lines) and column_kind(
                lines[i + len(names)].text.strip(_EDGE)):
            names.append(lines[i + len(names)].text.strip(_EDGE))
        if len(names) >= 2:
            role = _header_role(names) or role
            i += len(names)
            continue
        line = lines[i]
        i += 1
        if role is None or _SENTENCE.search(line.text):
            continue
        lead = len(line.text) - len(line.text.lstrip(_EDGE))
        start, end = line.start + lead, line.start + len(line.text.rstrip(_EDGE))
        if end - start < 2:
            continue
        found = parse_agency_list(text, start, end, role)
        if found and all(is_agency_name(m.surface) for m in found):
            out.append(Clause(Span(start, end), tuple(found), form="table"))
    return out

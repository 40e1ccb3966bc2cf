"""Which sections are tasks ("each numbered measure is a task").

Three generic rules, in this order:

1. a section that holds an assignment clause (the smallest section around a
   ``（责任单位：…）``) is a task — whoever is assigned something is assigned a task;
   its own numbered sub-items are parts of that task, not tasks of their own (unless a
   sub-item carries a clause of its own);
2. elsewhere, the numbered leaves (sections without numbered children) of task-bearing
   parts are tasks. A part's kind comes from its heading and is inherited by what it
   holds: 任务/措施/行动/发展重点… mark task parts, 发展基础/现状/形势/指导思想/
   基本原则/目标… mark background parts (keywords in ``data/task_parts.tsv``; when a
   heading has both, background wins, so 工作目标 is not a task part). Parts whose
   heading has neither are task-bearing too: policy documents put their measures in
   parts named after the measure ("二、激活科技创新核心要素"), and the background parts
   are the ones with stock names;
3. 专栏 boxes are illustrations, not tasks themselves; their numbered items are leaves
   like any other;
4. each row of a task-decomposition table (重点任务分解表, 任务清单; see
   :mod:`extract.assign.tables`) is a task of its own, stated in the section that holds
   the table — even in an attachment, which is otherwise background; an HTML ``<table>``
   kept in a stored page is read by :mod:`extract.assign.htmltables`;
5. a headed sub-measure ("强化组织领导。…" paragraphs inside a task) is a task of its own,
   nested under its task (:mod:`extract.submeasures`).

Label = heading; text = the section's full text.
"""

from __future__ import annotations

import re
from functools import cache

from policykg.extract.assign.clauses import find_clauses
from policykg.extract.assign.prose import prose_mentions
from policykg.extract.assign.rows import table_rows
from policykg.extract.assign.tables import TableRow
from policykg.extract.datafiles import read_tsv
from policykg.extract.model import Section, Span, Task
from policykg.extract.submeasures import find_submeasures


@cache
def part_keywords() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(task-part keywords, background-part keywords)."""
    rows = read_tsv("task_parts.tsv")
    task = tuple(r["keyword"] for r in rows if r["part"] == "task")
    background = tuple(r["keyword"] for r in rows if r["part"] == "background")
    return task, background


def part_kind(heading: str) -> str | None:
    """"background", "task" or None (no keyword) for one heading."""
    task, background = part_keywords()
    if any(k in heading for k in background):
        return "background"
    if any(k in heading for k in task):
        return "task"
    return None


def _assigned_lead_ins(
    text: str, sections: list[Section], children: dict[str, list[Section]]
) -> set[str]:
    """Sections with numbered parts whose own lead-in assigns the whole in prose
    (``第十二条 市商务局会同市财政局对…组织检查，按以下规定处理：（一）…（二）…``): the
    section is the task, as a clause would make it, and its parts are parts of it."""
    out: set[str] = set()
    for s in sections:
        parts = [c for c in children.get(s.key, ()) if c.kind != "column"]
        if s.kind == "column" or not parts:
            continue
        lead_in = Span(s.span.start, min(c.span.start for c in parts))
        if len(lead_in) > 8 and prose_mentions(text, lead_in):
            out.add(s.key)
    return out


def find_tasks(
    text: str, sections: list[Section], rows: list[TableRow] | None = None
) -> list[Task]:
    """Tasks in document order (see the module rules); ``rows``: the document's
    :func:`~.assign.rows.table_rows`, when the caller has read them already."""
    by_key = {s.key: s for s in sections}
    children: dict[str, list[Section]] = {}
    for s in sections:
        if s.parent:
            children.setdefault(s.parent, []).append(s)

    def ancestors(s: Section) -> list[Section]:
        out = []
        while s.parent:
            s = by_key[s.parent]
            out.append(s)
        return out

    # rule 1: sections carrying a clause, or whose lead-in sentence assigns them in prose
    clause_keys: set[str] = set()
    clauses = find_clauses(text)
    for clause in clauses:
        holding = [s for s in sections if s.span.contains(clause.span)]
        if holding:
            smallest = min(holding, key=lambda s: (len(s.span), -s.span.start))
            clause_keys.add(smallest.key)
    clause_keys |= _assigned_lead_ins(text, sections, children)

    def status(s: Section) -> str:
        for node in [s, *ancestors(s)]:
            kind = part_kind(node.heading)
            if kind:
                return kind
        return "neutral"

    task_keys = {k for k in clause_keys if by_key[k].kind != "body"}
    for s in sections:
        if s.key in task_keys or s.kind in ("column", "body"):
            continue
        if any(c.kind != "column" for c in children.get(s.key, ())):
            continue  # not a leaf
        lineage = ancestors(s)
        if any(a.key in clause_keys for a in lineage):
            continue  # a part of a clause-bearing task
        if status(s) == "background":
            continue
        task_keys.add(s.key)

    tasks = [
        Task(key=s.key, label=s.heading, text=text[s.span.start: s.span.end], span=s.span)
        for s in sections
        if s.key in task_keys
    ]
    rows = [Task(key=r.key, label=r.label, text=r.text, span=r.span, section=r.section,
                 row=r.number)
            for r in (table_rows(text, sections) if rows is None else rows)]
    in_rows = [r.span for r in rows]
    closing = [t for s in sections if status(s) != "background"
               for t in _closing_paragraphs(text, s, children.get(s.key, ()), in_rows)]
    clause_spans = [c.span for c in clauses]
    closing += [t for s in sections if s.kind == "body"
                for t in _assigning_paragraphs(text, s, s.span.start, [], clause_spans)]
    nested = sorted(tasks + find_submeasures(text, sections, tasks) + closing,
                    key=lambda t: (t.span.start, -t.span.end))
    return nested + rows


_CLOSING_LABEL = 40


def _closing_paragraphs(text: str, section: Section, parts, in_rows: list[Span]) -> list[Task]:
    """The paragraphs after a part's last numbered item that assign in prose (``…。X要会同
    各有关部门健全协调机制，…``, closing 六、保障措施): no numbered section
    holds them, so each is a task of its own, ``<part>.e<n>`` (its place among the
    paragraphs after the last item), stated in the part."""
    parts = [c for c in parts if c.kind != "column"]
    if section.kind == "column" or not parts:
        return []
    return _assigning_paragraphs(text, section, max(c.span.end for c in parts), in_rows)


def _assigning_paragraphs(text: str, section: Section, start: int, in_rows: list[Span],
                          clauses: list[Span] = ()) -> list[Task]:
    """Tasks of the paragraphs of ``section`` from ``start`` on that assign in prose or
    hold one of ``clauses``, outside table rows; keyed by their place among the
    paragraphs there. A part's closing paragraphs are read so, and so is the whole body of
    a document without numbered parts (``b.e<n>``)."""
    out: list[Task] = []
    n = 0
    while start < section.span.end:
        end = text.find("\n", start, section.span.end)
        end = section.span.end if end < 0 else end
        if text[start:end].strip():
            n += 1
            span = Span(start, end)
            in_row = any(r.start < end and start < r.end for r in in_rows)  # a table's cell
            holds = any(start <= c.start < end for c in clauses)
            if not in_row and (holds or prose_mentions(text, span)):
                body = text[start:end]
                label = re.split(r"[。；;]", body, maxsplit=1)[0][:_CLOSING_LABEL]
                out.append(Task(key=f"{section.key}.e{n}", label=label, text=body, span=span,
                                section=section.key, kind="closing"))
        start = end + 1
    return out

"""Attaching every assignment form to its task.

Order of reading: labelled and unlabelled clauses go to the smallest task whose span
holds them; task-table rows carry their own agency cells; prose sentences count in the
task that holds them (never inside a clause, a table row or a duty part such as
职能分工) and add only what the clauses do not already say; a sentence handing whole
parts to agencies (``X负责…工程、…工程``) reaches every task of those parts; document-level blanket
clauses ("以下工作均需…不再列出") reach every later task (form ``document``,
``inherited``).
"""

from __future__ import annotations

from collections import Counter

from policykg.extract.assign.blankets import (
    all_as_lead,
    find_extensions,
    first_as_lead,
    first_is_lead_from,
    listed_are_lead_from,
    marked_as_lead,
    marked_is_lead_from,
)
from policykg.extract.assign.cells import cell_list_clauses
from policykg.extract.assign.clauses import find_clauses
from policykg.extract.assign.headings import heading_leads
from policykg.extract.assign.prose import part_mentions, prose_cues, prose_mentions, sentence_span
from policykg.extract.assign.rows import table_rows
from policykg.extract.assign.tables import TableRow
from policykg.extract.model import Assignment, Section, Span, Task


def _said(found: list[Assignment], task_key: str) -> set[tuple[str, str]]:
    """(body, role) pairs already assigned to a task: a later form adds only what is new."""
    return {(a.mention.surface, a.mention.role) for a in found if a.task == task_key}


def _row_coworkers(text: str, task: Task, found: list[Assignment]) -> None:
    """Co-workers a table row's own text names (与X共同推进…, 协同X…) beside the row's
    department: only in a row that names a department of its own."""
    own = [a for a in found if a.task == task.key and a.form == "table"]
    if not own:
        return
    have = _said(found, task.key)
    for mention in prose_mentions(text, task.span, in_row=True):
        if (mention.surface, mention.role) in have:
            continue
        have.add((mention.surface, mention.role))
        found.append(Assignment(task.key, mention, sentence_span(text, mention.span), form="prose"))


def _lines_before(text: str, start: int, end: int) -> int:
    """The lines of ``text[start:end]`` other than a person's name (2–3 characters, a space
    maybe between them: a 责任领导 cell)."""
    return sum(1 for line in text[start:end].split("\n")
               if line.strip() and len("".join(line.split())) > 3)


def find_assignments(
    text: str, sections: list[Section], tasks: list[Task], rows: list[TableRow] | None = None
) -> list[Assignment]:
    """Assignments of every form to their tasks (``rows``: the document's
    :func:`~.rows.table_rows`, when the caller has read them already).
    Order: by task position, then clause position, then mention position."""
    ordered = sorted(tasks, key=lambda t: (t.span.start, -t.span.end))
    by_key = {s.key: s for s in sections}
    found: list[Assignment] = []

    def smallest_task(span: Span) -> Task | None:
        holding = [t for t in ordered if t.span.contains(span)]
        return min(holding, key=lambda t: (len(t.span), -t.span.start)) if holding else None

    table = table_rows(text, sections) if rows is None else rows
    with_cells = {row.key for row in table if row.mentions}
    clause_spans: list[Span] = []
    first_leads = first_is_lead_from(text)
    # the note explaining a mark usually stands under the table it explains: it holds
    # wherever it is said
    marked_leads = marked_is_lead_from(text) is not None
    listed_leads = listed_are_lead_from(text)
    for clause in find_clauses(text):
        clause_spans.append(clause.span)
        task = smallest_task(clause.span)
        if task is None:
            continue
        if clause.form == "unlabelled" and task.key in with_cells:
            # a bracket of bodies in a row's content cell is a note: the row names its
            # bodies in cells of their own
            continue
        mentions = clause.mentions
        if marked_leads:
            mentions = marked_as_lead(text, mentions)
        if first_leads is not None and clause.span.end > first_leads:
            mentions = first_as_lead(mentions)
        if listed_leads is not None and clause.span.end > listed_leads:
            mentions = all_as_lead(mentions)
        for mention in mentions:
            found.append(Assignment(task.key, mention, clause.span, form=clause.form))  # type: ignore[arg-type]

    cells = [(smallest_task(c.span), c) for c in cell_list_clauses(text)]
    per_task = Counter(task.key for task, _ in cells if task is not None)
    for task, clause in cells:
        # one cell of bodies per measure, right under its heading (a leader's name may stand
        # between): several, or one further down, are rows of a table no reader read; a
        # measure with bodies of its own, a row or a table the reader read takes none
        if (task is None or per_task[task.key] > 1 or task.row is not None
                or task.key in with_cells or _said(found, task.key)
                or _lines_before(text, task.span.start, clause.span.start) > 1
                or any(c.start < clause.span.end and clause.span.start < c.end
                       for c in clause_spans)
                or any(task.span.contains(row.span) for row in table)):
            continue
        clause_spans.append(clause.span)
        for mention in clause.mentions:
            found.append(Assignment(task.key, mention, clause.span, form="table"))

    task_keys = {t.key for t in ordered}
    for row in table:
        if row.key in task_keys:
            row_mentions = [m for m, _ in row.mentions]
            if marked_leads:
                row_mentions = list(marked_as_lead(text, tuple(row_mentions)))
            if first_leads is not None and row.span.start > first_leads:
                row_mentions = list(first_as_lead(tuple(row_mentions)))
            for mention, (_, cell) in zip(row_mentions, row.mentions, strict=True):
                found.append(Assignment(row.key, mention, cell, form="table"))

    handover_spans: set[Span] = set()
    for section_key, mention, sentence in part_mentions(text, sections):
        handover_spans.add(mention.span)
        part = by_key[section_key]
        for task in ordered:
            if task.span.contains(part.span) or part.span.contains(task.span):
                have = _said(found, task.key)
                if (mention.surface, mention.role) not in have:
                    found.append(Assignment(task.key, mention, sentence, form="prose"))

    _, duty_cues = prose_cues()

    def in_duty_part(task: Task) -> bool:
        node = by_key.get(task.section_key)
        while node is not None:
            if any(cue in node.heading for cue in duty_cues):
                return True
            node = by_key.get(node.parent) if node.parent else None
        return False

    for task in ordered:
        if task.row is not None and not in_duty_part(task):
            _row_coworkers(text, task, found)
        if task.row is not None or in_duty_part(task):
            continue
        have = _said(found, task.key)
        for mention in prose_mentions(text, task.span):
            if mention.span in handover_spans:
                continue
            if any(c.contains(mention.span) for c in clause_spans):
                continue
            if smallest_task(mention.span) is not task:
                continue  # a sub-task's own sentence
            if (mention.surface, mention.role) in have:
                continue
            have.add((mention.surface, mention.role))
            found.append(Assignment(task.key, mention, sentence_span(text, mention.span),
                                    form="prose"))

    # a part headed by its lead (（一）省发改委牵头的工作): every task of the part
    for part, mention, heading in heading_leads(text, sections):
        for task in ordered:
            if not (part.span.contains(task.span) or task.key == part.key):
                continue
            have = _said(found, task.key)
            if (mention.surface, mention.role) not in have:
                found.append(Assignment(task.key, mention, heading, inherited=True,
                                        form="document"))

    # a blanket ("以下分工均需X落实，不再列出") adds X to each division it does not repeat:
    # the later tasks that name their own bodies, not a closing part's measures that name none
    assigned = {a.task for a in found}
    for position, sentence, mentions in find_extensions(text):
        for task in ordered:
            holds = task.span.contains(sentence)
            if not holds and (task.span.start < position or task.key not in assigned
                              or task.kind == "closing"):
                continue  # a part's closing paragraph is no division either
            if holds and smallest_task(sentence) is not task:
                continue
            have = _said(found, task.key)
            for mention in mentions:
                if (mention.surface, mention.role) in have:
                    continue
                found.append(Assignment(task.key, mention, sentence, inherited=True,
                                        form="document"))

    position = {t.key: i for i, t in enumerate(ordered)}
    found.sort(key=lambda a: (position[a.task], a.inherited, a.clause_span.start,
                              a.mention.span.start, a.mention.role))
    return found

"""Headed sub-measures: "强化组织领导。充分发挥…" paragraphs inside a numbered task.

Plans often state a numbered measure ("六、统筹推进规划实施") as a run of paragraphs that
each open with a short heading phrase closed by a full stop ("强化组织领导。…",
"加强宣传推广。…"). Each such paragraph is a measure of its own — another plan of the same
genre numbers the same three measures as three tasks — so it becomes a task nested under
its heading's task (``Task.parent``).

The rule is a form, not a word list:

* only a paragraph *start* that is not a section heading can open a sub-measure;
* the heading phrase is 4–30 characters with no comma, semicolon, colon or stop inside,
  and a body follows its 。 in the same paragraph;
* a task has sub-measures only when at least two of its own paragraphs (those outside its
  numbered sub-sections) are headed, and they are at least half of them: one short first
  sentence ("加快发展量子通信。加强…") is prose, a run of headed paragraphs is a list.

A sub-measure owns its paragraph, like an inline numbered item (see
:mod:`extract.sections`): a plain paragraph after it concerns the whole list. Its key is
its task's key plus a slug of its heading (``6.6.qiang-hua-zu-zhi-ling-dao``), so it
derives from what the measure is, not from its position.
"""

from __future__ import annotations

import re

from policykg.extract.iris import slugify
from policykg.extract.model import Section, Span, Task

_HEADED = re.compile(r"(?P<heading>[^，,；;：:。！？!?\s（(【\[]{4,30})。(?=\S)")
_SLUG_LENGTH = 40
_LEAD_DASHES = "—–-─·•●▪"  # a dash or bullet before the heading ("——核心部件。…") is not part of it


def _paragraphs(text: str, span: Span) -> list[Span]:
    """Non-blank lines of ``text`` inside ``span``, stripped."""
    out: list[Span] = []
    pos = span.start
    for line in text[span.start: span.end].split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(Span(pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


def headed_heading(paragraph: str) -> str | None:
    """The heading phrase of a headed paragraph, or None."""
    m = _HEADED.match(paragraph)
    return m.group("heading").lstrip(_LEAD_DASHES) or None if m else None


def find_submeasures(text: str, sections: list[Section], tasks: list[Task]) -> list[Task]:
    """Sub-measure tasks of ``tasks`` (see the module rules), in document order."""
    heading_starts = {s.span.start for s in sections}
    out: list[Task] = []
    for task in tasks:
        if task.row is not None:
            continue  # a table row is one task
        inner = [s.span for s in sections
                 if task.span.contains(s.span) and s.span != task.span
                 and s.span.start > task.span.start]
        own = [p for p in _paragraphs(text, task.span)
               if p.start != task.span.start and p.start not in heading_starts
               and not any(s.contains(p) for s in inner)]
        headed = [(p, h) for p in own if (h := headed_heading(text[p.start: p.end]))]
        if len(headed) < 2 or 2 * len(headed) < len(own):
            continue
        used: set[str] = set()
        for p, heading in headed:
            base = f"{task.key}.{slugify(heading, _SLUG_LENGTH)}"
            key, n = base, 1
            while key in used:
                n += 1
                key = f"{base}-{n}"
            used.add(key)
            out.append(Task(key=key, label=heading, text=text[p.start: p.end], span=p,
                            section=task.section_key, parent=task.key))
    return out

"""Part headings that name the lead of every task under them.

A task division of a government work report often groups the tasks by their lead
instead of naming it at each task: ``（一）省发展改革委牵头的工作``, ``二、县商务局牵头工作
（6项）``. The heading says whose tasks follow, so each task of the part (the part
itself when it is a task) gets those bodies as lead. The form is ``document`` and the
assignment ``inherited``: the heading names the bodies, not the task's own text. A
heading whose subject is a person (``某某副省长负责的工作``) or no body is no such part.
"""

from __future__ import annotations

import re

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.lists import parse_agency_list
from policykg.extract.model import AgencyMention, Section, Span

# [bodies] 牵头(负责)(的) 工作|任务|事项 [（N项）|：]
_LEAD_HEADING = re.compile(
    r"(?P<bodies>[^，,。；;：:]{2,60}?)牵头(?:负责)?的?(?:工作|任务|事项)"
    r"\s*(?:[（(]\s*共?\s*\d{1,3}\s*项\s*[)）])?\s*[：:]?\s*$"
)


def heading_leads(text: str, sections: list[Section]) -> list[tuple[Section, AgencyMention, Span]]:
    """(part, lead mention, heading span) for every part whose heading names its lead."""
    out: list[tuple[Section, AgencyMention, Span]] = []
    for section in sections:
        heading = section.heading_span  # the ordinal included: the heading's text follows it
        start = text.find(section.heading, heading.start, heading.end) if section.heading else -1
        if start < 0:
            continue
        m = _LEAD_HEADING.fullmatch(text, start, start + len(section.heading))
        if m is None:
            continue
        mentions = parse_agency_list(text, m.start("bodies"), m.end("bodies"), "lead")
        if not mentions or not all(is_agency_name(x.surface) for x in mentions):
            continue
        out.extend((section, x, heading) for x in mentions)
    return out

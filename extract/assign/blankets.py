"""Blanket clauses: one sentence giving every later task to some bodies.

"以下工作均需各县人民政府和高新区管委会具体落实，不再列出" is said once and holds for every
task after it (the assignment step gives them form ``document``); "以下任务责任单位均包括…，
不再列出" says it as a list; "各项任务均需市县政府落实，不再列出", written inside the first
task's clause, holds from there on. A clause that holds such a sentence ends its lists
before it (:func:`blanket_start`): the sentence names no body of that clause.
"""

from __future__ import annotations

import re

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.lists import parse_agency_list
from policykg.extract.model import AgencyMention, Span

_EXTENSION = re.compile(
    r"(?:以下|下列|下述|此后|后续)[^。；;\n]{0,20}?(?:均|都|皆|全部)"
    r"(?:需要|需|须|由|要|应|请)?(?P<who>[^。；;\n，,]+?)"
    r"(?:具体|负责|认真|抓好|共同|组织)*(?:落实|负责|实施|承担|推进)"
)


_EXTENSION_LIST = re.compile(
    r"(?:以下|下列|下述|此后|后续)[^。；;\n]{0,20}?(?:均|都|皆|全部)(?:包括|包含|含|为|涉及)"
    r"(?P<who>[^。；;\n]+?)[，,]\s*(?:不再|不一一|不另)"
)
"""The same said as a list of the bodies every later clause includes:
"以下任务责任单位均包括各市人民政府、各县人民政府，不再列出"."""

_EXTENSION_ALL = re.compile(
    r"(?:各项|所有|全部)[^。；;\n，,]{0,10}?(?:任务|工作|措施|政策)(?:均|都|皆)"
    r"(?:需要|需|须|由|要|应|请)?(?P<who>[^。；;\n，,]+?)"
    r"(?:具体|负责|认真|抓好|共同|组织)*(?:落实|负责|实施|承担|推进)[，,]\s*(?:不再|不一一|不另)"
)
"""Every task, said with 各项/所有: only with 不再列出 after it, which makes it a blanket
("各项任务均需市县政府落实，不再列出"), not an exhortation about some tasks."""

_PATTERNS = (_EXTENSION, _EXTENSION_LIST, _EXTENSION_ALL)


def find_extensions(text: str) -> list[tuple[int, Span, list[AgencyMention]]]:
    """Document-level sentences giving every later task to some bodies:
    "以下工作均需各县人民政府和高新区管委会具体落实，不再列出".

    Returns (position from which the sentence applies, sentence span, mentions)."""
    out = []
    matches = sorted((m for p in _PATTERNS for m in p.finditer(text)), key=lambda m: m.start())
    for m in matches:
        found = parse_agency_list(text, m.start("who"), m.end("who"), "responsible")
        if found and all(is_agency_name(x.surface) for x in found):
            out.append((m.start(), Span(m.start(), m.end()), found))
    return out


def blanket_start(text: str, start: int, end: int) -> int | None:
    """Where a blanket sentence starts inside ``text[start:end]`` (a clause body), if one
    does."""
    found = [m.start() for p in _PATTERNS if (m := p.search(text, start, end))]
    return min(found) if found else None

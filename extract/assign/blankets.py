"""Blanket clauses: one sentence giving every later task to some bodies.

"以下工作均需各县人民政府和高新区管委会具体落实，不再列出" is said once and holds for every
task after it (the assignment step gives them form ``document``); "以下任务责任单位均包括…，
不再列出" says it as a list; "各项工作均需各区县政府具体落实，不再一一列出", written
inside the first task's clause, holds from there on. A clause that holds such a sentence
ends its lists before it (:func:`blanket_start`): the sentence names no body of that
clause.

A convention said once is read the same way: "排在首位的为牵头部门" makes the first body
of every clause from there on its lead (:func:`first_is_lead_from`), "所列部门为主要牵头单位"
every body listed (:func:`listed_are_lead_from`), "带*的为牵头单位" every body marked so
(:func:`marked_is_lead_from`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.lists import MARKS, parse_agency_list
from policykg.extract.model import AgencyMention, Span

_EXTENSION = re.compile(
    r"(?:以下|下列|下述|此后|后续)[^。；;\n]{0,20}?(?:均|都|皆|全部)"
    r"(?:需要|需|须|由|要|应|请)?(?P<who>[^。；;\n，,]+?)"
    r"(?:(?:比照|参照|对照)[^。；;\n，,]{1,12}?)?"  # 各县区参照市级对口部门负责: how, not who
    r"(?:按属地|属地)?(?:分别)?"  # 各市政府按属地分别负责: how, not who
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
("各项工作均需各区县政府具体落实，不再一一列出"), not an exhortation about some tasks."""

_IS_LEAD = r"(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:或[\u4e00-\u9fff]{1,4}?)?(?:单位|部门)"
"""…的为牵头单位, …为牵头或汇总部门: the end every lead convention shares."""

_FIRST_IS_LEAD = re.compile(r"(?:列|排|位)(?:在|于)?(?:第一位|首位|第一个|最前)" + _IS_LEAD)
"""The convention that the first body a clause lists leads: 排在首位的为牵头部门（，下同）,
排在首位的为牵头或汇总部门."""

_LISTED_ARE_LEAD = re.compile(
    r"(?:所|以上|上述)列(?:出)?(?:的)?(?:部门|单位)(?:均)?(?:为|是)(?:主要)?牵头(?:单位|部门)")
"""The convention that every body a clause lists leads: 所列部门为主要牵头单位（，下同）."""

_MARKED_IS_LEAD = re.compile(
    r"(?:带|标|标注|标有|加|打|注有|有)?(?:“|\")?[*＊※★☆](?:”|\")?号?" + _IS_LEAD)
"""The convention that a marked body leads: 带*的为牵头单位, 标注“★”的为牵头部门."""

_BLANKETS = (_EXTENSION, _EXTENSION_LIST, _EXTENSION_ALL)
# a blanket or a convention ends a clause's lists
_LIST_ENDS = (*_BLANKETS, _FIRST_IS_LEAD, _LISTED_ARE_LEAD)


def find_extensions(text: str) -> list[tuple[int, Span, list[AgencyMention]]]:
    """Document-level sentences giving every later task to some bodies:
    "以下工作均需各县人民政府和高新区管委会具体落实，不再列出".

    Returns (position from which the sentence applies, sentence span, mentions)."""
    out = []
    matches = sorted((m for p in _BLANKETS for m in p.finditer(text)), key=lambda m: m.start())
    for m in matches:
        found = parse_agency_list(text, m.start("who"), m.end("who"), "responsible")
        if found and all(is_agency_name(x.surface) for x in found):
            out.append((m.start(), Span(m.start(), m.end()), found))
    return out


def blanket_start(text: str, start: int, end: int) -> int | None:
    """Where a blanket sentence (or the first-is-lead convention) starts inside
    ``text[start:end]`` (a clause body), if one does: the clause's lists end there."""
    found = [m.start() for p in _LIST_ENDS if (m := p.search(text, start, end))]
    return min(found) if found else None


def first_is_lead_from(text: str) -> int | None:
    """Where the document says its clauses list their lead first, if it does."""
    m = _FIRST_IS_LEAD.search(text)
    return m.start() if m else None


def listed_are_lead_from(text: str) -> int | None:
    """Where the document says the bodies its clauses list are their leads, if it does."""
    m = _LISTED_ARE_LEAD.search(text)
    return m.start() if m else None


def all_as_lead(mentions: tuple[AgencyMention, ...]) -> tuple[AgencyMention, ...]:
    """A clause's mentions all as leads, when it names no lead of its own."""
    if any(m.role == "lead" for m in mentions):
        return mentions
    return tuple(replace(m, role="lead") for m in mentions)


def marked_is_lead_from(text: str) -> int | None:
    """Where the document says a mark (``*``) beside a body makes it the lead, if it does."""
    m = _MARKED_IS_LEAD.search(text)
    return m.start() if m else None


def marked_as_lead(text: str, mentions: tuple[AgencyMention, ...]) -> tuple[AgencyMention, ...]:
    """A clause's mentions with every body marked beside its name (``市商务局*``) as lead."""
    def marked(m: AgencyMention) -> bool:
        return (m.span.end < len(text) and text[m.span.end] in MARKS) or (
            m.span.start > 0 and text[m.span.start - 1] in MARKS)
    return tuple(replace(m, role="lead") if marked(m) else m for m in mentions)


def first_as_lead(mentions: tuple[AgencyMention, ...]) -> tuple[AgencyMention, ...]:
    """A clause's mentions with its first body as the lead, when it names no lead of its
    own (a clause that labels its lead says so itself)."""
    if not mentions or any(m.role == "lead" for m in mentions):
        return mentions
    first = min(mentions, key=lambda m: m.span.start)
    return tuple(replace(m, role="lead") if m is first else m for m in mentions)

"""Assignments said in prose: ``由X牵头，Y配合``, ``由X会同Y``, ``由X与Y落实`` ….

The sentence patterns live in ``data/assignments_prose.tsv``: each is a regular
expression (with the cue words every match of it holds, so that a text without them is not
scanned) whose ``{list}`` stands for an agency list (names may carry a bracketed
note, ``街镇（园区）``) and whose named groups ``lead`` / ``responsible`` give the roles.
A match counts only when every body it names is an agency or a collective
(``extract.agencies.is_agency_name``): ``由市级分管领导负责`` and ``由相应的管养单位负责``
assign nothing. Cues in ``data/assignments_prose_cues.tsv`` keep three look-alikes out:
a leading group's member list (``…牵头，…等部门为成员的工作专班``), the standing
duties of a 职能分工 part, and ``X负责统筹`` said of a coordinating body (领导小组,
联席会议 …).

Several ``S由X牵头`` in one sentence split the work: each lead keeps its share ``S`` as
its scope note (``光电子信息产业日常工作由市经信局牵头，生命健康产业…由市发改委牵头``).
"""

from __future__ import annotations

import re
from functools import cache

from policykg.extract.agencies import is_agency_name
from policykg.extract.assign.lists import parse_agency_list
from policykg.extract.datafiles import read_tsv
from policykg.extract.model import AgencyMention, Section, Span
from policykg.extract.sections import marker_end

_LIST = r"(?:[^，。；;,：:\n由（()）<>]|[（(][^）)\n]{1,10}[）)]){2,60}?"
# a list of many bodies before 牵头 (a notice naming fifteen 厅/委/办), still inside one clause
_LONG_LIST = _LIST.replace("{2,60}?", "{2,240}?")
_SENTENCE_END = "。；;\n"
_PERMISSION = ("可", "可以")  # X会同Y可结合实际…: a permission assigns nothing
# ``{opener}``: a clause of time or condition before the subject (``方案实施期间，X会同Y…``,
# ``…超出调控能力时，X会同Y…``); it names no one, so the subject still opens the sentence
_OPENER = r"(?:[^，,。；;：:\n]{2,40}?(?:期间|时|后|过程中)[，,])?"
_SCOPE_TRIM = ("日常工作", "工作", "方面", "的")


@cache
def _next_words() -> str:
    """``{next}``: what may follow the list of bodies a clause opens with (a verb, a modal,
    an adverbial of time or manner: ``X会同Y在…前``, ``X会同Y、Z每年开展…``), from
    ``data/assignments_prose_next.tsv``. The list is lazy, so it ends at the first of them."""
    words = sorted((r["word"] for r in read_tsv("assignments_prose_next.tsv", ("word", "note"))),
                   key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in words)


@cache
def prose_patterns() -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """(name, pattern, cues): a pattern is tried only on a text holding one of its cues,
    words every match of it contains (由, 牵头, 会同 …), which most task texts lack."""
    rows = read_tsv("assignments_prose.tsv", ("name", "pattern", "cues", "note"))
    return tuple((r["name"], re.compile(r["pattern"].replace("{list}", _LIST)
                                         .replace("{longlist}", _LONG_LIST)
                                         .replace("{opener}", _OPENER)
                                         .replace("{next}", _next_words())),
                  tuple(c for c in r["cues"].split("|") if c)) for r in rows)


@cache
def prose_cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(cues that a sentence is a member list, headings of duty parts)."""
    rows = _cue_rows()
    members = tuple(r["cue"] for r in rows if r["kind"] == "not-assignment")
    duties = tuple(r["cue"] for r in rows if r["kind"] == "no-task-part")
    return members, duties


@cache
def _cue_rows() -> list[dict[str, str]]:
    return read_tsv("assignments_prose_cues.tsv", ("cue", "kind", "note"))


@cache
def coordinating_bodies() -> tuple[str, ...]:
    """Bodies whose ``X负责`` is coordination, not a task (领导小组负责统筹), and their
    offices (领导小组办公室会同各成员单位研究…)."""
    return tuple(r["cue"] for r in _cue_rows() if r["kind"] == "not-subject")


def sentence_span(text: str, span: Span) -> Span:
    start = span.start
    while start > 0 and text[start - 1] not in _SENTENCE_END:
        start -= 1
    end = span.end
    while end < len(text) and text[end] not in _SENTENCE_END:
        end += 1
    return Span(start, min(len(text), end + 1) if end < len(text) and text[end] != "\n" else end)


SUBJECT_FORMS = frozenset({"subject_responsible", "subject_liable", "lead_role",
                           "lead_with_bare", "lead_with_named", "lead_then_duty",
                           "point_subject", "subject_lead", "subject_assist",
                           "subject_is_liable", "item_subject", "lead_coordinates_with",
                           "subject_by_duty", "lead_consults"})
"""Patterns whose body is the sentence's subject (no 由): said of a coordinating body
(领导小组办公室会同各成员单位研究…, 领导小组负责统筹) they describe coordination, not a task."""

ITEM_PREFIX = "item_"
"""Patterns named ``item_…`` read a body that opens an enumerated point (``（二）X通过…``):
they count only right after an item marker, never at the start of an ordinary paragraph."""

ROW_PREFIX = "row_"
"""Patterns named ``row_…`` name co-workers inside a table row (与X共同推进, 协同X, 配合X…):
they have no subject of their own, the row's department is it, so they are read only in a
row that names its department, and never in ordinary prose."""


def prose_mentions(text: str, span: Span, *, in_row: bool = False) -> list[AgencyMention]:
    """Every prose assignment inside ``text[span]``, in text order, one per body and role;
    ``in_row``: the co-worker patterns of a table row instead of the prose patterns."""
    members, _ = prose_cues()
    chunk = _unmarked(text[span.start: span.end])
    out: dict[tuple[int, int, str], AgencyMention] = {}
    leads_by_sentence: dict[Span, list[tuple[int, list[AgencyMention]]]] = {}
    for name, pattern, cues in prose_patterns():
        if name.startswith(ROW_PREFIX) != in_row:
            continue
        if cues and not any(cue in chunk for cue in cues):
            continue
        for m in pattern.finditer(chunk):
            if name.startswith(ITEM_PREFIX) and not _after_marker(text, span.start + m.start()):
                continue
            groups = [(g, role) for g, role in (("lead", "lead"), ("responsible", "responsible"))
                      if g in pattern.groupindex and m.group(g)]
            found: list[tuple[str, list[AgencyMention]]] = []
            for g, role in groups:
                s, e = span.start + m.start(g), span.start + m.end(g)
                mentions = parse_agency_list(text, s, e, role)  # type: ignore[arg-type]
                if not mentions or not all(is_agency_name(x.surface) for x in mentions):
                    if g == "responsible" and found and found[0][0] == "lead" \
                            and not text[s:e].endswith(_PERMISSION):
                        break  # X会同属地供电企业…: X still leads; the partners are no bodies
                    found = []
                    break
                if name in SUBJECT_FORMS and any(
                        cue in x.surface for x in mentions for cue in coordinating_bodies()):
                    found = []
                    break
                found.append((g, mentions))
            if not found:
                continue
            sentence = sentence_span(text, Span(span.start + m.start(), span.start + m.end()))
            after = text[span.start + m.end(): sentence.end]
            if any(cue in after for cue in members):
                # a working group's member list: its members are no assignees, but the
                # bodies that lead it (由X、Y牵头，Z…为成员的专班) lead the task of setting it up
                found = [(g, ms) for g, ms in found if g == "lead"]
                if not found:
                    continue
            for g, mentions in found:
                if name == "lead_by" and g == "lead":
                    at = span.start + m.start()
                    leads_by_sentence.setdefault(sentence, []).append((at, mentions))
                for x in mentions:
                    out.setdefault((x.span.start, x.span.end, x.role), x)
    for sentence, leads in leads_by_sentence.items():
        if len(leads) < 2:
            continue
        previous = sentence.start
        for at, mentions in sorted(leads, key=lambda p: p[0]):
            scope = _share(text, previous, at)
            previous = mentions[-1].span.end
            for x in mentions:
                key = (x.span.start, x.span.end, x.role)
                if scope and out[key].scope is None:
                    out[key] = AgencyMention(x.surface, x.span, x.role, scope)
    return [out[k] for k in sorted(out)]


def _after_marker(text: str, at: int) -> bool:
    """Whether ``at`` follows a paragraph's bracketed numbering marker (``（二）``, which
    :func:`_unmarked` blanks): the line runs from its start to ``at`` through the marker
    alone. Articles (第五条) are not points of a procedure."""
    line_start = text.rfind("\n", 0, at) + 1
    return (at > line_start and text[line_start] in "（("
            and marker_end(text[line_start:at + 1]) == at - line_start)


def _unmarked(chunk: str) -> str:
    """``chunk`` with the numbering marker of each paragraph start (第五条, 一、,
    （三）, 2.) blanked to line breaks of the same length, so that a sentence whose
    subject follows the marker (``第五条市发展改革委负责…``) starts after it, and
    offsets stay those of the text."""
    out = []
    for line in chunk.splitlines(keepends=True):
        k = marker_end(line)
        if k:
            line = "\n" * k + line[k:]
        out.append(line)
    return "".join(out)


def _share(text: str, start: int, at: int) -> str | None:
    """The part of the work named before ``由`` (after the last comma)."""
    piece = text[start:at]
    for sep in "，,":
        piece = piece.rsplit(sep, 1)[-1]
    piece = piece.lstrip("牵头，,、 ")
    changed = True
    while changed:
        changed = False
        for tail in _SCOPE_TRIM:
            if piece.endswith(tail) and len(piece) > len(tail):
                piece, changed = piece[: -len(tail)], True
    return piece.strip() or None


# ---------------------------------------------------------------- parts handed to agencies

_HANDOVER = re.compile(
    rf"(?:^|(?<=[。；;：:\n]))(?P<who>{_LIST})负责(?P<parts>[^。；;\n]{{4,200}})"
)
_PART_SEP = re.compile(r"[、，,]|以及|和|及")
_PART_TRIM = "“”\"《》 \u3000"


def part_mentions(text: str, sections: list[Section]) -> list[tuple[str, AgencyMention, Span]]:
    """A sentence handing whole parts of the plan to agencies — ``市经信局负责智能制造
    提升工程、绿色低碳改造工程；市科技局负责…`` — as (section key, mention, sentence
    span) for every section whose heading a part names. Every part of the list must name
    a heading, or the sentence is an ordinary ``X负责…`` and left to the prose patterns."""
    by_heading: dict[str, list[Section]] = {}
    for s in sections:
        by_heading.setdefault(s.heading.strip(_PART_TRIM + "。."), []).append(s)
    out: list[tuple[str, AgencyMention, Span]] = []
    for m in _HANDOVER.finditer(text):
        parts_text = m.group("parts").split("的", 1)[0]
        parts = [p.strip(_PART_TRIM) for p in _PART_SEP.split(parts_text)]
        parts = [p for p in parts if p]
        if not parts:
            continue
        targets: list[Section] = []
        for part in parts:
            hits = by_heading.get(part)
            if not hits:
                break
            targets.extend(hits)
        else:
            mentions = parse_agency_list(text, m.start("who"), m.end("who"), "responsible")
            if not mentions or not all(is_agency_name(x.surface) for x in mentions):
                continue
            sentence = Span(m.start(), m.end())
            for section in targets:
                for x in mentions:
                    out.append((section.key, x, sentence))
    return out

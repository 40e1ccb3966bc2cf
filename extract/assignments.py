"""Who is given which task: assignment clauses and the agencies they name.

Chinese plans say who does a measure in a bracketed clause after it::

    （牵头单位：市经信局；责任单位：市发改委、市科技局，江汉区、硚口区人民政府）

and sometimes inline ("…日常工作由市经信局牵头") or once for the rest of the document
("以下工作均需各区人民政府具体落实，不再列出"). This module finds those clauses and turns
each named body into an :class:`AgencyMention` — a surface string with its span and role;
resolving a surface to a canonical agency is :mod:`extract.agencies`' job.

List rules, all generic:

* items are separated by ``、，,；;`` and by 和/及 when the left side is already a
  complete body name ("各区人民政府和葛店经开区…"; never inside "市经济和信息化局");
* a trailing 等 is dropped;
* a *comma group* is a run of items joined by 、 (groups are separated by ``，,；;``);
  within a group, items without an organisational suffix take the shareable suffix of
  the group's last item: "江汉区、硚口区人民政府" → 江汉区人民政府, 硚口区人民政府.
  Suffixes live in ``data/assignments_suffixes.tsv``; role labels (牵头单位, 责任部门,
  配合单位 …) in ``data/assignments_roles.tsv``;
* a scope note 〈…〉 (or （…）) after an item belongs to that item; a note after the last
  item of a comma group also applies to the group's items that have no note of their own
  ("市经济和信息化局、市发展改革委〈新能源与新材料产业〉": both bodies share that
  industry — the 、 list reads as one joint assignment, while a comma starts a new one).

A lead is not repeated as responsible here: one mention, one role; the graph writer
gives a lead both properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.datafiles import read_tsv
from extract.model import AgencyMention, Assignment, Role, Section, Span, Task

_OPEN = "（("
_CLOSE = "）)"
_NOTE_OPEN = "〈<（("
_NOTE_CLOSE = "〉>）)"
_GROUP_SEP = "，,；;"
_ITEM_SEP = "、"
_CONJUNCTIONS = ("以及", "和", "及", "与")


@cache
def role_labels() -> dict[str, Role]:
    """Clause label → role, longest label first (so 牵头单位 wins over 牵头)."""
    rows = read_tsv("assignments_roles.tsv")
    labels = {r["label"]: r["role"] for r in rows}
    return dict(sorted(labels.items(), key=lambda kv: (-len(kv[0]), kv[0])))  # type: ignore


@cache
def org_suffixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(all organisational suffixes, the shareable ones), longest first."""
    rows = read_tsv("assignments_suffixes.tsv")
    every = tuple(sorted({r["suffix"] for r in rows}, key=lambda s: (-len(s), s)))
    shared = tuple(s for s in every if any(r["suffix"] == s and r["shared"] == "1" for r in rows))
    return every, shared


def has_org_suffix(name: str) -> bool:
    return name.endswith(org_suffixes()[0])


@cache
def _label_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label) for label in role_labels())
    return re.compile(rf"(?P<label>{alternatives})\s*[：:]")


@dataclass(frozen=True)
class Clause:
    """One assignment clause: its span (brackets included) and the mentions it names."""

    span: Span
    mentions: tuple[AgencyMention, ...]


# ---------------------------------------------------------------- clause finding


def find_clauses(text: str) -> list[Clause]:
    """Every explicit 牵头单位/责任单位 clause, bracketed or opening a paragraph."""
    clauses: list[Clause] = []
    label_re = _label_pattern()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            j = i + 1
            while j < len(text) and text[j] in " \u3000":
                j += 1
            m = label_re.match(text, j)
            if m:
                end = _matching_close(text, i)
                if end is not None:
                    clauses.append(Clause(Span(i, end + 1), _parse_body(text, j, end)))
                    i = end + 1
                    continue
        elif ch == "\n" or i == 0:
            j = i + 1 if ch == "\n" else i
            while j < len(text) and text[j] in " \u3000\t":
                j += 1
            m = label_re.match(text, j)
            if m:
                end = text.find("\n", j)
                end = len(text) if end < 0 else end
                body_end = end
                while body_end > j and text[body_end - 1] in "。. \u3000":
                    body_end -= 1
                clauses.append(Clause(Span(j, end), _parse_body(text, j, body_end)))
                i = end
                continue
        i += 1
    return clauses


def _matching_close(text: str, open_at: int) -> int | None:
    depth = 0
    for k in range(open_at, min(len(text), open_at + 2000)):
        c = text[k]
        if c == "\n":
            return None
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth == 0:
                return k
    return None


def _parse_body(text: str, start: int, end: int) -> tuple[AgencyMention, ...]:
    """Mentions of a clause body ``牵头单位：…；责任单位：…``; text after the first
    full stop (a document-level sentence) is not part of the lists."""
    stop = _top_level_find(text, "。", start, end)
    if stop is not None:
        end = stop
    labels = list(_label_pattern().finditer(text, start, end))
    mentions: list[AgencyMention] = []
    for k, m in enumerate(labels):
        role = role_labels()[m.group("label")]
        list_end = labels[k + 1].start() if k + 1 < len(labels) else end
        mentions.extend(parse_agency_list(text, m.end(), list_end, role))
    return tuple(mentions)


def _top_level_find(text: str, char: str, start: int, end: int) -> int | None:
    depth = 0
    for k in range(start, end):
        c = text[k]
        if c in _NOTE_OPEN:
            depth += 1
        elif c in _NOTE_CLOSE:
            depth = max(0, depth - 1)
        elif c == char and depth == 0:
            return k
    return None


# ---------------------------------------------------------------- list parsing


@dataclass
class _Item:
    start: int
    end: int  # of the name, note excluded
    name: str
    scope: str | None


def parse_agency_list(text: str, start: int, end: int, role: Role) -> list[AgencyMention]:
    """Mentions of an agency list ``text[start:end]`` (see the module rules)."""
    mentions: list[AgencyMention] = []
    for group in _split_groups(text, start, end):
        items = [it for it in (_clean(text, s, e) for s, e in group) if it is not None]
        if not items:
            continue
        last = items[-1]
        shared = next((s for s in org_suffixes()[1] if last.name.endswith(s)), None)
        group_scope = last.scope
        for it in items:
            surface = it.name
            if shared and it is not last and not has_org_suffix(it.name):
                surface = it.name + shared
            scope = it.scope if it.scope is not None else group_scope
            mentions.append(AgencyMention(surface, Span(it.start, it.end), role, scope))
    return mentions


def _split_groups(text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Comma groups of item ranges; 、 splits items, 和/及 after a complete name too."""
    groups: list[list[tuple[int, int]]] = [[]]
    depth = 0
    item_start = start
    k = start
    while k < end:
        c = text[k]
        if c in _NOTE_OPEN:
            depth += 1
        elif c in _NOTE_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and (c in _GROUP_SEP or c == _ITEM_SEP):
            groups[-1].append((item_start, k))
            if c in _GROUP_SEP:
                groups.append([])
            item_start = k + 1
        elif depth == 0:
            conj = next((w for w in _CONJUNCTIONS if text.startswith(w, k)), None)
            if conj and has_org_suffix(_strip_note(text[item_start:k]).strip()):
                # "各区人民政府和葛店经开区…": a new group starts after the conjunction
                groups[-1].append((item_start, k))
                groups.append([])
                item_start = k + len(conj)
                k += len(conj)
                continue
        k += 1
    groups[-1].append((item_start, end))
    return [g for g in groups if g]


def _strip_note(s: str) -> str:
    return re.sub(r"[〈<（(][^〉>）)]*[〉>）)]\s*$", "", s)


def _clean(text: str, start: int, end: int) -> _Item | None:
    """One item: name span without spaces, trailing 等 and its scope note."""
    while start < end and text[start] in " \u3000\t":
        start += 1
    while end > start and text[end - 1] in " \u3000\t。.":
        end -= 1
    scope = None
    if end > start and text[end - 1] in _NOTE_CLOSE:
        depth = 0
        k = end - 1
        while k >= start:
            if text[k] in _NOTE_CLOSE:
                depth += 1
            elif text[k] in _NOTE_OPEN:
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if k > start:
            scope = text[k + 1: end - 1].strip() or None
            end = k
    while end > start and text[end - 1] in " \u3000\t":
        end -= 1
    for tail in ("等单位", "等部门", "等"):
        if text[start:end].endswith(tail) and end - len(tail) > start:
            end -= len(tail)
            break
    name = text[start:end]
    if len(name) < 2:
        return None
    return _Item(start, end, name, scope)


# ---------------------------------------------------------------- inline and extensions

_INLINE_LEAD = re.compile(r"由(?P<who>[^，。；;,：:（(）)\n由]{2,60}?)(?:牵头|负总责)")
_INLINE_RESPONSIBLE = re.compile(r"由(?P<who>[^，。；;,：:（(）)\n由]{2,60}?)负责")
_PAIR = re.compile(
    r"(?:^|(?<=[。；;，,：:\n]))(?P<lead>[^，。；;,：:（(）)\n]{2,60}?)牵头[，,、]\s*"
    r"(?P<resp>[^，。；;,：:（(）)\n]{2,80}?)(?:等)?(?:部门|单位)?(?:配合|参与|协同|协助)"
)
_EXTENSION = re.compile(
    r"(?:以下|下列|下述|此后|后续)[^。；;\n]{0,20}?(?:均|都|皆|全部)"
    r"(?:需要|需|须|由|要|应|请)?(?P<who>[^。；;\n，,]+?)"
    r"(?:具体|负责|认真|抓好|共同|组织)*(?:落实|负责|实施|承担|推进)"
)


def _inline_mentions(text: str, span: Span) -> list[AgencyMention]:
    """由X牵头 / 由X负责 / X牵头，Y配合 inside one task's own text."""
    out: list[AgencyMention] = []
    chunk = text[span.start: span.end]
    for pattern, role in ((_INLINE_LEAD, "lead"), (_INLINE_RESPONSIBLE, "responsible")):
        for m in pattern.finditer(chunk):
            s, e = span.start + m.start("who"), span.start + m.end("who")
            found = parse_agency_list(text, s, e, role)  # type: ignore[arg-type]
            if found and all(has_org_suffix(x.surface) for x in found):
                out.extend(found)
    for m in _PAIR.finditer(chunk):
        for group, role in (("lead", "lead"), ("resp", "responsible")):
            s, e = span.start + m.start(group), span.start + m.end(group)
            found = parse_agency_list(text, s, e, role)  # type: ignore[arg-type]
            if found and all(has_org_suffix(x.surface) for x in found):
                out.extend(found)
    return out


def find_extensions(text: str) -> list[tuple[int, Span, list[AgencyMention]]]:
    """Document-level sentences giving every later task to some bodies:
    "以下工作均需各区人民政府和葛店经开区、临空经济区管委会具体落实，不再列出".

    Returns (position from which the sentence applies, sentence span, mentions)."""
    out = []
    for m in _EXTENSION.finditer(text):
        found = parse_agency_list(text, m.start("who"), m.end("who"), "responsible")
        if found and all(has_org_suffix(x.surface) for x in found):
            out.append((m.start(), Span(m.start(), m.end()), found))
    return out


# ---------------------------------------------------------------- attaching to tasks


def find_assignments(text: str, sections: list[Section], tasks: list[Task]) -> list[Assignment]:
    """Assignments of every clause to the smallest task whose span holds it, then inline
    leads, then document-level extensions (marked ``inherited``) to the tasks after them.
    Order: by task position, then clause position, then mention position."""
    del sections  # the tasks already carry the spans that matter
    ordered = sorted(tasks, key=lambda t: (t.span.start, -t.span.end))
    found: list[Assignment] = []

    def smallest_task(span: Span) -> Task | None:
        holding = [t for t in ordered if t.span.contains(span)]
        return min(holding, key=lambda t: (len(t.span), -t.span.start)) if holding else None

    clause_spans: list[Span] = []
    for clause in find_clauses(text):
        clause_spans.append(clause.span)
        task = smallest_task(clause.span)
        if task is None:
            continue
        for mention in clause.mentions:
            found.append(Assignment(task.key, mention, clause.span))

    for task in ordered:
        for mention in _inline_mentions(text, task.span):
            if any(c.contains(mention.span) for c in clause_spans):
                continue
            if smallest_task(mention.span) is not task:
                continue  # a sub-task's own inline lead
            sentence = _sentence_span(text, mention.span)
            found.append(Assignment(task.key, mention, sentence))

    for position, sentence, mentions in find_extensions(text):
        for task in ordered:
            holds = task.span.contains(sentence)
            if not holds and task.span.start < position:
                continue
            if holds and smallest_task(sentence) is not task:
                continue
            have = {(a.mention.surface, a.mention.role) for a in found if a.task == task.key}
            for mention in mentions:
                if (mention.surface, mention.role) in have:
                    continue
                found.append(Assignment(task.key, mention, sentence, inherited=True))

    position = {t.key: i for i, t in enumerate(ordered)}
    found.sort(key=lambda a: (position[a.task], a.inherited, a.clause_span.start,
                              a.mention.span.start, a.mention.role))
    return found


def _sentence_span(text: str, span: Span) -> Span:
    start = span.start
    while start > 0 and text[start - 1] not in "。；;\n":
        start -= 1
    end = span.end
    while end < len(text) and text[end] not in "。；;\n":
        end += 1
    return Span(start, min(len(text), end + 1) if end < len(text) and text[end] != "\n" else end)

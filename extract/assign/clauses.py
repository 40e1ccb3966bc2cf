"""Assignment clauses: the ``（牵头单位：…；责任单位：…）`` after a measure, and its kin.

Forms, all generic:

* a bracket that opens with a role label (``（责任单位：…）``, half-width ``(`` too) —
  form ``clause``;
* a paragraph that opens with a role label (``责任单位：市经信局``) — form ``clause``;
* a label standing unbracketed at the end of an item, after its last sentence
  (``…推进。牵头单位：X，配合单位：Y、Z``): its lists end where the next item number or
  heading begins, since crawled text often runs the two together
  (``责任单位：市商务局3.加快…``) — form ``clause``;
* either of the two bracketed forms with its closing bracket lost at the end of a line
  (a page's truncated ``（X、Y按职责分工负责``) — form ``clause``;
* a bracket after a sentence whose every part is a list closed by a role verb,
  ``（X牵头，Y、Z配合）``, ``（X、Y牵头）``, ``（X牵头，Y按职责分工负责）`` (verbs in
  ``data/assignments_bracket_verbs.tsv``), wherever the paragraph goes on — form ``clause``;
* an *unlabelled* bracket closing a paragraph, ``（各街镇、区商务委、区文旅局）`` (or
  ``〔…〕``, and a note in brackets may follow it),
  when every item of it is an agency or a collective (``extract.agencies.is_agency_name``);
  one item that is not (a 文号, a scope note, ``2024—2026年``) makes it something else —
  form ``unlabelled``, role responsible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from policykg.extract.agencies import is_agency_name, rejects_name
from policykg.extract.assign.blankets import blanket_start
from policykg.extract.assign.lists import (
    CLOSE,
    OPEN,
    has_org_suffix,
    label_pattern,
    label_role,
    parse_agency_list,
    top_level_find,
)
from policykg.extract.brackets import closes_first
from policykg.extract.datafiles import read_tsv
from policykg.extract.doctext import DOC_NUMBER, FULLWIDTH_DIGITS
from policykg.extract.model import AgencyMention, Span

# where an unbracketed clause's lists stop: the next item number or heading
_NEXT_ITEM = re.compile(
    r"\d{1,3}\s*[.．、](?!\d)|[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]"
    r"|第[一二三四五六七八九十\d]{1,3}[章节条]"
)


@dataclass(frozen=True)
class Clause:
    """One assignment clause: its span (brackets included), the mentions it names and
    its form (``clause`` or ``unlabelled``)."""

    span: Span
    mentions: tuple[AgencyMention, ...]
    form: str = "clause"


_LABEL_BRACKETS = {"【": "】", "〔": "〕", "［": "］", "[": "]"}
"""Brackets a labelled clause is also written in (``【责任单位：…】``); only a role label
right inside makes one a clause, so a 文号's 〔2024〕 or a link's [ … ] never is."""

_CANDIDATE = re.compile(
    "[" + re.escape("".join(sorted({*OPEN, *_LABEL_BRACKETS, "\n", *"。；;"}))) + "]")
"""Where a clause may start (an opening bracket, a line, a sentence): the scan below jumps
from one to the next instead of stepping over every character in Python."""

_ANY_LABEL = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,8})\s*[：:]")
"""Any field label inside a clause (完成时限：, 牵头领导：): it ends the list before it."""
_BRACKET_FIELD = re.compile(r"[【［\[][\u4e00-\u9fff]{2,8}[】］\]]")
"""A field label in brackets (【完成时限】): it ends the list before it, wherever it stands."""
_SEPARATORS = "；;，,、 \u3000"
_TIME_ITEM = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|年底|年内|月底|前完成|长期|持续推进|时限")
"""A time limit written into a clause (``2024年底前完成``, ``长期坚持``): not a body."""


def find_clauses(text: str) -> list[Clause]:
    """Every clause of the forms above, in text order.

    Three steps ask it of the same text (sections, tasks, assignments); it is a pure
    function of the text, so the answer for the last few texts is kept.
    """
    return list(_clauses(text))


@lru_cache(maxsize=4)
def _clauses(text: str) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    label_re = label_pattern()
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in OPEN:
            j = i + 1
            while j < n and text[j] in " \u3000":
                j += 1
            end = _matching_close(text, i)
            if end is not None and label_re.match(text, j):
                clauses.append(Clause(Span(i, end + 1), _parse_body(text, j, end)))
                i = end + 1
                continue
            first_role = _role_after_fields(text, j, end) if end is not None else None
            if first_role is not None:
                clauses.append(Clause(Span(i, end + 1), _parse_body(text, first_role, end)))
                i = end + 1
                continue
            if end is not None:
                found = _verb_bracket(text, i, end) or _unlabelled(text, i, end)
                if found is not None:
                    clauses.append(found)
                    i = end + 1
                    continue
            else:
                found = _unclosed(text, i, j, label_re)
                if found is not None:
                    clauses.append(found)
                    i = found.span.end
                    continue
        elif ch in _LABEL_BRACKETS:
            j = i + 1
            while j < n and text[j] in " \u3000":
                j += 1
            line_end = text.find("\n", i)
            close = text.find(_LABEL_BRACKETS[ch], i, n if line_end < 0 else line_end)
            if close > 0 and label_re.match(text, j):
                clauses.append(Clause(Span(i, close + 1), _parse_body(text, j, close)))
                i = close + 1
                continue
            found = None
            if close > 0 and ch == "〔":
                found = _verb_bracket(text, i, close) or _unlabelled(text, i, close)
            if found is not None:  # 〔A、B〕 or 〔A牵头，B配合〕 closing a paragraph, as （…） do
                clauses.append(found)
                i = close + 1
                continue
        elif ch == "\n" or i == 0:
            j = i + 1 if ch == "\n" else i
            while j < n and text[j] in " \u3000\t":
                j += 1
            if label_re.match(text, j):
                end = text.find("\n", j)
                end = n if end < 0 else end
                body_end = end
                while body_end > j and text[body_end - 1] in "。. \u3000":
                    body_end -= 1
                clauses.append(Clause(Span(j, end), _parse_body(text, j, body_end)))
                i = end
                continue
        elif ch in "。；;" and i + 1 < n:
            j = i + 1
            while j < n and text[j] in " \u3000":
                j += 1
            if label_re.match(text, j):
                found = _unbracketed(text, j)
                if found is not None:
                    clauses.append(found)
                    i = found.span.end
                    continue
        m = _CANDIDATE.search(text, i + 1)  # nothing starts between here and there
        i = m.start() if m else n
    return tuple(clauses)


_UNCLOSED_MAX = 300


def _unclosed(text: str, open_at: int, body: int, label_re: re.Pattern[str]) -> Clause | None:
    """A clause whose closing bracket the page lost: it runs to the end of the line
    (``…。（X、Y等按职责分工负责`` and a line break), with no bracket after it."""
    line_end = text.find("\n", open_at)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - open_at > _UNCLOSED_MAX:
        return None
    rest = text[open_at + 1 : line_end]
    if any(c in OPEN or c in CLOSE for c in rest) or _closed_below(text, line_end):
        return None
    end = line_end
    while end > body and text[end - 1] in "。. \u3000":
        end -= 1
    if label_re.match(text, body):
        return Clause(Span(open_at, line_end), _parse_body(text, body, end))
    found = _verb_bracket(text, open_at, end)
    if found is None:
        return None
    return Clause(Span(open_at, line_end), found.mentions)


def _closed_below(text: str, line_end: int) -> bool:
    """Whether the next line closes the bracket (``…市环`` / ``保局）``): a line broken
    inside the clause, whose names run on, not a bracket the page lost."""
    nxt = text.find("\n", line_end + 1)
    return closes_first(text[line_end + 1 : len(text) if nxt < 0 else nxt], OPEN, CLOSE)


def _matching_close(text: str, open_at: int) -> int | None:
    depth = 0
    for k in range(open_at, min(len(text), open_at + 2000)):
        c = text[k]
        if c == "\n":
            return None
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth -= 1
            if depth == 0:
                return k
    return None


def _parse_body(text: str, start: int, end: int) -> tuple[AgencyMention, ...]:
    """Mentions of a clause body ``牵头单位：…；责任单位：…``; text after the first
    full stop (a document-level sentence) is not part of the lists."""
    stop = top_level_find(text, "。", start, end)
    if stop is not None:
        end = stop
    blanket = blanket_start(text, start, end)  # …；各项任务均需X落实，不再列出
    if blanket is not None:
        end = blanket
        while end > start and text[end - 1] in "（(〔【[":
            end -= 1  # …、X（排在首位的为牵头部门）: the bracket holds the convention
    labels = list(label_pattern().finditer(text, start, end))
    fields = [m.start() for m in _ANY_LABEL.finditer(text, start, end)
              if m.start() > start and text[m.start() - 1] in _SEPARATORS]
    fields += [m.start() for m in _BRACKET_FIELD.finditer(text, start, end)]
    mentions: list[AgencyMention] = []
    for k, m in enumerate(labels):
        role = label_role(m)
        list_end = labels[k + 1].start() if k + 1 < len(labels) else end
        list_end = min([list_end, *(f for f in fields if m.end() < f < list_end)])
        list_start, list_end = _unwrapped(text, m.end(), list_end)
        # 责任单位：X、Y分别牵头: the list closed by a lead verb leads, whatever the label
        closing = _LEAD_CLOSING.search(text, list_start, list_end)
        if closing is not None and closing.end() == len(text[:list_end].rstrip(" \u3000")):
            role, list_end = "lead", closing.start()
        # a label vouches for its list, but not for a note after it (``，下同``): an
        # item the word lists rule out and that ends in no body's suffix
        mentions.extend(x for x in parse_agency_list(text, list_start, list_end, role)
                        if not _TIME_ITEM.search(x.surface)
                        and not (rejects_name(x.surface) and not has_org_suffix(x.surface)))
    return tuple(mentions)


_LEAD_CLOSING = re.compile(r"(?:分别|共同|联合)牵头")
"""The end of a labelled list whose bodies each lead (``责任单位：X、Y分别牵头``)."""


def _unwrapped(text: str, start: int, end: int) -> tuple[int, int]:
    """A list wrapped in brackets of its own after its label (``责任单位：〔X、Y〕``): the
    list inside them."""
    while start < end and text[start] in " \u3000":
        start += 1
    stop = end
    while stop > start and text[stop - 1] in " \u3000。":
        stop -= 1
    closer = _LABEL_BRACKETS.get(text[start]) if start < stop else None
    if closer and text[stop - 1] == closer and text.count(closer, start, stop) == 1:
        return start + 1, stop - 1
    return start, end


def _role_after_fields(text: str, start: int, end: int) -> int | None:
    """``（牵头领导：某某；牵头单位：X）``: a bracket that opens with another field label
    and has a role label after a separator; where the role label starts."""
    if not _ANY_LABEL.match(text, start):
        return None
    for m in label_pattern().finditer(text, start, end):
        if m.start() > start and text[m.start() - 1] in _SEPARATORS:
            return m.start()
    return None


def _unbracketed(text: str, start: int) -> Clause | None:
    """``牵头单位：X，配合单位：Y`` after an item's last sentence, up to the line end,
    a full stop or the next item number / heading run into it."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    stop = top_level_find(text, "。", start, line_end)
    end = line_end if stop is None else stop
    nxt = _NEXT_ITEM.search(text, start, end)
    if nxt is not None:
        end = nxt.start()
    mentions = []
    for m in _parse_body(text, start, end):
        if not is_agency_name(m.surface):
            break  # the list ran into a sentence
        mentions.append(m)
    if not mentions:
        return None
    return Clause(Span(start, max(m.span.end for m in mentions)), tuple(mentions))


def _past_notes(text: str, at: int) -> int:
    """Where the paragraph goes on after ``at``: past full stops, spaces and any bracket
    that follows (``〔A、B〕〔以下分工均涉及…，不再列出〕``: the second is a note of its own)."""
    while at < len(text):
        while at < len(text) and text[at] in "。.； \u3000":
            at += 1
        closer = _LABEL_BRACKETS.get(text[at]) if at < len(text) else None
        if at < len(text) and text[at] in OPEN:
            closer = CLOSE[OPEN.index(text[at])]
        if closer is None:
            return at
        line_end = text.find("\n", at)
        close = text.find(closer, at, len(text) if line_end < 0 else line_end)
        if close < 0:
            return at
        at = close + 1
    return at


def _unlabelled(text: str, open_at: int, close_at: int) -> Clause | None:
    """A bracket that closes its paragraph and lists only agencies."""
    after = _past_notes(text, close_at + 1)
    if after < len(text) and text[after] != "\n":
        return None
    line_start = text.rfind("\n", 0, open_at) + 1
    before = text[line_start:open_at].rstrip(" \u3000")
    if before and before[-1] not in "。；;，,！":
        return None  # a bracket right after a name or word is an alias or a note
    end = _notes_after_list(text, open_at + 1, close_at)
    mentions = [m for m in parse_agency_list(text, open_at + 1, end, "responsible")
                if not _time_limit_after(text, m, end)]
    if not mentions or not all(is_agency_name(m.surface) for m in mentions):
        return None
    return Clause(Span(open_at, close_at + 1), tuple(mentions), "unlabelled")


def _time_limit_after(text: str, mention: AgencyMention, end: int) -> bool:
    """``（X、Y，2025年底前）``: a time limit after the bodies, set off by a comma and
    running to the end of the list, is when, not who."""
    k = mention.span.start
    while k > 0 and text[k - 1] in " \u3000":
        k -= 1
    return (k > 0 and text[k - 1] in "，,；;" and bool(_TIME_ITEM.search(mention.surface))
            and not any(c in text[mention.span.end:end] for c in "，,、；;"))


_NOTE_SENTENCE = re.compile(r"\s*(?:按照|依照|按|依|根据)(?:各自)?(?:职责|职能)")


def _notes_after_list(text: str, start: int, end: int) -> int:
    """Where the list of an unlabelled bracket ends: at a full stop followed only by
    notes on how the bodies work or on the convention (``（X、Y。按职能分工负责。所列部门
    为主要牵头单位，下同）``), else at the bracket's end."""
    stop = top_level_find(text, "。", start, end)
    if stop is None:
        return end
    rest = stop + 1
    if _NOTE_SENTENCE.match(text, rest, end) or blanket_start(text, rest, end) == rest:
        return stop
    return end


@cache
def _bracket_verbs() -> tuple[tuple[str, str], ...]:
    """(verb, role), longest verb first, so 按职责分工负责 wins over 负责."""
    rows = read_tsv("assignments_bracket_verbs.tsv")
    return tuple(sorted(((r["verb"], r["role"]) for r in rows), key=lambda vr: -len(vr[0])))


def _closes_paragraph(text: str, close_at: int) -> bool:
    """Whether the bracket closing at ``close_at`` ends its paragraph (a full stop and notes
    may follow): ``3.推进审批改革（X负责，Y配合）`` written without a full stop before it."""
    after = _past_notes(text, close_at + 1)
    return after >= len(text) or text[after] == "\n"


def _closes_sentence(text: str, close_at: int) -> bool:
    """Whether the bracket ends its paragraph or its sentence (``…政策体系（X负责，Y牵头）。
    在某领域…``): a measure's bracket of roles, not a note inside the sentence."""
    after = close_at + 1
    while after < len(text) and text[after] in " \u3000":
        after += 1
    return _closes_paragraph(text, close_at) or text[after:after + 1] in ("。", "；", ";")


def _several_parts(text: str, open_at: int, close_at: int) -> bool:
    """Whether a bracket holds more than one part (``X负责，Y配合，…前完成``)."""
    return any(top_level_find(text, sep, open_at + 1, close_at) is not None for sep in "，,；;")


def _after_sentence(text: str, open_at: int) -> bool:
    """After a sentence, a clause or a label's colon (``（责任单位：〔X…负责〕``, its round
    bracket lost), not right after a word."""
    line_start = text.rfind("\n", 0, open_at) + 1
    before = text[line_start:open_at].rstrip(" \u3000*")
    return not before or before[-1] in "。；;，,！：:"


def _verb_break(text: str, start: int, end: int) -> int:
    """Where a part ends at a ``、`` right after a role verb: ``（X牵头、Y配合）`` is two
    parts, as ``（X牵头，Y配合）`` is."""
    k = top_level_find(text, "、", start, end)
    while k is not None:
        if any(text[start:k].endswith(v) for v, _ in _bracket_verbs()):
            return k
        k = top_level_find(text, "、", k + 1, end)
    return end


_BODY_HEADS = ("处室", "单位", "部门", "机构")


def _described_body(surface: str) -> bool:
    """An item the grammar does not read as a name but that describes bodies
    (``涉及清单调整的相关处室``): the clause stands, the item gives no agency."""
    return len(surface) <= 24 and surface.endswith(_BODY_HEADS)


_UNKNOWN_BODY = re.compile(r"[\u4e00-\u9fff]{2,8}")
_PERSON = re.compile(r"(?:省长|市长|县长|区长|秘书长|领导|同志|书记)$")


def _is_person(surface: str) -> bool:
    """A leader named by office (分管副县长, 常务副市长, 牵头领导), not a body."""
    return _PERSON.search(surface) is not None and not is_agency_name(surface)


def _bodies(found: list[AgencyMention]) -> list[AgencyMention]:
    """The items of a list closed by a role verb that are bodies, in order: the names the
    grammar knows, and one short name it does not (a company's abbreviation, ``某州资管``)
    among at least three it does; two unknown ones make the list something else."""
    known = [is_agency_name(m.surface) for m in found]
    unknown = [m for m, k in zip(found, known, strict=True) if not k]
    extra = (len(unknown) == 1 and len(found) - 1 >= 3
             and _UNKNOWN_BODY.fullmatch(unknown[0].surface) is not None
             and not _described_body(unknown[0].surface)
             and not rejects_name(unknown[0].surface))
    return [m for m, k in zip(found, known, strict=True) if k or extra]


def _verb_bracket(text: str, open_at: int, close_at: int) -> Clause | None:
    """``（X牵头，Y、Z配合）`` after a sentence: every part a list of agencies closed by a
    role verb; anything after the first full stop inside is another sentence.

    A part without a verb takes the verb of the next part (``（A、B市政府，C、D牵头）``:
    all four lead), and a leading 文号 names the measure's source, not a body
    (``（某政发〔2021〕9号，X、Y负责）``). An item that only describes bodies
    (:func:`_described_body`) is passed over; any other item that is not a name makes
    the bracket something else."""
    if not _after_sentence(text, open_at) and not (
            _closes_sentence(text, close_at) and _several_parts(text, open_at, close_at)):
        return None  # right after a word, one part (建设工作（X牵头）) is a note
    end = top_level_find(text, "。", open_at + 1, close_at) or close_at
    # （X、Y负责，排在首位的为牵头部门，下同）: a convention after the lists ends them
    end = min(end, blanket_start(text, open_at + 1, end) or end)
    mentions: list[AgencyMention] = []
    pending: list[tuple[int, int]] = []
    start = open_at + 1
    first = True
    while start < end:
        part_end = min((k for k in (top_level_find(text, sep, start, end) for sep in "，；;,")
                        if k is not None), default=end)
        part_end = _verb_break(text, start, part_end)
        part = text[start:part_end].rstrip(" \u3000")
        if first and DOC_NUMBER.fullmatch(part.strip().translate(FULLWIDTH_DIGITS)):
            first = False
            start = part_end + 1
            continue
        first = False
        verb = next(((v, role) for v, role in _bracket_verbs() if part.endswith(v)), None)
        if verb is None:
            pending.append((start, start + len(part)))
            start = part_end + 1
            continue
        if len(part) == len(verb[0]):
            return None
        for s, e in [*pending, (start, start + len(part) - len(verb[0]))]:
            found = parse_agency_list(text, s, e, verb[1])
            if found and all(_is_person(m.surface) for m in found):
                continue  # 分管副县长负责: the leader answering, no body
            named = _bodies(found)
            if not named or any(not _described_body(m.surface) for m in found
                                if m not in named):
                return None
            mentions.extend(named)
        pending = []
        start = part_end + 1
    if any(not _TIME_ITEM.search(text[s:e]) for s, e in pending):
        return None  # a part after the last verb that is not a time limit
    if not mentions:
        return None
    return Clause(Span(open_at, close_at + 1), tuple(mentions))

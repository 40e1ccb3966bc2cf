"""The section tree of a policy document: 第X章 / 第X条 / 一、/ （一）/ 1. / ① and 专栏 boxes.

Chinese policy documents number their divisions with a small, fixed family of markers,
but a given document uses only some of them (a municipal opinion starts at 一、, a
provincial plan at 第一章), so nesting is decided by the markers actually met: a marker
style already open on the stack closes back to that level, an unseen style opens a
deeper level below the nearest open style of a lower canonical rank.

Only a paragraph *start* can be a heading, which keeps decimals ("1.5万亿元"), dates and
enumerations inside a sentence out of the tree. Tables of contents (a 目录 block, page
numbers after dot leaders, or a run of bare headings that all recur later) are skipped.

Span rules (what text a section owns):

* a section whose heading stands alone on its line runs to the next heading of the same
  or a shallower level;
* an item whose heading and body share one paragraph ("1.芯片设计。围绕…") owns that
  paragraph (and its own sub-items); plain paragraphs after it belong to its nearest
  stand-alone ancestor — the closing "在重点产业布局上…" paragraph and the assignment
  clause after a list of inline items concern the whole list, not its last item. One
  exception: a stand-alone assignment clause *between* an inline item and its next
  sibling belongs to that item (it cannot be about the whole list);
* a 专栏 box is a child of the nearest stand-alone section; it closes at a heading that
  continues the numbering outside the box.

Keys are dotted paths of ASCII ordinals ("4.2.1"); boxes are "c3" and their items
"c3.1". A repeated key (numbering restarting under one parent) gets "-2", "-3", … so
keys stay unique and follow document order.

Kinds follow depth, not marker style (the brief of the graph: a document that starts at
一、 has 一、 as its top level): depth 1 "chapter", 2 "part", 3 "subpart", 4 "item",
5 and deeper "subitem"; boxes are "column".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.extract.datafiles import read_tsv
from policykg.extract.model import Section, Span

_CN = "[一二三四五六七八九十百零〇两]+"
_NUM = rf"(?:{_CN}|\d{{1,3}})"

# (style, canonical rank, pattern); the pattern's group "n" is the number.
_MARKERS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("volume", 0, re.compile(rf"第\s*(?P<n>{_NUM})\s*(?:部分|编|篇)")),
    ("chapter", 1, re.compile(rf"第\s*(?P<n>{_NUM})\s*章")),
    ("section", 2, re.compile(rf"第\s*(?P<n>{_NUM})\s*节")),
    # 第一条 of rules and measures (办法, 条例): an article, inside its 章, holding （一）
    ("article", 3, re.compile(rf"第\s*(?P<n>{_NUM})\s*条(?![件款例])")),
    ("part", 4, re.compile(rf"(?P<n>{_CN})\s*[、．]")),
    ("subpart", 5, re.compile(rf"[（(]\s*(?P<n>{_CN})\s*[）)]")),
    # "1." "1、" "1．"; not a decimal ("1.5万亿元"), but "1.3D打印" / "4.5G…" are items, and so
    # is a heading that opens with a number ("11.121人才梯队项目"): digits then no unit
    # (a Markdown crawl may leave emphasis stars around the stop: "1*．*heading")
    ("item", 6, re.compile(r"(?P<n>\d{1,3})\s*(?:[、]|\*?[.．]\*?(?!\d)|[.．](?=\d+[A-Za-z])"
                           r"|[.．](?=\d+[^\d\s.．,，%‰万亿千百十元倍个家年月日号项条名次吨米度A-Za-z]))")),
    ("subitem", 7, re.compile(r"[（(]\s*(?P<n>\d{1,2})\s*[）)]")),
    ("circled", 8, re.compile(r"(?P<n>[①-⑳])")),
)
# A bullet a web page puts before an item's number (◈6. / ● （一）), data/list_bullets.tsv.
_BULLETS = re.compile(
    "[{}][ \u3000]*".format("".join(re.escape(r["bullet"]) for r in read_tsv("list_bullets.tsv")))
)
_COLUMN = re.compile(rf"专栏\s*(?P<n>{_NUM})?\s*[:：]?\s*")

_KINDS = ("chapter", "part", "subpart", "item", "subitem")

# a heading and its body share a paragraph when a full stop (or colon) follows closely
_INLINE_SEP = re.compile(r"[。：:]|</(?:b|strong|h[1-6])\s*>")
# A stored web page may open a paragraph with an emphasis tag (``<b>一、各地自查</b>正文``):
# the tag is markup, the heading starts after it and ends at the closing tag.
_LEAD_TAGS = re.compile(r"(?:<(?:b|strong|h[1-6])\b[^<>]{0,80}>\s*)+")
_MAX_INLINE_HEADING = 40  # characters before the separator
_MAX_HEADING_LINE = 60  # a longer paragraph without a full stop is body, cut to a label
_TOC_PAGE = re.compile(r"(?:\.{2,}|…+|·{2,}|\t|\s{2,}|\s)\s*[（(]?\d{1,3}[）)]?\s*$")
_TOC_TITLE = re.compile(r"^目\s*[录次]$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> int:
    """Value of a numeral as written in a marker: "十二" → 12, "二十" → 20, "3" → 3, "③" → 3."""
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


@dataclass
class _Heading:
    """A paragraph recognised as a heading, before it is placed in the tree."""

    style: str  # marker style or "column"
    rank: int
    ordinal: int | None
    label: str  # marker as written, without spaces
    heading: str
    start: int  # marker start
    heading_end: int
    para_end: int
    inline: bool
    variant: str  # the marker's punctuation ("、", ".", "（"), to tell lists apart
    compact: str  # paragraph without spaces and final stop, for TOC comparison


@dataclass
class _Node:
    h: _Heading
    parent: _Node | None
    key: str = ""
    end: int = 0
    children: list[_Node] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 1 + (self.parent.depth if self.parent else 0)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, leading/trailing spaces excluded."""
    out = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            tags = _LEAD_TAGS.match(stripped)
            if tags and tags.end() < len(stripped):
                lead, stripped = lead + tags.end(), stripped[tags.end():]
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


def marker_end(para: str) -> int:
    """Length of the numbering marker opening ``para`` (a bullet, then 第五条 / 一、 /
    （三）/ 2. / ① / 专栏, and the spaces after it), 0 when it opens with none. The one
    marker grammar of the section tree, for steps that read a paragraph after its number."""
    m = _COLUMN.match(para)
    if m is None:
        bullet = _BULLETS.match(para)
        lead = bullet.end() if bullet else 0
        m = next((found for _, _, pattern in _MARKERS if (found := pattern.match(para, lead))),
                 None)
    if m is None:
        return 0
    k = m.end()
    while k < len(para) and para[k] in " \u3000":
        k += 1
    return k


def _match_heading(text: str, start: int, end: int) -> _Heading | None:
    para = text[start:end]
    m = _COLUMN.match(para)
    if m:
        style, rank, number = "column", -1, m.group("n")
        ordinal = cn_number(number) if number else None
    else:
        bullet = _BULLETS.match(para)
        lead = bullet.end() if bullet else 0
        for style, rank, pattern in _MARKERS:  # noqa: B007 (used after the loop)
            m = pattern.match(para, lead)
            if m:
                ordinal = cn_number(m.group("n"))
                break
        else:
            return None
    rest_offset = m.end()
    while rest_offset < len(para) and para[rest_offset].isspace():
        rest_offset += 1
    rest = para[rest_offset:]
    if not rest and style != "column":
        return None  # a bare number on its own line is not a heading
    label = re.sub(r"\s+", "", m.group(0))
    variant = _variant(style, label)
    compact = re.sub(r"\s+", "", para).rstrip("。")
    sep = _INLINE_SEP.search(rest)
    if sep and sep.start() <= _MAX_INLINE_HEADING and sep.start() > 0:
        heading = rest[: sep.start()]
        body = rest[sep.end():].strip()
        inline = bool(body)
        heading_end = start + rest_offset + len(heading.rstrip())
    elif len(rest) <= _MAX_HEADING_LINE and "。" not in rest:
        heading = rest.rstrip("；;，,")
        inline = False
        heading_end = start + rest_offset + len(heading.rstrip())
    else:
        cut = re.search(r"[。；;]", rest)
        heading = rest[: cut.start()] if cut else rest
        heading = heading[:_MAX_HEADING_LINE]
        inline = True
        heading_end = start + rest_offset + len(heading.rstrip())
    return _Heading(style, rank, ordinal, label, heading.strip(), start, heading_end, end,
                    inline, variant, compact)


def _variant(style: str, label: str) -> str:
    if style in ("item", "part"):
        return label[-1]
    if style in ("subpart", "subitem"):
        return label[0]
    return ""


def _is_toc_line(h: _Heading, text: str) -> bool:
    para = text[h.start: h.para_end]
    return not h.inline and bool(_TOC_PAGE.search(para)) and bool(
        re.search(r"\d\s*[）)]?\s*$", para)
    ) and bool(re.search(r"\.{2,}|…|·{2,}|\t|[（(]\d{1,3}[）)]\s*$", para))


def _drop_toc(text: str, paragraphs: list[tuple[int, int]],
              headings: list[_Heading | None]) -> list[_Heading | None]:
    """Headings with table-of-contents entries replaced by None."""
    out = list(headings)
    # 1. page numbers after dot leaders / tabs
    for i, h in enumerate(out):
        if h is not None and _is_toc_line(h, text):
            out[i] = None
    # 2. a 目录 title followed by bare heading lines
    for i, (s, e) in enumerate(paragraphs):
        if _TOC_TITLE.match(re.sub(r"\s+", "", text[s:e])):
            j = i + 1
            while j < len(paragraphs) and headings[j] is not None and not headings[j].inline:
                out[j] = None
                j += 1
    # 3. runs of >= 3 bare headings, most of which recur later as paragraphs
    later: dict[str, int] = {}
    for i, h in enumerate(headings):
        if h is not None:
            later[h.compact] = i  # last index of each compact form
    i = 0
    while i < len(out):
        if out[i] is None or out[i].inline:
            i += 1
            continue
        j = i
        while j < len(out) and out[j] is not None and not out[j].inline:
            j += 1
        run = range(i, j)
        if len(run) >= 3:
            recurring = sum(1 for k in run if later.get(out[k].compact, k) > k)
            if recurring * 2 >= len(run):
                for k in run:
                    out[k] = None
        i = max(j, i + 1)
    return out


def parse_sections(text: str) -> list[Section]:
    """The section tree of a normalized document, in document order."""
    paragraphs = _paragraphs(text)
    raw = [_match_heading(text, s, e) for s, e in paragraphs]
    headings = [h for h in _drop_toc(text, paragraphs, raw) if h is not None]

    nodes: list[_Node] = []
    stack: list[_Node] = []
    columns_seen = 0
    for h in headings:
        if h.style == "column":
            while stack and (stack[-1].h.inline or stack[-1].h.style == "column"):
                stack.pop()
            columns_seen += 1
            if h.ordinal is None:
                h.ordinal = columns_seen
            node = _Node(h, stack[-1] if stack else None)
        else:
            _close_columns(stack, h)
            while stack and stack[-1].h.style != "column" and stack[-1].h.rank >= h.rank:
                stack.pop()
            parent = stack[-1] if stack else None
            siblings = parent.children if parent else [n for n in nodes if n.parent is None]
            if siblings and _repeats(siblings[-1].h, h):
                continue  # a running header repeating the open section's heading
            node = _Node(h, parent)
        if node.parent:
            node.parent.children.append(node)
        nodes.append(node)
        stack.append(node)

    _assign_keys(nodes)
    _assign_ends(nodes, text)
    return [
        Section(
            key=n.key,
            kind="column" if n.h.style == "column" else _KINDS[min(n.depth, len(_KINDS)) - 1],
            ordinal=n.h.ordinal or 0,
            ordinal_label=n.h.label,
            heading=n.h.heading,
            span=Span(n.h.start, n.end),
            heading_span=Span(n.h.start, max(n.h.start, n.h.heading_end)),
            parent=n.parent.key if n.parent else None,
            depth=n.depth,
        )
        for n in nodes
    ]


def _repeats(previous: _Heading, h: _Heading) -> bool:
    return (previous.style == h.style and previous.ordinal == h.ordinal
            and previous.heading == h.heading and not h.inline)


def _close_columns(stack: list[_Node], h: _Heading) -> None:
    """Pop the innermost open 专栏 box if ``h`` continues the numbering outside it."""
    while True:
        ci = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].h.style == "column"), None)
        if ci is None:
            return
        column = stack[ci]
        outer = stack[:ci]
        inner_children = [c for c in column.children]
        close = any(n.h.rank == h.rank for n in outer)
        if not close and inner_children and h.rank < min(c.h.rank for c in inner_children):
            close = True
        if not close and column.parent is not None:
            outside = [c for c in column.parent.children
                       if c.h.style != "column" and c.h.rank == h.rank]
            inside = [c for c in inner_children if c.h.rank == h.rank]
            continues_outside = bool(outside) and outside[-1].h.ordinal == (h.ordinal or 0) - 1
            continues_inside = bool(inside) and inside[-1].h.ordinal == (h.ordinal or 0) - 1
            if continues_outside and not continues_inside:
                close = True
            elif continues_outside and continues_inside:
                # a tie: the marker's punctuation decides, else stay in the box
                close = (h.variant == outside[-1].h.variant != inside[-1].h.variant)
        if not close:
            return
        del stack[ci:]


def _assign_keys(nodes: list[_Node]) -> None:
    used: set[str] = set()
    for n in nodes:
        if n.h.style == "column":
            base = f"c{n.h.ordinal}"
        else:
            base = f"{n.parent.key}.{n.h.ordinal}" if n.parent else str(n.h.ordinal)
        key, k = base, 1
        while key in used:
            k += 1
            key = f"{base}-{k}"
        used.add(key)
        n.key = key


def _assign_ends(nodes: list[_Node], text: str) -> None:
    """Stand-alone headings run to the next non-descendant heading; inline items own
    their paragraph plus their sub-items — and an assignment clause standing between
    the item and its next sibling, which can only be about that item."""
    from policykg.extract.assign.clauses import find_clauses  # clause syntax lives there

    doc_end = len(text.rstrip())
    clause_paragraphs = [c.span for c in find_clauses(text)
                         if c.span.start == 0 or text[c.span.start - 1] == "\n"]
    for i in range(len(nodes) - 1, -1, -1):
        n = nodes[i]
        j = i + 1
        while j < len(nodes) and _is_descendant(nodes[j], n):
            j += 1
        if n.h.inline:
            n.end = max([n.h.para_end] + [c.end for c in n.children])
            if j < len(nodes) and nodes[j].parent is n.parent:
                between = [c for c in clause_paragraphs
                           if n.end <= c.start and c.end <= nodes[j].h.start]
                if between:
                    n.end = between[-1].end
            continue
        if j < len(nodes):
            n.end = len(text[: nodes[j].h.start].rstrip())
        else:
            n.end = doc_end
        n.end = max(n.end, n.h.para_end)


def _is_descendant(node: _Node, ancestor: _Node) -> bool:
    p = node.parent
    while p is not None:
        if p is ancestor:
            return True
        p = p.parent
    return False


BODY_KEY = "b"
"""The key of the one section of a document that has no numbered parts at all."""


def body_section(text: str, sections: list[Section]) -> list[Section]:
    """The whole text as one section (kind ``body``, key ``b``) when no part, item or table
    of it is numbered: a short notice or a report of a division plan states its tasks in
    paragraphs (``完善某机制，由某局、某委等分工负责。``), and each paragraph that assigns
    becomes a task of this section (:func:`extract.tasks.find_tasks`)."""
    if sections or not text.strip():
        return []
    whole = Span(0, len(text))  # no heading of its own: its provenance is the text
    return [Section(BODY_KEY, "body", 1, "", "正文", whole, whole, None, 1)]

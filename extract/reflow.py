"""Paragraph breaks restored in a flattened document, from its numbering.

Crawlers of public archives often write a whole document on one line: paragraphs,
headings (第X章, 一、, （一）, 1., （1）, 专栏N) and table cells run together, and every
rule downstream that reads "a paragraph start" finds nothing. The numbering itself
tells where the divisions were, provided a number is taken for a heading only where
the *sequence* makes it one: after （二） comes （三）, so a （3） inside a sentence is
not a heading; ``2024年``, ``1.5亿元``, ``第3条`` never are.

The engine keeps a stack of open numbering styles, as :mod:`extract.sections` does
for the tree. A candidate marker is accepted

* as the next sibling of an open style (``（三）`` after ``（二）``) at any boundary,
  which also splits ``…（责任单位：市商务局）3.加快…`` and ``责任单位：市商务局3.加快…``;
* as the first of a new, deeper style (``1.`` after ``（一）…``) only at a strong
  boundary (the line start or whitespace) or right after a short heading-like stretch;
* as a restart of an open style at 1 (a table of contents followed by the body) only
  at a strong boundary or, for the outermost style, after a heading-like stretch.

Where whitespace survives in the flattened text (a crawler joining lines with a
space), it marks more: the end of a short stand-alone heading, a paragraph end after
a full stop, the end of the opening block (title, 文号, date). Runs of table header
cells (data/table_headers.tsv) become one cell per line, and a flattened crawler
header (``---``, ``key: value``, ``>`` notes, ``# title``) one item per line.

Everything here returns *positions*: where a new line starts in a string. The
normalizer splits its line there; no character is invented or lost, so offsets stay
exact. The scan is linear: every candidate is a bounded ``match`` at one position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.sections import _COLUMN, _MARKERS, cn_number

# A document whose lines average this many characters or more has lost its breaks.
FLATTENED_CHARS_PER_LINE = 400
# Styles whose first number opens a division at any boundary (see _accept).
_OPENERS = frozenset({"chapter", "article"})
# A heading-like stretch: at most this long, no sentence punctuation.
_MAX_HEADING = 60

_CN_DIGIT = "一二三四五六七八九十百零〇两"
# characters a marker can start with
_STARTS = frozenset("第（(专" + _CN_DIGIT + "0123456789")
_SENTENCE_END = frozenset("。！？；!?;")
_CLOSERS = frozenset("）)】」』”")
_HEADING_STOP = re.compile(r"[。！？；!?;：:]")
_SPACE = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(r"[（(]\d{1,3}[）)]|\d{1,3}(?:\s|$)")  # a TOC entry's page
_ANY_LABEL = re.compile(r"\s([\u4e00-\u9fffA-Za-z_]{1,12})\s*[:：](?!//)")
_SHORT_BRACKET = re.compile(r"[（(][^（()）]{0,4}[）)]$")
_TOC_BEFORE = re.compile(r"目\s*[录次]\s*$")
_TOC_MARK = re.compile(r"目\s*[录次](?=\s*(?:第|[（(]?[一二三四五六七八九十]))")
_TOC_ENTRY = re.compile(
    r"([^。；;：:]{1,40}?)(?=\s*(?:[.．…·]{2,}|[（(]\d{1,3}[）)]|\d{1,3}(?!\d)(?:\s|$|第|[一二三四五六七八九十（(])"
    r"|第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|$))"
)
_TOC_PAGE = re.compile(r"\s*[.．…·]{2,}\s*(?:[（(]?\d{1,3}[）)]?)?|\s*[（(]\d{1,3}[）)]")
_SPACED_HEADING = re.compile(r"[^\s。！？；!?;：:]{0,60}\s")
_CONTINUES = frozenset("和与及、的等之")
_FULL_STOP_SPACE = re.compile(r"(?<=[。！？；!?;）)])\s+(?=\S)")


@dataclass
class _Level:
    style: str
    rank: int
    last: int


@dataclass
class NumberingState:
    """The open numbering styles, carried from one line of a document to the next."""

    stack: list[_Level] = field(default_factory=list)
    columns: int = 0
    closed: dict[str, int] = field(default_factory=dict)  # last ordinal of closed styles
    in_head: bool = True  # no numbered heading met yet: crawler header rules apply
    in_toc: bool = False  # inside a table of contents
    toc: list[str] = field(default_factory=list)  # the headings a TOC names
    toc_tails: list[tuple[str, str]] = field(default_factory=list)  # (marker, what follows)


@dataclass(frozen=True)
class _Lexicon:
    table_headers: tuple[str, ...]
    header_re: re.Pattern[str]
    heading_words: tuple[str, ...]
    label_re: re.Pattern[str]  # one table header label
    header_run_re: re.Pattern[str]  # a run of them, spaces between allowed


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    heads = sorted({r["label"] for r in read_tsv("table_headers.tsv")}, key=lambda s: (-len(s), s))
    labels = sorted({r["label"] for r in read_tsv("header_keys.tsv")}, key=lambda s: (-len(s), s))
    header_re = re.compile(
        r"(?:-{3,}|>|#{1,6}\s|(?:" + "|".join(map(re.escape, labels)) + r")\s*[:：])"
    )
    words = tuple(r["heading"] for r in read_tsv("heading_words.tsv"))
    label = "(?:" + "|".join(map(re.escape, heads)) + ")"
    return _Lexicon(tuple(heads), header_re, words, re.compile(label),
                    re.compile(rf"{label}(?:\s*{label})+\s*"))


def is_flattened(line_lengths: list[int]) -> bool:
    """Whether a document has almost no line breaks left (characters per line)."""
    lines = [n for n in line_lengths if n]
    if not lines:
        return False
    if len(lines) <= 3 and max(lines) >= _MAX_HEADING * 4:
        return True  # a short document on one line or two
    return sum(lines) / len(lines) >= FLATTENED_CHARS_PER_LINE


# --- candidates -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    style: str
    rank: int
    ordinal: int
    end: int  # end of the marker


def _candidate(s: str, pos: int) -> _Candidate | None:
    """The numbering marker starting at ``pos``, if one does (and is not a quantity)."""
    prev = s[pos - 1] if pos else ""
    if prev and (prev.isdigit() or prev in "第.．" or "a" <= prev.lower() <= "z"):
        return None
    if prev and prev in _CN_DIGIT and s[pos] in _CN_DIGIT:
        return None  # inside a longer numeral
    m = _COLUMN.match(s, pos)
    if m and m.group(0).startswith("专栏"):
        n = m.group("n")
        return _Candidate("column", -1, cn_number(n) if n else 0, m.end())
    for style, rank, pattern in _MARKERS:
        if style == "circled":
            continue
        m = pattern.match(s, pos)
        if not m:
            continue
        after = s[m.end() : m.end() + 1]
        if style == "item" and after.isdigit():
            return None  # "2、3家": an enumeration of numbers
        if style == "part" and after and after in _CN_DIGIT + "0123456789":
            return None  # "一、二、三产业"
        return _Candidate(style, rank, cn_number(m.group("n")), m.end())
    return None


# --- the sequence ---------------------------------------------------------------------


def _accept(
    state: NumberingState, c: _Candidate, strong: bool, headingish: bool, medium: bool,
    colon: bool = False,
) -> bool:
    """Whether the sequence makes ``c`` a heading; updates the stack when it does."""
    stack = state.stack
    if c.style == "column":
        # "详见专栏2", "专栏、期刊" inside a sentence are no boxes
        numbered = c.ordinal in (state.columns + 1, 1) and (medium or headingish)
        if (c.ordinal == 0 and strong) or numbered:
            state.columns = c.ordinal or state.columns + 1
            # the box sits on top of what is open; numbering inside it is local
            stack.append(_Level("column", -1, state.columns))
            return True
        return False
    box = max((i for i, lv in enumerate(stack) if lv.style == "column"), default=-1)
    open_at = [i for i, lv in enumerate(stack) if lv.style == c.style]
    # the next sibling: inside the box first, then outside it (which closes the box)
    for i in reversed(open_at):
        # at a boundary one item number may have been missed ("11.121人才…" reads as
        # a decimal)
        missed = medium and c.style == "item" and c.ordinal == stack[i].last + 2
        if c.ordinal == stack[i].last + 1 or missed:
            _close_above(state, i)
            stack[i].last = c.ordinal
            return True
    if strong and open_at and c.ordinal == stack[open_at[-1]].last:
        _close_above(state, open_at[-1])
        return True  # the open heading printed again (a running header)
    local = [i for i in open_at if i > box]
    continued = not local and c.ordinal == state.closed.get(c.style, -1) + 1
    if c.ordinal != 1 and not continued:
        return False
    if local:  # a restart of an open style: a TOC and then the body
        i = local[-1]
        outermost = all(lv.rank >= c.rank for lv in stack[box + 1 :])
        if strong or ((headingish or medium) and outermost):
            _close_above(state, i)
            stack[i].last = 1
            return True
        return False
    # a continued number may follow the colon that announces its list; a new list
    # ("包括：1.…；2.…") inside a sentence may not
    # 第一章 / 第一条 are headings wherever they stand: a flattened 办法 runs its title
    # straight into them ("…管理办法第一章总则第一条为…"), with nothing before to lean on
    opener = c.ordinal == 1 and c.style in _OPENERS
    if not (medium or headingish or (continued and colon) or opener):
        return False
    while len(stack) > box + 1 and stack[-1].rank >= c.rank:
        _close(state)
    stack.append(_Level(c.style, c.rank, c.ordinal))
    return True


def _close_above(state: NumberingState, i: int) -> None:
    while len(state.stack) > i + 1:
        _close(state)


def _close(state: NumberingState) -> None:
    """Pop the innermost level, remembering where its numbering stood (some documents
    number （一）…（十八） straight through their parts)."""
    level = state.stack.pop()
    state.closed[level.style] = level.last


def heading_breaks(s: str, state: NumberingState) -> list[int]:
    """Positions in ``s`` (one line of a flattened document) where a division starts.

    ``state`` carries the numbering from earlier lines and is updated. Position 0
    (the line start) is never returned but its marker, if any, updates the state.
    """
    breaks: list[int] = []
    seg_start = 0  # start of the stretch since the last break
    n = len(s)
    pos = 0
    while pos < n:
        ch = s[pos]
        if ch not in _STARTS:
            pos += 1
            continue
        c = _candidate(s, pos)
        if c is None:
            pos += 1
            continue
        prev = s[pos - 1] if pos else ""
        after_toc = bool(_TOC_BEFORE.search(s, max(0, pos - 6), pos))
        strong = pos == 0 or prev.isspace() or after_toc
        medium = strong or prev in _SENTENCE_END or prev in _CLOSERS
        headingish = False
        if 0 < pos - seg_start <= _MAX_HEADING + 8:  # bounded: the scan stays linear
            stretch = s[seg_start:pos]
            headingish = (
                0 < len(stretch.strip()) <= _MAX_HEADING
                and not _HEADING_STOP.search(stretch)
                and _candidate(s, seg_start) is not None
            )
        depth = len(state.stack)
        if _accept(state, c, strong, headingish, medium, prev in "：:"):
            state.in_head = False
            if after_toc:
                state.in_toc = True
            elif state.in_toc and c.ordinal == 1 and len(state.stack) <= depth:
                state.in_toc = False  # the outermost style starts over: the body
            if state.in_toc:
                text = _toc_text(s, c.end)
                if text:
                    state.toc.append(text)
                else:  # the last entry runs into the body: compared with it later
                    state.toc_tails.append((s[pos : c.end], s[c.end : c.end + _MAX_HEADING]))
            if pos:
                breaks.append(pos)
            seg_start = pos
            pos = c.end
            continue
        pos += 1
    return breaks


def _toc_text(s: str, start: int) -> str:
    """The heading a TOC entry names: up to the next marker, page number or leaders."""
    m = _TOC_ENTRY.match(s, start)
    return m.group(1).strip() if m else ""


def heading_end_breaks(s: str, heads: list[int], state: NumberingState) -> list[int]:
    """Where a stand-alone heading ends and its body begins, with no space between.

    ``一、指导思想以习近平…``: the heading is known from the document's own table of
    contents (``state.toc``) or from the genre's standard headings
    (data/heading_words.tsv); the longest known heading wins, and none is cut
    before a character that would continue it (``和``, ``与``, ``、`` …).
    """
    words = {t for t in state.toc if len(t) >= 2} | set(_lexicon().heading_words)
    marked = [(h, c) for h in heads if (c := _candidate(s, h)) is not None]
    for marker, tail in state.toc_tails:
        # the same marker again later: what the two stretches share is the heading
        for h, c in marked:
            if s[h : c.end] == marker and (body := s[c.end : c.end + _MAX_HEADING]) != tail:
                shared = _common_prefix(body, tail)
                if len(shared) >= 2 and not _HEADING_STOP.search(shared):
                    words.add(shared)
    known = sorted(words, key=lambda t: (-len(t), t))
    out = []
    for _h, c in marked:
        k = c.end
        while k < len(s) and s[k].isspace():
            k += 1
        for word in known:
            end = k + len(word)
            if s.startswith(word, k) and end < len(s):
                if _SPACED_HEADING.match(s, end) or s[end] in "（(":
                    break  # whitespace says where the heading ends; a qualifier goes on
                page = _TOC_PAGE.match(s, end)
                if page and page.end() < len(s):
                    out.append(page.end())  # a TOC entry running into what follows
                elif not (s[end].isspace() or s[end] in _CONTINUES or page):
                    out.append(end)
                break
    return out


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


# --- whitespace-marked breaks ---------------------------------------------------------


def space_breaks(s: str, heads: list[int], is_standalone) -> list[int]:
    """Breaks that surviving whitespace marks in a flattened line.

    ``heads`` are the heading breaks already found (and 0): a short heading followed
    by whitespace ends there. Whitespace after a full stop or a closing bracket ends a
    paragraph. Whitespace after a stretch that ``is_standalone`` (title, 文号, date,
    signature) ends the opening block's line.
    """
    out: set[int] = set()
    starts = set(heads)
    for m in _TOC_MARK.finditer(s):  # 目录 stands on its own line
        out.update((m.start(), m.end()))
    for m in _FULL_STOP_SPACE.finditer(s):
        b = _SHORT_BRACKET.search(s, max(0, m.start() - 8), m.start())
        if b and b.start() in starts:
            continue  # "（二） 智能…": the bracket is a marker, the heading goes on
        out.add(m.end())
    ordered = sorted(heads)
    for n, h in enumerate(ordered):
        # skip the marker and the spaces after it; the heading ends at the next space
        c = _candidate(s, h)
        if c is None:
            continue
        k = c.end
        while k < len(s) and s[k].isspace():
            k += 1
        nxt = ordered[n + 1] if n + 1 < len(ordered) else len(s)
        limit = min(len(s), k + _MAX_HEADING + 1, nxt)
        m = _SPACE.search(s, k, limit)
        while m and m.start() - k == 1:  # "第一章  总    则": a spaced-out heading goes on
            k = m.end()
            m = _SPACE.search(s, k, limit)
        if m and not _HEADING_STOP.search(s, k, m.start()) and not _PAGE_NUMBER.match(s, m.end()):
            out.add(m.end())
    # the opening and closing blocks (and an attachment's title): a stand-alone stretch
    # between two spaces (or a break) is a line of its own
    prior = sorted(starts | out)
    j = 0
    start = 0
    for m in _SPACE.finditer(s):
        cut = start
        while j < len(prior) and prior[j] < m.start():
            cut = max(cut, prior[j])  # a break inside the stretch starts it anew
            j += 1
        piece = s[cut : m.start()]
        if piece and len(piece) <= 80 and is_standalone(piece):
            out.add(m.end())
        start = m.end()
    return sorted(p for p in out if 0 < p < len(s))


def head_breaks(s: str) -> list[int]:
    """Breaks of a flattened crawler header: ``---``, ``key:``, ``>`` notes, ``# title``.

    Only at whitespace, and only in the stretch before the document's first numbered
    heading (the caller passes that stretch).
    """
    out = []
    rx = _lexicon().header_re
    for m in re.finditer(r"\s+", s):
        if rx.match(s, m.end()):
            out.append(m.end())
    # the text after a `---` closing the block starts a line too
    fences = [m for m in re.finditer(r"(?:^|(?<=\s))-{3,}(?:\s+|$)", s)]
    for m in fences:
        out.append(m.end())
    # inside a `---` fence any short label starts a line: ``层级: 区级``
    if len(fences) >= 2 and fences[0].start() == 0:
        for m in _ANY_LABEL.finditer(s, fences[0].end(), fences[1].start()):
            out.append(m.start(1))
    return sorted(p for p in set(out) if 0 < p < len(s))


def table_breaks(s: str) -> list[int]:
    """Each cell of a run of three or more table header labels on its own line.

    ``序号 任务 牵头单位 责任单位`` (with or without spaces) is a table's header row;
    the labels come from data/table_headers.tsv.
    """
    run_re = _lexicon().header_run_re
    out: list[int] = []
    for m in run_re.finditer(s):
        cells = [c.start() for c in _lexicon().label_re.finditer(s, m.start(), m.end())]
        if len(cells) >= 3:
            out.extend(cells)
            out.append(m.end())
    return sorted(p for p in set(out) if 0 < p < len(s))

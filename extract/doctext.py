"""Text forms every document-metadata rule reads: lines, 文号, dates, document types.

Shared by :mod:`extract.document`, :mod:`extract.issuers`, :mod:`extract.jurisdiction`
and :mod:`extract.citations`, so that a 文号 or a title is read the same way whether
it is the document's own or one it cites. Pure functions over strings; the word lists
are data files (``document_types.tsv``, ``doc_number_leads.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.model import Span


@dataclass(frozen=True)
class DocType:
    suffix: str
    doc_type: str
    own_title: bool


@cache
def document_types() -> tuple[DocType, ...]:
    """Document-type suffixes, longest first, so 实施意见 wins over 意见."""
    rows = [
        DocType(r["suffix"], r["doc_type"], r["own_title"] == "y")
        for r in read_tsv("document_types.tsv")
    ]
    return tuple(sorted(rows, key=lambda t: (-len(t.suffix), t.suffix)))


@cache
def _number_leads() -> tuple[str, ...]:
    words = (r["word"] for r in read_tsv("doc_number_leads.tsv"))
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _body_names() -> tuple[str, ...]:
    """Multi-character issuer suffixes (办公厅, 人民政府): a body named before its code."""
    rows = (r["suffix"] for r in read_tsv("doc_issuer_suffixes.tsv"))
    return tuple(s for s in rows if len(s) >= 2)


@cache
def _known_codes() -> tuple[str, ...]:
    """Issuer codes of ``doc_number_prefixes.tsv`` long enough to be found inside a run."""
    codes = {r["prefix"] for r in read_tsv("doc_number_prefixes.tsv") if len(r["prefix"]) >= 3}
    return tuple(sorted(codes, key=lambda c: (-len(c), c)))


# ---------------------------------------------------------------------------
# small text helpers

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
SECTION_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|"
    r"[(（][一二三四五六七八九十]+[)）]|\d+[.．、]\s*\S)"
)
SENTENCE_PUNCT = re.compile(r"[。，,；;：:！!？?]")
# A trailing note in brackets is not part of the type word: (试行), (2024—2026年),
# (2024年修订). Document titles (here) and cited titles (citations.py) share it.
TRAILING_NOTE = re.compile(
    r"[(（](?:试行|暂行|征求意见稿|修订|修订稿|草案|送审稿|"
    r"[0-9〇零一二三四五六七八九]{4}\s*[-—–～~至到]?\s*(?:[0-9〇零一二三四五六七八九]{2,4})?\s*年?|"
    r"\d{4}年[^)）]{0,8})[)）]$"
)
# Lines a crawler or a markdown export adds around a document: evidence, not text.
_CRAWLER_LINE = re.compile(r"^(?:>|＞|-{3,}$|[\u4e00-\u9fff]{2,8}\s*[:：]\s*https?://)")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def compact(s: str) -> str:
    """A comparison key: no whitespace, one kind of quote (titles are compared this way)."""
    return _SPACE.sub("", s.translate(_QUOTES))


def tidy_title(s: str) -> str:
    """Drop spaces that PDF extraction put between Chinese characters, keep ASCII words apart."""
    s = _SPACE.sub(" ", strip_heading_mark(s).strip())
    # 中共湖北省委 湖北省人民政府: two bodies, the space stays
    kept = re.sub(r"(?<=省委|市委|区委|县委|政府|员会|公厅) (?=\S)", "\0", s)
    kept = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", kept)
    return kept.replace("\0", " ")


def strip_heading_mark(s: str) -> str:
    """``# 标题`` → ``标题``: a markdown heading mark is layout, not part of the title."""
    return re.sub(r"^#{1,6}\s*", "", s)


def is_crawler_line(line: str) -> bool:
    """A ``>`` note, ``---`` fence or ``官方链接: http…`` line a crawler added."""
    return bool(_CRAWLER_LINE.match(line))


def lines_with_spans(text: str) -> list[tuple[str, Span]]:
    """Non-empty lines, stripped, with the span of the stripped line in ``text``."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append((stripped, Span(start, start + len(stripped))))
        pos += len(raw) + 1
    return out


def document_lines(text: str) -> list[tuple[str, Span]]:
    """The document's own lines: crawler notes and fences left out, heading marks off."""
    out = []
    for line, span in lines_with_spans(text):
        if is_crawler_line(line):
            continue
        bare = strip_heading_mark(line)
        out.append((bare, Span(span.end - len(bare), span.end)))
    return out


_TAGS = re.compile(r"<[^<>]*>?")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def is_markup_line(line: str) -> bool:
    """A line of page code and nothing else (``<tr>``, ``<td class='wz_time'>``): a kept
    HTML table's layout, which says nothing about the document."""
    return line.startswith("<") and not _HAN_CHAR.search(_TAGS.sub("", line))


def head_lines(text: str, limit: int = 12) -> list[tuple[str, Span]]:
    """The lines before the first section heading (at most ``limit``): where a document
    states its title, number, banner and addressees.

    Lines of bare markup do not count: a page laid out in tables keeps their tags
    (the table reader needs them), and a dozen of them would fill the head before the
    document's own first line."""
    head = []
    for line, span in document_lines(text):
        if is_markup_line(line):
            continue
        if SECTION_START.match(line) or len(head) >= limit:
            break
        head.extend(_title_and_number(line, span))
    return head


_NUMBER_AFTER = re.compile(
    r"(?:[:：]\s*|[（(])(?=[\u4e00-\u9fff]{1,12}?\s*[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]\s*第?\s*"
    r"\d{1,5}\s*号[）)]?\s*$)"
)


def _title_and_number(line: str, span: Span) -> list[tuple[str, Span]]:
    """A page's headline that carries the 文号 behind its title
    (``关于印发某规划的通知:某发〔2024〕3号``, ``某方案（某办发〔2024〕3号）``) as two lines, the
    title and the number, so that each is read as the document's own; other lines as they are."""
    m = _NUMBER_AFTER.search(line)
    if m is None or len(re.findall(r"[\u4e00-\u9fff]", line[: m.start()])) < 6:
        return [(line, span)]
    number = line[m.end():].rstrip().removesuffix("）").removesuffix(")")
    title = line[: m.start()].rstrip()
    start = span.start + m.end()
    return [(title, Span(span.start, span.start + len(title))),
            (number, Span(start, start + len(number)))]


# ---------------------------------------------------------------------------
# titles and types

_WRAPPER = re.compile(
    r"^(?P<issuer>.*?)关于(?P<verb>印发|转发|下发|发布|公布)(?P<inner>.+?)的通知$"
)


def unwrap_notice(title: str) -> str | None:
    """The enclosed title of a ``关于印发X的通知`` wrapper, else ``None``.

    ``《X》`` brackets around the whole enclosed title are dropped; brackets that only
    quote a part (``印发贯彻《条例》推进…方案的通知``) stay.
    """
    m = _WRAPPER.match(compact(strip_heading_mark(title)))
    if not m:
        return None
    inner = m.group("inner")
    if inner.startswith("《") and inner.endswith("》") and inner.count("《") == 1:
        inner = inner[1:-1]
    return inner or None


def wrapper_issuer(title: str) -> str | None:
    """The issuer written before ``关于印发`` in a wrapper title (may be empty)."""
    m = _WRAPPER.match(compact(strip_heading_mark(title)))
    return m.group("issuer") if m and m.group("issuer") else None


def _type_key(title: str) -> str:
    t = compact(strip_heading_mark(title))
    while True:
        cut = TRAILING_NOTE.sub("", t)
        if cut == t:
            return t
        t = cut


def doc_type_of(title: str | None) -> str | None:
    """The type local name (``Plan``, ``Opinions``…) of a title, by its longest suffix.

    A ``关于印发X的通知`` wrapper has the type of X (the graph represents the plan it
    distributes); a notice that wraps nothing typed is a ``Notice``.
    """
    if not title:
        return None
    t = _type_key(title)
    wrapped = unwrap_notice(t)
    if wrapped:
        inner = _type_of_key(_type_key(wrapped))
        if inner:
            return inner
    return _type_of_key(t)


def _type_of_key(t: str) -> str | None:
    for dt in document_types():
        if t.endswith(dt.suffix):
            return dt.doc_type
    return None


def looks_like_title(line: str) -> bool:
    """A policy-document title: short, no sentence punctuation, ends in an own-title word."""
    t = _type_key(line)
    if not 4 <= len(t) <= 90 or SENTENCE_PUNCT.search(t) or t.startswith("《"):
        return False
    if SECTION_START.match(t):
        return False
    return any(
        t.endswith(dt.suffix) and len(t) > len(dt.suffix) + 1
        for dt in document_types()
        if dt.own_title
    )


def join_title_lines(head: list[tuple[str, Span]], most: int = 3) -> list[tuple[str, Span]]:
    """The head with a title broken over lines joined again.

    A page that centres a long title breaks it into ``<p>``s or ``<br/>``s
    (``关于印发《某市某某违法违规`` / ``行为举报奖励实施细则》的通知``): a run of up to
    ``most`` short lines without sentence punctuation, the first not a title by itself,
    becomes one line when together they read as one. The joined line's span runs from
    the first line's start to the last one's end.
    """
    out: list[tuple[str, Span]] = []
    k = 0
    while k < len(head):
        line, span = head[k]
        joined = None
        if not looks_like_title(line) and _fragment(line):
            text = line
            for j in range(k + 1, min(k + most, len(head))):
                if not _fragment(head[j][0]):
                    break
                text += head[j][0]
                if looks_like_title(text):
                    joined = (text, Span(span.start, head[j][1].end), j)
                    break
        if joined:
            out.append((joined[0], joined[1]))
            k = joined[2] + 1
        else:
            out.append((line, span))
            k += 1
    return out


_FRAGMENT_START = re.compile(r"[\u4e00-\u9fff《“]")
_DATE_IN_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月")


def _fragment(line: str) -> bool:
    """A piece a title can be broken into: words (not a date, a 文号 or a number)."""
    return (2 <= len(line) <= 40 and _FRAGMENT_START.match(line) is not None
            and not SENTENCE_PUNCT.search(line) and not DOC_NUMBER.search(line)
            and not _DATE_IN_LINE.search(line))


# ---------------------------------------------------------------------------
# 文号

DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号"
)
_MAX_PREFIX = 8  # 沪规划资源用, 沪住建规范联, 黄发改委办: real issuer codes are short


def clean_prefix(prefix: str) -> str:
    """Cut the words that run into a 文号 in running text (``根据鄂政发`` → ``鄂政发``).

    The issuer code itself is kept whole, place initial included (``黄发改委办``,
    ``沪崇府办发``): only what ends in a lead word (``doc_number_leads.tsv``: 根据,
    按照, 印发, 、…) or in a body's name (``国务院办公厅国办发``) is cut, a known code
    of ``doc_number_prefixes.tsv`` is found inside the rest (``省政府鄂政办发``), and a
    run longer than any issuer code keeps its last ``_MAX_PREFIX`` characters.
    """
    best = 0
    for word in _number_leads():
        i = prefix.rfind(word)
        if i >= 0 and i + len(word) < len(prefix):
            best = max(best, i + len(word))
    for name in _body_names():  # 国务院办公厅国办发: the body, then its code
        i = prefix.rfind(name)
        if i >= 0 and i + len(name) <= len(prefix) - 2:
            best = max(best, i + len(name))
    cut = prefix[best:]
    for code in _known_codes():  # 省政府鄂政办发
        i = cut.find(code)
        if i > 0:
            cut = cut[i:]
            break
    return cut[-_MAX_PREFIX:] if len(cut) > _MAX_PREFIX else cut


def standard_number(match: re.Match[str]) -> str:
    """A 文号 in standard form: 〔〕 brackets, ASCII digits, no spaces."""
    prefix = clean_prefix(match.group("prefix"))
    return f"{prefix}〔{match.group('year')}〕{int(match.group('num'))}号"


def normalize_doc_number(s: str) -> str | None:
    m = DOC_NUMBER.search(s.translate(FULLWIDTH_DIGITS))
    return standard_number(m) if m else None


def number_prefix(number: str | None) -> str:
    """The issuer code of a standard 文号 (``沪崇府办发〔2023〕16号`` → ``沪崇府办发``)."""
    return number.split("〔", 1)[0] if number else ""


# ---------------------------------------------------------------------------
# dates

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3,
             "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,4}|[〇零○OoＯ一二三四五六七八九十]{1,4})"
DATE = re.compile(
    rf"(?P<y>\d{{4}}|[〇零○OoＯ一二三四五六七八九]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日"
)


def _cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def parse_date(s: str) -> date | None:
    """First date in ``s`` (``2021年10月29日``, ``二〇二一年十月二十九日``), else ``None``."""
    m = DATE.search(s.translate(FULLWIDTH_DIGITS))
    if not m:
        return None
    try:
        return date(_cn_int(m.group("y")), _cn_int(m.group("m")), _cn_int(m.group("d")))
    except (ValueError, KeyError):
        return None


_PUBLIC_NOTE = re.compile(r"[（(]此件[^（()）]{0,8}[）)]$")


@cache
def _signer_ends() -> tuple[str, ...]:
    return tuple(r["suffix"] for r in read_tsv("doc_issuer_suffixes.tsv"))


def date_lines(lines: list[tuple[str, Span]]) -> list[tuple[int, date, bool]]:
    """(line index, date, pure) for lines that are a date (pure), a date + 印发/发布, or a
    signer and its date run together by a PDF
    (``某市人民政府办公厅2024年3月30日（此件公开发布）``)."""
    out = []
    for i, (line, _) in enumerate(lines):
        t = compact(line.translate(FULLWIDTH_DIGITS))
        m = DATE.fullmatch(t) or DATE.fullmatch(re.sub(r"(印发|发布|制发|签发)$", "", t))
        if m:
            d = parse_date(t)
            if d:
                out.append((i, d, DATE.fullmatch(t) is not None))
            continue
        bare = _PUBLIC_NOTE.sub("", t)
        signed = DATE.search(bare)
        if signed and signed.end() == len(bare) and 2 <= signed.start() <= 40 \
                and t[:signed.start()].endswith(_signer_ends()):
            d = parse_date(signed.group(0))
            if d:
                out.append((i, d, False))
    return out

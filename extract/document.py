"""What a policy document says about itself: title, 文号, issuer, date, type, jurisdiction.

Scraped documents rarely carry clean metadata. The scraper's header may hold a title cut
in half (``省人民政府关于印发湖北省``) or the title of another web page; a 印发…的通知
wrapper may sit in front of the plan it distributes; a title line may be missing. So
every field is read from the body by generic rules, with the header as a fallback, and
each rule is written so that it says nothing rather than something invented:

* **title** – the enclosed document of a 印发 wrapper (``现将《X》印发``) first, because
  the graph represents the enclosed plan; else the document's own title line in the
  head (a short line ending in a document-type word of ``document_types.tsv``); the
  header title only when it looks like a policy title and agrees with the body. When
  nothing is written, a title is *synthesized* from the purpose sentence of the head
  (``为…，加快推动X，…特提出如下意见`` → ``{issuer}关于X的意见``) and ``title_span`` is
  ``None``.
* **doc_number** – a 文号 standing on its own line in the head (or in the header);
  numbers inside sentences are citations, not the document's own.
* **issuer** – ``X文件`` banner, signature line before the date, 文号 prefix table,
  ``X关于印发…`` wrapper, scraped ``来源`` – in that order, full names first.
* **issued** – the date line (Arabic or Chinese numerals); the scraped publication time
  only when the body has no date; ``None`` otherwise.
* **doc_type** – longest matching title suffix in ``document_types.tsv``.
* **jurisdiction** – a score over the issuer's place, the 文号 prefix, addressee and
  self-reference cues (``我市``, ``省政府各部门``) that fix the administrative level, and
  the places the text names (see :func:`infer_jurisdiction`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from extract.datafiles import read_tsv
from extract.model import DocumentMeta, SourceText, Span


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
def _number_prefixes() -> tuple[tuple[str, str, str], ...]:
    rows = [
        (r["prefix"], r["issuer"], r["jurisdiction"]) for r in read_tsv("doc_number_prefixes.tsv")
    ]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@cache
def _issuer_suffixes() -> tuple[str, ...]:
    return tuple(r["suffix"] for r in read_tsv("doc_issuer_suffixes.tsv"))


@cache
def _topic_verbs() -> tuple[str, ...]:
    verbs = (r["verb"] for r in read_tsv("doc_topic_verbs.tsv"))
    return tuple(sorted(verbs, key=len, reverse=True))


@cache
def _jurisdiction_cues() -> tuple[tuple[str, str, int], ...]:
    return tuple(
        (r["cue"], r["level"], int(r["weight"])) for r in read_tsv("doc_jurisdiction_cues.tsv")
    )


@cache
def _mention_cues() -> tuple[tuple[str, int], ...]:
    rows = [(r["cue"], int(r["weight"])) for r in read_tsv("doc_region_mention_cues.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


# ---------------------------------------------------------------------------
# small text helpers

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_SECTION_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|"
    r"[(（][一二三四五六七八九十]+[)）]|\d+[.．、]\s*\S)"
)
_SENTENCE_PUNCT = re.compile(r"[。，,；;：:！!？?]")
_TRAILING_NOTE = re.compile(r"[(（](?:试行|暂行|征求意见稿|修订|修订稿|草案|送审稿)[)）]$")


def compact(s: str) -> str:
    """A comparison key: no whitespace, one kind of quote (titles are compared this way)."""
    return _SPACE.sub("", s.translate(_QUOTES))


def tidy_title(s: str) -> str:
    """Drop spaces that PDF extraction put between Chinese characters, keep ASCII words apart."""
    s = _SPACE.sub(" ", s.strip())
    kept = re.sub(r"(?<=省委|市委|政府|员会|公厅) (?=\S)", "\0", s)  # 中共湖北省委 湖北省人民政府
    kept = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", kept)
    return kept.replace("\0", " ")


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


def head_lines(text: str, limit: int = 12) -> list[tuple[str, Span]]:
    """The lines before the first section heading (at most ``limit``): where a document
    states its title, number, banner and addressees."""
    head = []
    for line, span in lines_with_spans(text):
        if _SECTION_START.match(line) or len(head) >= limit:
            break
        head.append((line, span))
    return head


def doc_type_of(title: str | None) -> str | None:
    """The type local name (``Plan``, ``Opinions``…) of a title, by its longest suffix."""
    if not title:
        return None
    t = _TRAILING_NOTE.sub("", compact(title))
    wrapped = unwrap_notice(t)
    if wrapped:
        t = wrapped
    for dt in document_types():
        if t.endswith(dt.suffix):
            return dt.doc_type
    return None


def looks_like_title(line: str) -> bool:
    """A policy-document title: short, no sentence punctuation, ends in an own-title word."""
    t = _TRAILING_NOTE.sub("", compact(line))
    if not 4 <= len(t) <= 90 or _SENTENCE_PUNCT.search(t) or t.startswith("《"):
        return False
    if _SECTION_START.match(t):
        return False
    return any(
        t.endswith(dt.suffix) and len(t) > len(dt.suffix) + 1
        for dt in document_types()
        if dt.own_title
    )


_WRAPPER = re.compile(r"^(?P<issuer>.*?)关于(?:印发|转发|下发)《?(?P<inner>.+?)》?的通知$")


def unwrap_notice(title: str) -> str | None:
    """The enclosed title of a ``关于印发X的通知`` wrapper, else ``None``."""
    m = _WRAPPER.match(compact(title))
    return m.group("inner") if m else None


# ---------------------------------------------------------------------------
# 文号

DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号"
)
_LEAD_WORDS = re.compile(r"^.*(?:根据|按照|依据|参照|执行|印发|转发|详见|见|和|及|与|或|、)")


def clean_prefix(prefix: str) -> str:
    """Cut words that precede a 文号 in running text (``根据鄂政发`` → ``鄂政发``)."""
    for known, _, _ in _number_prefixes():
        i = prefix.find(known)
        if i > 0 and len(known) > 1:
            return prefix[i:]
    return _LEAD_WORDS.sub("", prefix) or prefix


def standard_number(match: re.Match[str]) -> str:
    """A 文号 in standard form: 〔〕 brackets, ASCII digits, no spaces."""
    prefix = clean_prefix(match.group("prefix"))
    return f"{prefix}〔{match.group('year')}〕{int(match.group('num'))}号"


def normalize_doc_number(s: str) -> str | None:
    m = DOC_NUMBER.search(s.translate(_FULLWIDTH_DIGITS))
    return standard_number(m) if m else None


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _own_number(source: SourceText, head: list[tuple[str, Span]]) -> str | None:
    for key in ("doc_number", "文号", "发文字号"):
        if source.header.get(key):
            found = normalize_doc_number(source.header[key])
            if found:
                return found
    for line, _ in head:
        m = DOC_NUMBER.fullmatch(line.translate(_FULLWIDTH_DIGITS).strip())
        if m:
            return standard_number(m)
    return None


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
    m = DATE.search(s.translate(_FULLWIDTH_DIGITS))
    if not m:
        return None
    try:
        return date(_cn_int(m.group("y")), _cn_int(m.group("m")), _cn_int(m.group("d")))
    except (ValueError, KeyError):
        return None


_ISO_DATE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")


def _header_date(header: dict[str, str]) -> date | None:
    for key in ("date", "issued", "成文日期", "发布时间", "发布日期", "published", "time"):
        value = header.get(key)
        if not value:
            continue
        found = parse_date(value)
        if found:
            return found
        m = _ISO_DATE.search(value)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def _date_lines(lines: list[tuple[str, Span]]) -> list[tuple[int, date, bool]]:
    """(line index, date, pure) for lines that are a date (pure) or a date + 印发/发布."""
    out = []
    for i, (line, _) in enumerate(lines):
        t = compact(line.translate(_FULLWIDTH_DIGITS))
        m = DATE.fullmatch(t) or DATE.fullmatch(re.sub(r"(印发|发布|制发|签发)$", "", t))
        if m:
            d = parse_date(t)
            if d:
                out.append((i, d, DATE.fullmatch(t) is not None))
    return out


# ---------------------------------------------------------------------------
# issuer


def looks_like_agency(s: str) -> bool:
    t = compact(s)
    return (
        2 <= len(t) <= 40
        and not _SENTENCE_PUNCT.search(t)
        and any(t.endswith(suffix) for suffix in _issuer_suffixes())
    )


def _issuer(
    source: SourceText, lines: list[tuple[str, Span]], head: list[tuple[str, Span]],
    number: str | None,
) -> tuple[str | None, Span | None]:
    for line, span in head:
        m = re.fullmatch(r"(.{2,40}?)\s*文件", line)
        if m and looks_like_agency(m.group(1)):
            return tidy_title(m.group(1)), Span(span.start, span.start + len(m.group(1)))
    for i, _, _ in _date_lines(lines):
        if i > 0 and looks_like_agency(lines[i - 1][0]):
            return tidy_title(lines[i - 1][0]), lines[i - 1][1]
    if number:
        for prefix, issuer, _ in _number_prefixes():
            if number.startswith(prefix) and issuer:
                return issuer, None
    for line, span in head:
        m = _WRAPPER.match(compact(line))
        if m and looks_like_agency(m.group("issuer")):
            return m.group("issuer"), Span(span.start, span.start + len(m.group("issuer")))
    header_title = source.header.get("title", "")
    m = re.match(r"(.+?)关于(?:印发|转发)", compact(header_title))
    if m and looks_like_agency(m.group(1)):
        return m.group(1), None
    for key in ("issuer", "source_site_issuer", "来源", "source"):
        value = source.header.get(key, "")
        if value and looks_like_agency(value):
            return tidy_title(value), None
    return None, None


# ---------------------------------------------------------------------------
# title

_ENCLOSED = re.compile(r"(?:现将|现把|将)?《(?P<title>[^《》]{4,90})》(?:印发|转发|予以印发)")
_PURPOSE = re.compile(
    r"为(?P<body>[^。]{4,300}?)[,，]\s*(?:经[^,，。]{0,12}[,，]\s*)?(?:特|现|现就)?"
    r"(?:提出|制定|制订|出台)(?:如下|以下|本)?(?P<word>实施意见|指导意见|意见|工作方案|实施方案|行动方案|"
    r"方案|行动计划|计划|若干措施|措施|办法|规划)"
)


def _synthesized_title(head: list[tuple[str, Span]], issuer: str | None) -> str | None:
    """``{issuer}关于{topic}的{word}`` from the head's purpose sentence, when it has one.

    The topic is the last clause of the purpose that opens with a topic verb
    (``doc_topic_verbs.tsv``) and is not about local circumstances (``结合我市实际``).
    """
    for line, _ in head:
        m = _PURPOSE.search(line)
        if not m:
            continue
        clauses = [c.strip() for c in re.split(r"[,，]", m.group("body")) if c.strip()]
        topic = None
        for clause in clauses:
            local = re.search(r"我[市省区县]|实际|研究", clause)
            if clause.startswith(_topic_verbs()) and not local:
                topic = clause
        if topic:
            return f"{issuer or ''}关于{topic}的{m.group('word')}"
    return None


def _title(
    source: SourceText, head: list[tuple[str, Span]], issuer: str | None
) -> tuple[str, Span | None]:
    text = source.text
    by_compact = {compact(line): (line, span) for line, span in reversed(head)}

    def located(title: str) -> tuple[str, Span | None]:
        hit = by_compact.get(compact(title))
        return (tidy_title(hit[0]), hit[1]) if hit else (tidy_title(title), None)

    # 1. the enclosed document of a 印发 wrapper
    for line, span in head:
        m = _ENCLOSED.search(line)
        if m and looks_like_title(m.group("title")):
            title, found = located(m.group("title"))
            if found is None:
                s = span.start + m.start("title")
                found = Span(s, s + len(m.group("title")))
            return title, found
    # 2. a wrapper line alone: its inner title
    body_title: tuple[str, Span] | None = None
    for line, span in head:
        inner = unwrap_notice(line)
        if inner and looks_like_title(inner):
            return located(inner) if compact(inner) in by_compact else (tidy_title(inner), span)
        if body_title is None and looks_like_title(line):
            body_title = (tidy_title(line), span)
    # 3. the header title when plausible and not contradicted by the body
    header_title = source.header.get("title", "")
    if header_title:
        inner = unwrap_notice(header_title) or header_title
        if looks_like_title(inner):
            if body_title is None:
                return located(inner)
            if compact(inner).endswith(compact(body_title[0])):
                same = compact(inner) == compact(body_title[0])
                return tidy_title(inner), body_title[1] if same else None
    if body_title:
        return body_title
    # 4. synthesized from the purpose sentence
    synthesized = _synthesized_title(head, issuer)
    if synthesized:
        return synthesized, None
    first = next((line for line, _ in head if not _SENTENCE_PUNCT.search(line)), "")
    return (tidy_title(first) or source.name or text[:20]), None


# ---------------------------------------------------------------------------
# jurisdiction

_LEVEL_SUFFIX = {"province": "省", "prefecture": "市州", "district": "区", "county": "县市"}
_ISSUER_LEVEL = (("省", "province"), ("市", "prefecture"), ("州", "prefecture"),
                 ("区", "district"), ("县", "county"))


def _get(gazetteer, key: str):
    """The region of ``key`` or ``None`` (gazetteers may raise KeyError or return None)."""
    try:
        return gazetteer.get(key)
    except KeyError:
        return None


def _level(region) -> str | None:
    return getattr(region, "level", None) if region is not None else None


def _ancestor_keys(gazetteer, key: str) -> list[str]:
    try:
        ancestors = gazetteer.ancestors(key) or []
    except (KeyError, AttributeError):
        return []
    return [a if isinstance(a, str) else a.key for a in ancestors]


def infer_jurisdiction(
    text: str, gazetteer, issuer: str | None = None, doc_number: str | None = None
) -> str | None:
    """The region key a document governs, by a documented score.

    1. The administrative *level* is voted by the issuer's leading character
       (``省人民政府`` → province, ``市发展改革委`` → prefecture, weight 10), by the
       issuer's named place, and by cues (``doc_jurisdiction_cues.tsv``: ``我市``,
       ``市人民政府各部门``, ``省政府各部门``…) counted in the text.
    2. Each region is scored: a place named in the issuer or fixed by the 文号 prefix
       (``doc_number_prefixes.tsv``; ``鄂`` → hubei, ``鄂州`` → ezhou) gets 10; every
       mention in the text 1, plus 2 when written in full (``鄂州市``), plus the cue
       weight before it (``落户鄂州`` +3; ``与武汉…`` partners count 0); a mention of a
       place inside a region (a district, a zone) adds 2 to each of its ancestors.
    3. The best-scored region of the voted level wins; without a level vote, the best
       overall. Ties break on the key, so the result is deterministic.
    """
    scores: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    if issuer:
        t = compact(issuer)
        for char, level in _ISSUER_LEVEL:
            if t.startswith(char):
                levels[level] += 10
        for key, _ in gazetteer.find_in(t):
            scores[key] += 10
            level = _level(_get(gazetteer, key))
            if level:
                levels[level] += 10
    if doc_number:
        for prefix, _, region in _number_prefixes():
            if doc_number.startswith(prefix) and region and _get(gazetteer, region) is not None:
                scores[region] += 10
                break
    for cue, level, weight in _jurisdiction_cues():
        n = text.count(cue)
        if n:
            levels[level] += n * weight
    for key, span in gazetteer.find_in(text):
        region = _get(gazetteer, key)
        before = text[max(0, span.start - 2): span.start]
        weight = 1
        for cue, cue_weight in _mention_cues():
            if before.endswith(cue):
                weight = cue_weight
                break
        if weight == 0:
            continue
        end_char = text[span.end - 1: span.end + 1]
        if any(c in end_char for c in _LEVEL_SUFFIX.get(_level(region) or "", "")):
            weight += 2
        scores[key] += weight
        for ancestor in _ancestor_keys(gazetteer, key):
            scores[ancestor] += 2
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if levels:
        best_level = sorted(levels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for key, _ in ranked:
            if _level(_get(gazetteer, key)) == best_level:
                return key
    return ranked[0][0]


# ---------------------------------------------------------------------------


def extract_meta(source: SourceText, gazetteer) -> DocumentMeta:
    """The document's metadata from its normalized text and scraped header.

    ``gazetteer`` needs ``find_in(text)``, ``get(key)`` and ``ancestors(key)``.
    """
    lines = lines_with_spans(source.text)
    head = head_lines(source.text)
    number = _own_number(source, head)
    issuer, issuer_span = _issuer(source, lines, head, number)
    title, title_span = _title(source, head, issuer)
    dates = _date_lines(lines)
    issued = next((d for _, d, pure in dates if pure), None)
    if issued is None:
        issued = next((d for _, d, _ in dates), None) or _header_date(source.header)
    return DocumentMeta(
        title=title,
        title_span=title_span,
        doc_number=number,
        issuer=issuer,
        issuer_span=issuer_span,
        issued=issued,
        doc_type=doc_type_of(title),
        jurisdiction=infer_jurisdiction(source.text, gazetteer, issuer, number),
    )

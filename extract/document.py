"""What a policy document says about itself: title, 文号, issuers, date, type, jurisdiction.

Scraped documents rarely carry clean metadata. The scraper's header may hold a title cut
in half (``省人民政府关于印发湖北省``) or the title of another web page; a 印发…的通知
wrapper may sit in front of the plan it distributes; a title line may be missing. So
every field is read from the body by generic rules, with the header as evidence, and
each rule is written so that it says nothing rather than something invented:

* **title** – the enclosed document of a 印发 wrapper (``现将《X》印发``,
  ``《X》已经区政府同意，现印发``) first, because the graph represents the enclosed plan;
  else the document's own title line in the head (a short line ending in a
  document-type word of ``document_types.tsv``); the header title only when it looks
  like a policy title and agrees with the body. When nothing is written, a title is
  *synthesized* from the purpose sentence of the head (``为…，加快推动X，…特提出如下
  意见`` → ``{issuer}关于X的意见``) and ``title_span`` is ``None``.
* **wrapper** – the ``…关于印发X的通知`` line (or header title) that distributes the plan.
* **doc_number** – a 文号 standing on its own line in the head (or in the header);
  numbers inside sentences are citations, not the document's own. The prefix is kept
  whole (``黄发改委办``, ``沪崇府办发``).
* **issuers** – every signer, first signer first (:mod:`extract.issuers`).
* **issued** – the date line (Arabic or Chinese numerals); the scraped publication time
  only when the body has no date; ``None`` otherwise.
* **doc_type** – longest matching title suffix in ``document_types.tsv``; a wrapper
  has the type of the plan it wraps.
* **jurisdiction** – region and basis (issuer, 文号, header, title, body) by
  :mod:`extract.jurisdiction`.

Crawler lines (``>`` notes, ``---`` fences, ``# `` heading marks) are evidence, never
document text (:func:`extract.doctext.document_lines`).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from policykg.extract.datafiles import read_tsv
from policykg.extract.doctext import (
    DOC_NUMBER,
    FULLWIDTH_DIGITS,
    SENTENCE_PUNCT,
    compact,
    date_lines,
    doc_type_of,
    document_lines,
    head_lines,
    join_title_lines,
    lines_with_spans,
    looks_like_title,
    normalize_doc_number,
    parse_date,
    standard_number,
    tidy_title,
    unwrap_notice,
)
from policykg.extract.issuers import find_issuers, looks_like_agency
from policykg.extract.model import DocumentMeta, SourceText, Span
from policykg.extract.places import jurisdiction as jur

__all__ = [
    "compact", "doc_type_of", "extract_meta", "head_lines", "infer_jurisdiction",
    "lines_with_spans", "looks_like_agency", "normalize_doc_number", "parse_date",
]


@cache
def _topic_verbs() -> tuple[str, ...]:
    verbs = (r["verb"] for r in read_tsv("doc_topic_verbs.tsv"))
    return tuple(sorted(verbs, key=len, reverse=True))


def _own_number(source: SourceText, head: list[tuple[str, Span]]) -> str | None:
    for key in ("doc_number", "文号", "发文字号"):
        if source.header.get(key):
            found = normalize_doc_number(source.header[key])
            if found and not _cited(source.text, found):
                return found
    for line, _ in head:
        text = line.translate(FULLWIDTH_DIGITS).strip()
        m = DOC_NUMBER.fullmatch(text)
        if m:
            return standard_number(m)
        m = DOC_NUMBER.match(text)  # a PDF's line: 文号, a space, then the addressee
        if m and text[m.end():m.end() + 1].isspace():
            return standard_number(m)
    return None


def _cited(text: str, number: str) -> bool:
    """Whether the text cites ``number`` as another document's (``《某办法》（X〔2025〕7号）``):
    a crawler's header field sometimes holds the number of the document a notice cites."""
    at = text.find(number)
    while at >= 0:
        if text[max(0, at - 2):at] in ("》（", "》("):
            return True
        at = text.find(number, at + 1)
    return False


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


# ---------------------------------------------------------------------------
# title

_ENCLOSED = re.compile(
    r"(?:现将|现把|将)?《(?P<title>[^《》]{4,90})》"
    r"(?:已经[^。，,]{1,20}同意[，,]\s*(?:现)?)?(?:印发|转发|予以印发)"
)
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
            own = _self_named(inner, head)
            if own:
                return own
            return located(inner) if compact(inner) in by_compact else (tidy_title(inner), span)
        if body_title is None and looks_like_title(line):
            body_title = (tidy_title(line), span)
    # 3. the header title when plausible and not contradicted by the body
    header_title = source.header.get("title", "")
    if header_title:
        inner = unwrap_notice(header_title) or _issued_title(header_title) or header_title
        if looks_like_title(inner):
            if body_title is None:
                return located(inner)
            if compact(inner).endswith(compact(body_title[0])):
                same = compact(inner) == compact(body_title[0])
                return tidy_title(inner), body_title[1] if same else None
    if body_title:
        return body_title
    # 3b. a crawl's page title line, after the site or body it names first
    page = _page_title(source.header.get("title_line", ""))
    if page:
        return located(page)
    # 4. synthesized from the purpose sentence
    synthesized = _synthesized_title(head, issuer)
    if synthesized:
        return synthesized, None
    def plain(line: str) -> bool:
        return (not SENTENCE_PUNCT.search(line) and len(_HAN.findall(line)) >= 4
                and not _MARKUP.search(line))

    # 5. the markdown title the file gives itself (``# 某县重点工作任务分工``), before a
    # line of its body: what a file calls itself is a title, a table's first cell is not
    own = source.header.get("title_line", "").strip()
    if plain(own):
        return located(own)
    first = next((line for line, _ in head if plain(line)), "")
    return (tidy_title(first) or Path(source.name).stem or text[:20]), None


_ISSUED = re.compile(r"(?:印发|转发|发布|公布)《(?P<title>[^《》]{4,90})》$")


def _issued_title(line: str) -> str | None:
    """``省人民政府办公厅印发《某省扩大民间投资三年行动方案》``, a page's headline for the
    notice that distributes a plan: the plan's title."""
    m = _ISSUED.search(compact(line))
    return m.group("title") if m and looks_like_title(m.group("title")) else None


_PAGE_TITLE_SEP = re.compile(r"\s*(?:[-_|｜]|——)\s*")


def _page_title(line: str) -> str | None:
    """The document's title in a page title ``某省商务厅-某省…征集公告`` or
    ``…实施方案_某市人民政府``: the one part that reads as a title."""
    parts = [_unquoted(p) for p in _PAGE_TITLE_SEP.split(line) if p]
    found = [p for p in parts if looks_like_title(p)]
    return found[0] if len(found) == 1 else None


def _unquoted(part: str) -> str:
    """``《某省行动计划》`` → ``某省行动计划``: a page title may quote the document's name."""
    part = part.strip()
    if part.startswith("《") and part.endswith("》") and part.count("《") == 1:
        return part[1:-1]
    return part


_HAN = re.compile(r"[\u4e00-\u9fff]")
_MARKUP = re.compile(r"[<>{}=]|&\w+;")
"""A line of page code (``<script>``, ``p {``, ``&nbsp;``) is never a title, and neither is
a line with hardly any Chinese in it: a fallback title is a line of the document's words."""




_SELF_REFERENCE = re.compile(r"^(?:关于)?(?:本|我|全)[省市区县]")


def _self_named(inner: str, head: list[tuple[str, Span]]) -> tuple[str, Span] | None:
    """The plan's own title line when the wrapper names it by self-reference:
    ``印发本区X工作方案的通知`` and a head line ``某市某区X工作方案``."""
    m = _SELF_REFERENCE.match(compact(inner))
    if not m:
        return None
    rest = compact(inner)[m.end():]
    for line, span in head:
        t = compact(line)
        if t != compact(inner) and t.endswith(rest) and looks_like_title(line):
            return tidy_title(line), span
    return None


def _wrapper(source: SourceText, head: list[tuple[str, Span]], title: str) -> str | None:
    """The notice that distributes the plan, when the document is one (its title)."""
    for line, _ in head:
        if unwrap_notice(line):
            return tidy_title(line)
    for key in ("title", "title_line"):
        value = source.header.get(key, "")
        if unwrap_notice(value):
            return tidy_title(value)
    return None


def infer_jurisdiction(
    text: str, gazetteer, issuer: str | None = None, doc_number: str | None = None
) -> str | None:
    """The region key of a text (see :mod:`extract.jurisdiction`); kept for callers that
    want the key alone."""
    issuers = (issuer,) if issuer else ()
    return jur.infer(gazetteer, text, issuers=issuers, doc_number=doc_number).key


def extract_meta(source: SourceText, gazetteer) -> DocumentMeta:
    """The document's metadata from its normalized text and scraped header.

    ``gazetteer`` needs ``find_in(text)``, ``get(key)``, ``lookup(name)`` and
    ``ancestors(key)``; ``by_abbreviation`` and ``initial_child`` are used when present.
    """
    lines = document_lines(source.text)
    head = head_lines(source.text)
    number = _own_number(source, head)
    issuers = find_issuers(source, lines, head, number, gazetteer)
    names = tuple(dict.fromkeys(name for name, _ in issuers))
    spans = tuple(next(s for n, s in issuers if n == name) for name in names)
    issuer = names[0] if names else None
    joined = join_title_lines(head)
    title, title_span = _title(source, joined, issuer)
    wrapper = _wrapper(source, joined, title)
    dates = date_lines(lines)
    issued = next((d for _, d, pure in dates if pure), None)
    if issued is None:
        issued = next((d for _, d, _ in dates), None) or _header_date(source.header)
    doc_type = doc_type_of(title)
    if doc_type is None and wrapper:
        doc_type = doc_type_of(wrapper)
    place = jur.infer(
        gazetteer, source.text, issuers=names, doc_number=number, header=source.header,
        titles=tuple(t for t in (title, wrapper) if t),
    )
    return DocumentMeta(
        title=title,
        title_span=title_span,
        doc_number=number,
        issuer=issuer,
        issuer_span=spans[0] if spans else None,
        issued=issued,
        doc_type=doc_type,
        jurisdiction=place.key,
        issuers=names,
        issuer_spans=spans,
        jurisdiction_basis=place.basis,
        wrapper=wrapper,
    )

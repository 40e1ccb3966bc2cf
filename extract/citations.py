"""References to other documents: ``《title》``, ``《title》(文号)`` and bare 文号.

A citation is what links a plan to the policy it implements (``根据《…意见》(鄂发〔2023〕10号)
精神``), so the graph wants it with both handles when the text gives both. Rules:

* ``《X》`` is a document reference only when X ends in a document-type word of
  ``document_types.tsv`` (规划, 意见, 纲要, 条例, 法, 办法, 目录…): book and newspaper
  titles and slogans in 《》 are not documents.
* A 文号 in brackets right after ``》`` belongs to that title (one citation).
* A 文号 anywhere else is a citation of its own, without title.
* The document's own title (e.g. in its 印发 wrapper) and own 文号 are not citations;
  the caller passes them.

Citations come in text order; each span covers what the text says for it.
"""

from __future__ import annotations

import re

from extract.document import DOC_NUMBER, compact, document_types, standard_number, tidy_title
from extract.model import Citation, Span

_TITLE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
_BRACKETED_NUMBER = re.compile(r"\s*[(（]\s*(?P<inner>[^()（）\n]{4,40}?)\s*[)）]")
_NOTE = re.compile(
    r"[(（](?:试行|暂行|征求意见稿|修订|修订稿|草案|送审稿|\d{4}年[^)）]{0,8})[)）]$"
)


def is_document_title(title: str) -> bool:
    """Whether a 《》 title names a document: it ends in a document-type word."""
    t = _NOTE.sub("", compact(title))
    return any(t.endswith(dt.suffix) and len(t) > len(dt.suffix) for dt in document_types())


def find_citations(
    text: str, own_title: str | None = None, own_number: str | None = None
) -> list[Citation]:
    """Every document reference in ``text``, in order, self-references left out."""
    own_key = compact(own_title) if own_title else None
    citations: list[Citation] = []
    taken: list[Span] = []
    for m in _TITLE.finditer(text):
        title = m.group("title")
        if not is_document_title(title):
            continue
        number = None
        end = m.end()
        after = _BRACKETED_NUMBER.match(text, m.end())
        if after:
            found = DOC_NUMBER.fullmatch(after.group("inner").replace(" ", ""))
            if found:
                number = standard_number(found)
                end = after.end()
        span = Span(m.start(), end)
        taken.append(span)
        if (own_key and compact(title) == own_key) or (number and number == own_number):
            continue
        citations.append(Citation(title=tidy_title(title), doc_number=number, span=span))
    for m in DOC_NUMBER.finditer(text):
        span = Span(m.start(), m.end())
        if any(t.contains(span) for t in taken):
            continue
        number = standard_number(m)
        if number == own_number:
            continue
        prefix_cut = len(m.group("prefix")) - len(number.split("〔", 1)[0])
        start = m.start() + max(0, prefix_cut)
        citations.append(Citation(title=None, doc_number=number, span=Span(start, m.end())))
    return sorted(citations, key=lambda c: (c.span.start, c.span.end))

"""References to other documents: ``《title》``, ``《title》(文号)`` and bare 文号.

A citation is what links a plan to the policy it implements (``根据《…意见》(鄂发〔2023〕10号)
精神``), so the graph wants it with both handles when the text gives both. Rules:

* ``《X》`` is a document reference only when X ends in a document-type word of
  ``document_types.tsv`` (规划, 意见, 纲要, 条例, 法, 办法, 目录…): book and newspaper
  titles and slogans in 《》 are not documents.
* A 文号 in brackets right after ``》`` belongs to that title (one citation).
* A 文号 anywhere else is a citation of its own, without title.
* The document itself is not cited: its own title, its 印发 wrapper and its own 文号
  (the caller passes them), compared without spaces and with 〈〉 read as 《》.
* Crawler lines (``>`` notes, ``---`` fences) are not the document's text.
* A document the text says it *will* draft or revise is *planned*, not cited:
  ``制定《…办法》``, ``研究出台《…》``, ``修订《…条例》`` (a verb of
  ``citation_plan_words.tsv`` right before the title, not after ``已``), a title given
  to an agency as a task (``《…办法》（责任单位：…）``), and the titles listed right
  after such a one (``制定《A》《B》和《C》``). :func:`find_planned` returns those.

Citations come in text order; each span covers what the text says for it.
"""

from __future__ import annotations

import re
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.doctext import (
    DOC_NUMBER,
    TRAILING_NOTE,
    compact,
    document_types,
    is_crawler_line,
    lines_with_spans,
    standard_number,
    tidy_title,
    unwrap_notice,
)
from policykg.extract.model import Citation, Span

_TITLE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
_BRACKETED_NUMBER = re.compile(r"\s*[(（]\s*(?P<inner>[^()（）\n]{4,40}?)\s*[)）]")
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n（(）)]")
_LIST_GAP = re.compile(r"^\s*(?:[、，,]|和|及|与|以及)?\s*$")


@cache
def _plan_words() -> dict[str, tuple[str, ...]]:
    kinds: dict[str, list[str]] = {}
    for r in read_tsv("citation_plan_words.tsv"):
        kinds.setdefault(r["kind"], []).append(r["word"])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in kinds.items()}


def is_document_title(title: str) -> bool:
    """Whether a 《》 title names a document: it ends in a document-type word."""
    t = TRAILING_NOTE.sub("", compact(title))
    return any(t.endswith(dt.suffix) and len(t) > len(dt.suffix) for dt in document_types())


def _key(title: str) -> str:
    return compact(title).replace("〈", "《").replace("〉", "》")


def _own_keys(own_title: str | None, wrapper: str | None) -> set[str]:
    keys = set()
    for t in (own_title, wrapper, unwrap_notice(wrapper) if wrapper else None):
        if t:
            keys.add(_key(t))
    return keys


def _crawler_spans(text: str) -> list[Span]:
    return [span for line, span in lines_with_spans(text) if is_crawler_line(line)]


def _planned_by_verb(text: str, start: int) -> bool:
    clause = text[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(clause, max(0, start - 24))), default=0)
    before = compact(clause[max(cut, start - 24):])
    words = _plan_words()
    for verb in words.get("verb", ()):
        if before.endswith(verb):
            lead = before[: -len(verb)]
            return not any(lead.endswith(p) for p in words.get("past", ()))
    return False


def _planned_by_assignment(text: str, end: int) -> bool:
    after = compact(text[end : end + 8]).lstrip("(（")
    return any(after.startswith(label) for label in _plan_words().get("assigned", ()))


def classify(
    text: str,
    own_title: str | None = None,
    own_number: str | None = None,
    wrapper: str | None = None,
) -> tuple[list[Citation], list[Citation]]:
    """(citations, planned documents) of ``text``, each in text order."""
    own = _own_keys(own_title, wrapper)
    notes = _crawler_spans(text)
    citations: list[Citation] = []
    planned: list[Citation] = []
    taken: list[Span] = []
    previous: tuple[int, bool] = (-1, False)  # end of the last title, was it planned
    for m in _TITLE.finditer(text):
        title = m.group("title")
        if not is_document_title(title):
            continue
        span = Span(m.start(), m.end())
        if any(n.contains(span) for n in notes):
            taken.append(span)
            continue
        number = None
        after = _BRACKETED_NUMBER.match(text, m.end())
        if after:
            found = DOC_NUMBER.fullmatch(after.group("inner").replace(" ", ""))
            if found:
                number = standard_number(found)
                span = Span(m.start(), after.end())
        taken.append(span)
        listed = previous[1] and _LIST_GAP.match(text[previous[0] : m.start()]) is not None
        is_planned = (
            listed or _planned_by_verb(text, m.start()) or _planned_by_assignment(text, m.end())
        )
        previous = (span.end, is_planned)
        if _key(title) in own or (number and number == own_number):
            continue
        record = Citation(title=tidy_title(title), doc_number=number, span=span)
        (planned if is_planned else citations).append(record)
    for m in DOC_NUMBER.finditer(text):
        span = Span(m.start(), m.end())
        if any(t.contains(span) for t in taken) or any(n.contains(span) for n in notes):
            continue
        number = standard_number(m)
        if number == own_number:
            continue
        prefix_cut = len(m.group("prefix")) - len(number.split("〔", 1)[0])
        start = m.start() + max(0, prefix_cut)
        citations.append(Citation(title=None, doc_number=number, span=Span(start, m.end())))
    citations.sort(key=lambda c: (c.span.start, c.span.end))
    return citations, planned


def find_citations(
    text: str,
    own_title: str | None = None,
    own_number: str | None = None,
    wrapper: str | None = None,
) -> list[Citation]:
    """Every document reference in ``text``, in order; self-references and planned
    documents left out."""
    return classify(text, own_title, own_number, wrapper)[0]


def find_planned(
    text: str, own_title: str | None = None, wrapper: str | None = None
) -> list[Citation]:
    """The documents ``text`` says will be drafted, formulated or revised."""
    return classify(text, own_title, None, wrapper)[1]

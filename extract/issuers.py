"""Who issued a document: every signer of a co-issued document, first signer first.

A plan co-signed by several bodies lists them in the signature block above the date,
one or two per line (a two-column layout flattens ``徐汇区发展和改革委员会徐汇区建设和
管理委员会`` into one line), or in a ``X文件`` banner (``中共某市委 某市人民政府文件``).
The first signer is the lead issuer; the others are issuers too. Sources, in order:

1. the ``X文件`` banner of the head;
2. the signature block: the agency lines right above the first date line;
3. the ``发布单位``/``发布机构`` header field (stated metadata of the page);
4. the issuer of the 文号 prefix table (``鄂政办发`` → 湖北省人民政府办公厅);
5. the issuer before ``关于印发…的通知`` in the wrapper line or in the header title;
6. the scraped ``来源`` field.

A line is an agency when it ends in an issuer suffix (``doc_issuer_suffixes.tsv``) and
has no sentence punctuation. Nothing is invented: without any of these, no issuer.
"""

from __future__ import annotations

import re
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.doctext import (
    SENTENCE_PUNCT,
    compact,
    date_lines,
    number_prefix,
    tidy_title,
    wrapper_issuer,
)
from policykg.extract.model import SourceText, Span

Issuer = tuple[str, Span | None]

_MAX_SIGNATURE_LINES = 20


@cache
def _issuer_suffixes() -> tuple[str, ...]:
    rows = (r["suffix"] for r in read_tsv("doc_issuer_suffixes.tsv"))
    return tuple(sorted(rows, key=len, reverse=True))


@cache
def number_prefixes() -> tuple[tuple[str, str, str], ...]:
    """(prefix, issuer, region key) rows of ``doc_number_prefixes.tsv``, longest first."""
    rows = [
        (r["prefix"], r["issuer"], r["jurisdiction"]) for r in read_tsv("doc_number_prefixes.tsv")
    ]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


def looks_like_agency(s: str) -> bool:
    t = compact(s)
    return (
        2 <= len(t) <= 40
        and not SENTENCE_PUNCT.search(t)
        and any(t.endswith(suffix) for suffix in _issuer_suffixes())
    )


def _suffix_ends(part: str) -> list[int]:
    """Positions right after an issuer suffix inside ``part`` (candidate cut points)."""
    ends = set()
    for suffix in _issuer_suffixes():
        start = part.find(suffix)
        while start >= 0:
            ends.add(start + len(suffix))
            start = part.find(suffix, start + 1)
    return sorted(e for e in ends if 2 <= e < len(part) - 1)


def split_signers(line: str, span: Span, gazetteer=None) -> list[Issuer]:
    """The agencies of one signature line, in reading order, each with its span.

    Names separated by spaces are split there; names run together are cut after an
    issuer suffix where the next name starts: the same place as the line's first name
    (``黄浦区…委员会黄浦区…局``), a place of the gazetteer, or ``中共``.
    """
    out: list[Issuer] = []
    pos = 0
    for word in re.split(r"(\s+)", line):
        start = pos
        pos += len(word)
        if not word or word.isspace():
            continue
        out.extend(_split_run(word, span.start + start, gazetteer))
    if out and all(looks_like_agency(name) for name, _ in out):
        return [signer for name, at in out for signer in listed(name, at, gazetteer)]
    return listed(tidy_title(line), span, gazetteer) if looks_like_agency(line) else []


def listed(name: str, span: Span | None, gazetteer=None) -> list[Issuer]:
    """The bodies of one signer written as a list: ``西藏自治区商务厅、财政厅`` is
    西藏自治区商务厅 and 西藏自治区财政厅 (the first one's place is shared by
    those that write none). A place written twice in a row (a two-column signature
    flattened: ``某省 某省发展和改革委员会、能源局``) is one place. A body whose surface
    is not the text's own keeps no span."""
    t = compact(name)
    place = _leading_place(t, gazetteer)
    if place and t[len(place):].startswith(place):
        t, span = t[len(place):], None
    parts = [p for p in t.split("、") if p]
    if len(parts) < 2 or not all(looks_like_agency(p) for p in parts):
        return [(tidy_title(name) if t == compact(name) else t, span)]
    out: list[Issuer] = []
    offset = 0
    for i, part in enumerate(parts):
        own = i == 0 or not place or bool(_leading_place(part, gazetteer))
        at = None
        if own and span is not None and name == t:
            start = t.index(part, offset)
            at = Span(span.start + start, span.start + start + len(part))
            offset = start + len(part)
        out.append((part if own else place + part, at))
    return out


def _leading_place(text: str, gazetteer) -> str:
    """The place name ``text`` opens with (the longest the gazetteer finds at 0), or ''."""
    if gazetteer is None:
        return ""
    ends = [s.end for _, s in gazetteer.find_in(text) if s.start == 0]
    return text[: max(ends)] if ends else ""


_HEADQUARTERS = ("总局", "总行", "总署")


def _split_run(word: str, offset: int, gazetteer) -> list[Issuer]:
    place_starts = set()
    if gazetteer is not None:
        place_starts = {s.start for _, s in gazetteer.find_in(word)}
    head = word[:3]
    cuts = [0]
    for end in _suffix_ends(word):
        rest = word[end:]
        starts_name = (
            (len(head) == 3 and rest.startswith(head))
            or end in place_starts
            or rest.startswith("中共")
        )
        left = word[cuts[-1]:end]
        if left.endswith(_HEADQUARTERS):
            continue  # 国家税务总局某省税务局: the rest is the headquarters' branch, one body
        if starts_name and looks_like_agency(left) and looks_like_agency(rest):
            cuts.append(end)
    cuts.append(len(word))
    return [
        (word[a:b], Span(offset + a, offset + b)) for a, b in zip(cuts, cuts[1:], strict=False)
    ]


def _banner(head: list[tuple[str, Span]], gazetteer) -> list[Issuer]:
    for line, span in head:
        m = re.fullmatch(r"(.{2,60}?)\s*文件", line)
        if m and looks_like_agency(m.group(1)):
            return split_signers(m.group(1), Span(span.start, span.start + len(m.group(1))),
                                 gazetteer)
    return []


def _signature(lines: list[tuple[str, Span]], gazetteer) -> list[Issuer]:
    """The agency lines right above the first date line that has any."""
    for i, _, _ in date_lines(lines):
        block: list[list[Issuer]] = []
        j = i - 1
        while j >= 0 and len(block) < _MAX_SIGNATURE_LINES:
            signers = split_signers(lines[j][0], lines[j][1], gazetteer)
            if not signers:
                break
            block.append(signers)
            j -= 1
        if block:
            return [signer for row in reversed(block) for signer in row]
    return []


def find_issuers(
    source: SourceText,
    lines: list[tuple[str, Span]],
    head: list[tuple[str, Span]],
    number: str | None,
    gazetteer=None,
) -> list[Issuer]:
    """Every issuer of the document, first signer first (see the module docstring)."""
    found = _banner(head, gazetteer) or _signature(lines, gazetteer)
    if found:
        return found
    for key in ("issuer", "发布单位", "发布机构", "发文机关"):
        value = source.header.get(key, "")
        if value and looks_like_agency(value):
            return listed(tidy_title(value), None, gazetteer)
    prefix = number_prefix(number)
    if prefix:
        for known, issuer, _ in number_prefixes():
            if prefix.startswith(known) and issuer:
                return [(issuer, None)]
    for line, span in head:
        issuer = wrapper_issuer(line)
        if issuer and looks_like_agency(issuer):
            here = line.startswith(issuer)
            return [(issuer, Span(span.start, span.start + len(issuer)) if here else None)]
    issuer = wrapper_issuer(source.header.get("title", ""))
    if issuer and looks_like_agency(issuer):
        return [(issuer, None)]
    for key in ("source_site_issuer", "来源", "source"):
        value = source.header.get(key, "")
        if value and looks_like_agency(value):
            return [(tidy_title(value), None)]
    return []

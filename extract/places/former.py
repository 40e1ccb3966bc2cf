"""Names divisions had before (GB/T 2260, 2002–2013), for a document's own place only.

An older document keeps the name its place had when it was issued (``临安市`` before it
became 杭州市临安区, ``溧水县`` before 南京市溧水区). ``data/former_regions.tsv`` (generated
by ``data/make_former_regions.py``) maps each such full name to the region that holds it
now. It is read for what a document says of itself — its issuer, header and title — when
they name no current place, and never in running text or as a label of the region: the
graph names regions as they are, and a former name in a plan's body is history.
"""

from __future__ import annotations

from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.model import Span


@cache
def former_names() -> dict[str, str]:
    """Former full name -> the current region key."""
    return {r["name_zh"]: r["key"] for r in read_tsv("former_regions.tsv")}


@cache
def _by_first() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for name in former_names():
        out.setdefault(name[0], []).append(name)
    return {c: tuple(sorted(ns, key=lambda n: (-len(n), n))) for c, ns in out.items()}


def former_in(text: str) -> list[tuple[str, Span]]:
    """(current key, span) of every former full name in ``text``, longest first at each
    position, left to right, not overlapping."""
    out: list[tuple[str, Span]] = []
    names, i = _by_first(), 0
    while i < len(text):
        hit = next((n for n in names.get(text[i], ()) if text.startswith(n, i)), None)
        if hit is None:
            i += 1
            continue
        out.append((former_names()[hit], Span(i, i + len(hit))))
        i += len(hit)
    return out

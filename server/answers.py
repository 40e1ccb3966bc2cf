"""Whole answers kept for queries asked again: the store is read-only while it is served, so
a deterministic query gives the same answer every time.

Why (issue 11): on two cores, every query through the front costs about twice what raw
Oxigraph spends on a small lookup, and no design measured gets that under 0.9x
(docs/ARCHITECTURE.md, *Serving*). Clients repeat themselves, though: the query page's
examples, a dashboard's panels, the linked-data pages' lookups. An answer served from here
costs the front's parsing and a dictionary lookup, with no backend at all.

What is never kept: queries whose answer may differ between two runs (``NOW()``,
``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``, ``SERVICE``: found in the text,
comments and strings included, so a doubt means "not kept"), texts over ``lexer.SHORT_TEXT``
characters, answers over ``max_bytes // 16``, errors and streamed answers. What is kept is
bounded in bytes (text and answer), the least recently used dropped first.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from policykg.server.lexer import SHORT_TEXT

_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(|\bSERVICE\b", re.IGNORECASE)
_VOLATILE_WORDS = ("NOW", "RAND", "UUID", "BNODE", "SERVICE")
"""What ``_VOLATILE`` can match contains one of these: a text without any (the common
case) needs no regex (the regex alone took a third of a kept answer's time)."""
_OVERHEAD = 256
"""Bytes counted per entry beyond its text and answer (the key tuple, the meta dict)."""


def cacheable(query: str) -> bool:
    """Whether the answer to ``query`` may be kept: short, and nothing in it that differs
    between runs (a conservative test on the raw text)."""
    if len(query) > SHORT_TEXT:
        return False
    upper = query.upper()
    if not any(word in upper for word in _VOLATILE_WORDS):
        return True
    return _VOLATILE.search(query) is None


@dataclass(frozen=True)
class Kept:
    meta: dict
    content: bytes
    query_time: str


class AnswerCache:
    """Least recently used answers, at most ``max_bytes`` of text and answer in all."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 16
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> Kept | None:
        kept = self._kept.get(key)
        if kept is None:
            self.misses += 1
            return None
        self._kept.move_to_end(key)
        self.hits += 1
        return kept

    def put(self, key: tuple, kept: Kept) -> None:
        size = _size(key, kept)
        if size > self.max_entry or key in self._kept:
            return
        self._kept[key] = kept
        self.bytes += size
        while self.bytes > self.max_bytes:
            old_key, old = self._kept.popitem(last=False)
            self.bytes -= _size(old_key, old)

    def report(self) -> dict:
        return {"entries": len(self._kept), "bytes": self.bytes, "hits": self.hits,
                "misses": self.misses}


def _size(key: tuple, kept: Kept) -> int:
    return 4 * len(key[0]) + len(kept.content) + _OVERHEAD  # up to 4 bytes a character


class WholeAnswer:
    """A lease's face for an answer already whole (kept, or just taken from its lease):
    ``take_complete`` for the handlers, ``recv`` for the streaming response (HEAD)."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self._sent = False

    def take_complete(self) -> bytes:
        return self.content

    async def recv(self, deadline: float):
        if self._sent:
            return ("end", None)
        self._sent = True
        return ("chunk", self.content)

    def release(self) -> None:
        """Nothing to give back: the worker was released when the answer was taken."""

    discard = drop = release

"""What a query is likely to cost, learned from what queries of the same shape cost before.

Why: the pool keeps a *fast lane* of workers for cheap queries, so that a one-task lookup
does not wait behind multi-second aggregations (Oxigraph's own server interleaves them on
threads; our queries run in killable processes, one at a time each). Which queries are
cheap cannot be read off the text reliably, but the same question is asked again and
again with other constants — a page's lookup for another task, the same aggregation
for another region — so the cost of a *shape* (the query with its IRIs, literals and
numbers blanked out) predicts the next one well.

A shape nobody has seen yet is tried in the fast lane under a short budget: a malformed
query or an update attempt is refused there at once, a new cheap query is answered at
once, and a new heavy query is stopped when the budget runs out, marked expensive and
sent to the general lane. The table is bounded (least recently used shapes are dropped).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from policykg.server import lexer

_SHAPE_KEPT_UP_TO = 512
"""A longer shape is kept as its digest, so the cost table's 4,096 keys stay small."""


@lexer.by_short_text(lexer.SHORT_TEXT, maxsize=4096)  # 4,096 of them: at most 16 MB
def query_shape(text: str) -> str:
    """:func:`server.lexer.query_shape` (a long one as its digest), remembered by exact
    text for short queries, because clients repeat their queries verbatim as often as not."""
    shape = lexer.query_shape(text)
    if len(shape) <= _SHAPE_KEPT_UP_TO:
        return shape
    return "#" + hashlib.blake2b(shape.encode("utf-8"), digest_size=16).hexdigest()


class CostModel:
    """CPU seconds a worker spent on queries of each shape (exponentially weighted mean).

    ``cheap(shape)`` is what the pool asks: true for a shape that has been cheap so far
    or has never been seen.
    """

    def __init__(self, cheap_below: float = 0.2, max_shapes: int = 4096,
                 weight: float = 0.3) -> None:
        self.cheap_below = cheap_below
        self.max_shapes = max_shapes
        self.weight = weight
        self._seconds: OrderedDict[str, float] = OrderedDict()

    def expected(self, shape: str) -> float | None:
        return self._seconds.get(shape)

    def cheap(self, shape: str) -> bool:
        seconds = self._seconds.get(shape)
        return seconds is None or seconds < self.cheap_below

    def observe(self, shape: str, seconds: float) -> None:
        """Record one run (a run stopped at a time limit is recorded as the time it had)."""
        table = self._seconds
        old = table.pop(shape, None)
        table[shape] = seconds if old is None else old + self.weight * (seconds - old)
        if len(table) > self.max_shapes:
            table.popitem(last=False)

    def __len__(self) -> int:
        return len(self._seconds)

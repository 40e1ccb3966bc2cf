"""Waiting for a wake-up or a deadline, whichever comes first.

Why: the pipe of a worker (server/pool.py) and the connection to an oxigraph backend
(server/binary.py) both park a request on a future that the protocol callback resolves
when data arrives; the request must also give up at its deadline. One helper does it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until_woken(deadline: float,
                      park: Callable[[asyncio.Future | None], None]) -> bool:
    """Wait until the future handed to ``park`` is resolved or ``deadline``
    (``time.monotonic``) passes; ``park(None)`` afterwards. False if the deadline had
    already passed (nothing was parked)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    loop = asyncio.get_running_loop()
    waiter = loop.create_future()
    park(waiter)
    timer = loop.call_later(remaining, _expire, waiter)
    try:
        await waiter
    finally:
        timer.cancel()
        park(None)
    return True


def _expire(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)

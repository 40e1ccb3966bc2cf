"""Who gets the next free worker: per-client fairness that varying a query cannot defeat.

Why: the fast lane trusts a query shape it has never seen (a new cheap question must be
answered at once), so a client that changes its heavy query's structure every time makes
every query a new shape; each ran in the fast lane until its budget ran out, and small
lookups went from 1.7 ms to 1.8 s. Renaming variables is caught by the shape; varying
constants too; varying structure cannot be caught by any shape. So the pool also looks
at *who* asks:

* **Trials are rationed per client.** A client may have one never-seen shape on trial in
  the fast lane at a time, and a client whose trial overran the fast budget gets no
  trials for ``distrust_seconds``: its new shapes go straight to the general lane. Known
  cheap shapes still use the fast lane.
* **One fast-lane job per client**, and a freed fast worker serves the waiting client
  that was served longest ago (round robin), so nobody waits behind more than one job of
  each other client.
* **A freed general worker serves the client with the fewest jobs running** (oldest
  request first among equals): work-conserving — a lone client still uses every worker —
  but a newcomer is served next, however many requests a heavy client has queued.

A client is its IP address (an IPv6 /64, which one subscriber usually has whole). Behind
a reverse proxy every request comes from the proxy; the proxy should then do this.
Tables are bounded: at most ``max_clients`` entries each, oldest dropped.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass, field

FAST, GENERAL = "fast", "general"


def client_key(client: tuple[str, int] | None) -> str:
    """The fairness key of an ASGI ``scope["client"]``."""
    if not client:
        return "-"
    host = client[0]
    if ":" in host:  # IPv6: the /64
        return ":".join(host.split(":")[:4]) + "::/64"
    return host


@dataclass(order=True)
class Waiter:
    arrival: int
    client: str = field(compare=False)
    cheap: bool = field(compare=False)
    future: asyncio.Future = field(compare=False)
    known: bool = field(default=True, compare=False)
    """The query's shape has been seen (a never-seen one is tried in the fast lane only)."""


class Clients:
    """Jobs running per client, trials, distrust, and whom a freed worker serves."""

    def __init__(self, distrust_seconds: float = 60.0, max_clients: int = 4096) -> None:
        self.distrust_seconds = distrust_seconds
        self.max_clients = max_clients
        self.running: dict[str, int] = {}
        self.fast_running: dict[str, int] = {}
        self.trials: dict[str, int] = {}
        self._served: OrderedDict[str, int] = OrderedDict()
        self._serial = 0
        self._distrusted: OrderedDict[str, float] = OrderedDict()

    # ---------------------------------------------------------------- trials
    def may_trial(self, client: str) -> bool:
        """Whether a never-seen shape of ``client`` may be tried in the fast lane."""
        if self.trials.get(client):
            return False
        until = self._distrusted.get(client)
        if until is None:
            return True
        if until <= time.monotonic():
            del self._distrusted[client]
            return True
        return False

    def distrust(self, client: str) -> None:
        """``client``'s trial overran the fast budget: no trials for a while."""
        self._distrusted.pop(client, None)
        self._distrusted[client] = time.monotonic() + self.distrust_seconds
        if len(self._distrusted) > self.max_clients:
            self._distrusted.popitem(last=False)

    def distrusted(self) -> int:
        now = time.monotonic()
        return sum(until > now for until in self._distrusted.values())

    # ---------------------------------------------------------------- accounting
    def started(self, client: str, lane: str) -> None:
        _add(self.running, client, 1)
        if lane == FAST:
            _add(self.fast_running, client, 1)
        self._serial += 1
        self._served.pop(client, None)
        self._served[client] = self._serial
        if len(self._served) > self.max_clients:
            self._served.popitem(last=False)

    def begin_trial(self, client: str) -> None:
        _add(self.trials, client, 1)

    def finished(self, client: str, lane: str, trial: bool) -> None:
        _add(self.running, client, -1)
        if lane == FAST:
            _add(self.fast_running, client, -1)
        if trial:
            _add(self.trials, client, -1)

    def may_use_fast(self, client: str) -> bool:
        return not self.fast_running.get(client)

    # ---------------------------------------------------------------- scheduling
    def pick(self, waiting: list[Waiter], lane: str) -> Waiter | None:
        """The waiter a freed worker of ``lane`` serves (removed from ``waiting``)."""
        best: Waiter | None = None
        best_key: tuple = ()
        alive = []
        for w in waiting:
            if w.future.done():  # gave up (timeout, client gone)
                continue
            alive.append(w)
            if lane == FAST:
                if not w.cheap or self.fast_running.get(w.client):
                    continue
                key = (self._served.get(w.client, 0), w.arrival)
            else:
                key = (self.running.get(w.client, 0), w.arrival)
            if best is None or key < best_key:
                best, best_key = w, key
        if len(alive) != len(waiting):
            waiting[:] = alive
        if best is not None:
            waiting.remove(best)
        return best


def _add(table: dict[str, int], key: str, n: int) -> None:
    value = table.get(key, 0) + n
    if value > 0:
        table[key] = value
    else:
        table.pop(key, None)

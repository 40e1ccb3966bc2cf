"""The pool of Oxigraph server backends (:mod:`server.binary`): lanes, deadlines, row caps.

The same contract as :class:`server.pool.WorkerPool` (``submit`` returns a lease and the
job's ``meta``; the same exceptions), so the app, its pages and the raw front
(:mod:`server.front`) use either engine unchanged. What differs is who evaluates: the
``oxigraph`` binary, a few queries per backend at a time (:class:`Slot`: one heavy query
and cheap ones beside it on a general backend), so that killing a backend at a
deadline stops the heavy query that overran (cheap ones beside it run again elsewhere).

* **Lanes and fairness** as in the worker pool: ``fast_size`` backends for shapes that
  have been cheap (:mod:`server.costs`) under ``fast_budget``; an overrun there kills that
  backend and runs the query again in the general lane with the time it has left (a read
  is idempotent); :mod:`server.fairness` decides whom a freed backend serves.
* **The deadline**: past it the backend is SIGKILLed and restarted in the background; the
  caller gets :class:`QueryTimeout` (503). The binary's own ``--timeout-s`` is not used.
* **Transport formats**: SELECT answers are asked for as SPARQL TSV and graphs as
  N-Triples, where a line is a row, so counting rows and cutting at the cap cost a
  ``bytes.count``; the answer is then written in the client's format by pyoxigraph's
  serializers (same engine, same output), TSV and N-Triples pass through as they are.
* **Cost** learnt per shape: wall time for a query that was quick (it cannot have used
  more CPU than that), the backend's CPU time from ``/proc`` for the others.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import re
import signal
import time
from urllib.parse import quote

from policykg.ontology.vocab import PREFIXES
from policykg.server import binary
from policykg.server.costs import CostModel
from policykg.server.errors import engine_message, with_prologue
from policykg.server.fairness import FAST, GENERAL, Clients, Waiter
from policykg.server.lexer import (
    SHORT_TEXT,
    QueryTooComplex,
    by_short_text,
    check_limits,
    uses_service,
)
from policykg.server.pool import JobError, Lease, PoolBusy, QueryTimeout, WorkerFailed
from policykg.server.worker import looks_like_update
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results, serialize

log = logging.getLogger("policykg.server.binpool")

GENERAL_NICE = 0
"""General backends run at the same priority as the front: on a machine shared with other
work a niced backend loses CPU to strangers, not only to our fast lane, which is kept
free for cheap queries by its own backend and slots."""
SPARE = "spare"
"""Idle spare slots of general backends (:class:`Slot`)."""
TSV = "text/tab-separated-values"
NTRIPLES = "application/n-triples"
MAX_ANSWER_BYTES = 512 * 1024 * 1024
"""An answer larger than this (within the row cap) is refused with 503."""

_FORM = re.compile(
    r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*\s*([A-Za-z]+)", re.I)
_DEATHS = {
    -signal.SIGABRT: "the query exceeded the backend's memory limit",
    -signal.SIGKILL: "the backend was killed, most likely for memory",
    -signal.SIGSEGV: "the query engine crashed on this query",
}


_QUERY_DEATHS = (-signal.SIGABRT, -signal.SIGSEGV)


def _why(code: int | None) -> str:
    if code is None:
        return "the backend closed the connection"
    return _DEATHS.get(code, f"the backend exited with status {code}")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE from the first word after the prologue."""
    m = _FORM.match(text)
    word = m.group(1).upper() if m else None
    return word if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else None


class Backend:
    """One backend process; the pool's ``Worker`` (``/health`` counts these)."""

    def __init__(self, process: binary.Process, lane: str) -> None:
        self.process = process
        self.lane = lane
        self.alive = True
        """False once the pool has given it up (killed or found dead)."""

    async def death(self) -> int | None:
        """The exit status once the process has ended (None if it lives on: the
        connection broke for another reason). Waits a little, without blocking."""
        for _ in range(20):
            code = self.process.exitcode
            if code is not None:
                return code
            await asyncio.sleep(0.01)
        return None

    def kill(self) -> None:
        self.alive = False
        if self.process.is_alive():
            self.process.popen.kill()

    def reap(self) -> None:
        try:
            self.process.popen.wait(timeout=5)
        except Exception:
            pass


class Slot:
    """One kept-alive connection to a backend: one query at a time. A backend has
    ``slots`` of them, so it evaluates that many queries at once on its threads; a kill
    for one query's deadline breaks the others' connections, and they are run again on
    another backend (reads are idempotent)."""

    __slots__ = ("backend", "reply", "lane", "process", "cpu_mark", "spare")

    def __init__(self, backend: Backend, reply, spare: bool = False) -> None:
        self.backend = backend
        self.reply = reply
        self.lane = backend.lane
        self.spare = spare
        """A general backend's extra slot: known cheap shapes only, so that a general
        backend runs one heavy query at a time (deadlines are wall time) and cheap ones
        beside it."""
        self.process = backend.process
        self.cpu_mark: float | None = None

    async def death(self) -> int | None:
        return await self.backend.death()

    def usable(self) -> bool:
        # no waitpid per request: a dead backend shows as a closed connection
        return self.backend.alive and not self.reply.closed


class BinaryLease(Lease):
    """One backend lent to one request; the answer is whole (queries) or streams (dumps).
    The bookkeeping (fairness, trials, release, discard) is the pool lease's."""

    def __init__(self, pool: BinaryPool, worker: Slot, client: str = "-") -> None:
        super().__init__(pool, worker, client)  # type: ignore[arg-type]
        self.body: bytes | None = None

    def take_complete(self) -> bytes | None:
        body, self.body = self.body, None
        if body is not None:
            self.release()
        return body

    async def recv(self, deadline: float):
        """("chunk", bytes) … ("end", None), as a pipe worker's messages (dumps)."""
        if self.body is not None:
            body, self.body = self.body, b""
            return ("chunk", body) if body else ("end", None)
        reply = self.worker.reply
        while True:
            if reply.chunks:
                return ("chunk", reply.take())
            if reply.complete:
                return ("end", None)
            if reply.closed:
                code = await self.worker.death()
                self.discard()
                raise WorkerFailed(_why(code))
            if not await reply.wait(deadline) and not reply.chunks and not reply.complete:
                self.discard()
                raise QueryTimeout

    def drop(self) -> None:
        """Give the slot back for a new connection (its backend lives)."""
        if not self.done:
            self._finish()
            self.pool._mend(self.worker)


class BinaryPool:
    def __init__(self, store_path: str, size: int = 2, startup_timeout: float = 30.0, *,
                 fast_size: int = 1, fast_budget: float = 1.0,
                 costs: CostModel | None = None, confinement: dict | None = None,
                 slots: int = 4) -> None:
        self.store_path = str(store_path)
        self.slots = slots
        """Queries one backend evaluates at once (its kept-alive connections)."""
        self.confinement = confinement or {}
        self.size = size
        self.fast_size = fast_size
        self.fast_budget = fast_budget
        self.costs = costs or CostModel()
        self.startup_timeout = startup_timeout
        self._idle: dict[str, collections.deque[Slot]] = {
            FAST: collections.deque(), GENERAL: collections.deque(), SPARE: collections.deque()}
        self._waiting: list[Waiter] = []
        self.clients = Clients()
        self._arrivals = itertools.count()
        self._all: set[Backend] = set()
        self._tasks: set[asyncio.Task] = set()
        self.replaced = 0
        self.moved = 0
        self.closing = False

    # ---------------------------------------------------------------- processes
    async def _spawn(self, lane: str) -> list[Slot]:
        process = binary.start_process(self.store_path,
                                       nice=GENERAL_NICE if lane == GENERAL else 0)
        backend = Backend(process, lane)
        try:
            deadline = time.monotonic() + self.startup_timeout
            replies = [await binary.connect(process, deadline) for _ in range(self.slots)]
        except BaseException:
            backend.kill()
            raise
        binary.limit_memory(process, self.confinement.get("memory", 0))
        self._all.add(backend)
        return [Slot(backend, reply, spare=lane == GENERAL and i > 0)
                for i, reply in enumerate(replies)]

    async def start(self) -> None:
        lanes = [GENERAL] * self.size + [FAST] * self.fast_size
        for slots in await asyncio.gather(*(self._spawn(lane) for lane in lanes)):
            for slot in slots:
                self._release(slot)

    def _release(self, w: Slot) -> None:
        if not w.backend.alive:
            w.reply.close()
            return
        if not w.usable():
            self._mend(w)
            return
        if w.spare:  # known cheap shapes only
            candidates = [x for x in self._waiting if x.cheap and x.known]
            while (waiter := self.clients.pick(candidates, GENERAL)) is not None:
                self._waiting.remove(waiter)
                if not waiter.future.done():
                    waiter.future.set_result(w)
                    return
            self._idle[SPARE].append(w)
            return
        while (waiter := self.clients.pick(self._waiting, w.lane)) is not None:
            if not waiter.future.done():
                waiter.future.set_result(w)
                return
        self._idle[w.lane].append(w)

    def _mend(self, w: Slot) -> None:
        """A slot that cannot be used: a new connection if its backend lives (the binary
        may close an idle one), else the backend is replaced."""
        if not w.backend.alive:
            return
        if not w.process.is_alive():
            self._replace(w)
            return
        w.reply.close()

        async def reconnect() -> None:
            try:
                w.reply = await binary.connect(w.process,
                                               time.monotonic() + self.startup_timeout)
            except (RuntimeError, OSError):
                self._replace(w)
                return
            self._release(w)

        task = asyncio.create_task(reconnect())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _replace(self, w: Slot) -> None:
        """Kill ``w``'s backend (queries on its other slots are run again elsewhere) and
        start another in the background."""
        backend = w.backend
        w.reply.close()
        if backend not in self._all:
            return
        self._all.discard(backend)
        backend.kill()
        self.replaced += 1
        for lane in self._idle.values():  # its idle slots go with it
            if any(s.backend is backend for s in lane):
                kept = [s for s in lane if s.backend is not backend]
                lane.clear()
                lane.extend(kept)
        if self.closing:
            return

        async def respawn() -> None:
            await asyncio.get_running_loop().run_in_executor(None, backend.reap)
            delay = 0.05
            while not self.closing:
                try:
                    for slot in await self._spawn(backend.lane):
                        self._release(slot)
                    return
                except Exception:  # pragma: no cover - logged, retried
                    log.exception("could not start a replacement backend")
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 5)

        task = asyncio.create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def lease(self, timeout: float, cheap: bool = False, client: str = "-",
                    known: bool = True):
        """A slot: a fast-lane one first for a cheap request (one per client), then a
        spare slot of a general backend for a known cheap shape, then a general one."""
        idle = self._idle
        if cheap and idle[FAST] and self.clients.may_use_fast(client):
            w = idle[FAST].popleft()
        elif cheap and known and idle[SPARE]:
            w = idle[SPARE].popleft()
        elif idle[GENERAL]:
            w = idle[GENERAL].popleft()
        else:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(Waiter(next(self._arrivals), client, cheap, waiter, known))
            try:
                w = await asyncio.wait_for(waiter, timeout)
            except TimeoutError:
                raise PoolBusy from None
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release(waiter.result())
                raise
        if not w.usable():
            self._mend(w)
            return await self.lease(timeout, cheap, client, known)
        return BinaryLease(self, w, client)

    # ---------------------------------------------------------------- jobs
    async def submit(self, job: dict, timeout: float, queue_timeout: float,
                     shape: str | None = None, client: str = "-"):
        """Like :meth:`server.pool.WorkerPool.submit`: (lease, meta) or an exception."""
        if job["type"] == "dump":
            return await _dump(self, job, timeout, queue_timeout, client)
        plan = _plan(job)
        clients = self.clients
        if shape is None:
            cheap = False
        elif self.costs.expected(shape) is None:
            cheap = clients.may_trial(client)
        else:
            cheap = self.costs.cheap(shape)
        left = timeout
        retries = self.size + self.fast_size + 1
        """Runs again after a backend died under the query (each death takes that
        backend's idle slots with it, so every backend may be tried once)."""
        while True:
            lease = await self.lease(queue_timeout, cheap, client,
                                     self.costs.expected(shape) is not None)
            w = lease.worker
            if w.spare and not self.costs.cheap(shape):  # learnt while it waited
                lease.release()
                cheap = False
                continue
            if w.lane == FAST:
                unknown = self.costs.expected(shape) is None
                if not self.costs.cheap(shape) or (unknown and not clients.may_trial(client)):
                    lease.release()
                    cheap = False
                    continue
                if unknown:
                    lease.mark_trial()
            expected = self.costs.expected(shape) if shape is not None else 0.0
            measure = expected is None or expected >= self.costs.cheap_below
            if measure:
                w.cpu_mark = binary.cpu_seconds(w.process.pid)
            sent = time.monotonic()
            fast = w.lane == FAST and left > self.fast_budget
            reply = w.reply
            try:
                reply.send(plan.request, stop_at_lines=plan.stop_at_lines)
                status = await _await_answer(reply, sent + (self.fast_budget if fast else left))
            except asyncio.CancelledError:  # the client went away while the query ran
                lease.discard()
                raise
            if status is None:  # past the deadline
                elapsed = time.monotonic() - sent
                lease.discard()
                if shape is not None:
                    self.costs.observe(shape, elapsed)
                if not fast:
                    raise QueryTimeout
                self.moved += 1
                if lease.trial:
                    clients.distrust(client)
                log.info("moved to the general lane after %.2f s: …%s", elapsed, shape[-120:])
                left -= elapsed
                cheap = False
                continue
            if status == 0:  # the connection broke before a whole answer
                code = await w.death()
                if code is None:  # the connection broke, the backend lives: mend it
                    lease.drop()
                else:
                    lease.discard()
                # A read is idempotent: run it again on another backend, unless the
                # backend died of this very query (its memory cap, a crash), which would
                # only take a second backend down with it.
                if code not in _QUERY_DEATHS and retries > 0:
                    retries -= 1
                    continue
                raise WorkerFailed(_why(code))
            if shape is not None:
                elapsed = time.monotonic() - sent
                if elapsed >= self.costs.cheap_below and w.cpu_mark is not None:
                    now = binary.cpu_seconds(w.process.pid)
                    if now is not None:
                        elapsed = now - w.cpu_mark
                self.costs.observe(shape, elapsed)
            break
        try:
            meta, body = plan.finish(reply, status)
        except JobError:
            lease.release()
            raise
        if not reply.complete:  # cut at the row cap: closing the connection stops the
            await self._reconnect(lease)  # binary's work on the rest (measured)
        lease.body = body
        return lease, meta

    async def _reconnect(self, lease: BinaryLease) -> None:
        w = lease.worker
        w.reply.close()
        try:
            w.reply = await binary.connect(w.process, time.monotonic() + self.startup_timeout)
        except (RuntimeError, OSError):
            lease.discard()

    async def close(self) -> None:
        self.closing = True
        for task in list(self._tasks):
            task.cancel()
        for backend in list(self._all):
            backend.kill()
        for backend in list(self._all):
            backend.reap()
        self._all.clear()


async def _dump(pool: BinaryPool, job: dict, timeout: float, queue_timeout: float,
                client: str):
    """A dump job: the binary's `GET /store`, streamed through the lease."""
    graph = job.get("graph")
    target = "/store" + (f"?graph={quote(graph, safe='')}" if graph else "")
    lease = await pool.lease(queue_timeout, False, client)
    reply = lease.worker.reply
    reply.send(binary.request("GET", target, {"Accept": job["media_type"]}),
               streaming=True)
    deadline = time.monotonic() + timeout
    while not reply.headers_done:
        if reply.closed:
            code = await lease.worker.death()
            lease.discard()
            raise WorkerFailed(_why(code))
        if not await reply.wait(deadline) and not reply.headers_done:
            lease.discard()
            raise QueryTimeout
    if reply.status == 404:
        await _drain(reply, deadline)
        lease.release()
        raise JobError(404, f"No graph named <{graph}> in this dataset.")
    if reply.status != 200:
        await _drain(reply, deadline)
        text = reply.take().decode("utf-8", "replace").strip()
        lease.release()
        raise JobError(400 if reply.status < 500 else 503, text)
    return lease, {"kind": "dump", "media_type": job["media_type"], "rows": None,
                   "truncated": False}


async def _drain(reply, deadline: float) -> None:
    while not reply.complete and not reply.closed:
        if not await reply.wait(deadline):
            return


async def _await_answer(reply, deadline: float) -> int | None:
    """The answer's status once whole (or cut at the cap); None past the deadline, 0
    when the connection broke first."""
    while True:
        if reply.complete or (reply.stop_at_lines and reply.lines >= reply.stop_at_lines):
            return reply.status
        if reply.closed:
            return 0
        if not await reply.wait(deadline):
            if reply.complete:
                return reply.status
            return None


class _Plan:
    """How one query job is asked of the binary and how its answer becomes the client's."""

    __slots__ = ("job", "form", "request", "stop_at_lines", "fmt", "shift")

    def __init__(self, job: dict, form: str | None, fmt: str | None, transport: str,
                 body: bytes, shift: int) -> None:
        self.job = job
        self.form = form
        self.fmt = fmt
        self.shift = shift
        max_rows = job["max_rows"]
        # TSV: a header line, then a line per row; N-Triples: a line per triple
        self.stop_at_lines = 0
        if form in ("SELECT", None):
            self.stop_at_lines = max_rows + 2
        elif form in ("CONSTRUCT", "DESCRIBE"):
            self.stop_at_lines = max_rows + 1
        default_graphs = job.get("default_graphs") or ()
        named_graphs = job.get("named_graphs") or ()
        target = "/query"
        if default_graphs or named_graphs:
            params = [("default-graph-uri", g) for g in default_graphs]
            params += [("named-graph-uri", g) for g in named_graphs]
            if named_graphs and not default_graphs:  # the union default graph, of these
                params += [("default-graph-uri", g) for g in named_graphs]
            target += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
        self.request = binary.request(
            "POST", target, {"Content-Type": "application/sparql-query", "Accept": transport},
            body)

    def finish(self, reply, status: int) -> tuple[dict, bytes]:
        job = self.job
        if status != 200:
            text = reply.take().decode("utf-8", "replace").strip()
            if status == 400:
                if looks_like_update(job["query"]):
                    raise JobError(403, "This endpoint is read-only: SPARQL Update is not "
                                        "accepted.")
                if text.startswith("error at"):
                    message = engine_message(text, job["query"], self.shift, PREFIXES)
                    raise JobError(400, f"Malformed query: {message}")
                raise JobError(400, f"Bad request: {text}")
            raise JobError(status if status < 500 else 503, text or f"backend status {status}")
        if reply.size > MAX_ANSWER_BYTES:
            raise JobError(503, "The answer is too large; narrow the query down.")
        body = reply.take()
        max_rows = job["max_rows"]
        if self.form == "ASK":
            return {"kind": "boolean", "media_type": self.fmt, "rows": 1,
                    "truncated": False}, body
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            body, rows, truncated = _cut(body, max_rows)
            if self.fmt != NTRIPLES:
                rdf_format = RdfFormat.from_media_type(self.fmt)
                quads = parse(body, RdfFormat.N_TRIPLES)
                body = serialize(quads if rdf_format.supports_datasets
                                 else (q.triple for q in quads), format=rdf_format,
                                 prefixes=job.get("prefixes", PREFIXES))
            return {"kind": "triples", "media_type": self.fmt, "rows": rows,
                    "truncated": truncated}, body
        body, rows, truncated = _cut(body, max_rows, header=1)
        if self.fmt != TSV:
            body = parse_query_results(body, QueryResultsFormat.TSV).serialize(
                format=QueryResultsFormat.from_media_type(self.fmt))
            if truncated and self.fmt == "application/sparql-results+json" \
                    and body.endswith(b"}"):
                body = body[:-1] + (f',"truncated":true,"note":"Result truncated to the first '
                                    f'{max_rows} rows by the server\'s row cap."}}').encode()
        return {"kind": "solutions", "media_type": self.fmt, "rows": rows,
                "truncated": truncated}, body


def _cut(body: bytes, max_rows: int, header: int = 0) -> tuple[bytes, int, bool]:
    """(the first ``max_rows`` lines after ``header`` lines, their count, whether cut)."""
    lines = body.count(b"\n") - header
    if lines <= max_rows:
        return body, max(lines, 0), False
    parts = body.split(b"\n", header + max_rows)
    return body[:len(body) - len(parts[-1])], max_rows, True


@by_short_text(SHORT_TEXT, maxsize=1024)  # 1,024 of them: under 16 MB with the prologue
def _prepared(query: str, allow_service: bool) -> tuple[str | None, bytes, int]:
    """(the query form, the text the binary is sent as UTF-8, the prologue lines put before
    it). What depends on the query text alone: the lexer's checks and the prologue cost
    50 µs of a small query's ~300 µs in this process (issue 11), and clients ask the same
    texts again. A refusal raises :class:`JobError`, which is not remembered."""
    if not allow_service and uses_service(query):
        raise JobError(403, "Federated queries (SERVICE) are disabled on this endpoint.")
    try:
        check_limits(query)
    except QueryTooComplex as e:
        raise JobError(400, f"Query refused: {e}.") from None
    # the binary takes no prefixes apart from the text: the project's go before it
    text, shift = with_prologue(query, PREFIXES)
    return query_form(query), text.encode("utf-8"), shift


def _plan(job: dict) -> _Plan:
    form, body, shift = _prepared(job["query"], bool(job.get("allow_service")))
    if form in ("SELECT", "ASK"):
        fmt = job["results_format"]
        if fmt is None:
            kind = "ASK" if form == "ASK" else "SELECT"
            raise JobError(406, f"{kind} results are available as {job['results_offers']}")
        return _Plan(job, form, fmt, fmt if form == "ASK" else TSV, body, shift)
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = job["graph_format"]
        if fmt is None:
            raise JobError(406, "CONSTRUCT/DESCRIBE results are available as "
                                + job["graph_offers"])
        return _Plan(job, form, fmt, NTRIPLES, body, shift)
    # not a query we can name: the binary's parser says why (or it is an update)
    return _Plan(job, None, job["results_format"] or TSV, TSV, body, shift)

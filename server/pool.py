"""A pool of query worker processes that the event loop can use without ever blocking.

Why processes: pyoxigraph has no query timeout and a running query holds no Python
lock we could interrupt, so a timeout is enforced by killing the worker that runs it and
starting a fresh one. The other workers keep answering meanwhile, so one slow client does
not starve the others. Workers are started with the ``spawn`` context (no forked copy of
the server's event loop or sockets).

Why the pipe is read by the event loop itself: each worker's end of the pipe is a Unix
socket; the server wraps it in an asyncio protocol (:class:`_Channel`) that cuts the byte
stream into the frames ``multiprocessing.Connection`` writes (4-byte length + pickle) as
the data arrives. Waiting for a message is awaiting a future with a deadline, never a
blocking call, and costs no thread hop per message (handing every read to a thread pool
cost about a millisecond per request on two cores). Reading pauses while more than a few
messages wait unread, so a slow HTTP client still back-pressures the worker through the
pipe and memory stays bounded.

Why two lanes: a worker runs one query at a time, so with a plain FIFO queue a one-task
lookup waits behind whatever multi-second aggregations hold the workers. The pool keeps
``fast_size`` workers (the *fast lane*) for queries that :mod:`server.costs` expects to be
cheap, under a short budget (``fast_budget``); a query that overruns it is stopped (the
worker is replaced), its shape is marked expensive, and it is run again in the *general
lane* with the time it has left — reads are idempotent, so the client only sees a slower
answer. Cheap queries may also take an idle general worker. Whom a freed worker serves,
and which new shapes get a trial in the fast lane, is decided per client
(:mod:`server.fairness`). General-lane workers run at a lower CPU priority
(``GENERAL_NICE``), so heavy queries yield the cores to the fast lane and the event loop.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from policykg.server import worker as worker_module
from policykg.server.costs import CostModel
from policykg.server.fairness import FAST, GENERAL, Clients, Waiter
from policykg.server.waiting import until_woken

log = logging.getLogger("policykg.server.pool")

_HEADER = struct.Struct("!i")
_LONG = struct.Struct("!Q")
_EOF = ("eof", None)
_PAUSE_AT = 8  # unread messages (≤ 64 KB each) before the pipe stops being read
GENERAL_NICE = 5
"""CPU priority step of general-lane workers (heavy queries) below the fast lane's."""


class QueryTimeout(Exception):
    """The job did not answer within its time limit; its worker has been replaced."""


class PoolBusy(Exception):
    """No worker became free within the queue timeout."""


class WorkerFailed(Exception):
    """The worker died or answered nonsense; it has been replaced."""


def _start_process(ctx, store_path: str, startup_timeout: float, confinement: dict):
    parent, child = ctx.Pipe(duplex=True)
    confinement = dict(confinement, parent=os.getpid())
    process = ctx.Process(target=worker_module.main, args=(store_path, child, confinement),
                          daemon=True)
    process.start()
    if confinement.get("nice"):  # at once, so that even its start-up yields the CPU
        try:
            os.setpriority(os.PRIO_PROCESS, process.pid, confinement["nice"])
        except OSError:
            pass
    child.close()
    if not parent.poll(startup_timeout):
        process.kill()
        raise RuntimeError(f"query worker did not start within {startup_timeout}s")
    tag, payload = parent.recv()
    if tag != "ready":
        process.kill()
        raise RuntimeError(f"query worker failed to start: {payload}")
    if payload and not payload.get("network_cut", True) and not _warned_network:
        _warned_network.append(True)
        log.warning("query workers keep network access (no network namespace allowed "
                    "here); SERVICE is refused by the query scan alone")
    return process, parent


_warned_network: list[bool] = []
_DEATHS = {
    -signal.SIGABRT: "the query exceeded the worker's memory limit",
    -signal.SIGKILL: "the worker was killed, most likely for memory",
    -signal.SIGSEGV: "the query engine crashed on this query",
}


class _Channel(asyncio.Protocol):
    """The server's end of one worker's pipe: frames in, decoded messages queued."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._messages: collections.deque = collections.deque()
        self._waiter: asyncio.Future | None = None
        self._paused = False
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buf = self._buffer
        buf += data
        pos = 0
        end = len(buf)
        messages = self._messages
        while end - pos >= 4:
            (size,) = _HEADER.unpack_from(buf, pos)
            start = pos + 4
            if size == -1:  # multiprocessing's header for frames over 2 GiB
                if end - start < 8:
                    break
                (size,) = _LONG.unpack_from(buf, start)
                start += 8
            if end - start < size:
                break
            messages.append(pickle.loads(memoryview(buf)[start:start + size]))
            pos = start + size
        if pos:
            del buf[:pos]
        if messages:
            self._wake()
            if len(messages) > _PAUSE_AT and not self._paused:
                self._paused = True
                self.transport.pause_reading()

    def eof_received(self):
        self._close()
        return False

    def connection_lost(self, exc) -> None:
        self._close()

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            self._messages.append(_EOF)
            self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def pending(self) -> int:
        return len(self._messages)

    def pop(self):
        message = self._messages.popleft()
        if self._paused and len(self._messages) <= 1:
            self._paused = False
            if not self.closed:
                self.transport.resume_reading()
        return message

    async def get(self, deadline: float):
        """The next message; :class:`QueryTimeout` at ``deadline`` (time.monotonic)."""
        while not self._messages:
            if not await until_woken(deadline, self._park):
                raise QueryTimeout
        message = self.pop()
        if message is _EOF:
            self._messages.appendleft(_EOF)
            raise EOFError("worker pipe closed")
        return message

    def _park(self, waiter: asyncio.Future | None) -> None:
        self._waiter = waiter

    def send(self, obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        self.transport.write(_HEADER.pack(len(data)) + data)


class Worker:
    def __init__(self, process, channel: _Channel, lane: str) -> None:
        self.process = process
        self.channel = channel
        self.lane = lane

    def death(self) -> str | None:
        """Why the process ended by itself, in words (None while it lives)."""
        self.process.join(timeout=1)
        code = self.process.exitcode
        if code is None:
            return None
        return _DEATHS.get(code, f"the worker exited with status {code}")

    def kill(self) -> None:
        """SIGKILL: the query's CPU work stops at once; the pipe then reads EOF."""
        if self.process.is_alive():
            self.process.kill()
        if self.channel.transport is not None:
            self.channel.transport.close()

    def reap(self) -> None:
        self.process.join(timeout=5)


class Lease:
    """One worker lent to one request; it goes back to the pool or gets replaced."""

    def __init__(self, pool: WorkerPool, worker: Worker, client: str = "-") -> None:
        self.pool = pool
        self.worker = worker
        self.client = client
        self.trial = False
        self.done = False
        pool.clients.started(client, worker.lane)

    def mark_trial(self) -> None:
        """This job tries a never-seen shape in the fast lane (one per client at a time)."""
        self.trial = True
        self.pool.clients.begin_trial(self.client)

    def _finish(self) -> None:
        self.done = True
        self.pool.clients.finished(self.client, self.worker.lane, self.trial)

    async def recv(self, deadline: float):
        try:
            return await self.worker.channel.get(deadline)
        except QueryTimeout:
            self.discard()
            raise
        except (EOFError, OSError) as e:
            reason = self.worker.death() or str(e) or type(e).__name__
            self.discard()
            raise WorkerFailed(reason) from e

    def take_complete(self) -> bytes | None:
        """The whole body if every chunk up to ``end`` has already arrived, else None.

        Small answers arrive in one batch with their ``meta``; this lets the handler send
        them with a Content-Length and no streaming machinery. The worker is released.
        """
        messages = self.worker.channel._messages
        if not messages or messages[-1][0] != "end":
            return None
        if any(tag != "chunk" for tag, _ in list(messages)[:-1]):
            return None
        chunks = [self.worker.channel.pop()[1] for _ in range(len(messages) - 1)]
        self.worker.channel.pop()
        self.release()
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def release(self) -> None:
        if not self.done:
            self._finish()
            self.pool._release(self.worker)

    def discard(self) -> None:
        """Kill the worker (it may be mid-query) and start a replacement in the background."""
        if not self.done:
            self._finish()
            self.pool._replace(self.worker)


class WorkerPool:
    def __init__(self, store_path: str, size: int = 2, startup_timeout: float = 60.0, *,
                 fast_size: int = 1, fast_budget: float = 1.0,
                 costs: CostModel | None = None, confinement: dict | None = None) -> None:
        self.store_path = str(store_path)
        self.confinement = confinement or {}
        """What workers may do: ``network`` (keep it), ``memory`` (bytes beyond the store)."""
        self.size = size
        self.fast_size = fast_size
        self.fast_budget = fast_budget
        self.costs = costs or CostModel()
        self.startup_timeout = startup_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: dict[str, collections.deque[Worker]] = {
            FAST: collections.deque(), GENERAL: collections.deque()}
        self._waiting: list[Waiter] = []
        """Requests waiting for a worker (cheap ones may be served by either lane)."""
        self.clients = Clients()
        self._arrivals = itertools.count()
        self._all: set[Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self.replaced = 0
        self.moved = 0
        """Queries stopped in the fast lane and run again in the general lane."""
        self.executor_threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="pool")

    async def _spawn(self, lane: str) -> Worker:
        loop = asyncio.get_running_loop()
        confinement = dict(self.confinement, nice=GENERAL_NICE if lane == GENERAL else 0)
        process, conn = await loop.run_in_executor(
            self.executor_threads, _start_process, self._ctx, self.store_path,
            self.startup_timeout, confinement,
        )
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        conn.close()
        _, channel = await loop.connect_accepted_socket(_Channel, sock=sock)
        w = Worker(process, channel, lane)
        self._all.add(w)
        return w

    async def start(self) -> None:
        lanes = [GENERAL] * self.size + [FAST] * self.fast_size
        workers = await asyncio.gather(*(self._spawn(lane) for lane in lanes))
        for w in workers:
            self._release(w)

    def _release(self, w: Worker) -> None:
        """Hand ``w`` to the request :meth:`Clients.pick` chooses, or keep it idle."""
        while (waiter := self.clients.pick(self._waiting, w.lane)) is not None:
            if not waiter.future.done():
                waiter.future.set_result(w)
                return
        self._idle[w.lane].append(w)

    def _replace(self, w: Worker) -> None:
        self._all.discard(w)
        w.kill()
        self.replaced += 1

        async def respawn() -> None:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self.executor_threads, w.reap)
            try:
                self._release(await self._spawn(w.lane))
            except Exception:  # pragma: no cover - logged, pool runs one short
                log.exception("could not start a replacement worker")

        task = asyncio.create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def lease(self, timeout: float, cheap: bool = False, client: str = "-") -> Lease:
        """An idle worker (a fast-lane one first for a cheap request, if ``client`` has no
        job there yet), or wait for one."""
        idle = self._idle
        if cheap and idle[FAST] and self.clients.may_use_fast(client):
            w = idle[FAST].popleft()
        elif idle[GENERAL]:
            w = idle[GENERAL].popleft()
        else:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(Waiter(next(self._arrivals), client, cheap, waiter))
            try:
                w = await asyncio.wait_for(waiter, timeout)
            except TimeoutError:
                raise PoolBusy from None
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release(waiter.result())  # handed over just as we were cancelled
                raise
        if not w.process.is_alive() or w.channel.closed:
            Lease(self, w, client).discard()
            return await self.lease(timeout, cheap, client)
        return Lease(self, w, client)

    async def submit(self, job: dict, timeout: float, queue_timeout: float,
                     shape: str | None = None, client: str = "-") -> tuple[Lease, dict]:
        """Send a job; return the lease and the job's meta message.

        ``shape`` (:func:`server.costs.query_shape`) lets a query use the fast lane and
        teaches the cost model; jobs without one (dumps) run in the general lane.
        ``timeout`` counts the seconds workers spend on the job, not time in the queue.
        Raises the HTTP-relevant failures: :class:`PoolBusy`, :class:`QueryTimeout`,
        :class:`WorkerFailed`, or :class:`JobError` for an error the job reported.
        ``client`` (:func:`server.fairness.client_key`) is who asks.
        """
        clients = self.clients
        if shape is None:
            cheap = False
        elif self.costs.expected(shape) is None:  # never seen: a trial, if this client may
            cheap = clients.may_trial(client)
        else:
            cheap = self.costs.cheap(shape)
        left = timeout
        while True:
            lease = await self.lease(queue_timeout, cheap, client)
            if lease.worker.lane == FAST:
                unknown = self.costs.expected(shape) is None
                if not self.costs.cheap(shape) or (unknown and not clients.may_trial(client)):
                    # learned while this request waited (a burst of one new heavy query),
                    # or another trial of this client's started meanwhile
                    lease.release()
                    cheap = False
                    continue
                if unknown:
                    lease.mark_trial()
            sent = time.monotonic()
            fast = lease.worker.lane == FAST and left > self.fast_budget
            try:
                lease.worker.channel.send(job)
            except (OSError, RuntimeError) as e:
                lease.discard()
                raise WorkerFailed(str(e)) from e
            try:
                tag, payload = await lease.recv(sent + (self.fast_budget if fast else left))
            except QueryTimeout:
                elapsed = time.monotonic() - sent
                if shape is not None:
                    self.costs.observe(shape, elapsed)
                if not fast:
                    raise
                # over the fast lane's budget: its worker is being replaced; run it again
                # in the general lane with the time it has left
                self.moved += 1
                if lease.trial:
                    clients.distrust(client)
                log.info("moved to the general lane after %.2f s: …%s", elapsed, shape[-120:])
                left -= elapsed
                cheap = False
                continue
            except asyncio.CancelledError:  # the client went away while the query ran
                lease.discard()
                raise
            if shape is not None:
                cost = payload.get("cpu") if tag == "meta" else None
                self.costs.observe(shape, time.monotonic() - sent if cost is None else cost)
            break
        if tag == "error":
            lease.release()
            raise JobError(*payload)
        if tag != "meta":
            lease.discard()
            raise WorkerFailed(f"unexpected message {tag!r}")
        return lease, payload

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for w in list(self._all):
            w.kill()
            w.reap()
        self._all.clear()
        self.executor_threads.shutdown(wait=False, cancel_futures=True)


class JobError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def stream(lease: Lease, stream_timeout: float) -> AsyncIterator[bytes]:
    """The job's chunks; the worker goes back to the pool only after a complete answer.

    If the client goes away or stops reading for ``stream_timeout`` seconds, the worker
    is killed and replaced (it cannot be reused mid-answer).
    """
    try:
        while True:
            tag, payload = await lease.recv(time.monotonic() + stream_timeout)
            if tag == "chunk":
                yield payload
            elif tag == "end":
                lease.release()
                return
            else:
                log.error("worker failed mid-stream: %s", payload)
                lease.discard()
                return
    finally:
        lease.discard()  # no-op after a complete answer


async def collect(lease: Lease, stream_timeout: float) -> bytes:
    body = lease.take_complete()
    if body is not None:
        return body
    return b"".join([chunk async for chunk in stream(lease, stream_timeout)])

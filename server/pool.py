"""A pool of query worker processes that the event loop can use without ever blocking.

Why processes: pyoxigraph has no query timeout and a running query holds no Python
lock we could interrupt, so a timeout is enforced by killing the worker that runs it and
starting a fresh one. The other workers keep answering meanwhile, so one slow client does
not starve the others. Workers are started with the ``spawn`` context (no forked copy of
the server's event loop or sockets).

Waiting on a worker's pipe happens in a thread (``conn.poll(timeout)`` then ``recv``), so
the event loop only awaits futures; the thread ends at the deadline at the latest.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections.abc import AsyncIterator

from server import worker as worker_module

log = logging.getLogger("server.pool")


class QueryTimeout(Exception):
    """The job did not answer within its time limit; its worker has been replaced."""


class PoolBusy(Exception):
    """No worker became free within the queue timeout."""


class WorkerFailed(Exception):
    """The worker died or answered nonsense; it has been replaced."""


def _start_process(ctx, store_path: str, startup_timeout: float):
    parent, child = ctx.Pipe(duplex=True)
    process = ctx.Process(target=worker_module.main, args=(store_path, child), daemon=True)
    process.start()
    child.close()
    if not parent.poll(startup_timeout):
        process.kill()
        raise RuntimeError(f"query worker did not start within {startup_timeout}s")
    tag, payload = parent.recv()
    if tag != "ready":
        process.kill()
        raise RuntimeError(f"query worker failed to start: {payload}")
    return process, parent


class Worker:
    def __init__(self, process, conn) -> None:
        self.process = process
        self.conn = conn

    def _recv(self, timeout: float):
        if self.conn.poll(max(0.0, timeout)):
            return self.conn.recv()
        raise QueryTimeout

    def kill(self) -> None:
        """SIGKILL: immediate, and a thread still polling the pipe sees EOF and returns."""
        if self.process.is_alive():
            self.process.kill()

    def reap(self) -> None:
        self.process.join(timeout=5)
        self.conn.close()


class Lease:
    """One worker lent to one request; it goes back to the pool or gets replaced."""

    def __init__(self, pool: WorkerPool, worker: Worker) -> None:
        self.pool = pool
        self.worker = worker
        self.done = False

    async def recv(self, deadline: float):
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self.pool.executor_threads, self.worker._recv, deadline - time.monotonic()
            )
        except QueryTimeout:
            self.discard()
            raise
        except (EOFError, OSError) as e:
            self.discard()
            raise WorkerFailed(str(e)) from e

    def release(self) -> None:
        if not self.done:
            self.done = True
            self.pool._idle.put_nowait(self.worker)

    def discard(self) -> None:
        """Kill the worker (it may be mid-query) and start a replacement in the background."""
        if not self.done:
            self.done = True
            self.pool._replace(self.worker)


class WorkerPool:
    def __init__(self, store_path: str, size: int = 2, startup_timeout: float = 60.0) -> None:
        self.store_path = str(store_path)
        self.size = size
        self.startup_timeout = startup_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self.replaced = 0
        from concurrent.futures import ThreadPoolExecutor

        self.executor_threads = ThreadPoolExecutor(max_workers=64, thread_name_prefix="pipe")

    async def _spawn(self) -> Worker:
        loop = asyncio.get_running_loop()
        process, conn = await loop.run_in_executor(
            self.executor_threads, _start_process, self._ctx, self.store_path,
            self.startup_timeout,
        )
        w = Worker(process, conn)
        self._all.add(w)
        return w

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    def _replace(self, w: Worker) -> None:
        self._all.discard(w)
        w.kill()
        self.replaced += 1

        async def respawn() -> None:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self.executor_threads, w.reap)
            try:
                self._idle.put_nowait(await self._spawn())
            except Exception:  # pragma: no cover - logged, pool runs one short
                log.exception("could not start a replacement worker")

        task = asyncio.create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def lease(self, timeout: float) -> Lease:
        try:
            w = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise PoolBusy from None
        if not w.process.is_alive():
            Lease(self, w).discard()
            return await self.lease(timeout)
        return Lease(self, w)

    async def submit(self, job: dict, timeout: float, queue_timeout: float) -> tuple[Lease, dict]:
        """Send a job; return the lease and the job's meta message.

        Raises the HTTP-relevant failures: :class:`PoolBusy`, :class:`QueryTimeout`,
        :class:`WorkerFailed`, or :class:`JobError` for an error the job reported.
        """
        lease = await self.lease(queue_timeout)
        deadline = time.monotonic() + timeout
        try:
            lease.worker.conn.send(job)
        except OSError as e:
            lease.discard()
            raise WorkerFailed(str(e)) from e
        tag, payload = await lease.recv(deadline)
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
    return b"".join([chunk async for chunk in stream(lease, stream_timeout)])

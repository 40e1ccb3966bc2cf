"""Streamed answers go through a temporary file, so a client that reads slowly holds no worker.

Why: an answer used to stream from the worker's pipe to the socket, the pipe's
back-pressure pausing the worker. A client that did not read therefore held a query
worker for up to ``stream_timeout`` (120 s): two sockets that did not read a dump made a
third dump wait 25 s. Here the worker's chunks are written to an unlinked temporary file
as fast as the worker makes them, and the worker goes back to the pool when its answer is
whole; the socket is fed from the file at whatever pace the client reads. A client that
reads nothing for ``stream_timeout`` seconds is dropped; what it costs meanwhile is a
socket and some disk, never a worker or memory.

File writes happen on the event loop (``os.pwrite`` of ≤ 64 KB chunks into the page
cache takes microseconds; a thread hop per chunk would cost more).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time

from policykg.server.pool import Lease, QueryTimeout, WorkerFailed
from starlette.responses import Response

log = logging.getLogger("policykg.server.spool")

READ_BYTES = 256 * 1024
"""Bytes handed to the socket per send."""
MAX_SPOOL_BYTES = 4 * 1024**3
"""An answer larger than this is cut off (the row cap keeps query answers far smaller)."""


class Spool:
    """One answer on its way from a worker to a temporary file."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="policykg-answer-")
        self.size = 0
        self.finished = False
        """True once the worker's ``end`` arrived (the answer is whole)."""
        self.done = False
        """True once nothing more will be written (finished or failed)."""
        self._changed = asyncio.Event()

    async def fill(self, lease: Lease, stream_timeout: float) -> None:
        """Copy the worker's chunks to the file, then give the worker back."""
        fd = self._file.fileno()
        try:
            while True:
                tag, payload = await lease.recv(time.monotonic() + stream_timeout)
                if tag == "chunk":
                    if self.size + len(payload) > MAX_SPOOL_BYTES:
                        log.error("answer over %d bytes cut off", MAX_SPOOL_BYTES)
                        return
                    os.pwrite(fd, payload, self.size)
                    self.size += len(payload)
                    self._changed.set()
                elif tag == "end":
                    lease.release()
                    self.finished = True
                    return
                else:
                    log.error("worker failed mid-answer: %s", payload)
                    return
        except (QueryTimeout, WorkerFailed) as e:
            log.error("worker failed mid-answer: %s", e or type(e).__name__)
        finally:
            lease.discard()  # no-op after a whole answer
            self.done = True
            self._changed.set()

    def read(self, offset: int) -> bytes:
        return os.pread(self._file.fileno(), min(READ_BYTES, self.size - offset), offset)

    async def changed(self) -> None:
        await self._changed.wait()
        self._changed.clear()

    def close(self) -> None:
        self._file.close()


class SpooledResponse(Response):
    """A response fed from a :class:`Spool` that a worker fills concurrently (a Starlette
    ``Response`` so that routes may return it and middlewares add headers)."""

    def __init__(self, lease: Lease, media_type: str, headers: dict[str, str],
                 stream_timeout: float) -> None:
        self.lease = lease
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.init_headers(headers)
        self.stream_timeout = stream_timeout

    async def __call__(self, scope, receive, send) -> None:
        spool = Spool()
        filling = asyncio.create_task(spool.fill(self.lease, self.stream_timeout))
        watching = asyncio.create_task(_disconnected(receive))
        watching.add_done_callback(lambda _: filling.cancel())  # nobody to send to
        try:
            await send({"type": "http.response.start", "status": 200,
                        "headers": self.raw_headers})
            offset = 0
            while True:
                if offset < spool.size:
                    data = spool.read(offset)
                    offset += len(data)
                    await asyncio.wait_for(
                        send({"type": "http.response.body", "body": data, "more_body": True}),
                        self.stream_timeout)
                elif spool.done:
                    break
                else:
                    await spool.changed()
            if spool.finished:  # else the connection closes without the last chunk: the
                await send({"type": "http.response.body", "body": b""})  # client sees it
        except TimeoutError:
            log.info("client stopped reading for %g s; dropped", self.stream_timeout)
        finally:
            watching.cancel()
            if not filling.done():
                filling.cancel()
            await asyncio.gather(filling, return_exceptions=True)
            spool.close()


async def _disconnected(receive) -> None:
    """Returns when the client goes away (the request body is already read)."""
    while (await receive())["type"] != "http.disconnect":
        pass

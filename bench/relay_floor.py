"""The floor of any Python front: a bare HTTP relay in front of ``oxigraph serve-read-only``.

Why: issue 11 asks the query path to cost what Oxigraph costs. ``policykg serve`` puts a
Python front (uvloop, httptools) before Oxigraph backends, and the question this answers is
how much of the gap to raw Oxigraph is the front's logic (deadlines, lanes, row caps,
negotiation, prefixes) and how much is the hop itself: this relay does nothing but forward
``POST /sparql`` bodies and ``Accept`` to one backend over kept-alive connections and copy
the answer back (no deadline, no cap, no error handling worth the name). It is a yardstick
for ``bench/serve_bench.py --servers a,r,b``, never something to serve with.

    python bench/relay_floor.py --store STORE --port 8001

It starts its own ``oxigraph serve-read-only --union-default-graph`` on ``STORE`` as a child,
so the benchmark counts the backend's CPU with the relay's, as it does for (a).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import httptools

BIN = Path(sys.executable).parent


class _Backend(asyncio.Protocol):
    """One kept-alive connection to the backend, one request at a time."""

    def __init__(self) -> None:
        self.transport = None
        self.parser = httptools.HttpResponseParser(self)
        self.future: asyncio.Future | None = None
        self.body: list[bytes] = []
        self.content_type = b""
        self._header = b""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"content-type":
            self.content_type = value

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        future, self.future = self.future, None
        body, self.body = b"".join(self.body), []
        future.set_result((self.parser.get_status_code(), self.content_type, body))

    def connection_lost(self, exc) -> None:
        if self.future is not None and not self.future.done():
            self.future.set_exception(ConnectionError("backend closed"))


class Reader(asyncio.Protocol):
    """A client connection's requests, read by httptools: ``on_request`` gets each body
    with its ``Accept`` and ``Content-Type`` (also the reader of bench/inproc_floor.py)."""

    def __init__(self) -> None:
        self.parser = httptools.HttpRequestParser(self)
        self.body: list[bytes] = []
        self.accept = b"*/*"
        self.content_type = b""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.transport.close()

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"accept":
            self.accept = value
        elif name == b"content-type":
            self.content_type = value

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        body, self.body = b"".join(self.body), []
        self.on_request(body)

    def on_request(self, body: bytes) -> None:
        raise NotImplementedError


class _Client(Reader):
    def __init__(self, relay: Relay) -> None:
        super().__init__()
        self.relay = relay

    def on_request(self, body: bytes) -> None:
        asyncio.get_running_loop().create_task(self.relay.forward(self, body, self.accept))


class Relay:
    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[_Backend] = []

    async def forward(self, client: _Client, body: bytes, accept: bytes) -> None:
        loop = asyncio.get_running_loop()
        request = (b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/sparql-query\r\nAccept: %s\r\n"
                   b"Content-Length: %d\r\n\r\n%s" % (accept, len(body), body))
        for _ in range(3):  # the binary closes idle connections: take a new one then
            while self.idle and self.idle[-1].transport.is_closing():
                self.idle.pop()
            if self.idle:
                backend = self.idle.pop()
            else:
                _, backend = await loop.create_connection(_Backend, "127.0.0.1", self.port)
            backend.future = loop.create_future()
            backend.transport.write(request)
            try:
                status, content_type, answer = await backend.future
            except ConnectionError:
                continue
            self.idle.append(backend)
            break
        else:
            client.transport.close()
            return
        client.transport.write(
            b"HTTP/1.1 %d X\r\ncontent-type: %s\r\ncontent-length: %d\r\n\r\n%s"
            % (status, content_type, len(answer), answer))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _serve(port: int, backend_port: int) -> None:
    relay = Relay(backend_port)
    loop = asyncio.get_running_loop()
    await loop.create_server(lambda: _Client(relay), "127.0.0.1", port, backlog=2048)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--native", type=Path,
                        help="relay with this binary (bench/relay_native) instead of uvloop")
    args = parser.parse_args(argv)
    backend_port = _free_port()
    backend = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location",
                                str(args.store), "--bind", f"127.0.0.1:{backend_port}",
                                "--union-default-graph"])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", backend_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        if args.native:
            return subprocess.call([str(args.native), str(args.port), str(backend_port)])
        import uvloop

        uvloop.run(_serve(args.port, backend_port))
    finally:
        backend.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

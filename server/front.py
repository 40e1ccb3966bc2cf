"""The HTTP front of ``--engine binary``: a small HTTP/1.1 server on httptools and uvloop
that runs the ASGI app (:func:`server.app.create_app`) without uvicorn.

Why not uvicorn: with evaluation in the Oxigraph binary, what is left of a small query's
cost in this process is HTTP itself, and uvicorn's protocol, its ASGI cycle objects and
flow-control machinery cost 140–200 µs of Python per request (issue 11) — as much as
the binary's whole answer. This front parses with httptools' C parser, builds the ASGI
scope as a plain dict, and writes a whole small answer (status line, headers, body) in one
``transport.write``. Everything the app does stays the app's: routes, pages, the SPARQL
handler, HEAD/OPTIONS, CORS, security headers, the body limit.

What must hold before the app sees a request is enforced here, as :mod:`server.guard`
does for uvicorn (the same limits and messages):

* a request must arrive whole (request line, headers, body) within ``request_timeout`` of
  its first byte (of the connection, for the first one), else 408 and close; an idle
  keep-alive connection is closed after ``keep_alive`` seconds;
* a request target over ``MAX_URL_BYTES`` gets 414 and headers over ``MAX_HEADER_BYTES``
  431 as they are parsed, whatever their size (bytes before the end of the headers are
  counted too, since httptools hands a header over only when it ends);
* a body over ``MAX_BODY_BYTES`` gets 413 while it arrives;
* an answer the client does not read is back-pressured (``pause_writing``): ``send``
  waits for the socket to drain, and the app drops a client that stalls (``stall``).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from http import HTTPStatus

import httptools
from policykg.server.app import MAX_BODY_BYTES
from policykg.server.guard import MAX_HEAD_BYTES, MAX_HEADER_BYTES, MAX_URL_BYTES

log = logging.getLogger("policykg.server.front")

_REASONS = {s.value: s.phrase.encode() for s in HTTPStatus}
_HIGH_WATER = 256 * 1024


def _plain(status: int, message: str, close: bool = True) -> bytes:
    body = (message.rstrip() + "\n").encode()
    return (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "content-type: text/plain; charset=utf-8\r\n"
            "x-content-type-options: nosniff\r\n"
            f"content-length: {len(body)}\r\n"
            + ("connection: close\r\n" if close else "") + "\r\n").encode() + body


def _head_lines(status: int, headers, keep_alive: bool) -> tuple[list[bytes], bool, bool]:
    """(the status line and header lines, whether the connection stays open after a
    ``connection: close`` among them, whether they give a content-length)."""
    lines = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b""))]
    has_length = False
    for name, value in headers:
        lname = name.lower()
        if lname == b"content-length":
            has_length = True
        elif lname == b"connection" and value.lower() == b"close":
            keep_alive = False
        lines.append(b"%s: %s\r\n" % (name, value))
    return lines, keep_alive, has_length


def _scope(method: str, raw_path: bytes, query: bytes, headers, version: str,
           connection: HttpConnection) -> dict:
    """The ASGI scope of one request, as a plain dict."""
    path = raw_path.decode("latin-1")
    if b"%" in raw_path:
        from urllib.parse import unquote
        path = unquote(path)
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": version, "method": method, "scheme": "http",
        "path": path, "raw_path": raw_path, "query_string": query,
        "root_path": "", "headers": headers, "client": connection.client,
        "server": connection.server, "state": dict(connection.front.state),
    }


class _Refused(Exception):
    pass


class HttpConnection(asyncio.Protocol):
    """One client connection: parse requests, run each through the ASGI app in turn."""

    __slots__ = ("front", "loop", "transport", "parser", "client", "server", "_url",
                 "_headers", "_header_bytes", "_head_bytes", "_headers_done", "_body",
                 "_body_size", "_refusal", "_timer", "_queue", "_task", "_lost",
                 "_writable", "_closing", "_response_started")

    def __init__(self, front: Front) -> None:
        self.front = front
        self.loop = front.loop
        self.transport = None
        self.parser = httptools.HttpRequestParser(self)
        self._queue: list[tuple] = []
        self._task: asyncio.Task | None = None
        self._lost: asyncio.Future = self.loop.create_future()
        self._writable: asyncio.Future | None = None
        self._closing = False
        self._timer = None
        self._refusal = None
        self._response_started = False
        self._begin()

    def _begin(self) -> None:
        self._url = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self._header_bytes = 0
        self._head_bytes = 0
        self._headers_done = False
        self._body: list[bytes] = []
        self._body_size = 0

    # ---------------------------------------------------------------- timers
    def _arm(self, seconds: float, callback) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if not self._response_started:
            self.transport.write(_plain(
                408, f"The request did not arrive within {self.front.request_timeout:g} s."))
        self._close()

    def _idle_too_long(self) -> None:
        self._timer = None
        if self._task is None and not self._queue:
            self._close()

    # ---------------------------------------------------------------- asyncio
    def connection_made(self, transport) -> None:
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.client = (peer[0], peer[1]) if peer else None
        sock = transport.get_extra_info("sockname")
        self.server = (sock[0], sock[1]) if sock else None
        transport.set_write_buffer_limits(high=_HIGH_WATER)
        self._arm(self.front.request_timeout, self._too_slow)

    def data_received(self, data: bytes) -> None:
        if self._refusal is not None or self._closing:
            return
        counting = not self._headers_done
        try:
            self.parser.feed_data(data)
        except _Refused:
            self._refuse()
            return
        except httptools.HttpParserUpgrade:
            self._refusal = (400, "Upgrades are not supported.")
            self._refuse()
            return
        except httptools.HttpParserError:
            if self._refusal is None:
                self._refusal = (400, "Invalid HTTP request.")
            self._refuse()
            return
        if counting and not self._headers_done:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refusal = (431, f"The request headers are larger than "
                                      f"{MAX_HEADER_BYTES:,} bytes.")
                self._refuse()

    def _refuse(self) -> None:
        self._disarm()
        if not self._response_started:
            self.transport.write(_plain(*self._refusal))
        self._close()

    def connection_lost(self, exc) -> None:
        self._disarm()
        self._closing = True
        if not self._lost.done():
            self._lost.set_result(None)
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        if self._writable is None or self._writable.done():
            self._writable = self.loop.create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def _close(self) -> None:
        self._closing = True
        self._disarm()
        if not self.transport.is_closing():
            self.transport.close()

    # ---------------------------------------------------------------- httptools
    def on_message_begin(self) -> None:
        self._begin()
        if self._task is None:  # else the timer is armed when the previous one ends
            self._response_started = False
            self._arm(self.front.request_timeout, self._too_slow)

    def on_url(self, url: bytes) -> None:
        self._url += url
        if len(self._url) > MAX_URL_BYTES:
            self._refusal = (414, f"The request URL is longer than {MAX_URL_BYTES:,} bytes; "
                                  "POST the query.")
            raise _Refused

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADER_BYTES:
            self._refusal = (431, f"The request headers are larger than "
                                  f"{MAX_HEADER_BYTES:,} bytes.")
            raise _Refused
        self._headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self._headers_done = True
        if (b"expect", b"100-continue") in self._headers:  # curl, for bodies over 1 KB
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, body: bytes) -> None:
        self._body_size += len(body)
        if self._body_size > MAX_BODY_BYTES:
            self._refusal = (413, f"The request body is larger than {MAX_BODY_BYTES:,} bytes.")
            raise _Refused
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._task is None:
            self._disarm()
        parser = self.parser
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        request = (parser.get_method().decode("ascii"), self._url, self._headers, body,
                   parser.should_keep_alive(), parser.get_http_version())
        self._queue.append(request)
        if self._task is None:
            self._task = self.loop.create_task(self._serve())

    # ---------------------------------------------------------------- requests
    async def _serve(self) -> None:
        try:
            while self._queue and not self._closing:
                keep_alive = await self._one(*self._queue.pop(0))
                if not keep_alive:
                    self._close()
                    return
        except Exception:  # never let one request take the server down
            log.exception("request failed")
            self._close()
            return
        finally:
            self._task = None
        if not self._closing:
            if self._queue:  # arrived meanwhile
                self._task = self.loop.create_task(self._serve())
            elif self.parser is not None:
                self._arm(self.front.keep_alive, self._idle_too_long)

    async def _one(self, method, url, headers, body, keep_alive, version) -> bool:
        parsed = httptools.parse_url(url)
        raw_path = parsed.path or b"/"
        direct = self.front.direct
        if direct is not None and raw_path == b"/sparql" and method in ("GET", "POST"):
            try:
                got = await direct(method, parsed.query or b"", headers, body, self.client)
            except Exception:
                log.exception("error in the query path")
                self.transport.write(_plain(500, "Internal server error."))
                return False
            if got is not None:
                return self._answer(*got, keep_alive)
        scope = _scope(method, raw_path, parsed.query or b"", headers, version, self)
        self._response_started = False
        sent_body = False
        chunked = False
        head = method == "HEAD"
        state = {"more": True, "keep": keep_alive}
        transport = self.transport

        async def receive():
            if state["more"]:
                state["more"] = False
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.shield(self._lost)  # a cancelled waiter must not cancel it
            return {"type": "http.disconnect"}

        pending: list = []

        async def send(message) -> None:
            nonlocal sent_body, chunked
            kind = message["type"]
            if kind == "http.response.start":
                self._response_started = True
                pending.append(message)
                return
            if kind != "http.response.body" or sent_body:
                return
            data = message.get("body", b"")
            more = message.get("more_body", False)
            if pending:
                start = pending.pop()
                status = start["status"]
                lines, state["keep"], has_length = _head_lines(
                    status, start.get("headers", ()), state["keep"])
                if not has_length and status >= 200 and status not in (204, 304):
                    if more:
                        chunked = True
                        lines.append(b"transfer-encoding: chunked\r\n")
                    elif not head:
                        lines.append(b"content-length: %d\r\n" % len(data))
                if not state["keep"]:
                    lines.append(b"connection: close\r\n")
                lines.append(b"\r\n")
                if not head and data:
                    lines.append(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                if not more:
                    if chunked and not head:
                        lines.append(b"0\r\n\r\n")
                    sent_body = True
                transport.write(b"".join(lines))
            elif not head:
                if chunked:
                    if data:
                        transport.write(b"%x\r\n%s\r\n" % (len(data), data))
                    if not more:
                        transport.write(b"0\r\n\r\n")
                elif data:
                    transport.write(data)
                if not more:
                    sent_body = True
            elif not more:
                sent_body = True
            if self._writable is not None and not self._writable.done():
                await self._writable  # back-pressure: the client reads slowly
            if self._closing and more:
                raise ConnectionResetError("client gone")

        try:
            await self.front.app(scope, receive, send)
        except ConnectionResetError:
            return False
        except Exception:
            log.exception("error in the app")
            if not self._response_started:
                transport.write(_plain(500, "Internal server error."))
            return False
        if not sent_body:  # an answer cut off (a stalled reader, a failed backend): drop
            transport.abort()  # what is still buffered, the client must not take it whole
            return False
        return state["keep"] and not self._closing

    def _answer(self, status: int, headers: list, body: bytes, keep_alive: bool) -> bool:
        """Write a whole answer in one ``transport.write``; whether to keep the connection."""
        if self.transport.is_closing():  # the client left while the query ran
            return False
        lines, keep_alive, _ = _head_lines(status, headers, keep_alive)
        if not keep_alive:
            lines.append(b"connection: close\r\n")
        lines.append(b"\r\n")
        lines.append(body)
        self._response_started = True
        self.transport.write(b"".join(lines))
        return keep_alive and not self._closing


class Front:
    """The listening server and the app's lifespan."""

    def __init__(self, app, *, request_timeout: float, keep_alive: float) -> None:
        self.app = app
        self.direct = getattr(app, "direct", None)
        """The app's query path without ASGI (:func:`server.app.create_app`), if it has one."""
        self.request_timeout = request_timeout
        self.keep_alive = keep_alive
        self.state: dict = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    async def _lifespan(self):
        """Start the app's lifespan (the backends); returns the function that ends it."""
        loop = asyncio.get_running_loop()
        started = loop.create_future()
        finished = loop.create_future()
        shutdown = asyncio.Event()
        messages = [{"type": "lifespan.startup"}]

        async def receive():
            if messages:
                return messages.pop(0)
            await shutdown.wait()
            return {"type": "lifespan.shutdown"}

        async def send(message) -> None:
            kind = message["type"]
            if kind == "lifespan.startup.complete":
                started.set_result(None)
            elif kind == "lifespan.startup.failed":
                started.set_exception(RuntimeError(message.get("message", "startup failed")))
            elif kind.startswith("lifespan.shutdown"):
                if not finished.done():
                    finished.set_result(None)

        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        task = loop.create_task(self.app(scope, receive, send))
        await started

        async def stop() -> None:
            shutdown.set()
            try:
                await asyncio.wait_for(finished, 10)
            except TimeoutError:
                task.cancel()

        return stop

    async def serve(self, host: str, port: int) -> None:
        self.loop = asyncio.get_running_loop()
        stop_app = await self._lifespan()
        server = await self.loop.create_server(lambda: HttpConnection(self), host, port,
                                               reuse_address=True, backlog=2048)
        log.warning("serving on http://%s:%d (engine: binary)", host, port)
        stopping = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.loop.add_signal_handler(sig, stopping.set)
        try:
            await stopping.wait()
        finally:
            server.close()
            await stop_app()


def run(app, host: str, port: int, *, request_timeout: float, keep_alive: float,
        log_level: str = "info") -> None:
    """Serve ``app`` until SIGINT/SIGTERM, on uvloop when installed."""
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s: %(message)s")
    front = Front(app, request_timeout=request_timeout, keep_alive=keep_alive)
    try:
        import uvloop
        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    runner(front.serve(host, port))

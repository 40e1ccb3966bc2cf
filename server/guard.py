"""The HTTP connection itself: limits that must hold before the app sees a request.

Why a protocol of our own (a subclass of uvicorn's httptools protocol): some abuse never
reaches the ASGI app, because the app is only called once a request's headers are whole.

* **Slow or idle sockets.** uvicorn arms its keep-alive timer only after a response; a
  socket that connects and sends nothing, or dribbles a header line now and then, stayed
  open forever (100 such sockets were held). Here every request must be complete — request
  line, headers and body — within ``request_timeout`` seconds of its first byte (or of the
  connection, for the first request); else the client gets 408 and the socket is closed.
* **Huge request lines and headers.** httptools buffers whatever arrives: a 20 MB header
  was accepted, and a request line over about 64 KB (it arrives in two reads) gave a bare
  "Invalid HTTP request received.". The request line and the headers are counted as the
  parser reports them, so a long URL gets 414 and big headers 431 — whatever their size,
  and before they are held in memory.

The app (:class:`server.app.SparqlFastPath`) checks the same limits again for servers
run without this protocol (h11, tests of the app object).
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_URL_BYTES = 16 * 1024
"""Longer request targets get 414 (a GET query that long belongs in a POST body)."""
MAX_HEADER_BYTES = 32 * 1024
"""All header names and values together; more gets 431 (a 20 MB header was accepted)."""
MAX_HEAD_BYTES = MAX_URL_BYTES + MAX_HEADER_BYTES + 8 * 1024
"""Bytes a request may send before its headers are complete: httptools hands a header
value over only when it ends, so a 20 MB value must be refused while it arrives."""
REQUEST_TIMEOUT = 10.0
"""Seconds a request may take to arrive whole (headers and body); more gets 408."""


class _Refused(Exception):
    """Raised in a parser callback to stop parsing; the refusal is in ``_refusal``."""


def _response(status: int, message: str) -> bytes:
    body = (message.rstrip() + "\n").encode()
    return (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "content-type: text/plain; charset=utf-8\r\n"
            "x-content-type-options: nosniff\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode() + body


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a whole-request deadline and size limits."""

    request_timeout: float = REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._refusal: tuple[int, str] | None = None
        self._header_bytes = 0
        self._head_bytes = 0
        self._headers_done = False
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        """The request has not arrived whole in time: 408 unless an answer has begun."""
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(_response(
                408, f"The request did not arrive within {self.request_timeout:g} s."))
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._headers_done = False
        self._arm()

    def on_url(self, url: bytes) -> None:
        if len(self.url) + len(url) > MAX_URL_BYTES:
            self._refusal = (414, f"The request URL is longer than {MAX_URL_BYTES:,} bytes; "
                                  "POST the query.")
            raise _Refused
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADER_BYTES:
            self._refusal = (431, f"The request headers are larger than "
                                  f"{MAX_HEADER_BYTES:,} bytes.")
            raise _Refused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._headers_done = True
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        self._head_bytes = 0
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        if self._refusal is not None:
            return
        counting = not self._headers_done
        super().data_received(data)
        if counting and not self._headers_done and self._refusal is None:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refusal = (431, f"The request headers are larger than "
                                      f"{MAX_HEADER_BYTES:,} bytes.")
                self.send_400_response("")

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a parser error; ours when a limit stopped the parser."""
        if self._refusal is None:
            super().send_400_response(msg)
            return
        self._disarm()
        self.transport.write(_response(*self._refusal))
        self.transport.close()


def http_protocol(request_timeout: float = REQUEST_TIMEOUT) -> type[GuardedHttpTools]:
    """The protocol class for ``uvicorn.run(http=…)`` with the given request deadline."""
    return type("GuardedHttp", (GuardedHttpTools,), {"request_timeout": request_timeout})


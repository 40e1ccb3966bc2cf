"""Query backends that are Oxigraph's own server: ``oxigraph serve-read-only`` processes.

Why: evaluating in a Python worker (pyoxigraph behind a pipe) cost more CPU per small query
than all of Oxigraph's server does for the same query (issue 11), so a small lookup could
not get past 0.65× of the raw binary on two cores. Here the same engine, as the binary from
the PyPI ``oxigraph`` package, evaluates and serializes; the server only relays bytes to it
over a kept-alive HTTP/1.1 connection and keeps what the binary cannot do itself:

* **A real deadline.** The binary's ``--timeout-s`` does not stop work (queries ran 20 s
  past a 2 s limit and answered a 200 that ends "cancelled"), so it is never set: a
  backend whose answer is late is SIGKILLed and started again (:meth:`Backend.kill`).
  A general backend runs one heavy query at a time (:mod:`server.binpool` leases its
  connections), so a kill stops the query that overran; cheap queries on its other
  connections are run again elsewhere.
* **Dies with the server**: ``PR_SET_PDEATHSIG`` (set between fork and exec, from the
  event loop's thread, whose end is what the kernel watches) kills a backend whose server
  died, even by SIGKILL; a normal stop kills them all.
* **Bounded memory**: once started, a backend's address space is capped
  (``prlimit``) at what it maps plus the configured allowance; a query past it makes the
  binary abort, and the server answers 503 and starts another.

The answer is read by :class:`_Reply` (httptools' C parser), which counts lines as the
bytes arrive — the server asks for SPARQL TSV or N-Triples, where one line is one row —
so the row cap stops reading at ``max_rows + 1`` rows without parsing anything.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httptools
from policykg.server.waiting import until_woken

STARTUP_TIMEOUT = 30.0
_PR_SET_PDEATHSIG = 1


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable: beside this Python's (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise FileNotFoundError("the oxigraph server binary is not installed "
                                "(pip install oxigraph); use --engine pool")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child_setup(nice: int):
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def setup() -> None:  # runs in the child between fork and exec: no locks, no imports
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(0)
        if nice:
            os.nice(nice)

    return setup


def _vm_size(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (None if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


class Process:
    """One ``oxigraph serve-read-only`` child; ``is_alive`` like multiprocessing's."""

    def __init__(self, popen: subprocess.Popen, port: int) -> None:
        self.popen = popen
        self.port = port
        self.pid = popen.pid

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()


def start_process(store_path: str, *, nice: int = 0, union: bool = True) -> Process:
    """Fork/exec one backend (call from the event loop's thread: see PDEATHSIG above)."""
    port = _free_port()
    command = [oxigraph_binary(), "serve-read-only", "--location", store_path,
               "--bind", f"127.0.0.1:{port}"]
    if union:
        command.append("--union-default-graph")
    popen = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, preexec_fn=_child_setup(nice),
                             close_fds=True)
    return Process(popen, port)


def limit_memory(process: Process, extra_bytes: int) -> None:
    """Cap the backend's address space at what it maps now plus ``extra_bytes``."""
    if extra_bytes > 0 and process.is_alive():
        limit = _vm_size(process.pid) + extra_bytes
        try:
            resource.prlimit(process.pid, resource.RLIMIT_AS, (limit, limit))
        except (OSError, ValueError):
            pass


class _Reply(asyncio.Protocol):
    """A kept-alive HTTP/1.1 connection to one backend, one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._reset()

    def _reset(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.status = 0
        self.headers_done = False
        self.complete = False
        self.chunks: list[bytes] = []
        self.size = 0
        self.lines = 0
        self.stop_at_lines = 0
        """Wake the waiter once this many lines have arrived (0: only at the end)."""
        self.streaming = False
        """Wake the waiter at every chunk (dumps)."""
        self._waiter: asyncio.Future | None = None

    # -- asyncio.Protocol
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.transport.close()
            self._lost()

    def connection_lost(self, exc) -> None:
        self._lost()

    def _lost(self) -> None:
        self.closed = True
        self._wake()

    # -- httptools callbacks
    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.headers_done = True
        if self.streaming:
            self._wake()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.size += len(body)
        if self.stop_at_lines:
            self.lines += body.count(b"\n")
            if self.lines >= self.stop_at_lines:
                self._wake()
        if self.streaming:
            self._wake()

    def on_message_complete(self) -> None:
        self.complete = True
        self._wake()

    # -- use
    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def send(self, request: bytes, *, stop_at_lines: int = 0, streaming: bool = False) -> None:
        self._reset()
        self.stop_at_lines = stop_at_lines
        self.streaming = streaming
        self.transport.write(request)

    async def wait(self, deadline: float) -> bool:
        """Until something happened; False at ``deadline`` (time.monotonic)."""
        if not await until_woken(deadline, self._park):
            return False
        return time.monotonic() < deadline or self.complete

    def _park(self, waiter: asyncio.Future | None) -> None:
        self._waiter = waiter

    def take(self) -> bytes:
        chunks, self.chunks = self.chunks, []
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


async def connect(process: Process, deadline: float) -> _Reply:
    """A connection to ``process`` once it accepts them (it starts in ~0.1 s)."""
    loop = asyncio.get_running_loop()
    while True:
        if not process.is_alive():
            raise RuntimeError(f"oxigraph backend exited with status {process.exitcode}")
        try:
            _, reply = await loop.create_connection(_Reply, "127.0.0.1", process.port)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("oxigraph backend did not start in time") from None
            await asyncio.sleep(0.02)
            continue
        sock = reply.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply


def request(method: str, target: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body

"""The floor of a front without a hop: worker processes that own the client's connection.

Why: `bench/relay_floor.py` (Python) and `bench/relay_native` (Rust) both forward each
request over loopback TCP to an ``oxigraph serve-read-only`` backend, and both stay under
0.9x of raw Oxigraph on small lookups: the second hop's kernel work (two more socket
writes and reads, two more wake-ups) costs about as much as the engine's own answer. This
measures the design that has no second hop: each worker process opens the store with
pyoxigraph (the same engine), accepts connections from one shared listening socket, reads
the request with httptools and answers on its own event loop, so the answer's bytes go
from the engine to the client's socket directly. Nothing else (no deadline, cap, negotiation,
prefixes): a yardstick for ``bench/serve_bench.py --servers i,n,b``.

    python bench/inproc_floor.py --store STORE --port 8001 [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
from urllib.parse import parse_qs

from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat, Store
from relay_floor import Reader  # noqa: E402  (bench/ is the script's folder)

_JSON = QueryResultsFormat.JSON


class _Client(Reader):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def on_request(self, body: bytes) -> None:
        if self.content_type.startswith(b"application/x-www-form-urlencoded"):
            query = parse_qs(body.decode())["query"][0]
        else:
            query = body.decode()
        try:
            result = self.store.query(query, use_default_graph_as_union=True)
            if isinstance(result, QueryTriples):
                kind, answer = b"application/n-triples", result.serialize(
                    format=RdfFormat.N_TRIPLES)
            else:
                kind, answer = b"application/sparql-results+json", result.serialize(
                    format=_JSON)
            status = 200
        except (SyntaxError, OSError, ValueError) as e:
            status, kind, answer = 400, b"text/plain", str(e).encode()
        self.transport.write(b"HTTP/1.1 %d X\r\ncontent-type: %s\r\ncontent-length: %d\r\n\r\n%s"
                             % (status, kind, len(answer), answer))


async def _serve(sock: socket.socket, store: Store) -> None:
    loop = asyncio.get_running_loop()
    await loop.create_server(lambda: _Client(store), sock=sock, backlog=2048)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(2048)
    sock.setblocking(False)
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            import uvloop

            uvloop.run(_serve(sock, Store.read_only(args.store)))
            os._exit(0)
        children.append(pid)
    signal.signal(signal.SIGTERM, lambda *_: [os.kill(p, signal.SIGKILL) for p in children])
    for pid in children:
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Connections, over raw sockets to a real server: slow and idle sockets are closed, slow
readers hold no query worker, sizes get their status whatever they are, and the public
base URL never comes from the ``Host`` header."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from server_fixtures import build_store

pytest_plugins = ["server_fixtures"]


def raw(base: str, data: bytes, wait: float = 15.0, rcvbuf: int | None = None) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.connect((host, int(port)))
    sock.settimeout(wait)
    if data:
        sock.sendall(data)
    return sock


def read_all(sock: socket.socket) -> bytes:
    parts = []
    while chunk := sock.recv(65536):
        parts.append(chunk)
    return b"".join(parts)


@pytest.fixture(scope="module")
def guarded(store_dir, start_server):
    with start_server(store_dir, extra=("--request-timeout", "1", "--keep-alive", "1",
                                        "--base-url", "https://kg.example.org/")) as base:
        yield base


def test_slow_and_idle_sockets_are_closed(guarded):
    """100 slow-header sockets stayed open forever; now each gets 408 and is closed."""
    slow = [raw(guarded, b"GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ") for _ in range(20)]
    idle = [raw(guarded, b"") for _ in range(5)]
    for sock in slow:
        assert read_all(sock).startswith(b"HTTP/1.1 408 ")
    for sock in idle:
        answer = read_all(sock)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
    for sock in slow + idle:
        sock.close()
    assert httpx.get(guarded + "/health").status_code == 200


def test_a_slow_body_is_cut_off(guarded):
    sock = raw(guarded, b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: "
                        b"application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK")
    answer = read_all(sock)
    sock.close()
    assert answer == b"" or b" 408 " in answer.split(b"\r\n")[0] or b" 400 " in answer


@pytest.mark.parametrize("size,status", [(20_000, b"414"), (70_000, b"414"),
                                         (1_000_000, b"414")])
def test_long_urls_get_414_whatever_their_length(guarded, size, status):
    """Over about 64 KB httptools used to answer "Invalid HTTP request received." (400)."""
    try:
        sock = raw(guarded, b"GET /sparql?query=" + b"x" * size + b" HTTP/1.1\r\nHost: a\r\n\r\n")
        line = read_all(sock).split(b"\r\n")[0]
        sock.close()
    except ConnectionResetError:  # refused while we still sent the rest (1 MB)
        assert size > 100_000
        return
    assert line.split()[1] == status, line


def test_huge_headers_get_431_before_they_are_held(guarded):
    try:
        sock = raw(guarded, b"GET /health HTTP/1.1\r\nHost: a\r\nX-Big: " + b"y" * 2_000_000
                   + b"\r\n\r\n")
        line = read_all(sock).split(b"\r\n")[0]
    except ConnectionResetError:  # closed while we were still sending: refused all the same
        line = b"HTTP/1.1 431"
    else:
        sock.close()
    assert line.split()[1] == b"431", line


FORGED = {"Host": "evil.example"}


def test_a_forged_host_appears_nowhere(guarded):
    with httpx.Client(base_url=guarded, timeout=30) as client:
        for path in ("/void", "/sparql"):
            r = client.get(path, headers={**FORGED, "Accept": "text/turtle"})
            assert r.status_code == 200
            assert "evil.example" not in r.text and "https://kg.example.org/sparql" in r.text
        r = client.get("/sparql", headers={**FORGED, "Accept": "text/html"})
        assert r.status_code == 303 and r.headers["location"] == "https://kg.example.org/"
        for path in ("/sparql/", "/static", "/void/"):
            r = client.get(path, headers=FORGED)
            assert "evil.example" not in r.headers.get("location", "") + r.text


def test_without_base_url_descriptions_do_not_echo_host(server):
    r = httpx.get(server + "/void", headers={**FORGED, "Accept": "text/turtle"})
    assert r.status_code == 200 and "evil.example" not in r.text
    assert "http://127.0.0.1:" in r.text


@pytest.mark.parametrize("path", [
    "/dumps/graph.ttl?graph=not%20an%20iri", "/dumps/graph.ttl?graph=%3C%3E",
    "/sparql?query=ASK%7B%7D&default-graph-uri=not%20iri", "/data/%00.ttl", "/page/%20",
    "/id/a%22b", "/ontology?format=%00", "/sparql?query=%FF%FE", "/void?format=zzz",
])
def test_odd_parameters_get_4xx_with_a_message(guarded, path):
    """``graph=not an iri`` answered 500 with a traceback showing server paths."""
    r = httpx.get(guarded + path, timeout=30)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
    assert r.text.strip() and "Traceback" not in r.text and "/work" not in r.text


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    """~12 MB of N-Quads: more than socket buffers hold, so a reader that does not read
    really stalls the answer."""
    folder = tmp_path_factory.mktemp("big-store")
    source = folder / "big.nq"
    pad = "x" * 200
    with source.open("w") as out:
        for i in range(50_000):
            out.write(f'<http://e/s{i}> <http://e/p> "{pad}{i}" <http://e/g{i % 7}> .\n')
    return build_store(folder, source)


def test_slow_readers_hold_no_worker(big_store, start_server):
    """Two sockets that did not read a dump made a third dump wait 25 s (workers held);
    now answers are spooled, so 4 stalled readers leave both workers free."""
    with start_server(big_store, timeout=30, workers=2,
                      extra=("--stream-timeout", "60")) as base:
        stalled = [raw(base, b"GET /dumps/graph.trig HTTP/1.1\r\nHost: a\r\n\r\n",
                       rcvbuf=4096) for _ in range(4)]
        time.sleep(2)
        with httpx.Client(base_url=base, timeout=60) as client:
            r = client.get("/dumps/graph.trig")
            assert r.status_code == 200 and len(r.content) > 10_000_000
            assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]
            health = client.get("/health").json()
        # the stalled sockets are still open (they were not simply cut), and no worker
        # was killed to free it
        for sock in stalled:
            sock.setblocking(False)
            assert sock.recv(1)  # data is waiting for them
            sock.close()
        assert health["workers_replaced"] == 0


def test_a_reader_that_never_reads_is_dropped(big_store, start_server):
    with start_server(big_store, timeout=30, extra=("--stream-timeout", "1")) as base:
        sock = raw(base, b"GET /dumps/graph.trig HTTP/1.1\r\nHost: a\r\n\r\n", wait=30,
                   rcvbuf=4096)
        time.sleep(4)  # far past the stall timeout: the server has given up on us
        received = 0
        try:
            while chunk := sock.recv(1 << 20):
                received += len(chunk)
        except ConnectionResetError:
            pass
        sock.close()
        assert received < 10_000_000  # cut off, not the whole dump
        # (if the answer was not spooled whole yet, its worker was replaced: fine)
        assert httpx.get(base + "/health").json()["status"] == "ok"

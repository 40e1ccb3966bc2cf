"""Requests an attacker would send, over real HTTP to a real server: each gets a clear 4xx
with a message, never a 500, a hang or an outbound connection."""

from __future__ import annotations

import socket
import threading
import time

import pytest

pytest_plugins = ["server_fixtures"]


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    seen: list = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    stop.set()
    thread.join()
    sock.close()


@pytest.mark.parametrize("hide", ["ex:a\\#", "ex:a\\'", "1ex:a\\#"])
def test_service_hidden_behind_escapes_is_refused_and_connects_nowhere(client, listener, hide):
    port, seen = listener
    q = (f"PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?x {{ 1 }} OPTIONAL {{ ?s {hide} ?o }}"
         f" SERVICE <http://127.0.0.1:{port}/x> {{ ?leak ?p ?o }} }}")
    if hide.startswith("1"):
        q = (f"PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?x {{ {hide} }} "
             f"SERVICE <http://127.0.0.1:{port}/x> {{ ?leak ?p ?o }} }}")
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 403 and "SERVICE" in r.text
    time.sleep(0.3)
    assert seen == []


def test_a_long_digit_run_is_answered_at_once_and_others_are_not_held(client):
    q = "ASK { FILTER(" + "1" * 24_000 + "a) }"
    started = time.monotonic()
    r = client.post("/sparql", data={"query": q})
    assert r.status_code == 400 and "Malformed query" in r.text
    assert client.get("/health").status_code == 200
    assert time.monotonic() - started < 10  # was 18.7 s of a frozen server


@pytest.mark.parametrize("query,limit", [
    ("SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o" + " }" * 10_000, "levels deep"),
    ("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { " * 5_000 + "}" * 5_001, "levels deep"),
    ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 5_000) + " }", "UNIONs"),
    ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000, "characters long"),
])
def test_queries_that_crashed_workers_are_refused_naming_the_limit(client, query, limit):
    r = client.post("/sparql", content=query.encode(),
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and limit in r.text, r.text[:200]
    assert client.get("/health").json()["workers_replaced"] == 0


def test_oversized_requests_get_413_414_431(client):
    r = client.post("/sparql", content=b"x" * (3 * 1024 * 1024),
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    r = client.get("/sparql", params={"query": "ASK {} #" + "x" * 20_000})
    assert r.status_code == 414
    r = client.get("/health", headers={f"x-pad-{i}": "y" * 8000 for i in range(6)})
    assert r.status_code == 431


def test_html_pages_carry_security_headers(client):
    for path in ("/", "/ontology"):
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    r = client.get("/sparql", params={"query": "ASK {}"})
    assert r.headers["x-content-type-options"] == "nosniff"

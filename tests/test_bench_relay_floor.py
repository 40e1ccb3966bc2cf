"""bench/relay_floor.py, the yardstick serve_bench.py's (r) runs: a real oxigraph backend
behind the bare relay answers what the raw binary answers, and dies with the relay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
from server_fixtures import build_store, free_port

ROOT = Path(__file__).resolve().parents[1]
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_the_relay_forwards_queries_to_its_own_oxigraph(tmp_path):
    store = build_store(tmp_path)
    port = free_port()
    relay = subprocess.Popen([sys.executable, str(ROOT / "bench" / "relay_floor.py"),
                              "--store", str(store), "--port", str(port)],
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.post(f"http://127.0.0.1:{port}/sparql", content=QUERY.encode(),
                               headers={"Content-Type": "application/sparql-query",
                                        "Accept": "text/csv"}, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the relay did not come up"
                time.sleep(0.1)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert r.text.split() == ["n", "185"]  # the sample dataset's quads
        children = psutil.Process(relay.pid).children()
        assert [c.name() for c in children] == ["oxigraph"]
    finally:
        os.killpg(relay.pid, signal.SIGTERM)
        relay.wait(timeout=10)
    for child in children:
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE

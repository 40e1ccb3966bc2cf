"""The floors serve_bench.py measures beside ``policykg serve``: the bare Python relay (r) and
the bare native relay (n) before their own oxigraph backend, and the in-process workers (i).
Each answers what the raw engine answers, and dies with its process group."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from server_fixtures import build_store, free_port

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _native() -> list[str]:
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not on PATH: bench/relay_native cannot be built")
    subprocess.run(["cargo", "build", "--release", "--offline", "--quiet"],
                   cwd=BENCH / "relay_native", check=True)
    return ["--native", str(BENCH / "relay_native/target/release/relay-native")]


def _ask(port: int, accept: str) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.post(f"http://127.0.0.1:{port}/sparql", content=QUERY.encode(),
                              headers={"Content-Type": "application/sparql-query",
                                       "Accept": accept}, timeout=5)
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the floor did not come up"
            time.sleep(0.1)


def _stopped(process: subprocess.Popen) -> list[psutil.Process]:
    children = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)
    return children


def _dead(children: list[psutil.Process], within: float = 10.0) -> bool:
    """Every child gone (or a zombie) within ``within`` seconds of the group's SIGTERM: a
    backend closing its store may outlive the relay's own exit by a moment under load."""
    deadline = time.monotonic() + within
    while True:
        if all(not c.is_running() or c.status() == psutil.STATUS_ZOMBIE for c in children):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.mark.parametrize("native", [False, True], ids=["python", "native"])
def test_a_relay_forwards_queries_to_its_own_oxigraph(tmp_path, native):
    store = build_store(tmp_path)
    port = free_port()
    extra = _native() if native else []
    relay = subprocess.Popen([sys.executable, str(BENCH / "relay_floor.py"), "--store",
                              str(store), "--port", str(port), *extra], start_new_session=True)
    try:
        r = _ask(port, "text/csv")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert r.text.split() == ["n", "185"]  # the sample dataset's quads
        names = sorted(c.name() for c in psutil.Process(relay.pid).children(recursive=True))
        assert names == (["oxigraph", "relay-native"] if native else ["oxigraph"])
    finally:
        children = _stopped(relay)
    assert _dead(children)


def test_the_in_process_workers_answer_from_their_own_store(tmp_path):
    store = build_store(tmp_path)
    port = free_port()
    floor = subprocess.Popen([sys.executable, str(BENCH / "inproc_floor.py"), "--store",
                              str(store), "--port", str(port), "--workers", "2"],
                             start_new_session=True)
    try:
        r = _ask(port, "application/sparql-results+json")
        assert r.status_code == 200
        assert json.loads(r.content)["results"]["bindings"][0]["n"]["value"] == "185"
        assert len(psutil.Process(floor.pid).children()) == 2
        bad = httpx.post(f"http://127.0.0.1:{port}/sparql", content=b"SELEKT",
                         headers={"Content-Type": "application/sparql-query"}, timeout=5)
        assert bad.status_code == 400
    finally:
        children = _stopped(floor)
    assert _dead(children)

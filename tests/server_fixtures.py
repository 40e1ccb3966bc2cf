"""Shared fixtures for the server tests: a store built from the sample dataset and a real
uvicorn server in a subprocess (real HTTP, real worker processes, real timeouts)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from pyoxigraph import RdfFormat, Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "server" / "sample.nq"


def build_store(folder: Path, source: Path = SAMPLE) -> Path:
    """A fresh on-disk Oxigraph store loaded from ``source`` and closed again."""
    store_dir = folder / "store"
    store = Store(str(store_dir))
    store.bulk_load(path=str(source), format=RdfFormat.N_QUADS)
    store.flush()
    del store
    return store_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ENGINE = os.environ.get("POLICYKG_ENGINE")
"""``binary`` or ``pool`` to run every server test on that engine (default: the server's)."""
SERVERS: dict[str, subprocess.Popen] = {}
"""Base URL -> the server process, for tests that look at its workers."""


def worker_pids(base: str) -> set[int]:
    """The query workers of the server at ``base``: its spawned pyoxigraph workers or its
    ``oxigraph serve-read-only`` backends, whichever engine it runs.

    Read from the process table, not from /health, which names no processes."""
    import psutil

    pids = set()
    for c in psutil.Process(SERVERS[base].pid).children():
        try:  # a killed one may be a zombie until it is reaped
            cmdline = c.cmdline()
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
        if (any("multiprocessing.spawn" in part for part in cmdline)
                and not any("resource_tracker" in part for part in cmdline)) \
                or "serve-read-only" in cmdline:
            pids.add(c.pid)
    return pids


@contextmanager
def running_server(store_dir: Path, *, timeout: float = 2.0, max_rows: int = 100,
                   workers: int = 2, fast_budget: float = 0.5, extra: tuple[str, ...] = ()):
    port = free_port()
    log = open(store_dir.parent / f"server-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "policykg.server.main", "--store", str(store_dir),
         "--port", str(port),
         "--timeout", str(timeout), "--max-rows", str(max_rows), "--workers", str(workers),
         "--fast-budget", str(fast_budget),
         "--log-level", "warning", *(("--engine", ENGINE) if ENGINE else ()), *extra],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("server exited: " + Path(log.name).read_text())
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not come up: " + Path(log.name).read_text())
            time.sleep(0.1)
        SERVERS[base] = proc
        yield base
    finally:
        SERVERS.pop(base, None)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def start_server():
    """:func:`running_server`, for tests that need a server with other options."""
    return running_server


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("server-store"))


@pytest.fixture(scope="module")
def server(store_dir) -> str:
    """Base URL of a server on the sample store: 2 workers, 2 s timeout, 100-row cap."""
    with running_server(store_dir) as base:
        yield base


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c

"""The binary engine's process model (``--engine binary``): deadlines that kill a backend,
backends that come back, reads retried when a backend dies under them, and no backend
left behind when the server stops."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx
import psutil
import pytest
from server_fixtures import SERVERS, worker_pids

pytest_plugins = ["server_fixtures"]

BINARY = ("--engine", "binary")
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""185⁴ solutions: minutes of work on the sample store."""
MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""185³ = 6.3 million solutions: a second or more."""
QUICK = "SELECT ?s WHERE { ?s a ?type } LIMIT 3"


def _backends(base: str) -> set[int]:
    pids = set()
    for p in worker_pids(base):
        try:
            if "serve-read-only" in psutil.Process(p).cmdline():
                pids.add(p)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            pass
    return pids


def _wait_backends(base: str, n: int, seconds: float = 20) -> set[int]:
    deadline = time.monotonic() + seconds
    while True:
        pids = _backends(base)
        if len(pids) == n or time.monotonic() > deadline:
            return pids
        time.sleep(0.1)


def test_deadline_answers_503_within_half_a_second_while_others_are_served(
        store_dir, start_server):
    with start_server(store_dir, timeout=2, fast_budget=0.5, extra=BINARY) as base:
        answers: list[int] = []
        stop = threading.Event()

        def other_client() -> None:
            with httpx.Client(base_url=base, timeout=10) as c:
                while not stop.is_set():
                    answers.append(c.get("/sparql", params={"query": QUICK}).status_code)
                    time.sleep(0.02)

        thread = threading.Thread(target=other_client)
        thread.start()
        try:
            time.sleep(0.3)
            served_before = len(answers)
            started = time.monotonic()
            r = httpx.get(base + "/sparql", params={"query": CROSS_JOIN}, timeout=30)
            seconds = time.monotonic() - started
            served_during = len(answers) - served_before
        finally:
            stop.set()
            thread.join()
        assert r.status_code == 503 and "timed out" in r.text, r.text
        assert "cancelled" not in r.text
        assert 1.9 < seconds < 2.5, seconds
        assert served_during >= 3 and set(answers) == {200}, answers
        # the killed backends (the fast lane's at its budget, the general one at the
        # deadline) are replaced
        assert len(_wait_backends(base, 3)) == 3


def test_killed_backends_restart_and_the_next_query_is_answered(store_dir, start_server):
    with start_server(store_dir, extra=BINARY) as base, \
            httpx.Client(base_url=base, timeout=30) as client:
        before = _wait_backends(base, 3)
        assert len(before) == 3
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        r = client.get("/sparql", params={"query": QUICK})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
        after = _wait_backends(base, 3)
        assert len(after) == 3 and not after & before
        assert client.get("/health").json()["workers_replaced"] >= 3


def test_a_read_is_retried_when_its_backend_is_killed_under_it(store_dir, start_server):
    # a fast-lane budget longer than the query: it runs where it starts
    with start_server(store_dir, timeout=60, fast_budget=30, extra=BINARY) as base:
        pids = _wait_backends(base, 3)
        procs = {p: psutil.Process(p) for p in pids}
        result: dict = {}

        def run() -> None:
            result["response"] = httpx.get(base + "/sparql", params={"query": MEDIUM},
                                           timeout=90)

        thread = threading.Thread(target=run)
        thread.start()
        cpu = {p: sum(proc.cpu_times()[:2]) for p, proc in procs.items()}
        time.sleep(0.6)
        busy = max(pids, key=lambda p: sum(procs[p].cpu_times()[:2]) - cpu[p])
        os.kill(busy, signal.SIGKILL)
        thread.join()
        r = result["response"]
        assert r.status_code == 200, r.text
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == 185 ** 3


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_no_backend_outlives_the_server(store_dir, start_server, how):
    with start_server(store_dir, timeout=60, extra=BINARY) as base:
        pids = _wait_backends(base, 3)
        assert len(pids) == 3
        thread = threading.Thread(target=lambda: _ignore(
            lambda: httpx.get(base + "/sparql", params={"query": CROSS_JOIN}, timeout=10)),
            daemon=True)
        thread.start()
        time.sleep(0.5)
        server = SERVERS[base]
        server.send_signal(how)
        server.wait(timeout=20)
        deadline = time.monotonic() + 10
        while any(_running(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in pids if _running(p)]


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _ignore(call) -> None:
    try:
        call()
    except httpx.HTTPError:
        pass

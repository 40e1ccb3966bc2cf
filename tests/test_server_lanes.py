"""The fast lane, against a real server: cheap queries, malformed queries and update
attempts are answered while every general-lane worker is busy with heavy queries.

Without the fast lane (``--fast-workers 0``) the lookups below wait in the same queue
as the heavy queries and none is answered before the first heavy one returns.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from policykg.ontology.vocab import sparql_prolog

pytest_plugins = ["server_fixtures"]

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~1 s here
LOOKUP = sparql_prolog() + "SELECT ?t WHERE { ?t a pk:Task } ORDER BY ?t LIMIT 3"


def heavy_client(base: str) -> httpx.Client:
    """A client from another loopback address (127.0.0.2): the server keys fairness by
    client address, and the heavy clients here are not the one whose lookups are timed."""
    return httpx.Client(base_url=base, timeout=60,
                        transport=httpx.HTTPTransport(local_address="127.0.0.2"))


@pytest.fixture(scope="module")
def lane_server(store_dir, start_server):
    # no answers kept: the heavy queries here are asked again to be evaluated again
    with start_server(store_dir, timeout=20, fast_budget=0.3,
                      extra=("--answer-cache-mb", "0")) as base:
        yield base


def test_cheap_queries_overtake_heavy_ones(lane_server):
    with httpx.Client(base_url=lane_server, timeout=60) as client, \
            heavy_client(lane_server) as first_client:
        # the first run of a new heavy shape is stopped in the fast lane and finished in
        # the general lane; the client just gets its answer (and, from its address, no
        # more fast-lane trials for a while: server.fairness)
        before = client.get("/health").json()
        first = first_client.get("/sparql", params={"query": HEAVY})
        assert first.status_code == 200 and first.json()["results"]["bindings"]
        after = client.get("/health").json()
        assert after["moved_to_general_lane"] == before["moved_to_general_lane"] + 1
        assert after["clients_without_trials"] == 1
        assert client.get("/sparql", params={"query": LOOKUP}).status_code == 200

        heavy_done: list[float] = []

        def heavy() -> None:
            with heavy_client(lane_server) as other:
                r = other.get("/sparql", params={"query": HEAVY})
                assert r.status_code == 200, r.text
            heavy_done.append(time.monotonic())

        threads = [threading.Thread(target=heavy) for _ in range(4)]  # 2 run, 2 queue
        for t in threads:
            t.start()
        time.sleep(0.2)
        answered = []
        while not heavy_done and len(answered) < 40:
            r = client.get("/sparql", params={"query": LOOKUP})
            answered.append((time.monotonic(), r.status_code, "lookup"))
        bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
        answered.append((time.monotonic(), bad.status_code, "malformed"))
        update = client.get("/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
        answered.append((time.monotonic(), update.status_code, "update"))
        for t in threads:
            t.join()

    first_heavy = min(heavy_done)
    early = [(status, kind) for at, status, kind in answered if at < first_heavy]
    # an ordering: lookups are answered before any heavy query is (how many depends on load)
    assert [s for s, k in early if k == "lookup"].count(200) >= 2, answered
    assert (400, "malformed") in early and (403, "update") in early
    assert len(heavy_done) == 4

"""Whole answers kept for queries asked again (server/answers.py): the same bytes as a fresh
evaluation, never for a query whose answer may change, bounded in bytes, and off with
``--answer-cache-mb 0``."""

from __future__ import annotations

import httpx
import pytest
from policykg.server.answers import AnswerCache, Kept, cacheable
from policykg.server.lexer import SHORT_TEXT

pytest_plugins = ["server_fixtures"]

LOOKUP = "SELECT ?s ?o WHERE { ?s a ?o } ORDER BY ?s ?o LIMIT 5"


@pytest.mark.parametrize("query", [
    "SELECT (NOW() AS ?t) {}",
    "SELECT (rand ( ) AS ?r) {}",
    "SELECT ?s WHERE { ?s ?p ?o BIND(UUID() AS ?u) }",
    "SELECT (STRUUID() AS ?u) {}",
    "CONSTRUCT { ?s <urn:p> ?b } WHERE { ?s ?p ?o BIND(BNODE() AS ?b) }",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o } # " + "x" * SHORT_TEXT,
])
def test_answers_that_may_change_or_long_texts_are_not_kept(query):
    assert not cacheable(query)


@pytest.mark.parametrize("query", [
    LOOKUP,
    "SELECT ?now WHERE { ?s <urn:snow> ?now }",  # a name that merely contains NOW
    "ASK { ?s ?p ?o }",
])
def test_deterministic_short_queries_are_kept(query):
    assert cacheable(query)


def test_the_least_recently_used_answer_goes_first_and_bytes_stay_bounded():
    cache = AnswerCache(max_bytes=16 * 1000)  # entries up to 1,000 bytes: ~20 of 764
    meta = {"media_type": "text/csv"}
    for i in range(40):
        cache.put((f"q{i}", "text/csv", None, (), ()), Kept(meta, b"x" * 500, "0.001"))
        if i >= 10:  # q0 is asked again all along: it stays, the others of its time go
            assert cache.get(("q0", "text/csv", None, (), ())) is not None
        assert cache.bytes <= cache.max_bytes
    assert cache.get(("q1", "text/csv", None, (), ())) is None
    assert cache.get(("q39", "text/csv", None, (), ())) is not None
    cache.put(("big", None, None, (), ()), Kept(meta, b"x" * 2000, "0.1"))  # over an entry
    assert cache.get(("big", None, None, (), ())) is None
    assert cache.report()["hits"] == 31 and cache.report()["misses"] == 2


def test_a_kept_answer_is_the_fresh_one_and_says_so(client):
    params = {"query": LOOKUP}
    for accept in ("text/csv", "application/sparql-results+json"):
        first = client.get("/sparql", params=params, headers={"Accept": accept})
        again = client.get("/sparql", params=params, headers={"Accept": accept})
        assert first.status_code == again.status_code == 200
        assert "x-answer-kept" not in first.headers
        assert again.headers["x-answer-kept"] == "true"
        assert again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
        assert again.headers["x-result-rows"] == first.headers["x-result-rows"] == "5"
    volatile = {"query": "SELECT (STRUUID() AS ?u) {}"}
    one, two = (client.get("/sparql", params=volatile, headers={"Accept": "text/csv"})
                for _ in range(2))
    assert "x-answer-kept" not in two.headers and one.text != two.text
    assert client.get("/health").json()["answers_kept"]["hits"] >= 2


def test_errors_are_not_kept(client):
    for _ in range(2):
        r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
        assert r.status_code == 400 and "x-answer-kept" not in r.headers


def test_no_answers_are_kept_when_switched_off(store_dir, start_server):
    with start_server(store_dir, extra=("--answer-cache-mb", "0")) as base:
        for _ in range(2):
            r = httpx.get(base + "/sparql", params={"query": LOOKUP})
            assert r.status_code == 200 and "x-answer-kept" not in r.headers
        assert httpx.get(base + "/health").json()["answers_kept"] is None


def test_the_word_filter_lets_the_pattern_decide_whenever_it_could_match():
    import random

    from policykg.server.answers import _VOLATILE

    pieces = ["SELECT", " ?now ", "now(", "Rand (", "uuid", "StrUUID(", "bnode ( ", "service",
              "SERVICE <x>", "snow", "{", "}", "<urn:a>", " ", "\n", "ſervice"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        assert cacheable(text) == (_VOLATILE.search(text) is None), text

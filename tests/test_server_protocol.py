"""SPARQL 1.1 Protocol over real HTTP: methods, datasets, conneg, errors, timeout, row cap."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from policykg.ontology.vocab import (
    ONTOLOGY_IRI,
    PK,
    SD,
    VOCABULARIES_GRAPH_IRI,
    VOID,
    sparql_prolog,
)
from pyoxigraph import RdfFormat, parse
from server_fixtures import worker_pids

DOC_A = "https://w3id.org/hubei-policy/id/doc/e-zheng-fa-2021-5"
DOC_B = "https://w3id.org/hubei-policy/id/doc/wu-zheng-ban-2022-12"
TASKS = sparql_prolog() + "SELECT ?t WHERE { ?t a pk:Task } ORDER BY ?t"
TASK_GRAPHS = sparql_prolog() + "SELECT ?t ?g WHERE { GRAPH ?g { ?t a pk:Task } } ORDER BY ?t"
CONSTRUCT = sparql_prolog() + "CONSTRUCT { ?t a pk:Task } WHERE { ?t a pk:Task }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
SR = "application/sparql-results+json"

pytest_plugins = ["server_fixtures"]


def values(response, var="t"):
    return [b[var]["value"] for b in response.json()["results"]["bindings"]]


# ------------------------------------------------------------------ methods and dataset

def test_get_post_form_and_post_direct_give_the_same_answer(client):
    get = client.get("/sparql", params={"query": TASKS}, headers={"Accept": SR})
    form = client.post("/sparql", data={"query": TASKS}, headers={"Accept": SR})
    direct = client.post("/sparql", content=TASKS.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": SR})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert values(get) == values(form) == values(direct)
    assert len(values(get)) == 3


def test_default_graph_is_union_and_graph_tells_the_source_document(client):
    r = client.get("/sparql", params={"query": TASK_GRAPHS}, headers={"Accept": SR})
    pairs = {(b["t"]["value"].split("/")[-2], b["g"]["value"])
             for b in r.json()["results"]["bindings"]}
    assert pairs == {("e-zheng-fa-2021-5", DOC_A), ("wu-zheng-ban-2022-12", DOC_B)}


def test_default_graph_uri_restricts_the_default_graph(client):
    r = client.get("/sparql", params={"query": TASKS, "default-graph-uri": DOC_B},
                   headers={"Accept": SR})
    assert [t.split("/")[-2] for t in values(r)] == ["wu-zheng-ban-2022-12"]
    # agencies live in the vocabularies graph, not in a document graph
    q = sparql_prolog() + "SELECT ?a WHERE { ?a a pk:Agency }"
    r = client.get("/sparql", params={"query": q, "default-graph-uri": DOC_A})
    assert values(r, "a") == []
    r = client.get("/sparql", params={"query": q, "default-graph-uri": VOCABULARIES_GRAPH_IRI})
    assert len(values(r, "a")) == 4


def test_named_graph_uri_restricts_graph_patterns(client):
    r = client.post("/sparql", data={"query": TASK_GRAPHS, "named-graph-uri": DOC_A},
                    headers={"Accept": SR})
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == {DOC_A}


# ------------------------------------------------------------------ results formats

def test_select_in_every_results_format(client):
    got = {}
    for accept in (SR, "application/sparql-results+xml", "text/csv",
                   "text/tab-separated-values"):
        r = client.get("/sparql", params={"query": TASKS}, headers={"Accept": accept})
        assert r.status_code == 200, accept
        assert r.headers["content-type"].startswith(accept)
        got[accept] = r.text
    assert len(json.loads(got[SR])["results"]["bindings"]) == 3
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(got["application/sparql-results+xml"])
    assert len(root.findall(".//s:result", ns)) == 3
    rows = list(csv.reader(io.StringIO(got["text/csv"])))
    assert rows[0] == ["t"] and len(rows) == 4
    tsv = got["text/tab-separated-values"].splitlines()
    assert tsv[0] == "?t" and tsv[1].startswith("<https://w3id.org/hubei-policy/id/task/")


def test_ask_in_json_and_xml(client):
    q = sparql_prolog() + "ASK { ?t pk:leadAgency ?a }"
    assert client.get("/sparql", params={"query": q}).json() == {"head": {}, "boolean": True}
    r = client.get("/sparql", params={"query": q},
                   headers={"Accept": "application/sparql-results+xml"})
    assert "<boolean>true</boolean>" in r.text


@pytest.mark.parametrize("media_type,rdf_format", [
    ("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD), ("application/rdf+xml", RdfFormat.RDF_XML),
    ("application/n-quads", RdfFormat.N_QUADS), ("application/trig", RdfFormat.TRIG),
])
def test_construct_in_every_rdf_format(client, media_type, rdf_format):
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": media_type})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media_type)
    triples = list(parse(r.content, rdf_format))
    assert len(triples) == 3
    assert all(t.object == PK.Task for t in triples)


def test_describe_returns_the_resource(client):
    q = f"DESCRIBE <{DOC_A}>"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    subjects = {t.subject.value for t in parse(r.content, RdfFormat.TURTLE)}
    assert DOC_A in subjects


# ------------------------------------------------------------------ negotiation

def test_accept_q_values_and_wildcards(client):
    def ctype(accept, query=TASKS):
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        return r.status_code, r.headers["content-type"].split(";")[0]

    assert ctype("text/csv;q=0.5, application/sparql-results+xml;q=0.9") == (
        200, "application/sparql-results+xml")
    assert ctype("*/*") == (200, SR)
    assert ctype("text/*") == (200, "text/csv")
    assert ctype("application/json") == (200, SR)
    assert ctype("text/html,application/xhtml+xml,*/*;q=0.8") == (200, SR)
    assert ctype("text/csv;q=0, */*;q=0.1") == (200, SR)
    assert ctype("*/*", CONSTRUCT) == (200, "text/turtle")
    assert ctype("application/rdf+xml;q=0.4, application/ld+json", CONSTRUCT) == (
        200, "application/ld+json")


def test_406_when_nothing_fits(client):
    r = client.get("/sparql", params={"query": TASKS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": TASKS}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406 and "SELECT" in r.text
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": TASKS, "format": "bogus"})
    assert r.status_code == 406


def test_format_parameter_overrides_accept(client):
    for fmt, ctype in [("csv", "text/csv"), ("xml", "application/sparql-results+xml"),
                       ("tsv", "text/tab-separated-values"), ("json", SR)]:
        r = client.get("/sparql", params={"query": TASKS, "format": fmt},
                       headers={"Accept": "text/html"})
        assert r.headers["content-type"].startswith(ctype), fmt
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    r = client.get("/sparql", params={"query": CONSTRUCT, "output": "nt"})
    assert r.headers["content-type"].startswith("application/n-triples")


# ------------------------------------------------------------------ service description

@pytest.mark.parametrize("accept,rdf_format", [
    ("text/turtle", RdfFormat.TURTLE), ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
])
def test_service_description(client, accept, rdf_format):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    triples = list(parse(r.content, rdf_format))
    names = {t.object.value for t in triples if t.predicate == SD.name}
    assert names == {DOC_A, DOC_B, ONTOLOGY_IRI, VOCABULARIES_GRAPH_IRI}
    assert any(t.predicate == SD.endpoint and t.object.value.endswith("/sparql")
               for t in triples)
    assert any(t.object == SD.UnionDefaultGraph for t in triples)


def test_browser_opening_sparql_gets_the_query_page(client):
    r = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 303 and r.headers["location"] == "/"


# ------------------------------------------------------------------ errors

def test_malformed_query_is_400_with_position(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "line 1, column" in r.text and "expected" in r.text


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"query": "INSERT DATA { <x:a> <x:b> <x:c> }"}),
    lambda c: c.post("/sparql", data={"query": "PREFIX x: <x:>\n# drop it\nDROP ALL"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR DEFAULT"}),
    lambda c: c.post("/sparql", content=b"DELETE WHERE { ?s ?p ?o }",
                     headers={"Content-Type": "application/sparql-update"}),
])
def test_updates_are_refused_and_data_is_intact(client, send):
    r = send(client)
    assert r.status_code == 403 and "read-only" in r.text
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert values(count, "n") == ["185"]


def test_other_client_errors_are_4xx(client):
    assert client.post("/sparql", data={}).status_code == 400
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "image/png"}
                       ).status_code == 415
    r = client.get("/sparql", params={"query": TASKS, "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    r = client.get("/sparql", params=[("query", TASKS), ("query", TASKS)])
    assert r.status_code == 400
    r = client.get("/sparql", params={
        "query": "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.text


def test_row_cap_truncates_and_says_so(client):
    q = "SELECT * WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": q})
    body = r.json()
    assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-rows"] == "100"
    assert len(body["results"]["bindings"]) == 100 and body["truncated"] is True
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r.headers["x-result-truncated"] == "true" and len(r.text.splitlines()) == 101
    r = client.get("/sparql", params={"query": TASKS})
    assert r.headers["x-result-truncated"] == "false" and "truncated" not in r.json()
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert r.headers["x-result-truncated"] == "true" and len(r.text.splitlines()) == 100


@pytest.mark.parametrize("accept", [SR, "text/csv", "application/sparql-results+xml"])
def test_row_cap_is_exact_at_the_boundary(client, accept):
    """Exactly ``max_rows`` (100) solutions are whole; one more is truncated to 100."""
    for limit, truncated in ((99, "false"), (100, "false"), (101, "true")):
        q = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT {limit}"
        r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200
        assert r.headers["x-result-truncated"] == truncated, (limit, accept)
        assert r.headers["x-result-rows"] == str(min(limit, 100)), (limit, accept)


def test_construct_row_cap_is_exact_at_the_boundary(client):
    for limit, truncated in ((100, "false"), (101, "true")):
        q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT {limit}"
        r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/n-triples"})
        assert r.headers["x-result-truncated"] == truncated, limit
        assert len(r.text.splitlines()) == min(limit, 100)


def test_slow_query_times_out_and_is_killed_while_others_are_served(client, server):
    pids_before = worker_pids(server)
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        # from an address of its own: a client whose earlier trial overran the fast
        # budget gets no trials for a while (server.fairness), and earlier tests of this
        # module ran heavy queries from 127.0.0.1
        transport = httpx.HTTPTransport(local_address="127.0.0.3")
        with httpx.Client(timeout=30, transport=transport) as other:
            slow["response"] = other.get(server + "/sparql", params={"query": SLOW})
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    quick = []
    while thread.is_alive():
        started = time.monotonic()
        r = client.get("/sparql", params={"query": TASKS})
        quick.append((r.status_code, time.monotonic() - started))
        time.sleep(0.05)
    thread.join()
    assert slow["response"].status_code == 503
    assert "timed out" in slow["response"].text
    # orderings, not speeds (a loaded 2-core machine stretches every figure): the timeout
    # never fires early, and every cheap query came back while the slow one still ran
    assert 1.8 < slow["seconds"] < 30
    assert len(quick) >= 3 and all(status == 200 for status, _ in quick)
    assert max(seconds for _, seconds in quick) < slow["seconds"]
    # A shape never seen before is tried in the fast lane first: its worker was killed
    # when the 0.5 s budget ran out, the query moved to the general lane, and that
    # worker was killed at the timeout. Both processes are gone and were replaced.
    deadline = time.monotonic() + 20
    while True:
        health = client.get("/health").json()
        pids = worker_pids(server)
        if len(pids) == 3 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert health["status"] == "ok" and health["workers_replaced"] >= 2
    assert health["moved_to_general_lane"] >= 1
    gone = pids_before - pids
    assert len(gone) == 2
    for pid in gone:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert client.get("/sparql", params={"query": TASKS}).status_code == 200
    # the shape is now known to be expensive: the next run goes straight to the general
    # lane (nothing more is moved) and costs one worker, not two
    moved, replaced = health["moved_to_general_lane"], health["workers_replaced"]
    assert client.get("/sparql", params={"query": SLOW}).status_code == 503
    health = client.get("/health").json()
    assert health["moved_to_general_lane"] == moved
    assert health["workers_replaced"] == replaced + 1


# ------------------------------------------------------------------ HEAD, OPTIONS, CORS

ROUTES = ["/", "/sparql", "/void", "/health", "/ontology", "/dumps/graph.nq",
          "/id/doc/e-zheng-fa-2021-5", "/page/doc/e-zheng-fa-2021-5",
          "/data/doc/e-zheng-fa-2021-5.ttl", "/static/query.js"]


@pytest.mark.parametrize("path", ROUTES)
def test_head_and_options_on_every_route(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers.get("content-type") == get.headers.get("content-type")
    options = client.options(path)
    assert options.status_code == 204
    assert "GET" in options.headers["allow"] and "HEAD" in options.headers["allow"]


QUERIES_BOTH_PATHS = [
    {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
    {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "format": "csv"},
    {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", "format": "ttl"},
    {"query": "SELECT * WHERE { ?s ?p ?o }"},  # past the row cap: truncated
    {"query": "SELECT * WHERE { ?s ?p "},  # 400
    {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},  # 403
    {"query": "ASK {}", "format": "image/png"},  # 406
]


@pytest.mark.parametrize("origin", [None, "https://yasgui.org"])
@pytest.mark.parametrize("params", QUERIES_BOTH_PATHS)
def test_get_and_head_of_a_query_send_the_same_headers(client, params, origin):
    """GET and POST /sparql take the front's direct path (no ASGI) on the binary engine,
    HEAD goes through the app: the status and every header must be the same."""
    headers = {"Origin": origin} if origin else {}
    get = client.get("/sparql", params=params, headers=headers)
    head = client.head("/sparql", params=params, headers=headers)

    def kept(r):
        return sorted((k, v) for k, v in r.headers.items()
                      if k not in ("x-query-time", "x-answer-kept", "content-length", "date",
                                   "server"))

    assert head.status_code == get.status_code
    assert kept(head) == kept(get)
    assert get.headers["x-content-type-options"] == "nosniff"
    if origin:
        assert get.headers["access-control-allow-origin"] == "*"
        assert "Origin" in get.headers["vary"]


def test_cors(client):
    r = client.get("/sparql", params={"query": TASKS}, headers={"Origin": "https://yasgui.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "x-result-truncated" in r.headers["access-control-expose-headers"].lower()
    pre = client.options("/sparql", headers={
        "Origin": "https://yasgui.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


def test_void_counts_every_named_graph(client):
    r = client.get("/void", headers={"Accept": "text/turtle"})
    triples = list(parse(r.content, RdfFormat.TURTLE))
    counts = {}
    subsets = {t.object for t in triples if t.predicate == VOID.subset}
    for s in subsets:
        name = next(t.object.value for t in triples if t.subject == s and t.predicate == SD.name)
        counts[name] = int(next(t.object.value for t in triples
                                if t.subject == s and t.predicate == VOID.triples))
    assert set(counts) == {DOC_A, DOC_B, ONTOLOGY_IRI, VOCABULARIES_GRAPH_IRI}
    assert sum(counts.values()) == 185
    assert any(t.predicate == VOID.sparqlEndpoint for t in triples)
    assert any(t.predicate == VOID.exampleResource for t in triples)
    dumps = {t.object.value for t in triples if t.predicate == VOID.dataDump}
    assert any(d.endswith("/dumps/graph.nq") for d in dumps)
    assert any("graph.ttl?graph=" in d for d in dumps)

"""The server on the graph that ``policykg build`` really produces from the seeds, not on
the hand-made sample: protocol answers agree with the dump, every document resolves to a
page that shows its title, and task pages name their lead agencies by label."""

from __future__ import annotations

import httpx
import pytest
from policykg.ontology.vocab import ID_NS, sparql_prolog
from server_fixtures import running_server

pytest_plugins = ["server_fixtures"]
SR = "application/sparql-results+json"


@pytest.fixture(scope="module")
def seed_client(seed_build):
    with running_server(seed_build / "store", max_rows=100_000) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        yield client


def select(client, query: str) -> list[dict]:
    r = client.get("/sparql", params={"query": sparql_prolog() + query}, headers={"Accept": SR})
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def test_every_quad_of_the_dump_is_served(seed_client, seed_build):
    lines = (seed_build / "graph.nq").read_text(encoding="utf-8").splitlines()
    rows = select(seed_client, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"]["value"]) == len(lines)


def test_every_seed_document_resolves_to_a_page_with_its_title(seed_client):
    docs = select(seed_client, """SELECT ?d ?title WHERE {
        ?d a pk:PolicyDocument ; dcterms:title ?title . FILTER NOT EXISTS { ?d a pk:CitedDocument }
    }""")
    assert len(docs) == 5
    for row in docs:
        path = row["d"]["value"][len(ID_NS):]
        r = seed_client.get("/id/" + path, headers={"Accept": "text/html"},
                            follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/page/" + path
        page = seed_client.get("/page/" + path)
        assert page.status_code == 200 and row["title"]["value"] in page.text


def test_task_pages_name_their_lead_agencies(seed_client):
    rows = select(seed_client, """SELECT ?t ?label WHERE {
        ?t a pk:Task ; pk:leadAgency ?a . ?a skos:prefLabel ?label . FILTER(lang(?label) = "zh")
    } ORDER BY ?t LIMIT 20""")
    assert len(rows) == 20
    for row in rows:
        page = seed_client.get("/page/" + row["t"]["value"][len(ID_NS):])
        assert page.status_code == 200 and row["label"]["value"] in page.text

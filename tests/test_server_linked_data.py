"""Linked data: every IRI resolves (303 to a page or data), pages show what matters,
the ontology, dumps, health, and the example queries of the query page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from policykg.ontology.vocab import ID_NS, ONTOLOGY_IRI, PK, RDFS
from policykg.server import formats as F
from pyoxigraph import Dataset, NamedNode, RdfFormat, parse
from server_fixtures import SAMPLE

EXAMPLES = Path(__file__).resolve().parents[1] / "server" / "static" / "examples.json"
TASK = "task/e-zheng-fa-2021-5/s4-1"

pytest_plugins = ["server_fixtures"]


def all_instance_iris() -> list[str]:
    iris = set()
    for q in parse(path=str(SAMPLE), format=RdfFormat.N_QUADS):
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, NamedNode) and term.value.startswith(ID_NS):
                iris.add(term.value)
    return sorted(iris)


def test_every_instance_iri_resolves_to_a_page(client):
    iris = all_instance_iris()
    assert len(iris) == 27
    for iri in iris:
        path = iri[len(ID_NS):]
        r = client.get("/id/" + path, headers={"Accept": "text/html"})
        assert r.status_code == 303, iri
        assert r.headers["location"] == "/page/" + path
        page = client.get(r.headers["location"])
        assert page.status_code == 200 and "<h1>" in page.text, iri


@pytest.mark.parametrize("accept,ext,rdf_format", [
    ("text/turtle", "ttl", RdfFormat.TURTLE), ("application/ld+json", "jsonld", RdfFormat.JSON_LD),
    ("application/n-triples", "nt", RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "rdf", RdfFormat.RDF_XML),
])
def test_iri_negotiates_data(client, accept, ext, rdf_format):
    r = client.get("/id/" + TASK, headers={"Accept": accept})
    assert r.status_code == 303 and r.headers["location"] == f"/data/{TASK}.{ext}"
    assert "Accept" in r.headers["vary"]
    data = client.get(r.headers["location"])
    assert data.status_code == 200 and data.headers["content-type"].startswith(accept)
    triples = list(parse(data.content, rdf_format))
    task = NamedNode(ID_NS + TASK)
    assert any(t.subject == task and t.predicate == PK.leadAgency for t in triples)
    # inbound links are included too
    agency = "agency/hubei-sheng-jing-ji-he-xin-xi-hua-ting"
    data = client.get(f"/data/{agency}.{ext}")
    triples = list(parse(data.content, rdf_format))
    assert any(t.subject == task and t.object.value == ID_NS + agency for t in triples)


def test_unknown_iri_is_404_and_406_when_no_format_fits(client):
    assert client.get("/id/task/no-such-doc/s1").status_code == 404
    assert client.get("/page/task/no-such-doc/s1").status_code == 404
    assert client.get("/data/task/no-such-doc/s1.ttl").status_code == 404
    assert client.get(f"/data/{TASK}.docx").status_code == 404
    assert client.get("/id/" + TASK, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/a%3Cb").status_code == 404


def test_task_page_shows_document_section_agencies_and_evidence(client):
    html = client.get("/page/" + TASK).text
    assert "<h1>（一）壮大集成电路产业</h1>" in html
    assert 'href="/page/doc/e-zheng-fa-2021-5"' in html and "湖北省制造业高质量发展" in html
    assert 'href="/page/section/e-zheng-fa-2021-5/s4"' in html and "四、重点任务" in html
    assert "湖北省经济和信息化厅" in html and "湖北省发展和改革委员会" in html
    assert "（牵头单位：湖北省经济和信息化厅；责任单位：湖北省发展和改革委员会）" in html
    assert html.count("<blockquote") == 1  # the shared clause once
    assert "牵头单位" in html  # property label from the ontology graph


def test_agency_page_lists_its_tasks(client):
    html = client.get("/page/agency/hubei-sheng-jing-ji-he-xin-xi-hua-ting").text
    assert 'href="/page/task/e-zheng-fa-2021-5/s4-1"' in html
    assert 'href="/page/task/wu-zheng-ban-2022-12/s2-1"' in html
    assert "省经信厅" in html


def test_document_page_tells_it_is_a_named_graph(client):
    html = client.get("/page/doc/wu-zheng-ban-2022-12").text
    assert "Named graph" in html and "/dumps/graph.ttl?graph=" in html


def test_html_is_escaped(client):
    html = client.get("/page/" + TASK).text
    assert "<script" not in html


def test_ontology_html_and_rdf(client):
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'id="leadAgency"' in r.text and "牵头单位" in r.text
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    triples = list(parse(r.content, RdfFormat.TURTLE))
    assert any(t.subject == PK.leadAgency and t.predicate == RDFS.label for t in triples)
    r = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and json.loads(r.text)


def test_dump_equals_the_loaded_data(client):
    r = client.get("/dumps/graph.nq")
    assert r.status_code == 200
    served = Dataset(parse(r.content, RdfFormat.N_QUADS))
    expected = Dataset(parse(path=str(SAMPLE), format=RdfFormat.N_QUADS))
    assert len(served) == len(expected) == 185
    assert all(q in expected for q in served)
    trig = client.get("/dumps/graph.trig")
    assert len(Dataset(parse(trig.content, RdfFormat.TRIG))) == 185


def test_dump_of_a_built_store_is_the_builds_file_byte_for_byte(tmp_path, start_server):
    """A store loaded by the build carries its sorted dump; /dumps/graph.nq serves exactly it
    (the store's own order differs from the sorted file)."""
    import httpx

    from policykg.store import load_store, write_sorted_nquads

    dump = tmp_path / "graph.nq"
    write_sorted_nquads(parse(path=str(SAMPLE), format=RdfFormat.N_QUADS), dump)
    load_store(dump, tmp_path / "store")
    with start_server(tmp_path / "store", workers=1) as base:
        r = httpx.get(base + "/dumps/graph.nq", timeout=30)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/n-quads; charset=utf-8"
    assert r.content == dump.read_bytes()


def test_turtle_dump_per_graph(client):
    r = client.get("/dumps/graph.ttl", params={"graph": ONTOLOGY_IRI})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert len(list(parse(r.content, RdfFormat.TURTLE))) == 26
    assert client.get("/dumps/graph.ttl").status_code == 400
    assert client.get("/dumps/graph.ttl", params={"graph": ID_NS + "doc/nope"}).status_code == 404


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["workers"] == 2


def test_query_page_is_self_contained(client):
    html = client.get("/").text
    assert 'src="/static/query.js"' in html
    assert "http://" not in html.replace('xmlns="http://', "") and "https://" not in html
    # the page's own scripts name vocabulary IRIs as data, never a host to load from
    namespaces = (*client.get("/prefixes.json").json().values(), "https://w3id.org/hubei-policy/")
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset
        if "/vendor/" in asset:
            continue  # the libraries' own code; the browser test checks nothing is fetched
        for url in re.findall(r"[a-z]+://[^\s\"'<>)]+", client.get(asset).text):
            assert url.startswith(namespaces), (asset, url)
    assert client.get("/prefixes.json").json()["pk"] == PK.Task.value[:-len("Task")]


@pytest.mark.parametrize("example", json.loads(EXAMPLES.read_text()), ids=lambda e: e["id"])
def test_example_queries_run_on_the_sample_store(client, example):
    """The packaged examples run as they are (the endpoint predeclares the prefixes); that
    they return rows on a real build is tests/test_server_prefixes.py's job (this small
    sample predates sub-measures and sub-targets)."""
    assert example["title"] and example["title_zh"]
    r = client.post("/sparql", data={"query": example["query"]},
                    headers={"Accept": F.JSON.media_type})
    assert r.status_code == 200, r.text
    assert "bindings" in r.json()["results"], example["id"]


def test_gzip_dump_of_a_store_without_the_build_dump(client):
    """A store not loaded by the build has no dump file: the .gz is made from the store."""
    import gzip

    r = client.get("/dumps/graph.nq.gz")
    assert r.status_code == 200 and r.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in r.headers
    served = Dataset(parse(gzip.decompress(r.content), RdfFormat.N_QUADS))
    expected = Dataset(parse(path=str(SAMPLE), format=RdfFormat.N_QUADS))
    assert len(served) == len(expected) and all(q in expected for q in served)

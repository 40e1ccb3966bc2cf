"""Real SPARQL clients against the running server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import rdflib
from policykg.ontology.vocab import PK, SKOS, sparql_prolog
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

LEADS = sparql_prolog() + """
SELECT ?task ?agency ?name WHERE {
  ?task pk:leadAgency ?agency . ?agency skos:prefLabel ?name FILTER(lang(?name) = "zh")
} ORDER BY ?task"""
ASK = sparql_prolog() + "ASK { ?t a pk:Task }"
CONSTRUCT = sparql_prolog() + "CONSTRUCT { ?t pk:leadAgency ?a } WHERE { ?t pk:leadAgency ?a }"
EXPECTED_NAMES = ["湖北省经济和信息化厅", "湖北省发展和改革委员会", "武汉市经济和信息化局"]

pytest_plugins = ["server_fixtures"]


def wrapper(server, fmt, method="GET"):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setReturnFormat(fmt)
    if method == "POST":
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server, method):
    sw = wrapper(server, JSON, method)
    sw.setQuery(LEADS)
    rows = sw.queryAndConvert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == EXPECTED_NAMES
    assert rows[0]["name"]["xml:lang"] == "zh"


def test_sparqlwrapper_select_xml(server):
    sw = wrapper(server, XML)
    sw.setQuery(LEADS)
    doc = sw.queryAndConvert()  # xml.dom.minidom document
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == EXPECTED_NAMES


@pytest.mark.parametrize("fmt,sep", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(server, fmt, sep):
    sw = wrapper(server, fmt)
    sw.setQuery(LEADS)
    text = sw.queryAndConvert().decode("utf-8")
    lines = text.strip().splitlines()
    assert len(lines) == 4
    assert all(name in text for name in EXPECTED_NAMES)
    assert sep in lines[0]


def test_sparqlwrapper_ask(server):
    for fmt in (JSON, XML):
        sw = wrapper(server, fmt)
        sw.setQuery(ASK)
        result = sw.queryAndConvert()
        if fmt == JSON:
            assert result["boolean"] is True
        else:
            assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
def test_sparqlwrapper_construct(server, fmt):
    sw = wrapper(server, fmt)
    sw.setQuery(CONSTRUCT)
    result = sw.queryAndConvert()
    if isinstance(result, bytes | str):  # SPARQLWrapper returns raw text for some formats
        g = rdflib.Graph()
        g.parse(data=result, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[fmt])
    else:
        g = result
    assert len(g) == 3
    assert all(p == rdflib.URIRef(PK.leadAgency.value) for _, p, _ in g)


def test_sparqlwrapper_error_is_reported(server):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = wrapper(server, JSON)
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        sw.queryAndConvert()


@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select(server, return_format, method):
    store = SPARQLStore(server + "/sparql", returnFormat=return_format, method=method)
    g = rdflib.Graph(store)
    rows = list(g.query(LEADS))
    assert [str(r.name) for r in rows] == EXPECTED_NAMES
    assert all(isinstance(r.task, rdflib.URIRef) for r in rows)


def test_rdflib_sparqlstore_ask_construct_and_triples(server):
    store = SPARQLStore(server + "/sparql")
    g = rdflib.Graph(store)
    assert bool(g.query(ASK)) is True
    constructed = g.query(CONSTRUCT).graph
    assert len(constructed) == 3
    lead = rdflib.URIRef(PK.leadAgency.value)
    assert len(list(g.triples((None, lead, None)))) == 3
    agency = next(g.objects(None, lead))
    labels = {str(o) for o in g.objects(agency, rdflib.URIRef(SKOS.prefLabel.value))}
    assert labels & set(EXPECTED_NAMES)

"""Unit tests of the server's pure parts: content negotiation, request classification,
the chunk writer, and one worker job run in-process on an in-memory store."""

from __future__ import annotations

import json

import pytest
from policykg.server import formats as F
from policykg.server.worker import ChunkWriter, looks_like_update, run_query, uses_service
from pyoxigraph import RdfFormat, Store, parse
from server_fixtures import SAMPLE


@pytest.mark.parametrize("accept,offers,expected", [
    (None, F.RESULTS_FORMATS, F.JSON),
    ("", F.GRAPH_FORMATS, F.TURTLE),
    ("*/*", F.GRAPH_FORMATS, F.TURTLE),
    ("text/csv", F.RESULTS_FORMATS, F.CSV),
    ("text/*", F.RESULTS_FORMATS, F.CSV),
    ("application/*", F.RESULTS_FORMATS, F.JSON),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.3", F.RESULTS_FORMATS, F.XML),
    ("application/json", F.RESULTS_FORMATS, F.JSON),
    ("text/xml", F.RESULTS_FORMATS, F.XML),
    ("application/turtle", F.GRAPH_FORMATS, F.TURTLE),
    ("application/x-turtle;q=0.5, application/ld+json;q=0.6", F.GRAPH_FORMATS, F.JSONLD),
    ("*/*;q=0.1, text/turtle;q=0", F.GRAPH_FORMATS, F.NTRIPLES),
    ("image/png", F.RESULTS_FORMATS, None),
    ("text/turtle", F.RESULTS_FORMATS, None),
    ("text/csv;q=0", F.RESULTS_FORMATS, None),
    ("TEXT/CSV ; Q=0.9", F.RESULTS_FORMATS, F.CSV),
    ("text/csv;q=abc, text/tab-separated-values", F.RESULTS_FORMATS, F.TSV),
])
def test_negotiate(accept, offers, expected):
    assert F.negotiate(accept, offers) is expected


def test_format_parameter():
    assert F.from_parameter("json", F.RESULTS_FORMATS) is F.JSON
    assert F.from_parameter("json", F.GRAPH_FORMATS) is F.JSONLD
    assert F.from_parameter("xml", F.GRAPH_FORMATS) is F.RDFXML
    assert F.from_parameter("text/csv", F.RESULTS_FORMATS) is F.CSV
    assert F.from_parameter("csv", F.GRAPH_FORMATS) is None
    with pytest.raises(F.UnknownFormat):
        F.from_parameter("docx", F.RESULTS_FORMATS)


@pytest.mark.parametrize("text,expected", [
    ("INSERT DATA { <x:a> <x:b> <x:c> }", True),
    ("PREFIX x: <x:>\nBASE <http://e/>\n# comment\n  delete where { ?s ?p ?o }", True),
    ("LOAD <http://example.org/data.ttl>", True),
    ("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("SELECT * WHERE { ?s ?p }", False),
    ("PREFIX insert: <x:> SELECT * { ?s insert:p ?o", False),
    ("# INSERT\nSELECT", False),
])
def test_looks_like_update(text, expected):
    assert looks_like_update(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", True),
    ("select * { service silent ?endpoint { } }", True),
    ('SELECT ?service { ?service <x:SERVICE> "SERVICE" } # SERVICE', False),
    ("PREFIX service: <x:> SELECT * { ?s service:p ?o }", False),
    ("SELECT * { ?s ?p 'it''s a SERVICE' }", False),
    # escapes in prefixed names hid the keyword from the old pattern (a # or a quote)
    ("PREFIX ex: <http://e/> SELECT * { OPTIONAL { ?s ex:a\\# ?o } "
     "SERVICE <http://127.0.0.1:1/x> { ?leak ?p ?o } }", True),
    ("PREFIX ex: <http://e/> SELECT * { OPTIONAL { ?s ex:a\\' ?o } "
     "SERVICE <http://127.0.0.1:1/x> { ?leak ?p ?o } }", True),
    ("SELECT * { VALUES ?x { 1ex:a\\# } SERVICE <http://x/> { ?s ?p ?o } }", True),
    ('SELECT * { ?s <http://e/p> "x"SERVICE <http://x/> { ?s ?p ?o } }', True),
    ("SELECT * { ?s ?p ?o .SERVICE <http://x/> { } }", True),
    ("SELECT * { FILTER(?x-ex:a\\# ) SERVICE <http://x/> { } }", True),
    ("SELECT * { ?s ?p ?o }#x\nSERVICE <http://x/> { }", True),
])
def test_uses_service(text, expected):
    assert uses_service(text) is expected


@pytest.mark.parametrize("text,limit", [
    ("SELECT * WHERE " + "{ " * 300 + "?s ?p ?o" + " }" * 300, "levels deep"),
    ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "levels deep"),
    ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 1002) + " }", "UNIONs"),
    ("SELECT * WHERE { ?s ?p ?o } # " + "x" * 100_000, "characters long"),
])
def test_queries_past_a_limit_are_refused_naming_it(text, limit):
    """pyoxigraph crashes on about 5,000 nested groups and 10,000 UNIONs: such queries are
    refused (400, naming the limit) before the engine parses them."""
    sent = _run({"query": text})
    assert sent[0][0] == "error" and sent[0][1][0] == 400 and limit in sent[0][1][1]


def test_brackets_inside_strings_do_not_count_towards_depth():
    text = 'SELECT * WHERE { ?s ?p "' + "{" * 1000 + '" }'
    assert _run({"query": text})[0][0] == "meta"


def test_chunk_writer_splits_and_adds_json_note():
    sent = []
    w = ChunkWriter(sent.append)
    w.write(b"x" * (70 * 1024))
    w.write(b'{"a":1}')
    w.close(json_note=b',"truncated":true')
    chunks = [payload for tag, payload in sent]
    assert all(tag == "chunk" for tag, _ in sent)
    assert len(chunks[0]) == 64 * 1024
    assert b"".join(chunks).endswith(b'{"a":1,"truncated":true}')


def _run(job_overrides: dict) -> list:
    store = Store()
    store.bulk_load(path=str(SAMPLE), format=RdfFormat.N_QUADS)
    job = {"query": "SELECT ?s WHERE { ?s a ?c } ORDER BY ?s", "max_rows": 5,
           "results_format": F.JSON.media_type, "graph_format": F.TURTLE.media_type,
           "results_offers": "", "graph_offers": ""} | job_overrides
    sent: list = []
    run_query(store, job, sent.append)
    return sent


def test_worker_job_caps_rows_and_streams_messages():
    sent = _run({})
    assert sent[0] == ("meta", {"kind": "solutions", "media_type": F.JSON.media_type,
                                "rows": 5, "truncated": True})
    assert sent[-1] == ("end", None)
    body = json.loads(b"".join(p for t, p in sent if t == "chunk"))
    assert len(body["results"]["bindings"]) == 5 and body["truncated"] is True


def test_worker_job_construct_and_errors():
    sent = _run({"query": "CONSTRUCT WHERE { ?s a ?c }", "max_rows": 1000})
    body = b"".join(p for t, p in sent if t == "chunk")
    assert sent[0][1]["truncated"] is False
    assert len(list(parse(body, RdfFormat.TURTLE))) == sent[0][1]["rows"] > 20
    assert _run({"query": "SELECT ?s WHERE"})[0][1][0] == 400
    assert _run({"query": "CLEAR ALL"})[0][1][0] == 403
    assert _run({"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"})[0][1][0] == 403
    assert _run({"results_format": None})[0][1][0] == 406
    assert _run({"default_graphs": ["not an iri"]})[0][1][0] == 400

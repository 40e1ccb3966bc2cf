"""The endpoint predeclares the project's prefixes and answers syntax errors in one line,
at positions in the user's own text — on both engines, over plain HTTP.

Why: the example files of docs/queries use ``pk:``, ``skos:`` … without PREFIX lines (the
CLI and the query page predeclare them); with curl they must run too. The engine's own
message is a grammar dump at positions shifted by the prologue.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from policykg.ontology.vocab import PREFIXES
from policykg.server.errors import readable
from policykg.server.examples import query_order
from pyoxigraph import Store
from server_fixtures import running_server

QUERIES = sorted((Path(__file__).resolve().parents[1] / "docs" / "queries").glob("*.rq"),
                 key=query_order)
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module", params=["binary", "pool"])
def base(request, seed_build):
    with running_server(seed_build / "store", timeout=20.0, max_rows=10_000,
                        extra=("--engine", request.param)) as url:
        yield url


def ask(base: str, query: str) -> httpx.Response:
    return httpx.post(base + "/sparql", data={"query": query}, headers=JSON, timeout=60)


def test_project_prefixes_need_no_prefix_lines(base):
    r = ask(base, "SELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task ; pk:leadAgency ?a }")
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_a_querys_own_prefix_wins(base):
    r = ask(base, "PREFIX pk: <http://example.org/other#>\n"
                  "SELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task }")
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_an_unknown_prefix_is_named_at_its_place_in_the_users_text(base):
    r = ask(base, "SELECT * WHERE {\n  ?s ex:p ?o }")
    assert r.status_code == 400
    assert "unknown prefix ex: at line 2, column 6" in r.text
    assert "expected one of" not in r.text and len(r.text) < 300


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o > )\n}",
    "SELECT ?s WHERE {\n  ?s pk:leadAgency ?o\n  ?s ?p\n}",
])
def test_a_syntax_error_is_one_line_at_the_users_line(base, query):
    """The same line as the engine gives for the user's text alone (prefixes apart)."""
    try:
        Store().query(query, prefixes=PREFIXES)
    except SyntaxError as e:
        expected = readable(str(e), query, PREFIXES)
    r = ask(base, query)
    assert r.status_code == 400
    assert r.text.strip() == f"Malformed query: {expected}"
    assert expected.startswith("line ") and "'\\u{" not in r.text


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_example_file_runs_over_plain_http(base, path):
    r = ask(base, path.read_text(encoding="utf-8"))
    assert r.status_code == 200, f"{path.name}: {r.text[:300]}"
    assert r.json()["results"]["bindings"], path.name


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl not installed")
def test_every_example_file_runs_with_curl(base):
    """As the README tells a reader to: ``curl --data-urlencode query@FILE …/sparql``."""
    for path in QUERIES:
        out = subprocess.run(
            ["curl", "-sS", "--fail-with-body", "-H", "Accept: text/csv",
             "--data-urlencode", f"query@{path}", base + "/sparql"],
            capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"{path.name}: {out.stdout[:300]} {out.stderr[:300]}"
        assert len(out.stdout.splitlines()) > 1, path.name  # a header and at least one row


@pytest.mark.parametrize("text, declared", [
    ("PREFIX pk: <https://example.org/mine#> SELECT * {}", {"pk"}),
    ("# a comment\nprefix  ex:<http://e/>\nBASE <http://b/> PREFIX : <http://x/> SELECT * {}",
     {"ex", ""}),
    ("PREFIX a:<x> PREFIX b: <y>ASK {}", {"a", "b"}),
    ("BASE <http://b/#x> PREFIX ex: <http://e/#> PREFIX pk: <http://p/#>\nSELECT * {}",
     {"ex", "pk"}),
    ("SELECT * { ?s ?p ?o } # PREFIX z: <q>", set()),
    ('SELECT ("PREFIX q: <x>" AS ?s) {}', set()),
    ("", set()),
])
def test_only_the_prologue_declares_prefixes(text, declared):
    """A query's own declarations are read from its prologue alone (the only place SPARQL
    allows them); a PREFIX in a comment or a string after it declares nothing."""
    from policykg.server.errors import declared_prefixes, with_prologue

    assert declared_prefixes(text) == declared
    full, shift = with_prologue(text, PREFIXES)
    assert shift == len(set(PREFIXES) - declared)
    assert full.endswith(text) and full.count("PREFIX pk:") + full.count("prefix pk:") == 1

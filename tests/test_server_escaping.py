"""Hostile literals: labels and texts holding markup are shown as text, never run as markup.

The sample data has no ``<``, ``&`` or quotes in any literal, so this module loads its own
small graph whose agency label, task text and evidence are an XSS attempt.
"""

from __future__ import annotations

import httpx
import pytest
from policykg.ontology.vocab import ID_NS, PK, RDFS, SKOS
from server_fixtures import build_store, running_server

pytest_plugins = ["server_fixtures"]

HOSTILE = """<script>alert("x")</script> & 'q' <img src=x onerror=alert(1)>"""
AGENCY = ID_NS + "agency/hostile"
TASK = ID_NS + "task/hostile-doc/s1"
DOC = ID_NS + "doc/hostile-doc"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@zh'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    nq = folder / "hostile.nq"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    lines = [
        f"<{AGENCY}> <{rdf_type}> <{PK.Agency.value}> <{DOC}> .",
        f"<{AGENCY}> <{SKOS.prefLabel.value}> {_lit(HOSTILE)} <{DOC}> .",
        f"<{TASK}> <{rdf_type}> <{PK.Task.value}> <{DOC}> .",
        f"<{TASK}> <{RDFS.label.value}> {_lit(HOSTILE)} <{DOC}> .",
        f"<{TASK}> <{PK.leadAgency.value}> <{AGENCY}> <{DOC}> .",
        f"<{TASK}> <{PK.inDocument.value}> <{DOC}> <{DOC}> .",
    ]
    nq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = build_store(folder, nq)
    with running_server(store) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


@pytest.mark.parametrize("iri", [AGENCY, TASK])
def test_markup_in_literals_is_escaped_on_pages(hostile_server, iri):
    r = hostile_server.get("/page/" + iri[len(ID_NS):])
    assert r.status_code == 200
    page = r.text
    assert "<script>alert" not in page and "<img src=x" not in page
    # escaped as Jinja2 escapes (&#34; and &#39; for the quotes), the text itself kept
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;" in page


def test_markup_in_a_linked_label_is_escaped(hostile_server):
    """The task page shows the agency by its (hostile) label inside a link."""
    page = hostile_server.get("/page/" + TASK[len(ID_NS):]).text
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2  # own label and the link
    assert "onerror=alert(1)>" not in page

"""HTML pages for instance IRIs and for the ontology: readable, with labels, no scripts.

A page lists the resource's properties (grouped, objects labelled), the evidence text of
the resources it points to (a task's assignment clauses), and inbound links, each with the
named graph (source document) it came from. Every IRI of this dataset links to its page.
All text is escaped; labels prefer Chinese, then English, then any language.
"""

from __future__ import annotations

import html
from collections import defaultdict
from urllib.parse import quote

from fastapi.responses import Response
from policykg.ontology.vocab import DCTERMS, ONTOLOGY_IRI, PK, PREFIXES, RDF, RDFS, SKOS

LABEL_PROPERTIES = [SKOS.prefLabel, RDFS.label, DCTERMS.title, PK.heading]
KEY_PROPERTIES = [PK.inDocument, PK.inSection, PK.leadAgency, PK.responsibleAgency,
                  PK.assignedAgency, PK.assignmentRole, PK.issuer, PK.jurisdiction,
                  PK.docNumber, DCTERMS.issued, PK.text, PK.evidence]
MAX_INBOUND = 500


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def curie(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _label_rank(binding: dict) -> tuple[int, int]:
    lang = binding["l"].get("xml:lang", "")
    prop = binding["p"]["value"]
    order = [p.value for p in LABEL_PROPERTIES]
    return ({"zh": 0, "en": 1}.get(lang, 2), order.index(prop) if prop in order else 9)


async def labels(backend, iris: set[str]) -> dict[str, str] | Response:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    props = " ".join(f"<{p.value}>" for p in LABEL_PROPERTIES)
    rows = await backend.select(
        f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {props} }} ?x ?p ?l }}")
    if isinstance(rows, Response):
        return rows
    best: dict[str, tuple] = {}
    for r in rows:
        x, rank = r["x"]["value"], _label_rank(r)
        if x not in best or rank < best[x][0]:
            best[x] = (rank, r["l"]["value"])
    return {x: label for x, (_, label) in best.items()}


def term_html(term: dict, names: dict[str, str]) -> str:
    from policykg.server.app import local_path

    if term["type"] == "uri":
        iri = term["value"]
        label = names.get(iri)
        href = local_path(iri) or iri
        text = esc(label) + f' <span class="iri">{esc(curie(iri))}</span>' if label else esc(
            curie(iri))
        return f'<a href="{esc(href)}">{text}</a>'
    value = esc(term["value"])
    lang = term.get("xml:lang")
    if lang:
        return f'<span lang="{esc(lang)}">{value}</span> <span class="lang">@{esc(lang)}</span>'
    return value


STYLE = """<link rel="stylesheet" href="/static/style.css">"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title>{STYLE}</head><body>"
            f'<nav><a href="/">SPARQL query</a> · <a href="/ontology">ontology</a> · '
            f'<a href="/void">VoID</a> · <a href="/dumps/graph.nq">dump</a></nav>'
            f"<main>{body}</main></body></html>")


async def resource_page(backend, iri: str) -> str | Response:
    out = await backend.select(
        f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} ORDER BY ?p ?o ?g")
    if isinstance(out, Response):
        return out
    inbound = await backend.select(
        f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} ORDER BY ?p ?s ?g "
        f"LIMIT {MAX_INBOUND}")
    if isinstance(inbound, Response):
        return inbound
    evidence = await backend.select(
        f"SELECT ?o ?ev WHERE {{ <{iri}> ?p ?o . ?o <{PK.evidence.value}> ?ev }} ORDER BY ?o")
    if isinstance(evidence, Response):
        return evidence
    size = await backend.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    if isinstance(size, Response):
        return size
    graph_size = int(size[0]["n"]["value"]) if size else 0
    mentioned = {iri}
    for r in out:
        mentioned |= {r["p"]["value"], r["g"]["value"]}
        if r["o"]["type"] == "uri":
            mentioned.add(r["o"]["value"])
    for r in inbound:
        mentioned |= {r["s"]["value"], r["p"]["value"], r["g"]["value"]}
    names = await labels(backend, mentioned)
    if isinstance(names, Response):
        return names

    title = names.get(iri, curie(iri))
    types = [r["o"] for r in out if r["p"]["value"] == RDF.type.value]
    by_prop: dict[str, list[dict]] = defaultdict(list)
    for r in out:
        by_prop[r["p"]["value"]].append(r)

    parts = [f"<h1>{esc(title)}</h1>",
             f'<p class="iri-line"><code>{esc(iri)}</code> · '
             + " ".join(term_html(t, names) for t in types)
             + f' · <a href="/data/{esc(iri[len(PREFIXES["id"]):])}.ttl">Turtle</a>'
             + f' · <a href="/data/{esc(iri[len(PREFIXES["id"]):])}.jsonld">JSON-LD</a></p>']

    key = [p for p in KEY_PROPERTIES if p.value in by_prop]
    if key:
        parts.append('<h2>Summary</h2><dl class="summary">')
        for p in key:
            values = ", ".join(term_html(r["o"], names) for r in by_prop[p.value])
            parts.append(f"<dt>{esc(names.get(p.value, curie(p.value)))}</dt><dd>{values}</dd>")
        parts.append("</dl>")
    if evidence:  # one entry per distinct text: a shared clause backs several assignments
        by_text: dict[str, list[dict]] = defaultdict(list)
        for r in evidence:
            by_text[r["ev"]["value"]].append(r["o"])
        parts.append('<h2>Evidence</h2><ul class="evidence">')
        for text, sources in by_text.items():
            parts.append(f'<li><blockquote lang="zh">{esc(text)}</blockquote> — '
                         + ", ".join(term_html(o, names) for o in sources) + "</li>")
        parts.append("</ul>")
    if graph_size:
        parts.append(f'<h2>Named graph</h2><p>This IRI names a graph of {graph_size} triples '
                     f'(the statements extracted from this source). <a href="/dumps/graph.ttl'
                     f'?graph={quote(iri, safe="")}">Download it as Turtle</a>.</p>')

    parts.append('<h2>Properties</h2><table class="props"><thead><tr><th>property</th>'
                 '<th>value</th><th>graph</th></tr></thead><tbody>')
    for p, rows in by_prop.items():
        plabel = term_html({"type": "uri", "value": p}, names)
        for r in rows:
            parts.append(f"<tr><td>{plabel}</td><td>{term_html(r['o'], names)}</td>"
                         f"<td>{term_html(r['g'], names)}</td></tr>")
    parts.append("</tbody></table>")

    if inbound:
        parts.append('<h2>Inbound links</h2><table class="props inbound"><thead><tr>'
                     "<th>subject</th><th>property</th><th>graph</th></tr></thead><tbody>")
        for r in inbound:
            parts.append(f"<tr><td>{term_html(r['s'], names)}</td>"
                         f"<td>{term_html(r['p'], names)}</td>"
                         f"<td>{term_html(r['g'], names)}</td></tr>")
        parts.append("</tbody></table>")
        if len(inbound) == MAX_INBOUND:
            parts.append(f"<p>Only the first {MAX_INBOUND} inbound links are shown; "
                         "use the SPARQL endpoint for all.</p>")
    return _page(title, "".join(parts))


async def ontology_page(backend) -> str | Response:
    rows = await backend.select(
        f"SELECT ?t ?type ?p ?o WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?t a ?type . ?t ?p ?o }} }} "
        f"ORDER BY ?t ?p ?o", max_rows=100_000)
    if isinstance(rows, Response):
        return rows
    terms: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["t"]["type"] == "uri":
            cell = terms[r["t"]["value"]][r["p"]["value"]]
            if r["o"] not in cell:
                cell.append(r["o"])
    names = await labels(backend, set(terms) | {p for t in terms.values() for p in t})
    if isinstance(names, Response):
        return names
    parts = [f"<h1>Ontology</h1><p><code>{esc(ONTOLOGY_IRI)}</code> · "
             '<a href="/ontology?format=ttl">Turtle</a> · '
             '<a href="/ontology?format=jsonld">JSON-LD</a></p>']
    for term, props in terms.items():
        anchor = term.split("#", 1)[1] if term.startswith(ONTOLOGY_IRI + "#") else ""
        parts.append(f'<section id="{esc(anchor)}" class="term"><h2>{esc(curie(term))}'
                     f"</h2><dl>")
        for p, objects in props.items():
            parts.append(f"<dt>{esc(names.get(p, curie(p)))}</dt><dd>"
                         + "<br>".join(term_html(o, names) for o in objects) + "</dd>")
        parts.append("</dl></section>")
    return _page("Ontology", "".join(parts))

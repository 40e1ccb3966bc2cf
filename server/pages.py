"""HTML pages for instance IRIs and for the ontology, rendered from Jinja2 templates.

A page is chosen by the resource's type: a document is an outline (sections → tasks →
lead and responsible agencies), then its targets, citations and provenance; an agency
shows its tasks by document and role with counts and the agencies it works with; a task
shows its text once with its paragraphs; regions and industries list their documents,
tasks and targets. Anything else gets the generic page (summary, properties, inbound
links). Queries live in :mod:`server.page_data` (all bounded); templates in
``server/templates/`` (autoescaped: no text of the graph is ever markup). Labels prefer
Chinese, then English, then any language; an IRI without one is shown by its type and
the last part of its path.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from policykg.ontology.vocab import (
    DCTERMS,
    ID_NS,
    ONTOLOGY_IRI,
    PK,
    PREFIXES,
    RDF,
    RDFS,
    VOCABULARIES_GRAPH_IRI,
)
from policykg.server import page_data as data

TEMPLATES = Path(__file__).with_name("templates")
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
LABEL_PROPERTIES = data.LABEL_PROPERTIES
KEY_PROPERTIES = [PK.inDocument, PK.inSection, PK.partOf, PK.heading, PK.leadAgency,
                  PK.responsibleAgency, PK.assignedAgency, PK.assignmentRole,
                  PK.assignmentForm, PK.scopeNote, PK.citedDocument, PK.metric, PK.comparator,
                  PK.targetValue, PK.unit, PK.targetYear, PK.baseYear, PK.growthRate,
                  PK.concernsIndustry, PK.concernsRegion, PK.targetRegion, PK.issuer,
                  PK.jurisdiction, PK.docNumber, DCTERMS.issued, PK.text, PK.evidence]
"""What the generic page (sections, assignments, targets, citations…) summarizes."""
MAX_LABELS = 3000


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
    """The best label of each IRI (one bounded query per 3,000 IRIs)."""
    best: dict[str, tuple] = {}
    todo = sorted(i for i in iris if i)
    props = " ".join(f"<{p.value}>" for p in LABEL_PROPERTIES)
    for start in range(0, len(todo), MAX_LABELS):
        values = " ".join(f"<{i}>" for i in todo[start:start + MAX_LABELS])
        rows = await backend.select(
            f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {props} }} "
            f"?x ?p ?l }} LIMIT {MAX_LABELS * 8}", max_rows=MAX_LABELS * 8)
        if isinstance(rows, Response):
            return rows
        for r in rows:
            x, rank = r["x"]["value"], _label_rank(r)
            if x not in best or rank < best[x][0]:
                best[x] = (rank, r["l"]["value"])
    return {x: label for x, (_, label) in best.items()}


async def types_of(backend, iris: set[str]) -> dict[str, list[str]] | Response:
    """rdf:type of IRIs that have no label, so that they can be shown by their type."""
    todo = sorted(iris)[:MAX_LABELS]
    if not todo:
        return {}
    values = " ".join(f"<{i}>" for i in todo)
    rows = await backend.select(
        f"SELECT ?x ?t WHERE {{ VALUES ?x {{ {values} }} ?x a ?t }} ORDER BY ?x ?t "
        f"LIMIT {MAX_LABELS * 4}", max_rows=MAX_LABELS * 4)
    if isinstance(rows, Response):
        return rows
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["t"]["type"] == "uri" and r["t"]["value"] not in out[r["x"]["value"]]:
            out[r["x"]["value"]].append(r["t"]["value"])
    return out


def local_path(iri: str) -> str | None:
    from policykg.server.app import local_path as path

    return path(iri)


class Namer:
    """What the templates call to show an IRI: its label, its link, its short form."""

    def __init__(self, names: dict[str, str], types: dict[str, list[str]]) -> None:
        self.names = names
        self.types = types

    def label(self, iri: str | None) -> str:
        if not iri:
            return ""
        if iri in self.names:
            return self.names[iri]
        types = self.types.get(iri, ())
        kind = next((self.names[t] for t in types if t in self.names), None) or next(
            (_local(t) for t in types if t.startswith(PREFIXES["pk"])), None)
        return f"{kind} {_local(iri)}" if kind else curie(iri)

    def has_label(self, iri: str) -> bool:
        return iri in self.names

    def href(self, iri: str | None) -> str:
        return (local_path(iri) or iri) if iri else "#"

    def curie(self, iri: str) -> str:
        return curie(iri)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def text_key(doc: str) -> str | None:
    """``/text/<key>`` of a document IRI (``…/id/doc/<key>``)."""
    prefix = ID_NS + "doc/"
    return doc[len(prefix):] if doc and doc.startswith(prefix) else None


def _mentioned(value, out: set[str]) -> None:
    """Every IRI-looking string in the page data (to label them in one query)."""
    if isinstance(value, str):
        if value.startswith(("http://", "https://")):
            out.add(value)
    elif isinstance(value, dict):
        if value.get("type") == "uri":
            out.add(value["value"])
        else:
            for x in value.values():
                _mentioned(x, out)
    elif isinstance(value, list | tuple):
        for x in value:
            _mentioned(x, out)


def render(template: str, **context) -> str:
    return ENV.get_template(template).render(**context)


def _by_prop(rows: list[dict]) -> dict[str, list[dict]]:
    """curie of property → distinct object terms (a fact stated in two graphs shows once)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        cell = out[curie(r["p"]["value"])]
        if r["o"] not in cell:
            cell.append(r["o"])
    return out


async def resource_page(backend, iri: str) -> str | Response:
    select = backend.select
    try:
        rows = await data.properties(select, iri)
        types = [r["o"]["value"] for r in rows if r["p"]["value"] == RDF.type.value]
        kind = next((data.KINDS[t] for t in types if t in data.KINDS), "resource")
        extra: dict = {}
        if kind == "document":
            extra = await data.document(select, iri)
        elif kind == "agency":
            extra = await data.agency(select, iri)
        elif kind == "task":
            extra = await data.task(select, iri)
        elif kind == "region":
            extra = await data.region(select, iri)
        elif kind == "industry":
            extra = await data.industry(select, iri)
        inbound = [] if kind in ("document", "agency") else await data.inbound(select, iri)
        size = await data.graph_size(select, iri) if kind == "document" else 0
    except data.QueryFailed as failed:
        return failed.response
    mentioned = {iri, *types, *(p.value for p in KEY_PROPERTIES)}
    _mentioned([rows, inbound, extra], mentioned)
    for r in rows + inbound:
        mentioned |= {r["p"]["value"], r["g"]["value"]}
    names = await labels(backend, mentioned)
    if isinstance(names, Response):
        return names
    names.setdefault(VOCABULARIES_GRAPH_IRI, "词表 vocabularies")
    unlabelled = {i for i in mentioned if i not in names and i.startswith(ID_NS)}
    kinds = await types_of(backend, unlabelled)
    if isinstance(kinds, Response):
        return kinds
    kinds[iri] = types
    more = await labels(backend, {t for ts in kinds.values() for t in ts} - set(names))
    if isinstance(more, Response):
        return more
    names |= more
    namer = Namer(names, kinds)
    props = _by_prop(rows)
    title = namer.label(iri)
    key = text_key(iri if kind == "document" else _first(props.get("pk:inDocument")))
    has_text = bool(key) and (kind != "document" or "pk:sourceFile" in props)
    if kind == "task":
        extra["segments"], extra["clauses"] = marked_text(
            _first_value(props.get("pk:text")),
            [a["evidence"] for a in extra["assignments"] if a["evidence"]]
            + [t["value"] for t in props.get("pk:evidence", [])])
    return render(f"{kind}.html", iri=iri, title=title, n=namer, kind=kind, types=types,
                  props=props, rows=rows, inbound=inbound, inbound_limit=100, d=extra,
                  graph_size=size, text_key=key if has_text else None,
                  key_properties=[(curie(p.value), p.value) for p in KEY_PROPERTIES],
                  data_path=iri[len(ID_NS):] if iri.startswith(ID_NS) else None,
                  graph_dump="/dumps/graph.ttl?graph=" + quote(iri, safe=""))


def marked_text(body: str, evidence: list[str]) -> tuple[list[tuple[str, bool]], list[str]]:
    """The text cut into (segment, is an assignment clause) pieces, and the evidence texts
    that are not inside it (shown apart). Evidence equal to the whole text is dropped:
    the text appears once."""
    spans, apart = [], []
    for clause in dict.fromkeys(evidence):
        if clause == body:
            continue
        at = body.find(clause) if clause else -1
        if at < 0:
            apart.append(clause)
        elif not any(a < at + len(clause) and at < b for a, b in spans):
            spans.append((at, at + len(clause)))
    segments, pos = [], 0
    for a, b in sorted(spans):
        segments += [(body[pos:a], False), (body[a:b], True)]
        pos = b
    segments.append((body[pos:], False))
    return [x for x in segments if x[0]], apart


def _first_value(terms: list[dict] | None) -> str:
    return terms[0]["value"] if terms else ""


def _first(terms: list[dict] | None) -> str | None:
    return terms[0]["value"] if terms else None


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
    mentioned = set(terms) | {p for t in terms.values() for p in t}
    _mentioned(rows, mentioned)
    names = await labels(backend, mentioned)
    if isinstance(names, Response):
        return names
    items = [{"iri": t, "curie": curie(t),
              "anchor": t.split("#", 1)[1] if t.startswith(ONTOLOGY_IRI + "#") else "",
              "props": dict(props)} for t, props in terms.items()]
    return render("ontology.html", title="Ontology", iri=ONTOLOGY_IRI, terms=items,
                  n=Namer(names, {}))


def not_found_page(message: str, path: str) -> str:
    return render("404.html", title="404", message=message, path=path)


LABEL_OF_ROLE = {"lead": "牵头 lead", "responsible": "责任/配合 responsible"}
ENV.globals.update(role_label=LABEL_OF_ROLE, rdfs_label=RDFS.label.value)

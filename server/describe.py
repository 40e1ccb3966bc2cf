"""Descriptions of the service and of the dataset: SPARQL Service Description and VoID.

Both are built as triples here (vocabulary from :mod:`ontology.vocab`) and serialized with
pyoxigraph like everything else. They are made from statistics computed once per worker
pool start (the store is read-only, so they cannot go stale while the server runs).
Subjects are IRIs under the server's own base (``…/sparql#service``, ``…/void#graph-…``),
never blank nodes, so the output is stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.ontology.vocab import (
    DCTERMS,
    FORMATS,
    ID_NS,
    ONTOLOGY_IRI,
    PK,
    PREFIXES,
    RDF,
    SD,
    VOCABULARIES_GRAPH_IRI,
    VOID,
    XSD,
)
from pyoxigraph import Literal, NamedNode, Triple

STATS_QUERY = """
SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) WHERE {
  GRAPH ?g { ?s ?p ?o }
} GROUP BY ?g ORDER BY ?g
"""

EXAMPLES_QUERY = f"""
SELECT ?class (SAMPLE(?x) AS ?example) WHERE {{
  VALUES ?class {{ <{PK.PolicyDocument.value}> <{PK.Task.value}> <{PK.Agency.value}>
                  <{PK.Target.value}> <{PK.Industry.value}> }}
  ?x a ?class .
}} GROUP BY ?class ORDER BY ?class
"""


CLASSES_QUERY = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { GRAPH ?g { ?s a ?class } }
GROUP BY ?class ORDER BY ?class
"""

PROPERTIES_QUERY = """
SELECT ?property (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?property ?o } }
GROUP BY ?property ORDER BY ?property
"""

DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
"""The dataset's licence (``dcterms:license`` in VoID). The documents themselves are
official documents (not subject to copyright under Art. 5 of the PRC Copyright Law);
the extracted graph is offered under CC BY 4.0."""


@dataclass
class DatasetStats:
    graphs: list[tuple[str, int, int]] = field(default_factory=list)
    """(graph IRI, triples, distinct subjects), sorted by IRI."""
    examples: list[str] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)
    """(class IRI, distinct instances), sorted by IRI."""
    properties: list[tuple[str, int]] = field(default_factory=list)
    """(property IRI, triples: quads over all named graphs), sorted by IRI."""

    @property
    def triples(self) -> int:
        return sum(n for _, n, _ in self.graphs)


async def gather_stats(select) -> DatasetStats | object:
    """The statistics behind VoID and the service description, or the failing response.

    ``select(query, max_rows=…)`` is the backend's query function (a list of bindings,
    or an error response that is handed back)."""
    answers = []
    for query in (STATS_QUERY, EXAMPLES_QUERY, CLASSES_QUERY, PROPERTIES_QUERY):
        rows = await select(query, max_rows=10**9)
        if not isinstance(rows, list):
            return rows
        answers.append(rows)
    graphs, examples, classes, properties = answers
    return DatasetStats(
        graphs=[(r["g"]["value"], int(r["triples"]["value"]), int(r["subjects"]["value"]))
                for r in graphs],
        examples=[r["example"]["value"] for r in examples if "example" in r],
        classes=[(r["class"]["value"], int(r["entities"]["value"])) for r in classes
                 if r["class"]["type"] == "uri"],
        properties=[(r["property"]["value"], int(r["triples"]["value"])) for r in properties],
    )


def term_fragment(kind: str, iri: str) -> str:
    """``class-pk-Task``, ``property-skos-prefLabel``: stable fragments for partitions."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns):
            local = prefix + "-" + iri[len(ns):]
            break
    else:
        local = iri.split("://", 1)[-1]
    return kind + "-" + re.sub(r"[^A-Za-z0-9]+", "-", local).strip("-")


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def graph_fragment(graph: str) -> str:
    """A readable, stable fragment for a named graph's VoID subset."""
    local = graph[len(ID_NS):] if graph.startswith(ID_NS) else graph.rsplit("/", 1)[-1]
    return "graph-" + re.sub(r"[^A-Za-z0-9]+", "-", local).strip("-")


RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads",
                  "TriG")


def service_description(base: str, stats: DatasetStats) -> list[Triple]:
    """``GET /sparql`` without a query: the endpoint, its features and its named graphs."""
    endpoint = NamedNode(base + "sparql")
    service = NamedNode(base + "sparql#service")
    dataset = NamedNode(base + "sparql#dataset")
    default = NamedNode(base + "sparql#default-graph")
    out = [
        Triple(service, RDF.type, SD.Service),
        Triple(service, SD.endpoint, endpoint),
        Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(service, SD.feature, SD.UnionDefaultGraph),
        Triple(service, SD.defaultDataset, dataset),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, SD.defaultGraph, default),
        Triple(default, RDF.type, SD.Graph),
        Triple(default, VOID.triples, _int(stats.triples)),
        Triple(dataset, DCTERMS.description, Literal(
            "The default graph is the union of all named graphs; each source document has "
            "its own named graph (graph name = document IRI).", language="en")),
    ]
    out += [Triple(service, SD.resultFormat, FORMATS.term(f)) for f in RESULT_FORMATS]
    for graph, triples, _ in stats.graphs:
        named = NamedNode(base + "sparql#" + graph_fragment(graph))
        desc = NamedNode(base + "void#" + graph_fragment(graph))
        out += [
            Triple(dataset, SD.namedGraph, named),
            Triple(named, RDF.type, SD.NamedGraph),
            Triple(named, SD.name, NamedNode(graph)),
            Triple(named, SD.graph, desc),
            Triple(desc, RDF.type, SD.Graph),
            Triple(desc, VOID.triples, _int(triples)),
        ]
    return out


def void_description(base: str, stats: DatasetStats) -> list[Triple]:
    """``/void``: the dataset, one subset per named graph with counts and dump links."""
    ds = NamedNode(base + "void#dataset")
    out = [
        Triple(ds, RDF.type, VOID.Dataset),
        Triple(ds, DCTERMS.title,
               Literal("Hubei industrial-policy knowledge graph", language="en")),
        Triple(ds, DCTERMS.title, Literal("湖北产业政策知识图谱", language="zh")),
        Triple(ds, VOID.sparqlEndpoint, NamedNode(base + "sparql")),
        Triple(ds, VOID.dataDump, NamedNode(base + "dumps/graph.nq")),
        Triple(ds, VOID.dataDump, NamedNode(base + "dumps/graph.nq.gz")),
        Triple(ds, VOID.dataDump, NamedNode(base + "dumps/graph.trig")),
        Triple(ds, VOID.uriSpace, Literal(ID_NS)),
        Triple(ds, VOID.vocabulary, NamedNode(ONTOLOGY_IRI)),
        Triple(ds, VOID.triples, _int(stats.triples)),
        Triple(ds, DCTERMS.license, NamedNode(DATA_LICENSE)),
        Triple(ds, VOID.feature, FORMATS.term("N-Quads")),
        Triple(ds, VOID.feature, FORMATS.TriG),
        Triple(ds, VOID.classes, _int(len(stats.classes))),
        Triple(ds, VOID.properties, _int(len(stats.properties))),
    ]
    out += [Triple(ds, VOID.exampleResource, NamedNode(x)) for x in stats.examples]
    for cls, entities in stats.classes:
        part = NamedNode(base + "void#" + term_fragment("class", cls))
        out += [Triple(ds, VOID.classPartition, part),
                Triple(part, VOID.term("class"), NamedNode(cls)),
                Triple(part, VOID.entities, _int(entities))]
    for prop, triples in stats.properties:
        part = NamedNode(base + "void#" + term_fragment("property", prop))
        out += [Triple(ds, VOID.propertyPartition, part),
                Triple(part, VOID.property, NamedNode(prop)),
                Triple(part, VOID.triples, _int(triples))]
    for graph, triples, subjects in stats.graphs:
        sub = NamedNode(base + "void#" + graph_fragment(graph))
        kind = ("ontology" if graph == ONTOLOGY_IRI else
                "vocabularies" if graph == VOCABULARIES_GRAPH_IRI else "document")
        out += [
            Triple(ds, VOID.subset, sub),
            Triple(sub, RDF.type, VOID.Dataset),
            Triple(sub, SD.name, NamedNode(graph)),
            Triple(sub, DCTERMS.description, Literal(f"named graph ({kind})", language="en")),
            Triple(sub, VOID.triples, _int(triples)),
            Triple(sub, VOID.distinctSubjects, _int(subjects)),
            Triple(sub, VOID.dataDump, NamedNode(
                base + "dumps/graph.ttl?graph=" + _quote(graph))),
            Triple(sub, VOID.sparqlEndpoint, NamedNode(base + "sparql")),
        ]
        if kind == "document":
            out.append(Triple(sub, VOID.rootResource, NamedNode(graph)))
    return out


def _quote(iri: str) -> str:
    from urllib.parse import quote

    return quote(iri, safe="")

"""ontology/policykg.ttl declares exactly the PK terms of ontology/vocab.py, in two languages."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from policykg.ontology.vocab import (
    DCTERMS,
    ELI,
    ONTOLOGY_FILE,
    ONTOLOGY_IRI,
    ORG,
    PK,
    PK_NS,
    PROV,
    SCHEMA,
)
from policykg.ontology.vocab import SKOS as VSKOS
from policykg.shapes.validate import SHAPES_FILE
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

U = lambda term: URIRef(term.value)  # noqa: E731
SH = "http://www.w3.org/ns/shacl#"

CONTROLLED = {
    "DocumentType": "Plan Opinions ImplementingOpinions WorkPlan ActionPlan Notice Measures "
    "OtherDocumentType",
    "AdminLevel": "NationalLevel ProvincialLevel PrefecturalLevel CountyLevel ZoneLevel",
    "AgencyKind": "GovernmentBody GovernmentDepartment PartyOrgan Court Bank Enterprise University "
    "ManagementCommittee PublicInstitution",
    "AssignmentRole": "lead responsible",
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def pk_terms_used(graph: Graph) -> set[URIRef]:
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(PK_NS)}


def test_parses_with_both_rdf_libraries_and_has_no_blank_nodes(onto):
    assert len(onto) > 500
    quads = list(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(onto)
    assert not any(isinstance(t, BNode) for triple in onto for t in triple)


PYPROJECT = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))


def test_ontology_header(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {lit.language for lit in onto.objects(o, U(prop))} == {"zh", "en"}
    assert str(onto.value(o, OWL.versionInfo)) == PYPROJECT["project"]["version"]
    assert onto.value(o, U(DCTERMS.license)) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    assert str(onto.value(o, URIRef("http://purl.org/dc/terms/creator"))).strip()
    assert onto.value(o, U(DCTERMS.created)).toPython() == date(2026, 11, 23)


@pytest.mark.parametrize("term", list(PK), ids=lambda t: t.value.removeprefix(PK_NS))
def test_every_vocab_term_is_declared_in_two_languages(onto, term):
    t = U(term)
    kinds = set(onto.objects(t, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}, kinds
    for prop in (RDFS.label, SKOS.definition):
        langs = sorted(lit.language for lit in onto.objects(t, prop))
        assert langs == ["en", "zh"], (prop, langs)
    assert (t, RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) in onto


def test_no_pk_term_outside_the_vocab_module(onto):
    known = {U(t) for t in PK}
    assert pk_terms_used(onto) <= known, sorted(pk_terms_used(onto) - known)
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    assert pk_terms_used(shapes) <= known, sorted(pk_terms_used(shapes) - known)


def test_individuals_belong_to_their_controlled_class_and_match_the_shapes(onto):
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    for cls, names in CONTROLLED.items():
        members = {U(PK.term(n)) for n in names.split()}
        assert set(onto.subjects(RDF.type, U(PK.term(cls)))) == members, cls
        for m in members:
            assert (m, RDF.type, OWL.NamedIndividual) in onto
            assert (m, RDF.type, SKOS.Concept) in onto
        # the shape of that class lists exactly those individuals (sh:in)
        shape = URIRef(f"https://w3id.org/hubei-policy/shapes#{cls}Shape")
        listed = set(Collection(shapes, shapes.value(shape, URIRef(SH + "in"))))
        assert listed == members, cls


def test_alignments(onto):
    sub = lambda a, b: (U(a), RDFS.subClassOf, U(b)) in onto  # noqa: E731
    subp = lambda a, b: (U(a), RDFS.subPropertyOf, U(b)) in onto  # noqa: E731
    assert sub(PK.Agency, ORG.Organization)
    # not every agency is a government body: only the government kinds match schema.org
    assert not sub(PK.Agency, SCHEMA.GovernmentOrganization)
    assert (U(PK.GovernmentBody), SKOS.closeMatch, U(SCHEMA.GovernmentOrganization)) in onto
    # a collective addressee is not one organization
    assert not sub(PK.AgencyGroup, ORG.Organization) and not sub(PK.AgencyGroup, PK.Agency)
    assert sub(PK.PolicyDocument, ELI.LegalResource) and sub(PK.PolicyDocument, PROV.Entity)
    assert sub(PK.CitedDocument, PK.PolicyDocument)
    assert sub(PK.Region, SCHEMA.AdministrativeArea)
    assert sub(PK.Industry, VSKOS.Concept)
    for cls in (PK.Target, PK.Task, PK.Assignment, PK.Citation):
        assert sub(cls, PROV.Entity)
    assert subp(PK.cites, DCTERMS.references)
    assert subp(PK.partOf, DCTERMS.isPartOf)
    assert subp(PK.withinRegion, SCHEMA.containedInPlace)
    assert subp(PK.leadAgency, PK.responsibleAgency)
    # pk:evidence quotes the source; it is not the value of the entity (see the ttl comment)
    assert not any(onto.objects(U(PK.evidence), RDFS.subPropertyOf))


def test_domains_and_ranges_are_declared_classes_or_datatypes(onto):
    classes = set(onto.subjects(RDF.type, OWL.Class))
    for prop, _, cls in list(onto.triples((None, RDFS.domain, None))) + list(
        onto.triples((None, RDFS.range, None))
    ):
        assert cls in classes or str(cls).startswith("http://www.w3.org/2001/XMLSchema#"), (
            prop,
            cls,
        )
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        rng = onto.value(prop, RDFS.range)
        assert rng is None or str(rng).startswith("http://www.w3.org/2001/XMLSchema#"), prop


def test_labels_are_plain_text(onto):
    for _, _, lit in onto.triples((None, RDFS.label, None)):
        assert isinstance(lit, Literal) and str(lit).strip() == str(lit) != ""

"""The one place that knows the IRIs of the vocabulary.

Every other module names terms through this file (``PK.leadAgency``,
``SKOS.prefLabel``), so a renamed term or a moved namespace is a one-line change and
no IRI is spelled out twice. Terms are :class:`pyoxigraph.NamedNode` because the
extractor and the server build quads for Oxigraph; rdflib code converts with
``rdflib.URIRef(term.value)``.

Accessing a term that is not declared here raises ``AttributeError``: a typo fails
at import time of the caller's test, not as a silently wrong triple.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

ONTOLOGY_FILE = Path(__file__).with_name("policykg.ttl")

BASE = "https://w3id.org/hubei-policy/"
PK_NS = BASE + "ontology#"
ID_NS = BASE + "id/"

ONTOLOGY_IRI = BASE + "ontology"
"""The ontology itself; also the name of the named graph holding it."""

VOCABULARIES_GRAPH_IRI = ID_NS + "graph/vocabularies"
"""Named graph of the shared vocabularies: agencies, regions, industries, stub documents."""


class Namespace:
    """A closed set of terms under one IRI prefix."""

    def __init__(self, prefix: str, iri: str, terms: str) -> None:
        self.prefix = prefix
        self.iri = iri
        self._terms = {name: NamedNode(iri + name) for name in terms.split()}

    def __getattr__(self, name: str) -> NamedNode:
        try:
            return self.__dict__["_terms"][name]
        except KeyError:
            message = f"{self.prefix}:{name} is not a term known to ontology.vocab"
            raise AttributeError(message) from None

    def __iter__(self):
        return iter(self._terms.values())

    def __contains__(self, term: NamedNode) -> bool:
        return term in self._terms.values()

    def term(self, name: str) -> NamedNode:
        return getattr(self, name)


PK = Namespace(
    "pk",
    PK_NS,
    """
    PolicyDocument CitedDocument Section Task Assignment Citation Agency AgencyGroup
    Region Industry Target DocumentType AdminLevel AgencyKind AssignmentRole
    docNumber issuer jurisdiction documentType cites citation citedDocument partOf
    inDocument inSection hasSection ordinal ordinalLabel sectionKind depth
    heading text leadAgency responsibleAgency assignment assignedAgency assignmentRole
    scopeNote agencyKind concernsIndustry concernsRegion withinRegion adminLevel
    metric targetValue unit targetYear baseYear growthRate comparator targetRegion
    sourceStart sourceEnd evidence sourceFile
    lead responsible
    Plan Opinions ImplementingOpinions WorkPlan ActionPlan Notice Measures OtherDocumentType
    NationalLevel ProvincialLevel PrefecturalLevel CountyLevel ZoneLevel
    GovernmentBody GovernmentDepartment PartyOrgan Court Bank Enterprise University
    ManagementCommittee PublicInstitution
    AssignmentForm assignmentForm clauseForm tableForm unlabelledForm proseForm documentForm
    jurisdictionBasis IssuerBasis DocNumberBasis HeaderBasis TitleBasis
    BodyBasis plansDocument wrapperTitle
    divisionCode
    Unit Comparator unitOfMeasure comparison upperValue perYear yearInferred
    AtLeast AtMost Exactly Approximately
    UnitYiYuan UnitYiUSD UnitPercentagePoint UnitJia UnitGe UnitXiang UnitPerson
    UnitWanKilowatt UnitWanTce UnitTce UnitWanTon UnitWanVehicle UnitMu UnitZuo UnitTiao
    UnitTai UnitTao UnitKuan UnitSuo UnitEFLOPS UnitWanTEU UnitHu UnitChu
    subTargetOf UnitChang
    sourceMediaType sourceSha256
    IndustryProfile subTaskOf aboutIndustry mentionsIndustry industryTier counterpartOf
    """,
)

QUDT_UNIT = Namespace(
    "unit",
    "http://qudt.org/vocab/unit/",
    "PERCENT ExaBYTE KiloM HA KiloM2 TeraBIT-PER-SEC GigaBIT-PER-SEC",
)
RDF = Namespace("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type")
RDFS = Namespace(
    "rdfs",
    "http://www.w3.org/2000/01/rdf-schema#",
    "label comment subClassOf subPropertyOf domain range seeAlso isDefinedBy",
)
OWL = Namespace(
    "owl",
    "http://www.w3.org/2002/07/owl#",
    "Ontology Class ObjectProperty DatatypeProperty sameAs versionInfo imports NamedIndividual",
)
XSD = Namespace(
    "xsd",
    "http://www.w3.org/2001/XMLSchema#",
    "string date gYear decimal integer nonNegativeInteger boolean anyURI",
)
SKOS = Namespace(
    "skos",
    "http://www.w3.org/2004/02/skos/core#",
    """
    Concept ConceptScheme prefLabel altLabel hiddenLabel definition broader narrower inScheme
    hasTopConcept topConceptOf notation
    """,
)
DCTERMS = Namespace(
    "dcterms",
    "http://purl.org/dc/terms/",
    """
    title issued identifier publisher source isPartOf hasPart references license created
    description
    """,
)
ORG = Namespace(
    "org",
    "http://www.w3.org/ns/org#",
    "Organization FormalOrganization OrganizationalUnit subOrganizationOf classification",
)
PROV = Namespace(
    "prov",
    "http://www.w3.org/ns/prov#",
    "Entity wasDerivedFrom wasQuotedFrom hadPrimarySource",
)
ELI = Namespace(
    "eli",
    "http://data.europa.eu/eli/ontology#",
    "LegalResource id_local date_document type_document passed_by is_about cites",
)
SCHEMA = Namespace(
    "schema",
    "https://schema.org/",
    "GovernmentOrganization AdministrativeArea containedInPlace",
)
SH = Namespace(
    "sh",
    "http://www.w3.org/ns/shacl#",
    "NodeShape PropertyShape Violation Warning Info",
)

# Describing the service and the dataset (server/): SPARQL Service Description, VoID and the
# W3C format IRIs. Not in NAMESPACES, so dumps and the query prolog stay as they were.
SD = Namespace(
    "sd",
    "http://www.w3.org/ns/sparql-service-description#",
    """
    Service Dataset Graph NamedGraph GraphCollection endpoint supportedLanguage SPARQL11Query
    resultFormat feature UnionDefaultGraph defaultDataset defaultGraph namedGraph name graph
    defaultEntailmentRegime
    """,
)
VOID = Namespace(
    "void",
    "http://rdfs.org/ns/void#",
    """
    Dataset triples entities classes properties distinctSubjects distinctObjects sparqlEndpoint
    dataDump exampleResource subset uriSpace vocabulary rootResource
    classPartition propertyPartition class property feature
    """,
)
FORMATS = Namespace(
    "formats",
    "http://www.w3.org/ns/formats/",
    """
    SPARQL_Results_JSON SPARQL_Results_XML SPARQL_Results_CSV SPARQL_Results_TSV
    Turtle N-Triples N-Quads TriG JSON-LD RDF_XML
    """,
)

NAMESPACES: tuple[Namespace, ...] = (
    PK, RDF, RDFS, OWL, XSD, SKOS, DCTERMS, ORG, PROV, ELI, SCHEMA, SH,
)  # fmt: skip

PREFIXES: dict[str, str] = {ns.prefix: ns.iri for ns in NAMESPACES} | {"id": ID_NS}
"""Prefix table used by dumps, the query page and ``policykg query``."""


def sparql_prolog() -> str:
    """``PREFIX`` lines for every namespace, to prepend to example queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

"""Records → quads: the only module that decides which triples the graph holds.

Each document's facts go into the named graph of that document, so ``GRAPH ?g`` tells a
researcher where a fact came from; what documents share (agencies, regions, industries,
cited documents outside the corpus) goes into one vocabularies graph. No blank nodes:
every node has a minted IRI, which keeps sorted dumps byte-identical across rebuilds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from policykg.extract import iris
from policykg.extract.agencies import Department
from policykg.extract.agencies import levels as agency_levels
from policykg.extract.model import Agency, Citation, DocumentExtraction, Industry, Region, Span
from policykg.extract.quantities.amounts import unit_terms
from policykg.ontology.vocab import (
    DCTERMS,
    ONTOLOGY_FILE,
    ORG,
    OWL,
    PK,
    QUDT_UNIT,
    RDF,
    RDFS,
    SKOS,
    VOCABULARIES_GRAPH_IRI,
    XSD,
)
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

VOCABULARIES = NamedNode(VOCABULARIES_GRAPH_IRI)
_TYPE = RDF.type

_COMPARISON = {"≥": PK.AtLeast, "≤": PK.AtMost, "=": PK.Exactly, "≈": PK.Approximately}
_TERM_NS = {"pk": PK, "qudt": QUDT_UNIT}


def unit_iri(unit: str) -> NamedNode | None:
    """The vocabulary term of a normalized unit (``units.tsv``'s ``term`` column)."""
    term = unit_terms().get(unit)
    if not term:
        return None
    prefix, name = term.split(":", 1)
    return _TERM_NS[prefix].term(name)


_ROLE_ZH = {"lead": "牵头", "responsible": "责任"}


def target_label(tg) -> str:
    """``2025年营业收入≥12000亿元``: year, metric, comparator, value (range), unit."""
    value = "" if tg.value is None else format(tg.value.normalize(), "f")
    if tg.upper is not None:
        value += "–" + format(tg.upper.normalize(), "f")
    growth = f"，年均增长{format(tg.growth_rate.normalize(), 'f')}%" if tg.growth_rate else ""
    amount = f"{tg.comparator or ''}{value}{tg.unit}" if value else ""
    year = f"{tg.year}年" if tg.year else ""
    per_year = "每年" if tg.per_year else ""
    return f"{year}{per_year}{tg.metric}{amount}{growth}".strip("，")


_ROLE = {"lead": PK.lead, "responsible": PK.responsible}
_FORM = {"clause": PK.clauseForm, "table": PK.tableForm, "unlabelled": PK.unlabelledForm,
         "prose": PK.proseForm, "document": PK.documentForm}
_LEVEL = {
    "country": PK.NationalLevel,
    "province": PK.ProvincialLevel,
    "municipality": PK.ProvincialLevel,  # 直辖市: provincial level
    "prefecture": PK.PrefecturalLevel,
    "district": PK.CountyLevel,
    "county": PK.CountyLevel,
    "county-city": PK.CountyLevel,
    "development-zone": PK.ZoneLevel,
    "new-area": PK.ZoneLevel,
    "special-zone": PK.ZoneLevel,
}
_BASIS = {
    "issuer": PK.IssuerBasis,
    "doc-number": PK.DocNumberBasis,
    "header": PK.HeaderBasis,
    "title": PK.TitleBasis,
    "body": PK.BodyBasis,
}
_KIND = {
    "government": PK.GovernmentBody,
    "government-department": PK.GovernmentDepartment,
    "party": PK.PartyOrgan,
    "court": PK.Court,
    "bank": PK.Bank,
    "enterprise": PK.Enterprise,
    "university": PK.University,
    "management-committee": PK.ManagementCommittee,
    "institution": PK.PublicInstitution,
    "mass-organization": PK.PublicInstitution,  # 妇联, 总工会: 社会团体 are public institutions
}


def zh(text: str) -> Literal:
    return Literal(text, language="zh")


def en(text: str) -> Literal:
    return Literal(text, language="en")


def integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def decimal(d: Decimal) -> Literal:
    # Canonical xsd:decimal lexical form: no exponent, no trailing zeros past the point.
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text, datatype=XSD.decimal)


@dataclass(frozen=True)
class CitedRef:
    """Where a citation points: a corpus document, or a stub minted for it."""

    iri: NamedNode
    title: str | None
    doc_number: str | None
    in_corpus: bool


@dataclass
class CorpusIndex:
    """Finds corpus documents by 文号 or title, so citations link to the real document."""

    by_number: dict[str, NamedNode] = field(default_factory=dict)
    by_title: dict[str, NamedNode] = field(default_factory=dict)

    def add(self, iri: NamedNode, title: str, doc_number: str | None) -> None:
        self.by_title.setdefault(_title_key(title), iri)
        if doc_number:
            self.by_number.setdefault(doc_number, iri)

    def resolve(self, citation: Citation) -> CitedRef:
        found = (citation.doc_number and self.by_number.get(citation.doc_number)) or (
            citation.title and self.by_title.get(_title_key(citation.title))
        )
        if found:
            return CitedRef(found, citation.title, citation.doc_number, True)
        slug = iris.document_slug(citation.doc_number, citation.title or "")
        return CitedRef(iris.document(slug), citation.title, citation.doc_number, False)


def _title_key(title: str) -> str:
    return "".join(ch for ch in title if ch.isalnum())


@cache
def _superclasses() -> dict[NamedNode, tuple[NamedNode, ...]]:
    """Every class of the ontology → all its ``rdfs:subClassOf`` ancestors.

    The graph states them (``org:Organization`` on an agency, ``prov:Entity`` on a
    target), so a client without a reasoner finds an instance under its parent types.
    """
    parents: dict[NamedNode, set[NamedNode]] = {}
    for t in parse(path=str(ONTOLOGY_FILE), format=RdfFormat.TURTLE):
        if t.predicate == RDFS.subClassOf and isinstance(t.object, NamedNode):
            parents.setdefault(t.subject, set()).add(t.object)
    closed: dict[NamedNode, tuple[NamedNode, ...]] = {}
    for cls in parents:
        seen: set[NamedNode] = set()
        todo = list(parents[cls])
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo += parents.get(c, ())
        closed[cls] = tuple(sorted(seen, key=lambda n: n.value))
    return closed


class _Writer:
    """Collects the N-Quads lines of one named graph, each once; a type brings its parent
    types.

    Lines, not pyoxigraph ``Quad`` objects: a line is what the dump, the cache and the
    store's loader read anyway, and formatting the terms' N-Triples forms costs a third
    of building and hashing a ``Quad`` (2.8 µs) and needs no serializer pass after it.
    The lines are the serializer's own (a term's ``str`` is its N-Triples form), so the
    dump is byte for byte what serializing the quads gave.
    """

    def __init__(self, graph: NamedNode) -> None:
        self._graph = str(graph)
        self._lines: dict[str, None] = {}  # in the order added, each once
        self._parents = _superclasses()

    def add(self, s: NamedNode, p: NamedNode, o) -> None:
        line = f"{s} {p} {o} {self._graph} .\n"
        lines = self._lines
        if line in lines:
            return
        lines[line] = None
        if p == _TYPE:
            for parent in self._parents.get(o, ()):
                self.add(s, p, parent)

    def nquads(self) -> bytes:
        """The graph as sorted N-Quads (:func:`policykg.store.sorted_nquads`'s bytes:
        UTF-8 keeps the order of code points, and no line is a prefix of another)."""
        return "".join(sorted(self._lines)).encode()

    def quads(self) -> list[Quad]:
        """The graph as quads, in the order they were added."""
        return list(parse("".join(self._lines).encode(), format=RdfFormat.N_QUADS))

    def labels(
        self, node: NamedNode, name_zh: str, name_en: str | None, aliases: Iterable[str] = ()
    ) -> None:
        """``skos:prefLabel`` in zh (and en where known), other names as ``skos:altLabel``."""
        self.add(node, SKOS.prefLabel, zh(name_zh))
        if name_en:
            self.add(node, SKOS.prefLabel, en(name_en))
        for alias in aliases:
            if alias != name_zh:
                self.add(node, SKOS.altLabel, zh(alias))

    def scheme(self, scheme: NamedNode, name_zh: str, name_en: str) -> None:
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.labels(scheme, name_zh, name_en)

    def concept(self, node: NamedNode, scheme: NamedNode, broader: NamedNode | None) -> None:
        """A concept of ``scheme``: under ``broader``, or one of its top concepts."""
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.inScheme, scheme)
        if broader is not None:
            self.add(node, SKOS.broader, broader)
        else:
            self.add(node, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, node)

    def provenance(
        self, node: NamedNode, ex: DocumentExtraction, span: Span, doc: NamedNode
    ) -> None:
        source = ex.source.source_span(span)
        self.add(node, PK.inDocument, doc)
        self.add(node, PK.sourceStart, integer(source.start))
        self.add(node, PK.sourceEnd, integer(source.end))
        self.add(node, PK.evidence, zh(ex.source.text[span.start : span.end]))


def document_quads(ex: DocumentExtraction, **inputs) -> tuple[list[Quad], list[CitedRef]]:
    """All quads of one document's named graph, and the references its citations make;
    ``inputs`` are :func:`_document`'s."""
    w, refs = _document(ex, **inputs)
    return w.quads(), refs


def document_nquads(ex: DocumentExtraction, **inputs) -> tuple[bytes, list[CitedRef]]:
    """:func:`document_quads` as sorted N-Quads: what the dump and the cache keep."""
    w, refs = _document(ex, **inputs)
    return w.nquads(), refs


def _document(
    ex: DocumentExtraction,
    *,
    doc: NamedNode,
    doc_slug: str,
    agencies: dict[str, Agency],
    corpus: CorpusIndex,
) -> tuple[_Writer, list[CitedRef]]:
    """One document's graph (named ``doc``, its nodes minted under ``doc_slug``) and its
    citations' references. ``agencies`` maps every surface form met in the document
    (mentions and issuer) to its canonical agency; ``corpus`` finds cited documents."""
    w = _Writer(doc)
    meta = ex.meta
    w.add(doc, RDF.type, PK.PolicyDocument)
    w.add(doc, DCTERMS.title, zh(meta.title))
    w.add(doc, RDFS.label, zh(meta.title))  # the label a generic linked-data client reads
    w.add(doc, PK.sourceFile, Literal(ex.source.name))
    if ex.source.sha256:  # the original file (HTML, Word, PDF or text) the reader read
        w.add(doc, PK.sourceMediaType, Literal(ex.source.media_type))
        w.add(doc, PK.sourceSha256, Literal(ex.source.sha256))
    if meta.doc_number:
        w.add(doc, PK.docNumber, Literal(meta.doc_number))
    for issuer, _span in meta.all_issuers():
        if issuer in agencies:
            w.add(doc, PK.issuer, iris.agency(agencies[issuer].key))
    if meta.issued:
        w.add(doc, DCTERMS.issued, Literal(meta.issued.isoformat(), datatype=XSD.date))
    if meta.doc_type:
        w.add(doc, PK.documentType, PK.term(meta.doc_type))
    if meta.jurisdiction:
        w.add(doc, PK.jurisdiction, iris.region(meta.jurisdiction))
        for basis in meta.jurisdiction_basis:
            w.add(doc, PK.jurisdictionBasis, _BASIS[basis])
    if meta.wrapper:
        w.add(doc, PK.wrapperTitle, zh(meta.wrapper))
    for planned in ex.planned:
        if planned.title:
            w.add(doc, PK.plansDocument, zh(planned.title))

    for s in ex.sections:
        node = iris.section(doc_slug, s.key)
        w.add(node, RDF.type, PK.Section)
        w.add(node, RDFS.label, zh(f"{s.ordinal_label}{s.heading}"))
        w.add(node, PK.partOf, iris.section(doc_slug, s.parent) if s.parent else doc)
        w.add(node, PK.ordinal, integer(s.ordinal))
        w.add(node, PK.ordinalLabel, Literal(s.ordinal_label))
        w.add(node, PK.heading, zh(s.heading))
        w.add(node, PK.sectionKind, Literal(s.kind))
        w.add(node, PK.depth, integer(s.depth))
        w.provenance(node, ex, s.heading_span, doc)

    assignments_by_task: dict[str, list] = {}
    for a in ex.assignments:
        assignments_by_task.setdefault(a.task, []).append(a)

    for t in ex.tasks:
        node = iris.task(doc_slug, t.key)
        w.add(node, RDF.type, PK.Task)
        w.add(node, RDFS.label, zh(t.label))
        w.add(node, PK.text, zh(t.text))
        w.add(node, PK.inSection, iris.section(doc_slug, t.section_key))
        w.provenance(node, ex, t.span, doc)
        # branch tasks: sub-measures, industry profiles, subject vs passing industry links
        if t.parent:
            w.add(node, PK.subTaskOf, iris.task(doc_slug, t.parent))
        if t.kind == "industry-profile":
            w.add(node, RDF.type, PK.IndustryProfile)
        links = ex.task_industry_links.get(t.key) or [
            (key, "about") for key in ex.task_industries.get(t.key, ())]
        for key, role in links:
            w.add(node, PK.aboutIndustry if role == "about" else PK.mentionsIndustry,
                  iris.industry(key))
            w.add(node, PK.concernsIndustry, iris.industry(key))
        for key in ex.task_regions.get(t.key, ()):
            w.add(node, PK.concernsRegion, iris.region(key))
        task_assignments = assignments_by_task.get(t.key, [])
        keys = iris.keyed([
            (iris.assignment_key(a.mention.role, agencies[a.mention.surface].key),
             ex.source.text[a.clause_span.start : a.clause_span.end] + "\n"
             + a.mention.surface + "\n" + (a.mention.scope or ""))
            for a in task_assignments
        ])
        for key, a in zip(keys, task_assignments, strict=True):
            agency = iris.agency(agencies[a.mention.surface].key)
            a_node = iris.assignment(doc_slug, t.key, key)
            w.add(node, PK.assignment, a_node)
            w.add(node, PK.responsibleAgency, agency)
            if a.mention.role == "lead":
                w.add(node, PK.leadAgency, agency)
            w.add(a_node, RDF.type, PK.Assignment)
            body = agencies[a.mention.surface]
            role_zh = _ROLE_ZH[a.mention.role]
            w.add(a_node, RDFS.label, zh(f"{t.label}：{body.name_zh}（{role_zh}）"))
            if body.name_en:
                w.add(a_node, RDFS.label, en(f"{body.name_en} ({a.mention.role}), task {t.key}"))
            w.add(a_node, PK.assignedAgency, agency)
            w.add(a_node, PK.assignmentRole, _ROLE[a.mention.role])
            w.add(a_node, PK.assignmentForm, _FORM[a.form])
            if a.mention.scope:
                w.add(a_node, PK.scopeNote, zh(a.mention.scope))
            w.add(a_node, PK.inDocument, doc)
            source = ex.source.source_span(a.mention.span)
            w.add(a_node, PK.sourceStart, integer(source.start))
            w.add(a_node, PK.sourceEnd, integer(source.end))
            clause = a.clause_span
            w.add(a_node, PK.evidence, zh(ex.source.text[clause.start : clause.end]))

    refs: list[CitedRef] = []
    cited = [(c, ref) for c in ex.citations if (ref := corpus.resolve(c)).iri != doc]
    keys = iris.keyed([
        (ref.iri.value.rsplit("/", 1)[-1], ex.source.text[c.span.start : c.span.end])
        for c, ref in cited
    ])
    for key, (c, ref) in zip(keys, cited, strict=True):
        refs.append(ref)
        node = iris.citation(doc_slug, key)
        w.add(doc, PK.cites, ref.iri)
        w.add(doc, PK.citation, node)
        w.add(node, RDF.type, PK.Citation)
        cited_name = f"《{c.title}》" if c.title else (c.doc_number or ref.iri.value)
        w.add(node, RDFS.label, zh(f"引用{cited_name}"))
        if c.doc_number:
            w.add(node, RDFS.label, en(f"citation of {c.doc_number}"))
        w.add(node, PK.citedDocument, ref.iri)
        w.provenance(node, ex, c.span, doc)

    keys = iris.keyed([
        (iris.target_key(tg.metric, tg.year, tg.industry),
         ex.source.text[tg.span.start : tg.span.end])
        for tg in ex.targets
    ])
    target_nodes = {
        tg.span: iris.target(doc_slug, key) for key, tg in zip(keys, ex.targets, strict=True)
    }
    for key, tg in zip(keys, ex.targets, strict=True):
        node = iris.target(doc_slug, key)
        if tg.parent is not None and tg.parent in target_nodes:  # 其中…: a part of a whole
            w.add(node, PK.subTargetOf, target_nodes[tg.parent])
        w.add(node, RDF.type, PK.Target)
        w.add(node, RDFS.label, zh(target_label(tg)))
        w.add(node, PK.metric, zh(tg.metric))
        if tg.value is not None:
            w.add(node, PK.targetValue, decimal(tg.value))
        w.add(node, PK.unit, Literal(tg.unit))
        if (unit := unit_iri(tg.unit)) is not None:
            w.add(node, PK.unitOfMeasure, unit)
        if tg.upper is not None:
            w.add(node, PK.upperValue, decimal(tg.upper))
        if tg.per_year:
            w.add(node, PK.perYear, Literal("true", datatype=XSD.boolean))
        if tg.year_inferred:
            w.add(node, PK.yearInferred, Literal("true", datatype=XSD.boolean))
        if tg.year is not None:
            w.add(node, PK.targetYear, Literal(str(tg.year), datatype=XSD.gYear))
        if tg.growth_rate is not None:
            w.add(node, PK.growthRate, decimal(tg.growth_rate))
        if tg.comparator:
            w.add(node, PK.comparator, Literal(tg.comparator))
            w.add(node, PK.comparison, _COMPARISON[tg.comparator])
        if tg.industry:
            w.add(node, PK.concernsIndustry, iris.industry(tg.industry))
        if tg.region:
            w.add(node, PK.concernsRegion, iris.region(tg.region))
        w.provenance(node, ex, tg.span, doc)

    return w, refs


def agency_quads(
    agencies: Iterable[Agency], alt_labels: dict[str, set[tuple[str, str]]],
    counterparts: dict[str, str] | None = None,
) -> Iterator[Quad]:
    """Canonical agencies with every surface form met as ``skos:altLabel``.

    ``alt_labels`` maps an agency key to ``(text, language tag)`` pairs; a traditional
    surface form keeps the ``zh-Hant`` tag so it is findable and still honest.
    """
    w = _Writer(VOCABULARIES)
    counterparts = counterparts or {}
    for a in agencies:
        node = iris.agency(a.key)
        w.add(node, RDF.type, PK.AgencyGroup if a.is_group else PK.Agency)
        w.labels(node, a.name_zh, a.name_en)
        for text, lang in sorted(alt_labels.get(a.key, ())):
            if text != a.name_zh:
                w.add(node, SKOS.altLabel, Literal(text, language=lang))
        if a.kind in _KIND:
            w.add(node, PK.agencyKind, _KIND[a.kind])
        if a.region:
            w.add(node, PK.jurisdiction, iris.region(a.region))
        if (cls := agency_levels.classification(a)) is not None:  # branch tasks
            w.add(node, ORG.classification, iris.function(cls))
        if a.key in counterparts:
            w.add(node, PK.counterpartOf, iris.agency(counterparts[a.key]))
        if a.sub_organization_of:
            w.add(node, ORG.subOrganizationOf, iris.agency(a.sub_organization_of))
    yield from w.quads()


def function_quads(functions: Iterable[Department], kinds: Iterable[str] = ()) -> Iterator[Quad]:
    """Department types as a SKOS scheme, so 省经信厅 and 市经信局 meet on one concept;
    level-neutral labels, and the classes of bodies that are no department type (``kinds``)."""
    w = _Writer(VOCABULARIES)
    scheme = iris.FUNCTION_SCHEME
    w.scheme(scheme, "政府职能部门类型", "Government department types")
    for f in functions:
        node = iris.function(f.key)
        w.concept(node, scheme, None)
        w.add(node, SKOS.notation, Literal(f.key))
        label = agency_levels.function_label(f)
        names = {agency_levels.neutral_name(name) for name in f.names.values()} - {label}
        english = f.key.replace("-", " ").capitalize()
        w.labels(node, label, english, sorted(names))
    for kind in sorted(set(kinds)):
        if (names := agency_levels.kind_class(kind)) is not None:
            node = iris.function(kind)
            w.concept(node, scheme, None)
            w.add(node, SKOS.notation, Literal(kind))
            w.labels(node, names[0], names[1] or None)
    yield from w.quads()


def region_quads(regions: Iterable[Region]) -> Iterator[Quad]:
    """Regions with their GB/T 2260 code, level, parent and names (the 简称 are not labels)."""
    w = _Writer(VOCABULARIES)
    for r in regions:
        node = iris.region(r.key)
        w.add(node, RDF.type, PK.Region)
        w.labels(node, r.name_zh, r.name_en, r.aliases)
        w.add(node, PK.adminLevel, _LEVEL[r.level])
        if getattr(r, "code", None):
            w.add(node, PK.divisionCode, Literal(r.code))
        if r.parent:
            w.add(node, PK.withinRegion, iris.region(r.parent))
        if r.wikidata:
            w.add(node, OWL.sameAs, iris.wikidata(r.wikidata))
    yield from w.quads()


def industry_quads(industries: Iterable[Industry]) -> Iterator[Quad]:
    w = _Writer(VOCABULARIES)
    scheme = iris.INDUSTRY_SCHEME
    w.scheme(scheme, "产业分类", "Industry scheme")
    for i in industries:
        node = iris.industry(i.key)
        w.add(node, RDF.type, PK.Industry)
        w.concept(node, scheme, iris.industry(i.broader) if i.broader else None)
        if i.tier:  # a 51020 tier: membership, not a broader kind (branch tasks)
            w.add(node, PK.industryTier, iris.industry(i.tier))
        w.labels(node, i.name_zh, i.name_en, i.aliases)
    yield from w.quads()


def stub_quads(refs: Iterable[CitedRef]) -> Iterator[Quad]:
    """Cited documents outside the corpus: what the citations say of them, once each."""
    w = _Writer(VOCABULARIES)
    seen: dict[NamedNode, CitedRef] = {}
    for ref in refs:
        if not ref.in_corpus:
            seen.setdefault(ref.iri, ref)
    for iri, ref in sorted(seen.items(), key=lambda kv: kv[0].value):
        w.add(iri, RDF.type, PK.CitedDocument)
        if ref.title:
            w.add(iri, DCTERMS.title, zh(ref.title))
        label = ref.title or ref.doc_number
        if label:
            w.add(iri, RDFS.label, zh(label))
        if ref.doc_number:
            w.add(iri, PK.docNumber, Literal(ref.doc_number))
    yield from w.quads()

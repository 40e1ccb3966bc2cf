"""From a folder of policy documents to quads: the steps in order, nothing else.

Extraction is a pure function of (document, shared data), so documents can be extracted
in any order and in parallel (``workers``); everything that depends on the whole corpus
(the industry scheme's additions, citation targets, the agencies' alternative labels)
is gathered in a fixed order afterwards, which keeps the output byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Quad

from extract import iris
from extract.agencies import AgencyResolver, departments
from extract.assignments import find_assignments
from extract.citations import classify as classify_references
from extract.document import extract_meta
from extract.errors import DocumentError
from extract.graph import (
    CitedRef,
    CorpusIndex,
    agency_quads,
    document_quads,
    function_quads,
    industry_quads,
    region_quads,
    stub_quads,
)
from extract.industries import IndustryScheme
from extract.model import Agency, DocumentExtraction, SourceText
from extract.normalize import read_document, strip_pinyin, to_simplified
from extract.regions import Gazetteer
from extract.sections import parse_sections
from extract.targets import find_targets
from extract.tasks import find_tasks

DOCUMENT_SUFFIXES = (".txt", ".md")



@dataclass
class ExtractedDocument:
    """One document's extraction plus what the corpus-wide steps need from it."""

    extraction: DocumentExtraction
    slug: str
    agencies: dict[str, Agency]  # surface form (normalized) -> canonical agency
    originals: dict[str, set[str]]  # agency key -> surface forms as the file writes them
    regions: frozenset[str] = frozenset()  # region keys the document graph refers to


@dataclass
class CorpusResult:
    scheme: IndustryScheme
    gazetteer: Gazetteer
    documents: list[ExtractedDocument] = field(default_factory=list)
    failures: list[DocumentError] = field(default_factory=list)


def list_documents(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise DocumentError(str(folder), "not a folder")
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in DOCUMENT_SUFFIXES)
    if not paths:
        raise DocumentError(str(folder), f"no {' or '.join(DOCUMENT_SUFFIXES)} documents")
    return paths


def extract_document(
    source: SourceText, scheme: IndustryScheme, gazetteer: Gazetteer
) -> ExtractedDocument:
    """Every extraction step on one normalized document."""
    text = source.text
    meta = extract_meta(source, gazetteer)
    sections = parse_sections(text)
    tasks = find_tasks(text, sections)
    assignments = find_assignments(text, sections, tasks)
    citations, planned = classify_references(
        text, own_title=meta.title, own_number=meta.doc_number, wrapper=meta.wrapper
    )
    issued_year = meta.issued.year if meta.issued else None
    targets = find_targets(text, scheme, gazetteer, meta.jurisdiction, issued_year=issued_year)
    extraction = DocumentExtraction(
        source=source,
        meta=meta,
        sections=sections,
        tasks=tasks,
        assignments=assignments,
        citations=citations,
        planned=planned,
        targets=targets,
        task_industries={t.key: _keys(scheme.find_in(t.text)) for t in tasks},
        task_regions={
            t.key: _keys(gazetteer.find_in(t.text, within=meta.jurisdiction)) for t in tasks
        },
    )

    resolver = AgencyResolver(gazetteer)
    agencies: dict[str, Agency] = {}
    originals: dict[str, set[str]] = {}
    mentions = [(a.mention.surface, a.mention.span) for a in assignments]
    mentions.extend(meta.all_issuers())
    for surface, span in mentions:
        agency = resolver.resolve(surface, meta.jurisdiction)
        agencies[surface] = agency
        forms = originals.setdefault(agency.key, set())
        forms.add(surface)
        if span is not None and len(span):
            original = _original_form(source, span)
            if original:
                forms.add(original)
    return ExtractedDocument(
        extraction,
        iris.document_slug(meta.doc_number, meta.title),
        agencies,
        originals,
        used_regions(extraction, agencies.values()),
    )


def used_regions(extraction: DocumentExtraction, agencies) -> frozenset[str]:
    """Region keys a document's graph uses: its jurisdiction, the regions its tasks and
    targets concern, its agencies' regions. Only these (and their ancestors) go into the
    vocabularies graph, not all 3,200 divisions of the gazetteer."""
    keys = {extraction.meta.jurisdiction, *(a.region for a in agencies)}
    keys.update(k for ks in extraction.task_regions.values() for k in ks)
    keys.update(t.region for t in extraction.targets)
    return frozenset(k for k in keys if k)


def _keys(found: list) -> tuple[str, ...]:
    return tuple(sorted({key for key, _span in found}))


def _original_form(source: SourceText, span) -> str | None:
    """The mention as the file writes it (traditional characters kept, pinyin notes dropped).

    Only a contiguous mention is worth keeping: a shared-suffix mention
    (``江汉区、硚口区人民政府``) has no original form of its own.
    """
    raw_span = source.source_span(span)
    original = strip_pinyin(source.raw[raw_span.start : raw_span.end]).strip()
    if not original or any(ch in original for ch in "、，,；;\n"):
        return None
    return original


def extract_corpus(
    folder: Path,
    *,
    workers: int = 1,
    progress: Callable[[str], None] = lambda _msg: None,
) -> CorpusResult:
    """Extract every document of ``folder``; a document that fails is reported, not fatal."""
    paths = list_documents(folder)
    gazetteer = Gazetteer.load()
    scheme = IndustryScheme.load()
    result = CorpusResult(scheme, gazetteer)

    sources: list[SourceText] = []
    for path in paths:
        try:
            sources.append(read_document(path))
        except DocumentError as err:
            result.failures.append(err)
            progress(f"  ✗ {err}")
    for source in sources:  # file-name order: the scheme grows the same way every build
        scheme.extend_from(source.text)

    jobs = [(s, scheme, gazetteer) for s in sources]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(extract_source, jobs, chunksize=4))
    else:
        outcomes = [extract_source(job) for job in jobs]

    for source, outcome in zip(sources, outcomes, strict=True):
        if isinstance(outcome, DocumentError):
            result.failures.append(outcome)
            progress(f"  ✗ {outcome}")
        else:
            result.documents.append(outcome)
            ex = outcome.extraction
            progress(
                f"  ✓ {source.name}: {ex.meta.title} — {len(ex.sections)} sections, "
                f"{len(ex.tasks)} tasks, {len(ex.assignments)} assignments, "
                f"{len(ex.targets)} targets, {len(ex.citations)} citations"
            )
    dedupe_slugs(result.documents)
    return result


def extract_source(
    args: tuple[SourceText, IndustryScheme, Gazetteer],
) -> ExtractedDocument | DocumentError:
    """One document, in this process or a worker; any failure becomes that document's error."""
    source, scheme, gazetteer = args
    try:
        return extract_document(source, scheme, gazetteer)
    except DocumentError as err:
        return err
    except Exception as err:  # a bug met on one document must not lose the others
        return DocumentError(source.name, f"extraction failed: {type(err).__name__}: {err}")


def dedupe_slugs(documents: list[ExtractedDocument]) -> None:
    """Two documents with the same title and no 文号 still get two IRIs (by file order)."""
    seen: dict[str, int] = {}
    for d in documents:
        n = seen.get(d.slug, 0)
        seen[d.slug] = n + 1
        if n:
            d.slug = f"{d.slug}-{n + 1}"


def corpus_quads(result: CorpusResult) -> Iterator[Quad]:
    """Every quad of the corpus: document graphs, then the shared vocabularies graph."""
    corpus = CorpusIndex()
    for d in result.documents:
        meta = d.extraction.meta
        corpus.add(iris.document(d.slug), meta.title, meta.doc_number)

    refs: list[CitedRef] = []
    for d in result.documents:
        quads, doc_refs = document_quads(
            d.extraction,
            doc=iris.document(d.slug),
            doc_slug=d.slug,
            agencies=d.agencies,
            corpus=corpus,
        )
        yield from quads
        refs.extend(doc_refs)
    yield from vocabulary_quads(result.documents, refs, result.scheme, result.gazetteer)


def vocabulary_quads(
    documents: Iterable, refs: list[CitedRef], scheme: IndustryScheme, gazetteer: Gazetteer
) -> Iterator[Quad]:
    """The shared vocabularies graph: agencies (with every surface form), functions,
    regions, industries and stub documents.

    ``documents`` need only ``.agencies``, ``.originals`` and ``.regions`` (see
    :class:`ExtractedDocument`), so a distributed build can pass small summaries instead of
    whole extractions. Regions: those the documents use, with their ancestors.
    """
    agencies: dict[str, Agency] = {}
    alt_labels: dict[str, set[tuple[str, str]]] = {}
    for d in documents:
        for agency in d.agencies.values():
            agencies.setdefault(agency.key, agency)
        for key, forms in d.originals.items():
            labels = alt_labels.setdefault(key, set())
            for form in forms:
                labels.add((form, "zh-Hant" if to_simplified(form) != form else "zh"))
    yield from agency_quads(sorted(agencies.values(), key=lambda a: a.key), alt_labels)
    used = {a.function for a in agencies.values()}
    yield from function_quads(f for f in departments() if f.key in used)
    used = {k for d in documents for k in getattr(d, "regions", ())}
    used |= {a.region for a in agencies.values() if a.region}
    yield from region_quads(gazetteer.with_ancestors(used))
    yield from industry_quads(scheme.industries())
    yield from stub_quads(refs)

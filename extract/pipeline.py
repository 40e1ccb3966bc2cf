"""From a folder of policy documents to quads: the steps in order, nothing else.

Extraction is a pure function of (document, shared data), so documents can be extracted
in any order and in parallel (``workers``); everything that depends on the whole corpus
(the industry scheme's additions, citation targets, the agencies' alternative labels)
is gathered in a fixed order afterwards, which keeps the output byte-identical.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from policykg.extract import iris
from policykg.extract.agencies import AgencyResolver, departments
from policykg.extract.agencies.levels import counterparts
from policykg.extract.assign.htmltables import table_sections
from policykg.extract.assign.records import record_sections
from policykg.extract.assign.rows import table_rows
from policykg.extract.assign.tables import crawled_table_sections
from policykg.extract.assignments import find_assignments
from policykg.extract.citations import classify as classify_references
from policykg.extract.document import extract_meta
from policykg.extract.errors import DocumentError, os_words, plain_cause
from policykg.extract.graph import (
    CitedRef,
    CorpusIndex,
    agency_quads,
    function_quads,
    industry_quads,
    region_quads,
    stub_quads,
)
from policykg.extract.industries import IndustryScheme, label_variants
from policykg.extract.industry_links import PROFILE, industry_links, mark_profiles
from policykg.extract.model import Agency, DocumentExtraction, SourceText
from policykg.extract.normalize import strip_pinyin, to_simplified
from policykg.extract.places.gazetteer import Gazetteer, default_gazetteer
from policykg.extract.quantities.targets import find_targets
from policykg.extract.readers import SUFFIXES as DOCUMENT_SUFFIXES
from policykg.extract.readers import read_source as read_document
from policykg.extract.sections import body_section, parse_sections
from policykg.extract.tasks import find_tasks
from pyoxigraph import Quad


@dataclass
class ExtractedDocument:
    """One document's extraction plus what the corpus-wide steps need from it."""

    extraction: DocumentExtraction
    slug: str
    agencies: dict[str, Agency]  # surface form (normalized) -> canonical agency
    originals: dict[str, set[str]]  # agency key -> surface forms as the file writes them
    regions: frozenset[str] = frozenset()  # region keys the document graph refers to
    # whether the document's lists can grow the industry scheme (see :func:`grows_scheme`);
    # a document that cannot is skipped when the corpus grows it
    grows: bool = True


@dataclass
class CorpusResult:
    scheme: IndustryScheme
    gazetteer: Gazetteer
    documents: list[ExtractedDocument] = field(default_factory=list)
    failures: list[DocumentError] = field(default_factory=list)


def list_documents(folder: Path) -> list[Path]:
    """The documents of ``folder`` that can be read (see :func:`scan_documents`)."""
    paths, refused = scan_documents(folder)
    if not paths and not refused:
        raise DocumentError(str(folder), _NO_DOCUMENTS)
    return paths


_NO_DOCUMENTS = "no .txt or .md documents (nor .html, .htm, .docx, .pdf)"

FOLDER_NOTES = frozenset({"README", "SOURCES", "LICENSE", "CHANGELOG", "NOTICE"})
"""Stems of files that describe a corpus folder (where its documents came from, their
licence) rather than being documents of it."""


def scan_documents(folder: Path) -> tuple[list[Path], list[DocumentError]]:
    """The documents of ``folder`` in name order (a suffix :mod:`extract.readers` knows:
    text, markdown, HTML, Word, PDF; ``.doc``/``.wps`` to report them), and the entries
    refused.

    Only regular files inside the folder are read: a symbolic link is followed only to a
    file that is itself inside the folder (a link to ``/etc/shadow`` would otherwise put a
    system file in a public graph); a named pipe would block the build forever, a device
    (``/dev/zero``) would be read without end, a link loop never resolves. Each refused
    entry is a :class:`DocumentError` naming it, so the build reports it and goes on.
    """
    if not folder.exists():
        raise DocumentError(str(folder), "no such folder")
    if not folder.is_dir():
        raise DocumentError(str(folder), "not a folder")
    root = folder.resolve()
    paths: list[Path] = []
    refused: list[DocumentError] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as err:
        raise DocumentError(str(folder), f"cannot list the folder: {os_words(err)}") from None
    for entry in entries:
        if entry.suffix.lower() not in DOCUMENT_SUFFIXES or entry.stem.upper() in FOLDER_NOTES:
            continue
        reason = _refusal(entry, root)
        if reason:
            refused.append(DocumentError(entry.name, reason))
        else:
            paths.append(entry)
    return paths, refused


def _refusal(entry: Path, root: Path) -> str | None:
    """Why ``entry`` is not read as a document, or None for a regular file in ``root``."""
    try:
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            try:
                target = entry.resolve(strict=True)
            except FileNotFoundError:
                return f"a symbolic link to nothing ({os.readlink(entry)})"
            except (RuntimeError, OSError) as err:  # 3.11 raises RuntimeError on a loop
                if isinstance(err, RuntimeError) or err.errno == errno.ELOOP:
                    return "a symbolic link loop"
                raise
            if not target.is_relative_to(root):
                return f"a symbolic link to a file outside the input folder ({target})"
            mode = target.stat().st_mode
    except OSError as err:
        return f"cannot be read: {os_words(err)}"
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((word for test, word in kinds if test(mode)), "a special file")
    return f"{kind}, not a regular file: not read"


def extract_document(
    source: SourceText, scheme: IndustryScheme, gazetteer: Gazetteer
) -> ExtractedDocument:
    """Every extraction step on one normalized document: the per-document steps, then
    the steps that read the corpus's industry scheme."""
    return with_scheme(extract_local(source, gazetteer), scheme, gazetteer)


def extract_local(source: SourceText, gazetteer: Gazetteer) -> ExtractedDocument:
    """The steps that depend on the document alone (and the shipped data): metadata,
    sections, tasks, assignments, citations, task regions, agencies.

    Its result is what an incremental build caches by the file's content; targets and
    task industries are left empty, :func:`with_scheme` fills them in.
    """
    text = source.text
    meta = extract_meta(source, gazetteer)
    sections = parse_sections(text)
    sections = sections + table_sections(text, sections)
    sections = sections + crawled_table_sections(text, sections)
    sections = sections + record_sections(text, sections)
    sections = sections + body_section(text, sections)
    rows = table_rows(text, sections)  # read once: the rows are tasks and carry agencies
    tasks = find_tasks(text, sections, rows)
    assignments = find_assignments(text, sections, tasks, rows)
    citations, planned = classify_references(
        text, own_title=meta.title, own_number=meta.doc_number, wrapper=meta.wrapper
    )
    extraction = DocumentExtraction(
        source=source,
        meta=meta,
        sections=sections,
        tasks=tasks,
        assignments=assignments,
        citations=citations,
        planned=planned,
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
        for parent in resolver.parents(agency):  # a division's parent is described too
            agencies.setdefault(parent.name_zh, parent)
        forms = originals.setdefault(agency.key, set())
        forms.add(surface)
        if span is not None and len(span):
            original = _original_form(source, span)
            if original:
                forms.add(original)
    return ExtractedDocument(extraction, _slug(extraction), agencies, originals,
                             used_regions(extraction, agencies.values()), grows_scheme(text))


def with_scheme(
    local: ExtractedDocument, scheme: IndustryScheme, gazetteer: Gazetteer
) -> ExtractedDocument:
    """The steps that read the industry scheme the whole corpus grew: targets and the
    industries each task names (``local`` from :func:`extract_local`, left unchanged)."""
    ex = local.extraction
    issued_year = ex.meta.issued.year if ex.meta.issued else None
    targets = find_targets(ex.source.text, scheme, gazetteer, ex.meta.jurisdiction,
                           issued_year=issued_year)
    # which tasks profile an industry, and how each task names its industries, read the
    # grown scheme too (a profile's heading may be an industry a list of the corpus added)
    tasks = mark_profiles(list(ex.tasks), list(ex.sections), scheme)
    links = industry_links(tasks, scheme)
    return scheme_applied(
        local, targets,
        {t.key: tuple(found) for t, found in links.items()},
        {t.key: tuple(found.items()) for t, found in links.items()},
        tuple(t.key for t in tasks if t.kind == PROFILE),
    )


def scheme_applied(
    local: ExtractedDocument, targets: list, task_industries: dict[str, tuple[str, ...]],
    task_industry_links: dict[str, tuple[tuple[str, str], ...]] | None = None,
    profiles: tuple[str, ...] = (),
) -> ExtractedDocument:
    """``local`` with the scheme steps' results (computed, or read back from a cache):
    targets, task industries and their links, and the keys of the industry profiles."""
    ex = local.extraction
    if hasattr(ex, "applied"):  # read back from the cache: its tasks load lazily
        extraction = ex.applied(targets, task_industries, task_industry_links or {}, profiles)
    else:
        extraction = replace(ex, targets=targets, task_industries=task_industries,
                             task_industry_links=task_industry_links or {},
                             tasks=with_profiles(ex.tasks, profiles))
    return replace(local, extraction=extraction,
                   regions=local.regions | {t.region for t in targets if t.region})


def with_profiles(tasks, profiles: tuple[str, ...]) -> list:
    """``tasks`` with ``kind`` set on the industry profiles named by key."""
    keys = set(profiles)
    return [replace(t, kind=PROFILE) if t.key in keys else t for t in tasks]


def grows_scheme(text: str) -> bool:
    """Whether ``text`` adds anything to the shipped industry scheme.

    Growing is monotone: a document that adds nothing to the shipped scheme adds nothing
    to a scheme other documents grew (its lists' items are known there too), so the
    corpus step runs :meth:`IndustryScheme.extend_from` only on the documents that can.
    """
    return bool(IndustryScheme.load().extend_from(text))


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


class DocumentCache(Protocol):
    """What :func:`extract_corpus` asks of a cache of per-document results
    (:class:`policykg.cache.Cache` is one): each lookup returns None on a miss, and
    whatever it returns is exactly what the step would compute."""

    def local(self, path: Path) -> ExtractedDocument | None: ...

    def put_local(self, path: Path, doc: ExtractedDocument) -> None: ...

    def applied(self, doc: ExtractedDocument, view: str) -> ExtractedDocument | None: ...

    def put_applied(self, doc: ExtractedDocument, view: str) -> None: ...

    def full(self, doc: ExtractedDocument) -> ExtractedDocument: ...


def extract_corpus(
    folder: Path,
    *,
    workers: int = 1,
    progress: Callable[[str], None] = lambda _msg: None,
    exclude: Iterable[str] = (),
    cache: DocumentCache | None = None,
) -> CorpusResult:
    """Extract every document of ``folder``; a document that fails is reported, not fatal.

    ``exclude``: file names to leave out as if they were not in the folder (not reported).
    ``cache``: where per-document results are looked up before they are computed (a file
    whose bytes did not change is then not even read again).
    """
    paths, refused = scan_documents(folder)
    if not paths and not refused:
        raise DocumentError(str(folder), _NO_DOCUMENTS)
    # the process's one gazetteer (read-only): the agency grammar's default resolver
    # uses it too, so the 3,200 regions are read once, not twice
    result = CorpusResult(IndustryScheme.load(), default_gazetteer())
    for err in refused:
        _fail(result, err, progress)
    skipped = set(exclude)
    slots: list[ExtractedDocument | SourceText] = []
    read: dict[str, Path] = {}
    for path in paths:
        if path.name in skipped:
            continue
        hit = cache.local(path) if cache is not None else None
        if hit is not None:
            slots.append(hit)
            continue
        try:
            slots.append(read_document(path))
            read[path.name] = path
        except DocumentError as err:
            _fail(result, err, progress)
        except Exception as err:  # a bug in normalization must not lose the other documents
            _fail(result, DocumentError(path.name, f"normalization failed: {plain_cause(err)}"),
                  progress)
    sources = [s for s in slots if isinstance(s, SourceText)]
    outcomes = iter(_map(extract_local_source, [(s, result.gazetteer) for s in sources], workers))
    local: list[ExtractedDocument] = []
    for slot in slots:
        outcome = next(outcomes) if isinstance(slot, SourceText) else slot
        if isinstance(outcome, DocumentError):
            _fail(result, outcome, progress)
            continue
        if cache is not None and isinstance(slot, SourceText):
            cache.put_local(read[slot.name], outcome)
        local.append(outcome)
    _apply_scheme(result, local, workers, progress, cache)
    return result


def without(
    result: CorpusResult,
    names: Iterable[str],
    *,
    workers: int = 1,
    progress: Callable[[str], None] = lambda _msg: None,
    cache: DocumentCache | None = None,
) -> CorpusResult:
    """``result`` as :func:`extract_corpus` gives it when the files ``names`` are excluded.

    The corpus-wide steps are redone without them (slugs, and the industry scheme the
    documents grew: when it differs without them, the scheme steps run again on the
    others), so every other document's quads are exactly those of a build that never
    saw them.
    """
    names = set(names)
    kept = [d for d in result.documents if d.extraction.source.name not in names]
    out = CorpusResult(result.scheme, result.gazetteer, failures=list(result.failures))
    scheme, _added = grow_scheme(kept)
    if scheme.industries() == result.scheme.industries():
        out.documents = [replace(d, slug=_slug(d.extraction)) for d in kept]
        dedupe_slugs(out.documents)
    else:
        _apply_scheme(out, kept, workers, progress, cache)
    return out


def _fail(result: CorpusResult, err: DocumentError, progress: Callable[[str], None]) -> None:
    result.failures.append(err)
    progress(f"  ✗ {err}")


def grow_scheme(documents: Iterable[ExtractedDocument]) -> tuple[IndustryScheme, list[str]]:
    """The industry scheme extended by ``documents`` in file-name order, as every build
    grows it, and the keys added in the order they were added (which fixes the scheme)."""
    scheme = IndustryScheme.load()
    added: list[str] = []
    for d in documents:
        if d.grows:
            added += scheme.extend_from(d.extraction.source.text)
    return scheme, added


def _grown_scheme(sources: Iterable[SourceText]) -> IndustryScheme:
    """The industry scheme extended by every one of ``sources`` in order (no flags read)."""
    scheme = IndustryScheme.load()
    for source in sources:
        scheme.extend_from(source.text)
    return scheme


def scheme_labels(scheme: IndustryScheme, added: list[str]) -> list[tuple[str, str]]:
    """(label, key) of every surface form the corpus added to the shipped scheme."""
    labels = []
    for key in added:
        for label in label_variants(scheme.get(key).name_zh):
            labels.append((label, key))
    return labels


def scheme_view(labels: list[tuple[str, str]], text: str) -> str:
    """What of the grown scheme a document can see: the added labels its text contains.

    The scheme steps match the shipped labels and the added ones in the text, so two
    grown schemes give a document the same targets and task industries when their added
    labels found in it are the same; a cache keyed by this view stays valid when another
    document grows the scheme with words this one never uses.
    """
    return "\n".join(f"{label}\t{key}" for label, key in labels if label in text)


def _map(fn, jobs: list, workers: int) -> list:
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(fn, jobs, chunksize=4))
    return [fn(job) for job in jobs]


def _apply_scheme(
    result: CorpusResult,
    local: list[ExtractedDocument],
    workers: int,
    progress: Callable[[str], None],
    cache: DocumentCache | None = None,
) -> None:
    """The corpus step: grow the scheme from ``local`` and run the scheme steps on each.

    A document whose scheme steps fail may have grown the scheme the others were
    extracted with; they are extracted again with the scheme of the survivors when it
    differs, so a failed document leaves no trace in the graph.
    """
    while True:
        scheme, added = grow_scheme(local)
        labels = scheme_labels(scheme, added)
        outcomes: list[ExtractedDocument | DocumentError | None] = []
        views = [scheme_view(labels, d.extraction.source.text) if labels else "" for d in local]
        for d, view in zip(local, views, strict=True):
            outcomes.append(cache.applied(d, view) if cache is not None else None)
        todo = [i for i, o in enumerate(outcomes) if o is None]
        full = (lambda d: cache.full(d)) if cache is not None else (lambda d: d)
        done = _map(apply_scheme_source,
                    [(full(local[i]), scheme, result.gazetteer) for i in todo], workers)
        for i, outcome in zip(todo, done, strict=True):
            outcomes[i] = outcome
            if cache is not None and not isinstance(outcome, DocumentError):
                cache.put_applied(outcome, views[i])
        failed = [o for o in outcomes if isinstance(o, DocumentError)]
        for err in failed:
            _fail(result, err, progress)
        survivors = [d for d, o in zip(local, outcomes, strict=True)
                     if not isinstance(o, DocumentError)]
        if not failed or grow_scheme(survivors)[0].industries() == scheme.industries():
            break
        local = survivors
    result.scheme = scheme
    for outcome in outcomes:
        if isinstance(outcome, DocumentError):
            continue
        result.documents.append(outcome)
        ex = outcome.extraction
        progress(
            f"  ✓ {ex.source.name}: {ex.meta.title} — {len(ex.sections)} sections, "
            f"{len(ex.tasks)} tasks, {len(ex.assignments)} assignments, "
            f"{len(ex.targets)} targets, {len(ex.citations)} citations"
        )
    dedupe_slugs(result.documents)


def extract_source(
    args: tuple[SourceText, IndustryScheme, Gazetteer],
) -> ExtractedDocument | DocumentError:
    """One document, in this process or a worker; any failure becomes that document's error."""
    source, scheme, gazetteer = args
    return _guarded(source.name, extract_document, source, scheme, gazetteer)


def extract_local_source(args: tuple[SourceText, Gazetteer]) -> ExtractedDocument | DocumentError:
    """:func:`extract_local` of one document, its failure as that document's error."""
    source, gazetteer = args
    return _guarded(source.name, extract_local, source, gazetteer)


def apply_scheme_source(
    args: tuple[ExtractedDocument, IndustryScheme, Gazetteer],
) -> ExtractedDocument | DocumentError:
    """:func:`with_scheme` of one document, its failure as that document's error."""
    local, scheme, gazetteer = args
    return _guarded(local.extraction.source.name, with_scheme, local, scheme, gazetteer)


def _guarded(name: str, step, *args) -> ExtractedDocument | DocumentError:
    try:
        return step(*args)
    except DocumentError as err:
        return err
    except Exception as err:  # a bug met on one document must not lose the others
        return DocumentError(name, f"extraction failed: {plain_cause(err)}")


def _slug(extraction: DocumentExtraction) -> str:
    return iris.document_slug(extraction.meta.doc_number, extraction.meta.title)


def dedupe_slugs(documents: list[ExtractedDocument]) -> None:
    """Two documents with the same title and no 文号 still get two IRIs (by file order)."""
    seen: dict[str, int] = {}
    for d in documents:
        n = seen.get(d.slug, 0)
        seen[d.slug] = n + 1
        if n:
            d.slug = f"{d.slug}-{n + 1}"


def corpus_index(documents: Iterable[ExtractedDocument]) -> CorpusIndex:
    """The corpus's documents by 文号 and title, for their citations to point into."""
    corpus = CorpusIndex()
    for d in documents:
        corpus.add(iris.document(d.slug), d.extraction.meta.title, d.extraction.meta.doc_number)
    return corpus


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
    yield from agency_quads(sorted(agencies.values(), key=lambda a: a.key), alt_labels,
                            counterparts(agencies.values(), gazetteer))
    used = {a.function for a in agencies.values()}
    yield from function_quads((f for f in departments() if f.key in used),
                              {a.kind for a in agencies.values() if not a.function})
    used = {k for d in documents for k in getattr(d, "regions", ())}
    used |= {a.region for a in agencies.values() if a.region}
    yield from region_quads(gazetteer.with_ancestors(used))
    yield from industry_quads(scheme.industries())
    yield from stub_quads(refs)

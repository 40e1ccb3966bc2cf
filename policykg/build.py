"""``policykg build``: documents → validated, sorted dump → Oxigraph store.

The order of the steps is the guarantee: the dump is written to a temporary file,
validated against the shapes, and only a conforming graph replaces the previous dump
and store. A failed build changes nothing a reader can see.

One bad document does not cost the others their build: a document that cannot be read
or extracted, or whose graph violates the shapes, is left out and reported by name, and
the rest is built exactly as if it had never been in the folder (the corpus-wide steps
are redone without it, see :func:`extract.pipeline.without`). ``strict`` turns any such
failure into a refused build instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policykg.blame import blame_documents
from policykg.cache import CACHE_DIR, MANIFEST
from policykg.extract import iris
from policykg.extract.errors import DocumentError
from policykg.extract.graph import CitedRef, document_nquads
from policykg.extract.pipeline import CorpusResult, corpus_index, extract_corpus, without
from policykg.outdir import OutputBusy, OutputError, claim
from policykg.patch import shared_lines
from policykg.store import load_store, write_sorted_blocks


class BuildError(Exception):
    """The build cannot produce a graph worth serving; the previous one stays."""


class UsageError(BuildError):
    """The call is wrong: ``--seeds`` or ``--out`` cannot be used (exit code 2)."""


@dataclass
class BuildSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    tasks: int = 0
    assignments: int = 0
    agencies: int = 0
    targets: int = 0
    citations: int = 0
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: int = 0

    def lines(self) -> list[str]:
        timing = ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items())
        out = [
            f"documents   {self.documents}"
            + (f" ({len(self.failed)} failed)" if self.failed else ""),
            f"tasks       {self.tasks}",
            f"assignments {self.assignments}",
            f"agencies    {self.agencies}",
            f"targets     {self.targets}",
            f"citations   {self.citations}",
            f"quads       {self.triples}",
            f"seconds     {sum(self.seconds.values()):.2f} ({timing})",
        ]
        if self.warnings:
            out.append(f"warnings    {self.warnings} (run `policykg validate` to list them)")
        return out


def summarize(result: CorpusResult) -> BuildSummary:
    docs = [d.extraction for d in result.documents]
    agencies = {a.key for d in result.documents for a in d.agencies.values()}
    return BuildSummary(
        documents=len(docs),
        failed=[f.name for f in result.failures],
        tasks=sum(len(d.tasks) for d in docs),
        assignments=sum(len(d.assignments) for d in docs),
        agencies=len(agencies),
        targets=sum(len(d.targets) for d in docs),
        citations=sum(len(d.citations) for d in docs),
    )


_KEPT = "the previous build is kept"


def build(
    seeds: Path,
    out: Path,
    *,
    workers: int = 1,
    validate: bool = True,
    shapes: Path | None = None,
    strict: bool = False,
    progress: Callable[[str], None] = print,
    cache: bool = True,
) -> BuildSummary:
    """Build ``out/graph.nq`` and ``out/store/`` from the documents in ``seeds``.

    ``shapes`` replaces the project's shapes file (a project reusing the pipeline with
    stricter or looser rules). ``strict``: any failed or violating document refuses the
    whole build (the previous dump and store stay untouched). Raises :class:`UsageError`
    when ``seeds`` or ``out`` cannot be used, :class:`BuildError` when nothing is built.
    ``cache``: reuse the per-document results kept in ``out/cache/`` and patch the previous
    dump and store with the graphs that changed (same bytes as a clean build); False
    builds everything again (and leaves the cache alone).
    """
    if not seeds.is_dir():
        raise UsageError(f"{seeds}: {'not a folder' if seeds.exists() else 'no such folder'}")
    try:
        with claim(out) as (work, removed):
            for name in removed:
                progress(f"  removed {name} (left by an interrupted build)")
            if cache:
                return build_incremental(seeds, out, work, workers, validate, shapes, strict,
                                         progress)
            (out / CACHE_DIR / MANIFEST).unlink(missing_ok=True)  # the dump will not match it
            return _build(seeds, out, work, workers, validate, shapes, strict, progress)
    except OutputError as err:
        raise UsageError(str(err)) from None
    except OutputBusy as err:
        raise BuildError(f"{err}; wait for it to finish") from None


def _build(seeds, out, work, workers, validate, shapes, strict, progress) -> BuildSummary:
    clock = time.perf_counter()
    try:
        result = extract_corpus(seeds, workers=workers, progress=progress)
    except DocumentError as err:
        raise UsageError(str(err)) from None
    _check(result, seeds, strict)
    extract_seconds = time.perf_counter() - clock

    candidate = work / "graph.nq"
    serialize_seconds = validate_seconds = 0.0
    warnings = 0
    while True:
        clock = time.perf_counter()
        triples = write_sorted_blocks(_corpus_nquads(result), candidate)
        serialize_seconds += time.perf_counter() - clock
        if not validate:
            break
        clock = time.perf_counter()
        from policykg.shapes.validate import validate_dataset

        report = validate_dataset([candidate], shapes=shapes, trusted=True)
        validate_seconds += time.perf_counter() - clock
        warnings = len(report.warnings)
        if report.conforms:
            break
        clock = time.perf_counter()
        result = leave_out_violators(report, candidate, result, seeds=seeds, strict=strict,
                                     workers=workers, progress=progress)
        extract_seconds += time.perf_counter() - clock

    summary = summarize(result)
    summary.triples, summary.warnings = triples, warnings
    summary.seconds["extract"] = extract_seconds
    summary.seconds["serialize"] = serialize_seconds
    if validate:
        summary.seconds["validate"] = validate_seconds
    clock = time.perf_counter()
    texts = write_texts(result, work / "text")
    load_store(candidate, out / "store")
    os.replace(candidate, out / "graph.nq")  # same folder: an atomic rename
    shutil.rmtree(out / "text", ignore_errors=True)
    os.replace(texts, out / "text")
    summary.seconds["load"] = time.perf_counter() - clock
    return summary


TEXT_SUMS = "SHA256SUMS"
"""In ``text/``: the sha256 of each text, in the form ``sha256sum -c`` checks."""


def write_texts(
    result: CorpusResult, folder: Path, reuse: Callable[[str], Path | None] = lambda _n: None
) -> Path:
    """Each document's text as its reader produced it, ``text/<file name>.txt``, and its
    sha256 in ``text/SHA256SUMS``.

    Spans (``pk:sourceStart``/``pk:sourceEnd``) count code points of this text, which for
    an HTML, Word or PDF file is not the file itself: here is what they point into.
    ``reuse(name)``: a previous build's file with the same bytes, linked instead of
    written again.
    """
    folder.mkdir()
    sums = []
    for d in result.documents:
        name = f"{d.extraction.source.name}.txt"
        old = reuse(d.extraction.source.name)
        if old is not None:
            try:
                os.link(old, folder / name)
                sums.append(f"{hashlib.sha256(old.read_bytes()).hexdigest()}  {name}\n")
                continue
            except OSError:
                pass
        data = d.extraction.source.raw.encode("utf-8")
        (folder / name).write_bytes(data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
    (folder / TEXT_SUMS).write_text("".join(sorted(sums, key=lambda s: s[66:])), encoding="utf-8")
    return folder


def build_incremental(seeds, out, work, workers, validate, shapes, strict, progress):
    from policykg.incremental import build_cached  # the cached corpus step, kept apart

    return build_cached(seeds, out, work, workers, validate, shapes, strict, progress)


def leave_out_violators(report, candidate: Path, result: CorpusResult, *, seeds: Path,
                        strict: bool, workers: int, progress: Callable[[str], None],
                        cache=None) -> CorpusResult:
    """``result`` without the documents whose graphs ``report`` blames, each named on
    ``progress``; BuildError when the violation belongs to no document (or to all of
    them), or under ``--strict``. Clean and incremental builds share it."""
    blamed = None if strict else blame_documents(report, candidate, result.documents)
    if not blamed or len(blamed) == len(result.documents):
        raise BuildError(f"the graph violates the shapes; {_KEPT}.\n" + report.text())
    errors = [DocumentError(name, f"violates the shapes: {why}")
              for name, why in blamed.items()]
    for err in errors:
        progress(f"  ✗ {err}")
    result = without(result, blamed, workers=workers, progress=progress, cache=cache)
    result.failures.extend(errors)
    _check(result, seeds, strict)
    return result


def _check(result: CorpusResult, seeds: Path, strict: bool) -> None:
    """Refuse the build when nothing is left, or (``strict``) when anything failed."""
    if not result.documents:
        raise BuildError(f"none of the documents in {seeds} could be built; {_KEPT}")
    if strict and result.failures:
        names = ", ".join(f.name for f in result.failures)
        raise BuildError(f"{len(result.failures)} document(s) failed ({names}); "
                         f"--strict: {_KEPT}")


def _corpus_nquads(result: CorpusResult) -> Iterator[bytes]:
    """The corpus as sorted N-Quads blocks: each document's graph, then the shared
    vocabularies graph and the ontology (what :func:`write_sorted_blocks` merges)."""
    corpus = corpus_index(result.documents)
    refs: list[CitedRef] = []
    for d in result.documents:
        lines, doc_refs = document_nquads(
            d.extraction,
            doc=iris.document(d.slug),
            doc_slug=d.slug,
            agencies=d.agencies,
            corpus=corpus,
        )
        yield lines
        refs.extend(doc_refs)
    yield shared_lines(result, refs)

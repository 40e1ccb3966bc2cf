"""``policykg build``: documents → validated, sorted dump → Oxigraph store.

The order of the steps is the guarantee: the dump is written to a temporary file,
validated against the shapes, and only a conforming graph replaces the previous dump
and store. A failed build changes nothing a reader can see.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from extract.errors import DocumentError
from extract.pipeline import CorpusResult, corpus_quads, extract_corpus
from policykg.store import load_store, ontology_quads, write_sorted_nquads


class BuildError(Exception):
    """The build cannot produce a graph worth serving; the previous one stays."""


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


def build(
    seeds: Path,
    out: Path,
    *,
    workers: int = 1,
    validate: bool = True,
    shapes: Path | None = None,
    progress: Callable[[str], None] = print,
) -> BuildSummary:
    """Build ``out/graph.nq`` and ``out/store/`` from the documents in ``seeds``.

    ``shapes`` replaces the project's shapes file (a project reusing the pipeline with
    stricter or looser rules).
    """
    clock = time.perf_counter()
    try:
        result = extract_corpus(seeds, workers=workers, progress=progress)
    except DocumentError as err:
        raise BuildError(str(err)) from None
    if not result.documents:
        raise BuildError(f"none of the documents in {seeds} could be extracted")
    summary = summarize(result)
    summary.seconds["extract"] = time.perf_counter() - clock

    clock = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as tmp:
        candidate = Path(tmp) / "graph.nq"
        quads = chain(corpus_quads(result), ontology_quads())
        summary.triples = write_sorted_nquads(quads, candidate)
        summary.seconds["serialize"] = time.perf_counter() - clock

        if validate:
            clock = time.perf_counter()
            from shapes.validate import validate_dataset

            report = validate_dataset([candidate], shapes=shapes)
            summary.seconds["validate"] = time.perf_counter() - clock
            summary.warnings = len(report.warnings)
            if not report.conforms:
                raise BuildError(
                    "the graph violates the shapes; the previous build is kept.\n" + report.text()
                )

        clock = time.perf_counter()
        load_store(candidate, out / "store")
        os.replace(candidate, out / "graph.nq")  # same folder: an atomic rename
        summary.seconds["load"] = time.perf_counter() - clock
    return summary

"""Scale-out: the build of :mod:`policykg.build` on a Dask cluster, N-Quads shards merged.

Why this shape: extracting a document is a pure function of (document, shared data), so
it can run anywhere; only a few small things depend on the whole corpus — the industry
scheme grown from the documents' own lists (in file-name order), duplicate slugs, the
index that links citations to corpus documents, and the agencies' merged labels. The
run therefore has four steps, and only small records ever travel to the driver:

1. *map* — every worker reads and normalizes its documents (a ``dask.bag`` over the
   sorted file list, kept in the workers' memory);
2. *ordered pass* — the driver streams the normalized texts partition by partition, in
   file order, to grow the industry scheme exactly as :func:`extract_corpus` does;
3. *map* — every worker extracts its documents with that scheme; the driver collects
   one small summary per document (slug, title, 文号, agencies) and settles slugs, the
   citation index and the agency labels;
4. *map* — every worker writes the quads of its documents as one sorted N-Quads shard;
   the driver writes the vocabularies (+ ontology) shard, merges the sorted shards
   (a k-way merge that drops duplicate lines) into ``graph.nq`` and bulk-loads it with
   Oxigraph's bulk loader into ``store/`` (swapped in atomically, like a build).

The merged ``graph.nq`` is byte-identical to ``policykg build``'s for the same folder
(``tests/test_scaleout.py`` asserts it on a 2-worker local cluster). SHACL validation
is not distributed: run ``policykg validate out/graph.nq`` afterwards.

    # a running cluster (dask scheduler + workers sharing the folder, e.g. NFS)
    python -m policykg.distributed --seeds corpus/ --out build/ --scheduler tcp://host:8786
    # or a local cluster of N worker processes
    python -m policykg.distributed --seeds corpus/ --out build/ --local-workers 2

Needs ``dask[bag]`` and ``distributed`` (the ``scale`` extra); nothing else imports this
module, so the rest of the project does not depend on Dask.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from policykg.extract import iris
from policykg.extract.errors import DocumentError
from policykg.extract.graph import CitedRef, CorpusIndex, document_nquads
from policykg.extract.industries import IndustryScheme
from policykg.extract.pipeline import (
    dedupe_slugs,
    extract_source,
    list_documents,
    vocabulary_quads,
)
from policykg.extract.places.gazetteer import Gazetteer
from policykg.extract.readers import read_source as read_document


@dataclass
class DistributedSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    shards: int = 0
    quads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# -- what runs on the workers (module-level: shipped by reference) ----------------------------

@dataclass(frozen=True)
class _Failure:
    """A failed document as it travels between processes (plain fields pickle anywhere)."""

    name: str
    reason: str


def _failure(err: DocumentError) -> _Failure:
    return _Failure(err.name, err.reason)


def _read(path: str):
    try:
        return read_document(Path(path))
    except DocumentError as err:
        return _failure(err)


def _extract(source, scheme: IndustryScheme, gazetteer: Gazetteer):
    if isinstance(source, _Failure):
        return source
    outcome = extract_source((source, scheme, gazetteer))
    return _failure(outcome) if isinstance(outcome, DocumentError) else outcome


def _summary(item) -> tuple:
    """The small record the driver needs of one document (never its text or sections)."""
    if isinstance(item, _Failure):
        return ("error", item.name, item.reason)
    meta = item.extraction.meta
    return ("ok", item.extraction.source.name, item.slug, meta.title, meta.doc_number,
            item.agencies, item.originals, item.regions)


def _write_shard(items: Iterable, slugs: dict[str, str], corpus: CorpusIndex,
                 out_dir: str) -> list[tuple[str | None, list[CitedRef]]]:
    """One partition's document quads as a sorted shard; returns (path, refs in doc order)."""
    from policykg.store import join_sorted

    blocks, refs = [], []
    first = None
    for d in items:
        if isinstance(d, _Failure):
            continue
        name = d.extraction.source.name
        first = first or name
        slug = slugs[name]
        doc_lines, doc_refs = document_nquads(
            d.extraction, doc=iris.document(slug), doc_slug=slug, agencies=d.agencies,
            corpus=corpus)
        blocks.append(doc_lines)
        refs.extend(doc_refs)
    if first is None:
        return [(None, refs)]
    path = Path(out_dir) / f"shard-{first}.nq"
    path.write_bytes(join_sorted(blocks))
    return [(str(path), refs)]


# -- the driver --------------------------------------------------------------------------------

def build_distributed(
    seeds: Path,
    out: Path,
    client,
    *,
    partitions: int | None = None,
    progress: Callable[[str], None] = print,
) -> DistributedSummary:
    """Build ``out/graph.nq`` and ``out/store/`` from ``seeds`` on the cluster of ``client``."""
    import dask
    import dask.bag as db

    from policykg.outdir import claim
    from policykg.store import load_store, merge_sorted_runs, ontology_quads, sorted_nquads

    summary = DistributedSummary()
    clock = time.perf_counter()
    paths = [str(p.resolve()) for p in list_documents(seeds)]
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    nparts = partitions or min(len(paths), workers * 4)
    gazetteer = Gazetteer.load()
    scheme = IndustryScheme.load()

    # 1. map: read and normalize
    sources = db.from_sequence(paths, npartitions=nparts).map(_read).persist()
    # 2. ordered pass: the scheme grows in file-name order, partition by partition
    for part in sources.to_delayed():
        for source in part.compute():
            if not isinstance(source, _Failure):
                scheme.extend_from(source.text)
    summary.seconds["read"] = time.perf_counter() - clock

    # 3. map: extract; the driver settles what depends on the whole corpus
    clock = time.perf_counter()
    scheme_d = dask.delayed(scheme, pure=True)
    gazetteer_d = dask.delayed(gazetteer, pure=True)
    extracted = sources.map(_extract, scheme_d, gazetteer_d).persist()
    summaries = extracted.map(_summary).compute()
    del sources
    docs = []
    for s in summaries:
        if s[0] == "error":
            summary.failed.append(s[1])
            progress(f"  ✗ {s[1]}: {s[2]}")
        else:
            _, name, slug, title, number, agencies, originals, regions = s
            docs.append(SimpleNamespace(name=name, slug=slug, title=title, doc_number=number,
                                        agencies=agencies, originals=originals,
                                        regions=regions))
    if not docs:
        raise DocumentError(str(seeds), "none of the documents could be extracted")
    dedupe_slugs(docs)
    corpus = CorpusIndex()
    for d in docs:
        corpus.add(iris.document(d.slug), d.title, d.doc_number)
    summary.documents = len(docs)
    summary.seconds["extract"] = time.perf_counter() - clock

    # 4. map: shards; the driver writes the vocabularies, merges and loads
    clock = time.perf_counter()
    with claim(out) as (work, _stale_removed):  # one build at a time into out (outdir.py)
        tmp = str(work)
        slugs = {d.name: d.slug for d in docs}
        written = extracted.map_partitions(
            _write_shard, dask.delayed(slugs, pure=True), dask.delayed(corpus, pure=True),
            tmp).compute()
        shard_paths = [p for p, _refs in written if p]
        refs = [r for _p, part_refs in written for r in part_refs]
        vocab = Path(tmp) / "shard-vocabularies.nq"
        vocab.write_bytes(sorted_nquads([*vocabulary_quads(docs, refs, scheme, gazetteer),
                                         *ontology_quads()]))
        shard_paths.append(str(vocab))
        summary.shards = len(shard_paths)
        summary.seconds["shards"] = time.perf_counter() - clock

        clock = time.perf_counter()
        merged = Path(tmp) / "graph.nq"
        summary.quads = merge_sorted_runs([Path(p) for p in shard_paths], merged)
        load_store(merged, out / "store")
        os.replace(merged, out / "graph.nq")
        summary.seconds["merge_load"] = time.perf_counter() - clock
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="folder of documents")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--local-workers", type=int, help="start a local cluster of N processes")
    parser.add_argument("--partitions", type=int, help="default: 4 per worker")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        s = build_distributed(args.seeds, args.out, client, partitions=args.partitions)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in s.seconds.items())
    print(f"documents {s.documents}" + (f" ({len(s.failed)} failed)" if s.failed else ""))
    print(f"shards    {s.shards}\nquads     {s.quads}\nseconds   {sum(s.seconds.values()):.2f}"
          f" ({timing})")
    return 1 if s.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

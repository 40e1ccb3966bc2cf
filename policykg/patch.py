"""An incremental build's corpus step: the graphs that changed, written into the previous
build's dump and store instead of rebuilding all of them.

Each document's named graph is a pure function of its cached extraction and of the
corpus-wide inputs :func:`extract.graph.document_quads` reads (its slug, where its
citations point), so it is kept as sorted N-Quads under a key of those
(:meth:`policykg.cache.Cache.graph_key`). The shared vocabularies graph and the ontology
are recomputed every time. What changed since the previous build is then the set of
graphs whose key differs; the new dump is the previous one with those graphs' lines
replaced (a merge of two sorted streams), which gives exactly the bytes a clean build
writes, because the dump is nothing but the sorted lines of all graphs.
"""

from __future__ import annotations

import heapq
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from policykg.cache import Cache
from policykg.extract import iris
from policykg.extract.graph import VOCABULARIES, CitedRef, CorpusIndex, document_quads
from policykg.extract.pipeline import CorpusResult, vocabulary_quads
from policykg.ontology.vocab import ONTOLOGY_IRI
from policykg.store import STORE_DUMP, merge_sorted_runs, ontology_quads, sorted_nquads

BATCH = 200
"""Document graphs merged into one sorted run at a time by a full assembly."""


@dataclass
class DocGraph:
    name: str  # file name
    iri: str  # graph name = document IRI
    key: str  # cache key of its quads
    refs: list[CitedRef]
    compute: Callable[[], tuple[list, list[CitedRef]]] = field(repr=False)
    cache: Cache = field(repr=False)

    def lines(self) -> bytes:
        """Its sorted N-Quads: from the cache, or computed again when the entry is bad."""
        data = self.cache.graph_bytes(self.key)
        if data is None:
            quads, refs = self.compute()
            data = sorted_nquads(quads)
            self.cache.put_graph(self.key, data, refs)
        return data


def document_graphs(result: CorpusResult, cache: Cache) -> list[DocGraph]:
    """Every document's graph, from the cache or computed now (and cached)."""
    corpus = CorpusIndex()
    for d in result.documents:
        corpus.add(iris.document(d.slug), d.extraction.meta.title, d.extraction.meta.doc_number)
    graphs = []
    for d in result.documents:
        ex = d.extraction
        doc = iris.document(d.slug)
        points = [(ref.iri.value, ref.in_corpus) for ref in map(corpus.resolve, ex.citations)]
        key = cache.graph_key(ex.source.name, d.slug, points)
        compute = partial(document_quads, ex, doc=doc, doc_slug=d.slug, agencies=d.agencies,
                          corpus=corpus)
        refs = cache.graph(key)
        if refs is None:
            quads, refs = compute()
            cache.put_graph(key, sorted_nquads(quads), refs)
        graphs.append(DocGraph(ex.source.name, doc.value, key, refs, compute, cache))
    return graphs


def shared_lines(result: CorpusResult, graphs: list[DocGraph]) -> bytes:
    """The vocabularies graph and the ontology, as sorted N-Quads lines."""
    refs = [r for g in graphs for r in g.refs]
    quads = [*vocabulary_quads(result.documents, refs, result.scheme, result.gazetteer),
             *ontology_quads()]
    return sorted_nquads(quads)


SHARED_GRAPHS = (VOCABULARIES.value, ONTOLOGY_IRI)


def _suffixes(graph_iris: Iterable[str]) -> tuple[bytes, ...]:
    return tuple(f" <{g}> .\n".encode() for g in graph_iris)


def full_dump(graphs: list[DocGraph], shared: bytes, target: Path) -> int:
    """The dump from every graph's cached lines: sorted runs of ``BATCH`` graphs, merged."""
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".runs-") as tmp:
        runs = [Path(tmp) / "shared.nq"]
        runs[0].write_bytes(shared)
        for i in range(0, len(graphs), BATCH):
            lines = [line for g in graphs[i:i + BATCH]
                     for line in g.lines().splitlines(keepends=True)]
            lines.sort()
            run = Path(tmp) / f"run-{i}.nq"
            run.write_bytes(b"".join(lines))
            runs.append(run)
        return merge_sorted_runs(runs, target)


def patched_dump(previous: Path, changed: set[str], new_lines: list[bytes], target: Path) -> int:
    """``previous`` without the lines of the graphs ``changed``, merged with ``new_lines``
    (sorted): the dump of the new build, in one pass over the old one."""
    drop = _suffixes(changed)
    count = 0
    with previous.open("rb") as old, target.open("wb") as out:
        kept = (line for line in old if not line.endswith(drop))
        last = None
        for line in heapq.merge(kept, new_lines):
            if line != last:
                out.write(line)
                count += 1
                last = line
    return count


def graph_lines(graphs: Iterable[DocGraph]) -> Iterator[bytes]:
    for g in graphs:
        yield from g.lines().splitlines(keepends=True)


def patch_store(previous: Path, changed: set[str], new_lines: list[bytes], dump: Path,
                store_dir: Path) -> int:
    """The store of ``previous`` with the graphs ``changed`` replaced by ``new_lines``,
    swapped in for ``store_dir`` as :func:`policykg.store.load_store` does.

    The old store is copied by a RocksDB checkpoint (hard links to its immutable files),
    so the copy costs little and the old store keeps serving until the swap.
    """
    store_dir = store_dir.resolve()
    staging = Path(tempfile.mkdtemp(dir=store_dir.parent, prefix=f".{store_dir.name}.new-"))
    try:
        os.rmdir(staging)
        Store.read_only(str(previous)).backup(str(staging))
        store = Store(str(staging))
        for g in sorted(changed):
            node = NamedNode(g)
            if store.contains_named_graph(node):
                store.remove_graph(node)
        store.extend(parse(b"".join(new_lines), format=RdfFormat.N_QUADS))
        store.flush()
        count = len(store)
        del store
        (staging / STORE_DUMP).unlink(missing_ok=True)
        try:
            os.link(dump, staging / STORE_DUMP)
        except OSError:
            shutil.copyfile(dump, staging / STORE_DUMP)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = Path(tempfile.mkdtemp(dir=store_dir.parent, prefix=f".{store_dir.name}.old-"))
    os.replace(store_dir, retired / "store")
    os.replace(staging, store_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return count


def same_file(path: Path, stamp: dict | None) -> bool:
    """Whether ``path`` is still the file ``stamp`` (from :func:`file_stamp`) describes."""
    try:
        return stamp is not None and file_stamp(path) == stamp
    except OSError:
        return False


def file_stamp(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino}

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

import mmap
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from policykg.cache import Cache
from policykg.extract import iris
from policykg.extract.graph import VOCABULARIES, CitedRef, document_nquads
from policykg.extract.pipeline import CorpusResult, corpus_index, vocabulary_quads
from policykg.ontology.vocab import ONTOLOGY_IRI
from policykg.store import (
    STORE_DUMP,
    ontology_quads,
    sorted_nquads,
    write_sorted_blocks,
)


@dataclass
class DocGraph:
    name: str  # file name
    iri: str  # graph name = document IRI
    key: str  # cache key of its quads
    refs: list[CitedRef]
    compute: Callable[[], tuple[bytes, list[CitedRef]]] = field(repr=False)
    cache: Cache = field(repr=False)

    def lines(self) -> bytes:
        """Its sorted N-Quads: from the cache, or computed again when the entry is bad."""
        data = self.cache.graph_bytes(self.key)
        if data is None:
            data, refs = self.compute()
            self.cache.put_graph(self.key, data, refs)
        return data


def document_graphs(result: CorpusResult, cache: Cache) -> list[DocGraph]:
    """Every document's graph, from the cache or computed now (and cached)."""
    corpus = corpus_index(result.documents)
    graphs = []
    for d in result.documents:
        ex = d.extraction
        doc = iris.document(d.slug)
        points = [(ref.iri.value, ref.in_corpus) for ref in map(corpus.resolve, ex.citations)]
        key = cache.graph_key(ex.source.name, d.slug, points)
        compute = partial(document_nquads, ex, doc=doc, doc_slug=d.slug, agencies=d.agencies,
                          corpus=corpus)
        refs = cache.graph(key)
        if refs is None:
            data, refs = compute()
            cache.put_graph(key, data, refs)
        graphs.append(DocGraph(ex.source.name, doc.value, key, refs, compute, cache))
    return graphs


def shared_lines(result: CorpusResult, refs: Iterable[CitedRef]) -> bytes:
    """The vocabularies graph (with the stubs of what ``refs`` cite outside the corpus)
    and the ontology, as sorted N-Quads lines."""
    quads = [*vocabulary_quads(result.documents, list(refs), result.scheme, result.gazetteer),
             *ontology_quads()]
    return sorted_nquads(quads)


SHARED_GRAPHS = (VOCABULARIES.value, ONTOLOGY_IRI)


def _suffixes(graph_iris: Iterable[str]) -> tuple[bytes, ...]:
    return tuple(f" <{g}> .\n".encode() for g in graph_iris)


def full_dump(graphs: list[DocGraph], shared: bytes, target: Path) -> int:
    """The dump from every graph's cached lines, merged in sorted runs."""
    return write_sorted_blocks(chain([shared], (g.lines() for g in graphs)), target)


@dataclass
class Delta:
    """What turns the previous build's dump into the new one, for the dump and the store."""

    removed: dict[str, list[bytes]]  # graph -> its old lines that are gone (found in the dump)
    whole: list[str]  # graphs replaced whole: their old lines were not known or not found
    added: list[bytes]  # sorted new lines not already in the dump
    new_lines: list[bytes]  # every line of the changed graphs in the new build, sorted


def patched_dump(previous: Path, changed: Mapping[str, bytes | None] | Iterable[str],
                 new_lines: list[bytes], target: Path,
                 previous_count: int | None = None) -> tuple[int, Delta]:
    """``previous`` with the graphs ``changed`` as ``new_lines`` (sorted) give them: the
    dump of the new build. Returns the number of lines written and the :class:`Delta`.

    The old dump is not read line by line (a Python step for each of its millions of
    lines was most of an incremental build). ``changed`` maps a graph IRI to its sorted
    lines in the previous build where the cache has them: only those of them that are
    gone are dropped, each found by a binary search over the sorted lines, and only new
    lines that were not there are inserted, each at the place a binary search finds. A
    graph without them (or whose lines are not all found) is replaced whole, its old
    lines found by searching the mapped file for its suffix. The unchanged stretches
    between these edits are copied by the kernel (:func:`os.copy_file_range`).
    ``previous_count``, the old dump's number of lines, spares counting them.

    The cache's lines of a graph are trusted to be all of its lines in the old dump: the
    caller passes them only for the dump the previous build wrote (:func:`same_file`).
    """
    if not isinstance(changed, Mapping):
        changed = dict.fromkeys(changed)
    with previous.open("rb") as old, target.open("wb", buffering=0) as out:
        size = os.fstat(old.fileno()).st_size
        if size == 0:
            lines = list(dict.fromkeys(new_lines))
            out.write(b"".join(lines))
            return len(lines), Delta({}, sorted(changed), lines, new_lines)
        with mmap.mmap(old.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            delta, drops = _delta(mm, size, changed, new_lines)
            dropped = {start for start, _ in drops}
            inserts, at = [], 0
            for line in delta.added:
                at = _lower_bound(mm, line, at, size)
                if at not in dropped and mm[at:at + len(line)] == line:
                    continue  # already there, and kept
                inserts.append((at, line))
            # at one offset the new lines go first, then the old line there is dropped
            edits = sorted([(at, 0, line) for at, line in inserts]
                           + [(start, 1, end) for start, end in drops])
            cursor = 0
            for at, kind, arg in edits:
                _copy_range(old.fileno(), mm, out, cursor, at)
                cursor = max(cursor, at)
                if kind == 0:
                    _write_all(out, arg)
                else:
                    cursor = arg
            _copy_range(old.fileno(), mm, out, cursor, size)
            if previous_count is None:
                previous_count = _count_lines(mm)
    return previous_count - len(drops) + len(inserts), delta


def _delta(mm: mmap.mmap, size: int, changed: Mapping[str, bytes | None],
           new_lines: list[bytes]) -> tuple[Delta, list[tuple[int, int]]]:
    """The delta and the (start, end) byte spans of the old lines to drop, in file order."""
    new = set(new_lines)
    kept: set[bytes] = set()
    removed, whole, spans = {}, [], []
    for graph, lines in changed.items():
        if lines is not None:
            old = lines.splitlines(keepends=True)
            gone = [line for line in old if line not in new]
            found = _find_lines(mm, gone, size)
            if found is not None:
                removed[graph] = gone
                spans += found
                kept.update(line for line in old if line in new)
                continue
        whole.append(graph)
    spans += _spans_of_graphs(mm, whole)
    added = [line for line in dict.fromkeys(new_lines) if line not in kept]
    return Delta(removed, whole, added, new_lines), sorted(spans)


def _find_lines(mm: mmap.mmap, lines: list[bytes], size: int) -> list[tuple[int, int]] | None:
    """The spans of the sorted ``lines`` in the dump, or None when one is not there (the
    caller searches then)."""
    spans, at = [], 0
    for line in lines:
        at = _lower_bound(mm, line, at, size)
        end = at + len(line)
        if mm[at:end] != line:
            return None
        spans.append((at, end))
        at = end
    return spans


def _spans_of_graphs(mm: mmap.mmap, graph_iris: Iterable[str]) -> list[tuple[int, int]]:
    """The (start, end) byte spans of the lines in the named graphs.

    A line belongs to graph ``g`` exactly when it ends in `` <g> .\\n`` (a newline only
    ever ends a line in N-Quads), so every match of that suffix ends one such line.
    """
    spans = []
    for suffix in _suffixes(graph_iris):
        at = mm.find(suffix)
        while at >= 0:
            end = at + len(suffix)
            spans.append((mm.rfind(b"\n", 0, at) + 1, end))
            at = mm.find(suffix, end)
    return spans


def _lower_bound(mm: mmap.mmap, line: bytes, lo: int, hi: int) -> int:
    """The start of the first line in ``mm[lo:hi]`` not less than ``line`` (or ``hi``);
    ``lo`` and ``hi`` are line starts and the lines are sorted."""
    while lo < hi:
        mid = (lo + hi) // 2
        start = mm.rfind(b"\n", lo, mid) + 1 or lo
        end = mm.find(b"\n", start) + 1 or hi
        if mm[start:end] < line:
            lo = end
        else:
            hi = start
    return lo


COPY_CHUNK = 1 << 30


def _copy_range(fd: int, mm: mmap.mmap, out, start: int, end: int) -> None:
    """``mm[start:end]`` appended to ``out``, by the kernel where it can."""
    while start < end:
        try:
            copied = os.copy_file_range(fd, out.fileno(), min(end - start, COPY_CHUNK),
                                        offset_src=start)
        except (AttributeError, OSError):  # another OS, or file systems it cannot copy between
            _write_all(out, memoryview(mm)[start:end])
            return
        if copied == 0:
            raise OSError(f"the previous dump ended at {start} bytes while being read")
        start += copied


def _write_all(out, data) -> None:
    view = memoryview(data)
    while view:
        view = view[out.write(view):]


def _count_lines(mm: mmap.mmap, block: int = 1 << 26) -> int:
    return sum(mm[i:i + block].count(b"\n") for i in range(0, len(mm), block))


def graph_lines(graphs: Iterable[DocGraph]) -> Iterator[bytes]:
    for g in graphs:
        yield from g.lines().splitlines(keepends=True)


def patch_store(previous: Path, delta: Delta, dump: Path, store_dir: Path) -> None:
    """The store of ``previous`` with ``delta`` applied, swapped in for ``store_dir`` as
    :func:`policykg.store.load_store` does.

    The old store is copied by a RocksDB checkpoint (hard links to its immutable files),
    so the copy costs little and the old store keeps serving until the swap. Quads are
    removed and added one by one where the delta lists them; a graph replaced whole, or
    one whose changed lines hold blank nodes (the store labels those itself), is removed
    and loaded again whole.
    """
    whole = _replaced_whole(delta)
    suffixes = _suffixes(whole)
    added = [line for line in delta.added if not line.endswith(suffixes)]
    added += [line for line in delta.new_lines if line.endswith(suffixes)]
    gone = [line for g, lines in delta.removed.items() if g not in whole for line in lines]
    store_dir = store_dir.resolve()
    staging = Path(tempfile.mkdtemp(dir=store_dir.parent, prefix=f".{store_dir.name}.new-"))
    try:
        os.rmdir(staging)
        Store.read_only(str(previous)).backup(str(staging))
        store = Store(str(staging))
        for g in sorted(whole):
            node = NamedNode(g)
            if store.contains_named_graph(node):
                store.remove_graph(node)
        for quad in parse(b"".join(gone), format=RdfFormat.N_QUADS):
            store.remove(quad)
        store.extend(parse(b"".join(added), format=RdfFormat.N_QUADS))
        store.flush()
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


def _replaced_whole(delta: Delta) -> set[str]:
    """The graphs the store replaces whole: the dump's, and those whose changed lines name
    a blank node (``_:`` anywhere in them, to be safe)."""
    whole = set(delta.whole)
    for graph, gone in delta.removed.items():
        (suffix,) = _suffixes([graph])
        if any(b"_:" in line for line in gone) or any(
                b"_:" in line and line.endswith(suffix) for line in delta.added):
            whole.add(graph)
    return whole


def same_file(path: Path, stamp: dict | None) -> bool:
    """Whether ``path`` is still the file ``stamp`` (from :func:`file_stamp`) describes."""
    try:
        return stamp is not None and file_stamp(path) == stamp
    except OSError:
        return False


def file_stamp(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino}

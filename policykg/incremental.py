"""``policykg build`` with the cache: only what changed is extracted, written and validated.

The steps are those of :func:`policykg.build._build`, and so is the result, byte for byte:

* extraction: per-document results from ``out/cache/`` (:mod:`policykg.cache`), the
  corpus-wide steps (industry scheme, slugs) recomputed from them;
* the dump: every document's graph from the cache, the previous ``graph.nq`` patched with
  the graphs whose key changed (:mod:`policykg.patch`), or assembled from the cached
  graphs when there is no usable previous dump;
* validation: the changed graphs, with the shared vocabularies, the ontology and the
  corpus documents they cite. A document graph that did not change, whose citations and
  vocabulary did not change, gives the shapes what they saw last time; any violation
  found sends the build to a full validation (so which documents are left out is decided
  exactly as a clean build decides it);
* the store: the previous store copied by checkpoint and patched, or loaded anew.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from policykg.build import (
    UsageError,
    _check,
    leave_out_violators,
    summarize,
    write_texts,
)
from policykg.cache import CACHE_DIR, Cache
from policykg.extract.errors import DocumentError
from policykg.extract.pipeline import extract_corpus
from policykg.patch import (
    SHARED_GRAPHS,
    document_graphs,
    file_stamp,
    full_dump,
    graph_lines,
    patch_store,
    patched_dump,
    same_file,
    shared_lines,
)
from policykg.store import load_store

PATCH_LIMIT = 0.5
"""Above this share of changed graphs, the dump is assembled whole instead of patched."""


def build_cached(seeds, out, work, workers, validate, shapes, strict, progress):
    cache = Cache(out / CACHE_DIR)
    previous = cache.manifest() or {}
    clock = time.perf_counter()
    try:
        result = extract_corpus(seeds, workers=workers, progress=progress, cache=cache)
    except DocumentError as err:
        raise UsageError(str(err)) from None
    _check(result, seeds, strict)
    seconds = {"extract": time.perf_counter() - clock, "serialize": 0.0}
    usable = same_file(out / "graph.nq", previous.get("dump"))
    old_graphs = previous.get("graphs") if usable else None
    candidate = work / "graph.nq"
    validation_key = _validation_key(shapes) if validate else None
    warnings, counts = 0, {}
    while True:
        clock = time.perf_counter()
        graphs = document_graphs(result, cache)
        shared = shared_lines(result, (r for g in graphs for r in g.refs))
        shared_by_graph = {g: _lines_of(shared, g) for g in SHARED_GRAPHS}
        shared_sha = {g: cache.put_shared(b"".join(lines)) for g, lines in shared_by_graph.items()}
        keys = {g.iri: g.key for g in graphs}
        changed = None
        if old_graphs is not None:
            changed = {iri for iri, key in keys.items() if old_graphs.get(iri) != key}
            changed |= set(old_graphs) - set(keys)
            old_shared = previous.get("shared", {})
            changed |= {g for g in SHARED_GRAPHS if old_shared.get(g) != shared_sha[g]}
            if len(changed) > PATCH_LIMIT * max(len(keys), 1):
                changed = None
        if changed is None:
            triples = full_dump(graphs, shared, candidate)
            new_lines = delta = None
        else:
            new_lines = sorted([*graph_lines(g for g in graphs if g.iri in changed),
                                *(line for g, lines in shared_by_graph.items() if g in changed
                                  for line in lines)])
            triples, delta = patched_dump(out / "graph.nq",
                                          _previous_lines(changed, previous, cache),
                                          new_lines, candidate, previous.get("lines"))
        seconds["serialize"] += time.perf_counter() - clock
        if not validate:
            break
        clock = time.perf_counter()
        from policykg.shapes.validate import validate_dataset

        report = None
        if changed is not None and previous.get("validated") == validation_key:
            report, counts = _validate_changed(graphs, changed, shared, cache, work, shapes,
                                               validate_dataset)
            if report is not None:
                old = previous.get("warnings", {})
                counts |= {g: n for g, n in old.items() if g in keys and g not in changed}
        if report is None:  # no previous dump, or a violation: the whole graph, as always
            report = validate_dataset([candidate], shapes=shapes, trusted=True)
            counts = warnings_by_graph(report, candidate)
        warnings = sum(counts.values())
        seconds["validate"] = seconds.get("validate", 0.0) + time.perf_counter() - clock
        if report.conforms:
            break
        clock = time.perf_counter()
        result = leave_out_violators(report, candidate, result, seeds=seeds, strict=strict,
                                     workers=workers, progress=progress, cache=cache)
        seconds["extract"] += time.perf_counter() - clock

    summary = summarize(result)
    summary.triples, summary.warnings = triples, warnings
    summary.seconds.update(seconds)
    clock = time.perf_counter()
    old_texts = previous.get("texts", {})
    local_keys = {d.extraction.source.name: cache.local_key_of(d.extraction.source.name)
                  for d in result.documents}

    def reuse(name: str) -> Path | None:
        old = old_texts.get(name)
        path = out / "text" / f"{name}.txt"
        if old and old[0] == local_keys[name] and same_file(path, old[1]):
            return path
        return None

    texts = write_texts(result, work / "text", reuse)
    store = out / "store"
    if (delta is not None
            and same_file(store / "graph.nq", previous.get("dump"))):
        patch_store(store, delta, candidate, store)
    else:
        load_store(candidate, store)
    os.replace(candidate, out / "graph.nq")
    shutil.rmtree(out / "text", ignore_errors=True)
    os.replace(texts, out / "text")
    summary.seconds["load"] = time.perf_counter() - clock
    text_stamps = {name: [local_keys[name], file_stamp(out / "text" / f"{name}.txt")]
                   for name in local_keys}
    cache.put_manifest({
        "dump": file_stamp(out / "graph.nq"),
        "lines": triples,
        "graphs": keys,
        "shared": shared_sha,
        "texts": text_stamps,
        "warnings": counts,
        "validated": validation_key,
    })
    cache.prune()
    progress(f"  cache: {cache.hits} documents reused, {cache.misses} extracted")
    return summary


def warnings_by_graph(report, dump: Path) -> dict[str, int]:
    """How many warnings fall to each graph (the first graph describing the focus; a focus
    described nowhere counts under ""): what an incremental build adds up for the graphs
    it does not validate again."""
    foci = [str(r.focus) for r in report.warnings]
    if not foci:
        return {}
    wanted = {f"<{f}>".encode() for f in foci}
    where: dict[str, str] = {}
    with dump.open("rb") as f:
        for line in f:
            subject = line[: line.find(b" ")]
            if subject in wanted:
                graph = line.rstrip()[:-2].rsplit(b" ", 1)[-1][1:-1].decode()
                focus = subject[1:-1].decode()
                if graph < where.get(focus, "\uffff"):
                    where[focus] = graph
    counts: dict[str, int] = {}
    for focus in foci:
        graph = where.get(focus, "")
        counts[graph] = counts.get(graph, 0) + 1
    return counts


def _validation_key(shapes: Path | None) -> str:
    """What the verdicts carried over from the previous build depend on besides the graphs:
    the shapes file's bytes and the validator's code. When it differs (other shapes, a
    new release, a previous build with ``--no-validate``), every graph is validated."""
    from policykg.shapes import compile as compiler
    from policykg.shapes import validate as validator

    h = hashlib.sha256()
    for path in (Path(shapes) if shapes is not None else validator.SHAPES_FILE,
                 Path(compiler.__file__), Path(validator.__file__)):
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _previous_lines(changed: set[str], previous: dict, cache: Cache) -> dict[str, bytes | None]:
    """Each changed graph's lines in the previous build, where the cache still has them:
    the patch finds them in the old dump by binary search instead of a scan."""
    old_graphs, old_shared = previous.get("graphs", {}), previous.get("shared", {})
    lines = {}
    for g in sorted(changed):
        if g in old_shared:
            lines[g] = cache.shared_bytes(old_shared[g])
        elif g in old_graphs:
            lines[g] = cache.graph_bytes(old_graphs[g], keep=False)
        else:
            lines[g] = b""  # a graph the previous build did not have
    return lines


def _lines_of(shared: bytes, graph: str) -> list[bytes]:
    suffix = f" <{graph}> .\n".encode()
    return [line for line in shared.splitlines(keepends=True) if line.endswith(suffix)]


def _validate_changed(graphs, changed, shared, cache, work, shapes, validate_dataset):
    """The report on the changed graphs and what they point to, or None when it finds a
    violation (the caller validates everything then)."""
    by_iri = {g.iri: g for g in graphs}
    checked = [by_iri[i] for i in sorted(changed) if i in by_iri]
    context = sorted({r.iri.value for g in checked for r in g.refs if r.in_corpus} - changed)
    subset = work / "changed.nq"
    with subset.open("wb") as f:
        f.write(shared)
        for line in graph_lines(checked):
            f.write(line)
        for line in graph_lines(by_iri[i] for i in context if i in by_iri):
            f.write(line)
    report = validate_dataset([subset], shapes=shapes, trusted=True)
    if report.violations:
        subset.unlink()
        return None, {}
    report.results = [r for r in report.results if str(r.focus) not in set(context)]
    counts = warnings_by_graph(report, subset)
    subset.unlink()
    return report, {g: n for g, n in counts.items() if g not in context}

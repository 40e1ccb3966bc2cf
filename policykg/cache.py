"""The build cache: per-document results kept in ``<out>/cache/`` for the next build.

Extraction is a pure function of (the file's bytes and name, the extractor's code, its
data files), so its result can be kept under a key hashed from exactly those
(:func:`fingerprint`) and reused whenever the same key comes back. Three kinds of entry:

* ``<key>.local.json``: the per-document steps (:func:`extract.pipeline.extract_local`);
  key = fingerprint + file name + sha256 of the file's bytes;
* ``<key>.applied.json``: the scheme steps' results (targets, task industries); key =
  the local key + the part of the grown industry scheme the document's text can see
  (:func:`extract.pipeline.scheme_view`);
* ``<key>.graph.json`` + ``<key>.nq``: the document's named graph as sorted N-Quads and
  the references it makes; key = the applied key + its IRI slug + where each of its
  citations points (the corpus-wide inputs of :func:`extract.graph.document_quads`).

Entries are JSON (never pickle: a cache folder may come from anywhere), written
atomically, and each names its own kind, key and format; an entry that does not parse,
names another key, or whose N-Quads do not hash to what it says is ignored and the
result computed again. Records are rebuilt only as the dataclasses of
:mod:`extract.model` (a whitelist), whose own checks (``Span``) run on the way in.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode

from policykg.extract import model
from policykg.extract.graph import CitedRef
from policykg.extract.pipeline import ExtractedDocument, scheme_applied, with_profiles

FORMAT = 2
"""Bumped when the layout of the entries changes (the fingerprint covers the code)."""

CACHE_DIR = "cache"
MANIFEST = "manifest.json"


@cache
def fingerprint() -> str:
    """sha256 over the extractor's code and data: every file of ``policykg.extract``
    (``*.py`` and ``data/*``) by relative path. Any change to a rule, a table or a
    reader gives a new fingerprint, so no entry of the old one is ever reused."""
    root = Path(model.__file__).parent
    h = hashlib.sha256(f"policykg-cache {FORMAT}\n".encode())
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        if path.suffix != ".py" and "data" not in path.relative_to(root).parts:
            continue
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# -- codec: records <-> JSON ------------------------------------------------------------

_CLASSES = {
    cls.__name__: cls
    for cls in (
        model.Span, model.SourceText, model.DocumentMeta, model.Section, model.Task,
        model.AgencyMention, model.Assignment, model.Citation, model.Target, model.Agency,
        model.DocumentExtraction, ExtractedDocument, CitedRef,
    )
}


def encode(obj):
    """``obj`` as plain JSON values, tagged where JSON has no type of its own.

    Dispatched on the type, its rule found once per type (:func:`_encoder`): the cache
    writes about 1,800 values per document, and a chain of ``isinstance`` tests and
    ``dataclasses.fields`` per record had been 5 % of a cold build's CPU.
    """
    kind = type(obj)
    if kind is str or kind is int or obj is None or kind is bool:
        return obj
    return _encoder(kind)(obj)


def _encode_tuple(obj: tuple):
    if len(obj) > 16 and all(type(x) is int for x in obj):
        return {"$runs": _runs(obj)}
    return {"$t": [encode(x) for x in obj]}


def _same(obj):
    return obj


def _encode_set(obj):
    return {"$set": sorted(encode(x) for x in obj)}


_ENCODERS = {
    str: _same,
    int: _same,  # and bool
    list: lambda obj: [encode(x) for x in obj],
    tuple: _encode_tuple,
    dict: lambda obj: {"$map": [[encode(k), encode(v)] for k, v in obj.items()]},
    set: _encode_set,
    frozenset: _encode_set,
    Decimal: lambda obj: {"$d": str(obj)},
    date: lambda obj: {"$date": obj.isoformat()},
    NamedNode: lambda obj: {"$iri": obj.value},
}


@cache
def _encoder(kind: type):
    """The rule for values of ``kind``: a whitelisted record class's fields by name, else
    the rule of its nearest base in ``_ENCODERS`` (a subclass of tuple is a tuple, a
    datetime a date); TypeError for anything else."""
    if is_dataclass(kind) and kind.__name__ in _CLASSES:
        name, names = kind.__name__, tuple(f.name for f in fields(kind))
        return lambda obj: {"$c": name, "f": {n: encode(getattr(obj, n)) for n in names}}
    for base in kind.__mro__:
        if base in _ENCODERS:
            return _ENCODERS[base]
    raise TypeError(f"cannot cache a {kind.__name__}")


def _runs(values: tuple[int, ...]) -> list[int]:
    """Offsets as (first value, length) runs of +1 steps: a document's offset map is
    mostly one long run, so it costs a few numbers instead of one per character."""
    out: list[int] = []
    for v in values:
        if out and v == out[-2] + out[-1]:
            out[-1] += 1
        else:
            out += [v, 1]
    return out


def _hook(d: dict):
    if "$c" in d:
        cls = _CLASSES[d["$c"]]  # KeyError on a class outside the whitelist: a bad entry
        return cls(**d["f"])
    if "$t" in d:
        return tuple(d["$t"])
    if "$runs" in d:
        r = d["$runs"]
        return tuple(v for i in range(0, len(r), 2) for v in range(r[i], r[i] + r[i + 1]))
    if "$map" in d:
        return {_hashable(k): v for k, v in d["$map"]}
    if "$set" in d:
        items = {_hashable(x) for x in d["$set"]}
        return frozenset(items)
    if "$d" in d:
        return Decimal(d["$d"])
    if "$date" in d:
        return date.fromisoformat(d["$date"])
    if "$iri" in d:
        return NamedNode(d["$iri"])
    return d


def _hashable(x):
    return tuple(x) if isinstance(x, list) else x


def decode(text: str):
    return json.loads(text, object_hook=_hook)


# -- the cache folder --------------------------------------------------------------------


class Cache:
    """Entries in ``folder``; every lookup is None on a miss or a bad entry.

    Satisfies :class:`extract.pipeline.DocumentCache`. ``used`` collects the entries a
    build read or wrote, so :meth:`prune` can drop the others after it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(".tmp-*"):
            stale.unlink(missing_ok=True)
        self.fingerprint = fingerprint()
        self.used: set[str] = {MANIFEST}
        self.hits = self.misses = 0
        self._local_keys: dict[str, str] = {}  # file name -> key of its local entry
        self._applied_keys: dict[str, str] = {}  # file name -> key of its applied entry

    # entries

    def _read(self, key: str, kind: str, keep: bool = True):
        """An entry's data, None when missing or not this key's; ``keep``: mark it used."""
        path = self.folder / f"{key}.{kind}.json"
        try:
            entry = decode(path.read_text(encoding="utf-8"))
            if (entry.get("format"), entry.get("kind"), entry.get("key")) != (FORMAT, kind, key):
                return None
            data = entry["data"]
        except Exception:  # missing, unreadable, not JSON, a foreign or damaged entry
            return None
        if keep:
            self.used.add(path.name)
        return data

    def _write(self, key: str, kind: str, data) -> None:
        text = json.dumps({"format": FORMAT, "kind": kind, "key": key, "data": encode(data)},
                          ensure_ascii=False, separators=(",", ":"))
        self._write_bytes(f"{key}.{kind}.json", text.encode())

    def _write_bytes(self, name: str, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.used.add(name)

    # the per-document step

    def local_key_of(self, name: str) -> str | None:
        """The key of the local entry this build used for file ``name``."""
        return self._local_keys.get(name)

    def local_key(self, path: Path) -> str:
        return digest(self.fingerprint, path.name, hashlib.sha256(path.read_bytes()).hexdigest())

    def local(self, path: Path) -> ExtractedDocument | None:
        """The per-document result of ``path`` when cached: a record whose extraction is
        read back from the summary entry and loads the rest only when a step needs it."""
        try:
            key = self.local_key(path)
        except OSError:
            return None  # the reader will report it
        summary = self._read(key, "summary")
        try:
            doc = _lazy_document(summary, lambda: self._full(key, path))
        except Exception:
            doc = None
        if doc is None or doc.extraction.source.name != path.name:
            self.misses += 1
            return None
        self.hits += 1
        self._local_keys[path.name] = key
        self.used.add(f"{key}.local.json")  # read only if a step needs it; keep it
        return doc

    def _full(self, key: str, path: Path) -> model.DocumentExtraction:
        doc = self._read(key, "local")
        if isinstance(doc, ExtractedDocument) and isinstance(doc.extraction,
                                                             model.DocumentExtraction):
            return doc.extraction
        # the summary outlived its entry: extract again (the pure function gives the same)
        from policykg.extract.pipeline import extract_local
        from policykg.extract.places.gazetteer import Gazetteer
        from policykg.extract.readers import read_source

        return extract_local(read_source(path), Gazetteer.load()).extraction

    def full(self, doc: ExtractedDocument) -> ExtractedDocument:
        """``doc`` with its whole extraction in memory (to hand to a worker process)."""
        ex = doc.extraction
        if not isinstance(ex, CachedExtraction):
            return doc
        full = replace(ex.full(), targets=ex.targets, task_industries=ex.task_industries,
                       task_industry_links=ex.task_industry_links, tasks=list(ex.tasks))
        return replace(doc, extraction=full)

    def put_local(self, path: Path, doc: ExtractedDocument) -> None:
        key = self.local_key(path)
        self._local_keys[path.name] = key
        self._write(key, "local", doc)
        self._write(key, "summary", _summary(doc))

    def _applied_key(self, doc: ExtractedDocument, view: str) -> str | None:
        local = self._local_keys.get(doc.extraction.source.name)
        return digest(local, view) if local else None

    def applied(self, doc: ExtractedDocument, view: str) -> ExtractedDocument | None:
        key = self._applied_key(doc, view)
        data = self._read(key, "applied") if key else None
        if not isinstance(data, dict) or set(data) != set(_APPLIED):
            return None
        if not all(isinstance(t, model.Target) for t in data["targets"]):
            return None
        if not isinstance(data["profiles"], tuple) or not all(
                isinstance(k, str) for k in data["profiles"]):
            return None
        self._applied_keys[doc.extraction.source.name] = key
        return scheme_applied(doc, *(data[name] for name in _APPLIED))

    def put_applied(self, doc: ExtractedDocument, view: str) -> None:
        key = self._applied_key(doc, view)
        if key is None:
            return
        self._applied_keys[doc.extraction.source.name] = key
        ex = doc.extraction
        self._write(key, "applied", {
            "targets": ex.targets, "task_industries": ex.task_industries,
            "task_industry_links": ex.task_industry_links,
            "profiles": tuple(t.key for t in ex.tasks if t.kind == "industry-profile")})

    # the graph step

    def graph_key(self, name: str, slug: str, targets: list[tuple[str, bool]]) -> str:
        applied = self._applied_keys[name]  # every document went through the scheme step
        return digest(applied, slug, *(f"{iri} {int(inside)}" for iri, inside in targets))

    def graph(self, key: str) -> list[CitedRef] | None:
        """The references of a cached graph; its lines are checked when read
        (:meth:`graph_bytes`), which an unchanged graph of a patched build never is."""
        data = self._read(key, "graph")
        try:
            refs = data["refs"]
            if not isinstance(data["sha256"], str) or not all(
                    isinstance(r, CitedRef) for r in refs):
                return None
        except Exception:
            return None
        if not (self.folder / f"{key}.nq").exists():
            return None
        self.used.add(f"{key}.nq")
        return refs

    def graph_bytes(self, key: str, keep: bool = True) -> bytes | None:
        """A cached graph's sorted N-Quads, None unless they hash to what the entry says.
        ``keep=False``: a previous build's graph, read to find its lines in the old dump
        and pruned after this build like any entry it does not use."""
        data = self._read(key, "graph", keep)
        try:
            lines = (self.folder / f"{key}.nq").read_bytes()
            if hashlib.sha256(lines).hexdigest() != data["sha256"]:
                return None
        except Exception:
            return None
        return lines

    def put_shared(self, lines: bytes) -> str:
        """Keep a shared graph's lines (vocabularies, ontology) under their sha256, which
        is returned: the next build finds them in this build's dump by them."""
        sha = hashlib.sha256(lines).hexdigest()
        name = f"shared-{sha}.nq"
        if self.shared_bytes(sha) is None:
            self._write_bytes(name, lines)
        self.used.add(name)
        return sha

    def shared_bytes(self, sha: str) -> bytes | None:
        """A shared graph's lines kept by :meth:`put_shared` (not marked used), or None."""
        try:
            lines = (self.folder / f"shared-{sha}.nq").read_bytes()
        except OSError:
            return None
        return lines if hashlib.sha256(lines).hexdigest() == sha else None

    def put_graph(self, key: str, lines: bytes, refs: list[CitedRef]) -> None:
        self._write_bytes(f"{key}.nq", lines)
        self._write(key, "graph", {"sha256": hashlib.sha256(lines).hexdigest(), "refs": refs})

    # what the previous build left

    def manifest(self) -> dict | None:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("fingerprint") != self.fingerprint:
                return None
            return data
        except Exception:
            return None

    def put_manifest(self, data: dict) -> None:
        data = {"format": FORMAT, "fingerprint": self.fingerprint, **data}
        self._write_bytes(MANIFEST, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())

    def prune(self) -> int:
        """Remove the entries this build did not use; returns how many."""
        removed = 0
        for path in self.folder.iterdir():
            if path.name not in self.used and not path.name.startswith(".tmp-"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


# -- a cached document, read back lazily ---------------------------------------------------


def _summary(doc: ExtractedDocument) -> dict:
    """What the corpus steps read of a document: everything but its text and records."""
    ex = doc.extraction
    return {
        "name": ex.source.name, "meta": ex.meta, "citations": ex.citations,
        "planned": ex.planned, "slug": doc.slug, "agencies": doc.agencies,
        "originals": doc.originals, "regions": doc.regions, "grows": doc.grows,
        "counts": [len(ex.sections), len(ex.tasks), len(ex.assignments)],
    }


def _lazy_document(summary, load) -> ExtractedDocument | None:
    if not isinstance(summary, dict) or not isinstance(summary.get("meta"), model.DocumentMeta):
        return None
    sections, tasks, assignments = (int(n) for n in summary["counts"])
    ex = CachedExtraction(load, str(summary["name"]), summary["meta"],
                          list(summary["citations"]), list(summary["planned"]),
                          {"sections": sections, "tasks": tasks, "assignments": assignments})
    originals = {k: set(v) for k, v in summary["originals"].items()}
    return ExtractedDocument(ex, str(summary["slug"]), dict(summary["agencies"]), originals,
                             frozenset(summary["regions"]), bool(summary["grows"]))


class _Sized:
    """A list known by its length until someone reads it."""

    def __init__(self, n: int, load) -> None:
        self._n, self._load = n, load

    def __len__(self) -> int:
        return self._n

    def __iter__(self):
        return iter(self._load())

    def __getitem__(self, i):
        return self._load()[i]


class _NamedSource:
    """A cached document's :class:`~extract.model.SourceText`: its name at once, the
    rest (text, offsets) read from the cache when asked for."""

    def __init__(self, name: str, owner: CachedExtraction) -> None:
        self.name = name
        self._owner = owner

    def __getattr__(self, attr):
        return getattr(self._owner.full().source, attr)


_APPLIED = ("targets", "task_industries", "task_industry_links", "profiles")
"""The scheme step's results, in :func:`extract.pipeline.scheme_applied`'s order."""


class CachedExtraction:
    """A :class:`~extract.model.DocumentExtraction` read back from the cache.

    Metadata and citations (what slugs, the corpus index and citations need) come from
    the small summary entry; sections, tasks, assignments and the text are loaded from
    the full entry on first use, so an unchanged document of a large corpus costs the
    build a few hundred bytes of JSON.
    """

    def __init__(self, load, name, meta, citations, planned, counts,
                 targets=None, task_industries=None, task_industry_links=None,
                 profiles=()) -> None:
        self._load, self._loaded, self._counts = load, None, counts
        self.source = _NamedSource(name, self)
        self.meta, self.citations, self.planned = meta, citations, planned
        self.targets = targets if targets is not None else []
        self.task_industries = task_industries if task_industries is not None else {}
        self.task_industry_links = task_industry_links if task_industry_links is not None else {}
        self._profiles = tuple(profiles)
        for field in counts:
            if field != "tasks":  # a property: the kinds come from the scheme step
                setattr(self, field, _Sized(counts[field], lambda f=field: getattr(self.full(), f)))

    def full(self) -> model.DocumentExtraction:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def applied(self, targets, task_industries, task_industry_links=None,
                profiles=()) -> CachedExtraction:
        ex = CachedExtraction(self._load, self.source.name, self.meta, self.citations,
                              self.planned, self._counts, targets, task_industries,
                              task_industry_links, profiles)
        ex._loaded = self._loaded
        return ex

    @property
    def tasks(self):
        """The full entry's tasks, with the kinds the scheme step gave them."""
        return _Sized(self._counts["tasks"],
                      lambda: with_profiles(self.full().tasks, self._profiles))

    def __getattr__(self, attr):  # task_regions, and anything else a step reads
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.full(), attr)

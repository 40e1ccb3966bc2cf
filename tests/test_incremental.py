"""Incremental builds: after adding, changing or removing a document, ``policykg build``
reuses the cache and patches the previous dump and store, and its output is the very
bytes of a clean build of the same folder (``graph.nq``, ``text/``, the store's quads).

The corpora are small synthetic plans (bench/gen_corpus.py and the plans of
test_build_edges), written fresh in each test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from policykg.shapes.validate import SHAPES_FILE
from pyoxigraph import RdfFormat, Store, serialize
from test_build_edges import NO_TOURISM_AGENCY, PLAN_A, PLAN_B, PLAN_BAD

from policykg import cache as cache_module
from policykg.build import build
from policykg.cache import CACHE_DIR, Cache, decode, encode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from gen_corpus import generate  # noqa: E402


def quiet(_line: str) -> None:
    pass


def store_lines(store_dir: Path) -> list[bytes]:
    store = Store.read_only(str(store_dir))
    data = serialize(store.quads_for_pattern(None, None, None), format=RdfFormat.N_QUADS)
    # the ontology's blank nodes are labelled by the store; compare everything else exactly
    return sorted(line for line in data.splitlines() if b"_:" not in line)


def assert_same_as_clean(docs: Path, out: Path, tmp: Path, **options) -> None:
    """``out`` (an incremental build of ``docs``) equals a clean build of ``docs``."""
    clean = tmp / f"clean-{len(list(tmp.iterdir()))}"
    build(docs, clean, progress=quiet, cache=False, **options)
    assert (out / "graph.nq").read_bytes() == (clean / "graph.nq").read_bytes()
    texts = sorted(p.name for p in (clean / "text").iterdir())
    assert sorted(p.name for p in (out / "text").iterdir()) == texts
    for name in texts:
        assert (out / "text" / name).read_bytes() == (clean / "text" / name).read_bytes()
    assert (out / "store" / "graph.nq").read_bytes() == (out / "graph.nq").read_bytes()
    assert store_lines(out / "store") == store_lines(clean / "store")


@pytest.fixture
def corpus(tmp_path):
    return generate(8, tmp_path / "docs", seed=11)


def test_change_add_remove_one_document_gives_the_bytes_of_a_clean_build(corpus, tmp_path):
    docs, out = corpus[0].parent, tmp_path / "out"
    lines: list[str] = []
    build(docs, out, progress=lines.append)
    assert "  cache: 0 documents reused, 8 extracted" in lines
    extra = generate(9, tmp_path / "more", seed=11)[-1]

    with corpus[3].open("a", encoding="utf-8") as f:  # change one
        f.write("\n（十）加强宣传引导。市委宣传部负责营造良好氛围。\n")
    lines.clear()
    build(docs, out, progress=lines.append)
    assert "  cache: 7 documents reused, 1 extracted" in lines
    assert_same_as_clean(docs, out, tmp_path)

    extra.rename(docs / extra.name)  # add one
    lines.clear()
    build(docs, out, progress=lines.append)
    assert "  cache: 8 documents reused, 1 extracted" in lines
    assert_same_as_clean(docs, out, tmp_path)

    corpus[5].unlink()  # remove one
    lines.clear()
    build(docs, out, progress=lines.append)
    assert "  cache: 8 documents reused, 0 extracted" in lines
    assert_same_as_clean(docs, out, tmp_path)
    for kind in ("local", "summary", "applied", "graph"):  # entries of gone versions pruned
        assert len(list((out / CACHE_DIR).glob(f"*.{kind}.json"))) == 8


def test_the_patch_finds_the_old_lines_from_the_cache_without_scanning(corpus, tmp_path,
                                                                       monkeypatch):
    """The changed graphs' previous lines (a document's graph, the shared vocabularies) are
    kept in the cache and found in the old dump by binary search: the suffix scan over the
    whole dump is only the fallback. Gone versions are pruned after the build."""
    from policykg import patch

    docs, out = corpus[0].parent, tmp_path / "out"
    build(docs, out, progress=quiet)
    scanned: list[list[str]] = []
    real = patch._spans_of_graphs
    monkeypatch.setattr(patch, "_spans_of_graphs",
                        lambda mm, graphs: scanned.append(list(graphs)) or real(mm, graphs))
    with corpus[2].open("a", encoding="utf-8") as f:
        f.write("\n（十）加强宣传引导。市委宣传部负责营造良好氛围。\n")
    build(docs, out, progress=quiet)
    assert scanned == [[]]
    assert_same_as_clean(docs, out, tmp_path)
    assert len(list((out / CACHE_DIR).glob("*.graph.json"))) == 8
    assert len(list((out / CACHE_DIR).glob("shared-*.nq"))) == 2

    for entry in (out / CACHE_DIR).glob("shared-*.nq"):  # without them, it scans: same bytes
        entry.unlink()
    corpus[4].unlink()
    scanned.clear()
    build(docs, out, progress=quiet)
    assert scanned and scanned[0]
    assert_same_as_clean(docs, out, tmp_path)


def test_a_document_that_grows_the_industry_scheme(tmp_path):
    """PLAN_BAD adds 氢能源汽车 to the scheme, which PLAN_B's tasks then name."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(PLAN_A, encoding="utf-8")
    (docs / "b.txt").write_text(PLAN_B, encoding="utf-8")
    out = tmp_path / "out"
    build(docs, out, progress=quiet)
    (docs / "c.txt").write_text(PLAN_BAD, encoding="utf-8")
    build(docs, out, progress=quiet)
    graph = (out / "graph.nq").read_bytes()
    assert b"/industry/qing-neng-yuan-qi-che>" in graph  # a concept c.txt grew
    assert_same_as_clean(docs, out, tmp_path)
    (docs / "c.txt").unlink()
    build(docs, out, progress=quiet)
    assert b"/industry/qing-neng-yuan-qi-che>" not in (out / "graph.nq").read_bytes()
    assert_same_as_clean(docs, out, tmp_path)


def test_a_violating_document_added_to_a_cached_build_is_left_out(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES_FILE.read_text(encoding="utf-8") + NO_TOURISM_AGENCY,
                      encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(PLAN_A, encoding="utf-8")
    (docs / "b.txt").write_text(PLAN_B, encoding="utf-8")
    out = tmp_path / "out"
    build(docs, out, shapes=shapes, progress=quiet)
    (docs / "bad.txt").write_text(PLAN_BAD, encoding="utf-8")
    summary = build(docs, out, shapes=shapes, progress=quiet)
    assert summary.failed == ["bad.txt"] and summary.documents == 2
    assert_same_as_clean(docs, out, tmp_path, shapes=shapes)
    summary = build(docs, out, shapes=shapes, progress=quiet)  # and again, all cached
    assert summary.failed == ["bad.txt"]
    assert_same_as_clean(docs, out, tmp_path, shapes=shapes)


# a rule only PLAN_BAD's task breaks, on a node of its own graph (not the vocabularies')
NO_STREET_TASK = """
pksh:TestNoStreetTask a sh:NodeShape ;
    sh:targetClass pk:Task ;
    sh:property [ sh:path pk:text ; sh:pattern "^[^街]*$" ;
                  sh:message "测试：任务不含“街”"@zh , "test: no task with 街"@en ] .
"""


def test_new_shapes_or_a_build_without_validation_validate_everything_next_time(tmp_path):
    """A verdict carried over from the previous build holds only for the shapes it was
    reached with: after ``--no-validate``, or with other shapes, the next build checks every
    graph again, unchanged ones too, and leaves out what a clean build leaves out."""
    strict_shapes = tmp_path / "shapes.ttl"
    strict_shapes.write_text(SHAPES_FILE.read_text(encoding="utf-8") + NO_STREET_TASK,
                             encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("a.txt", PLAN_A), ("b.txt", PLAN_B), ("bad.txt", PLAN_BAD)):
        (docs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert build(docs, out, validate=False, progress=quiet).documents == 3
    summary = build(docs, out, shapes=strict_shapes, progress=quiet)  # nothing changed
    assert summary.failed == ["bad.txt"] and summary.documents == 2
    assert_same_as_clean(docs, out, tmp_path, shapes=strict_shapes)

    out = tmp_path / "out2"
    assert build(docs, out, progress=quiet).documents == 3  # the shipped shapes pass it
    summary = build(docs, out, shapes=strict_shapes, progress=quiet)
    assert summary.failed == ["bad.txt"] and summary.documents == 2
    assert_same_as_clean(docs, out, tmp_path, shapes=strict_shapes)


def test_corrupt_and_foreign_entries_are_ignored_and_rebuilt(corpus, tmp_path):
    docs, out = corpus[0].parent, tmp_path / "out"
    build(docs, out, progress=quiet)
    folder = out / CACHE_DIR
    summaries = sorted(folder.glob("*.summary.json"))
    locals_ = sorted(folder.glob("*.local.json"))
    summaries[0].write_bytes(b"\x00not json")  # damaged
    other = json.loads(summaries[2].read_text(encoding="utf-8"))
    other["key"] = summaries[1].name.split(".")[0]  # an entry claiming another key
    summaries[1].write_text(json.dumps(other), encoding="utf-8")
    foreign = json.loads(locals_[3].read_text(encoding="utf-8"))
    foreign["data"] = {"$c": "Unknown", "f": {}}  # a class outside the whitelist
    locals_[3].write_text(json.dumps(foreign), encoding="utf-8")
    for nq in sorted(folder.glob("*.nq"))[:2]:
        nq.write_bytes(nq.read_bytes()[:-40])  # truncated graphs: their hash fails
    (out / "graph.nq").write_bytes(b"")  # and a dump that is not the previous build's
    lines: list[str] = []
    build(docs, out, progress=lines.append)
    assert "  cache: 6 documents reused, 2 extracted" in lines
    assert_same_as_clean(docs, out, tmp_path)


def test_no_cache_builds_everything_and_the_next_cached_build_starts_over(corpus, tmp_path):
    docs, out = corpus[0].parent, tmp_path / "out"
    build(docs, out, progress=quiet)
    lines: list[str] = []
    build(docs, out, progress=lines.append, cache=False)
    assert not any(line.startswith("  cache:") for line in lines)
    assert not (out / CACHE_DIR / "manifest.json").exists()
    build(docs, out, progress=lines.append)  # entries reused, dump assembled whole
    assert "  cache: 8 documents reused, 0 extracted" in lines
    assert_same_as_clean(docs, out, tmp_path)


def test_cli_has_no_cache_flag(corpus, tmp_path):
    from policykg.cli import main

    assert main(["build", "--seeds", str(corpus[0].parent), "--out", str(tmp_path / "o"),
                 "--no-cache"]) == 0
    assert not (tmp_path / "o" / CACHE_DIR).exists()


def test_text_checksums_are_written(corpus, tmp_path):
    import hashlib

    out = tmp_path / "out"
    build(corpus[0].parent, out, progress=quiet)
    sums = (out / "text" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 8
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((out / "text" / name).read_bytes()).hexdigest() == digest


def test_codec_round_trip_and_whitelist():
    from decimal import Decimal

    from policykg.extract.model import Span, Target

    target = Target("营业收入", Decimal("1.50"), "亿元", 2025, Span(3, 9), per_year=True)
    data = {"t": (1, 2), "offsets": tuple(range(40)) + (39, 40), "x": frozenset({"a"}),
            "target": target}
    assert decode(json.dumps(encode(data))) == data
    with pytest.raises(KeyError):
        decode('{"$c": "Path", "f": {}}')
    with pytest.raises(ValueError):
        decode('{"$c": "Span", "f": {"start": 5, "end": 2}}')


def test_the_fingerprint_changes_with_the_extractor(tmp_path, monkeypatch):
    first = cache_module.fingerprint()
    assert first == cache_module.fingerprint() and len(first) == 64
    cache = Cache(tmp_path / "c")
    path = tmp_path / "a.txt"
    path.write_text(PLAN_A, encoding="utf-8")
    key = cache.local_key(path)
    monkeypatch.setattr(cache, "fingerprint", "another extractor")
    assert cache.local_key(path) != key

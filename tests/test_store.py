"""The dump is canonical and the store swap never exposes half a build."""

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from policykg.store import (
    load_store,
    merge_sorted_runs,
    ontology_quads,
    open_read_only,
    sorted_nquads,
    write_sorted_blocks,
    write_sorted_nquads,
)

G = NamedNode("http://example.org/g")


def quad(s: str, o: str) -> Quad:
    subject = NamedNode(f"http://example.org/{s}")
    return Quad(subject, NamedNode("http://example.org/p"), Literal(o), G)


def test_sorted_nquads_sorts_and_deduplicates():
    dump = sorted_nquads([quad("b", "2"), quad("a", "1"), quad("b", "2")])
    lines = dump.decode().splitlines()
    assert lines == sorted(lines)
    assert len(lines) == 2
    assert dump.endswith(b" .\n")


def test_sorted_nquads_is_independent_of_input_order():
    quads = [quad(str(i), f"值{i}") for i in range(50)]
    assert sorted_nquads(quads) == sorted_nquads(list(reversed(quads)))


def test_ontology_quads_are_identical_across_parses():
    first, second = sorted_nquads(ontology_quads()), sorted_nquads(ontology_quads())
    assert first == second
    assert b"<https://w3id.org/hubei-policy/ontology> ." in first


def _dump(tmp_path: Path, name: str, quads) -> Path:
    path = tmp_path / name
    path.write_bytes(sorted_nquads(quads))
    return path


def test_load_store_replaces_previous_store(tmp_path):
    store_dir = tmp_path / "store"
    assert load_store(_dump(tmp_path, "a.nq", [quad("a", "1")]), store_dir) == 1
    assert load_store(_dump(tmp_path, "b.nq", [quad("b", "1"), quad("c", "1")]), store_dir) == 2
    store = open_read_only(store_dir)
    subjects = sorted(q.subject.value for q in store)
    assert subjects == ["http://example.org/b", "http://example.org/c"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".store")] == []


def test_failed_load_keeps_previous_store(tmp_path):
    store_dir = tmp_path / "store"
    load_store(_dump(tmp_path, "a.nq", [quad("a", "1")]), store_dir)
    broken = tmp_path / "broken.nq"
    broken.write_text('<http://example.org/x> <http://example.org/p> "unterminated .\n')
    with pytest.raises(SyntaxError):
        load_store(broken, store_dir)
    assert len(Store.read_only(str(store_dir))) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".store")] == []


def test_open_read_only_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="policykg build"):
        open_read_only(tmp_path / "nothing")


def test_write_sorted_nquads_in_runs_gives_the_same_bytes(tmp_path):
    quads = [quad(str(i % 37), f"值{i % 11}") for i in range(500)]
    target = tmp_path / "out" / "graph.nq"
    count = write_sorted_nquads(reversed(quads), target, run_size=7)
    assert target.read_bytes() == sorted_nquads(quads)
    assert count == len(set(quads))
    assert [p.name for p in target.parent.iterdir()] == ["graph.nq"]


@pytest.mark.parametrize("run_size", [1, 3, 64, 1000])
@pytest.mark.parametrize("block", [1, 40, 1 << 20])
def test_block_merge_of_runs_gives_the_same_bytes(tmp_path, run_size, block):
    # runs overlapping in every way, duplicates inside a run and across runs
    quads = [quad(str(i * 7 % 23), f"值{i % 5}") for i in range(300)]
    runs = []
    for n, start in enumerate(range(0, len(quads), run_size)):
        runs.append(tmp_path / f"run-{n}.nq")
        runs[-1].write_bytes(sorted_nquads(quads[start:start + run_size]))
    target = tmp_path / "merged.nq"
    count = merge_sorted_runs(runs, target, block=block)
    assert target.read_bytes() == sorted_nquads(quads)
    assert count == len(set(quads))


def test_one_run_is_written_as_the_dump(tmp_path):
    quads = [quad(str(i), "值") for i in range(5)]
    target = tmp_path / "graph.nq"
    assert write_sorted_nquads(quads, target, run_size=5) == 5
    assert target.read_bytes() == sorted_nquads(quads)


@pytest.mark.parametrize("run_size", [1, 50, 10_000])
def test_blocks_of_graphs_give_the_bytes_of_their_quads(tmp_path, run_size):
    """The build writes each graph's sorted lines; merged in runs of any size they are the
    dump of the same quads, duplicates across blocks dropped, no run file left behind."""
    quads = [quad(str(i * 7 % 23), f"值{i % 5}") for i in range(300)]
    blocks = [sorted_nquads(quads[i:i + 40]) for i in range(0, 300, 40)]
    target = tmp_path / "out" / "graph.nq"
    count = write_sorted_blocks(reversed(blocks), target, run_size=run_size)
    assert target.read_bytes() == sorted_nquads(quads)
    assert count == len(set(quads))
    assert [p.name for p in target.parent.iterdir()] == ["graph.nq"]


def test_store_keeps_the_dump_it_was_loaded_from(tmp_path):
    """The server serves ``store/graph.nq``: the same file as the build's dump, no copy."""
    from policykg.store import STORE_DUMP

    dump = _dump(tmp_path, "graph.nq", [quad("b", "2"), quad("a", "1")])
    store_dir = tmp_path / "store"
    load_store(dump, store_dir)
    kept = store_dir / STORE_DUMP
    assert kept.read_bytes() == dump.read_bytes()
    assert kept.stat().st_ino == dump.stat().st_ino  # a hard link on one file system
    assert len(open_read_only(store_dir)) == 2  # Oxigraph leaves the extra file alone
    load_store(_dump(tmp_path, "next.nq", [quad("c", "3")]), store_dir)
    assert kept.read_bytes() == (tmp_path / "next.nq").read_bytes()

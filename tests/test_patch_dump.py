"""The dump patch by byte ranges gives the bytes of the straightforward merge.

The reference below is the obvious way (drop the changed graphs' lines, merge in the new
ones, drop duplicates); the patch must agree with it on dumps where the edits fall at the
start, the end, between and on top of the old lines, including on the real seed dump.
"""

from __future__ import annotations

import heapq
import random
from pathlib import Path

import pytest

from policykg.patch import patched_dump


def reference(old: bytes, changed: set[str], new_lines: list[bytes]) -> bytes:
    drop = tuple(f" <{g}> .\n".encode() for g in changed)
    kept = [line for line in old.splitlines(keepends=True) if not line.endswith(drop)]
    out, last = [], None
    for line in heapq.merge(kept, sorted(new_lines)):
        if line != last:
            out.append(line)
            last = line
    return b"".join(out)


def quad(s: int, o: str, g: str) -> bytes:
    return (f'<http://x.example/s/{s:04d}> <http://x.example/p> "{o}" '
            f'<http://x.example/g/{g}> .\n').encode()


def random_case(rng: random.Random):
    graphs = [f"g{i}" for i in range(6)]
    old = sorted({quad(rng.randrange(300), rng.choice("ab中文"), rng.choice(graphs))
                  for _ in range(rng.randrange(0, 400))})
    changed = set(rng.sample(graphs, rng.randrange(0, 3)))
    new = sorted({quad(rng.randrange(-5, 320) % 10000, rng.choice("abc"),
                       rng.choice(sorted(changed)))
                  for _ in range(rng.randrange(0, 60))} if changed else set())
    return b"".join(old), {f"http://x.example/g/{g}" for g in changed}, new


@pytest.mark.parametrize("seed", range(60))
def test_random_patches_match_the_merge(tmp_path: Path, seed: int):
    old, changed, new = random_case(random.Random(seed))
    previous, target = tmp_path / "old.nq", tmp_path / "new.nq"
    previous.write_bytes(old)
    count, _ = patched_dump(previous, changed, new, target)
    expected = reference(old, changed, new)
    assert target.read_bytes() == expected
    assert count == expected.count(b"\n")
    counted, _ = patched_dump(previous, changed, new, tmp_path / "again.nq",
                           previous_count=old.count(b"\n"))
    assert counted == count


@pytest.mark.parametrize("seed", range(40))
def test_known_previous_lines_give_the_same_bytes_and_stale_ones_fall_back(tmp_path: Path,
                                                                         seed: int):
    rng = random.Random(seed)
    old, changed, new = random_case(rng)
    previous = tmp_path / "old.nq"
    previous.write_bytes(old)
    expected = reference(old, changed, new)
    lines = old.splitlines(keepends=True)
    known = {}
    for g in changed:
        mine = b"".join(line for line in lines if line.endswith(f" <{g}> .\n".encode()))
        stale = quad(9999, "gone", g.rsplit("/", 1)[-1])
        known[g] = rng.choice([mine, mine + stale, stale + mine, None])
    count, _ = patched_dump(previous, known, new, tmp_path / "new.nq")
    assert (tmp_path / "new.nq").read_bytes() == expected
    assert count == expected.count(b"\n")


def test_a_new_line_already_in_a_kept_graph_is_not_doubled(tmp_path: Path):
    kept = quad(1, "a", "keep")
    old = kept + quad(2, "a", "old")
    (tmp_path / "old.nq").write_bytes(old)
    count, _ = patched_dump(tmp_path / "old.nq", {"http://x.example/g/old"}, [kept],
                         tmp_path / "new.nq")
    assert (tmp_path / "new.nq").read_bytes() == kept
    assert count == 1


def test_the_seed_dump_with_one_graph_replaced(tmp_path: Path, seed_build: Path):
    old = (seed_build / "graph.nq").read_bytes()
    lines = old.splitlines(keepends=True)
    graph = lines[len(lines) // 2].rstrip()[:-2].rsplit(b" ", 1)[-1][1:-1].decode()
    suffix = f" <{graph}> .\n".encode()
    mine = [line for line in lines if line.endswith(suffix)]
    edited = (line.replace(b'"', b'"x', 1) for line in mine[1::3] if b'"' in line)
    new = sorted({*mine[::2], *edited})
    previous = tmp_path / "old.nq"
    previous.write_bytes(old)
    count, _ = patched_dump(previous, {graph}, new, tmp_path / "new.nq")
    expected = reference(old, {graph}, new)
    assert (tmp_path / "new.nq").read_bytes() == expected
    assert count == expected.count(b"\n")
    assert expected != old


def store_state(store_dir: Path) -> tuple[int, list[bytes]]:
    from pyoxigraph import RdfFormat, Store, serialize

    store = Store.read_only(str(store_dir))
    data = serialize(store.quads_for_pattern(None, None, None), format=RdfFormat.N_QUADS)
    lines = data.splitlines()
    return len(lines), sorted(line for line in lines if b"_:" not in line)


@pytest.mark.parametrize("seed", range(12))
def test_the_store_patched_by_the_delta_holds_the_new_dump(tmp_path: Path, seed: int):
    """Quads removed and added one by one give the store a clean load of the new dump
    gives, also when a changed graph has blank nodes (replaced whole in the store)."""
    from policykg.patch import patch_store
    from policykg.store import load_store

    rng = random.Random(seed)
    old, changed, new = random_case(rng)
    blank = "http://x.example/g/blank"
    old_blank = [f'_:b{i} <http://x.example/p> "{i}" <{blank}> .\n'.encode() for i in range(3)]
    old = b"".join(sorted([*old.splitlines(keepends=True), *old_blank]))
    if rng.random() < 0.5:
        changed = changed | {blank}
        new = sorted([*new, old_blank[0], b'_:b9 <http://x.example/p> "9" <' + blank.encode()
                      + b"> .\n"])
    previous = tmp_path / "old.nq"
    previous.write_bytes(old)
    lines = old.splitlines(keepends=True)
    known = {g: b"".join(line for line in lines if line.endswith(f" <{g}> .\n".encode()))
             for g in changed}
    load_store(previous, tmp_path / "store")
    dump = tmp_path / "new.nq"
    _, delta = patched_dump(previous, known, new, dump)
    patch_store(tmp_path / "store", delta, dump, tmp_path / "store")
    load_store(dump, tmp_path / "clean")
    assert store_state(tmp_path / "store") == store_state(tmp_path / "clean")
    assert (tmp_path / "store" / "graph.nq").read_bytes() == dump.read_bytes()

"""The scale-out path (policykg/distributed.py) on a local Dask cluster of 2 worker processes.

The proof that the path is correct is byte identity: the merged shards must be exactly
the ``graph.nq`` that ``policykg build`` writes for the same folder — documents from
two genres generators, the real seeds, a duplicated title and an unreadable file.
"""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

distributed = pytest.importorskip("distributed")

import gen_corpus  # noqa: E402

from policykg.build import build  # noqa: E402
from policykg.distributed import build_distributed  # noqa: E402
from policykg.store import merge_sorted_runs  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scaleout-corpus")
    gen_corpus.generate(8, folder, seed=11, clean=False)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, folder / f"seed-{seed.name}")
    work_plan = next(folder.glob("*_work_plan.txt"))
    shutil.copy(work_plan, folder / "99999_same_title.txt")  # two documents, one title
    (folder / "99998_empty.txt").write_bytes(b"")  # fails; the others go on
    return folder


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_sharded_build_is_byte_identical_to_policykg_build(corpus, client, tmp_path):
    build(corpus, tmp_path / "single", validate=False, progress=lambda _l: None)
    summary = build_distributed(corpus, tmp_path / "dask", client, partitions=5,
                                progress=lambda _l: None)

    expected = (tmp_path / "single" / "graph.nq").read_bytes()
    assert summary.shards == 6  # 5 partitions of documents + the vocabularies
    assert summary.failed == ["99998_empty.txt"]
    assert summary.documents == 8 + 5 + 1
    assert summary.quads == expected.count(b"\n")
    assert (tmp_path / "dask" / "graph.nq").read_bytes() == expected


def test_store_holds_the_merged_graph(corpus, client, tmp_path):
    from policykg.store import open_read_only

    summary = build_distributed(corpus, tmp_path, client, progress=lambda _l: None)
    store = open_read_only(tmp_path / "store")
    assert len(store) == summary.quads


def test_merge_drops_duplicates_and_keeps_order(tmp_path):
    a, b = tmp_path / "a.nq", tmp_path / "b.nq"
    a.write_bytes(b"<x:1> <p:> <o:> .\n<x:3> <p:> <o:> .\n")
    b.write_bytes(b"<x:2> <p:> <o:> .\n<x:3> <p:> <o:> .\n")
    assert merge_sorted_runs([a, b], tmp_path / "m.nq") == 3
    assert (tmp_path / "m.nq").read_bytes() == (
        b"<x:1> <p:> <o:> .\n<x:2> <p:> <o:> .\n<x:3> <p:> <o:> .\n")

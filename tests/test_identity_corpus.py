"""One corpus build, seven invented plans of five provinces, the same surface names in
documents of different places: exactly the IRIs of real shared bodies are shared.

The plans (tests/fixtures/identity/) are written in the genre by hand: Shanghai's Jiading
and Qingpu districts, Guangzhou, Hangzhou, Chengdu's Wuhou district, Hubei and Wuhan.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from policykg.ontology.vocab import sparql_prolog

from policykg.build import build
from policykg.store import open_read_only

PLANS = Path(__file__).resolve().parent / "fixtures" / "identity"


@pytest.fixture(scope="module")
def agencies_by_file(tmp_path_factory) -> dict[str, set[str]]:
    out = tmp_path_factory.mktemp("identity-build")
    build(PLANS, out, progress=lambda _line: None)
    store = open_read_only(out / "store")
    rows = store.query(sparql_prolog() + """
        SELECT ?file ?agency WHERE {
          ?x pk:assignedAgency ?agency ; pk:inDocument ?d . ?d pk:sourceFile ?file }""",
        use_default_graph_as_union=True)
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["file"].value].add(row["agency"].value.rsplit("/", 1)[-1])
    return dict(found)


def test_relative_names_resolve_against_each_documents_place(agencies_by_file):
    assert agencies_by_file == {
        "jiading.txt": {"shanghai-jiading-finance", "shanghai-jiading-development-and-reform"
                        "-commission", "shanghai-jiading-group-ge-jie-zhen", "shanghai-finance"},
        "qingpu.txt": {"shanghai-qingpu-finance", "shanghai-qingpu-development-and-reform"
                       "-commission", "shanghai-qingpu-group-ge-jie-zhen",
                       "shanghai-qingpu-housing-and-urban-rural-development"},
        "guangzhou.txt": {"guangzhou-finance", "guangzhou-development-and-reform-commission",
                          "guangzhou-group-ge-qu"},
        "hangzhou.txt": {"hangzhou-finance", "hangzhou-development-and-reform-commission"},
        "wuhou.txt": {"chengdu-wuhou-finance", "chengdu-wuhou-development-and-reform-commission",
                      "chengdu-wuhou-group-ge-jie-dao"},
        "hubei.txt": {"hubei-finance", "hubei-development-and-reform-commission"},
        "wuhan.txt": {"hubei-finance", "wuhan-finance", "wuhan-development-and-reform-commission"},
    }


def test_only_one_real_body_is_shared_between_places(agencies_by_file):
    """市财政局, 区财政局, 区发改委 and 各街镇 recur in plans of other places and stay apart;
    the provincial 省财政厅 named by the Wuhan plan is the Hubei body itself."""
    files_of: dict[str, set[str]] = defaultdict(set)
    for file, keys in agencies_by_file.items():
        for key in keys:
            files_of[key].add(file)
    shared = {key: files for key, files in files_of.items() if len(files) > 1}
    assert shared == {"hubei-finance": {"hubei.txt", "wuhan.txt"}}

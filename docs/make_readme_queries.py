# ruff: noqa: E501  (the notes are README prose, one line each)
"""Regenerate README's example-query section from docs/queries/*.rq and a seed build.

Usage: ``python docs/make_readme_queries.py . build`` (repository, build folder). Why:
``tests/test_readme.py`` checks that the README shows each query's current output, so an
extraction change that moves a figure needs the section written again; the one-line notes
below are written by hand and must be re-read when their query's output changes.
"""

import io
import re
import sys
from pathlib import Path

from policykg.ontology.vocab import sparql_prolog

from policykg.cli import _print_table
from policykg.store import open_read_only

ROOT = Path(sys.argv[1])
store = open_read_only(Path(sys.argv[2]) / "store")
NOTES = {
 "7": "The blanket clause of the Ezhou plan (以下工作均需…落实) gives the same bodies every task, so its edges top the ranking with all assignments and fall to almost nothing with explicit ones; the first edge the text really states is 鄂州市发展和改革委员会–鄂州市经济和信息化局 (17 tasks).",
 "8": "Wuhan's 2019 plan shares industries with the 2021 and 2024 provincial plans but precedes them, so it cannot have taken them up; the Ezhou plan is undated (it cites a 2023 provincial document outside the corpus).",
 "9": "On the seeds only city-level bodies lead tasks (the Wuhan and Ezhou plans name 牵头单位); provincial bodies are given tasks but never as leads, and development-zone committees carry many tasks through the Ezhou blanket clause.",
 "10": "装备制造业 reaches its own 22,000亿元 target in its plan and, through skos:broader*, six targets of its branches in the manufacturing plan (汽车制造, 高端装备 …), each counted once: a branch whose broader industry has a target of its own in the plan is left out.",
 "11": "The provincial 十四五 plans assign no task; 40 of the manufacturing plan's 104 tasks and 39 of the equipment plan's 82 are industry profiles (pk:IndustryProfile), the rest measures. 48 of the manufacturing plan's 64 measures are headed sub-measures (pk:subTaskOf); in the equipment plan 29 of the 39 profiles are sub-profiles of an industry (燃油汽车。… under 汽车制造).",
}
out = ["## Example queries (real output on the seeds)", "",
       "The queries are in [docs/queries/](docs/queries); each file's first line is its title",
       "(`# title: 中文 / English`). They use only the project's prefixes (`pk:`, `skos:`, `dcterms:`,",
       "`org:`, `xsd:` …), which `policykg query` and the query page predeclare, so they also run over",
       "plain HTTP. `tests/test_readme.py` runs each one and checks that this README shows its current",
       "output.", ""]


def num(p):
    return int(p.name.split("-")[0])


for p in sorted((ROOT / "docs/queries").glob("*.rq"), key=num):
    q = p.read_text(encoding="utf-8")
    title = q.splitlines()[0].removeprefix("# title: ")
    en = re.split(r"\s*/\s+", title, maxsplit=1)[-1]
    buf = io.StringIO()
    _print_table(store.query(sparql_prolog() + q, use_default_graph_as_union=True), buf)
    out += [f"### {en}", "", f"`policykg query @docs/queries/{p.name}`", ""]
    if str(num(p)) in NOTES:
        out += [NOTES[str(num(p))], ""]
    out += ["```sparql", q.strip(), "```", "", "```text", buf.getvalue().rstrip(), "```", ""]
readme = (ROOT / "README.md").read_text(encoding="utf-8")
start = readme.index("## Example queries (real output on the seeds)")
end = readme.index("## Validation: the graph's contract")
(ROOT / "README.md").write_text(readme[:start] + "\n".join(out) + "\n" + readme[end:], encoding="utf-8")

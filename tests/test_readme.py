"""The README's example queries run on the seed graph and show their current output."""

import io
import re
from pathlib import Path

import pytest
from policykg.ontology.vocab import PREFIXES, sparql_prolog

from policykg.cli import _print_table

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "docs" / "queries").glob("*.rq"))


def test_there_are_eleven_example_queries():
    assert len(QUERIES) == 11


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_each_query_has_a_title_line_and_only_the_endpoint_prefixes(path):
    """The query page takes its title from the first line; over plain HTTP the endpoint
    knows the project's prefixes only, so a query must use no other."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# title: "), path.name
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "PREFIX" not in body.upper().split("SELECT")[0], path.name
    used = set(re.findall(r"(?<![\w?$<\"])([a-z]+):[A-Za-z]", body))
    assert used <= set(PREFIXES), (path.name, used - set(PREFIXES))


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_readme_shows_the_query_and_its_real_output(path, seed_store):
    query = path.read_text(encoding="utf-8")
    out = io.StringIO()
    _print_table(seed_store.query(sparql_prolog() + query, use_default_graph_as_union=True), out)
    table = out.getvalue()
    assert not table.rstrip().endswith("(0 rows)"), f"{path.name} returns nothing on the seeds"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert query.strip() in readme, f"README does not show {path.name} as it is"
    assert table.rstrip() in readme, (
        f"README shows a stale output for {path.name}; it now prints:\n{table}"
    )

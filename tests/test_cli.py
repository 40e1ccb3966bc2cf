"""The command line as a user meets it: version, defaults in help, one-line errors at
positions in the user's own query, exit codes as the README states them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def policykg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True,
                          text=True, cwd=ROOT)


def test_version_is_the_projects():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    run = policykg("--version")
    assert run.returncode == 0 and run.stdout.strip() == f"policykg {version}"


def test_help_shows_defaults():
    run = policykg("serve", "--help")
    assert run.returncode == 0 and "(default: 30.0)" in run.stdout


@pytest.mark.parametrize("query,message", [
    ("SELECT ?x WHERE { ?x ex:a ?y }", "unknown prefix ex: at line 1, column 22"),
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n", "line 4, column 1: expected"),
])
def test_malformed_queries_get_one_line_at_the_users_position(seed_build, query, message):
    run = policykg("query", "--store", str(seed_build / "store"), query)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
    assert "u{00" not in run.stderr  # no grammar dump


def test_missing_query_file_is_one_line_exit_2(seed_build):
    run = policykg("query", "--store", str(seed_build / "store"), "@no-such-query.rq")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == ("error: cannot read the query file no-such-query.rq: "
                                  "no such file or directory: no-such-query.rq")


def test_predeclared_prefixes_need_no_prolog(seed_build):
    run = policykg("query", "--store", str(seed_build / "store"), "--format", "csv",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task }")
    assert run.returncode == 0 and int(run.stdout.splitlines()[1]) > 100

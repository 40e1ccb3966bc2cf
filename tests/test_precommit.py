"""The pre-commit hook (.pre-commit-hooks.yaml) as another project uses it: pre-commit from
PyPI installs this checkout into its own environment (``language: python``; pip, from the pip
cache) and runs ``policykg validate`` on the RDF files of a git repository: it passes on a
conforming file and fails on a violating one, naming the focus node's file:line.

The repository's ``.pre-commit-config.yaml`` names this checkout as ``repo:`` and its HEAD
commit as ``rev:``, as another project would name a tag (so uncommitted changes to the hook
are not what is tested). Installing the hook's environment (pip builds this checkout and
installs its dependencies) is most of the time: 45-100 s on a warm pip cache on the 2-core CI
machine, once for both runs (``try-repo`` would install it anew for every run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "tests" / "fixtures" / "valid" / "small.trig"

BAD = """\
@prefix pk: <https://w3id.org/hubei-policy/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
PREFIX ind: <https://w3id.org/hubei-policy/id/industry/>

# an industry without a label or a scheme
ind:sprockets a pk:Industry ;
    rdfs:comment \"\"\"two lines
of comment\"\"\" .
"""

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs git and a git checkout",
)


@pytest.fixture(scope="module")
def rdf_repo(tmp_path_factory) -> tuple[Path, dict]:
    repo = tmp_path_factory.mktemp("rdf-repo")
    env = os.environ | {
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    (repo / "good.trig").write_bytes(VALID.read_bytes())
    (repo / "data").mkdir()
    (repo / "data" / "bad.ttl").write_text(BAD, encoding="utf-8")
    (repo / "notes.txt").write_text("not RDF\n", encoding="utf-8")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: policykg-validate\n",
        encoding="utf-8")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "rdf"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo, env


def pre_commit(repo: Path, env: dict, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--verbose", "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )


def test_hook_passes_on_a_conforming_file(rdf_repo):
    repo, env = rdf_repo
    run = pre_commit(repo, env, "good.trig", "notes.txt")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "policykg validate (SHACL)" in run.stdout and "Passed" in run.stdout


def test_hook_fails_on_a_violating_file_with_its_line(rdf_repo):
    repo, env = rdf_repo
    run = pre_commit(repo, env, "data/bad.ttl")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Failed" in run.stdout
    assert "id:industry/sprockets" in run.stdout and "at data/bad.ttl:6:1" in run.stdout

"""The Python API (policykg.api, re-exported by ``import policykg``): what the commands do,
with the exit-code contract as exceptions carrying the same one-line messages.

The README's example runs here as it is written (its ```python block, in a folder holding a
copy of seeds/)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import policykg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID = FIXTURES / "valid" / "small.trig"
ONE_SEED = sorted((ROOT / "seeds").glob("*.txt"))[-1]  # the shortest plan


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_import_policykg_is_cheap():
    code = ("import sys, policykg; heavy = {'rdflib', 'pyoxigraph', 'jieba', 'fastapi', "
            "'pyshacl'} & set(sys.modules); print(sorted(heavy))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr


def test_the_api_is_documented_and_exported():
    for name in ("build", "validate", "open_store", "query", "serve"):
        assert callable(getattr(policykg, name)) and getattr(policykg, name).__doc__
    assert issubclass(policykg.BuildFailed, policykg.PolicyKGError)
    assert issubclass(policykg.ValidationFailed, policykg.PolicyKGError)
    assert issubclass(policykg.QueryError, policykg.PolicyKGError)
    assert policykg.__version__ == cli("--version").stdout.split()[1]


def test_build_module_and_build_function_are_one_name():
    import policykg.build as module

    assert module.BuildSummary is policykg.BuildSummary  # the submodule still works …
    assert callable(policykg.build)  # … and the package's build() is the API's


# -- build -----------------------------------------------------------------------------------


def test_build_returns_the_summary(tmp_path):
    seeds = tmp_path / "docs"
    seeds.mkdir()
    shutil.copy(ONE_SEED, seeds)
    lines = []
    summary = policykg.build(seeds, tmp_path / "out", progress=lines.append)
    assert summary.documents == 1 and summary.tasks > 0 and not summary.failed
    assert (tmp_path / "out" / "graph.nq").is_file() and lines
    rows = policykg.query(tmp_path / "out", "SELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task }",
                          python=True)
    assert rows == [{"n": summary.tasks}]


def test_build_of_a_missing_folder_is_exit_2_with_the_commands_message(tmp_path):
    with pytest.raises(policykg.BuildFailed) as caught:
        policykg.build(tmp_path / "missing", tmp_path / "out")
    assert caught.value.exit_code == 2 and caught.value.summary is None
    run = cli("build", "--seeds", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and run.stderr == f"error: {caught.value}\n"


def test_a_document_left_out_is_exit_1_unless_allowed(tmp_path):
    seeds = tmp_path / "docs"
    seeds.mkdir()
    shutil.copy(ONE_SEED, seeds)
    (seeds / "broken.txt").write_bytes(b"\xff\xfe\x00garbage\x80\x81")
    with pytest.raises(policykg.BuildFailed) as caught:
        policykg.build(seeds, tmp_path / "out")
    err = caught.value
    assert err.exit_code == 1 and err.summary.failed == ["broken.txt"]
    assert str(err) == "1 document(s) left out: broken.txt"
    run = cli("build", "--seeds", str(seeds), "--out", str(tmp_path / "out2"))
    assert run.returncode == 1 and run.stderr.splitlines()[-1] == f"error: {err}"
    summary = policykg.build(seeds, tmp_path / "out", allow_failed=True)
    assert summary.failed == ["broken.txt"] and summary.documents == 1


# -- validate --------------------------------------------------------------------------------


def broken_graph(tmp_path: Path, update: str = "task-without-document.ru") -> Path:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(VALID), format=ox.RdfFormat.TRIG)
    store.update((FIXTURES / "invalid" / update).read_text(encoding="utf-8"))
    path = tmp_path / "broken.nq"
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return path


def test_validate_returns_a_report():
    report = policykg.validate(VALID)
    assert isinstance(report, policykg.Report)
    assert report.conforms and report.violations == [] and report.exit_code == 0


def test_validate_reports_violations_with_their_place(tmp_path):
    report = policykg.validate([broken_graph(tmp_path)])
    assert not report.conforms and report.exit_code == 1
    (result,) = report.violations
    assert report.short(result.shape) == "pksh:Task-inDocument"
    where = report.location(result)
    assert where is not None and where.file.endswith("broken.nq") and where.line >= 1


def test_validate_raises_only_when_asked(tmp_path):
    warned = broken_graph(tmp_path, "task-unassigned.ru")
    assert policykg.validate(warned).warnings  # a warning alone passes by default …
    with pytest.raises(policykg.ValidationFailed) as caught:
        policykg.validate(warned, fail_on="warning")  # … and fails on request
    assert caught.value.exit_code == 1 and caught.value.report.warnings
    assert str(caught.value).startswith("conforms: 0 violation(s), 1 warning(s)")


def test_unparsable_input_is_exit_2_with_the_commands_message(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(policykg.ValidationFailed) as caught:
        policykg.validate([bad])
    assert caught.value.exit_code == 2 and caught.value.report is None
    assert re.match(r".*bad\.ttl:2:\d+: ", str(caught.value))
    run = cli("validate", str(bad))
    assert run.returncode == 2 and run.stderr == f"policykg validate: {caught.value}\n"


def test_validate_takes_an_rdflib_graph_and_other_shapes(tmp_path):
    graph = Graph().parse(VALID, format="trig")
    assert policykg.validate(graph).conforms
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pk: <https://w3id.org/hubei-policy/ontology#> .
<urn:shape> a sh:NodeShape ; sh:targetClass pk:Task ; sh:property [ sh:path pk:nothing ;
    sh:minCount 1 ; sh:message "no nothing"@en ] .
""", encoding="utf-8")
    report = policykg.validate(VALID, shapes=shapes)
    assert report.violations and {r.message() for r in report.violations} == {"no nothing"}


# -- open_store, query -----------------------------------------------------------------------


def test_query_rows_are_dicts_of_rdflib_terms(seed_build):
    store = policykg.open_store(seed_build)  # the build folder or its store/ both work
    assert len(policykg.open_store(seed_build / "store")) == len(store)
    rows = policykg.query(store, """SELECT ?task ?label ?none WHERE {
        ?task a pk:Task ; rdfs:label ?label . OPTIONAL { ?task pk:nothing ?none } }
        ORDER BY ?task LIMIT 2""")
    assert len(rows) == 2 and set(rows[0]) == {"task", "label", "none"}
    assert isinstance(rows[0]["task"], URIRef) and isinstance(rows[0]["label"], Literal)
    assert rows[0]["label"].language == "zh" and rows[0]["none"] is None
    python = policykg.query(store, "SELECT ?task ?label WHERE { ?task a pk:Task ; "
                                   "rdfs:label ?label } ORDER BY ?task LIMIT 2", python=True)
    assert python[0] == {"task": str(rows[0]["task"]), "label": str(rows[0]["label"])}


def test_ask_is_a_bool_and_construct_a_graph(seed_store):
    assert policykg.query(seed_store, "ASK { ?t a pk:Task }") is True
    graph = policykg.query(seed_store, "CONSTRUCT { ?t a pk:Task } WHERE { ?t a pk:Task } "
                                       "LIMIT 3")
    assert isinstance(graph, Graph) and len(graph) == 3


def test_malformed_query_is_exit_2_with_the_commands_message(seed_build):
    text = "SELECT ?x WHERE { ?x ex:a ?y }"
    with pytest.raises(policykg.QueryError) as caught:
        policykg.query(policykg.open_store(seed_build), text)
    assert caught.value.exit_code == 2
    assert "unknown prefix ex: at line 1, column 22" in str(caught.value)
    run = cli("query", "--store", str(seed_build / "store"), text)
    assert run.returncode == 2 and run.stderr == f"error: {caught.value}\n"


def test_no_store_is_a_query_error(tmp_path):
    with pytest.raises(policykg.QueryError) as caught:
        policykg.open_store(tmp_path)
    assert caught.value.exit_code == 2 and "policykg build" in str(caught.value)
    with pytest.raises(policykg.QueryError):
        policykg.serve(tmp_path)


def test_serve_passes_its_options_to_the_server(seed_build, monkeypatch):
    import policykg.server.main as server_main

    calls = []
    monkeypatch.setattr(server_main, "serve", lambda store, **kw: calls.append((store, kw)))
    policykg.serve(seed_build, port=8123, timeout=5.0)
    assert calls == [(seed_build / "store", {"host": "127.0.0.1", "port": 8123,
                                             "timeout": 5.0})]


# -- the README's example ----------------------------------------------------------------------


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_api_example_runs(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md (Python API)", "exec"), {})
    out = capsys.readouterr().out
    assert "5 documents," in out and "2 malformed query: unknown prefix ex:" in out

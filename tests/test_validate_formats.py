"""``policykg validate --format junit|sarif|github``, and the file:line of focus nodes.

SARIF is checked against the official SARIF 2.1.0 schema (vendored in tests/fixtures/sarif/,
see SOURCE.md there) with ``jsonschema``; JUnit XML is read with ``junitparser``; the GitHub
workflow commands are matched against the syntax GitHub documents. The line scanner is tested
on synthetic files with comments, multi-line literals, prefixed names and blank nodes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from policykg.shapes.lines import scan_lines, scan_turtle
from policykg.shapes.validate import main, validate_dataset

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"
VALID = FIXTURES / "valid" / "small.trig"
ID = "https://w3id.org/hubei-policy/id/"

# Two industries without the labels and scheme the shapes require. The first statement of
# ind:widgets is on line 12; it is named as an object on line 9 before that, and
# a comment and a multi-line literal with dots and '#' stand in between.
BAD_TURTLE = """\
@prefix pk: <https://w3id.org/hubei-policy/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
PREFIX ind: <https://w3id.org/hubei-policy/id/industry/>

# ind:widgets a pk:Industry .   <- a comment, not a statement
ind:gadgets
    a pk:Industry ;
    skos:broader ind:widgets ;
    rdfs:comment \"\"\"a note over two lines .
ind:widgets a pk:Industry . # still inside the literal\"\"\" .
ind:widgets a pk:Industry ;
    rdfs:comment "a dot . and a hash # in a string" .
"""


@pytest.fixture
def bad_ttl(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "bad.ttl"
    path.write_text(BAD_TURTLE, encoding="utf-8")
    return path


def run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().out


# -- where focus nodes are ---------------------------------------------------------------------


def test_turtle_subjects_are_found_where_their_statement_starts():
    found = scan_turtle(BAD_TURTLE, "file:///x/bad.ttl")
    assert found == {ID + "industry/gadgets": (7, 1), ID + "industry/widgets": (12, 1)}


def test_turtle_scan_knows_base_blank_nodes_graphs_and_escapes():
    text = """\
@base <http://example.org/base/> .
@prefix ex: <http://example.org/> .
[ ex:p ex:notASubject ] ex:q ex:alsoNot .
<relative> ex:p 1.5, -2, "x\\"y" ; ex:q ( ex:inList ) .
  ex:dotted.name ex:p ex:o.
ex:graph { ex:inGraph ex:p 'single # quoted' . ex:second ex:p ex:o }
GRAPH <http://example.org/g2> { ex:third a ex:T }
ex:esc\\.aped ex:p '''long
ex:fake ex:p ex:o .''' .
"""
    found = scan_turtle(text, "file:///x/y.trig")
    assert found == {
        "http://example.org/base/relative": (4, 1),
        "http://example.org/dotted.name": (5, 3),
        "http://example.org/inGraph": (6, 12),
        "http://example.org/second": (6, 48),
        "http://example.org/third": (7, 33),
        "http://example.org/esc.aped": (8, 1),
    }


def test_ntriples_and_nquads_give_the_first_line_of_a_subject():
    text = (
        "# a comment <http://example.org/a> <http://example.org/p> <http://example.org/o> .\n"
        "_:b0 <http://example.org/p> <http://example.org/a> .\n"
        "\n"
        "<http://example.org/a> <http://example.org/p> \"x\" <http://example.org/g> .\n"
        "  <http://example.org/\\u00E9> <http://example.org/p> \"y\" .\n"
        "<http://example.org/a> <http://example.org/q> \"z\" .\n"
    )
    assert scan_lines(text) == {
        "http://example.org/a": (4, 1),
        "http://example.org/\u00e9": (5, 3),
    }


def test_report_locates_focus_nodes_of_a_turtle_file(bad_ttl):
    report = validate_dataset([bad_ttl])
    assert report.violations
    where = {str(r.focus): str(report.location(r)) for r in report.results}
    assert where[ID + "industry/widgets"] == "bad.ttl:12:1"
    assert where[ID + "industry/gadgets"] == "bad.ttl:7:1"


def test_report_locates_focus_nodes_of_an_nquads_file(tmp_path, monkeypatch):
    import pyoxigraph as ox

    monkeypatch.chdir(tmp_path)
    store = ox.Store()
    store.load(path=str(VALID), format=ox.RdfFormat.TRIG)
    store.update((FIXTURES / "invalid" / "task-without-document.ru").read_text(encoding="utf-8"))
    store.dump(str(tmp_path / "g.nq"), format=ox.RdfFormat.N_QUADS)
    lines = (tmp_path / "g.nq").read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1)
                 if line.startswith(f"<{ID}task/jing-xin-2021-3/1.1> "))
    report = validate_dataset(["g.nq"])
    (result,) = report.violations
    assert str(report.location(result)) == f"g.nq:{first}:1"


def test_text_and_json_name_the_line(capsys, bad_ttl):
    code, out = run(capsys, "bad.ttl")
    assert code == 1 and "at bad.ttl:12:1" in out
    code, out = run(capsys, "bad.ttl", "--format", "json")
    located = {(r["focusNode"], r["file"], r["line"]) for r in json.loads(out)["results"]}
    assert (f"<{ID}industry/widgets>", "bad.ttl", 12) in located


# -- SARIF -------------------------------------------------------------------------------------


def sarif_validator():
    from jsonschema import Draft4Validator, FormatChecker

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert "sarif-schema-2.1.0" in schema["id"]
    return Draft4Validator(schema, format_checker=FormatChecker())


def test_sarif_validates_against_the_sarif_2_1_0_schema(capsys, bad_ttl):
    code, out = run(capsys, "bad.ttl", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    (run_,) = log["runs"]
    rules = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} <= rules
    widgets = [r for r in run_["results"]
               if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
               == ID + "industry/widgets"]
    assert widgets and all(r["level"] == "error" for r in widgets)
    physical = widgets[0]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": "bad.ttl"},
                        "region": {"startLine": 12, "startColumn": 1}}


def test_sarif_of_a_conforming_graph_validates_too(capsys):
    code, out = run(capsys, VALID, "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    assert not list(sarif_validator().iter_errors(log))
    assert log["runs"][0]["results"] == []


# -- JUnit XML ---------------------------------------------------------------------------------


def test_junit_is_read_by_a_junit_parser(capsys, bad_ttl, tmp_path):
    from junitparser import Failure, JUnitXml

    code, out = run(capsys, "bad.ttl", "--format", "junit")
    assert code == 1
    (tmp_path / "report.xml").write_text(out, encoding="utf-8")
    xml = JUnitXml.fromfile(str(tmp_path / "report.xml"))
    cases = [case for suite in xml for case in suite]
    assert len(cases) > 50  # one test case per shape of the project's shapes
    failed = {case.name: case for case in cases if any(isinstance(r, Failure) for r in case.result)}
    assert failed and all(name.startswith("pksh:Industry") for name in failed)
    text = "".join(r.text or "" for case in failed.values() for r in case.result)
    assert "bad.ttl:12:1: VIOLATION" in text
    assert sum(suite.failures for suite in xml) == len(failed)


def test_junit_of_a_conforming_graph_has_no_failure(capsys):
    from junitparser import JUnitXml

    code, out = run(capsys, VALID, "--format", "junit")
    assert code == 0
    xml = JUnitXml.fromstring(out.encode("utf-8"))
    suites = list(xml) if xml._tag == "testsuites" else [xml]
    assert sum(s.tests for s in suites) > 50 and sum(s.failures for s in suites) == 0


# -- GitHub ------------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ((?:\w+=[^,:]*)(?:,\w+=[^,:]*)*)::(.+)$")


def test_github_annotations_carry_file_line_and_column(capsys, bad_ttl):
    code, out = run(capsys, "bad.ttl", "--format", "github")
    assert code == 1
    *commands, summary = out.splitlines()
    assert summary.startswith("does NOT conform:")
    parsed = [COMMAND.match(line) for line in commands]
    assert commands and all(parsed), commands
    props = [dict(p.split("=", 1) for p in m.group(2).split(",")) for m in parsed]
    assert {"file": "bad.ttl", "line": "12", "col": "1"}.items() <= props[-1].items() or any(
        {"file": "bad.ttl", "line": "12", "col": "1"}.items() <= p.items() for p in props
    )
    assert all(p["title"].startswith("pksh%3A") for p in props)  # ':' escaped in properties
    assert all("\n" not in m.group(3) for m in parsed)


def test_github_warnings_do_not_fail_by_default(capsys, tmp_path):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(VALID), format=ox.RdfFormat.TRIG)
    store.update((FIXTURES / "invalid" / "task-unassigned.ru").read_text(encoding="utf-8"))
    store.dump(str(tmp_path / "w.nq"), format=ox.RdfFormat.N_QUADS)
    code, out = run(capsys, tmp_path / "w.nq", "--format", "github")
    assert code == 0 and out.startswith("::warning ")
    code, _ = run(capsys, tmp_path / "w.nq", "--format", "github", "--fail-on", "warning")
    assert code == 1

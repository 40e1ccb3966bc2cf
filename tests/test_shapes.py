"""The SHACL contract: the valid fixture conforms, each invalid fixture breaks exactly its rule.

Invalid fixtures are SPARQL updates (tests/fixtures/invalid/*.ru) applied to the valid fixture
graph, each with ``# expect: <severity> <shape> <focus>`` lines. Both engines (Oxigraph-compiled
SPARQL and pyshacl, the reference) must report exactly the expected (severity, shape, focus)
set, so the compiler is tested against pyshacl on every rule.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from policykg.ontology.vocab import ID_NS
from policykg.shapes import traditional
from policykg.shapes.report import SH
from policykg.shapes.validate import InputError, load_shapes, main, to_store, validate_dataset
from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID = FIXTURES / "valid" / "small.trig"
INVALID = sorted((FIXTURES / "invalid").glob("*.ru"))
PKSH = "https://w3id.org/hubei-policy/shapes#"
ENGINES = ("oxigraph", "pyshacl")


def expectations(path: Path) -> set[tuple[str, str, str]]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# expect: (\w+) pksh:(\S+) id:(\S+)$", line)
        if m:
            found.add((m.group(1), PKSH + m.group(2), ID_NS + m.group(3)))
    return found


def broken_store(update: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(VALID), format=ox.RdfFormat.TRIG)
    store.update(update.read_text(encoding="utf-8"))
    return store


def outcome(report) -> set[tuple[str, str, str]]:
    return {(r.severity, str(r.shape), str(r.focus)) for r in report.results}


# -- the valid fixture ----------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_valid_fixture_conforms_without_warnings(engine):
    report = validate_dataset([VALID], engine=engine)
    assert report.results == [], report.text()
    assert report.conforms and report.engine == engine


def test_valid_fixture_uses_every_class_of_the_ontology():
    from rdflib.namespace import OWL, RDF

    onto = Graph().parse(ROOT / "ontology" / "policykg.ttl")
    declared = set(onto.subjects(RDF.type, OWL.Class))
    store = to_store([VALID], ontology=False)
    used = {
        URIRef(row["c"].value)
        for row in store.query(
            "SELECT DISTINCT ?c WHERE { [] a ?c }", use_default_graph_as_union=True
        )
    }
    # the controlled-value classes are used through their individuals (pk:lead, pk:Plan …)
    used |= {
        URIRef(row["c"].value)
        for row in store.query(
            "SELECT DISTINCT ?c WHERE { [] ?p ?v . FILTER(isIRI(?v)) "
            "BIND(IRI(CONCAT('https://w3id.org/hubei-policy/ontology#', "
            "IF(?v IN (<https://w3id.org/hubei-policy/ontology#lead>, "
            "<https://w3id.org/hubei-policy/ontology#responsible>), 'AssignmentRole', "
            "IF(?p = <https://w3id.org/hubei-policy/ontology#documentType>, 'DocumentType', "
            "IF(?p = <https://w3id.org/hubei-policy/ontology#adminLevel>, 'AdminLevel', "
            "IF(?p = <https://w3id.org/hubei-policy/ontology#agencyKind>, 'AgencyKind', "
            "IF(?p = <https://w3id.org/hubei-policy/ontology#assignmentForm>, 'AssignmentForm', "
            "IF(?p = <https://w3id.org/hubei-policy/ontology#unitOfMeasure>, 'Unit', "
            "IF(?p = <https://w3id.org/hubei-policy/ontology#comparison>, 'Comparator', "
            "'none'))))))))) "
            "AS ?c) }",
            use_default_graph_as_union=True,
        )
    }
    assert declared <= used, sorted(declared - used)


# -- the invalid fixtures -------------------------------------------------------------------


def test_every_shape_has_an_invalid_fixture():
    shapes = load_shapes()
    named = {
        str(s)
        for s in set(shapes.subjects(SH.property, None)) | set(shapes.objects(None, SH.property))
        if str(s).startswith(PKSH)
    }
    named |= {str(s) for s in shapes.subjects(None, SH.NodeShape) if str(s).startswith(PKSH)}
    from rdflib.namespace import RDF

    named |= {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {shape for f in INVALID for _, shape, _ in expectations(f)}
    # node shapes that only group property shapes cannot fail themselves
    grouping = {
        PKSH + n
        for n in (
            "CorpusDocumentShape",
            "SpanShape",
            "SectionShape",
            "TaskShape",
            "AssignmentShape",
            "CitationShape",
            "AgencyGroupShape",
            "SourceFileShape",
            "TaskLinksShape",
            "IndustryProfileShape",
            "IndustryTierShape",
            "AgencyCounterpartShape",
        )
    }
    assert named - grouping <= covered, sorted(named - grouping - covered)


# pyshacl re-parses every SPARQL constraint for every focus node (~3 s per fixture), so by
# default it checks a sample covering every kind of constraint; POLICYKG_FULL_SHACL=1 runs all.
PYSHACL_SAMPLE = {
    "document-without-source-file",
    "document-number-malformed",
    "document-type-unknown",
    "document-issuer-not-agency",
    "corpus-document-without-date",
    "stub-with-contents",
    "span-start-after-end",
    "section-ordinal-ill-formed",
    "task-unassigned",
    "agency-also-group",
    "agency-without-zh-label",
    "agency-two-zh-labels",
    "target-growth-rate-too-high",
    "document-type-undeclared",
    "literal-traditional-characters",
    "literal-pinyin-note",
}
CASES = [(f, "oxigraph") for f in INVALID] + [
    (f, "pyshacl")
    for f in INVALID
    if f.stem in PYSHACL_SAMPLE or os.environ.get("POLICYKG_FULL_SHACL")
]


@pytest.mark.parametrize(("fixture", "engine"), CASES, ids=[f"{f.stem}-{e}" for f, e in CASES])
def test_invalid_fixture_breaks_exactly_its_shape(fixture, engine):
    expected = expectations(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    report = validate_dataset(broken_store(fixture), engine=engine)
    assert outcome(report) == expected, report.text()
    assert report.conforms == all(sev != "Violation" for sev, _, _ in expected)


def test_engines_agree_on_paths_values_and_components():
    """Beyond shape and focus: the whole result records match (sampled on varied fixtures)."""
    for name in (
        "document-title-not-zh",
        "span-start-after-end",
        "literal-pinyin-note",
        "assignment-without-task",
        "agency-two-zh-labels",
        "section-ordinal-ill-formed",
    ):
        store = broken_store(FIXTURES / "invalid" / f"{name}.ru")
        a = validate_dataset(store, engine="oxigraph").results
        b = validate_dataset(store, engine="pyshacl").results

        def key(r):
            return (
                r.severity,
                str(r.shape),
                str(r.focus),
                r.component,
                str(r.path),
                r.value.n3() if r.value is not None else None,
            )

        assert sorted(map(key, a)) == sorted(map(key, b)), name


COUNT_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:One a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] .
ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:code ; sh:minCount 2 ; sh:maxCount 1 ] .
"""


def test_a_min_and_max_count_checked_in_one_query_name_the_bound_broken():
    """One query checks both counts of a property; each row still says which bound it
    breaks, as pyshacl does. Bounds that contradict each other (2 and 1) stay two queries,
    each with its own component."""
    from policykg.shapes.compile import compile_shapes

    shapes = Graph().parse(data=COUNT_SHAPES, format="turtle")
    merged = [c for c in compile_shapes(shapes) if "?component" in c.query]
    assert len(merged) == 1 and len(compile_shapes(shapes)) == 3
    store = ox.Store()
    store.update(
        "PREFIX ex: <https://example.org/> INSERT DATA { "
        "ex:none a ex:Thing . ex:two a ex:Thing ; ex:name 'a', 'b' ; ex:code 1 . "
        "ex:right a ex:Thing ; ex:name 'c' ; ex:code 1, 2 }"
    )
    found = {}
    for engine in ENGINES:
        report = validate_dataset(store, shapes=shapes, engine=engine, ontology=False)
        found[engine] = sorted(
            (str(r.focus).rsplit("/", 1)[-1], str(r.path).rsplit("/", 1)[-1], r.component)
            for r in report.results
        )
    assert found["oxigraph"] == found["pyshacl"] == [
        ("none", "code", "MinCountConstraintComponent"),
        ("none", "name", "MinCountConstraintComponent"),
        ("right", "code", "MaxCountConstraintComponent"),
        ("two", "code", "MinCountConstraintComponent"),
        ("two", "name", "MaxCountConstraintComponent"),
    ]


# -- rules on their own ---------------------------------------------------------------------


def test_pinyin_rule_leaves_acronyms_and_english_alone():
    """The valid fixture holds (MEMS) and (R&D); these must pass while 的(de) fails."""
    text = VALID.read_text(encoding="utf-8")
    assert "(MEMS)" in text and "(R&D)" in text
    for ok in ("5G(6G)网络", "研发(app)平台", "芯片(IC)设计"):
        store = broken_store(FIXTURES / "invalid" / "literal-pinyin-note-zh.ru")
        store.update(
            "PREFIX pk: <https://w3id.org/hubei-policy/ontology#> "
            'DELETE WHERE { GRAPH ?g { ?t pk:text ?x FILTER(CONTAINS(STR(?x), "(de)")) } }'
            if False
            else "PREFIX pk: <https://w3id.org/hubei-policy/ontology#> "
            'DELETE { ?t pk:text ?x } WHERE { ?t pk:text ?x FILTER(CONTAINS(STR(?x), "(de)")) } ; '
            f'INSERT DATA {{ <{ID_NS}task/xiang-zheng-ban-fa-2022-15/2.1> pk:text "{ok}"@zh }}'
        )
        assert validate_dataset(store).results == [], ok


def test_traditional_character_list_is_in_sync_with_the_shapes_file():
    chars = traditional.load()
    assert traditional.class_in_shapes() == chars
    assert "們" in chars and "發" in chars
    # characters that are also correct simplified characters are not in the list
    assert not set("著乾干台展为发") & set(chars)


def test_warnings_do_not_fail_unless_asked(tmp_path, capsys):
    broken = tmp_path / "undated.nq"
    store = broken_store(FIXTURES / "invalid" / "corpus-document-without-date.ru")
    store.dump(str(broken), format=ox.RdfFormat.N_QUADS)
    assert main([str(broken)]) == 0
    out = capsys.readouterr().out
    assert "WARNING pksh:CorpusDocument-issued" in out and "0 violation(s), 1 warning(s)" in out
    assert main([str(broken), "--fail-on", "warning"]) == 1


# -- the command ----------------------------------------------------------------------------


def test_cli_exit_codes_and_formats(tmp_path, capsys):
    assert main([str(VALID)]) == 0
    assert "conforms: 0 violation(s)" in capsys.readouterr().out

    broken = tmp_path / "broken.trig"
    broken_store(FIXTURES / "invalid" / "task-without-document.ru").dump(
        str(broken), format=ox.RdfFormat.TRIG
    )
    assert main([str(broken)]) == 1
    text = capsys.readouterr().out
    assert "VIOLATION pksh:Task-inDocument" in text
    assert "id:task/jing-xin-2021-3/1.1" in text

    assert main([str(broken), "--format", "json", "--lang", "zh"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False and data["violations"] == 1
    assert data["results"][0]["path"] == "pk:inDocument"
    assert "任务" in data["results"][0]["message"]["zh"]

    assert main([str(broken), "--format", "turtle"]) == 1
    report = Graph().parse(data=capsys.readouterr().out, format="turtle")
    (node,) = report.subjects(SH.sourceShape, URIRef(PKSH + "Task-inDocument"))
    assert report.value(node, SH.resultSeverity) == SH.Violation
    assert (None, SH.conforms, None) in report


def test_cli_reports_parse_errors_with_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix pk: <https://w3id.org/hubei-policy/ontology#> .\n\npk:a pk:b pk:c ;\n  .. \n",
        encoding="utf-8",
    )
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:" in err
    assert main([str(tmp_path / "missing.nq")]) == 2
    assert "missing.nq" in capsys.readouterr().err
    assert main([str(VALID), "--input-format", "klingon"]) == 2
    assert main(["--format", "yaml", str(VALID)]) == 2


def test_cli_reads_every_rdf_syntax(tmp_path):
    store = to_store([VALID], ontology=False)
    for fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        path = tmp_path / f"g.{fmt.file_extension}"
        store.dump(str(path), format=fmt)
        assert main([str(path)]) == 0, fmt
    union = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    triples = list(union)
    for fmt in (
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.RDF_XML,
        ox.RdfFormat.JSON_LD,
    ):
        path = tmp_path / f"g.{fmt.file_extension}"
        ox.serialize(triples, path, format=fmt)
        assert main([str(path)]) == 0, fmt
    assert main([str(tmp_path / "g.nt"), "--input-format", "ntriples"]) == 0


def test_cli_rdfs_inference_option(tmp_path):
    """With RDFS inference a node typed only through a domain is validated as a task."""
    store = to_store([VALID], ontology=False)
    store.update(
        "PREFIX pk: <https://w3id.org/hubei-policy/ontology#> "
        f"INSERT DATA {{ <{ID_NS}task/x/1> pk:inSection <{ID_NS}section/jing-xin-2021-3/1.1> }}"
    )
    path = tmp_path / "g.nq"
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    assert main([str(path)]) == 0
    for engine in ENGINES:
        report = validate_dataset([path], inference="rdfs", engine=engine)
        assert (str(PKSH + "Task-inDocument"), f"{ID_NS}task/x/1") in {
            (str(r.shape), str(r.focus)) for r in report.violations
        }, engine


def test_library_accepts_stores_quads_and_rdflib_graphs():
    store = to_store([VALID], ontology=False)
    quads = list(store.quads_for_pattern(None, None, None))
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(VALID, format="trig")
    for data in (store, quads, ds, [str(VALID)]):
        assert validate_dataset(data).conforms
    with pytest.raises(InputError):
        validate_dataset([FIXTURES / "nope.ttl"])


def test_module_runs_as_a_command():
    proc = subprocess.run(
        [sys.executable, "-m", "policykg.shapes.validate", str(VALID), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["conforms"] is True


def test_only_a_builds_own_dump_skips_the_iri_checks(tmp_path, capsys):
    """An IRI with a space is a user's error (exit 2, file and line); the build's own dump,
    whose terms pyoxigraph checked when they were made, is parsed without that check."""
    store = to_store([VALID], ontology=False)
    path = tmp_path / "g.nq"
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    with path.open("a", encoding="utf-8") as f:
        f.write('<https://example.org/a b> <https://example.org/p> "v" <https://example.org/g> .\n')
    assert main([str(path)]) == 2
    assert f"{path}:" in capsys.readouterr().err
    with pytest.raises(InputError):
        validate_dataset([path])
    report = validate_dataset([path], trusted=True)
    assert report.triples == validate_dataset([VALID]).triples + 1

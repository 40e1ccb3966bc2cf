"""``policykg build`` end to end on the real seeds and on broken inputs."""

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from policykg.extract.normalize import strip_pinyin, to_simplified
from policykg.ontology.vocab import ONTOLOGY_IRI, VOCABULARIES_GRAPH_IRI, sparql_prolog
from pyoxigraph import NamedNode

from policykg.build import BuildError, build

ROOT = Path(__file__).resolve().parents[1]

SMALL_PLAN = """关于加快发展数字经济的工作方案
各区人民政府，市人民政府各部门：
为加快发展数字经济，制定本方案。
一、重点任务
（一）建设数据中心。推进算力基础设施建设。（责任单位：市发改委、市经信局）
（二）培育数字企业。加大企业培育力度。（牵头单位：市经信局；责任单位：市科技局）
武汉市人民政府
2023年5月6日
"""


def select(store, query: str):
    return list(store.query(sparql_prolog() + query, use_default_graph_as_union=True))


def test_rebuild_is_byte_identical(seed_build, tmp_path):
    build(ROOT / "seeds", tmp_path, progress=lambda _l: None)
    assert (tmp_path / "graph.nq").read_bytes() == (seed_build / "graph.nq").read_bytes()


def test_dump_is_sorted_nquads_without_blank_nodes(seed_build):
    lines = (seed_build / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(set(lines))
    instance_lines = [line for line in lines if not line.endswith(f"<{ONTOLOGY_IRI}> .")]
    assert not [line for line in instance_lines if line.startswith("_:") or " _:" in line]


def test_one_named_graph_per_document_plus_ontology_and_vocabularies(seed_store):
    graphs = {g.value for g in seed_store.named_graphs()}
    query = "SELECT ?d WHERE { ?d a pk:PolicyDocument ; pk:sourceFile ?f }"
    docs = {row["d"].value for row in select(seed_store, query)}
    assert len(docs) == 5
    assert graphs == docs | {ONTOLOGY_IRI, VOCABULARIES_GRAPH_IRI}


def test_every_document_fact_is_in_its_own_graph(seed_store):
    rows = select(seed_store, """
        SELECT ?t ?g WHERE { GRAPH ?g { ?t a pk:Task ; pk:inDocument ?d } FILTER(?g != ?d) }""")
    assert rows == []


def test_provincial_agency_is_one_iri_across_documents_with_all_surface_forms(seed_store):
    rows = select(seed_store, """
        SELECT ?a (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?alts) WHERE {
          ?a skos:altLabel ?alt . FILTER(STR(?alt) IN ("省经信厅", "省經信廳"))
        } GROUP BY ?a""")
    assert len(rows) == 1
    assert set(rows[0]["alts"].value.split("|")) == {"省经信厅", "省經信廳"}


def test_same_city_department_name_in_two_cities_is_two_bodies(seed_store):
    rows = select(seed_store, """
        SELECT DISTINCT ?a ?region WHERE {
          ?t pk:responsibleAgency ?a . ?a pk:jurisdiction ?region ; skos:prefLabel ?l .
          FILTER(CONTAINS(STR(?l), "经济和信息化局"))
        }""")
    regions = {r["region"].value.rsplit("/", 1)[1] for r in rows}
    assert {"wuhan", "ezhou"} <= regions


def test_lead_agencies_are_also_responsible(seed_store):
    rows = select(seed_store, """
        SELECT ?t ?a WHERE {
          ?t pk:leadAgency ?a FILTER NOT EXISTS { ?t pk:responsibleAgency ?a }
        }""")
    assert rows == []
    leads = select(seed_store, "SELECT (COUNT(*) AS ?n) WHERE { ?t pk:leadAgency ?a }")
    assert int(leads[0]["n"].value) >= 16


def _fold(text: str) -> str:
    """What normalization does to a stretch of the original file, for comparing texts."""
    simplified = to_simplified(strip_pinyin(text))
    return "".join(unicodedata.normalize("NFKC", simplified).split())


def _original(seeds_dir: Path, row) -> str:
    raw = (seeds_dir / row["file"].value).read_text(encoding="utf-8")
    start, end = int(row["start"].value), int(row["end"].value)
    assert 0 <= start < end <= len(raw)
    return raw[start:end]


def test_every_assignment_points_back_into_the_original_file(seed_store, seeds_dir):
    """The span of an assignment is its agency mention in the original file: inside the
    clause it cites as evidence, and a part of one of the agency's labels."""
    rows = select(seed_store, """
        SELECT ?file ?start ?end ?evidence (GROUP_CONCAT(?label; separator="|") AS ?labels)
        WHERE {
          ?t pk:assignment ?x . ?x pk:assignedAgency ?a ; pk:inDocument ?d ;
             pk:sourceStart ?start ; pk:sourceEnd ?end ; pk:evidence ?evidence .
          ?d pk:sourceFile ?file .
          ?a skos:prefLabel|skos:altLabel ?label .
        } GROUP BY ?x ?file ?start ?end ?evidence""")
    assert len(rows) > 300
    for row in rows:
        mention = _fold(_original(seeds_dir, row))
        assert mention in _fold(row["evidence"].value), (mention, row["evidence"].value)
        labels = [_fold(label) for label in row["labels"].value.split("|")]
        assert any(mention in label or label in mention for label in labels), (mention, labels)


@pytest.mark.parametrize("kind", ["Task", "Target", "Citation"])
def test_every_span_holds_its_evidence_in_the_original_file(seed_store, seeds_dir, kind):
    rows = select(seed_store, f"""
        SELECT ?file ?start ?end ?evidence WHERE {{
          ?x a pk:{kind} ; pk:inDocument ?d ; pk:sourceStart ?start ; pk:sourceEnd ?end ;
             pk:evidence ?evidence .
          ?d pk:sourceFile ?file .
        }}""")
    assert len(rows) >= 5
    for row in rows:
        assert _fold(_original(seeds_dir, row)) == _fold(row["evidence"].value)


def test_empty_folder_is_a_clear_error(tmp_path):
    (tmp_path / "docs").mkdir()
    with pytest.raises(BuildError, match="no .txt or .md documents"):
        build(tmp_path / "docs", tmp_path / "out", progress=lambda _l: None)


def test_bad_document_is_reported_by_name_and_others_still_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(SMALL_PLAN, encoding="utf-8")
    (docs / "broken.txt").write_bytes(b"\xff\xfe\x00garbage\x80\x81")
    (docs / "empty.md").write_text("", encoding="utf-8")
    summary = build(docs, tmp_path / "out", progress=lambda _l: None)
    assert summary.documents == 1
    assert sorted(summary.failed) == ["broken.txt", "empty.md"]
    assert (tmp_path / "out" / "store" / "CURRENT").exists()


def test_violating_graph_keeps_the_previous_store(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(SMALL_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    build(docs, out, progress=lambda _l: None)
    before = (out / "graph.nq").read_bytes()
    strict = tmp_path / "strict.ttl"
    strict.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix pk: <https://w3id.org/hubei-policy/ontology#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass pk:Task ;
            sh:property [ sh:path pk:neverThere ; sh:minCount 1 ] .
    """)
    (docs / "plan.txt").write_text(SMALL_PLAN.replace("数据中心", "算力中心"), encoding="utf-8")
    with pytest.raises(BuildError, match="violates"):
        build(docs, out, shapes=strict, progress=lambda _l: None)
    assert (out / "graph.nq").read_bytes() == before
    from policykg.store import open_read_only

    store = open_read_only(out / "store")
    assert any("数据中心" in q.object.value for q in store.quads_for_pattern(None, None, None))
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policykg.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_query_prints_a_table(seed_build):
    query = """SELECT ?title WHERE {
        ?d a pk:PolicyDocument ; pk:docNumber ?n ; dcterms:title ?title } ORDER BY ?n"""
    proc = run_cli("query", "--store", str(seed_build / "store"), query)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].strip() == "title"
    assert "装备制造业" in proc.stdout
    assert proc.stdout.rstrip().endswith("rows)")


def test_query_json_and_csv(seed_build):
    import csv
    import io
    import json

    q = "SELECT ?n WHERE { ?d pk:docNumber ?n } ORDER BY ?n"
    out = run_cli("query", "--store", str(seed_build / "store"), "--format", "json", q)
    data = json.loads(out.stdout)
    numbers = [b["n"]["value"] for b in data["results"]["bindings"]]
    assert "鄂政办发〔2024〕19号" in numbers
    out = run_cli("query", "--store", str(seed_build / "store"), "--format", "csv", q)
    assert [r[0] for r in csv.reader(io.StringIO(out.stdout))][0] == "n"


def test_malformed_query_exits_2_with_the_parser_message(seed_build):
    proc = run_cli("query", "--store", str(seed_build / "store"), "SELEKT ?x WHERE { ?x ?p ?o }")
    assert proc.returncode == 2
    assert "malformed query" in proc.stderr


def test_query_without_store_exits_2(tmp_path):
    proc = run_cli("query", "--store", str(tmp_path / "none"), "ASK {}")
    assert proc.returncode == 2
    assert "policykg build" in proc.stderr


def test_store_has_agency_node_for_every_assignment(seed_store):
    rows = select(seed_store, """
        SELECT ?a WHERE { ?x pk:assignedAgency ?a FILTER NOT EXISTS { ?a skos:prefLabel ?l } }""")
    assert rows == []
    assert NamedNode(VOCABULARIES_GRAPH_IRI) in set(seed_store.named_graphs())


def test_seed_graph_conforms_to_the_shapes(seed_build):
    from policykg.shapes.validate import validate_dataset

    report = validate_dataset([seed_build / "graph.nq"])
    assert report.conforms, report.text()
    assert report.violations == []


def test_validate_cli_on_the_seed_graph_exits_0(seed_build):
    proc = run_cli("validate", str(seed_build / "graph.nq"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_instance_has_a_label(seed_store):
    rows = select(seed_store, """
        SELECT ?x WHERE {
          ?x a ?c . FILTER(STRSTARTS(STR(?x), "https://w3id.org/hubei-policy/id/"))
          FILTER NOT EXISTS { ?x rdfs:label|skos:prefLabel|dcterms:title ?l }
        } LIMIT 5""")
    assert rows == []
    labelled = select(seed_store, """
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
          VALUES ?c { pk:Assignment pk:Section pk:Target pk:Citation }
          ?x a ?c ; rdfs:label ?l . FILTER(LANG(?l) = "zh") }""")
    assert int(labelled[0]["n"].value) > 500


def test_parent_types_are_stated_without_a_reasoner(seed_store):
    for cls, parent in (("pk:Agency", "org:Organization"), ("pk:Target", "prov:Entity"),
                        ("pk:PolicyDocument", "prov:Entity"), ("pk:Assignment", "prov:Entity")):
        rows = select(seed_store, f"""
            SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a {cls} . FILTER NOT EXISTS {{ ?x a {parent} }} }}
        """)
        assert int(rows[0]["n"].value) == 0, cls
        rows = select(seed_store, f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a {parent} }}")
        assert int(rows[0]["n"].value) > 0, parent


def test_target_units_and_comparators_are_declared_terms(seed_store):
    rows = select(seed_store, """
        SELECT ?t WHERE { ?t a pk:Target .
          FILTER NOT EXISTS { ?t pk:unitOfMeasure ?u . ?u a pk:Unit ; rdfs:label ?l } } LIMIT 3""")
    assert rows == []
    rows = select(seed_store, """
        SELECT ?t WHERE { ?t pk:comparator ?c .
          FILTER NOT EXISTS { ?t pk:comparison ?k . ?k a pk:Comparator } } LIMIT 3""")
    assert rows == []


def test_published_iris_are_reproduced(seed_build):
    """The seed graph's document, agency and region IRIs are published: a rebuild makes
    exactly these. Changing tests/published_iris.txt is a deliberate, reviewed act (say
    in the commit which IRIs change and why)."""
    published = (ROOT / "tests" / "published_iris.txt").read_text(encoding="utf-8").split()
    dump = (seed_build / "graph.nq").read_text(encoding="utf-8")
    made = sorted(set(re.findall(r"<(https://w3id\.org/hubei-policy/id/(?:doc|agency|region)/[^>]+)>",
                                 dump)))
    assert made == published

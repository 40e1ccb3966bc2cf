"""The benchmark harness: percentiles, the fixed mix, the linear fit, and the load generator
against a real SPARQL server (the oxigraph CLI, when installed) on a small graph."""

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402
import loadgen  # noqa: E402
import serve_bench  # noqa: E402


def test_percentile_is_nearest_rank():
    values = [float(i) for i in range(1, 101)]
    assert loadgen.percentile(values, 50) == 50.0
    assert loadgen.percentile(values, 99) == 99.0
    assert loadgen.percentile([7.0], 95) == 7.0
    assert loadgen.percentile([], 50) is None


def test_schedule_interleaves_by_weight():
    order = loadgen.schedule({"good": 3, "bad": 1})
    assert sorted(order) == ["bad", "good", "good", "good"]
    assert order.count("good") == 3 and order[0] == "good"


def test_mix_expands_good_to_every_query_kind():
    mix = loadgen.parse_mix("good=2,update=1", ["a", "b"])
    assert mix == {"a": 2, "b": 2, "update": 1}


def test_linear_fit_recovers_a_line():
    fit = build_bench.linear_fit([5, 50, 500], [1 + 0.1 * x for x in (5, 50, 500)])
    assert fit["slope"] == pytest.approx(0.1) and fit["r2"] == pytest.approx(1.0)


def test_canonical_rows_ignore_how_numbers_are_typed():
    kind = loadgen.QUERY_KINDS["agency_aggregate"]
    a = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"3",' \
        b'"datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    b = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"typed-literal",' \
        b'"value":"3","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    assert serve_bench.canonical(kind, 200, a) == serve_bench.canonical(kind, 200, b)
    assert serve_bench.canonical(kind, 500, a) != serve_bench.canonical(kind, 200, a)


@pytest.fixture()
def oxigraph_server(tmp_path):
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists() and not shutil.which("oxigraph"):
        pytest.skip("the oxigraph server (bench extra) is not installed")
    from policykg.ontology.vocab import ID_NS, PK, RDF, RDFS, SKOS, VOCABULARIES_GRAPH_IRI
    from pyoxigraph import Literal, NamedNode, Quad

    from policykg.store import sorted_nquads

    def i(s):
        return NamedNode(ID_NS + s)

    voc = NamedNode(VOCABULARIES_GRAPH_IRI)
    quads = [Quad(i("region/wuhan"), PK.withinRegion, i("region/hubei"), voc),
             Quad(i("industry/ic"), RDF.type, PK.Industry, voc),
             Quad(i("industry/ic"), SKOS.prefLabel, Literal("集成电路", language="zh"), voc),
             Quad(i("agency/a"), SKOS.prefLabel, Literal("市经信局", language="zh"), voc)]
    for d in range(3):
        doc = i(f"doc/d{d}")
        for t in range(4):
            task = i(f"task/d{d}/{t}")
            quads += [Quad(task, RDF.type, PK.Task, doc), Quad(task, PK.inDocument, doc, doc),
                      Quad(task, RDFS.label, Literal(f"任务{t}", language="zh"), doc),
                      Quad(task, PK.text, Literal("发展集成电路产业", language="zh"), doc),
                      Quad(task, PK.leadAgency, i("agency/a"), doc),
                      Quad(task, PK.concernsRegion, i("region/wuhan"), doc)]
    nq = tmp_path / "g.nq"
    nq.write_bytes(sorted_nquads(quads))
    subprocess.run([str(binary), "load", "--location", str(tmp_path / "s"), "--file", str(nq)],
                   check=True, capture_output=True)
    port = serve_bench.free_port()
    server = serve_bench.Server("b", [str(binary), "serve-read-only", "--location",
                                      str(tmp_path / "s"), "--bind", f"127.0.0.1:{port}",
                                      "--union-default-graph"],
                                f"http://127.0.0.1:{port}/query", tmp_path / "log")
    server.start()
    try:
        server.wait_ready(30)
        yield server
    finally:
        server.stop()


def test_load_against_a_real_server(oxigraph_server):
    pools = loadgen.discover_pools(oxigraph_server.url)
    assert pools["tasks"][0].endswith("task/d0/0") and pools["keywords"] == ["集成电路"]
    names = list(loadgen.QUERY_KINDS)
    requests = loadgen.workload(names, pools, bad=True)
    mix = loadgen.parse_mix("good=2,malformed=1,update=1", names)
    start = time.perf_counter()
    result = asyncio.run(loadgen.run_load(oxigraph_server.url, requests, mix,
                                          concurrency=4, duration=1.0))
    assert time.perf_counter() - start < 10
    for name in names:
        k = result["kinds"][name]
        assert k["ok"] > 0 and k["ok"] == k["requests"], (name, k)
        assert k["p50_ms"] <= k["p95_ms"] <= k["p99_ms"]
    for name in ("malformed", "update"):  # refused with a 4xx: counted as expected
        k = result["kinds"][name]
        assert k["ok"] == k["requests"] > 0 and not any(s.startswith("2") for s in k["statuses"])
    assert "| **all** |" in loadgen.markdown_table(result)

"""The resource pages as a researcher reads them, over real HTTP: a document as an outline,
an agency by document and role, a task's text once, regions and industries with their
documents, tasks and targets; VoID partitions, the gzip dump, /.well-known/void, the
reader's text at /text/, and 404 answers a browser can read.

The server runs on the sample dataset plus a few statements (a parent agency, a task's
region) and the reader's text of one document beside the store, as a build leaves it.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re

import httpx
import pytest
from policykg.ontology.vocab import DCTERMS, ID_NS, ORG, PK, VOCABULARIES_GRAPH_IRI, VOID
from policykg.server import page_data
from pyoxigraph import NamedNode, Quad, RdfFormat, parse
from server_fixtures import SAMPLE, running_server

from policykg.store import load_store, write_sorted_nquads

pytest_plugins = ["server_fixtures"]

DOC = "doc/e-zheng-fa-2021-5"
TASK = "task/e-zheng-fa-2021-5/s4-1"
AGENCY = "agency/hubei-sheng-jing-ji-he-xin-xi-hua-ting"
TASK_TEXT = "壮大集成电路产业，建设存储器基地。"
SECOND_TEXT = "发展新能源汽车，完善充电设施。"


def n(path: str) -> NamedNode:
    return NamedNode(ID_NS + path)


def reader_text() -> str:
    """A document text whose spans hold the sample's tasks at their offsets (1200, 1400)."""
    filler = "第一章　总体要求\n坚持创新驱动，推动高质量发展。\n"
    head = (filler * 60)[:1200]
    middle = ("\n加快产业集聚，完善配套。" * 20)[:1400 - 1200 - len(TASK_TEXT)]
    return head + TASK_TEXT + middle + SECOND_TEXT + "\n（本规划由省发展改革委负责解释）\n"


EXTRA = [
    Quad(n(AGENCY), ORG.subOrganizationOf, n("agency/hubei-sheng-ren-min-zheng-fu"),
         NamedNode(VOCABULARIES_GRAPH_IRI)),
    Quad(n(TASK), PK.concernsRegion, n("region/hubei"), n(DOC)),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    quads = list(parse(path=str(SAMPLE), format=RdfFormat.N_QUADS)) + EXTRA
    dump = folder / "graph.nq"
    write_sorted_nquads(quads, dump)
    load_store(dump, folder / "store")
    (folder / "text").mkdir()
    (folder / "text" / "e-zheng-fa-2021-5.txt.txt").write_text(reader_text(), encoding="utf-8")
    with running_server(folder / "store") as base:
        yield base, folder


@pytest.fixture(scope="module")
def web(site):
    with httpx.Client(base_url=site[0], timeout=30) as c:
        yield c


def page(web, path: str) -> str:
    r = web.get("/page/" + path, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    return r.text


def test_document_page_is_an_outline_with_tasks_first(web):
    html = page(web, DOC)
    assert "<h1>湖北省制造业高质量发展“十四五”规划</h1>" in html
    outline, targets = html.index('id="outline"'), html.index('id="targets"')
    assert outline < targets < html.index('id="citations"') < html.index('id="provenance"')
    section = html.index("四、重点任务")
    first, second = html.index("（一）壮大集成电路产业"), html.index("（二）发展新能源汽车")
    assert outline < section < first < second < targets
    # each task with its lead and responsible agencies, labelled
    item = html[first:second]
    assert re.search(r'class="agency lead"[^>]*>湖北省经济和信息化厅<', item)
    assert re.search(r'class="agency responsible"[^>]*>湖北省发展和改革委员会<', item)
    assert "Inbound links" not in html and "/page/assignment/" not in html[:targets]
    # the region, the issuer and the number in the summary
    assert "湖北省" in html[:outline] and "鄂政发〔2021〕5号" in html[:outline]
    assert "湖北省人民政府" in html[:outline]


def test_document_page_targets_citations_provenance(web):
    html = page(web, DOC)
    table = html[html.index('id="targets"'):html.index('id="citations"')]
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells[:5] == ["集成电路产业规模", "", "3000", "亿元", "2025"]
    assert "集成电路" in cells[5]
    citations = html[html.index('id="citations"'):html.index('id="provenance"')]
    assert 'href="/page/doc/guo-fa-2015-28"' in citations and "《中国制造2025》" in citations
    assert 'href="/page/doc/wu-zheng-ban-2022-12"' in citations  # cited by
    provenance = html[html.index('id="provenance"'):]
    assert "e-zheng-fa-2021-5.txt" in provenance
    assert 'href="/text/e-zheng-fa-2021-5"' in provenance
    assert "/dumps/graph.ttl?graph=" in provenance


def test_agency_page_groups_tasks_by_document_and_role(web):
    html = page(web, AGENCY)
    assert "<h1>湖北省经济和信息化厅</h1>" in html
    rows = re.findall(r"<tr><td><a href=\"#doc-\d\">(.*?)</a></td><td class=\"num\">(\d+)</td>"
                      r"<td class=\"num\">(\d+)</td></tr>", html)
    assert [r[1:] for r in rows] == [("1", "1"), ("0", "1")]  # lead, responsible per document
    assert rows[0][0] == "湖北省制造业高质量发展“十四五”规划"
    assert 'href="/page/task/e-zheng-fa-2021-5/s4-1"' in html
    assert 'href="/page/task/wu-zheng-ban-2022-12/s2-1"' in html
    partners = html[html.index('id="partners"'):]
    found = re.findall(r'>([^<>]+)</a></td><td class="num">(\d+)</td>', partners)
    assert found[0] == ("湖北省发展和改革委员会", "2")
    assert ("武汉市经济和信息化局", "1") in found
    summary = html[:html.index('id="tasks"')]
    assert '<span class="form" lang="zh">省经信厅</span>' in summary  # surface form
    assert 'href="/page/agency/hubei-sheng-ren-min-zheng-fu"' in summary  # parent


def test_task_page_shows_its_text_once_with_industries_and_regions(web):
    html = page(web, TASK)
    assert html.count(TASK_TEXT) == 1
    summary = html[:html.index('id="text"')]
    assert "集成电路" in summary and 'href="/page/region/hubei"' in summary
    assert 'class="agency lead"' in summary and "湖北省经济和信息化厅" in summary
    assert 'href="/text/e-zheng-fa-2021-5#char=1200,1217"' in summary
    assert html.count("（牵头单位：湖北省经济和信息化厅；责任单位：湖北省发展和改革委员会）") == 1
    table = html[html.index('id="assignments"'):]
    assert table.index("湖北省经济和信息化厅") < table.index("湖北省发展和改革委员会")


def test_region_and_industry_pages_list_documents_tasks_targets(web):
    html = page(web, "region/hubei")
    docs = html[html.index("Documents"):html.index("Tasks")]
    assert 'href="/page/doc/e-zheng-fa-2021-5"' in docs
    assert 'href="/page/task/e-zheng-fa-2021-5/s4-1"' in html[html.index("Tasks"):]
    assert 'href="/page/agency/hubei-sheng-jing-ji-he-xin-xi-hua-ting"' in html
    html = page(web, "industry/ji-cheng-dian-lu")
    docs = html[html.index("Documents"):html.index("Tasks")]
    assert 'href="/page/doc/e-zheng-fa-2021-5"' in docs
    assert 'href="/page/doc/wu-zheng-ban-2022-12"' in docs
    tasks = html[html.index("Tasks"):html.index("Targets")]
    assert tasks.count('href="/page/task/') == 2
    assert html[html.index("Targets"):].count('href="/page/target/') == 2


def test_unlabelled_instance_is_shown_by_its_type(web):
    html = page(web, "industry/ji-cheng-dian-lu")  # the sample's targets carry no label
    assert ">Target ji-cheng-dian-lu-chan-ye-gui-mo-2025<" in html  # no class label either


def test_pages_still_negotiate(web):
    r = web.get("/id/" + TASK, headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"] == f"/data/{TASK}.ttl"
    r = web.get("/id/" + DOC, headers={"Accept": "text/html"})
    assert r.headers["location"] == "/page/" + DOC


def test_text_is_the_readers_output_with_its_checksum(web, site):
    r = web.get("/text/e-zheng-fa-2021-5")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    body = r.content
    assert body == (site[1] / "text" / "e-zheng-fa-2021-5.txt.txt").read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    assert r.headers["etag"] == f'"sha256-{digest}"'
    assert r.headers["x-content-sha256"] == digest
    text = body.decode("utf-8")
    assert text[1200:1217] == TASK_TEXT and text[1400:1415] == SECOND_TEXT  # spans point here
    again = web.get("/text/e-zheng-fa-2021-5", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert web.get("/text/wu-zheng-ban-2022-12").status_code == 404  # no file on this server
    assert web.get("/text/no-such-doc").status_code == 404
    assert web.get("/text/..%2Fstore").status_code == 404


def test_gzip_dump_is_the_build_dump(web, site):
    r = web.get("/dumps/graph.nq.gz")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in r.headers  # a .gz file, not an encoded N-Quads answer
    assert gzip.decompress(r.content) == (site[1] / "store" / "graph.nq").read_bytes()
    assert r.content == web.get("/dumps/graph.nq.gz").content  # the same bytes each time


def test_void_partitions_licence_and_dumps(web):
    r = web.get("/.well-known/void", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/void"
    r = web.get("/.well-known/void", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    void = list(parse(r.content, RdfFormat.TURTLE))

    def objects(s, p):
        return [t.object for t in void if t.subject == s and t.predicate == p]

    (ds,) = [t.subject for t in void if t.predicate == DCTERMS.license]
    assert objects(ds, DCTERMS.license)[0].value.startswith("https://creativecommons.org/")
    dumps = {o.value.rsplit("/", 1)[-1] for o in objects(ds, VOID.dataDump)}
    assert {"graph.nq", "graph.nq.gz", "graph.trig"} <= dumps
    classes = {}
    for part in objects(ds, VOID.classPartition):
        (cls,) = objects(part, VOID.term("class"))
        (count,) = objects(part, VOID.entities)
        classes[cls.value] = int(count.value)
    assert classes[PK.Task.value] == 3 and classes[PK.Agency.value] == 4
    properties = {}
    for part in objects(ds, VOID.propertyPartition):
        (prop,) = objects(part, VOID.property)
        (count,) = objects(part, VOID.triples)
        properties[prop.value] = int(count.value)
    assert properties[PK.leadAgency.value] == 3
    (total,) = objects(ds, VOID.triples)
    assert sum(properties.values()) == int(total.value) == 185 + len(EXTRA)


def test_unknown_paths_are_404_for_browsers_and_programs(web):
    r = web.get("/no/such/thing", headers={"Accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "404" in r.text and 'href="/"' in r.text
    r = web.get("/no/such/thing", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["detail"]
    r = web.get("/no/such/thing")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/plain")
    r = web.get("/page/task/no-such-doc/s1", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "<h1>" in r.text and "no-such-doc" in r.text
    assert web.get("/static/nope.css").status_code == 404
    r = web.get("/id/task/no-such-doc/s1", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    r = web.get("/id/task/no-such-doc/s1", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/plain")


def test_every_page_query_is_bounded():
    """No page runs a query without a LIMIT, whatever the kind of resource."""
    seen: list[str] = []

    async def select(query, max_rows=None):
        seen.append(query)
        assert max_rows is not None
        return [{"n": {"type": "literal", "value": "0"}}] if "COUNT" in query else []

    async def all_pages():
        iri = ID_NS + "x/y"
        for fn in (page_data.properties, page_data.inbound, page_data.graph_size,
                   page_data.document, page_data.agency, page_data.task, page_data.region,
                   page_data.industry):
            await fn(select, iri)

    asyncio.run(all_pages())
    assert len(seen) > 20
    assert all(re.search(r"\bLIMIT \d+\s*$", q) for q in seen), [q for q in seen
                                                                   if "LIMIT" not in q]


def test_assignment_clause_is_marked_inside_the_text_not_repeated():
    from policykg.server.pages import marked_text

    body = "推进智能制造示范。\n（牵头单位：市经信局；责任单位：市科技局）"
    clause = "（牵头单位：市经信局；责任单位：市科技局）"
    segments, apart = marked_text(body, [clause, clause, body, "另见附表"])
    assert segments == [("推进智能制造示范。\n", False), (clause, True)]
    assert apart == ["另见附表"]  # evidence not inside the text is shown apart
    assert marked_text(body, [body]) == ([(body, False)], [])

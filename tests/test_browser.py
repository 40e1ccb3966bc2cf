"""The query page in a real headless Chromium, as a policy researcher uses it: a permalink,
labels instead of IRIs, paging, sorting and filtering, the network view of the agency
co-assignment query, the chart of targets, Back, cancel, zh/en, and Chinese that renders.

Runs on the graph ``policykg build`` makes from the seeds. Skipped only on a developer machine
without /usr/bin/chromium; in CI (``CI`` set) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from browser_fixtures import open_page, require_chromium
from policykg.server.examples import query_order

ROOT = Path(__file__).resolve().parents[1]

require_chromium()

pytest_plugins = ["server_fixtures", "browser_fixtures"]

CO_ASSIGNMENT = """# Which agencies are given the same tasks? (weighted by shared tasks)
SELECT ?agency ?other (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
  ?task pk:responsibleAgency ?agency , ?other .
  FILTER(STR(?agency) < STR(?other))
}
GROUP BY ?agency ?other
ORDER BY DESC(?tasks)
"""
TARGETS = """SELECT ?industry ?value ?unit WHERE {
  ?t a pk:Target ; pk:targetValue ?value ; pk:unit ?unit ; pk:concernsIndustry ?industry .
}
ORDER BY DESC(?value)
"""
LEADS = "SELECT ?task ?agency WHERE { ?task pk:leadAgency ?agency } ORDER BY ?task ?agency"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(seed_build):
    from server_fixtures import running_server

    with running_server(seed_build / "store", max_rows=100_000, timeout=20.0) as base:
        yield base


@pytest.fixture
def page(browser, server):
    context, pg, external, errors = open_page(browser, server, "zh-CN")
    yield pg
    context.close()
    assert not external, external
    assert not errors, errors


def open_query(page, server, query: str, view: str = "") -> None:
    page.goto(server + "/?" + (f"view={view}&" if view else "") + "query=" + quote(query))
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#status[data-rows]")


def test_examples_are_the_docs_queries(page, server):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    files = sorted((ROOT / "docs" / "queries").glob("*.rq"), key=query_order)
    ids = page.locator("button.example").evaluate_all("bs => bs.map(b => b.dataset.example)")
    assert ids == [f.stem for f in files]
    # the editor holds the first file as it is: no PREFIX lines, comments kept
    text = page.evaluate("() => window.queryPage.getQuery()")
    assert text == files[0].read_text(encoding="utf-8").rstrip() + "\n"
    assert "PREFIX" not in text
    page.click(f"button[data-example='{files[1].stem}']")
    page.wait_for_selector("#status[data-rows]")
    assert page.locator("table.results-table tbody tr").count() > 0
    assert "query=" in page.url  # running puts the query in the URL


def test_permalink_shows_labels_not_iris(page, server):
    open_query(page, server, LEADS)
    page.wait_for_selector("#results[data-labelled=true]")
    assert page.locator("table.results-table th").all_inner_texts() == ["?task", "?agency"]
    links = page.locator("table.results-table tbody tr").first.locator("a.iri")
    agency = links.nth(1)
    assert agency.get_attribute("title").startswith("https://w3id.org/hubei-policy/id/agency/")
    assert agency.get_attribute("href").startswith("/id/agency/")
    text = page.inner_text("table.results-table tbody")
    assert "id:agency/" not in text and "id:task/" not in text
    assert "湖北省" in text or "武汉市" in text
    # typed values are values: no ^^xsd:decimal clutter, the datatype on hover
    open_query(page, server, TARGETS)
    cell = page.locator("table.results-table tbody tr").first.locator("td.num")
    assert "^^" not in page.inner_text("table.results-table")
    assert cell.get_attribute("title") == "xsd:decimal"
    float(cell.inner_text())


def test_page_sort_and_filter_a_large_result(page, server):
    open_query(page, server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000")
    assert page.get_attribute("#status", "data-rows") == "10000"
    rows = page.locator("table.results-table tbody tr")
    assert rows.count() == 100  # one page, never 10,000 rows at once
    assert int(page.get_attribute("body", "data-render-ms")) < 3000
    page.wait_for_selector("#results[data-labelled=true]", timeout=60_000)  # 2+ label batches
    first = rows.first.inner_text()
    page.click("button.page-next")
    assert "2 / 100" in page.inner_text(".page-label")
    assert rows.first.inner_text() != first
    page.click("button.page-last")
    assert "100 / 100" in page.inner_text(".page-label")
    page.select_option("select.page-size", "500")
    assert rows.count() == 500
    # filter then sort by a column
    page.fill("input.table-filter", "targetValue")
    info = page.inner_text(".table-info")
    assert "10000" in info and rows.count() < 500
    page.fill("input.table-filter", "")
    page.click("th[data-var=o]")
    assert page.locator("th.sorted-asc").count() == 1
    page.click("th[data-var=o]")
    assert page.locator("th.sorted-desc").count() == 1


def test_network_view_of_co_assignment(page, server):
    open_query(page, server, CO_ASSIGNMENT, view="network")
    page.wait_for_selector("#network canvas")
    page.wait_for_selector("#results[data-labelled=true]")
    nodes = int(page.get_attribute("#results", "data-nodes"))
    edges = int(page.get_attribute("#results", "data-edges"))
    assert nodes > 10 and edges > nodes
    assert page.locator("select[data-role=weight]").input_value() == "tasks"
    labels = page.evaluate("() => window.queryPage.cy.nodes().map(n => n.data('label'))")
    assert all(not label.startswith("id:") for label in labels)
    assert any("经济和信息化" in label for label in labels)
    assert "view=network" in page.url
    # tapping the best-connected node names it and links its page
    page.evaluate("() => window.queryPage.cy.nodes().max(n => n.data('degree')).ele.emit('tap')")
    page.wait_for_selector(".network-info a[href^='/id/agency/']")
    # the table view of the same result is one click away, and back
    page.click("#views button[data-view=table]")
    page.wait_for_selector("table.results-table")
    assert "view=network" not in page.url


def test_chart_of_targets_and_construct_table(page, server):
    open_query(page, server, TARGETS)
    page.click("#views button[data-view=chart]")
    page.wait_for_selector("#chart-canvas")
    assert int(page.get_attribute("#results", "data-points")) > 5
    assert page.locator("select[data-role=y_axis]").input_value() == "value"
    assert page.locator("select[data-role=series]").input_value() == "unit"
    page.select_option("select[data-role=kind]", "line")
    assert "view=chart" in page.url
    # CONSTRUCT: a table of triples, and downloads in graph formats
    open_query(page, server, "CONSTRUCT { ?t pk:leadAgency ?a } WHERE { ?t pk:leadAgency ?a }")
    assert page.locator("table.results-table th").all_inner_texts() == [
        "?subject", "?predicate", "?object"]
    assert "triples" in page.inner_text("#status") or "三元组" in page.inner_text("#status")
    with page.expect_download() as info:
        page.click("button.download[data-format=turtle]")
    assert "leadAgency" in Path(info.value.path()).read_text(encoding="utf-8")


def test_back_restores_results_without_running_again(page, server):
    open_query(page, server, LEADS)
    first = page.locator("table.results-table tbody tr").count()
    page.evaluate("() => window.queryPage.setQuery('SELECT ?g WHERE { GRAPH ?g {} }')")
    page.click("#run")
    page.wait_for_function("() => document.querySelectorAll('table.results-table th').length"
                           " === 1")
    page.wait_for_selector("#results[data-labelled=true]")  # its label query is done too
    asked = len(page.sparql_requests)
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('table.results-table th').length"
                           " === 2")
    assert page.locator("table.results-table tbody tr").count() == first
    assert "leadAgency" in page.evaluate("() => window.queryPage.getQuery()")
    assert len(page.sparql_requests) == asked  # from memory, not a new query
    page.wait_for_selector("#history button.recent")


def test_cancel_a_running_query(page, server):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.evaluate("q => window.queryPage.setQuery(q)", SLOW)
    page.click("#run")
    page.wait_for_selector("#cancel:not([disabled])")
    page.click("#cancel")
    page.wait_for_selector("#status.cancelled")
    assert page.inner_text("#status") == "已取消"
    assert page.is_enabled("#run") and page.is_disabled("#cancel")


def test_language_follows_the_browser_and_the_switch(browser, server):
    context, pg, external, errors = open_page(browser, server, "en-US")
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready=true]")
    assert pg.inner_text("#run") == "Run query"
    pg.select_option("#lang", "zh")
    assert pg.inner_text("#run") == "运行"
    assert pg.evaluate("() => document.documentElement.lang") == "zh-CN"
    context.close()
    assert not external and not errors, (external, errors)


def test_a_cjk_glyph_renders_not_a_box(page, server):
    """Draw 湖 and 北 in the page's own font stack: empty boxes (no CJK font) are all alike,
    real glyphs differ from each other and from a code point no font has."""
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    ink = page.evaluate("""() => {
      const font = getComputedStyle(document.body).fontFamily;
      const draw = ch => {
        const c = document.createElement('canvas'); c.width = c.height = 40;
        const g = c.getContext('2d'); g.font = '32px ' + font; g.fillText(ch, 2, 32);
        const d = g.getImageData(0, 0, 40, 40).data; let s = ''; let n = 0;
        for (let i = 3; i < d.length; i += 4) { s += d[i] > 127 ? '1' : '0'; n += d[i] > 127; }
        return [s, n];
      };
      return {hu: draw('湖'), bei: draw('北'), none: draw('\\u{10FFFD}')};
    }""")
    assert ink["hu"][1] > 40, "湖 left no ink"
    assert ink["hu"][0] != ink["bei"][0], "湖 and 北 look alike: boxes, no CJK font"
    assert ink["hu"][0] != ink["none"][0]


def test_editor_completes_ontology_terms_and_shows_errors_in_the_users_lines(page, server):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.evaluate("() => window.queryPage.setQuery('SELECT * WHERE {\\n  ?t a ')")
    page.click(".cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("pk:Tas")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete")
    options = page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert any(o.startswith("pk:Task") for o in options), options
    # pick the option itself (Enter races the list being refreshed as terms arrive)
    page.locator(".cm-tooltip-autocomplete .cm-completionLabel").get_by_text(
        "pk:Task", exact=True).first.click()
    page.wait_for_function("() => window.queryPage.getQuery().endsWith('?t a pk:Task')")
    assert page.locator("#views").is_hidden()
    page.evaluate("() => window.queryPage.setQuery('# comment\\nSELECT * WHERE {\\n  ?s ?p\\n}')")
    page.click("#run")
    page.wait_for_selector(".error-message")
    assert "400" in page.inner_text("#status")
    message = page.inner_text(".error-message")
    assert "4:" in message or "line 4" in message, message  # the user's line, not the prolog's

"""The query page in a real headless Chromium: run an example, see the table, follow an IRI.

Skipped only on a developer machine without /usr/bin/chromium; in CI (``CI`` set) a
missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)

pytest_plugins = ["server_fixtures"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "CI must install chromium (see .ci/run)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    external: list[str] = []

    def guard(route):  # the page must not load anything from outside this server
        if route.request.url.startswith(server):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not external, external
    assert not errors, errors


def test_run_example_see_table_follow_iri(page, server):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    # prefixes are pre-filled and highlighted
    assert "PREFIX pk: <https://w3id.org/hubei-policy/ontology#>" in page.input_value("#query")
    assert page.locator("#highlight .t-keyword").count() > 3
    page.click("button[data-example=lead-agencies]")
    page.wait_for_selector("table.results-table tbody tr")
    headers = page.locator("table.results-table th").all_inner_texts()
    assert headers[:2] == ["?document", "?task"]
    assert page.locator("table.results-table tbody tr").count() == 3
    assert "rows in" in page.inner_text("#status")
    assert "湖北省经济和信息化厅" in page.inner_text("table.results-table")
    link = page.locator("table.results-table tbody tr").first.locator("a.iri").nth(1)
    assert link.inner_text().startswith("id:task/")
    link.click()
    page.wait_for_selector("h1")
    assert "/page/task/" in page.url
    assert page.inner_text("h1").startswith("（")
    assert "Evidence" in page.inner_text("main")


def test_typed_query_error_and_download(page, server):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector(".error-message")
    assert "400" in page.inner_text("#status")
    assert "expected" in page.inner_text(".error-message")
    page.fill("#query", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results-table tbody tr")
    assert page.locator("table.results-table tbody tr").count() == 4
    with page.expect_download() as info:
        page.click("#download-csv")
    path = info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "g,n" and len(text.splitlines()) == 5

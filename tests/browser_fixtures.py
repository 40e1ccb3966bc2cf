"""Headless Debian Chromium for the browser tests (a pytest plugin: ``pytest_plugins``).

One launcher and one page guard for every browser test: a page may load nothing from
outside the server under test, and any script error fails the test. Skipped only on a
developer machine without /usr/bin/chromium; in CI (``CI`` set) a missing browser fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Call at module level: skip the module where no browser is meant to be."""
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian chromium not installed (apt-get install chromium)",
                    allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "CI must install chromium (see .ci/run)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def open_page(browser, server: str, locale: str = "zh-CN",
              viewport: tuple[int, int] = (1400, 1000)):
    """(context, page, external requests, page errors); ``page.sparql_requests`` lists
    the bodies (or URLs) of the page's /sparql requests."""
    context = browser.new_context(locale=locale,
                                  viewport={"width": viewport[0], "height": viewport[1]})
    external: list[str] = []
    sparql: list[str] = []

    def guard(route):  # a page must not load anything from outside this server
        if route.request.url.startswith(server):
            if "/sparql" in route.request.url:
                sparql.append(route.request.post_data or route.request.url)
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.sparql_requests = sparql
    return context, pg, external, errors

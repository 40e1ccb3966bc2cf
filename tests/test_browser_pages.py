"""The resource pages in a real headless Chromium: document → task → agency by clicking.

Asserts what a researcher sees: the document's outline with its tasks near the top, a
task's text once with its agencies, an agency's tasks by document and role with counts
and the agencies it shares tasks with; and that Chinese renders as glyphs, not boxes.
Screenshots go to ``$PAGES_SCREENSHOTS`` when set (else the test's temporary folder).
Skipped only on a developer machine without /usr/bin/chromium; in CI a missing browser
is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_fixtures import open_page, require_chromium

require_chromium()

pytest_plugins = ["server_fixtures", "browser_fixtures"]

INK = """(text) => {
  // Pixels inked by `text` in the page's own font, against unassigned code points that
  // every font draws as the same missing-glyph box: equal means Chinese shows as boxes.
  const font = getComputedStyle(document.querySelector("h1")).font;
  const draw = (s) => {
    const c = document.createElement("canvas"); c.width = 400; c.height = 60;
    const g = c.getContext("2d"); g.font = font; g.fillStyle = "#000";
    g.fillText(s, 4, 44);
    return Array.from(g.getImageData(0, 0, 400, 60).data.filter((_, i) => i % 4 === 3));
  };
  const a = draw(text), b = draw("\\u0378".repeat(text.length));
  return {ink: a.filter(x => x > 0).length, differs: a.some((x, i) => x !== b[i])};
}"""


@pytest.fixture
def page(browser, server):
    context, pg, external, errors = open_page(browser, server, viewport=(1200, 1000))
    yield pg
    context.close()
    assert not external, external
    assert not errors, errors


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("PAGES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_document_to_task_to_agency(page, server, shots):
    page.goto(server + "/page/doc/e-zheng-fa-2021-5")
    assert page.inner_text("h1") == "湖北省制造业高质量发展“十四五”规划"
    page.screenshot(path=str(shots / "document.png"), full_page=True)
    # the outline: section, then its tasks with their agencies, above the fold
    outline = page.locator("#outline")
    assert "四、重点任务" in outline.inner_text()
    task = outline.get_by_role("link", name="（一）壮大集成电路产业")
    assert task.bounding_box()["y"] < 1000
    item = outline.locator("li.task").first
    assert item.locator(".agency.lead").all_inner_texts() == ["湖北省经济和信息化厅"]
    assert item.locator(".agency.responsible").all_inner_texts() == ["湖北省发展和改革委员会"]
    assert "3000" in page.inner_text("#targets table")
    assert page.is_visible("a.text-link")
    glyphs = page.evaluate(INK, "集成电路")
    assert glyphs["ink"] > 0 and glyphs["differs"], "Chinese renders as boxes: no CJK font"

    task.click()
    page.wait_for_url("**/page/task/e-zheng-fa-2021-5/s4-1")
    assert page.inner_text("h1") == "（一）壮大集成电路产业"
    assert page.inner_text("main").count("壮大集成电路产业，建设存储器基地。") == 1
    summary = page.inner_text("dl.summary")
    assert "集成电路" in summary and "湖北省制造业高质量发展" in summary
    assert "原文依据 Evidence" in page.inner_text("main")
    page.screenshot(path=str(shots / "task.png"), full_page=True)

    page.locator("dl.summary a.agency.lead").click()
    page.wait_for_url("**/page/agency/hubei-sheng-jing-ji-he-xin-xi-hua-ting")
    assert page.inner_text("h1") == "湖北省经济和信息化厅"
    rows = page.locator("table.groups tbody tr").all_inner_texts()
    assert len(rows) == 2 and rows[0].split("\t")[1:] == ["1", "1"]
    partners = page.locator("table.partners tbody tr").all_inner_texts()
    assert partners[0].split("\t") == ["湖北省发展和改革委员会", "2"]
    assert "省经信厅" in page.inner_text("dd.forms")
    page.screenshot(path=str(shots / "agency.png"), full_page=True)

    page.go_back()
    page.wait_for_url("**/page/task/e-zheng-fa-2021-5/s4-1")


def test_unknown_page_is_a_readable_404(page, server):
    response = page.goto(server + "/page/task/no-such-doc/s1")
    assert response.status == 404
    assert "404" in page.inner_text("h1")
    page.get_by_role("link", name="本体 the ontology").click()
    page.wait_for_url("**/ontology")

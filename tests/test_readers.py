"""One document, any format, same extraction: the readers of extract/readers/."""

from __future__ import annotations

import pytest
import readers_docs as R
from policykg.extract.errors import DocumentError
from policykg.extract.industries import IndustryScheme
from policykg.extract.pipeline import extract_document
from policykg.extract.places.gazetteer import Gazetteer
from policykg.extract.readers import read_output, read_source

FORMATS = ["html", "docx", "pdf"]


@pytest.fixture(scope="module")
def shared():
    return IndustryScheme.load(), Gazetteer.load()


def facts(path, shared):
    """Tasks, assignments (task key, agency, role) and targets of one file."""
    scheme, gazetteer = shared
    ex = extract_document(read_source(path), scheme, gazetteer).extraction
    return {
        "tasks": sorted((t.key, t.label) for t in ex.tasks),
        "assignments": sorted((a.task, a.mention.surface, a.mention.role, a.form)
                              for a in ex.assignments),
        "targets": sorted((t.metric, t.value, t.unit, t.year) for t in ex.targets),
        "title": ex.meta.title,
    }


def _needs(fmt):
    if fmt == "pdf" and R.cjk_font() is None:
        pytest.skip("no CJK font installed (make browser installs fonts-wqy-zenhei)")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("doc", sorted(R.DOCUMENTS))
def test_same_document_in_any_format_gives_the_same_extraction(doc, fmt, tmp_path, shared):
    _needs(fmt)
    blocks = R.DOCUMENTS[doc]
    want = facts(R.write_txt(blocks, tmp_path / f"{doc}.txt"), shared)
    assert want["tasks"] and want["assignments"] and want["targets"]
    got = facts(getattr(R, f"write_{fmt}")(blocks, tmp_path / f"{doc}.{fmt}"), shared)
    assert got == want


def test_the_table_document_has_table_rows_as_tasks(tmp_path, shared):
    got = facts(R.write_txt(R.BUSINESS, tmp_path / "b.txt"), shared)
    table = {(k, a, r) for k, a, r, form in got["assignments"] if form == "table"}
    assert ("3.r1", "区市场监管局", "lead") in table
    assert ("3.r3", "各街道", "responsible") in table


def test_html_page_drops_chrome_and_reads_meta_and_info_block(tmp_path):
    out = read_output(R.write_html(R.DIGITAL, tmp_path / "d.html"))
    for chrome in ("首页", "当前位置", "打印本页", "版权所有", "相关文章", "浏览次数", "_hmt"):
        assert chrome not in out.text
    assert out.metadata["title"] == "黄陂区推进制造业数字化转型实施方案"
    assert out.metadata["doc_number"] == "陂政办〔2025〕5号"
    assert out.metadata["issuer"] == "黄陂区人民政府办公室"
    assert out.metadata["date"] == "2025-03-10"
    assert out.metadata["index_number"] == "011043528/2025-01234"
    assert out.metadata["published"].startswith("2025-03-12")


def test_html_in_gbk_by_meta_charset_and_by_detection(tmp_path):
    path = R.write_html(R.BUSINESS, tmp_path / "b.html", encoding="gbk")
    assert "区市场监管局" in read_output(path).text
    undeclared = tmp_path / "u.htm"
    undeclared.write_bytes(path.read_bytes().replace(b"charset=gbk", b""))
    out = read_output(undeclared)
    assert "区市场监管局" in out.text and out.tables[0].rows[0] == ("序号", "任务", "牵头单位",
                                                                   "责任单位")


def test_html_rowspan_cells_are_spread_over_their_rows():
    from policykg.extract.readers.html import parse

    page = ("<html><body><div><p>三、任务分解</p><table>"
            "<tr><td>序号</td><td>任务</td><td>牵头单位</td></tr>"
            "<tr><td>1</td><td>建设智慧园区。</td><td rowspan='2'>区经信局</td></tr>"
            "<tr><td>2</td><td>培育专精特新企业。</td></tr></table></div></body></html>")
    rows = parse(page, "t.html").tables[0].rows
    assert rows[2] == ("2", "培育专精特新企业。", "区经信局")


def test_source_text_carries_media_type_and_sha256(tmp_path):
    import hashlib

    path = R.write_html(R.DIGITAL, tmp_path / "d.html")
    source = read_source(path)
    assert source.media_type == "text/html"
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.raw == read_output(path).text  # spans point into the reader's text


@pytest.mark.parametrize("name", ["old.doc", "old.wps"])
def test_legacy_word_files_are_reported_unsupported(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(DocumentError, match="unsupported format") as err:
        read_source(path)
    assert "\n" not in str(err.value)


def test_word_numbering_labels_in_the_formats_plans_use():
    from policykg.extract.readers.docx_numbering import chinese, format_number

    assert [chinese(n) for n in (1, 10, 12, 20, 35, 105)] == ["一", "十", "十二", "二十", "三十五",
                                                            "一百零五"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "chineseCountingThousand") == "二"


def test_docx_merged_cells_and_auto_numbering(tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("落实审批改革。", style="List Number")
    doc.add_paragraph("优化窗口服务。", style="List Number")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "任务", "牵头单位"], ["1", "建设智慧园区。", "区经信局"],
                             ["2", "培育专精特新企业。", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 2).merge(table.cell(2, 2))  # one lead over two rows
    doc.save(tmp_path / "m.docx")
    out = read_output(tmp_path / "m.docx")
    assert out.paragraphs[:2] == ["1.落实审批改革。", "2.优化窗口服务。"]
    assert out.tables[0].rows[2] == ("2", "培育专精特新企业。", "区经信局")


def test_pdf_drops_running_headers_and_page_numbers(tmp_path):
    _needs("pdf")
    path = R.write_pdf(R.VEHICLES * 8, tmp_path / "long.pdf")
    text = read_output(path).text
    assert "- 2 -" not in text and "- 1 -" not in text
    assert "黄陂区人民政府办公室" not in text  # the running header of pages 2…
    assert text.count("落实购车补贴政策") == 8


def test_pdf_furniture_rules_on_lines_alone():
    from policykg.extract.readers.pdf import parse_pages

    def line(text, top, x1=300):
        return (top, {"text": text, "top": top, "bottom": top + 10, "x0": 50, "x1": x1})

    pages = [(800, [line("临湖区人民政府文件", 20, 200), line("一、加快建设智慧园区，", 100),
                    line("第1页 共2页", 780, 200)]),
             (800, [line("临湖区人民政府文件", 20, 200), line("培育专精特新企业。", 100, 200),
                    line("二、强化保障", 120, 120), line("第2页 共2页", 780, 200)])]
    blocks = parse_pages(pages)
    assert [b.text for b in blocks] == ["一、加快建设智慧园区，培育专精特新企业。", "二、强化保障"]


def test_pdf_cell_lines_join_unless_two_agency_names():
    from policykg.extract.readers.pdf import join_cell_lines

    assert join_cell_lines(["推进审批改革，审批时间压减至40个工作", "日。"]) == (
        "推进审批改革，审批时间压减至40个工作日。")
    assert join_cell_lines(["区住建局", "区财政局"]) == "区住建局 区财政局"


def test_a_pdf_without_a_text_layer_is_reported_as_scanned(tmp_path):
    path = R.write_pdf(R.DIGITAL, tmp_path / "scan.pdf", text_layer=False)
    with pytest.raises(DocumentError, match=r"no text layer \(scanned\?\)"):
        read_source(path)


def test_a_mixed_corpus_builds_in_one_command_and_reports_scan_and_doc(tmp_path):
    from policykg.build import build

    docs = tmp_path / "docs"
    docs.mkdir()
    R.write_txt(R.DIGITAL, docs / "a_digital.txt")
    R.write_txt(R.VEHICLES, docs / "b_vehicles.md")
    R.write_html(R.BUSINESS, docs / "c_business.html", encoding="gbk")
    R.write_docx(R.DIGITAL, docs / "d_digital.docx")
    good = 4
    if R.cjk_font() is not None:
        R.write_pdf(R.VEHICLES, docs / "e_vehicles.pdf")
        good += 1
    R.write_pdf(R.BUSINESS, docs / "scan.pdf", text_layer=False)
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    lines: list[str] = []
    summary = build(docs, tmp_path / "out", progress=lines.append)
    assert summary.documents == good
    assert sorted(summary.failed) == ["old.doc", "scan.pdf"]
    failed = [ln for ln in lines if "✗" in ln]
    assert len(failed) == 2 and all("\n" not in ln for ln in failed)
    assert any("scan.pdf" in ln and "no text layer (scanned?)" in ln for ln in failed)
    assert any("old.doc" in ln and "unsupported format" in ln for ln in failed)
    graph = (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")
    for media in ("text/html", "text/markdown", "application/vnd.openxmlformats"):
        assert f'sourceMediaType> "{media}' in graph


def test_the_build_writes_each_reader_text_that_spans_point_into(tmp_path):
    from policykg.build import build

    docs = tmp_path / "docs"
    docs.mkdir()
    R.write_html(R.BUSINESS, docs / "business.html")
    build(docs, tmp_path / "out", progress=lambda _l: None)
    text = (tmp_path / "out" / "text" / "business.html.txt").read_text(encoding="utf-8")
    assert text == read_output(docs / "business.html").text


def test_html_old_table_layout_page_reads_the_article_cell():
    from policykg.extract.readers.html import parse

    page = ("<html><head><meta charset='utf-8'><title>临湖区节水行动实施方案</title></head><body>"
            "<table><tr><td><a href='/'>首页</a> | <a>政务公开</a></td></tr><tr><td><table>"
            "<tr><td>发布时间：2024-05-06 来源：区水务局</td></tr><tr><td id='zoom'>"
            "<div>一、主要任务</div><div>（一）推进农业节水。推广高效节水灌溉。"
            "（责任单位：区农业农村局、区水务局）</div><div>（二）推进工业节水。<br>"
            "开展节水型企业创建。（责任单位：区经信局）</div></td></tr></table></td></tr>"
            "<tr><td>版权所有 临湖区人民政府</td></tr></table></body></html>")
    out = parse(page, "old.html")
    assert out.paragraphs[-2:] == ["（二）推进工业节水。",
                                   "开展节水型企业创建。（责任单位：区经信局）"]
    assert "首页" not in out.text and "版权所有" not in out.text and not out.tables
    assert out.metadata["published"] == "2024-05-06"


def test_a_mixed_corpus_rebuilt_from_the_cache_is_the_clean_build(tmp_path):
    """Every format's records survive the cache: HTML headers, Word tables, PDF text."""
    from policykg.build import build

    docs = tmp_path / "docs"
    docs.mkdir()
    R.write_txt(R.DIGITAL, docs / "a_digital.txt")
    R.write_txt(R.VEHICLES, docs / "b_vehicles.md")
    R.write_html(R.BUSINESS, docs / "c_business.html", encoding="gbk")
    R.write_docx(R.BUSINESS, docs / "d_business.docx")
    good = 4
    if R.cjk_font() is not None:
        R.write_pdf(R.BUSINESS, docs / "e_business.pdf")
        good += 1
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(docs, out, progress=lambda _l: None)
    R.write_html(R.DIGITAL, docs / "f_digital.html")  # one more: the rest from the cache
    lines: list[str] = []
    summary = build(docs, out, progress=lines.append)
    assert summary.failed == ["old.doc"]
    assert f"  cache: {good} documents reused, 2 extracted" in lines  # f_digital, old.doc
    build(docs, clean, progress=lambda _l: None, cache=False)
    assert (out / "graph.nq").read_bytes() == (clean / "graph.nq").read_bytes()
    for text in (clean / "text").iterdir():
        assert (out / "text" / text.name).read_bytes() == text.read_bytes()
    sums = (out / "text" / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  c_business.html.txt\n" in sums and "  d_business.docx.txt\n" in sums

"""Markdown crawls and HTML pages saved as text: markup off, offsets kept (invented texts)."""

from __future__ import annotations

from opencc import OpenCC
from policykg.extract.markup import front_matter_end, is_html, markup_edits
from policykg.extract.normalize import normalize
from policykg.extract.sections import parse_sections

_T2S = OpenCC("t2s")


def assert_offsets_exact(source) -> None:
    """Every kept character comes from the raw character its offset names."""
    raw, text, offsets = source.raw, source.text, source.offsets
    assert all(a < b for a, b in zip(offsets, offsets[1:], strict=False))
    for i, ch in enumerate(text):
        original = raw[offsets[i]]
        if ch in "\n ":
            assert original.isspace() or original in "<|&", (i, ch, original)
        else:
            assert _T2S.convert(original) == ch or original == ch, (i, ch, original)


MARKDOWN_CRAWL = "\n".join([
    "---",
    "id: P_2024_QC_7",
    "aliases:",
    "- P_2024_QC_7",
    "title: 青川市加快建设智慧停车设施实施方案",
    "official_number: 青发改〔2024〕7号",
    "issuer:",
    "- 青川市发展和改革委员会",
    "region:",
    "  level: 市",
    "  name: 青川市",
    "issuer_canonical:",
    "- drc_qingchuan",
    "---",
    "# 青川市加快建设智慧停车设施实施方案",
    "",
    "**文号**: 青发改〔2024〕7号  ",
    "**发文机构**: 青川市发展和改革委员会  ",
    "**来源**: [https://fgw.qingchuan.example/a/1.html](https://fgw.qingchuan.example/a/1.html)",
    "",
    "## 政策原文",
    "",
    "[下载图片版](https://fgw.qingchuan.example/a/1.ofd)",
    "",
    "**一、完善设施布局**",
    "",
    "**（一）** **编制停车专项规划。**加快编制停车设施专项规划。"
    "（责任单位：市发改委、市自然资源局）",
    "",
    "**（二）推进老旧小区改造。**结合老旧小区改造增设停车位。（责任单位：市住建局）",
    "",
    "- 附件：__停车设施建设任务表__",
])


def test_markdown_crawl_reads_as_plain_text_with_front_matter_in_the_header():
    source = normalize(MARKDOWN_CRAWL, "qingchuan.md")
    assert source.header["title"] == "青川市加快建设智慧停车设施实施方案"
    # the crawler's official_number is read as the 文号 (header_keys.tsv maps ASCII keys too)
    assert "official_number" not in source.header
    assert source.header["issuer"] == "青川市发展和改革委员会"  # a list's first item
    assert "level" not in source.header  # nested keys are not the document's
    assert source.header["doc_number"] == "青发改〔2024〕7号"
    lines = source.text.split("\n")
    assert "一、完善设施布局" in lines
    assert "（二）推进老旧小区改造。结合老旧小区改造增设停车位。（责任单位：市住建局）" in lines
    assert "附件：停车设施建设任务表" in lines
    assert not any(mark in source.text for mark in ("**", "##", "](", "---", "id:"))
    assert_offsets_exact(source)
    keys = {s.key: s.heading for s in parse_sections(source.text)}
    assert keys["1.1"] == "编制停车专项规划"
    assert keys["1.2"] == "推进老旧小区改造"


def test_front_matter_end():
    assert front_matter_end("---\na: 1\n---\n正文") == len("---\na: 1\n---\n")
    assert front_matter_end("正文\n---\n") == 0


def test_markdown_table_cells_become_lines_the_table_reader_reads():
    text = "\n".join([
        "某县2024年重点任务分解表",
        "| 序号 | 任务 | 牵头单位 |",
        "| --- | --- | --- |",
        "| 1 | 推进农村道路养护 | 县交通运输局 |",
    ])
    source = normalize(text, "t.md")
    assert source.text.split("\n")[1:] == [
        "序号", "任务", "牵头单位", "1", "推进农村道路养护", "县交通运输局",
    ]
    assert_offsets_exact(source)


def test_a_table_flattened_to_one_cell_a_line_keeps_its_cells_apart():
    text = "\n".join([
        "附件：某县改革任务工作台账",
        "|",
        "序号 |",
        "改革任务 |",
        "牵头单位 |",
        "进展 情况 | |||||",
        "|",
        "1 |",
        "深化农村供水改革|推进城乡供水一体化，完善水价形成机制|",
        "县水务局 |",
    ])
    source = normalize(text, "ledger.md")
    assert source.text.split("\n")[1:] == [
        "序号", "改革任务", "牵头单位", "进展情况", "1",
        "深化农村供水改革", "推进城乡供水一体化，完善水价形成机制", "县水务局",
    ]
    assert_offsets_exact(source)


HTML_PAGE = "".join([
    '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="UTF-8"><title>青川改革网 某页</title>\n',
    '<style>.bg{background:url(/a.png)}</style><script>var a = "<p>不是正文</p>";</script>',
    '</head>\n<body><div class="nav"><a href="/">首页</a></div><div id="zoom">',
    "<!--<$[信息内容]>begin-->",
    '<p style="x">青川市人民政府办公室关于加强社区托育机构管理的意见</p><p>一、明确管理责任</p>',
    "<p>（一）落实属地责任。各区人民政府要加强统筹&nbsp;协调。</p>",
    "<p>（二）加强部门协同。市卫生健康委牵头，市市场监管局配合。</p>",
    "<table><tr><td>序号</td><td>任务</td></tr></table></div>\n",
    '<script src="/b.js"></script></body></html>',
])


def test_html_page_in_a_text_file_reads_as_its_paragraphs():
    assert is_html(HTML_PAGE) and not is_html("一、总体要求\n<p>")
    source = normalize(HTML_PAGE, "page.txt")
    lines = source.text.split("\n")
    assert "一、明确管理责任" in lines
    assert "（一）落实属地责任。各区人民政府要加强统筹 协调。" in lines
    assert "（二）加强部门协同。市卫生健康委牵头，市市场监管局配合。" in lines
    assert lines[-1].startswith("<table") and "序号" in lines[-1]  # a table keeps its markup
    body = source.text[: source.text.index("<table")]
    for hidden in ("不是正文", "background", "青川改革网", "<", "信息内容"):
        assert hidden not in body
    assert_offsets_exact(source)


def test_edits_only_drop_or_replace_single_characters():
    edits = markup_edits("<html><body><p>甲&amp;乙</p></body></html>")
    assert edits.replace[15 + 1] == "&"  # the entity's '&' stands for the character
    assert all(len(ch) == 1 for ch in edits.replace.values())


def test_plain_text_has_no_edits():
    text = "一、总体要求\n（一）加快发展。到2025年，产值达到1.5万亿元*。\n"
    edits = markup_edits(text)
    assert not edits.drops and not edits.replace


def test_a_server_page_fragment_is_read_as_html():
    page = "\n".join([
        '<%@ page language="java" contentType="text/html; charset=UTF-8"%>',
        '<jsp:include page="/common/head.jsp"></jsp:include>',
        '<link href="<%=request.getContextPath() %>/css/a.css" rel="stylesheet">',
        "<div><h2>某县2024年度河湖管护考核细则</h2>",
        "<table><tr><th>序号</th><th>考核项目</th></tr>",
        "<tr><td>1</td><td>组织领导</td></tr></table></div>",
    ])
    assert is_html(page) and is_html('<p align="center">某某公告<br/></p>')
    source = normalize(page, "fragment.txt")
    assert source.text.split("\n") == [
        "某县2024年度河湖管护考核细则",
        "<table><tr><th>序号</th><th>考核项目</th></tr><tr><td>1</td><td>组织领导</td></tr></table>",
    ]
    assert_offsets_exact(source)


def test_a_bold_title_over_two_lines_is_one_line():
    text = "\n".join([
        "**某省公共停车设施**",
        "",
        "**建设管理办法**",
        "",
        "**第一章 总 则**",
        "",
        "第一条 为规范公共停车设施管理，制定本办法。",
    ])
    source = normalize(text, "measures.md")
    assert source.text.split("\n")[:2] == ["某省公共停车设施建设管理办法", "第一章 总则"]
    assert_offsets_exact(source)


def test_an_html_table_keeps_its_markup_for_the_task_table_reader():
    """Cells spanning rows are read from the table's own markup, so the page's other tags
    go but the table's stay."""
    page = ("<html><body><p>某县河长制考核细则</p><table><tr><td rowspan=2>县水利局</td>"
            "<td>河道保洁</td></tr><tr><td>岸线管护</td></tr></table><p>附则</p></body></html>")
    text = normalize(page, "page.txt").text
    assert "<table><tr><td rowspan" in text and "<p>" not in text and "附则" in text


def test_line_tags_left_inside_a_text_files_lines_are_line_breaks():
    raw = ("关于开展某项整治的通知\n各相关部门：<br>为规范市场，现通知如下：<br>"
           "一、工作目标<br/>规范秩序。<BR />二、整治重点<br>"
           "（一）非法运输整治。查处违法行为。（责任单位：区交通运输局）\n")
    source = normalize(raw, "n.md")
    assert source.text.splitlines()[1:] == [
        "各相关部门：", "为规范市场，现通知如下：", "一、工作目标", "规范秩序。",
        "二、整治重点", "（一）非法运输整治。查处违法行为。（责任单位：区交通运输局）"]
    assert "<" not in source.text


def test_a_less_than_sign_in_text_is_no_tag():
    raw = "某某方案\n一、目标\n能耗强度<5%，排放量<1000吨。\n"
    assert "能耗强度<5%，排放量<1000吨。" in normalize(raw, "n.md").text

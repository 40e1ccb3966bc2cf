"""Tests of extract.normalize: one small synthetic document per rule, then the seeds.

The synthetic texts imitate the genres of the corpus (scraped government pages, PDF
text, traditional text with pinyin notes) without copying the seeds.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from opencc import OpenCC
from policykg.extract import normalize as norm
from policykg.extract.errors import DocumentError
from policykg.extract.model import SourceText, Span
from policykg.extract.normalize import normalize, normalize_name, read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
_T2S = OpenCC("t2s")


def seed(prefix: str) -> SourceText:
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return read_document(path)


def lines(source: SourceText) -> list[str]:
    return source.text.split("\n")


def assert_offsets_exact(source: SourceText) -> None:
    """Every normalized character comes from the raw character its offset names."""
    raw, text, offsets = source.raw, source.text, source.offsets
    assert len(offsets) == len(text) + 1
    assert all(a < b for a, b in zip(offsets, offsets[1:], strict=False)), "not increasing"
    assert offsets[-1] == offsets[-2] + 1
    for i, ch in enumerate(text):
        original = raw[offsets[i]]
        if ch in "\n ":
            assert original.isspace(), (i, ch, original)
        else:
            assert _T2S.convert(original) == ch or original == ch, (i, ch, original)


def span_of(source: SourceText, needle: str) -> Span:
    start = source.text.index(needle)
    return Span(start, start + len(needle))


# --- header ---------------------------------------------------------------------------


def test_leading_ascii_header_block_goes_to_header():
    raw = (
        "title: 关于加快发展数字经济的实施意见\n"
        "doc_number: 鄂政发〔2022〕7号\n"
        "Issuer: 湖北省人民政府\n"
        "url: https://example.org/a.html\n"
        "---\n"
        "各市、州人民政府:\n"
        "现提出如下实施意见。\n"
    )
    source = normalize(raw, "a.txt")
    assert source.header == {
        "title": "关于加快发展数字经济的实施意见",
        "doc_number": "鄂政发〔2022〕7号",
        "issuer": "湖北省人民政府",
        "url": "https://example.org/a.html",
    }
    assert source.text == "各市、州人民政府:\n现提出如下实施意见。"
    assert_offsets_exact(source)


def test_leading_chinese_header_block_ends_at_blank_line():
    raw = (
        "标题：关于促进民营经济发展的意见\n发文字号：鄂发〔2020〕3号\n"
        "发布日期：2020-05-06\n\n各县市区：\n正文一句。\n"
    )
    source = normalize(raw, "b.txt")
    assert source.header == {
        "title": "关于促进民营经济发展的意见",
        "doc_number": "鄂发〔2020〕3号",
        "published": "2020-05-06",
    }
    assert source.text.startswith("各县市区：")


def test_key_value_lines_running_into_the_body_are_not_a_header():
    raw = "目标: 到2025年产值翻番\n重点: 发展集成电路产业。\n"
    source = normalize(raw, "c.txt")
    assert source.header == {}
    assert "目标:到2025年产值翻番" in source.text


def test_scraped_source_and_date_line_goes_to_header_and_leaves_the_body():
    raw = (
        "市人民政府关于印发某某市数字经济发展规划的通知\n\n"
        "来源：市人民政府办公室    发布时间：2022-03-01 10:20\n\n"
        "各区人民政府：\n现将规划印发给你们。\n"
    )
    source = normalize(raw, "d.txt")
    assert source.header == {
        "source_site_issuer": "市人民政府办公室",
        "published": "2022-03-01 10:20",
    }
    assert "来源" not in source.text and "发布时间" not in source.text
    assert lines(source)[0] == "市人民政府关于印发某某市数字经济发展规划的通知"


def test_an_information_table_flattened_one_cell_a_line_goes_to_header():
    raw = ("首页\n>政府信息公开\n索引号\n01400022-0/2022-00057\n分类\n重点工作\n"
           "发文日期\n2022-03-09\n标题\n某某工作要点\n文号\n某市监〔2022〕1号\n主题词\n内容概述\n某某工作要点\n"
           "为做好工作，现提出如下要点。\n")
    source = normalize(raw, "d.txt")
    assert source.header["doc_number"] == "某市监〔2022〕1号"
    assert source.header["date"] == "2022-03-09"
    assert source.header["title"] == "某某工作要点"
    assert "索引号" not in source.text and "某市监" not in source.text
    assert lines(source)[-2:] == ["某某工作要点", "为做好工作，现提出如下要点。"]


def test_a_lone_label_word_in_the_body_stays_text():
    raw = "某某工作要点\n一、标题\n标题\n规范公文标题的写法。\n"
    assert lines(normalize(raw, "d.txt"))[2:] == ["标题", "规范公文标题的写法。"]


def test_a_bracket_cut_by_a_line_break_is_joined_however_short_the_rest():
    raw = ("二、主要任务\n（一）推进建设。加快建设进度，形成经验。（责任单位：市公安局、市环\n"
           "保局）\n（二）完善机制。\n")
    assert lines(normalize(raw, "d.txt"))[1:] == [
        "（一）推进建设。加快建设进度，形成经验。（责任单位：市公安局、市环保局）",
        "（二）完善机制。"]


def test_a_short_line_after_a_closed_bracket_stands_alone():
    raw = "（一）推进建设（试点）\n签发人\n"
    assert lines(normalize(raw, "d.txt")) == ["（一）推进建设（试点）", "签发人"]


def test_a_pages_numbered_metadata_list_with_bracketed_labels_goes_to_header():
    raw = (
        "首页>政策文件\n"
        "01. [发文机构] ----某市人民政府\n"
        "02. [联合发文单位] ----\n"
        "03. [成文日期] 2024-03-01\n"
        "04. [发文字号]某政发〔2024〕3号\n"
        "【有效性】现行有效\n"
        "某政发〔2024〕3号\n"
        "各区人民政府：\n现将方案印发给你们。\n"
    )
    source = normalize(raw, "d.txt")
    assert source.header["doc_number"] == "某政发〔2024〕3号"
    assert source.header["date"] == "2024-03-01"
    assert source.header["validity"] == "现行有效"
    assert "联合发文单位" not in "".join(source.header.values())  # a placeholder is no value
    assert "[" not in source.text and "现行有效" not in source.text
    assert lines(source)[0] == "某政发〔2024〕3号"


CRAWLED = (
    "---\n"
    "标题: 杭州市临平区人民政府办公室关于印发临平区美丽河湖建设实施方案的通知\n"
    "文号: 临政办发〔2025〕9号\n"
    "发布单位: 杭州市临平区人民政府办公室\n"
    "发布日期: 2025-04-02\n"
    "层级: 区级\n"
    "状态: 有效\n"
    "官方链接: https://example.org/zhengce/detail/123\n"
    "---\n\n"
    "> 本文正文由脚本自官方公开页面提取，仅供检索查阅。\n"
    "> 依《中华人民共和国著作权法》第五条第一项，本文件不适用著作权法。\n\n"
    "# 杭州市临平区人民政府办公室关于印发临平区美丽河湖建设实施方案的通知\n\n"
    "各街道办事处，区政府各部门：\n"
    "现将实施方案印发给你们，请认真贯彻执行。\n"
)


def test_crawled_file_head_goes_to_the_header_with_labels_as_written():
    source = normalize(CRAWLED, "crawl.txt")
    header = source.header
    assert header["title"].startswith("杭州市临平区人民政府办公室关于印发")
    assert header["doc_number"] == "临政办发〔2025〕9号"
    assert header["issuer"] == "杭州市临平区人民政府办公室"
    assert header["published"] == "2025-04-02"
    assert header["层级"] == "区级" and header["状态"] == "有效"
    assert header["url"] == "https://example.org/zhengce/detail/123"
    assert header["title_line"] == header["title"]
    assert header["_notes"].split("\n")[1].startswith("依《中华人民共和国著作权法》")
    assert lines(source) == [
        "各街道办事处，区政府各部门：",
        "现将实施方案印发给你们，请认真贯彻执行。",
    ]
    assert "#" not in source.text and "著作权法" not in source.text
    assert_offsets_exact(source)


def test_crawled_file_flattened_on_one_line_keeps_its_head_out_of_the_body():
    flat = " ".join(line for line in CRAWLED.splitlines() if line.strip())
    flat += " 一、总体要求 到2027年，全区建成美丽河湖30条。" * 12
    source = normalize(flat, "crawl1.txt")
    assert source.header["doc_number"] == "临政办发〔2025〕9号"
    assert source.header["层级"] == "区级"
    assert "title_line" in source.header and "_notes" in source.header
    assert lines(source)[0] == "各街道办事处，区政府各部门："


# --- traditional → simplified ---------------------------------------------------------


def test_traditional_text_becomes_simplified_with_exact_offsets():
    raw = "關於推進製造業數字化轉型的實施意見\n各縣區人民政府,市政府各部門:\n"
    source = normalize(raw, "t.txt")
    assert lines(source) == ["关于推进制造业数字化转型的实施意见", "各县区人民政府,市政府各部门:"]
    assert_offsets_exact(source)


def test_t2s_falls_back_to_characters_when_a_phrase_changes_length(monkeypatch):
    class Phrasey:
        """A converter that, like some OpenCC phrase rules, changes a line's length."""

        def convert(self, s: str) -> str:
            return s + "+" if len(s) > 1 else {"發": "发", "展": "展"}.get(s, s)

    monkeypatch.setattr(norm, "_t2s", lambda: Phrasey())
    assert norm._t2s_aligned("發展\n發") == "发展\n发"


# --- pinyin ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("推動經濟發展的(de)實施意見", "推动经济发展的实施意见"),
        ("爲(wéi / wèi)加快建設", "为加快建设"),
        ("新一(yī / yì /yí)輪改革", "新一轮改革"),
        ("因地(dì / de)制宜", "因地制宜"),
        ("各市州人(rén)民政府", "各市州人民政府"),
        ("全國（guó）統一大市場", "全国统一大市场"),
        ("(一(yī / yì /yí))加強組織領導", "(一)加强组织领导"),
        ("(十一(yī / yì /yí))激發活力", "(十一)激发活力"),
        ("實驗室(基地(dì / de))", "实验室(基地)"),
    ],
)
def test_pinyin_notes_are_removed(raw, expected):
    assert normalize(raw, "p.txt").text == expected
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "三维闪存(3D—NANDFLASH)量产",
        "代码型闪存(NORFLASH)存储器",
        "微机电系统(MEMS)工艺",
        "（二）存在问题",
        "(一)指导思想",
        "下一代网络(6G)等前沿领域",
        "科技研发(R&D)投入",
        "所在区(含葛店经开区、临空经济区)给予支持",
        "政府和社会资本合作(PPP)模式",
        "多功能乘用车(MPV)和运动型多用途乘用车(SUV)",
    ],
)
def test_real_parentheses_are_kept(kept):
    assert normalize(kept, "k.txt").text == kept


def test_pinyin_cut_by_a_line_break_is_removed_and_the_word_rejoined():
    raw = "經省人(rén)\n民政府同意,制定如下意見。\n新一(yī / yì\n/yí)輪科技革命。\n"
    source = normalize(raw, "b.txt")
    assert source.text == "经省人民政府同意,制定如下意见。\n新一轮科技革命。"
    assert_offsets_exact(source)


def test_untoned_letter_after_a_line_break_is_not_taken_for_pinyin():
    assert normalize("支持以下企业\n(a)制造企业。", "x.txt").text == "支持以下企业\n(a)制造企业。"


# --- boilerplate and page chrome ------------------------------------------------------


def test_contact_block_breadcrumb_and_buttons_are_dropped():
    raw = (
        "联系我们\n\n\n电话：027-87654321\n\n地址：湖北省武汉市武昌区某某路1号\n邮编：430000\n\n"
        "新闻动态\n网站首页 > 政务公开 > 政策文件 > 正文\n\n"
        "市人民政府关于支持先进制造业发展的若干措施\n\n"
        "各区人民政府：\n为支持先进制造业发展，制定以下措施。\n\n"
        "【打印】 【关闭】\n分享到：微信 微博\n版权所有：某某市人民政府办公厅\n"
    )
    source = normalize(raw, "chrome.txt")
    assert lines(source) == [
        "市人民政府关于支持先进制造业发展的若干措施",
        "各区人民政府：",
        "为支持先进制造业发展，制定以下措施。",
    ]
    assert_offsets_exact(source)


def test_a_phone_line_inside_the_document_is_kept():
    raw = (
        "关于组织申报专项资金的通知\n各有关单位：\n请于5月底前报送材料。\n"
        "联系电话：027-12345678\n市经信局\n"
    )
    source = normalize(raw, "phone.txt")
    assert "联系电话：027-12345678" in lines(source)


def test_foreign_page_title_and_date_before_the_addressee_are_dropped():
    raw = (
        "2019中部地区创新创业大赛在汉开幕\n\n发布日期:2019.06.03\n\n"
        "各区人民政府,市人民政府各部门:\n\n经研究,现提出如下意见。\n\n一、总体要求\n"
    )
    source = normalize(raw, "foreign.txt")
    assert lines(source)[0] == "各区人民政府,市人民政府各部门:"
    assert "开幕" not in source.text
    assert source.header == {
        "page_title": "2019中部地区创新创业大赛在汉开幕",
        "page_published": "2019.06.03",
    }


def test_running_text_before_the_opening_block_is_not_dropped():
    raw = (
        "本市产业基础雄厚，制造业规模持续扩大，需要系统谋划。\n关于加快发展的意见\n各区：\n正文。\n"
    )
    source = normalize(raw, "keep.txt")
    assert lines(source)[0].startswith("本市产业基础雄厚")


# --- table of contents ----------------------------------------------------------------


def test_toc_with_dot_leaders_and_page_numbers_is_dropped():
    raw = (
        "某某省新材料产业发展规划\n\n目　录\n\n"
        "一、发展基础\t(3)\n(一) 产业现状.....\t(3)\n(二) 面临形势.....\t(5)\n"
        "二、主要任务\t(7)\n\n前言部分介绍规划的编制依据和期限，规划期为2021—2025年。\n\n"
        "一、发展基础\n（一）产业现状\n全省新材料产业规模稳步扩大。\n"
    )
    source = normalize(raw, "toc.txt")
    assert lines(source) == [
        "某某省新材料产业发展规划",
        "前言部分介绍规划的编制依据和期限，规划期为2021—2025年。",
        "一、发展基础",
        "（一）产业现状",
        "全省新材料产业规模稳步扩大。",
    ]
    assert_offsets_exact(source)


def test_toc_without_page_numbers_ends_where_the_headings_start_over():
    raw = (
        "目录\n\n第一章 发展基础\n\n一、发展现状\n\n第二章 总体要求\n\n"
        "第一章 发展基础\n\n一、发展现状\n\n全省产业规模不断扩大，结构持续优化。\n"
    )
    source = normalize(raw, "toc2.txt")
    assert lines(source) == [
        "第一章 发展基础",
        "一、发展现状",
        "全省产业规模不断扩大，结构持续优化。",
    ]


def test_a_single_heading_after_a_mulu_line_is_not_a_toc():
    raw = "目录\n一、重点企业名单\n全市共有重点企业一百家，名单见附表。\n"
    assert lines(normalize(raw, "m.txt")) == [
        "目录",
        "一、重点企业名单",
        "全市共有重点企业一百家，名单见附表。",
    ]


# --- PDF artefacts --------------------------------------------------------------------


def test_lines_broken_mid_sentence_are_joined():
    raw = (
        "（二）发展智能装备\n\n"
        "数控机床。加强关键零部件及控制系统配套，重点发展高档数\n\n"
        "控机床、五轴联动加工中心，推动首台套应用。\n\n"
        "1. 工业机器人。突破减速器、伺服电机等核心部件，开发 5G\n"
        "network 协同控制系统。\n"
        "2. 服务机器人\n"
        "湖北省经济和信息化厅\n"
        "2021年12月31日印发\n"
    )
    source = normalize(raw, "pdf.txt")
    assert lines(source) == [
        "（二）发展智能装备",
        "数控机床。加强关键零部件及控制系统配套，重点发展高档数控机床、五轴联动加工中心，推动首台套应用。",
        "1.工业机器人。突破减速器、伺服电机等核心部件，开发5G network协同控制系统。",
        "2.服务机器人",
        "湖北省经济和信息化厅",
        "2021年12月31日印发",
    ]
    assert_offsets_exact(source)


def test_a_broken_line_does_not_swallow_the_next_list_item():
    raw = (
        "一是创新能力有待提升，原创成果\n二是产业结构有待优化。\n"
        "——质量效益明显提高\n——创新体系日趋完善。\n"
    )
    assert len(lines(normalize(raw, "items.txt"))) == 4


def test_repeated_run_of_lines_is_kept_once_and_the_cut_sentence_rejoined():
    para_a = (
        "特色优势和发展定位。武汉已形成智能制造装备、航空航天装备等产业集群，各地企业加快集聚。"
    )
    para_b = "二是产业结构有待优化。除汽车产业外，其他产业规模偏小，与先进省份比较，产业层次"
    raw = "\n\n".join(
        [para_a, "（二）存在问题", para_b, para_a, "（二）存在问题", para_b]
        + ["和集中度不够高，总体仍处于中低端环节。", "（三）发展形势"]
    )
    source = normalize(raw, "dup.txt")
    assert lines(source) == [
        para_a,
        "（二）存在问题",
        para_b + "和集中度不够高，总体仍处于中低端环节。",
        "（三）发展形势",
    ]
    assert_offsets_exact(source)


def test_repeated_paragraph_far_away_is_kept_once_even_when_broken_differently():
    sentence = (
        "加快建设国家先进存储产业创新中心，打造一批新型协同创新平台，"
        "支持龙头企业建设高水平研发中心，提升企业研发能力。"
    )
    raw = f"{sentence}\n一、主要任务\n{sentence[:20]}\n{sentence[20:]}\n二、保障措施\n"
    assert lines(normalize(raw, "far.txt")) == [sentence, "一、主要任务", "二、保障措施"]


def test_identical_assignment_clauses_of_different_tasks_are_both_kept():
    clause = "(牵头单位:市经济和信息化局;责任单位:市科技局、市财政局)"
    raw = f"1.芯片设计。加快核心芯片研发。\n{clause}\n2.芯片制造。推动生产线建设。\n{clause}\n"
    assert lines(normalize(raw, "clause.txt")).count(clause) == 2


def test_short_headings_repeated_in_different_chapters_are_kept():
    raw = (
        "第一章 汽车\n一、发展现状\n汽车产业规模扩大。\n"
        "第二章 装备\n一、发展现状\n装备产业规模扩大。\n"
    )
    assert lines(normalize(raw, "h.txt")).count("一、发展现状") == 2


# --- whitespace -----------------------------------------------------------------------


def test_whitespace_rules():
    raw = (
        "\ufeff湖 北 省 人 民 政 府 文 件   \r\n\r\n\r\n"
        "中共湖北省委 湖北省人民政府关于加快发展的意见\u3000\n"
        "省经信厅关于印发湖北省装备制造业 “十四五”发展规划的通知\n"
        "推广 Wi-Fi   6 和 5G 网络，压力 35MPa 以上。  \n"
    )
    source = normalize(raw, "ws.txt")
    assert lines(source) == [
        "湖北省人民政府文件",
        "中共湖北省委 湖北省人民政府关于加快发展的意见",
        "省经信厅关于印发湖北省装备制造业“十四五”发展规划的通知",
        "推广Wi-Fi 6和5G网络，压力35MPa以上。",
    ]
    assert source.offsets[0] == 1  # the BOM is in raw, so offsets count it
    assert normalize("附 件\n目　录\n", "mulu.txt").text == "附件\n目录"
    assert_offsets_exact(source)


def test_punctuation_width_is_kept_as_written():
    raw = "各区人民政府,市政府各部门:\n（一）指导思想。(二)基本原则；\n"
    assert normalize(raw, "w.txt").text == raw.strip()


# --- reading --------------------------------------------------------------------------


def test_read_document_reports_undecodable_bytes_with_their_offset(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("关于".encode() + b"\xff\xfe" + "意见".encode())
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert info.value.name == "bad.txt"
    assert "byte offset 6" in info.value.reason and "0xff" in info.value.reason


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_read_document_rejects_empty_files(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match="empty file"):
        read_document(path)


def test_read_document_rejects_files_without_chinese_after_normalization(tmp_path):
    path = tmp_path / "chrome.txt"
    path.write_text("title: nothing here\n\nPrint | Close\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no Chinese text"):
        read_document(path)


def test_read_document_reports_a_missing_file(tmp_path):
    with pytest.raises(DocumentError) as info:
        read_document(tmp_path / "missing.txt")
    assert info.value.name == "missing.txt"


def test_read_document_accepts_a_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff关于推进工作的通知\n各单位：\n".encode())
    source = read_document(path)
    assert source.raw.startswith("\ufeff")
    assert source.text == "关于推进工作的通知\n各单位："
    assert source.source_span(span_of(source, "各单位")) == Span(11, 14)


def test_normalize_name():
    assert normalize_name("  湖北省經濟和信息化廳 ") == "湖北省经济和信息化厅"
    assert normalize_name("鄂政辦發〔2024〕 19號") == "鄂政办发〔2024〕19号"
    assert normalize_name("省人(rén)民政府\n辦公廳") == "省人民政府办公厅"
    assert normalize_name("中共湖北省委  湖北省人民政府") == "中共湖北省委 湖北省人民政府"


# --- whole seeds ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, SourceText]:
    return {path.name[:3]: read_document(path) for path in SEED_FILES}


def test_every_seed_normalizes_with_exact_offsets(seeds):
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    for source in seeds.values():
        assert source.text and "\n\n" not in source.text
        assert all(line == line.strip() for line in lines(source))
        assert_offsets_exact(source)


def test_normalization_is_deterministic():
    for path in SEED_FILES:
        raw = path.read_text(encoding="utf-8")
        assert normalize(raw, path.name) == normalize(raw, path.name)


def test_seed_000_loses_page_chrome_and_toc(seeds):
    source = seeds["000"]
    text_lines = lines(source)
    assert text_lines[0].startswith("省人民政府关于印发")
    for chrome in (
        "联系我们",
        "电话",
        "地址:",
        "网站首页",
        "正文",
        "本院动态",
        "来源:",
        "发布时间",
    ):
        assert chrome not in source.text, chrome
    assert source.header["published"].startswith("2021-11-22")
    assert source.header["source_site_issuer"] == "省人民政府"
    assert "目录" not in text_lines
    assert text_lines.count("第一章 发展基础") == 1
    assert text_lines.count("六、统筹推进规划实施") == 1
    # the TOC's bare item lines are gone; the body's items (with 。) remain
    assert "1.高端装备" not in text_lines and "1.高端装备。" in text_lines
    assert text_lines.index("湖北省制造业高质量发展“十四五”规划") + 1 == next(
        i for i, line in enumerate(text_lines) if line.startswith("习近平总书记指出")
    )


def test_seed_001_loses_the_foreign_page_header(seeds):
    source = seeds["001"]
    assert lines(source)[0] == "各区人民政府,市人民政府各部门:"
    assert "圆满落幕" not in source.text and "发布日期" not in source.text
    assert "圆满落幕" in source.header["page_title"]
    assert "published" not in source.header
    assert lines(source)[-2:] == ["武汉市人民政府", "2019年11月7日"]


def test_seed_002_toc_gone_duplicates_once_lines_joined(seeds):
    source = seeds["002"]
    text_lines = lines(source)
    assert not any(re.fullmatch(r"目\s*录", line) for line in text_lines)
    assert not any(re.search(r"\.{3,}|\t|\(\d+\)$", line) for line in text_lines)
    assert text_lines.count("（二）存在问题") == 1
    assert source.text.count("特色优势和发展定位。武汉已形成智能制造装备") == 1
    assert "湖北装备制造产业层次和集中度不够高" in source.text
    assert "“复杂零件整体铸造的型（芯）激光烧结材料" in source.text
    assert "轨道智能化设备与系统。重点发展轨道交通智能化、信息化设备" in source.text
    assert text_lines[:3] == [
        "湖北省经济和信息化厅文件",
        "鄂经信规划〔2021〕203号",
        "省经信厅关于印发湖北省装备制造业“十四五”发展规划的通知",
    ]
    assert text_lines[-2:] == ["湖北省经济和信息化厅", "2021年12月31日印发"]


def test_seed_003_is_left_as_it_is(seeds):
    source = seeds["003"]
    assert source.text == source.raw.strip()


def test_seed_004_has_no_traditional_characters_or_pinyin(seeds):
    source = seeds["004"]
    assert _T2S.convert(source.text) == source.text
    assert not re.search(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔù /]+[)）]", source.text)
    assert lines(source)[:3] == [
        "推动高质量发展的实施意见",
        "鄂政办发〔2024〕19号",
        "各市、州、县人民政府,省政府各部门:",
    ]
    assert "(一)加强原创性颠覆性科技创新。" in source.text
    assert "国家实验室(基地)" in source.text
    assert "5G—A(5G—Advanced,5G网络的演进和增强版)" in source.text


def _comparable(s: str) -> str:
    return re.sub(r"\s", "", normalize_name(s))


def test_sentences_map_back_to_the_same_sentences_in_the_raw_files(seeds):
    """source_span of each sentence covers that sentence in the raw file.

    Where normalization dropped something inside a sentence (a repeated block between
    the two halves of a cut sentence), the span still starts and ends on it.
    """
    inexact = 0
    for source in seeds.values():
        for match in re.finditer(r"[^。\n]+。?", source.text):
            sentence = match.group()
            span = source.source_span(Span(match.start(), match.end()))
            original = source.raw[span.start : span.end]
            if _comparable(original) != _comparable(sentence):
                inexact += 1
                assert _comparable(original).startswith(_comparable(sentence[:4]))
                assert _comparable(original).endswith(_comparable(sentence[-4:]))
            assert source.normalized_index(span.start) == match.start()
    assert inexact <= 1  # seed 002: the sentence cut around the repeated block


def test_every_paragraph_maps_back_to_raw_text(seeds):
    for source in seeds.values():
        start = 0
        for paragraph in lines(source):
            span = source.source_span(Span(start, start + len(paragraph)))
            original = source.raw[span.start : span.end]
            assert _comparable(original).startswith(_comparable(paragraph[:10]))
            assert _comparable(original).endswith(_comparable(paragraph[-10:]))
            start += len(paragraph) + 1


def test_all_seeds_normalize_quickly():
    started = time.perf_counter()
    for path in SEED_FILES:
        read_document(path)
    elapsed = time.perf_counter() - started
    print(f"normalized {len(SEED_FILES)} seeds in {elapsed:.3f} s")
    assert elapsed < 2.0


def test_issuer_line_right_above_the_title_is_part_of_the_document():
    raw = (
        "网站首页 > 政策文件\n\n湖北省人民政府办公厅\n关于加快发展生物医药产业的通知\n"
        "鄂政办发〔2021〕12号\n各市、州人民政府：\n现将有关事项通知如下。\n"
    )
    source = normalize(raw, "issuer.txt")
    assert lines(source)[:2] == ["湖北省人民政府办公厅", "关于加快发展生物医药产业的通知"]
    assert "page_title" not in source.header


def test_toc_ends_where_headings_start_over_in_another_character_width():
    raw = (
        "目 录\n(一) 发展基础\n(二) 存在问题\n"
        "（一）发展基础\n（二）存在问题\n全省产业发展基础较好，但存在短板。\n"
    )
    source = normalize(raw, "width.txt")
    assert lines(source) == [
        "（一）发展基础",
        "（二）存在问题",
        "全省产业发展基础较好，但存在短板。",
    ]


def test_strip_pinyin_keeps_traditional_characters():
    from policykg.extract.normalize import strip_pinyin

    assert strip_pinyin("省人(rén)民政府辦公廳") == "省人民政府辦公廳"
    assert strip_pinyin("爲(wéi / wèi)深入貫徹(MEMS)") == "爲深入貫徹(MEMS)"


def test_a_disclosure_category_standing_alone_is_page_chrome():
    """``主动公开文件`` above a title is the page's 公开方式, not a ``X文件`` banner."""
    raw = ("来源：\n主动公开文件\n关于印发《某市电力需求响应\n实施细则》的通知\n"
           "某发改规〔2024〕2号\n各县（市、区）发展改革委：\n现印发你们，请认真贯彻执行。\n")
    text = norm.normalize(raw, "t.md").text
    assert "主动公开" not in text
    assert "关于印发《某市电力需求响应" in text


def test_inline_tags_and_entities_a_crawl_left_in_a_text_file_go():
    """A text file that is not a page (it opens with code) but holds a page's fragment:
    its span tags go, ``&nbsp;`` is a space and ``&ldquo;`` its quote; offsets still map."""
    raw = ("// generated page\nvar text = `<span style=\"font-size: 14px;\">某县人民政府</span>\n"
           "&nbsp; &nbsp;第1条&nbsp;设立&ldquo;引导资金&rdquo;，列入县财政预算。\n`\n")
    doc = normalize(raw, "page.txt")
    assert "<span" not in doc.text and "&" not in doc.text
    assert "某县人民政府" in doc.text
    assert "\n第1条 设立“引导资金”，列入县财政预算。\n" in doc.text
    start = doc.text.index("“引导资金”")
    assert doc.raw[doc.offsets[start]:doc.offsets[start] + 7] == "&ldquo;"


def test_spaces_inside_an_article_number_go():
    """``第 2 0 条`` and ``第2 2条``, a PDF's spaces inside an article number, read as 第20条."""
    doc = normalize("某县实施意见\n第 2 0 条 县商务局负责项目服务。\n"
                    "第2 2条 本意见自发布之日起施行。\n", "a.txt")
    assert "第20条" in doc.text and "第22条" in doc.text


def test_a_line_that_opens_a_field_is_never_joined_to_the_line_above():
    """``牵头市领导：某某`` / ``牵头单位：市能源局、市工信局`` / ``配合单位：…``: field lines of a
    task stand apart although the line above ends without punctuation."""
    raw = ("某市重点工作任务分工\n一、推进转型\n1.加快新能源发展\n牵头市领导：某某\n"
           "牵头单位：市能源局、市工信局\n配合单位：各县（区）人民政府\n【完成时限】年底前\n")
    lines = normalize(raw, "a.txt").text.split("\n")
    assert lines[-4:] == ["牵头市领导：某某", "牵头单位：市能源局、市工信局",
                          "配合单位：各县（区）人民政府", "【完成时限】年底前"]


def test_small_form_marks_become_the_marks_the_rules_know():
    """``1﹒`` and ``﹙牵头单位﹕…﹚`` (Unicode small form variants some editors write) read
    as ``1．`` and ``（牵头单位：…）``, one character for one, so spans keep their place."""
    raw = "一、目标\n1﹒外贸稳定增长﹙牵头单位﹕省商务厅﹚文号某发﹝2026﹞1号\n"
    src = normalize(raw, "t.txt")
    assert "1．外贸稳定增长（牵头单位：省商务厅）文号某发〔2026〕1号" in src.text
    at = src.text.index("省商务厅")
    assert raw[src.source_span(Span(at, at + 4)).start:][:4] == "省商务厅"


def test_the_bodies_of_two_measures_are_kept_when_the_document_repeats_them():
    """Two measures led by the same bodies each carry their ``牵头单位``/``责任单位`` lines: a
    repeat a document means, not a page printed twice, so both stay."""
    labels = ("牵头领导：县政府分管领导同志\n牵头单位：县发展改革局\n"
              "责任单位：县工业和信息化局、县农业农村局、县商务局等，各乡镇人民政府\n")
    raw = ("一、主要预期目标\n1.地区生产总值增长5%以上。\n" + labels
           + "2.一般公共预算收入增长5%左右。\n牵头单位：县财政局\n"
           + "3.固定资产投资增长10%以上。\n" + labels)
    text = normalize(raw, "t").text
    assert text.count("牵头单位：县发展改革局") == 2
    assert text.count("各乡镇人民政府") == 2
    printed_twice = ("一、总体要求\n坚持以人民为中心的发展思想，"
                     "统筹推进稳增长、促改革、调结构、惠民生、防风险各项工作。\n")
    assert normalize(printed_twice * 2, "t").text.count("坚持以人民为中心") == 1

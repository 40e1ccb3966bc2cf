"""Section tree: marker forms, relative nesting, headings, spans, TOC and 专栏 boxes."""

from __future__ import annotations

from pathlib import Path

import pytest
from policykg.extract.sections import cn_number, parse_sections

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def by_key(text: str) -> dict:
    return {s.key: s for s in parse_sections(text)}


def span_text(text: str, section) -> str:
    return text[section.span.start: section.span.end]


PLAN = "\n".join([
    "某市促进装备产业发展规划",
    "第一章 发展基础",
    "全市装备产业规模持续扩大。",
    "第二章 重点任务",
    "一、做强整机产业",
    "（一）发展数控机床",
    "1.高档机床。突破五轴联动技术。",
    "（1）整机研发。支持企业研发整机。",
    "（2）功能部件。发展主轴、刀库。",
    "①主轴。提高转速。",
    "②刀库。提高容量。",
    "2.专用机床。发展汽车专用机床。",
    "(二)发展工业机器人",
    "推动机器人应用。",
    "二、夯实基础能力",
    "加快基础件发展。",
])


def test_every_marker_form_nests_by_rank():
    s = by_key(PLAN)
    assert list(s) == ["1", "2", "2.1", "2.1.1", "2.1.1.1", "2.1.1.1.1", "2.1.1.1.2",
                       "2.1.1.1.2.1", "2.1.1.1.2.2", "2.1.1.2", "2.1.2", "2.2"]
    assert s["2"].ordinal_label == "第二章" and s["2"].heading == "重点任务"
    assert s["2.1.1"].ordinal_label == "（一）" and s["2.1.1"].heading == "发展数控机床"
    assert s["2.1.2"].ordinal_label == "(二)"  # half-width brackets too
    assert s["2.1.1.1.2.1"].ordinal_label == "①" and s["2.1.1.1.2.1"].heading == "主轴"
    assert s["2.1.1.1"].parent == "2.1.1" and s["2.1.1.1"].depth == 4
    assert [s[k].kind for k in ("2", "2.1", "2.1.1", "2.1.1.1", "2.1.1.1.1")] == [
        "chapter", "part", "subpart", "item", "subitem"]


def test_levels_are_relative_to_the_markers_met():
    text = (
        "一、总体要求\n坚持创新。\n二、主要任务\n（一）强化创新"
        "。加强研发。\n1.建平台。建设平台。"
    )
    s = by_key(text)
    assert s["1"].depth == 1 and s["1"].kind == "chapter"
    assert s["2.1"].depth == 2 and s["2.1"].kind == "part"
    assert s["2.1.1"].depth == 3 and s["2.1.1"].parent == "2.1"


def test_item_punctuation_variants():
    text = "二、任务\n1、第一项。内容。\n2．第二项。内容。\n3.第三项。内容。\n(4)第四小项。内容。"
    s = by_key(text)
    assert [s[k].ordinal for k in ("2.1", "2.2", "2.3")] == [1, 2, 3]
    assert s["2.3.4"].ordinal_label == "(4)"


def test_inline_and_standalone_headings():
    text = (
        "一、重点任务\n（一）强化组织领导。建立工作专班，定期调度。"
        "\n1.芯片设计。围绕存储芯片开展设计。"
    )
    s = by_key(text)
    assert s["1"].heading == "重点任务"
    assert s["1.1"].heading == "强化组织领导"
    assert s["1.1.1"].heading == "芯片设计"
    hs = s["1.1.1"].heading_span
    assert text[hs.start: hs.end] == "1.芯片设计"


def test_standalone_heading_line_with_final_stop():
    text = (
        "一、支柱产业\n1.新一代信息技术(“光芯屏端网”)。\n做"
        "大做强光通信。\n2.汽车制造。\n推进电动化。"
    )
    s = by_key(text)
    assert s["1.1"].heading == "新一代信息技术(“光芯屏端网”)"
    # a stand-alone heading line owns the body paragraphs after it
    assert span_text(text, s["1.1"]).endswith("做大做强光通信。")
    assert span_text(text, s["1.2"]).endswith("推进电动化。")


def test_inline_item_owns_only_its_paragraph():
    text = "\n".join([
        "（七）智能装备产业",
        "发挥激光装备优势。",
        "1.机器人。发展工业机器人。",
        "2.轨道交通装备。发展城轨车辆。",
        "在重点产业布局上，以开发区为重点。",
        "（牵头单位：市经信局；责任单位：市发改委）",
        "（八）新材料产业",
    ])
    s = by_key(text)
    assert span_text(text, s["7.2"]) == "2.轨道交通装备。发展城轨车辆。"
    seventh = span_text(text, s["7"])
    assert seventh.endswith("（牵头单位：市经信局；责任单位：市发改委）")
    assert "（八）" not in seventh


def test_inline_item_spans_its_own_sub_items():
    text = (
        "（二）光电子\n1.信息技术。发展光通信。\n（1）光通信。"
        "发展光纤。\n（2）显示。发展面板。\n布局上，依托开发区。"
        "\n2.空间信息。发展北斗。"
    )
    s = by_key(text)
    assert span_text(text, s["2.1"]).endswith("发展面板。")
    assert "布局上" in span_text(text, s["2"])
    assert "布局上" not in span_text(text, s["2.1"])


def test_numbers_that_are_not_headings():
    text = "\n".join([
        "一、发展目标",
        "1.5万亿元的产业规模将在2025年形成。",
        "2025年，产值达到2.5万亿元。",
        "全面推进1.智能制造和2.智能服务。",
        "二、任务",
        "1.3D打印装备。发展增材制造。",
    ])
    s = by_key(text)
    assert list(s) == ["1", "2", "2.1"]
    assert s["2.1"].heading == "3D打印装备"


def test_table_of_contents_block_is_skipped():
    text = "\n".join([
        "目录", "第一章 发展基础", "第二章 重点任务", "一、做强整机", "二、夯实基础",
        "前言正文。",
        "第一章 发展基础", "基础较好。",
        "第二章 重点任务", "一、做强整机", "整机内容。", "二、夯实基础", "基础内容。",
    ])
    sections = parse_sections(text)
    assert [s.key for s in sections] == ["1", "2", "2.1", "2.2"]
    assert sections[0].span.start == text.index("第一章 发展基础\n基础较好")


def test_toc_with_page_numbers_and_without_title():
    dotted = (
        "一、发展现状\t(4)\n(一) 发展基础.....\t(4"
        ")\n二、主要任务\t(8)\n正文开始。\n一、发展现状\n"
        "现状。\n二、主要任务\n任务。"
    )
    assert [s.key for s in parse_sections(dotted)] == ["1", "2"]
    bare = (
        "第一章 基础\n第二章 任务\n第三章 保障\n正文。\n第"
        "一章 基础\n甲。\n第二章 任务\n乙。\n第三章 保障\n"
        "丙。"
    )
    sections = parse_sections(bare)
    assert [s.key for s in sections] == ["1", "2", "3"]
    assert all(s.span.start > bare.index("正文") for s in sections)


def test_repeated_running_header_is_not_a_new_section():
    text = (
        "一、现状\n（二）存在问题\n一是创新不足。\n（二）存在问"
        "题\n二是结构不优。\n（三）发展形势\n形势。"
    )
    s = by_key(text)
    assert list(s) == ["1", "1.2", "1.3"]
    assert "二是结构不优" in span_text(text, s["1.2"])


def test_restarted_numbering_gets_unique_keys():
    text = "一、任务\n（一）甲\n内容。\n（一）乙\n内容。\n（二）丙\n内容。"
    keys = [s.key for s in parse_sections(text)]
    assert keys == ["1", "1.1", "1.1-2", "1.2"]
    assert len(set(keys)) == len(keys)


def test_column_box_and_its_items():
    text = "\n".join([
        "（二）强基础",
        "1.巩固基础能力。强化基础研究。",
        "专栏 2 产业基础再造工程",
        "1、构建零部件体系",
        "重点突破核心零部件。",
        "2、攻克工业软件短板",
        "发展研发设计软件。",
        "2.打造产业链条。依托龙头企业。",
        "专栏3：智能制造升级",
        "1.提升装备质量",
        "内容。",
        "2.加强标准",
        "内容。",
        "（三）数字转型",
    ])
    s = by_key(text)
    assert s["c2"].kind == "column" and s["c2"].ordinal_label == "专栏2"
    assert s["c2"].heading == "产业基础再造工程" and s["c2"].parent == "2"
    assert s["c2.1"].parent == "c2" and s["c2.2"].heading == "攻克工业软件短板"
    # "2." continues the list outside the box, so the box closes
    assert s["2.2"].parent == "2" and s["2.2"].heading == "打造产业链条"
    assert "依托龙头企业" not in span_text(text, s["c2"])
    assert s["c3.2"].parent == "c3" and s["c3"].heading == "智能制造升级"
    assert "（三）" not in span_text(text, s["c3"])
    assert s["3"].parent is None


def test_cn_numbers():
    assert [cn_number(x) for x in ("一", "十", "十二", "二十", "二十三", "7", "③")] == [
        1, 10, 12, 20, 23, 7, 3]


# ---------------------------------------------------------------- whole seeds


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def normalized(prefix: str) -> str:
    from policykg.extract.normalize import read_document

    return read_document(seed(prefix)).text


def test_seed_000_raw_toc_gives_no_sections():
    raw = seed("000").read_text(encoding="utf-8")
    sections = parse_sections(raw)
    body_start = raw.index("习近平总书记指出")
    assert sections and all(s.span.start > body_start for s in sections)
    chapters = [s for s in sections if s.depth == 1]
    assert [s.ordinal_label for s in chapters] == ["第一章", "第二章", "第三章", "第四章", "第五章"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_keys_unique_and_spans_nested(prefix):
    text = normalized(prefix)
    sections = parse_sections(text)
    assert sections
    keys = [s.key for s in sections]
    assert len(keys) == len(set(keys))
    index = {s.key: s for s in sections}
    for s in sections:
        assert s.span.contains(s.heading_span)
        if s.parent:
            assert index[s.parent].span.contains(s.span), s.key
    assert parse_sections(text) == sections  # deterministic


def test_seed_001_trailing_paragraphs_belong_to_the_part():
    text = normalized("001")
    s = {x.heading: x for x in parse_sections(text)}
    part = s["智能制造及高端装备产业"]
    item5 = s["轨道交通装备"]
    assert item5.parent == part.key
    assert "在重点产业布局上" not in span_text(text, item5)
    assert span_text(text, part).rstrip().endswith("新洲区人民政府)")


def test_seed_002_columns_and_toc():
    text = normalized("002")
    sections = parse_sections(text)
    columns = [s for s in sections if s.kind == "column"]
    assert [c.key for c in columns] == ["c1", "c2", "c3", "c4", "c5"]
    tops = [s.heading for s in sections if s.depth == 1]
    assert tops == ["发展现状", "总体要求", "发展重点", "主要任务", "政策与保障措施"]


def test_seed_004_continuous_numbering():
    sections = parse_sections(normalized("004"))
    subparts = [s for s in sections if s.depth == 2]
    assert [s.ordinal for s in subparts] == list(range(1, 19))
    assert subparts[-1].key == "7.18"


def test_clause_between_inline_siblings_belongs_to_the_item_before_it():
    text = (
        "二、任务\n（一）建平台。建设平台。\n（责任单位：市科技局"
        "）\n（二）育企业。培育企业。\n（责任单位：市经信局）"
    )
    s = by_key(text)
    assert span_text(text, s["2.1"]).endswith("（责任单位：市科技局）")
    # the last item's clause closes the list: it is the part's, as in the span rules
    assert span_text(text, s["2.2"]) == "（二）育企业。培育企业。"


def test_a_bullet_before_an_item_number_is_read_past():
    text = "\n".join([
        "某省稳定供应链支持政策清单",
        "◈1. 支持物流园区建设。对新建园区给予补助。（某政发〔2021〕3号，省商务厅负责）",
        "◈2．推进多式联运发展。（某政发〔2021〕3号，省交通运输厅负责）",
        "● （一）完善冷链设施。",
    ])
    sections = by_key(text)
    assert sections["1"].heading == "支持物流园区建设"
    assert sections["2"].heading == "推进多式联运发展"
    assert span_text(text, sections["2"]).startswith("◈2．推进")
    assert "完善冷链设施" in {s.heading for s in sections.values()}


def test_articles_of_measures_nest_in_their_chapters():
    text = "\n".join([
        "某省公共停车设施管理办法",
        "第一章 总则",
        "第一条 为规范公共停车设施管理，制定本办法。",
        "第二条 本办法适用于本省行政区域内的公共停车设施。",
        "第二章 规划建设",
        "第三条 各设区市政府负责编制本行政区域停车设施专项规划。",
        "（一）合理布局停车设施。",
        "根据本办法第二条的规定执行。",
    ])
    sections = by_key(text)
    assert sections["2.3"].ordinal_label == "第三条"  # keys follow the ordinal
    assert sections["2.3.1"].heading == "合理布局停车设施"
    assert sections["1.2"].heading == "本办法适用于本省行政区域内的公共停车设施"
    assert len(sections) == 6  # 第二条 inside a sentence is no heading


def test_emphasis_stars_left_around_an_item_stop_by_a_markdown_crawl():
    text = "（一）实施保供行动\n1*．*夯实电源基础。发挥调节作用。\n2*．*扩大外电规模。建设通道。"
    secs = parse_sections(text)
    assert [(s.key, s.heading) for s in secs] == [
        ("1", "实施保供行动"), ("1.1", "夯实电源基础"), ("1.2", "扩大外电规模")]

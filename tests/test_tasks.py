"""Which sections are tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from policykg.extract.sections import parse_sections
from policykg.extract.tasks import find_tasks, part_kind

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def tasks_of(text: str) -> dict:
    return {t.key: t for t in find_tasks(text, parse_sections(text))}


def test_section_with_a_clause_is_a_task_and_its_items_are_parts():
    text = "\n".join([
        "一、总体要求",
        "（一）发展目标。到2025年产值翻番。",
        "二、重点产业",
        "（一）集成电路产业",
        "1.芯片设计。发展设计业。",
        "2.芯片制造。发展制造业。",
        "（牵头单位：市经信局；责任单位：市发改委）",
        "（二）汽车产业",
        "1.新能源汽车。发展整车。",
    ])
    tasks = tasks_of(text)
    assert "2.1" in tasks and tasks["2.1"].label == "集成电路产业"
    assert "2.1.1" not in tasks and "2.1.2" not in tasks
    # the clause-less part next to it: its numbered leaves are tasks
    assert "2.2.1" in tasks and "2.2" not in tasks
    # background parts are never task-bearing
    assert "1.1" not in tasks
    assert tasks["2.1"].text.startswith("（一）集成电路产业")
    assert tasks["2.1"].text.endswith("责任单位：市发改委）")


def test_clause_in_a_background_part_still_makes_a_task():
    text = (
        "一、发展目标\n（一）产值目标。到2025年翻番。（责任单位"
        "：市统计局）\n（二）结构目标。优化结构。"
    )
    tasks = tasks_of(text)
    assert list(tasks) == ["1.1"]


def test_document_without_assignments_uses_task_parts():
    text = "\n".join([
        "第一章 发展基础",
        "一、发展现状",
        "规模扩大。",
        "第二章 总体要求",
        "一、指导思想",
        "坚持创新。",
        "二、主要目标",
        "产值翻番。",
        "第三章 发展重点",
        "一、支柱产业",
        "1.汽车。发展整车。",
        "2.化工。发展新材料。",
        "第四章 重点任务",
        "一、提高创新能力",
        "加快突破关键技术。",
        "二、推动产业基础高级化",
        "突破基础产品。",
        "第五章 保障措施",
        "一、加大财税支持",
        "落实减税政策。",
    ])
    tasks = tasks_of(text)
    assert [t.label for t in tasks.values()] == [
        "汽车", "化工", "提高创新能力", "推动产业基础高级化", "加大财税支持"]


def test_parts_named_after_their_measure_are_task_bearing():
    text = (
        "一、总体要求\n坚持创新。\n二、激活科技创新要素\n（一）"
        "加强原创创新。建设实验室。\n（二）攻坚关键技术。突破瓶颈。"
    )
    assert list(tasks_of(text)) == ["2.1", "2.2"]


def test_background_keyword_wins_over_task_keyword():
    assert part_kind("工作目标") == "background"
    assert part_kind("重点任务") == "task"
    assert part_kind("激活科技创新要素") is None
    text = "一、工作目标\n（一）产值。翻番。\n二、工作措施\n（一）建平台。建设平台。"
    assert list(tasks_of(text)) == ["2.1"]


def test_columns_are_not_tasks_but_their_items_are():
    text = "\n".join([
        "四、主要任务",
        "（一）强化创新",
        "1.健全体系。依托龙头企业。",
        "专栏1 创新平台建设",
        "支持高校建设平台。",
        "专栏2 产业基础再造工程",
        "1、构建零部件体系",
        "突破核心零部件。",
        "（二）强基础",
        "1.巩固能力。强化基础研究。",
    ])
    tasks = tasks_of(text)
    assert "c1" not in tasks and "c2" not in tasks
    assert {"4.1.1", "c2.1", "4.2.1"} <= set(tasks)


def test_sub_item_with_its_own_clause_is_a_task_too():
    text = (
        "二、重点任务\n（一）平台建设。建设平台。（责任单位：市科技"
        "局）\n1.实验室。建实验室。（责任单位：市教育局）\n2."
        "中心。建中心。"
    )
    tasks = tasks_of(text)
    assert set(tasks) == {"2.1", "2.1.1"}


# ---------------------------------------------------------------- whole seeds


def normalized(prefix: str) -> str:
    from policykg.extract.normalize import read_document

    return read_document(next(SEEDS.glob(f"{prefix}_*.txt"))).text


@pytest.mark.parametrize(("prefix", "count"), [("001", 18), ("003", 29), ("004", 18)])
def test_seed_task_counts(prefix, count):
    text = normalized(prefix)
    assert len(find_tasks(text, parse_sections(text))) == count


def test_seed_000_tasks_come_from_task_parts_only():
    text = normalized("000")
    sections = {s.key: s for s in parse_sections(text)}
    tasks = find_tasks(text, list(sections.values()))
    chapters = {t.key.split(".")[0] for t in tasks}
    assert chapters == {"3", "4", "5"}  # 发展基础 and 总体要求 are background
    labels = [t.label for t in tasks]
    assert "提高产业协同创新能力" in labels and "新一代信息技术(“光芯屏端网”)" in labels
    assert "着力打造5个万亿级支柱产业" not in labels  # a group, not a leaf


def test_seed_004_safeguard_items_are_tasks_without_clauses():
    text = normalized("004")
    labels = [t.label for t in find_tasks(text, parse_sections(text))]
    assert labels[-3:] == ["加强组织领导", "分类推动实施", "动态监测评估"]
    assert "总体要求" not in labels


# -- headed sub-measures ------------------------------------------------------------------


def test_headed_paragraphs_of_a_task_are_sub_measures_nested_under_it():
    text = "\n".join([
        "第五章 保障措施",
        "一、统筹推进方案落实",
        "健全工作机制。建立联席会议制度，定期研究重大事项。",
        "加强舆论引导。通过专题解读等形式宣传政策。",
        "强化考核评估。制定评价办法，开展年度评估。",
        "二、加大要素保障",
        "围绕重点项目需要，统筹安排用地指标，保障项目落地。",
    ])
    tasks = tasks_of(text)
    subs = [t for t in tasks.values() if t.parent == "5.1"]
    assert [t.label for t in subs] == ["健全工作机制", "加强舆论引导", "强化考核评估"]
    assert all(t.section_key == "5.1" and t.key.startswith("5.1.") for t in subs)
    assert subs[0].text == "健全工作机制。建立联席会议制度，定期研究重大事项。"
    assert "5.1" in tasks  # the heading's task stays, holding its sub-measures
    # a single plain paragraph is not a list of sub-measures
    assert not [t for t in tasks.values() if t.parent == "5.2"]


def test_one_short_first_sentence_is_prose_not_a_sub_measure():
    text = "\n".join([
        "一、重点任务",
        "（一）发展量子科技",
        "加快发展量子通信。建设量子通信骨干网。",
        "推进城域网建设，拓展政务应用。",
        "（二）培育数字产业",
        "建设数据中心。发展云服务。",
    ])
    tasks = tasks_of(text)
    assert not [t for t in tasks.values() if t.parent]


def test_sub_measure_keys_come_from_their_heading_not_their_position():
    a = "一、重点任务\n（一）强化保障\n健全机制。建立制度。\n加强宣传。组织解读。"
    b = ("一、重点任务\n（一）强化保障\n细化分工。明确责任。\n"
         "健全机制。建立制度。\n加强宣传。组织解读。")
    keys_a = {t.label: t.key for t in tasks_of(a).values() if t.parent}
    keys_b = {t.label: t.key for t in tasks_of(b).values() if t.parent}
    assert keys_a["健全机制"] == keys_b["健全机制"]
    assert keys_a["加强宣传"] == keys_b["加强宣传"]

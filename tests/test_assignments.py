"""Assignment clauses: roles, lists, shared suffixes, scope notes, inline leads,
document-level extensions and attachment to tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from policykg.extract.assignments import find_assignments, find_clauses, parse_agency_list
from policykg.extract.sections import parse_sections
from policykg.extract.tasks import find_tasks

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(text: str):
    sections = parse_sections(text)
    tasks = find_tasks(text, sections)
    return tasks, find_assignments(text, sections, tasks)


def mentions(text: str):
    """(role, surface, scope) of the single clause in ``text``."""
    (clause,) = find_clauses(text)
    return [(m.role, m.surface, m.scope) for m in clause.mentions]


def test_lead_and_responsible_with_shared_suffixes():
    text = ("二、任务\n（一）打造集群。建设园区。（牵头单位：市经信局、"
            "市科技局；责任单位：市发改委、"
            "市财政局，东湖开发区、临空港开发区管委会，江汉区、硚口区人民政府）")
    assert mentions(text) == [
        ("lead", "市经信局", None), ("lead", "市科技局", None),
        ("responsible", "市发改委", None), ("responsible", "市财政局", None),
        ("responsible", "东湖开发区管委会", None), ("responsible", "临空港开发区管委会", None),
        ("responsible", "江汉区人民政府", None), ("responsible", "硚口区人民政府", None),
    ]


def test_shared_suffix_mention_span_is_what_the_text_says():
    text = "（责任单位：江汉区、硚口区人民政府）"
    (clause,) = find_clauses(text)
    spans = [text[m.span.start: m.span.end] for m in clause.mentions]
    assert spans == ["江汉区", "硚口区人民政府"]
    assert clause.span == type(clause.span)(0, len(text))


def test_suffix_is_not_shared_with_complete_names():
    assert mentions("（责任单位：市发改委、葛店经开区、临空经济区管委会）") == [
        ("responsible", "市发改委", None),
        ("responsible", "葛店经开区管委会", None),
        ("responsible", "临空经济区管委会", None),
    ]


@pytest.mark.parametrize(("label", "role"), [
    ("责任单位", "responsible"), ("责任部门", "responsible"), ("牵头部门", "lead"),
    ("配合单位", "responsible"), ("牵头单位", "lead"),
])
def test_label_variants(label, role):
    assert mentions(f"（{label}：省科技厅）") == [(role, "省科技厅", None)]


def test_half_width_punctuation_and_trailing_deng():
    text = "(牵头单位:市招才局;责任单位:市人社局,市经济和信息化局等)"
    assert mentions(text) == [
        ("lead", "市招才局", None), ("responsible", "市人社局", None),
        ("responsible", "市经济和信息化局", None),
    ]


def test_scope_notes_per_item_and_per_group():
    text = ("（责任单位：市发改委〈生物产业〉、市卫健委〈康养产业〉，市经"
            "信局〈集成电路、汽车产业〉，"
            "市经信局、市发改委〈新材料产业〉，各区人民政府〈含开发区、风景区管委会,下同〉）")
    assert mentions(text) == [
        ("responsible", "市发改委", "生物产业"),
        ("responsible", "市卫健委", "康养产业"),
        ("responsible", "市经信局", "集成电路、汽车产业"),
        ("responsible", "市经信局", "新材料产业"),  # a note after a 、 list covers the list
        ("responsible", "市发改委", "新材料产业"),
        ("responsible", "各区人民政府", "含开发区、风景区管委会,下同"),
    ]


def test_conjunction_splits_only_after_a_complete_name():
    text = "各区人民政府和葛店经开区、临空经济区管委会"
    found = parse_agency_list(text, 0, len(text), "responsible")
    assert [m.surface for m in found] == ["各区人民政府", "葛店经开区管委会", "临空经济区管委会"]
    name = "市经济和信息化局、市文化和旅游局"
    assert [m.surface for m in parse_agency_list(name, 0, len(name), "lead")] == [
        "市经济和信息化局", "市文化和旅游局"]


def test_unbracketed_clause_paragraph():
    text = (
        "二、任务\n（一）建设平台。建设一批平台。\n责任单位：市科"
        "技局、市教育局。\n（二）培育企业。培育企业。"
    )
    tasks, assignments = run(text)
    assert [(a.task, a.mention.surface) for a in assignments] == [
        ("2.1", "市科技局"), ("2.1", "市教育局")]


def test_clause_after_inline_items_goes_to_the_part():
    text = "\n".join([
        "二、重点产业",
        "（一）汽车产业",
        "推动转型升级。",
        "1.新能源汽车。突破电池技术。",
        "2.关键零部件。发展电控系统。",
        "在重点产业布局上，以开发区为支撑。",
        "（牵头单位：市经信局；责任单位：市发改委，江夏区人民政府）",
    ])
    tasks, assignments = run(text)
    assert {a.task for a in assignments} == {"2.1"}
    assert [t.key for t in tasks] == ["2.1"]
    assert assignments[0].clause_span.start == text.index("（牵头单位")


def test_inline_lead():
    text = ("二、重点任务\n（一）发展优势产业。成立专班，由市级分管领导"
            "负责。光电子产业日常工作由市经信局牵头，"
            "生命健康产业日常工作由市发改委牵头。（责任单位：市经信局、市发改委）")
    _, assignments = run(text)
    got = sorted((a.mention.role, a.mention.surface) for a in assignments)
    assert got == [("lead", "市发改委"), ("lead", "市经信局"),
                   ("responsible", "市发改委"), ("responsible", "市经信局")]


def test_lead_with_support_pair():
    text = "二、工作措施\n（一）建设联盟。市发改委牵头，市经信局、市科技局配合，推动组建联盟。"
    _, assignments = run(text)
    assert [(a.mention.role, a.mention.surface) for a in assignments] == [
        ("lead", "市发改委"), ("responsible", "市经信局"), ("responsible", "市科技局")]


def test_inline_without_a_body_name_is_ignored():
    text = "二、重点任务\n（一）攻关。由龙头企业牵头组建联合体，由市级领导负责调度。"
    assert run(text)[1] == []


def test_document_level_extension_reaches_later_tasks_only():
    """The blanket reaches the later tasks that name bodies of their own (2.2, 2.3), not the
    earlier one, nor the 保障措施 measure that names none (every annotator stops it there)."""
    text = "\n".join([
        "二、重点任务",
        "（一）第一项。内容。（责任单位：市财政局）",
        "（二）第二项。内容。（责任单位：市经信局。以下工作均需各区人民政府和葛店经开区、"
        "临空经济区管委会具体落实，不再列出）",
        "（三）第三项。内容。（责任单位：市科技局）",
        "三、保障措施",
        "（一）强化领导。内容。",
    ])
    _, assignments = run(text)
    inherited = {(a.task, a.mention.surface) for a in assignments if a.inherited}
    extended = {"各区人民政府", "葛店经开区管委会", "临空经济区管委会"}
    assert inherited == {(t, s) for t in ("2.2", "2.3") for s in extended}
    explicit = [(a.task, a.mention.surface) for a in assignments if not a.inherited]
    assert explicit == [("2.1", "市财政局"), ("2.2", "市经信局"), ("2.3", "市科技局")]


def test_an_extension_written_as_the_list_every_later_clause_includes():
    text = ("二、重点任务\n（一）第一项。内容。（责任单位：市财政局，各县〔市、区〕人民政府。"
            "以下任务责任单位均包括各县〔市、区〕人民政府，不再列出）\n"
            "（二）第二项。内容。（责任单位：市科技局）\n")
    _, assignments = run(text)
    assert {(a.task, a.mention.surface) for a in assignments if a.inherited} == {
        ("2.2", "各县〔市、区〕人民政府")}


def test_extension_does_not_duplicate_explicit_mentions():
    text = ("二、任务\n（一）甲。内容。（责任单位：市经信局，各区人民政"
            "府。以下工作均需各区人民政府具体落实，"
            "不再列出）\n（二）乙。内容。（责任单位：市发改委）")
    _, assignments = run(text)
    first = [(a.mention.surface, a.inherited) for a in assignments if a.task == "2.1"]
    assert first == [("市经信局", False), ("各区人民政府", False)]


def test_output_is_deterministic_and_ordered():
    text = (
        "二、任务\n（一）甲。内容。（责任单位：市发改委、市经信局）"
        "\n（二）乙。内容。（牵头单位：市科技局）"
    )
    first = run(text)[1]
    assert run(text)[1] == first
    assert [a.task for a in first] == ["2.1", "2.1", "2.2"]


# ---------------------------------------------------------------- whole seeds


def normalized(prefix: str) -> str:
    from policykg.extract.normalize import read_document

    return read_document(next(SEEDS.glob(f"{prefix}_*.txt"))).text


@pytest.mark.parametrize(("prefix", "count"), [("000", 0), ("001", 18), ("002", 0), ("003", 29),
                                               ("004", 15)])
def test_seed_clause_counts(prefix, count):
    assert len(find_clauses(normalized(prefix))) == count


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_seed_every_clause_names_its_bodies_and_lands_on_a_task(prefix):
    text = normalized(prefix)
    _, assignments = run(text)
    attached = {a.clause_span for a in assignments}
    for clause in find_clauses(text):
        assert clause.mentions, text[clause.span.start: clause.span.end]
        assert clause.span in attached
        # every mention is a body name, not a fragment of the clause label
        for m in clause.mentions:
            assert "单位" not in m.surface or m.surface.endswith("成员单位")
            assert text[m.span.start: m.span.end] in m.surface


def test_seed_003_inline_leads_and_extension():
    text = normalized("003")
    tasks, assignments = run(text)
    label = {t.key: t.label for t in tasks}
    leads = {(label[a.task], a.mention.surface) for a in assignments if a.mention.role == "lead"}
    assert leads == {("大力发展优势产业", "市经信局"), ("大力发展优势产业", "市发改委")}
    later = [t for t in tasks if t.label != "培育壮大产业集群"]
    for t in later:
        got = {a.mention.surface for a in assignments if a.task == t.key and a.inherited}
        assert got == {"各区人民政府", "葛店经开区管委会", "临空经济区管委会"}, t.label


def test_seed_001_group_scope_note():
    text = normalized("001")
    _, assignments = run(text)
    scoped = {(a.mention.surface, a.mention.scope) for a in assignments if a.mention.scope}
    assert ("市发展改革委", "新能源与新材料产业") in scoped
    assert ("市经济和信息化局", "新能源与新材料产业") in scoped
    assert ("各区人民政府", "含开发区、风景区管委会,下同") in scoped

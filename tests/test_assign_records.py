"""Record tables: one task laid out label | value, one cell a line (extract/assign/records.py)."""

from __future__ import annotations

from policykg.extract.assign.records import find_records, record_sections
from policykg.extract.normalize import normalize
from policykg.extract.pipeline import extract_local
from policykg.extract.places.gazetteer import default_gazetteer
from policykg.extract.sections import parse_sections

RECORD = ("某某局关于整改措施完成情况的公示\n根据有关要求，现将整改完成情况予以公示。\n"
          "整改完成情况公示表\n整改措施\n推进河湖生态修复，完成十条河道治理。\n"
          "整改牵头单位\n某省水利厅\n整改责任单位\n某省生态环境厅、某省财政厅\n"
          "整改时限\n2025年底前\n整改工作落实情况\n已完成十条河道治理。\n")


def test_a_record_outside_every_section_gets_its_own_and_is_a_task():
    sections = record_sections(RECORD, parse_sections(RECORD))
    assert [(s.key, s.heading) for s in sections] == [("f1", "整改完成情况公示表")]
    rows = find_records(RECORD, sections)
    assert [(r.key, r.text) for r in rows] == [("f1.f1", "推进河湖生态修复，完成十条河道治理。")]
    assert [(m.surface, m.role) for m, _ in rows[0].mentions] == [
        ("某省水利厅", "lead"), ("某省生态环境厅", "responsible"), ("某省财政厅", "responsible")]


def test_records_in_a_section_are_keyed_by_their_order_there():
    text = "一、整改清单\n" + RECORD.split("整改完成情况公示表\n")[1] * 2
    rows = find_records(text, parse_sections(text))
    assert [r.key for r in rows] == ["1.f1", "1.f2"]


def test_the_record_reaches_the_graph_as_a_task_with_its_assignments():
    ex = extract_local(normalize(RECORD, "r.txt"), default_gazetteer()).extraction
    task = next(t for t in ex.tasks if t.key == "f1.f1")
    assert task.text.startswith("推进河湖生态修复")
    assert {(a.mention.surface, a.mention.role, a.form) for a in ex.assignments
            if a.task == task.key} == {("某省水利厅", "lead", "table"),
                                       ("某省生态环境厅", "responsible", "table"),
                                       ("某省财政厅", "responsible", "table")}


def test_a_column_table_and_a_record_of_figures_are_no_records():
    columns = ("一、重点任务\n序号\n重点内容\n牵头单位\n责任单位\n"
               "1\n推进河道治理。\n区水务局\n各街道\n")
    assert find_records(columns, parse_sections(columns)) == []
    figures = "整改措施\n推进河道治理。\n整改时限\n2025年底前\n联系人\n某某\n"
    assert record_sections(figures, []) == []

"""HTML task tables (extract.assign.htmltables): synthetic pages in the genre of a county
assessment table, with invented items; department cells spanning rows, a two-column item
header, and a member table that must not be read."""

from policykg.extract.assign.htmltables import find_html_tables, table_sections

LABELLED = """<div><table border="1"><caption>某县2030年度河湖管护乡镇考核细则</caption>
<thead><tr><th>序号</th><th>考核项目</th><th>各项分值</th><th>考核指标</th><th>负责考核部门</th></tr></thead>
<tbody>
<tr><td>一、</td><td>夯实基础</td><td>20</td><td></td><td></td></tr>
<tr><td>1</td><td>健全巡河队伍</td><td>5</td><td><p>配齐村级巡河员，</p><p>按月公布名单。</p></td><td>县河湖中心</td></tr>
<tr><td>2</td><td>开展节水宣传</td><td>5</td><td>组织节水进社区活动。</td>
<td><p>县委宣传部</p><p>县水务局</p></td></tr>
</tbody></table></div>"""

SPANNING = """<table><thead><tr><th>序号</th><th colspan="2">考核项目</th><th>分值</th>
<th>考核内容</th><th>评分标准</th></tr></thead><tbody>
<tr><td>1</td><td rowspan="3">重点考核部门</td><td>县农业局</td><td>60</td>
<td>推进秸秆综合利用</td><td>完成得分。</td></tr>
<tr><td rowspan="2">2</td><td rowspan="2">县水务局</td><td>30</td>
<td>整治小型水库</td><td>完成得分。</td></tr>
<tr><td>30</td><td>完善取水许可台账</td><td>完成得分。</td></tr>
</tbody></table>"""

MEMBERS = """<table><tr><th>序号</th><th>姓名</th><th>职务</th><th>单位</th></tr>
<tr><td>1</td><td>张明</td><td>副局长</td><td>县水务局</td></tr>
<tr><td>2</td><td>李华</td><td>主任</td><td>县农业局</td></tr></table>"""


def _pairs(doc):
    sections = table_sections(doc, [])
    return sections, [(r.key, r.text.split("\n")[-1][:8], m.surface, m.role)
                      for r in find_html_tables(doc, sections) for m, _ in r.mentions]


def test_labelled_department_column_one_p_per_unit():
    sections, pairs = _pairs(LABELLED)
    assert [s.heading for s in sections] == ["某县2030年度河湖管护乡镇考核细则"]
    assert {p[3] for p in pairs} == {"responsible"}
    assert {p[2] for p in pairs} == {"县河湖中心", "县委宣传部", "县水务局"}
    assert len({p[0] for p in pairs}) == 2


def test_rowspan_department_reaches_every_row_it_covers():
    _, pairs = _pairs(SPANNING)
    assert [(p[1], p[2]) for p in pairs] == [
        ("推进秸秆综合利用", "县农业局"), ("整治小型水库", "县水务局"),
        ("完善取水许可台账", "县水务局")]


def test_member_table_without_a_task_column_is_not_read():
    sections, pairs = _pairs(MEMBERS)
    assert sections == [] and pairs == []


def test_a_heading_wrapped_in_an_emphasis_tag_opens_a_section():
    from policykg.extract.sections import parse_sections

    page = ("<div>各乡镇人民政府：\n<b>一、开展自查</b>各乡镇要对照清单逐项自查。\n"
            "<b>二、报送材料</b>县水务局汇总后报县政府。\n</div>")
    got = [(s.ordinal_label, s.heading) for s in parse_sections(page)]
    assert got == [("一、", "开展自查"), ("二、", "报送材料")]


def test_entities_and_blank_cells_are_no_text():
    page = LABELLED.replace("<td>县河湖中心</td>", "<td>&nbsp;县河湖中心&nbsp;</td>")
    _, pairs = _pairs(page)
    assert "县河湖中心" in {p[2] for p in pairs}


def test_a_section_line_without_a_department_is_no_task():
    rows = find_html_tables(LABELLED, table_sections(LABELLED, []))
    assert [r.number for r in rows] == [2, 3]  # 一、夯实基础 (row 1) names no department

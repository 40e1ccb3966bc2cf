"""Every form of assignment beyond the labelled clause: task tables, unlabelled
brackets, unbracketed labels, prose, collective 各, scoped leads, the form recorded in
the graph. All texts are invented, in the genre of Shanghai, Zhejiang, Sichuan plans."""

from __future__ import annotations

import pytest
from policykg.extract.agencies import is_agency_name
from policykg.extract.assign import find_clauses, find_tables, parse_agency_list
from policykg.extract.assign.tables import crawled_table_sections
from policykg.extract.sections import parse_sections
from policykg.extract.tasks import find_tasks


def run(text: str):
    sections = parse_sections(text)
    tasks = find_tasks(text, sections)
    from policykg.extract.assign import find_assignments

    return tasks, find_assignments(text, sections, tasks)


def pairs(text: str, form: str | None = None):
    tasks, found = run(text)
    label = {t.key: t.label for t in tasks}
    return {(label[a.task], a.mention.role, a.mention.surface) for a in found
            if form is None or a.form == form}


# ---------------------------------------------------------------- task tables

TABLE_DOC = """\
一、主要任务
（一）推进绿色出行。完善慢行网络。（责任单位：区交通委）
二、保障措施
（一）加强组织领导。建立工作机制。
附件
松江区绿色交通重点任务清单
序号
任务名称
任务内容
牵头部门
配合部门
完成时限
1
完善慢行网络
建设骑行道50公里，打通断头路。
区交通委
区绿化市容局、
区规划资源局
2026年底
2
推进路网微循环改造。
区建设管理委
各街镇（园区）
2026年6月
序号
任务名称
任务内容
牵头部门
配合部门
完成时限
3
推广新能源车辆
更新新能源公交车200辆。
区交通委、区国资委
区财政局
区发展改革委
2027年
附件2
各街镇绿色交通目标分解表
序号
街镇
骑行道（公里）
1
泗泾镇
10
"""


def test_table_rows_are_tasks_in_the_table_section_with_stable_keys():
    tasks, _ = run(TABLE_DOC)
    rows = [t for t in tasks if t.row is not None]
    assert [(t.key, t.row) for t in rows] == [("2.r1", 1), ("2.r2", 2), ("2.r3", 3)]
    assert {t.section for t in rows} == {"2"}
    assert rows[0].label == "建设骑行道50公里，打通断头路"
    assert rows[1].text.startswith("完善慢行网络\n")  # the name is inherited from the row above


def test_table_columns_give_roles_wrapped_cells_and_extra_cells():
    got = pairs(TABLE_DOC, "table")
    assert got == {
        ("建设骑行道50公里，打通断头路", "lead", "区交通委"),
        ("建设骑行道50公里，打通断头路", "responsible", "区绿化市容局"),  # cell wraps after 、
        ("建设骑行道50公里，打通断头路", "responsible", "区规划资源局"),
        ("推进路网微循环改造", "lead", "区建设管理委"),
        ("推进路网微循环改造", "responsible", "各街镇（园区）"),
        ("更新新能源公交车200辆", "lead", "区交通委"),
        ("更新新能源公交车200辆", "lead", "区国资委"),
        ("更新新能源公交车200辆", "responsible", "区财政局"),
        ("更新新能源公交车200辆", "responsible", "区发展改革委"),  # an extra cell
    }


def test_a_target_table_without_agency_columns_is_not_a_task_table():
    sections = parse_sections(TABLE_DOC)
    assert all("泗泾镇" not in r.text for r in find_tables(TABLE_DOC, sections))


def test_single_responsible_column_and_header_variants():
    text = ("一、重点任务\n附件：温江区海绵城市重点任务分解表\n"
            "序号\n任务类型\n重点内容\n责任单位\n参考文件\n"
            "1\n海绵城市\n建设管理\n统筹推进海绵城市建设。\n区住建局、区水务局，\n各镇（街道）\n"
            "《温江区海绵城市建设指引》\n")
    got = pairs(text, "table")
    names = ("区住建局", "区水务局", "各镇（街道）")  # the bracket adds a kind
    assert got == {("统筹推进海绵城市建设", "responsible", n) for n in names}


def test_a_rectification_table_with_its_own_column_names():
    text = ("一、整改任务\n附件：整改任务清单\n"
            "序号\n反馈问题\n整改措施\n责任领导\n整改牵头单位\n整改责任单位\n整改时限\n"
            "1\n河道垃圾清理不及时\n建立河道保洁长效机制。\n某某\n区水务局\n各街道\n2024年底\n")
    assert {(r, a) for _, r, a in pairs(text, "table")} == {("lead", "区水务局"),
                                                            ("responsible", "各街道")}


def test_a_table_with_year_columns_group_rows_and_names_run_together():
    text = ("一、主要任务\n附件1\n某区行动方案责任清单\n"
            "序号\n任务内容\n2024年目标\n2025年目标\n牵头单位\n（一）实施设备更新行动\n1\n推动工业企业数字化改造\n创建智能工厂1家\n创建智能工厂2家\n"
            "区住建局区市场监管局\n2\n推动教育领域设备更新\n更新设备2台\n更新设备3台\n"
            "商务局某某公安分局工信局\n")
    assert {(label[:6], role, name) for label, role, name in pairs(text, "table")} == {
        ("推动工业企业", "lead", "区住建局"), ("推动工业企业", "lead", "区市场监管局"),
        ("推动教育领域", "lead", "商务局"), ("推动教育领域", "lead", "某某公安分局"),
        ("推动教育领域", "lead", "工信局")}


@pytest.mark.parametrize(("cell", "names"), [
    ("区住建局区市场监管局", ["区住建局", "区市场监管局"]),
    ("市场监管局发改委工信局", ["市场监管局", "发改委", "工信局"]),
    ("区发改委某某供电服务中心", ["区发改委", "某某供电服务中心"]),
    # one body: a committee's department, a bureau's own bureau, a short name
    ("中共某区委组织部", ["中共某区委组织部"]),
    ("市公安局交通管理局", ["市公安局交通管理局"]),
    ("区商务局", ["区商务局"]),
])
def test_names_a_pdf_table_ran_together_are_cut_apart(cell, names):
    from policykg.extract.assign.tables import run_together
    from policykg.extract.model import AgencyMention, Span

    got = run_together(AgencyMention(cell, Span(0, len(cell)), "lead", None))
    assert [m.surface for m in got] == names
    assert "".join(m.surface for m in got) == cell and got[-1].span.end == len(cell)


# ---------------------------------------------------------------- unlabelled brackets


def test_unlabelled_agency_bracket_closing_a_task():
    text = ("一、主要举措\n1.开展低效用地收储。加大收储力度。（各街镇、区规划资源局、区土储中心）\n"
            "2.加强资金保障。统筹安排资金。（区财政局、区国资委）。\n")
    assert pairs(text, "unlabelled") == {
        ("开展低效用地收储", "responsible", "各街镇"),
        ("开展低效用地收储", "responsible", "区规划资源局"),
        ("开展低效用地收储", "responsible", "区土储中心"),
        ("加强资金保障", "responsible", "区财政局"),
        ("加强资金保障", "responsible", "区国资委"),
    }


@pytest.mark.parametrize("bracket", ["（沪规划资源用〔2021〕88号）", "（2024—2026年）", "（试行）",
                                     "（区财政局、2025年底前）"])
def test_a_bracket_with_one_item_that_is_not_an_agency_assigns_nothing(bracket):
    text = f"一、主要举措\n1.完善用地政策。按照有关规定执行。{bracket}\n"
    assert [c for c in find_clauses(text) if c.form == "unlabelled"] == []


def test_an_unlabelled_list_in_square_brackets_with_a_note_after_it():
    text = ("二、重点任务\n1.加强通道建设。推进铁路建设。"
            "〔省交通运输厅、某某海关，有关州（市）人民政府〕"
            "〔以下分工均涉及有关州（市）人民政府，不再列出〕\n"
            "2.完善网络。推进建设。（省交通运输厅）\n")
    tasks, found = run(text)
    got = {(a.task, a.mention.surface, a.form) for a in found}
    assert {("2.1", "省交通运输厅", "unlabelled"), ("2.1", "某某海关", "unlabelled"),
            ("2.1", "有关州（市）人民政府", "unlabelled"),
            ("2.2", "省交通运输厅", "unlabelled"),
            ("2.2", "有关州（市）人民政府", "document")} <= got


def test_a_bracket_right_after_a_name_is_an_alias_not_an_assignment():
    text = "一、主要举措\n1.加强督查。纳入考核体系，由区委组织部（区公务员局）\n"
    assert [c for c in find_clauses(text) if c.form == "unlabelled"] == []


# ---------------------------------------------------------------- unbracketed labels


def test_unbracketed_clause_at_item_end_stops_at_the_next_item_or_heading():
    text = ("一、重点任务\n1.培育消费新场景。打造夜间经济街区。责任单位：市商务局2.加快会展发展。"
            "引进品牌展会。牵头单位：市贸促会，配合单位：市文广旅局、市公安局二、强化保障\n")
    got = [[(m.role, m.surface) for m in c.mentions] for c in find_clauses(text)]
    assert got == [
        [("responsible", "市商务局")],
        [("lead", "市贸促会"), ("responsible", "市文广旅局"), ("responsible", "市公安局")],
    ]


def test_unbracketed_clause_at_the_end_of_an_item_lands_on_it():
    text = ("一、重点任务\n1.培育消费新场景。打造夜间经济街区。"
            "牵头单位：市商务局，配合单位：市文旅局\n2.加快会展发展。引进品牌展会。\n")
    assert pairs(text, "clause") == {("培育消费新场景", "lead", "市商务局"),
                                     ("培育消费新场景", "responsible", "市文旅局")}


def test_unbracketed_clause_comma_groups():
    text = "一、重点任务\n1.建设人才公寓。新增房源一千套。责任单位：市住建局，市人社局、市财政局\n"
    assert {s for _, _, s in pairs(text)} == {"市住建局", "市人社局", "市财政局"}


# ---------------------------------------------------------------- prose


@pytest.mark.parametrize(("sentence", "expected"), [
    ("由区商务委牵头，区财政局配合做好补贴发放。",
     {("lead", "区商务委"), ("responsible", "区财政局")}),
    ("区经信局牵头，区科技局、区市场监管局配合。",
     {("lead", "区经信局"), ("responsible", "区科技局"), ("responsible", "区市场监管局")}),
    ("由区自然资源局会同区农业农村局等部门审核方案。",
     {("lead", "区自然资源局"), ("responsible", "区农业农村局")}),
    ("公共机构分类推进由区机关事务局与区城管局落实。",
     {("responsible", "区机关事务局"), ("responsible", "区城管局")}),
    ("其余单位由街镇（园区）牵头，区城管局配合落实。",
     {("lead", "街镇（园区）"), ("responsible", "区城管局")}),
    ("区规划资源局牵头各乡镇建立入市地块台账。",
     {("lead", "区规划资源局"), ("responsible", "各乡镇")}),
    ("区文旅局负责编制夜游线路。", {("responsible", "区文旅局")}),
    # X牵头推动…，Y、Z等部门依职责分工落实…
    ("省级层面，省商务厅牵头推动建立联合监管机制，省教育厅、省公安厅等部门依职责分工落实监管责任。",
     {("lead", "省商务厅"), ("responsible", "省教育厅"), ("responsible", "省公安厅")}),
    ("市发展改革委发挥牵头抓总作用，建立工作专班。", {("lead", "市发展改革委")}),
    ("各市州、县市区对本地区实施工作负主体责任。",
     {("responsible", "各市州"), ("responsible", "各县市区")}),
    ("各地切实履行好统筹推进示范建设的主体责任。", {("responsible", "各地")}),
    ("各地落实属地监管责任，严格审核申报材料。", {("responsible", "各地")}),
    ("市商务局会同有关部门建立专项工作机制。", {("lead", "市商务局")}),
    ("市发展改革委要会同各有关部门建立工作机制。", {("lead", "市发展改革委")}),
    ("本方案由市生态环境局负责牵头组织实施。", {("lead", "市生态环境局")}),
    ("市商务局会同市财政局、市税务局，制定补贴细则。",
     {("lead", "市商务局"), ("responsible", "市财政局"), ("responsible", "市税务局")}),
    # the subject, an adverbial clause, then 负责; 及 after a collective joins one group
    ("各设区市及东湖新区、西山市政府依据省级规划，负责编制本地专项规划。",
     {("responsible", "各设区市政府"), ("responsible", "东湖新区政府"),
      ("responsible", "西山市政府")}),
    # the leads of a working group lead the task of setting it up; its members do not
    ("建立由区规划资源局、区农业农村委牵头，区发展改革委、区财政局等部门为主要成员的工作专班。",
     {("lead", "区规划资源局"), ("lead", "区农业农村委")}),
    # a point of an enumerated task that opens with its doer
    ("一是完善回收网络；二是区财政局、区商务委等部门制定补贴政策。",
     {("responsible", "区财政局"), ("responsible", "区商务委")}),
    ("一是区交通局、区公安分局等部门加强校车安全检查；二是区教育局督促学校落实接送制度。",
     {("responsible", "区交通局"), ("responsible", "区公安分局"), ("responsible", "区教育局")}),
    # 由X + a manner (按属地) + the verb; 由X开展; an association's branch is a body
    ("由各县（区）住房城乡建设主管部门按属地督促物业整改。",
     {("responsible", "各县（区）住房城乡建设主管部门")}),
    ("由省电力行业协会储能分会开展企业评价工作。", {("responsible", "省电力行业协会储能分会")}),
    # X统筹负责…，Y配合X做好… (the assisting body after a comma)
    ("省水利厅统筹负责推进方案实施，省自然资源厅配合省水利厅做好协调工作。",
     {("responsible", "省水利厅"), ("responsible", "省自然资源厅")}),
    # X发挥<a group's>牵头作用，会同Y…; X将会同省级有关部门…; X加强统筹协调，会同Y…
    ("省文化和旅游厅发挥省文旅融合专班牵头作用，会同省财政厅安排奖励资金。",
     {("lead", "省文化和旅游厅"), ("responsible", "省财政厅")}),
    ("省商务厅、省文化和旅游厅将会同省级有关部门总结推广做法。",
     {("lead", "省商务厅"), ("lead", "省文化和旅游厅")}),
    ("省农业农村厅、省水利厅加强统筹协调，会同各市县建立调度机制。",
     {("lead", "省农业农村厅"), ("lead", "省水利厅")}),
    ("省水利厅加强统筹协调和督促检查，会同相关部门研究解决突出问题。", {("lead", "省水利厅")}),
    # X牵头指导…; X发挥<group>牵头部门作用; 由X按照…要求合理制定; 由X、Y等指导…
    ("省卫生健康委牵头指导各地做好服务衔接。", {("lead", "省卫生健康委")}),
    ("省体育局发挥省全民健身专班牵头部门作用，会同省财政厅安排场馆资金。",
     {("lead", "省体育局"), ("responsible", "省财政厅")}),
    ("奖励细则由省文化和旅游厅按照本方案要求并结合实际合理制定。",
     {("responsible", "省文化和旅游厅")}),
    ("服务规范由省体育局、省住房城乡建设厅等指导各地制定。",
     {("responsible", "省体育局"), ("responsible", "省住房城乡建设厅")}),
    # X、Y等按职责分工V…: each does its share
    ("省教育厅、民政厅等按职责分工细化支持措施。",
     {("responsible", "省教育厅"), ("responsible", "省民政厅")}),
    # X商Y、Z汇总…: X consults them and leads, as with 会同
    ("省民政厅商省财政厅、省卫生健康委汇总形成年度报告。",
     {("lead", "省民政厅"), ("responsible", "省财政厅"), ("responsible", "省卫生健康委")}),
    # …，X、Y会同有关部门… after a clause; X负责牵头推进…; 由X、Y组织…
    ("市级层面建立推进机制，市教育局、人社局会同有关部门统筹推进方案实施。",
     {("lead", "市教育局"), ("lead", "市人社局")}),
    ("省科技厅、教育厅负责牵头推进产教融合相关工作。",
     {("lead", "省科技厅"), ("lead", "省教育厅")}),
    ("方案由省科技厅、教育厅组织专家评审后公布实施。",
     {("responsible", "省科技厅"), ("responsible", "省教育厅")}),
    # X对…负总责: X answers for the whole task
    ("区应急管理局对专项整治工作负总责。", {("lead", "区应急管理局")}),
    # X牵头做好…, after an adverbial clause on X's role; X配合Y制定…
    ("市发展改革委充分发挥统筹作用，牵头做好资金分配工作。", {("lead", "市发展改革委")}),
    ("市科技局牵头组织重点项目申报。", {("lead", "市科技局")}),
    ("市财政局配合市发展改革委科学制定资金测算方案。", {("responsible", "市财政局")}),
    # 由X牵头组织，Y、Z作为联合部门共同参与
    ("此次联合抽查由市商务局牵头组织，市公安局、市气象局作为联合部门共同参与。",
     {("lead", "市商务局"), ("responsible", "市公安局"), ("responsible", "市气象局")}),
    ("各县级以上政府是本地区设施规划建设的责任主体。", {("responsible", "各县级以上政府")}),
    ("市发展改革委、市能源局会同各有关方面统筹推进本方案实施。",
     {("lead", "市发展改革委"), ("lead", "市能源局")}),
    # X会同Y goes on with a time, a frequency or a modal before its verb
    ("市发展改革委会同市能源局在每年迎峰度夏前修订负荷管理方案。",
     {("lead", "市发展改革委"), ("responsible", "市能源局")}),
    ("省发展改革委会同省能源局、省电力公司每年开展用电形势分析。",
     {("lead", "省发展改革委"), ("responsible", "省能源局"), ("responsible", "省电力公司")}),
    ("区交通运输主管部门应当会同区财政局完善补贴发放制度。",
     {("lead", "区交通运输主管部门"), ("responsible", "区财政局")}),
    # a body named by its function at a level (价格主管部门); unnamed partners are no one
    ("具体办法由市价格主管部门会同有关部门明确。", {("lead", "市价格主管部门")}),
    # a clause of time before the subject names no one
    ("方案实施期间，市发展改革委会同市能源局组织开展监督检查。",
     {("lead", "市发展改革委"), ("responsible", "市能源局")}),
    # the partners are no bodies (a class of enterprises): the lead still leads
    ("市级能源主管部门会同属地供电企业，按季度公布可开放容量。",
     {("lead", "市级能源主管部门")}),
    # a division plan's report: X、Y将负责…, X、Y等部门还将负责…
    ("为支持某区率先发展，水利部、商务部将负责支持建设某某经济圈。",
     {("responsible", "水利部"), ("responsible", "商务部")}),
    ("教育部、科技部等部门还将负责推动某某经济带加快发展。",
     {("responsible", "教育部"), ("responsible", "科技部")}),
    ("完善某某采购机制，由省医保局、省卫生健康委等分工负责。",
     {("responsible", "省医保局"), ("responsible", "省卫生健康委")}),
])
def test_prose_forms(sentence, expected):
    text = f"一、重点任务\n（一）推进示范建设。{sentence}\n"
    assert {(r, s) for _, r, s in pairs(text, "prose")} == expected


@pytest.mark.parametrize("sentence", [
    "设施建成后由相应的管养单位负责维护。",
    # an exhortation to a collective (X要…) or a bare action verb assigns nothing
    "各市要加强组织领导，确保各项要求落到实处。",
    "各区应当结合实际细化工作措施。",
    "区商务委对接企业做好数据统计。",
    # a coordinating body and its office coordinate; they are given no task
    "领导小组办公室会同有关部门制定年度工作安排。",
    # all levels of government, a vague collective, an exhortation with a modal; 协商 is no 商
    "具体奖补细则由各级政府自行制定。",
    "各有关部门要按照职责分工加强配合。",
    "各地各部门要根据职责分工开展监测评估。",
    "区规划资源局应根据职责分工指导试点乡镇推进工作。",
    "各级党委要认真执行政治协商制度。",
    "由市级分管领导负责，分领域成立工作专班。",
    "区数字经济工作领导小组负责统筹协调。",
    # industry regulators of every kind are no one body; a time adverbial opens no name
    "由行业主管部门牵头负责项目谋划和储备。",
    "必要时经市发展改革委会同市财政局批准后实施。",
    # a permission assigns nothing, not even to the subject
    "各市能源主管部门会同属地供电企业可结合本地实际制定细化方案。",
])
def test_prose_distractors_assign_nothing(sentence):
    text = f"一、重点任务\n（一）推进示范建设。{sentence}\n"
    assert pairs(text, "prose") == set()


def test_a_point_of_a_procedure_that_opens_with_its_doer():
    text = ("五、工作流程\n（一）市商务局在征求各部门意见的基础上，制定抽查方案。\n"
            "（二）市场监管局通过监管平台对检查对象进行认领。\n")
    assert {(r, a) for _, r, a in pairs(text, "prose")} == {
        ("responsible", "市商务局"), ("responsible", "市场监管局")}


@pytest.mark.parametrize("text", [
    # the same words at the start of a paragraph, or of an article, are no point's doer
    "五、工作流程\n市商务局在征求各部门意见的基础上，制定抽查方案。\n",
    "第五条 市商务局在征求各部门意见的基础上，制定抽查方案。\n",
])
def test_a_doer_is_read_only_after_a_bracketed_point_marker(text):
    assert pairs(text, "prose") == set()


def test_duties_of_a_division_of_functions_part_are_not_tasks_assignments():
    text = ("一、试点工作职能分工\n（一）协调机构：区财政局负责资金监管。\n"
            "二、主要内容\n（一）制订配套文件。由区财政局牵头制定。\n")
    assert pairs(text, "prose") == {("制订配套文件", "lead", "区财政局")}


def test_a_sentence_handing_parts_to_agencies_reaches_their_tasks():
    text = ("一、重点工程\n（一）智能制造提升工程\n1.建设示范工厂。培育标杆。\n2.推广工业互联网。"
            "上云企业一千家。\n（二）绿色低碳改造工程\n1.推进节能改造。实施技改。\n"
            "二、保障措施\n（一）压实责任。市经信局负责智能制造提升工程、绿色低碳改造工程；"
            "市科技局负责创新平台建设。\n")
    got = pairs(text, "prose")
    assert ("建设示范工厂", "responsible", "市经信局") in got
    assert ("推广工业互联网", "responsible", "市经信局") in got
    assert ("推进节能改造", "responsible", "市经信局") in got
    assert ("压实责任", "responsible", "市经信局") not in got
    # 创新平台建设 names no part: an ordinary X负责 of the task holding it
    assert ("压实责任", "responsible", "市科技局") in got


# ---------------------------------------------------------------- lists: collective 各


@pytest.mark.parametrize(("items", "expected"), [
    ("各区、县级市", ["各区", "各县级市"]),
    ("各区、县级市人民政府", ["各区人民政府", "各县级市人民政府"]),
    ("各街镇、区规划资源局", ["各街镇", "区规划资源局"]),
    ("各街镇、区属国企", ["各街镇", "区属国企"]),
    ("各有关乡镇、街道", ["各有关乡镇", "各有关街道"]),
    # places written bare before a level-marked last item share the level with the suffix
    ("郑州、洛阳市政府", ["郑州市政府", "洛阳市政府"]),
    ("江汉区、硚口区人民政府", ["江汉区人民政府", "硚口区人民政府"]),
    # the places share the suffix of the first body after them, not of the list's last item
    ("安阳市、鹤壁市、新乡市人民政府、某某管委会",
     ["安阳市人民政府", "鹤壁市人民政府", "新乡市人民政府", "某某管委会"]),
    # bare divisions after a body's division are divisions of that body
    ("湖南省农业农村厅种业处、畜牧处、计财处；湖南省林业局办公室",
     ["湖南省农业农村厅种业处", "湖南省农业农村厅畜牧处", "湖南省农业农村厅计财处",
      "湖南省林业局办公室"]),
    # the bodies right after one that writes its place, with that place's level alone
    ("湄潭县委、县政府、县林业局", ["湄潭县委", "湄潭县政府", "湄潭县林业局"]),
    ("遵义市税务局、国家金融监管总局遵义监管分局、市委金融办",
     ["遵义市税务局", "国家金融监管总局遵义监管分局", "市委金融办"]),
    # named places before a place and its body share the body
    ("遵义市、安顺市、黔南州交通运输部门",
     ["遵义市交通运输部门", "安顺市交通运输部门", "黔南州交通运输部门"]),
    # a bracket of place kinds in 〔〕 is a note too, not two more items
    ("各市〔州〕人民政府、各县〔市、区〕人民政府",
     ["各市〔州〕人民政府", "各县〔市、区〕人民政府"]),
    # the level word goes with the shared suffix; a bare level is a name only with it
    ("各市、县级政府", ["各市级政府", "各县级政府"]),
    ("市、县级人民政府", ["市级人民政府", "县级人民政府"]),
    ("市、县", []),
    ("市经信局，各县（市、区）", ["市经信局", "各县（市、区）"]),  # the bracket adds kinds
])
def test_collective_ge_distributes_over_bare_place_kinds(items, expected):
    assert [m.surface for m in parse_agency_list(items, 0, len(items), "responsible")] == expected


# ---------------------------------------------------------------- scoped leads


def test_each_lead_keeps_its_share_of_the_work():
    text = ("一、重点任务\n2.壮大优势产业。汽车、装备产业日常工作由市经信局牵头，"
            "生物医药、北斗产业日常工作由市发改委牵头。（责任单位：市经信局、市发改委）\n")
    _, found = run(text)
    leads = {(a.mention.surface, a.mention.scope) for a in found if a.mention.role == "lead"}
    assert leads == {("市经信局", "汽车、装备产业"), ("市发改委", "生物医药、北斗产业")}


def test_a_single_lead_has_no_scope():
    text = "一、重点任务\n2.壮大优势产业。日常工作由市经信局牵头。\n"
    _, found = run(text)
    assert [(a.mention.surface, a.mention.scope) for a in found] == [("市经信局", None)]


# ---------------------------------------------------------------- task boundary


def test_an_item_number_before_a_digit_initial_heading_is_a_task():
    text = ("一、人才项目\n10.青年英才项目。每年资助百人。（牵头单位：市人社局）\n"
            "11.121人才梯队项目。重点培养。（牵头单位：市科技局）\n"
            "12.增加投入。新增1.5亿元资金。\n")
    got = pairs(text)
    assert ("121人才梯队项目", "lead", "市科技局") in got
    assert [s.heading for s in parse_sections(text)][-1] == "增加投入"


# ---------------------------------------------------------------- forms and the name test


def test_every_assignment_records_its_form():
    text = ("一、重点任务\n（一）推进示范建设。由区商务委牵头。（责任单位：区财政局）\n"
            "以下工作均需各街镇具体落实，不再列出。\n（二）加强宣传。开展活动。（区融媒体中心）\n")
    _, found = run(text)
    assert {(a.mention.surface, a.form) for a in found} == {
        ("区商务委", "prose"), ("区财政局", "clause"), ("各街镇", "document"),
        ("区融媒体中心", "unlabelled"),
    }


@pytest.mark.parametrize(("name", "ok"), [
    ("区规划资源局", True), ("各街镇", True), ("新城公司", True), ("区属国企", True),
    ("团区委", True), ("街镇", True), ("相应的管养单位", False), ("2024—2026年", False),
    ("沪府办发〔2024〕3号", False), ("试行", False), ("单位", False),
    # a collective word opening a clause of its own is no name
    ("各市组织相关部门落实", False), ("各区负责", False), ("各县〔市、区〕人民政府", True),
])
def test_provisional_agency_name_test(name, ok):
    assert is_agency_name(name) is ok


# ---------------------------------------------------------------- the graph


def test_graph_writes_table_tasks_in_their_section_and_every_form(tmp_path):
    from policykg.build import build

    docs = tmp_path / "docs"
    docs.mkdir()
    plan = "松江区绿色交通行动方案\n为推进绿色交通，制定本方案。\n" + TABLE_DOC
    (docs / "plan.txt").write_text(plan, encoding="utf-8")
    summary = build(docs, tmp_path / "out", progress=lambda _l: None)  # raises if the shapes fail
    assert summary.documents == 1
    quads = (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8").splitlines()
    ontology = "<https://w3id.org/hubei-policy/ontology#"
    row_in_section = [q for q in quads if "/task/" in q.split()[0] and "/2.r1>" in q.split()[0]
                      and f"{ontology}inSection>" in q]
    assert len(row_in_section) == 1 and "/section/" in row_in_section[0].split()[2]
    assert row_in_section[0].split()[2].endswith("/2>")
    forms = {q.split()[2] for q in quads if q.split()[1] == f"{ontology}assignmentForm>"}
    assert forms == {f"{ontology}tableForm>", f"{ontology}clauseForm>"}


def test_a_second_name_in_brackets_is_not_a_scope():
    items = "市委宣传部〈市新闻办〉、市经信局〈智能网联汽车产业〉"
    got = [(m.surface, m.scope) for m in parse_agency_list(items, 0, len(items), "responsible")]
    assert got == [("市委宣传部", None), ("市经信局", "智能网联汽车产业")]


def test_a_table_with_one_cell_per_paragraph_reads_the_same():
    spaced = TABLE_DOC.replace("\n", "\n\n")
    assert pairs(spaced, "table") == pairs(TABLE_DOC, "table")


@pytest.mark.parametrize(("text", "expected"), [
    ("各乡镇（园区）、县农业局", ["各乡镇（园区）", "县农业局"]),
    ("各乡（镇）、街道（园区）", ["各乡（镇）", "各街道（园区）"]),
    # a note that is not a place kind stays a scope note
    ("县工信局（新材料产业）、各乡镇", ["县工信局", "各乡镇"]),
])
def test_a_bracket_of_place_kinds_is_part_of_a_collective(text, expected):
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == expected


def test_lead_by_a_long_list_with_a_determiner_and_a_class_after_deng():
    names = ["省交通运输厅", "省水利厅", "省农业农村厅", "省林业局", "省文化和旅游厅", "省商务厅",
             "省科技厅", "省财政厅", "省民政厅", "省卫生健康委"]
    sentence = (f"各项重点工作，由所涉及的{'、'.join(names)}等省级行业部门（机构）"
                "牵头完成自查，其他部门配合。")
    text = f"一、重点任务\n（一）开展专项自查。{sentence}\n"
    got = pairs(text, "prose")
    assert {(r, s) for _, r, s in got} == {("lead", n) for n in names}


@pytest.mark.parametrize(("text", "expected"), [
    ("县水务局、县农业局等县级主管部门", ["县水务局", "县农业局"]),
    ("县水务局、县农业局等有关单位（机构）", ["县水务局", "县农业局"]),
])
def test_a_class_named_after_deng_is_not_one_more_body(text, expected):
    found = parse_agency_list(text, 0, len(text), "responsible")
    assert [m.surface for m in found] == expected
    assert all(m.scope is None for m in found)


ROW_TABLE = ("一、重点任务\n序号\n任务名称\n重点内容\n责任单位\n"
             "1\n备用水源\n推进备用水源建设，与县环保局、县水文站共同推进水源地保护。\n县水务局\n"
             "2\n巡河检查\n配合县河长办开展巡河检查。\n县林业局\n")


def test_coworkers_named_inside_a_table_row_are_responsible():
    got = {(label[:4], role, name) for label, role, name in pairs(ROW_TABLE)}
    assert got == {("推进备用", "responsible", n) for n in ("县水务局", "县环保局", "县水文站")} | {
        ("配合县河", "responsible", n) for n in ("县林业局", "县河长办")}


def test_coworker_forms_are_not_read_in_ordinary_prose():
    text = ("一、重点任务\n（一）推进水源保护。与县环保局共同推进水源地保护，"
            "配合县河长办开展督查。\n")
    assert pairs(text, "prose") == set()


GLUED = ("一、重点任务\n序号\n任务名称\n重点内容\n牵头部门\n配合部门\n"
         "1\n设施运维\n严格落实设施开放制度。\n区水务局、区城管执法局区河道管理中心、各街镇\n"
         "2\n执法检查\n开展联合执法检查。\n区市场监管局\n区城市网格化管理中心\n")


def test_two_agency_cells_run_into_one_line_are_split():
    got = {(label[:4], role, name) for label, role, name in pairs(GLUED, "table")}
    assert got == {("严格落实", "lead", "区水务局"), ("严格落实", "lead", "区城管执法局"),
                   ("严格落实", "responsible", "区河道管理中心"),
                   ("严格落实", "responsible", "各街镇"),
                   ("开展联合", "lead", "区市场监管局"),
                   ("开展联合", "responsible", "区城市网格化管理中心")}


def test_by_x_confirms_is_responsible_but_not_a_body_named_after_the_verb():
    text = "一、重点任务\n（一）遴选参与商户。经各县商务部门初审，由市商务局确认后公布名单。\n"
    assert pairs(text, "prose") == {("遴选参与商户", "responsible", "市商务局")}
    text = "一、重点任务\n（一）处理审查意见。审查意见一并交由有关制定机关研究处理。\n"
    assert pairs(text, "prose") == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("县水务局、水保局", ["县水务局", "县水保局"]),
    # another item writes a level of its own: names kept as written (a province's 厅 without 省)
    ("省政府研究室、交通运输厅、省林业局",
     ["省政府研究室", "交通运输厅", "省林业局"]),
    ("区城管局、街道", ["区城管局", "街道"]),
    # a body type the data knows, written bare, takes the level (58's gold: 省消防救援总队)
    ("县公安局、消防救援大队", ["县公安局", "县消防救援大队"]),
    # a company among the departments keeps its name; the 厅 departments share the level
    # a longer bare department takes the level; a body naming its place, a branch, a
    # party body with its level inside keep their names
    ("市发展改革委、工业和信息化局", ["市发展改革委", "市工业和信息化局"]),
    ("市发展改革委、厦门海事局、城管和综合执法局",
     ["市发展改革委", "厦门海事局", "市城管和综合执法局"]),
    ("区文旅局、公安某某分局", ["区文旅局", "公安某某分局"]),
    # the first item's level goes on however long its own name
    ("省行政审批政务信息管理局、司法厅、市场监管局",
     ["省行政审批政务信息管理局", "省司法厅", "省市场监管局"]),
    # 市场监管局 writes no level of its own: 市 is part of its word
    ("市生态环境局、市场监管局、发改委", ["市生态环境局", "市市场监管局", "市发改委"]),
    ("省发改委、住建厅、交通运输厅、某省电力有限公司",
     ["省发改委", "省住建厅", "省交通运输厅", "某省电力有限公司"]),
    # how the bodies work is not a body
    ("市商务局、某某燃气有限公司按职责分工负责", ["市商务局", "某某燃气有限公司"]),
])
def test_a_level_written_only_on_the_first_item_is_shared(text, expected):
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("（一）推进建设。加快建设进度。（市工信局牵头，市财政局、市商务局配合）再推进其他工作。",
     [("市工信局", "lead"), ("市财政局", "responsible"), ("市商务局", "responsible")]),
    ("（一）加快发展。推进发展。（市工信局、市科技局牵头）",
     [("市工信局", "lead"), ("市科技局", "lead")]),
    ("（一）推进。推进工作。（市农业局牵头，市财政局、某银行某分行按职责分工负责）",
     [("市农业局", "lead"), ("市财政局", "responsible"), ("某银行某分行", "responsible")]),
    # parts joined by 、 rather than a comma
    ("（一）推进。推进改造。（市工信局牵头、市国资委配合）",
     [("市工信局", "lead"), ("市国资委", "responsible")]),
    ("（一）推进。更新设备。（市文旅局、市电影局按职能分别负责）",
     [("市文旅局", "responsible"), ("市电影局", "responsible")]),
    # a cooperative federation is a body; divisions of a bureau and its units are groups
    ("（一）推进。建设网络。（市商务局、市供销联社牵头）",
     [("市商务局", "lead"), ("市供销联社", "lead")]),
    ("（一）推进。建设平台。（法规处、某局各直属单位、食品相关处室按职责分工负责）",
     [("法规处", "responsible"), ("某局各直属单位", "responsible"),
      ("食品相关处室", "responsible")]),
    # 按照/依/根据 + 职责 + 分工负责, with 等 and a blanket sentence after a full stop
    ("（一）推进。汇聚数据。（省数据局、各市政府等按照职责分工负责。以下任务均需各市政府落实）",
     [("省数据局", "responsible"), ("各市政府", "responsible")]),
    ("（一）推进。建设电网。（省能源局、国网某省电力等依职责分工负责）",
     [("省能源局", "responsible"), ("国网某省电力", "responsible")]),
    # X组织相关部门落实: X is responsible, wherever the part stands
    ("（一）推进。加强管理。（省市场监管局牵头负责，省公安厅配合；各市组织相关部门落实）",
     [("省市场监管局", "lead"), ("省公安厅", "responsible"), ("各市", "responsible")]),
    ("（一）推进。加强管理。（各市组织相关部门落实；省住建厅按职责分工负责）",
     [("各市", "responsible"), ("省住建厅", "responsible")]),
    # an item that only describes bodies is passed over; the others keep the clause
    ("（一）推进。完善清单。（法规处、涉及清单调整的相关处室按职责分工负责）",
     [("法规处", "responsible")]),
])
def test_a_bracket_of_lists_closed_by_role_verbs_is_a_clause(text, expected):
    found = [(m.surface, m.role) for c in find_clauses(text) for m in c.mentions]
    assert found == expected


def test_a_verb_bracket_after_a_document_number_and_a_part_without_its_own_verb():
    text = ("（一）推进建设。加快通道建设。（某政办〔2021〕78号，东山市、西山市政府，"
            "省发展改革委、省交通运输厅牵头）\n")
    found = [(m.surface, m.role) for c in find_clauses(text) for m in c.mentions]
    assert found == [("东山市政府", "lead"), ("西山市政府", "lead"),
                     ("省发展改革委", "lead"), ("省交通运输厅", "lead")]
    text = "（一）推进建设。加快建设。（某政发〔2021〕9号，省商务厅、省财政厅等牵头负责）\n"
    found = [(m.surface, m.role) for c in find_clauses(text) for m in c.mentions]
    assert found == [("省商务厅", "lead"), ("省财政厅", "lead")]


def test_articles_name_their_subject_without_the_marker_and_general_provisions_assign_nothing():
    text = ("第一章 总则\n第一条 为加强管理，制定本办法。\n第二条 市商务局负责全市监督管理。\n"
            "第二章 计划\n第三条 市商务局会同市财政局制定年度计划。\n")
    assert {(r, a) for _, r, a in pairs(text, "prose")} == {
        ("lead", "市商务局"), ("responsible", "市财政局")}


@pytest.mark.parametrize(("clause", "expected"), [
    # labelled clauses in square brackets
    ("【责任单位：市商务局、市财政局】",
     [("市商务局", "responsible"), ("市财政局", "responsible")]),
    ("〔牵头单位：市商务局〕", [("市商务局", "lead")]),
    ("[责任单位:市交通局、市城管局依职责办理]", [("市交通局", "responsible"),
                                            ("市城管局", "responsible")]),
    # a modifier before the role label
    ("（主要责任单位：区发展改革委、区生态环境局）",
     [("区发展改革委", "responsible"), ("区生态环境局", "responsible")]),
    # another field ends the list; a time limit is no body; a first field that is no role
    ("（责任单位：市商务局；完成时限：2024年底）", [("市商务局", "responsible")]),
    ("（责任单位：市商务局，2024年底前完成）", [("市商务局", "responsible")]),
    ("（市商务局牵头，2024年底前完成）", [("市商务局", "lead")]),
    ("（牵头领导：某某；牵头单位：市商务局）", [("市商务局", "lead")]),
    # how the bodies work after a scope note
    ("（责任单位：市交通局，各区政府（含新区，下同）依职责办理）",
     [("市交通局", "responsible"), ("各区政府", "responsible")]),
])
def test_clause_brackets_fields_and_time_limits(clause, expected):
    text = f"（一）推进建设。加快建设。{clause}\n"
    assert [(m.surface, m.role) for c in find_clauses(text) for m in c.mentions] == expected


@pytest.mark.parametrize("text", [
    "依据某政发〔2024〕3号文件执行。\n",  # a 文号's bracket is no clause
    "（一）推进建设。加快建设。【重点项目：某某工程】\n",  # a bracket of another field
])
def test_square_brackets_without_a_role_label_are_no_clause(text):
    assert find_clauses(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("1．推进建设。加快建设。（市商务局、市财政局等按职责分工负责\n2．完善机制。",
     [("市商务局", "responsible"), ("市财政局", "responsible")]),
    ("1．推进建设。加快建设。（责任单位：市商务局、市财政局\n2．完善机制。",
     [("市商务局", "responsible"), ("市财政局", "responsible")]),
])
def test_a_clause_whose_closing_bracket_was_lost_runs_to_the_line_end(text, expected):
    clauses = find_clauses(text)
    assert [(m.surface, m.role) for c in clauses for m in c.mentions] == expected
    assert text[clauses[0].span.end] == "\n"


@pytest.mark.parametrize("text", [
    "（一）推进建设。加快建设（2024年完成）。",
    "（一）推进建设。加快建设。（市商务局负责的项目\n",  # an open bracket of a phrase
    # a line broken inside the clause: its last name runs on below, it is not cut there
    "（一）推进建设。加快建设。（责任单位：市公安局、市环\n保局）\n",
    "（一）推进建设。加快建设。（其中企业按比例负责，市财政局负责）",  # one part is no body
    "（一）推进某项。支持（市工信局牵头实施的项目）。",  # not a list closed by a verb
    "（一）推进某项。建设工作（市工信局牵头）。",  # right after a word: a note, not a clause
])
def test_brackets_that_are_not_verb_clauses(text):
    assert find_clauses(text) == []


def test_a_level_word_is_shared_by_the_bare_departments_after_it():
    """自治区财政厅、交通运输厅: the list's first item writes the level for both."""
    text = "自治区财政厅、交通运输厅"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "lead")] == [
        "自治区财政厅", "自治区交通运输厅"]
    text = "自治区发展改革委、兵团发展改革委"  # 兵团 is a place of its own, it takes no level
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "lead")] == [
        "自治区发展改革委", "兵团发展改革委"]


def test_an_article_whose_lead_in_assigns_it_is_the_task():
    """第十二条 X会同Y对…组织检查，并按照以下规定处理：（一）…（二）…: the article is the task
    (as a clause would make it), its numbered rules are parts of it."""
    text = ("第一章 总则\n第一条 为规范补贴管理，制定本办法。\n第二章 监督\n"
            "第十二条 补贴发放期间，市商务局会同市财政局对发放情况组织检查，并按照以下规定处理：\n"
            "（一）对虚报冒领的，追回补贴资金；\n（二）对拖延发放的，予以通报批评。\n")
    tasks, found = run(text)
    by_key = {t.key: t for t in tasks}
    got = {(by_key[a.task].text[:4], a.mention.role, a.mention.surface) for a in found}
    assert got == {("第十二条", "lead", "市商务局"), ("第十二条", "responsible", "市财政局")}
    assert not any(t.text.startswith("（一）") for t in tasks)


def test_a_label_a_pdf_wrapped_inside_the_word_is_still_a_label():
    """``〔责任 单位：…〕``: the PDF left a space where the line wrapped inside 责任单位."""
    text = ("一、重点任务\n（一）科学规划布局。建成超充站300座。"
            "〔责任 单位：市经济信息委、市交通运输委〕\n")
    assert {(r, a) for _, r, a in pairs(text, "clause")} == {
        ("responsible", "市经济信息委"), ("responsible", "市交通运输委")}


def test_a_bare_kind_of_body_shares_the_prefix_of_the_one_before():
    """省政府有关部门、单位: the 单位 are the province government's too."""
    text = "省政府有关部门、单位"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "省政府有关部门", "省政府有关单位"]
    text = "省直相关部门和单位"  # across 和 too
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "省直相关部门", "省直相关单位"]


def test_a_blanket_written_inside_the_first_clause_holds_from_there_on():
    """``（责任单位：…按职责分工负责；各项工作均需各区县政府具体落实，不再一一列出）``: the
    blanket names no body of the clause, and every task from there on has 各区县政府."""
    text = ("一、重点任务\n（一）落实设备更新政策。积极争取国家资金。（责任单位：省发展改革委、"
            "省财政厅按职责分工负责；各项工作均需各区县政府具体落实，不再一一列出）\n"
            "（二）优化项目申报。降低投资额门槛。（责任单位：省经济和信息化厅）\n")
    tasks, found = run(text)
    label = {t.key: t.label for t in tasks}
    got = {(label[a.task][:4], a.mention.role, a.mention.surface, a.form) for a in found}
    assert got == {
        ("落实设备", "responsible", "省发展改革委", "clause"),
        ("落实设备", "responsible", "省财政厅", "clause"),
        ("落实设备", "responsible", "各区县政府", "document"),
        ("优化项目", "responsible", "省经济和信息化厅", "clause"),
        ("优化项目", "responsible", "各区县政府", "document"),
    }


def test_a_drafting_unit_in_a_legislative_plan_is_assigned():
    """A 立法工作计划 names who drafts each bill: ``（市司法局起草）``."""
    text = "一、提请审议的项目\n（一）某市物业管理条例（修订）。（市住房城乡建设委起草）\n"
    assert {(r, a) for _, r, a in pairs(text)} == {("responsible", "市住房城乡建设委")}


def test_a_document_that_says_its_first_listed_body_leads():
    """``排在首位的为牵头部门，下同``: the first body of every clause from there on leads
    (a clause that labels its lead keeps its own roles)."""
    text = ("一、重点任务\n（一）推动智能化改造。实施技改项目。（责任单位：市工信局、市发改委；"
            "排在首位的为牵头部门，下同）\n（二）推动绿色化转型。创建绿色工厂。（责任单位：市发改委、"
            "市生态环境局、市工信局）\n（三）更新农机。（牵头单位：市农业农村局；责任单位：市财政局）\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text, "clause")} == {
        ("推动智能", "lead", "市工信局"), ("推动智能", "responsible", "市发改委"),
        ("推动绿色", "lead", "市发改委"), ("推动绿色", "responsible", "市生态环境局"),
        ("推动绿色", "responsible", "市工信局"),
        ("更新农机", "lead", "市农业农村局"), ("更新农机", "responsible", "市财政局")}


def test_the_first_is_lead_convention_inside_a_verb_bracket():
    """``（X、Y等负责，排在首位的为牵头部门，下同）``: the convention after the verb ends the
    bracket's lists, and it holds for that bracket and the later ones."""
    text = ("一、重点任务\n（一）简化审批。推进某某审批改革。（县发展改革局、县水利局等负责，"
            "排在首位的为牵头部门，下同）\n（二）鼓励试点。开展某某试点。（县财政局、县税务局负责）\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text, "clause")} == {
        ("简化审批", "lead", "县发展改革局"), ("简化审批", "responsible", "县水利局"),
        ("鼓励试点", "lead", "县财政局"), ("鼓励试点", "responsible", "县税务局")}


def test_a_labelled_list_closed_by_a_lead_verb_and_a_convention_with_an_alternative():
    """``责任单位：X、Y分别牵头``: both lead; ``排在首位的为牵头或汇总部门，下同``: the first
    body of that list and of every later one leads."""
    text = ("一、主要目标\n1.投资稳定增长。\n责任单位：县发改局、县财政局、县统计局"
            "（排在首位的为牵头或汇总部门，下同）\n2.居民收入增长。\n责任单位：县人社局、县农业农村局分别牵头\n"
            "3.物价基本稳定。\n责任单位：县市场监管局、县发改局\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text, "clause")} == {
        ("投资稳定", "lead", "县发改局"), ("投资稳定", "responsible", "县财政局"),
        ("投资稳定", "responsible", "县统计局"),
        ("居民收入", "lead", "县人社局"), ("居民收入", "lead", "县农业农村局"),
        ("物价基本", "lead", "县市场监管局"), ("物价基本", "responsible", "县发改局")}


def test_bodies_that_answer_by_territory_in_a_bracket_and_in_a_blanket():
    """``各市政府按属地分别负责``: 按属地 says how, not who, in a bracket and in the blanket
    after it (以下均需…按属地分别负责，不再列出)."""
    text = ("一、重点任务\n（一）发展冰雪旅游。建设一批冰雪旅游度假区。〔省体育局按职责分工负责，"
            "各县政府按属地分别负责。以下均需各县政府按属地分别负责，不再列出〕\n"
            "（二）发展避暑旅游。打造一批避暑休闲产品。〔省文化和旅游厅负责〕\n")
    got = {(label[:4], r, a) for label, r, a in pairs(text)}
    assert ("发展冰雪", "responsible", "各县政府") in got
    assert ("发展避暑", "responsible", "各县政府") in got
    assert not any("属地" in a for _, _, a in got)


def test_a_bracket_of_roles_inside_a_sentence_with_its_leaders_named_first():
    """``…政策体系（分管副县长负责，县科技局牵头，…）。在某领域…``: a
    bracket of roles that closes a sentence is the measure's, though a word precedes it,
    and the leaders named by office are no bodies."""
    text = ("一、重点任务\n（一）增强创新能力。构建某某成果转化政策体系（分管副县长、常务副县长"
            "负责，县科技局牵头，县财政局配合）。在某某领域实施一批项目。\n")
    assert {(r, a) for _, r, a in pairs(text, "clause")} == {
        ("lead", "县科技局"), ("responsible", "县财政局")}


def test_a_task_list_with_part_rows_and_a_year_column():
    """序号 | 领域 | 2024年推进任务 | 牵头责任部门, with ``一、…`` rows grouping the numbered
    rows (not the end of the table)."""
    text = ("一、主要任务\n（一）实施更新行动。\n附件1\n2024年某市设备更新任务清单\n"
            "序号\n领域\n2024年推进任务\n牵头责任部门\n一、实施设备更新行动\n1\n工业\n"
            "组织实施技术改造项目100个以上。\n市工信局\n2\n新建绿色工厂3家。\n市工信局、市发改委\n"
            "二、实施以旧换新行动\n3\n汽车\n开展汽车以旧换新。\n市商务局\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text, "table")} == {
        ("组织实施", "lead", "市工信局"), ("新建绿色", "lead", "市工信局"),
        ("新建绿色", "lead", "市发改委"), ("开展汽车", "lead", "市商务局")}


def test_a_list_opened_by_a_level_marked_unit_shares_its_level():
    text = "市消防救援支队、应急管理局、房产局"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "市消防救援支队", "市应急管理局", "市房产局"]


def test_a_row_whose_first_cells_were_merged_over_several_measures():
    """3 | 任务 | 措施A | 年底前 | 甲局 | 措施B | 11月底前 | 乙局、丙局: two tasks, each with
    its own agencies; a deadline after the last agencies is no measure."""
    text = ("一、主要任务\n附件1\n重点任务清单\n"
            "序号\n重点任务\n工作措施\n完成时限\n牵头部门\n协办单位\n"
            "1\n机动车\n结构优化\n推动新能源车保有量进一步提升，加快存量燃油车更新。\n年底前\n区发展改革委\n"
            "区商务局\n推动货车新能源化，落实新能源货车优先通行政策。\n11月底前\n区城市管理委\n区交通支队\n"
            "2\n扬尘治理\n加强施工工地扬尘管控。\n年底前\n区住房城乡建设委\n")
    got = {(label[:6], r, a) for label, r, a in pairs(text, "table")}
    assert got == {
        ("推动新能源车", "lead", "区发展改革委"), ("推动新能源车", "responsible", "区商务局"),
        ("推动货车新能", "lead", "区城市管理委"), ("推动货车新能", "responsible", "区交通支队"),
        ("加强施工工地", "lead", "区住房城乡建设委")}


def test_a_main_responsible_column_after_a_lead_column_is_responsible():
    """牵头部门 | 主责单位 | 协办单位: only the 牵头 column leads; a 主责单位 column alone does."""
    text = ("一、主要任务\n附件1\n重点任务清单\n"
            "序号\n重点任务\n工作措施\n牵头部门\n主责单位\n协办单位\n"
            "1\n扬尘治理\n加强施工工地扬尘管控。\n区生态环境局\n区住房城乡建设委\n各街镇\n")
    assert {(r, a) for _, r, a in pairs(text, "table")} == {
        ("lead", "区生态环境局"), ("responsible", "区住房城乡建设委"), ("responsible", "各街镇")}
    alone = ("一、主要任务\n附件1\n重点任务清单\n序号\n重点任务\n工作措施\n主责单位\n协办单位\n"
             "1\n扬尘治理\n加强施工工地扬尘管控。\n区住房城乡建设委\n各街镇\n")
    assert {(r, a) for _, r, a in pairs(alone, "table")} == {
        ("lead", "区住房城乡建设委"), ("responsible", "各街镇")}


def test_a_role_note_after_a_listed_body_gives_it_that_role():
    """``（责任单位：A（牵头）、B）``: the note names A's role; B keeps the clause's, and the
    note is no scope of B (a role note is not shared over the group)."""
    text = ("一、重点任务\n（一）完善充电网络。新建充电站20座。（责任单位：市发改委（牵头）、"
            "市住建局、市交通局）\n（二）建立协调机制。（责任单位：市商务局、市财政局（牵头））\n")
    tasks, found = run(text)
    label = {t.key: t.label[:4] for t in tasks}
    assert {(label[a.task], a.mention.role, a.mention.surface, a.mention.scope) for a in found} == {
        ("完善充电", "lead", "市发改委", None), ("完善充电", "responsible", "市住建局", None),
        ("完善充电", "responsible", "市交通局", None),
        ("建立协调", "responsible", "市商务局", None), ("建立协调", "lead", "市财政局", None)}


def test_a_role_label_in_lenticular_brackets_opens_its_list():
    """``【牵头单位】X【配合单位】Y、Z【完成时限】…``: a bracketed label is a label, and any
    bracketed field ends the list before it."""
    text = ("一、重点任务\n（一）建设数据平台。整合部门数据。\n【牵头单位】县数据局"
            "【配合单位】县公安局、县财政局【完成时限】2026年底\n（二）优化服务。推行一网通办。【责任单位】县政务服务中心\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text, "clause")} == {
        ("建设数据", "lead", "县数据局"), ("建设数据", "responsible", "县公安局"),
        ("建设数据", "responsible", "县财政局"), ("优化服务", "responsible", "县政务服务中心")}


def test_assisting_labels_and_a_site_footer():
    """``协办单位``/``协同``/``参与`` assist and ``主责`` leads; a page footer's ``主办单位：某
    市人民政府办公室 承办单位：…`` (the site's sponsor, after the last task) assigns nothing."""
    text = ("一、重点任务\n（一）推进老旧小区改造。"
            "（主责：区住建局；协办单位：区财政局；参与：各街道）\n"
            "（二）推进数据共享。（牵头：区数据局；协同：区公安分局）\n"
            "主办单位：某市某区人民政府办公室 承办单位：某区大数据中心\n")
    assert {(r, a) for _, r, a in pairs(text)} == {
        ("lead", "区住建局"), ("responsible", "区财政局"), ("responsible", "各街道"),
        ("lead", "区数据局"), ("responsible", "区公安分局")}


def test_a_mark_the_document_explains_makes_a_body_lead():
    """``注：带*的为牵头单位``, said under the list: every body marked ``*`` (or ``＊``) leads;
    the mark is never part of a name, and without the note a marked body is just named."""
    body = ("一、重点任务\n（一）推进食品抽检。开展抽检5000批次。（区市场监管局*、区农业农村局）\n"
            "（二）加强校园周边治理。（责任单位：区教育局、区公安分局＊）\n")
    assert {(label[:4], r, a) for label, r, a in pairs(body + "注：带*的为牵头单位。\n")} == {
        ("推进食品", "lead", "区市场监管局"), ("推进食品", "responsible", "区农业农村局"),
        ("加强校园", "responsible", "区教育局"), ("加强校园", "lead", "区公安分局")}
    assert {(label[:4], r, a) for label, r, a in pairs(body)} == {
        ("推进食品", "responsible", "区市场监管局"), ("推进食品", "responsible", "区农业农村局"),
        ("加强校园", "responsible", "区教育局"), ("加强校园", "responsible", "区公安分局")}


def test_a_task_table_outside_every_part_is_read():
    """A task list published alone (or under a notice without 一、/（一）): the table gets a
    section of its own, captioned by the line above its header, and its rows are tasks."""
    text = ("某县人民政府办公室关于印发重点工作任务分工的通知\n各乡镇人民政府，县直各单位：\n"
            "现将分工印发给你们，请认真落实。\n某县2026年重点工作任务分工表\n"
            "序号\n工作任务\n牵头单位\n配合单位\n完成时限\n"
            "1\n新建高标准农田3万亩。\n县农业农村局\n县财政局、县水利局\n2026年底\n"
            "2\n开展安全生产专项整治。\n县应急管理局\n各乡镇人民政府\n持续推进\n")
    sections = parse_sections(text)
    sections = sections + crawled_table_sections(text, sections)
    assert [(s.key, s.heading) for s in sections] == [("t1", "某县2026年重点工作任务分工表")]
    rows = find_tables(text, sections)
    got = {(r.label[:6], m.role, m.surface) for r in rows for m, _ in r.mentions}
    assert got == {("新建高标准农", "lead", "县农业农村局"),
                   ("新建高标准农", "responsible", "县财政局"),
                   ("新建高标准农", "responsible", "县水利局"),
                   ("开展安全生产", "lead", "县应急管理局"),
                   ("开展安全生产", "responsible", "各乡镇人民政府")}


def test_a_verb_bracket_in_tortoise_shell_brackets():
    """``〔X、Y等按职责分工负责，Z落实〕`` reads as its （…） twin; a blanket after its full
    stop names no body of the clause."""
    text = ("一、重点任务\n（一）明确支持方向。做好项目储备。〔市发改委、市教育局等按职责分工负责，"
            "各区政府落实。以下分工均需各区政府落实，不再列出〕\n（二）更新教学设备。〔市教育局等按职责分工负责〕\n")
    got = {(label[:4], r, a) for label, r, a in pairs(text, "clause")}
    assert got == {("明确支持", "responsible", "市发改委"), ("明确支持", "responsible", "市教育局"),
                   ("明确支持", "responsible", "各区政府"), ("更新教学", "responsible", "市教育局")}


def test_a_document_that_says_its_listed_bodies_lead():
    """``（X。按职责分工负责。所列单位均为牵头单位，其他单位不再列出，下同）``: the note
    sentences after the list are not bodies, and every body listed from there on leads."""
    text = ("一、主要任务\n（一）推进文旅融合\n（1）编制文旅融合规划。（省文旅厅。按职责分工负责。"
            "所列单位均为牵头单位，其他单位不再列出，下同）\n（2）建设研学基地。（省教育厅、省体育局）\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text)} == {
        ("编制文旅", "lead", "省文旅厅"), ("建设研学", "lead", "省教育厅"),
        ("建设研学", "lead", "省体育局")}


def test_a_blanket_reaches_the_later_divisions_not_a_closing_parts_measures():
    """``以下分工均需各区政府落实，不再列出`` adds 各区政府 to every later task that names its
    own bodies; the measures of 保障措施, which name none, get nothing."""
    text = ("一、重点任务\n（一）更新设备。实施技改。（责任单位：区经信局。"
            "以下分工均需各区政府落实，不再列出）\n（二）回收旧车。开展回收。（责任单位：区商务局）\n"
            "二、保障措施\n（一）强化统筹调度。定期调度进展。\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text)} == {
        ("更新设备", "responsible", "区经信局"), ("更新设备", "responsible", "各区政府"),
        ("回收旧车", "responsible", "区商务局"), ("回收旧车", "responsible", "各区政府")}


def test_a_supply_and_marketing_cooperative_federation_is_a_body():
    assert is_agency_name("省供销合作总社")


def test_field_lines_under_a_task_give_its_lead_and_partners():
    """A task division written one field a line: a leader's name line, then 牵头单位 and 配合
    单位, each on its own line; every listed lead leads."""
    from policykg.extract.normalize import normalize

    raw = ("某市重点工作任务分工\n一、推进转型\n1.加快新能源发展。新增装机100万千瓦。\n"
           "牵头市领导：某某\n牵头单位：市能源局、市工信局\n配合单位：市发展改革委、各县（区）人民政府\n")
    text = normalize(raw, "a.txt").text
    assert {(r, a) for _, r, a in pairs(text)} == {
        ("lead", "市能源局"), ("lead", "市工信局"), ("responsible", "市发展改革委"),
        ("responsible", "各县（区）人民政府")}


def test_one_unknown_short_name_among_known_bodies_in_a_verb_bracket():
    """``（X牵头，A、B、C、某州资管等部门按职责分工负责）``: a company's abbreviation the
    grammar does not know, among three bodies it does, is a body too; two unknown items
    make the bracket no clause."""
    text = ("一、重点任务\n（一）办好文化节会。丰富节会内容。（市文广旅局牵头，市教育局、市体育局、"
            "市外办、某州资管等部门按职责分工负责）\n")
    assert {(r, a) for _, r, a in pairs(text, "clause")} == {
        ("lead", "市文广旅局"), ("responsible", "市教育局"), ("responsible", "市体育局"),
        ("responsible", "市外办"), ("responsible", "某州资管")}
    two = ("一、重点任务\n（一）办好文化节会。丰富节会内容。（市文广旅局牵头，市教育局、市体育局、"
           "市外办、加快推进、全面提升等按职责分工负责）\n")
    assert pairs(two, "clause") == set()


@pytest.mark.parametrize("text, expected", [
    # bare place kinds before a last item whose bracketed kinds name a body share that body
    ("各市（州）、县（市、区）财政局", ["各市（州）财政局", "各县（市、区）财政局"]),
    ("市、县（市、区）住房城乡建设局", ["市住房城乡建设局", "县（市、区）住房城乡建设局"]),
    # 区 before one bureau is its level, not a kind of place the list shares
    ("各街镇、区规划资源局", ["各街镇", "区规划资源局"]),
    ("各区、县级市政府", ["各区政府", "各县级市政府"]),
])
def test_place_kinds_share_the_body_the_last_item_names(text, expected):
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == expected


def test_a_verb_bracket_that_ends_its_item_without_a_full_stop():
    """``3.推进审批改革（X负责，Y、Z配合，2025年6月底前完成）``: no full stop before the
    bracket, but it closes the item and every part is bodies with a role verb."""
    text = ("一、重点任务\n1.推进审批制度改革（县住建局负责，县自然资源局、县发改局配合，"
            "2025年6月底前完成）\n2.建设市民中心（含政务大厅）\n")
    assert {(r, a) for _, r, a in pairs(text, "clause")} == {
        ("responsible", "县住建局"), ("responsible", "县自然资源局"), ("responsible", "县发改局")}


def test_an_unlabelled_list_with_a_time_limit_after_it():
    """``（X、Y，2025年底前）``: the bodies are responsible, the time limit is no body."""
    text = ("一、重点任务\n（一）保障项目用地。做好用地报批。"
            "（县自然资源局、县住建局，2025年底前）\n")
    assert {(r, a) for _, r, a in pairs(text, "unlabelled")} == {
        ("responsible", "县自然资源局"), ("responsible", "县住建局")}


def test_items_numbered_past_ninety_nine_are_tasks_of_their_own():
    """A task list of a government work report runs to 302 items: ``100.`` opens a task
    as ``99.`` does, and its field line is not run into the next item."""
    from policykg.extract.normalize import normalize

    raw = ("一、稳定经济增长\n99.扩大有效投资，推进重大项目建设。\n主责单位：市发展改革委\n"
           "100.促进消费扩容提质，举办促消费活动。\n主责单位：市商务局，市文化和旅游局\n"
           "101.稳定外贸外资基本盘。\n主责单位：市商务局\n")
    text = normalize(raw, "a.txt").text
    got = {(label[:4], r, a) for label, r, a in pairs(text)}
    assert got == {("扩大有效", "lead", "市发展改革委"), ("促进消费", "lead", "市商务局"),
                   ("促进消费", "lead", "市文化和旅游局"), ("稳定外贸", "lead", "市商务局")}


def test_a_long_department_of_an_unknown_type_takes_the_lists_level():
    """``市教育局、营商环境建设和服务管理局``: a department type the data does not know, naming
    no place, takes the list's 市 as ``工业和信息化局`` does; a body naming its place does not."""
    text = "市教育局、工业和信息化局、营商环境建设和服务管理局、深圳海事局"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "市教育局", "市工业和信息化局", "市营商环境建设和服务管理局", "深圳海事局"]


def test_a_parts_closing_paragraph_that_assigns_in_prose_is_a_task():
    """After a part's last numbered measure, an unnumbered paragraph ``…。X要会同各有关部门
    健全协调机制…`` is a task of its own (``<part>.e<n>``), stated in the part; a blanket
    does not reach it (it is no division), nor does a paragraph assigning nothing make one."""
    text = ("一、重点任务\n（一）更新设备。实施技改。（责任单位：区经信局。"
            "以下分工均需各区政府落实，不再列出）\n（二）回收旧车。开展回收。（责任单位：区商务局）\n"
            "各部门要提高站位，抓好落实。区商务委要会同各有关部门健全协调机制，定期通报进展。\n"
            "各地要加强宣传引导。\n")
    tasks, found = run(text)
    closing = [t for t in tasks if t.kind == "closing"]
    assert [(t.key, t.section) for t in closing] == [("1.e1", "1")]
    assert {(a.mention.role, a.mention.surface, a.inherited) for a in found
            if a.task == "1.e1"} == {("lead", "区商务委", False)}


def test_a_document_without_numbered_parts_has_its_assigning_paragraphs_as_tasks():
    """A short notice (or the report of a division plan) numbers nothing: the whole text is
    one body section, and each paragraph that assigns, in prose or by a clause, is a task of
    it (``b.e<n>``); an exhortation or a paragraph naming no doer makes none."""
    from policykg.extract.sections import body_section

    text = ("某县关于做好某某工作的通知\n各乡镇人民政府，县直各单位：\n"
            "为做好某某工作，现通知如下。\n"
            "完善某某补贴机制，由县财政局、县农业农村局等分工负责。\n"
            "开展某某专项检查。（责任单位：县市场监管局）\n"
            "各乡镇要加强组织领导，确保落到实处。\n某县人民政府办公室\n")
    sections = parse_sections(text)
    assert sections == []
    sections = body_section(text, sections)
    assert [(s.key, s.kind) for s in sections] == [("b", "body")]
    tasks = find_tasks(text, sections)
    from policykg.extract.assign import find_assignments

    found = find_assignments(text, sections, tasks)
    assert [(t.key, t.section) for t in tasks] == [("b.e4", "b"), ("b.e5", "b")]  # lines 4, 5
    assert {(a.task, a.mention.role, a.mention.surface) for a in found} == {
        ("b.e4", "responsible", "县财政局"),
        ("b.e4", "responsible", "县农业农村局"),
        ("b.e5", "responsible", "县市场监管局")}
    numbered = "一、总体要求\n加快发展。\n"
    assert body_section(numbered, parse_sections(numbered)) == []


def test_a_verb_bracket_after_a_labels_colon():
    """``（责任单位：〔X、Y按职责分工负责〕`` with the round bracket never closed: the 〔〕 after
    the label's colon is the clause."""
    text = ("一、重点任务\n（一）建设农村充电网络。规划布局充电设施。（责任单位：〔省发改委、"
            "省农业农村厅按职责分工负责〕\n")
    assert {(r, a) for _, r, a in pairs(text)} == {
        ("responsible", "省发改委"), ("responsible", "省农业农村厅")}


def test_a_project_table_reads_each_cell_from_its_column():
    """A plan's project table: column names with their units or notes (项目总投资（万元）, a
    note on a line of its own), group rows carrying subtotals, and cells of places and
    projects (某某镇, 某某充电站) in columns that hold no bodies; the 责任单位 cell is read
    from its column."""
    text = ("一、主要任务\n（一）建设能源设施。\n附表：某区能源项目表\n"
            "序号\n项目名称\n建设内容及规模\n（产能、产值等）\n建设地址\n项目总投资（万元）\n资金来源\n"
            "“十四五”完成投资额（万元）\n建设性质\n责任单位\n"
            "一、能源基础设施\n26，445\n17，351\n（一）充电设施\n4，488\n3，911\n"
            "1\n城区集中式充电站\n新建充电桩50根。\n某某镇\n3，600\n业主自筹\n3，600\n新建\n区发展改革委\n"
            "2\n园区加氢站试点项目\n建设加氢站1座。\n某某工业园区\n2，500\n业主自筹\n2，500\n储备\n"
            "区经济信息委\n")
    sections = parse_sections(text)
    rows = find_tables(text, sections)
    assert [(r.label[:6], [(m.role, m.surface) for m, _ in r.mentions]) for r in rows] == [
        ("新建充电桩5", [("responsible", "区发展改革委")]),
        ("建设加氢站1", [("responsible", "区经济信息委")])]


def test_a_bare_government_after_a_places_party_committee_is_that_places():
    text = "市委宣传部，各县（市、区）党委和政府"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "市委宣传部", "各县（市、区）党委", "各县（市、区）政府"]


def test_a_blankets_bodies_without_the_manner_they_work_in():
    """``以下均需各县区参照市级对口部门负责，不再另行列出``: 各县区 are the bodies; 参照… says
    how they work."""
    text = ("一、重点任务\n（一）完善养老网络。加强统筹布局。（市民政局负责。以下均需各县区参照市级"
            "对口部门负责，不再另行列出）\n（二）建设助餐点位。（市卫生健康委负责）\n")
    got = {(label[:4], r, a) for label, r, a in pairs(text)}
    assert ("建设助餐", "responsible", "各县区") in got
    assert not any("参照" in a for _, _, a in got)


def test_what_the_last_bodies_of_a_list_do_is_no_body():
    """``（责任单位：区住建委；各镇政府，工业园区管委会、景区管委会负责落实）``: 负责落实
    closes the list."""
    text = "区住建委；各镇政府，工业园区管委会、景区管委会负责落实"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "区住建委", "各镇政府", "工业园区管委会", "景区管委会"]


def test_a_bracket_of_bodies_inside_a_rows_content_cell_is_a_note():
    """``新建变电站1座。（某某电力）`` in the content cell of a row whose 责任单位 cell names
    its body: the bracket says who builds it, the row's body is the one assigned."""
    text = ("一、主要任务\n附表：某区电网项目表\n序号\n项目名称\n建设内容\n建设地址\n"
            "项目总投资（万元）\n责任单位\n1\n城东变电站工程\n新建110千伏变电站1座。（某某电力）\n"
            "城东片区\n5，000\n区发展改革委\n")
    assert pairs(text) == {("新建110千伏变电站1座", "responsible", "区发展改革委")}


def test_a_known_body_type_written_bare_takes_the_lists_level():
    """``省教育厅、体育局、残联``: 残联 (a body type the data knows, not ending in 局/委/厅)
    takes the list's 省 as 体育局 does; a company keeps its name."""
    text = "省教育厅、体育局、残联、某某电力公司"
    assert [m.surface for m in parse_agency_list(text, 0, len(text), "responsible")] == [
        "省教育厅", "省体育局", "省残联", "某某电力公司"]


def test_a_part_headed_by_its_lead_gives_every_task_under_it_that_lead():
    """``（一）县农业农村局牵头的工作`` over bare items, ``二、县商务局牵头工作（3项）``: a task
    division that groups its tasks by lead. Each task of the part gets the heading's bodies
    as lead (form ``document``, inherited); a part headed by a person names no body."""
    text = ("一、分管副县长负责的工作\n（一）县农业农村局、县水务局牵头的工作\n"
            "1.新建高标准农田两万亩。\n2.完成灌区节水改造。\n协同单位：县财政局。\n"
            "二、县商务局牵头工作（2项）\n1.举办农产品展销活动。\n2.培育电商直播基地。\n")
    tasks, found = run(text)
    label = {t.key: t.label[:6] for t in tasks}
    got = {(label[a.task], a.mention.role, a.mention.surface, a.form) for a in found}
    assert got == {
        ("新建高标准农", "lead", "县农业农村局", "document"),
        ("新建高标准农", "lead", "县水务局", "document"),
        ("完成灌区节水", "lead", "县农业农村局", "document"),
        ("完成灌区节水", "lead", "县水务局", "document"),
        ("完成灌区节水", "responsible", "县财政局", "clause"),
        ("举办农产品展", "lead", "县商务局", "document"),
        ("培育电商直播", "lead", "县商务局", "document"),
    }
    assert all(a.inherited for a in found if a.form == "document")


def test_a_heading_that_only_ends_in_the_lead_words_names_no_body():
    """``（一）深化改革牵头的工作``: what stands before 牵头 is no body, so no lead."""
    text = "一、重点工作\n（一）深化改革牵头的工作\n1.完善考核办法。\n"
    assert pairs(text) == set()


def test_hosting_and_co_hosting_verbs_close_a_brackets_parts():
    """``（省财政厅主办，省税务局、统计局协办）``: 主办 leads, 协办 is responsible, and the
    shared 省 reaches 统计局."""
    text = "一、目标\n（一）财政收入稳步增长。（省财政厅主办，省税务局、统计局协办）\n"
    assert pairs(text) == {
        ("财政收入稳步增长", "lead", "省财政厅"),
        ("财政收入稳步增长", "responsible", "省税务局"),
        ("财政收入稳步增长", "responsible", "省统计局"),
    }


def test_a_qualifier_before_a_responsible_label():
    """``协同责任单位：`` on its own line after ``牵头责任单位：``."""
    text = ("一、目标\n1.外贸进出口稳定增长。\n牵头责任单位：省商务厅。\n"
            "协同责任单位：省财政厅、省税务局等。\n")
    assert pairs(text) == {
        ("外贸进出口稳定增长", "lead", "省商务厅"),
        ("外贸进出口稳定增长", "responsible", "省财政厅"),
        ("外贸进出口稳定增长", "responsible", "省税务局"),
    }


def test_a_note_after_a_labelled_list_is_no_body():
    """``（责任单位：市发改委、财政局等按职责分工负责，下同）``: ``下同`` says the list holds for
    the next measures too; it names no body."""
    text = "一、任务\n1.稳定消费。落实补贴。（责任单位：市发改委、财政局等按职责分工负责，下同）\n"
    assert pairs(text) == {("稳定消费", "responsible", "市发改委"),
                           ("稳定消费", "responsible", "市财政局")}


def test_the_qualifier_of_a_vague_collective_is_no_body():
    """``市水务局牵头，相关部门配合``: the lead stands; ``相关`` (the collective read short)
    is no body."""
    text = "一、任务\n（一）治理河道。市水务局牵头，相关部门配合，年内完成清淤。\n"
    assert pairs(text) == {("治理河道", "lead", "市水务局")}
    assert not is_agency_name("相关")
    assert not is_agency_name("各有关")
    assert is_agency_name("相关单位")


def test_a_target_breakdown_table_of_a_work_report_reads_each_target_as_a_task():
    """``序号 | 2025年预期目标 | 责任单位``, one cell a line: each expected target is a task and
    its cell of bodies gives the responsible units."""
    text = ("某县政府工作报告目标任务分解表\n序号\n2025年预期目标\n责任单位\n"
            "1\n地区生产总值增长6%左右\n县发展改革局\n"
            "2\n城镇新增就业3000人\n县人力社保局、县财政局\n")
    sections = parse_sections(text)
    sections = sections + crawled_table_sections(text, sections)
    tasks = find_tasks(text, sections)
    from policykg.extract.assign import find_assignments

    found = {(t.label, a.mention.surface) for a in find_assignments(text, sections, tasks)
             for t in tasks if t.key == a.task}
    assert found == {("地区生产总值增长6%左右", "县发展改革局"),
                     ("城镇新增就业3000人", "县人力社保局"), ("城镇新增就业3000人", "县财政局")}


def test_a_target_table_whose_numbered_cells_became_measures_reads_its_cells_of_bodies():
    """``目标任务 | 责任领导 | 责任单位`` one cell a paragraph, the task cells numbered (``1. …``):
    each row is a measure, and its line of bodies (after a leader's name) is the row's
    责任单位 cell; a measure with two such lines is a table no reader read, and gets none."""
    text = ("附件\n某县年度目标任务责任分解\n目标任务\n责任领导\n责任单位\n一、主要预期指标\n"
            "1. 生产总值增长6%以上。\n张某某\n县发改局、县经信局，各乡镇人民政府\n"
            "2. 城乡居民收入稳步增长。\n李某某\n★县人力社保局、县农业农村局\n")
    assert {(label[:4], r, a) for label, r, a in pairs(text, "table")} == {
        ("生产总值", "responsible", "县发改局"), ("生产总值", "responsible", "县经信局"),
        ("生产总值", "responsible", "各乡镇人民政府"),
        ("城乡居民", "responsible", "县人力社保局"), ("城乡居民", "responsible", "县农业农村局")}
    two = text.replace("2. 城乡居民收入稳步增长。\n", "")
    assert {label[:4] for label, _, _ in pairs(two, "table")} == set()
    # a line of bodies further down, under a cell of content, is a row of an unread table
    lower = text.replace("张某某\n", "张某某\n新建改建县乡公路120公里\n")
    assert {label[:4] for label, _, _ in pairs(lower, "table")} == {"城乡居民"}


def test_a_pipe_table_with_a_task_and_requirements_column_and_bodies_split_by_spaces():
    """``序号 | 具体工作任务和要求 | 责任领导 | 责任单位 | 落实情况``, a row a line: the task
    is the second cell, and a cell's bodies separated by a space are two bodies."""
    text = ("一、民生实事任务分解表\n"
            "序号 | 具体工作任务和要求 | 责任领导 | 责任单位 | 落实情况 |\n"
            "1 | 新建城区幼儿园两所，增加学位600个。 | 王某 | 县教体局 各相关乡镇政府 | "
            "已完成。 |\n"
            "2 | 改造农村公路80公里。 | 李某 | 县交通运输局 | 正在推进。 |\n")
    from policykg.extract.normalize import normalize
    from policykg.extract.pipeline import extract_local
    from policykg.extract.places.gazetteer import default_gazetteer

    ex = extract_local(normalize(text, "t"), default_gazetteer()).extraction
    label = {t.key: t.label for t in ex.tasks}
    assert {(label[a.task][:4], a.mention.role, a.mention.surface) for a in ex.assignments} == {
        ("新建城区", "responsible", "县教体局"), ("新建城区", "responsible", "各相关乡镇政府"),
        ("改造农村", "responsible", "县交通运输局")}

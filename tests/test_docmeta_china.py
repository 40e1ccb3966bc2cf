"""Document metadata of documents from anywhere in China: jurisdiction and its basis,
文号 prefixes, co-issuers, document types, wrappers, citations and planned documents.

Every document here is invented (realistic places, invented bodies' plans and numbers).
"""

from datetime import date

import pytest
from chinagaz import ChinaGazetteer
from policykg.extract.citations import classify, find_citations
from policykg.extract.doctext import doc_type_of, normalize_doc_number
from policykg.extract.document import extract_meta
from policykg.extract.issuers import split_signers
from policykg.extract.model import SourceText, Span
from policykg.extract.normalize import normalize
from policykg.extract.places.jurisdiction import Places, infer, number_region

G = ChinaGazetteer()


def source(text: str, header: dict | None = None) -> SourceText:
    return SourceText("t", text, text, tuple(range(len(text) + 1)), header or {})


def meta_and_refs(text: str, header: dict | None = None):
    src = source(text, header)
    meta = extract_meta(src, G)
    cites, planned = classify(src.text, meta.title, meta.doc_number, meta.wrapper)
    return meta, cites, planned


# -- a Zhejiang city 实施意见 --------------------------------------------------------

HUZHOU = """湖政办发〔2023〕12号
湖州市人民政府办公室关于加快数字经济发展的实施意见
各区县人民政府，市政府各部门：
根据《浙江省人民政府关于加快数字经济发展的若干意见》（浙政发〔2022〕8号）精神，结合我市实际，提出如下实施意见。
一、总体要求
全市数字经济核心产业增加值年均增长10%以上。研究制定《湖州市数据要素流通管理办法》。
湖州市人民政府办公室
2023年5月6日
"""


def test_zhejiang_city_implementing_opinions():
    meta, cites, planned = meta_and_refs(HUZHOU)
    assert meta.title == "湖州市人民政府办公室关于加快数字经济发展的实施意见"
    assert meta.doc_type == "ImplementingOpinions"
    assert meta.doc_number == "湖政办发〔2023〕12号"
    assert meta.issuers == ("湖州市人民政府办公室",)
    assert meta.issued == date(2023, 5, 6)
    assert meta.jurisdiction == "huzhou"
    assert meta.jurisdiction_basis[:2] == ("issuer", "doc-number")
    assert [(c.title, c.doc_number) for c in cites] == [
        ("浙江省人民政府关于加快数字经济发展的若干意见", "浙政发〔2022〕8号")
    ]
    assert [p.title for p in planned] == ["湖州市数据要素流通管理办法"]


# -- a Sichuan district 工作方案 (a 武 prefix that is not Wuhan's) -----------------------

WUHOU = """成都市武侯区人民政府办公室关于印发《武侯区老旧小区改造工作方案》的通知
武府办发〔2024〕7号
各街道办事处，区级各部门：
现将《武侯区老旧小区改造工作方案》印发给你们，请认真组织实施。
成都市武侯区人民政府办公室
2024年3月1日
武侯区老旧小区改造工作方案
为改善居住条件，按照《成都市城市更新行动计划》要求，制定本方案。
一、工作目标
本区完成改造小区120个。
"""


def test_sichuan_district_work_plan_in_a_wrapper():
    meta, cites, _ = meta_and_refs(WUHOU)
    assert meta.title == "武侯区老旧小区改造工作方案"
    assert meta.wrapper == "成都市武侯区人民政府办公室关于印发《武侯区老旧小区改造工作方案》的通知"
    assert meta.doc_type == "WorkPlan"
    assert meta.doc_number == "武府办发〔2024〕7号"
    assert meta.issuers == ("成都市武侯区人民政府办公室",)
    assert meta.jurisdiction == "chengdu-wuhou"
    assert meta.jurisdiction_basis[:2] == ("issuer", "doc-number")
    # the plan the notice wraps is the document itself, not a citation
    assert [c.title for c in cites] == ["成都市城市更新行动计划"]


# -- a Guangdong 若干措施, co-signed on one line ------------------------------------------

SHENZHEN = """深圳市工业和信息化局 深圳市财政局关于印发《深圳市支持先进制造业发展的若干措施》的通知
深工信规〔2024〕2号
各有关单位：
现将《深圳市支持先进制造业发展的若干措施》印发给你们，请遵照执行。
深圳市工业和信息化局深圳市财政局
2024年6月10日
深圳市支持先进制造业发展的若干措施
一、支持企业技术改造
对技术改造项目给予资助。
"""


def test_guangdong_measures_co_signed_on_one_line():
    meta, _, _ = meta_and_refs(SHENZHEN)
    assert meta.doc_type == "Measures"
    assert meta.issuers == ("深圳市工业和信息化局", "深圳市财政局")
    assert meta.issuer == "深圳市工业和信息化局"
    assert meta.doc_number == "深工信规〔2024〕2号"
    assert meta.jurisdiction == "shenzhen"
    assert meta.jurisdiction_basis[0] == "issuer"
    text = SHENZHEN
    assert [text[s.start:s.end] for s in meta.issuer_spans] == list(meta.issuers)


# -- a Beijing district 任务分工方案: the place comes from the 文号 alone ---------------------

HAIDIAN = """海政办发〔2024〕3号
关于落实区政府工作报告重点任务分工方案
区政府各委、办、局，各街道办事处：
为落实北京市部署和本区工作报告，制定本分工方案。
一、重点任务
北京市科技创新中心建设任务在本区落实。
"""


def test_beijing_district_task_breakdown_from_the_number():
    meta, _, _ = meta_and_refs(HAIDIAN, {"issuer": "区政府办公室"})
    assert meta.doc_type == "WorkPlan"
    assert meta.doc_number == "海政办发〔2024〕3号"
    assert meta.issuers == ("区政府办公室",)
    assert meta.jurisdiction == "beijing-haidian"
    assert meta.jurisdiction_basis == ("doc-number",)


# -- a Shandong 三年行动计划 wrapped in a 通知 ------------------------------------------------

SHANDONG = """山东省人民政府
关于印发山东省制造业数字化转型三年行动计划（2024—2026年）的通知
鲁政发〔2024〕5号
各市人民政府，省政府各部门：
现将《山东省制造业数字化转型三年行动计划（2024—2026年）》印发给你们，请认真贯彻执行。
山东省人民政府
2024年2月20日
山东省制造业数字化转型三年行动计划（2024—2026年）
为贯彻《中华人民共和国中小企业促进法》，制定本行动计划。已出台《山东省工业互联网发展规划》。
一、主要目标
全省规模以上工业企业数字化改造全覆盖。修订《山东省企业技术改造条例》《山东省工业用地管理办法》。
"""


def test_shandong_three_year_action_plan_in_a_notice():
    meta, cites, planned = meta_and_refs(SHANDONG)
    assert meta.title == "山东省制造业数字化转型三年行动计划（2024—2026年）"
    assert meta.doc_type == "ActionPlan"
    assert meta.wrapper and meta.wrapper.endswith("的通知")
    assert meta.doc_number == "鲁政发〔2024〕5号"
    assert meta.issuers == ("山东省人民政府",)
    assert meta.jurisdiction == "shandong"
    assert meta.jurisdiction_basis[:3] == ("issuer", "doc-number", "title")
    assert [c.title for c in cites] == [
        "中华人民共和国中小企业促进法", "山东省工业互联网发展规划"
    ]
    assert [p.title for p in planned] == ["山东省企业技术改造条例", "山东省工业用地管理办法"]


# -- a plan co-signed by several bureaus, a banner of two bodies -----------------------

JIAXING = """嘉兴市发展和改革委员会嘉兴市经济和信息化局
嘉兴市科学技术局嘉兴市财政局
嘉兴市商务局
关于印发《嘉兴市绿色低碳工业园区建设行动方案》的通知
各县（市、区）有关部门：
现将《嘉兴市绿色低碳工业园区建设行动方案》印发给你们。
嘉兴市发展和改革委员会嘉兴市经济和信息化局
嘉兴市科学技术局嘉兴市财政局
嘉兴市商务局
2024年9月1日
嘉兴市绿色低碳工业园区建设行动方案
一、主要目标
"""


def test_co_signed_plan_lists_every_issuer_first_signer_first():
    meta, _, _ = meta_and_refs(JIAXING, {"issuer": "嘉兴市发展和改革委员会"})
    assert meta.issuers == (
        "嘉兴市发展和改革委员会", "嘉兴市经济和信息化局", "嘉兴市科学技术局",
        "嘉兴市财政局", "嘉兴市商务局",
    )
    assert meta.issuer == "嘉兴市发展和改革委员会"
    assert meta.doc_type == "ActionPlan"
    assert meta.jurisdiction == "jiaxing"
    assert meta.jurisdiction_basis[0] == "issuer"


def test_banner_of_party_and_government():
    text = (
        "中共杭州市委 杭州市人民政府文件\n杭发〔2023〕9号\n"
        "关于推进共同富裕的实施意见\n一、总体要求\n"
    )
    meta, _, _ = meta_and_refs(text)
    assert meta.issuers == ("中共杭州市委", "杭州市人民政府")
    assert meta.jurisdiction == "hangzhou"


def test_split_signers_keeps_a_single_name_whole():
    assert split_signers("上海市嘉定区人民政府办公室", Span(0, 13), G) == [
        ("上海市嘉定区人民政府办公室", Span(0, 13))
    ]


@pytest.mark.parametrize("line", ["国家金融监督管理总局河北监管局", "国家税务总局山西省税务局"])
def test_a_headquarters_and_its_branch_are_one_signer(line):
    from policykg.extract.places.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()  # the national one: 河北 is a place that could start a name
    assert [n for n, _ in split_signers(line, Span(0, len(line)), gazetteer)] == [line]


# -- 文号 prefixes: district initials and abbreviations ------------------------------

@pytest.mark.parametrize(
    "written, standard",
    [
        ("黄发改委办〔2025〕5号", "黄发改委办〔2025〕5号"),
        ("奉发改规〔2024〕1号", "奉发改规〔2024〕1号"),
        ("沪崇府办发〔2023〕16号", "沪崇府办发〔2023〕16号"),
        ("根据鄂政发〔2020〕5号文件", "鄂政发〔2020〕5号"),
        ("按照青府办发〔2024〕29号", "青府办发〔2024〕29号"),
        ("落实本市要求和沪府办规〔2024〕6号", "沪府办规〔2024〕6号"),
        ("根据国务院办公厅国办发〔2023〕5号", "国办发〔2023〕5号"),
        ("按照省政府鄂政办发〔2024〕3号", "鄂政办发〔2024〕3号"),
        ("自然资办函〔2023〕364号", "自然资办函〔2023〕364号"),
        ("厅字〔2022〕34号", "厅字〔2022〕34号"),
    ],
)
def test_doc_number_keeps_its_place_prefix(written, standard):
    assert normalize_doc_number(written) == standard


@pytest.mark.parametrize(
    "number, context, region",
    [
        ("沪崇府办发〔2023〕16号", [], "shanghai-chongming"),
        ("青府办发〔2024〕29号", ["shanghai"], "shanghai-qingpu"),  # 青浦, not 青海
        ("青政发〔2024〕2号", [], "qinghai"),
        ("嘉府办发〔2024〕23号", ["shanghai"], "shanghai-jiading"),
        ("嘉府办发〔2024〕23号", [], None),  # an initial needs a known place
        ("穗府办〔2023〕4号", [], "guangzhou"),
        ("鄂政发〔2021〕1号", ["hubei"], "hubei"),
        ("黄发改委办〔2025〕5号", ["shanghai-jiading"], "shanghai-huangpu"),
    ],
)
def test_number_region(number, context, region):
    assert number_region(Places(G), number, context) == region


def test_qingpu_district_from_initial_and_body():
    text = (
        "青府办发〔2024〕29号\n关于加强本区消防安全工作的实施方案\n"
        "区政府各委、办、局：\n为落实上海市部署，结合本区实际，制定本方案。\n一、主要任务\n"
    )
    meta, _, _ = meta_and_refs(text, {"issuer": "区政府办公室"})
    assert meta.jurisdiction == "shanghai-qingpu"
    assert meta.jurisdiction_basis == ("doc-number",)


# -- jurisdiction from the body alone, and ambiguous names ---------------------------

def test_body_only_guess_is_marked_as_body():
    text = (
        "关于推进人才集聚的实施意见\n"
        "为落实《中共深圳市委关于人才工作的决定》，结合我市实际，提出以下意见。\n"
        "一、总体目标\n把广州建设成为国际人才港，全市人才总量达到300万。广州各区同步推进，越秀区先行。\n"
    )
    meta, _, _ = meta_and_refs(text)
    assert meta.issuer is None
    assert meta.jurisdiction == "guangzhou"
    assert meta.jurisdiction_basis == ("body",)


def test_ambiguous_district_name_resolved_within_the_city():
    j = infer(G, "鼓楼区加快发展。", issuers=("南京市鼓楼区人民政府",))
    assert (j.key, j.basis) == ("nanjing-gulou", ("issuer", "body"))


def test_no_place_no_jurisdiction():
    j = infer(G, "加快发展。")
    assert j.key is None and j.basis == ()


# -- document types ------------------------------------------------------------------

@pytest.mark.parametrize(
    "title, doc_type",
    [
        ("关于支持民营经济发展的若干措施", "Measures"),
        ("关于促进消费的若干政策措施", "Measures"),
        ("关于加快建设制造强省的指导意见", "Opinions"),
        ("关于推动高质量发展的实施意见", "ImplementingOpinions"),
        ("市政府2024年重点工作任务分工方案", "WorkPlan"),
        ("氢能产业发展行动计划", "ActionPlan"),
        ("数字经济行动方案", "ActionPlan"),
        ("制造业高质量发展三年行动", "ActionPlan"),
        ("2024年工业和信息化工作要点", "WorkPlan"),
        ("美丽乡村建设工作方案", "WorkPlan"),
        ("城市更新实施方案（2024—2026年）", "WorkPlan"),
        ("关于印发某市制造业三年行动计划（2023—2025年）的通知", "ActionPlan"),
        ("关于做好防汛工作的通知", "Notice"),
        ("关于召开座谈会", None),
    ],
)
def test_document_types(title, doc_type):
    assert doc_type_of(title) == doc_type


# -- citations ------------------------------------------------------------------------

def test_crawler_notes_are_not_cited():
    text = (
        "> 依《中华人民共和国著作权法》第五条，本文不适用著作权法。\n"
        "根据《某市数据条例》制定本方案。\n"
    )
    assert [c.title for c in find_citations(text)] == ["某市数据条例"]


def test_planned_documents_are_not_citations():
    text = (
        "按照《某省促进条例》要求，加快制定《某市用地管理办法》《某市补贴实施细则》和"
        "《某市评价标准》，编制《某市产业发展规划》，已出台《某市人才办法》。\n"
        "1.《某市入市管理办法》（责任单位：市规划资源局）\n"
    )
    cites, planned = classify(text)
    assert [c.title for c in cites] == ["某省促进条例", "某市人才办法"]
    assert [p.title for p in planned] == [
        "某市用地管理办法", "某市补贴实施细则", "某市评价标准", "某市产业发展规划",
        "某市入市管理办法",
    ]


def test_own_wrapper_and_enclosed_plan_are_not_cited():
    text = "《某区行动方案》已经区政府同意，现印发给你们。根据《某市规划》制定。"
    cites = find_citations(text, own_title="某区行动方案",
                           wrapper="关于印发《某区行动方案》的通知")
    assert [c.title for c in cites] == ["某市规划"]


# -- crawler headers (normalize) -------------------------------------------------------

CRAWLED = """---
标题: 上海市某区人民政府办公室关于印发《某区行动方案》的通知
文号: 嘉府办发〔2024〕1号
发布单位: 区政府办公室
层级: 区级
官方链接: https://example.org/x
---

> 本文由脚本提取，仅供检索。
> 依《中华人民共和国著作权法》第五条，不适用著作权法。

# 上海市嘉定区人民政府办公室关于印发《嘉定区某某行动方案》的通知

各镇人民政府：
现将《嘉定区某某行动方案》印发给你们。
"""


def test_crawler_header_notes_and_heading_are_evidence():
    src = normalize(CRAWLED, "x.txt")
    assert src.header["层级"] == "区级"
    assert src.header["issuer"] == "区政府办公室"
    assert "著作权法" in src.header["_notes"] and "著作权法" not in src.text
    assert src.header["title_line"].startswith("上海市嘉定区人民政府办公室关于印发")
    assert src.text.startswith("各镇人民政府：")
    assert "#" not in src.text and "---" not in src.text
    meta = extract_meta(src, G)
    assert meta.doc_number == "嘉府办发〔2024〕1号"
    assert meta.jurisdiction == "shanghai-jiading"
    assert find_citations(src.text, meta.title, meta.doc_number, meta.wrapper) == []


# -- the graph ---------------------------------------------------------------------------

CO_SIGNED_HUBEI = """湖北省经济和信息化厅 湖北省财政厅关于印发《湖北省中小企业数字化方案》的通知
鄂经信中小〔2024〕9号
各市、州经信局、财政局：
现将《湖北省中小企业数字化方案》印发给你们，请认真贯彻执行。
湖北省经济和信息化厅湖北省财政厅
2024年7月1日
湖北省中小企业数字化方案
一、主要任务
（一）推广数字化工具。按照《湖北省数字经济促进条例》要求，制定《湖北省中小企业数字化评价办法》。
"""


def test_graph_has_every_issuer_the_basis_the_wrapper_and_planned_documents():
    from policykg.extract import iris
    from policykg.extract.graph import CorpusIndex, document_quads
    from policykg.extract.industries import IndustryScheme
    from policykg.extract.pipeline import extract_document
    from policykg.extract.places.gazetteer import Gazetteer
    from policykg.ontology.vocab import PK

    src = normalize(CO_SIGNED_HUBEI, "co.txt")
    done = extract_document(src, IndustryScheme.load(), Gazetteer.load())
    meta = done.extraction.meta
    assert meta.issuers == ("湖北省经济和信息化厅", "湖北省财政厅")
    doc = iris.document(done.slug)
    quads, _ = document_quads(done.extraction, doc=doc, doc_slug=done.slug,
                              agencies=done.agencies, corpus=CorpusIndex())
    objects = {}
    for q in quads:
        if q.subject == doc:
            objects.setdefault(q.predicate, []).append(q.object)
    assert len(objects[PK.issuer]) == 2
    assert objects[PK.issuer][0] == iris.agency(done.agencies["湖北省经济和信息化厅"].key)
    assert objects[PK.jurisdiction] == [iris.region("hubei")]
    assert PK.IssuerBasis in objects[PK.jurisdictionBasis]
    assert [o.value for o in objects[PK.wrapperTitle]] == [meta.wrapper]
    assert [o.value for o in objects[PK.plansDocument]] == ["湖北省中小企业数字化评价办法"]
    assert [c.title for c in done.extraction.citations] == ["湖北省数字经济促进条例"]


def test_place_named_with_a_self_reference_wins_the_body_guess():
    text = (
        "关于推进集体建设用地入市的工作方案\n"
        "根据《上海市入市试点工作方案》要求，上海市崇明区作为试点地区之一，现结合本区实际，"
        "制定本方案。\n一、主要任务\n学习嘉定区经验，推广嘉定区做法，嘉定区先行先试。\n"
    )
    j = infer(G, text)
    assert (j.key, j.basis) == ("shanghai-chongming", ("body",))


# -- the seeds: jurisdiction as before, its basis new ---------------------------------------

SEED_BASIS = {
    "000": ("hubei", "title"),  # 省人民政府 names no place; the title does
    "001": ("wuhan", "issuer"),
    "002": ("hubei", "issuer"),
    "003": ("ezhou", "body"),  # no issuer, no number: a guess, and marked as one
    "004": ("hubei", "issuer"),
}


@pytest.mark.parametrize("seed", sorted(SEED_BASIS))
def test_seed_jurisdiction_basis(seed_meta, seed):
    _, meta = seed_meta[seed]
    key, first = SEED_BASIS[seed]
    assert meta.jurisdiction == key
    assert meta.jurisdiction_basis[0] == first
    assert meta.issuers == ((meta.issuer,) if meta.issuer else ())


def test_markdown_notes_and_heading_without_a_header_block():
    raw = "> 本文由脚本提取。\n\n# 某市数字经济行动方案\n\n一、总体要求\n全市加快发展。\n"
    src = normalize(raw, "m.md")
    assert src.header["_notes"] == "本文由脚本提取。"
    assert src.header["title_line"] == "某市数字经济行动方案"  # evidence, not body
    assert src.text.startswith("一、总体要求\n")
    assert src.raw[src.source_span(Span(0, 2)).start] == "一"


# -- autonomous regions: signers written as a list, a level word, a co-signing enterprise ----


def _national_meta(text: str, header: dict | None = None):
    from policykg.extract.places.gazetteer import default_gazetteer

    return extract_meta(source(text, header), default_gazetteer())


def test_a_header_issuer_written_as_a_list_is_every_body():
    """发文机构 ``某自治区商务厅、财政厅``: two issuers, the second sharing the place."""
    text = "关于印发家电以旧换新补贴实施细则的通知\n各地（市）商务局：\n现印发给你们。\n"
    meta = _national_meta(text, {"issuer": "西藏自治区商务厅、财政厅"})
    assert meta.issuers == ("西藏自治区商务厅", "西藏自治区财政厅")
    assert meta.jurisdiction == "xizang"


def test_a_flattened_two_column_signature_names_its_place_once():
    text = ("关于印发电价改革实施方案的通知\n各市发展改革委：\n现印发给你们，请贯彻落实。\n"
            "宁夏回族自治区 宁夏回族自治区发展和改革委员会、财政厅\n2025年3月2日\n")
    meta = _national_meta(text)
    assert meta.issuers == ("宁夏回族自治区发展和改革委员会", "宁夏回族自治区财政厅")
    assert meta.jurisdiction == "ningxia"


def test_a_rule_signed_by_the_region_the_corps_and_the_grid_company():
    """The lead signer writes only its level (自治区…): the co-signers' places (兵团) do not
    move the document out of the region, and a state grid company signs too."""
    text = ("关于印发电力需求响应实施细则的通知\n新发改运行〔2025〕3号\n"
            "各地（州、市）发展改革委：\n现印发你们，请认真贯彻执行。\n自治区发展改革委\n兵团发展改革委\n国网新疆电力有限公司\n"
            "2025年5月6日\n")
    meta = _national_meta(text)
    assert meta.issuers == ("自治区发展改革委", "兵团发展改革委", "国网新疆电力有限公司")
    assert meta.jurisdiction == "xinjiang"


# -- metadata as crawls and PDFs write it -------------------------------------------------


def test_a_disclosure_catalogue_flattened_one_cell_a_line_gives_the_number():
    """政府信息公开目录: 发布机构 / 生成日期 / 生效日期 (empty) / 信息名称 / 文号, one a line."""
    raw = ("市场监管/某政发/通知\n发布机构：\n某市人民政府\n生成日期：\n2024-05-08\n"
           "生效日期：\n失效日期：\n是否修改：\n否\n信息名称：\n"
           "市政府关于印发某市设备更新实施方案的通知\n文号：\n某政发〔2024〕36号\n关键词：\n设备更新\n"
           "内容概览：\n市政府关于印发某市设备更新实施方案的通知\n各区人民政府：\n现将方案印发给你们。\n"
           "某市人民政府\n2024年5月8日\n")
    assert extract_meta(normalize(raw, "t.md"), G).doc_number == "某政发〔2024〕36号"


def test_a_crawlers_number_field_counts_unless_the_text_cites_that_number():
    """A crawl's front matter ``official_number:`` is the 文号, unless the text cites that
    number as another document's (the field sometimes holds the cited rule's)."""
    body = "关于做好光伏管理工作的通知\n各市发展改革委：\n现将有关事项通知如下。\n"

    def number(field: str, text: str):
        raw = f"---\nofficial_number: {field}\n---\n{text}"
        return extract_meta(normalize(raw, "t.md"), G).doc_number

    assert number("湖政办发〔2025〕3号", body) == "湖政办发〔2025〕3号"
    cited = body + "按照《分布式光伏发电开发建设管理办法》（国能发新能规〔2025〕7号）执行。\n"
    assert number("国能发新能规〔2025〕7号", cited) is None


def test_a_pdf_line_with_the_number_and_the_addressee_and_a_signer_with_its_date():
    text = ("湖州市人民政府办公室文件\n关于印发湖州市充电设施行动计划的通知\n"
            "湖政办发〔2024〕29号 各区县人民政府，市政府各部门：现将行动计划印发给你们。\n"
            "湖州市人民政府办公室2024年3月30日（此件公开发布）\n湖州市充电设施行动计划\n一、总体要求\n")
    meta, _, _ = meta_and_refs(text)
    assert meta.doc_number == "湖政办发〔2024〕29号"
    assert meta.issued == date(2024, 3, 30)


# -- national documents (the shipped gazetteer, which has the country) ------------------


def _shipped_meta(text: str):
    from policykg.extract.places.gazetteer import default_gazetteer

    return extract_meta(source(text), default_gazetteer())


def test_a_state_council_notice_is_national_and_a_local_one_quoting_it_is_not():
    """A national document names no place of its own: its signer makes it the country's.
    A provincial notice that quotes the State Council stays the province's."""
    national = _shipped_meta(
        "国务院办公厅关于印发某某产业发展行动计划的通知\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
        "现将《某某产业发展行动计划》印发给你们，请认真贯彻执行。在河北、山西先行试点。\n")
    assert national.jurisdiction == "china" and national.jurisdiction_basis[:1] == ("issuer",)
    local = _shipped_meta(
        "关于贯彻落实国务院办公厅某某行动计划的实施意见\n"
        "各市、州人民政府：\n为贯彻落实国务院部署，结合我省实际，现提出如下意见。河南省人民政府\n")
    assert local.jurisdiction == "henan"


def test_a_ministrys_number_and_a_signer_make_a_document_national():
    meta = _shipped_meta(
        "关于开展某某试点工作的通知\n发改办某〔2025〕17号\n"
        "各省、自治区、直辖市发展改革委：\n为推动某某工作，决定在江西、湖南开展试点。\n")
    assert meta.jurisdiction == "china" and "doc-number" in meta.jurisdiction_basis


def test_a_headline_with_its_number_after_a_colon_gives_title_and_number():
    """A page's headline ``关于印发某规划的通知:某发〔2024〕3号`` holds the title and the
    文号 on one line; either is read as the document's own."""
    meta = _shipped_meta(
        "关于印发某某城市群发展规划的通知:发改某某〔2024〕31号\n\n时间: 2024-02-02\n"
        "四川、重庆人民政府：\n现将《某某城市群发展规划》印发你们。\n")
    assert meta.title == "某某城市群发展规划"
    assert meta.doc_number == "发改某某〔2024〕31号"
    meta = _shipped_meta("某某县农村道路养护实施方案（某政办发〔2023〕5号）\n一、目标\n养护。\n")
    assert meta.doc_number == "某政办发〔2023〕5号"

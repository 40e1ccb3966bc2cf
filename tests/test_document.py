"""Document metadata: title, 文号, issuer, date, type, jurisdiction (extract/document.py)."""

from datetime import date
from pathlib import Path

import pytest
from policykg.extract.document import (
    doc_type_of,
    extract_meta,
    infer_jurisdiction,
    normalize_doc_number,
    parse_date,
)
from policykg.extract.model import Region, SourceText, Span

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


class FakeGazetteer:
    """The four methods the extractors use, over a handful of regions."""

    REGIONS = [
        Region("hubei", "湖北省", "Hubei", "province", None, None, ("湖北",)),
        Region("wuhan", "武汉市", "Wuhan", "prefecture", "hubei", None, ("武汉",)),
        Region("ezhou", "鄂州市", "Ezhou", "prefecture", "hubei", None, ("鄂州",)),
        Region("xiangyang", "襄阳市", "Xiangyang", "prefecture", "hubei", None, ("襄阳",)),
        Region("ezhou-echeng", "鄂城区", "Echeng", "district", "ezhou", None, ()),
    ]

    def __init__(self):
        self._by_key = {r.key: r for r in self.REGIONS}
        self._names = sorted(
            ((n, r.key) for r in self.REGIONS for n in (r.name_zh, *r.aliases)),
            key=lambda nk: -len(nk[0]),
        )

    def get(self, key):
        return self._by_key[key]

    def lookup(self, name):
        return next((self._by_key[k] for n, k in self._names if n == name), None)

    def ancestors(self, key):
        out, parent = [], self._by_key[key].parent
        while parent:
            out.append(self._by_key[parent])
            parent = self._by_key[parent].parent
        return out

    def find_in(self, text):
        found, i = [], 0
        while i < len(text):
            for name, key in self._names:
                if text.startswith(name, i):
                    found.append((key, Span(i, i + len(name))))
                    i += len(name)
                    break
            else:
                i += 1
        return found


def source(text: str, header: dict | None = None) -> SourceText:
    return SourceText("t", text, text, tuple(range(len(text) + 1)), header or {})


G = FakeGazetteer()


# -- 文号 and dates -------------------------------------------------------------


@pytest.mark.parametrize(
    "written, standard",
    [
        ("鄂政办发[2024]19号", "鄂政办发〔2024〕19号"),
        ("鄂经信规划［2021］203号", "鄂经信规划〔2021〕203号"),
        ("武政（２０１９）７号", "武政〔2019〕7号"),
        ("鄂发(2023)10号", "鄂发〔2023〕10号"),
        ("根据鄂政发〔2020〕5号文件", "鄂政发〔2020〕5号"),
    ],
)
def test_doc_number_brackets_are_standardized(written, standard):
    assert normalize_doc_number(written) == standard


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2021年10月29日", date(2021, 10, 29)),
        ("二〇二一年十月二十九日", date(2021, 10, 29)),
        ("二〇一九年十一月七日", date(2019, 11, 7)),
        ("2024年4月21日印发", date(2024, 4, 21)),
        ("2024年2月30日", None),
        ("二〇二四年", None),
    ],
)
def test_dates_in_arabic_and_chinese_numerals(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize(
    "title, doc_type",
    [
        ("关于加快发展数字经济的实施意见", "ImplementingOpinions"),
        ("关于加快发展数字经济的意见", "Opinions"),
        ("襄阳市工业稳增长工作方案", "WorkPlan"),
        ("襄阳市制造业三年行动计划", "ActionPlan"),
        ("湖北省装备制造业“十四五”发展规划", "Plan"),
        ("省经信厅关于印发湖北省新材料产业发展规划的通知", "Plan"),
        ("关于做好工业用地保障工作的通知", "Notice"),
        ("支持中小企业发展的若干措施", "Measures"),
        ("大会圆满落幕", None),
    ],
)
def test_type_from_longest_title_suffix(title, doc_type):
    assert doc_type_of(title) == doc_type


# -- title ----------------------------------------------------------------------

WRAPPED = """湖北省科学技术厅文件
鄂科技发〔2022〕8号
省科技厅关于印发湖北省科技创新 “十四五”规划的通知
各市、州、县科技局,省直有关部门:
现将《湖北省科技创新“十四五”规划》印发给你们,请认真贯彻执行。
湖北省科学技术厅
2022年3月2日
湖北省科技创新“十四五”规划
科技创新是发展的第一动力。规划期限为2021—2025年。
一、发展基础
全省科技创新能力持续增强。
"""


def test_wrapped_plan_takes_enclosed_title_number_issuer_and_date():
    meta = extract_meta(source(WRAPPED), G)
    assert meta.title == "湖北省科技创新“十四五”规划"
    assert WRAPPED[meta.title_span.start:meta.title_span.end] == meta.title
    assert meta.title_span.start > WRAPPED.index("印发给你们")  # the standalone title line
    assert meta.doc_number == "鄂科技发〔2022〕8号"
    assert meta.issuer == "湖北省科学技术厅"
    assert WRAPPED[meta.issuer_span.start:meta.issuer_span.end] == "湖北省科学技术厅"
    assert meta.issued == date(2022, 3, 2)
    assert meta.doc_type == "Plan"
    assert meta.jurisdiction == "hubei"


def test_truncated_header_title_loses_to_body_and_publication_time_is_fallback():
    text = "现将《襄阳市工业稳增长工作方案》印发给你们。\n一、总体要求\n全市工业稳定增长。\n"
    header = {"title": "市人民政府关于印发襄阳市", "published": "2023-05-06 10:00:00"}
    meta = extract_meta(source(text, header), G)
    assert meta.title == "襄阳市工业稳增长工作方案"
    assert meta.doc_type == "WorkPlan"
    assert meta.issued == date(2023, 5, 6)  # nothing in the body: publication time


def test_foreign_header_title_is_not_a_policy_title():
    text = "关于支持民营经济发展的若干措施\n各区人民政府:\n一、总体要求\n"
    meta = extract_meta(source(text, {"title": "某某大会圆满落幕"}), G)
    assert meta.title == "关于支持民营经济发展的若干措施"
    assert meta.title_span == Span(0, len(meta.title))


def test_missing_title_is_synthesized_from_purpose_sentence_and_signature():
    text = (
        "各区人民政府,市人民政府各部门:\n"
        "为全面落实省委决策部署,加快发展数字经济,结合我市实际,经研究,特提出如下意见。\n"
        "一、总体要求\n全市数字经济快速发展。\n"
        "襄阳市人民政府\n二〇二〇年三月五日\n"
    )
    meta = extract_meta(source(text), G)
    assert meta.title == "襄阳市人民政府关于加快发展数字经济的意见"
    assert meta.title_span is None
    assert meta.issuer == "襄阳市人民政府"
    assert meta.issued == date(2020, 3, 5)
    assert meta.doc_type == "Opinions"
    assert meta.jurisdiction == "xiangyang"
    assert meta.doc_number is None


def test_cited_number_in_a_sentence_is_not_the_documents_own():
    text = (
        "关于推进数字经济发展的实施方案\n"
        "根据《湖北省人民政府关于数字经济的意见》(鄂政发〔2022〕3号)精神,制定本方案。\n"
        "一、重点任务\n"
    )
    meta = extract_meta(source(text), G)
    assert meta.doc_number is None
    assert meta.issued is None and meta.issuer is None


def test_number_prefix_gives_issuer_and_province():
    text = (
        "推动数字经济发展的实施意见\n鄂政办发[2024]3号\n"
        "各市、州、县人民政府,省政府各部门:\n一、总体要求\n"
    )
    meta = extract_meta(source(text), G)
    assert meta.doc_number == "鄂政办发〔2024〕3号"
    assert meta.issuer == "湖北省人民政府办公厅"
    assert meta.doc_type == "ImplementingOpinions"
    assert meta.jurisdiction == "hubei"


# -- jurisdiction ----------------------------------------------------------------


def test_city_is_chosen_over_a_more_often_named_partner_city():
    text = (
        "为加快推动我市工业发展,制定本方案。深化与武汉、襄阳等地产业协作,对接武汉光谷,"
        "承接武汉产业转移,联合武汉高校。推动项目落户鄂州。鄂城区加快发展。全市工业增长。"
    )
    assert infer_jurisdiction(text, G) == "ezhou"


def test_province_level_cues_pick_the_province():
    text = "各市、州、县人民政府,省政府各部门:全省工业增长,武汉、襄阳、鄂州协同发展。"
    assert infer_jurisdiction(text, G) == "hubei"


def test_no_places_no_jurisdiction():
    assert infer_jurisdiction("加快发展。", G) is None


# -- seeds -------------------------------------------------------------------------

EXPECTED = {
    "000": ("湖北省制造业高质量发展“十四五”规划", None, date(2021, 10, 29), "Plan", "hubei"),
    "001": (None, None, date(2019, 11, 7), "Opinions", "wuhan"),
    "002": ("湖北省装备制造业“十四五”发展规划", "鄂经信规划〔2021〕203号", None, "Plan", "hubei"),
    "003": ("关于推进新型工业化打造制造强国高地的工作方案", None, None, "WorkPlan", "ezhou"),
    "004": ("推动高质量发展的实施意见", "鄂政办发〔2024〕19号", date(2024, 4, 21),
            "ImplementingOpinions", "hubei"),
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_metadata(seed_meta, seed):
    src, meta = seed_meta[seed]
    title, number, issued, doc_type, jurisdiction = EXPECTED[seed]
    if title:
        assert meta.title == title
        assert src.text[meta.title_span.start:meta.title_span.end].replace(" ", "") == title
    assert meta.doc_number == number
    if issued:
        assert meta.issued == issued
    assert meta.doc_type == doc_type
    assert meta.jurisdiction == jurisdiction


def test_seed_001_title_is_synthesized_from_its_own_words(seed_meta):
    src, meta = seed_meta["001"]
    assert meta.title_span is None
    assert meta.title.startswith("武汉市人民政府关于") and meta.title.endswith("的意见")
    assert meta.title[len("武汉市人民政府关于"):-len("的意见")] in src.text
    assert meta.issuer == "武汉市人民政府"


def test_seed_issuers(seed_meta):
    assert seed_meta["002"][1].issuer == "湖北省经济和信息化厅"
    assert seed_meta["004"][1].issuer == "湖北省人民政府办公厅"
    assert seed_meta["000"][1].issuer == "省人民政府"
    assert seed_meta["003"][1].issued is None  # the scraped text has no date: none invented


def test_lines_of_layout_markup_do_not_fill_the_head():
    markup = "".join(f"<tr><td class='c{k}'>\n" for k in range(14))
    text = (markup + "某省人民政府办公厅\n关于加强某某机构监管的意见\n某政办发〔2026〕8号\n"
            "各市人民政府：\n为加强监管，提出如下意见。\n一、适用范围\n本意见适用于全省。\n")
    meta = extract_meta(source(text), G)
    assert meta.doc_number == "某政办发〔2026〕8号"
    assert meta.title == "某省人民政府办公厅关于加强某某机构监管的意见"


@pytest.mark.parametrize(("head", "title"), [
    # a wrapper broken over two lines: its enclosed title
    ("关于印发《某某市政策性粮食购销违法违规\n行为举报奖励实施细则（试行）》的通知\n",
     "某某市政策性粮食购销违法违规行为举报奖励实施细则（试行）"),
    ("某某市人民政府办公室关于成立某某市\n信用建设工作领导小组的通知\n",
     "某某市人民政府办公室关于成立某某市信用建设工作领导小组的通知"),
])
def test_a_title_broken_over_lines_is_joined(head, title):
    text = head + "某政办函〔2013〕9号\n各部门：\n现将有关事项通知如下。\n"
    assert extract_meta(source(text), G).title == title


@pytest.mark.parametrize("page", [
    "某省商务厅-某省2026年家电以旧换新参与品牌厂家征集公告",
    "某省2026年家电以旧换新参与品牌厂家征集公告_某省人民政府",
])
def test_a_page_title_line_gives_the_title_after_its_site_name(page):
    text = "为推进补贴工作，现公开征集参与品牌厂家，具体事项如下。\n一、征集范围\n家电。\n"
    meta = extract_meta(source(text, {"title_line": page}), G)
    assert meta.title == "某省2026年家电以旧换新参与品牌厂家征集公告"


def test_a_headline_of_the_distributing_notice_gives_the_plans_title():
    text = "为推进民间投资，制定本行动方案。\n一、主要目标\n到2027年，投资增长。\n"
    header = {"title": "省人民政府办公厅印发《某省扩大民间投资三年行动方案》"}
    assert extract_meta(source(text, header), G).title == "某省扩大民间投资三年行动方案"


def test_a_date_or_a_number_above_the_title_is_not_part_of_it():
    text = ("2024年5月17日\n（1-65〔2024〕5号）\n某省充电设施管理办法\n"
            "第一条 为规范管理，制定本办法。\n")
    assert extract_meta(source(text), G).title == "某省充电设施管理办法"


def test_fallback_title_is_a_line_of_words_not_page_code():
    text = ("<script>\nvar a = 1;\n</script>\np\n某县河长制工作考核细则\n"
            "为推进河长制工作，结合本县实际，制定本细则。\n")
    meta = extract_meta(source(text), G)
    assert meta.title == "某县河长制工作考核细则"


def test_a_files_own_markdown_title_beats_a_table_cell():
    """A task list saved as markdown: ``# 某县2026年重点工作任务分工`` names the file, which
    is no document-type title; the table's first cells (序号, 工作任务) are not its title."""
    text = "序号\n工作任务\n牵头单位\n1\n推进农田建设。\n县农业农村局\n"
    meta = extract_meta(source(text, {"title_line": "某县2026年重点工作任务分工"}), G)
    assert meta.title == "某县2026年重点工作任务分工"


def test_a_page_title_that_quotes_the_documents_name():
    """``《某省资源型经济转型行动计划》-某省发改委门户网站``: the quoted name is the title."""
    text = "为推进转型，制定本行动计划。\n一、主要任务\n（一）推进能源革命。\n"
    page = "《某省资源型经济转型行动计划》-某省发改委门户网站"
    meta = extract_meta(source(text, {"title_line": page}), G)
    assert meta.title == "某省资源型经济转型行动计划"

"""Canonical agencies: one body per real body, scoped by the document's jurisdiction."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import opencc
import pytest
from policykg.extract import iris
from policykg.extract.agencies import (
    DATA_DIR,
    AgencyDataError,
    AgencyResolver,
    is_agency_name,
    is_group,
)
from policykg.extract.graph import agency_quads
from policykg.extract.places.gazetteer import Gazetteer
from policykg.ontology.vocab import ORG

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture
def res(gaz) -> AgencyResolver:
    return AgencyResolver(gaz)


# ------------------------------------------------------------ one body, many names


def test_three_surface_forms_one_body(res):
    keys = {
        res.resolve("省经信厅", "hubei").key,
        res.resolve("省經信廳", "wuhan-jiangxia").key,  # traditional, from a district document
        res.resolve("湖北省经济和信息化厅", "ezhou").key,
        res.resolve("中共湖北省委", "hubei").key,
    }
    assert keys == {"hubei-economy-and-information-technology", "hubei-party-committee"}
    agency = res.get("hubei-economy-and-information-technology")
    assert agency.name_zh == "湖北省经济和信息化厅"
    assert agency.name_en == "Hubei Provincial Department of Economy and Information Technology"
    assert agency.kind == "government-department" and agency.region == "hubei"
    assert res.alt_labels(agency.key) == {"省经信厅", "省經信廳"}


def test_same_surface_in_two_jurisdictions_is_two_bodies(res):
    ezhou = res.resolve("市经信局", "ezhou")
    wuhan = res.resolve("市经济和信息化局", "wuhan")
    assert ezhou.key == "ezhou-economy-and-information-technology"
    assert wuhan.key == "wuhan-economy-and-information-technology"
    assert ezhou.name_en == "Ezhou Municipal Bureau of Economy and Information Technology"
    # 市 walks up from a district or a zone to the city
    assert res.resolve("市经信局", "wuhan-east-lake-hightech-zone").key == wuhan.key


def test_explicit_region_prefix_wins(res):
    assert res.resolve("武汉市经信局", "ezhou").key == "wuhan-economy-and-information-technology"
    assert res.resolve("黄石市发改委", "hubei").key == "huangshi-development-and-reform-commission"


def test_city_and_province_level_names_differ(res):
    assert res.resolve("省科技厅", "hubei").name_zh == "湖北省科学技术厅"
    assert res.resolve("市科技局", "ezhou").name_zh == "鄂州市科学技术局"
    assert res.resolve("省自然资源厅", "hubei").key == "hubei-natural-resources-and-planning"
    assert res.resolve("市自然资源和规划局", "ezhou").name_zh == "鄂州市自然资源和规划局"


def test_district_prefix_and_district_government(res):
    gov = res.resolve("江夏区人民政府", "wuhan")
    assert gov.key == "wuhan-jiangxia-government"
    assert gov.name_zh == "武汉市江夏区人民政府" and gov.kind == "government"
    assert res.resolve("区人民政府", "wuhan-jiangxia").key == gov.key
    assert res.resolve("区经信局", "wuhan-jiangxia").name_zh == "武汉市江夏区经济和信息化局"


def test_government_and_its_offices(res):
    assert res.resolve("省人民政府", "ezhou").key == "hubei-government"
    assert res.resolve("省政府", "hubei").key == "hubei-government"
    office = res.resolve("市人民政府办公厅", "wuhan")
    assert office.key == "wuhan-general-office"
    assert res.resolve("省政府国资委", "hubei").name_zh == "湖北省人民政府国有资产监督管理委员会"


def test_a_general_office_is_named_as_its_city_names_it(res):
    # an ordinary prefecture-level city has a 办公室; a 副省级市 and a municipality a 办公厅
    assert res.resolve("市政府办公室", "ezhou").name_zh == "鄂州市人民政府办公室"
    assert res.resolve("市政府办公厅", "ezhou").key == "ezhou-general-office"
    assert res.resolve("市政府办公室", "wuhan").name_zh == "武汉市人民政府办公厅"
    assert res.resolve("市政府办公室", "shanghai").name_zh == "上海市人民政府办公厅"
    # other offices keep their own names
    assert res.resolve("市委办公室", "ezhou").name_zh == "中共鄂州市委办公室"


def test_management_committee_of_a_zone(res):
    gedian = res.resolve("葛店经开区管委会", "ezhou")
    assert gedian.key == "ezhou-gedian-development-zone-management-committee"
    assert gedian.kind == "management-committee"
    assert gedian.region == "ezhou-gedian-development-zone"
    east_lake = res.resolve("武汉东湖新技术开发区管委会", "wuhan")
    assert east_lake.key == "wuhan-east-lake-hightech-zone-management-committee"
    assert east_lake.name_zh == "武汉东湖新技术开发区管理委员会"


def test_party_organs(res):
    org = res.resolve("市委组织部", "ezhou")
    assert (org.key, org.kind, org.name_zh) == (
        "ezhou-party-organization-department", "party", "中共鄂州市委组织部",
    )  # fmt: skip
    assert res.resolve("中共鄂州市委组织部", "hubei").key == org.key
    # 办公厅 after 委 is the party's office, after 政府 the government's
    assert res.resolve("省委办公厅", "hubei").key == "hubei-party-general-office"
    assert res.resolve("省政府办公厅", "hubei").key == "hubei-general-office"


def test_court_keeps_the_short_form_as_label(res):
    court = res.resolve("市法院", "ezhou")
    assert court.name_zh == "鄂州市中级人民法院" and court.kind == "court"
    assert "市法院" in res.alt_labels(court.key)


def test_specific_bodies_and_bank_branches(res):
    assert res.resolve("湖北港口集团", "hubei").kind == "enterprise"
    bank = res.resolve("人行鄂州市分行", "ezhou")
    assert (bank.key, bank.name_zh, bank.kind) == (
        "ezhou-pbc-branch", "中国人民银行鄂州市分行", "bank",
    )  # fmt: skip
    assert res.resolve("中国人民银行湖北省分行", "wuhan").key == "hubei-pbc-branch"
    assert res.resolve("人行湖北分行", "hubei").key == "hubei-pbc-branch"
    # a local alias needs the body's own city behind 市
    assert res.resolve("市临空物流中心", "ezhou").key == "ezhou-airport-logistics-center"
    assert res.is_minted(res.resolve("市临空物流中心", "wuhan").key)


# -------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    ("surface", "jurisdiction", "key"),
    [
        ("各区人民政府", "ezhou", "ezhou-group-ge-qu-ren-min-zheng-fu"),
        ("各区人民政府", "wuhan", "wuhan-group-ge-qu-ren-min-zheng-fu"),
        ("各市州人民政府", "ezhou", "hubei-group-ge-shi-zhou-ren-min-zheng-fu"),
        ("相关市州人民政府", "hubei", "hubei-group-xiang-guan-shi-zhou-ren-min-zheng-fu"),
        ("各市、州、县人民政府", "hubei", "hubei-group-ge-shi-zhou-xian-ren-min-zheng-fu"),
        ("省直相关部门", "wuhan", "hubei-group-zhi-xiang-guan-bu-men"),
        ("重点产业链成员单位", "ezhou", "ezhou-group-zhong-dian-chan-ye-lian-cheng-yuan-dan-wei"),
    ],
)
def test_collective_addressees_are_scoped_groups(res, surface, jurisdiction, key):
    agency = res.resolve(surface, jurisdiction)
    assert agency.key == key
    assert agency.is_group and agency.kind == "group"
    assert not res.is_minted(agency.key)


def test_group_names_carry_their_scope(res):
    group = res.resolve("市工业经济高质量发展领导小组成员单位", "ezhou")
    assert group.name_zh == "鄂州市工业经济高质量发展领导小组成员单位"
    assert group.region == "ezhou"
    mixed = res.resolve("各区人民政府和葛店经开区、临空经济区管委会", "ezhou")
    assert mixed.is_group and mixed.region == "ezhou"


def test_is_group():
    assert is_group("各区人民政府")
    assert is_group("省政府各部门")
    assert is_group("市委、市政府")
    assert not is_group("市场监管局")
    assert not is_group("江夏区人民政府")
    assert not is_group("市经济和信息化局等")


# ------------------------------------------------------------------ unknowns


def test_unknown_body_is_minted_not_dropped(res):
    first = res.resolve("市新兴产业服务中心", "ezhou")
    assert first.key == "ezhou-xin-xing-chan-ye-fu-wu-zhong-xin"
    assert first.name_zh == "鄂州市新兴产业服务中心" and first.kind == "institution"
    assert res.is_minted(first.key)
    assert res.resolve("市新兴产业服务中心", "ezhou") == first
    assert res.resolve("市新兴产业服务中心", "wuhan").key != first.key
    assert res.resolve("鄂州市数字经济促进局", "hubei").kind == "government-department"
    assert res.resolve("某某投资集团", None).kind == "enterprise"


def test_scope_notes_and_trailing_deng_are_not_part_of_the_name(res):
    assert (
        res.resolve("市经济和信息化局等", "wuhan").key == "wuhan-economy-and-information-technology"
    )
    assert res.alt_labels("wuhan-economy-and-information-technology") == {"市经济和信息化局"}
    group = res.resolve("各区人民政府〈含开发区、风景区管委会,下同〉", "wuhan")
    assert group.key == "wuhan-group-ge-qu-ren-min-zheng-fu"
    assert group.name_zh == "武汉市各区人民政府"
    assert res.alt_labels(group.key) == {"各区人民政府"}


def test_original_form_is_recorded(res):
    agency = res.resolve("省发改委", "hubei", original="省發改委")
    assert res.alt_labels(agency.key) == {"省发改委", "省發改委"}


def test_result_does_not_depend_on_call_order(gaz):
    calls = [
        ("省经信厅", "hubei"), ("市经信局", "ezhou"), ("市某某中心", "wuhan"),
        ("各区人民政府", "ezhou"), ("江夏区人民政府", "wuhan"), ("市法院", "ezhou"),
        ("区发改局", "wuhan-jiangxia"), ("区发改委", "wuhan-jiangxia"),
        ("区发改委产业科", "wuhan-jiangxia"), ("公安江夏分局", "wuhan"), ("市公安局", "wuhan"),
        ("区发改委", "wuhan"), ("区发展和改革局", "wuhan"), ("纸坊街道", "wuhan-jiangxia"),
    ]  # fmt: skip
    forward, backward = AgencyResolver(gaz), AgencyResolver(gaz)
    for surface, jur in calls:
        forward.resolve(surface, jur)
    for surface, jur in reversed(calls):
        backward.resolve(surface, jur)
    assert forward.agencies() == backward.agencies()
    assert [a.key for a in forward.agencies()] == sorted(a.key for a in forward.agencies())


# ----------------------------------------------------------------- data files


def test_every_department_alias_resolves_to_its_department(res):
    for dept in res._departments.values():
        for alias in dept.aliases:
            region = "省委" if dept.is_party else "省"
            agency = res.resolve(region + alias, "hubei")
            assert agency.key == f"hubei-{dept.key}", alias


def test_conflicting_alias_is_refused(tmp_path):
    for name in ("departments.tsv", "agencies.tsv", "agency_patterns.tsv", "agency_rules.tsv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    with (tmp_path / "departments.tsv").open("a", encoding="utf-8") as handle:
        handle.write("other\tgovernment-department\t其他厅\t\t\tOther\t\t\t经信局\n")
    with pytest.raises(AgencyDataError, match="经信局"):
        AgencyResolver(data_dir=tmp_path)


# ---------------------------------------------------------------------- seeds

JURISDICTION = {"000": "hubei", "001": "wuhan", "002": "hubei", "003": "ezhou", "004": "hubei"}
SHARED_SUFFIXES = ("人民政府", "管委会")
CLAUSE = re.compile(r"[（(]((?:牵头单位|责任单位)[:：][^）)]*)[）)]")
LED_BY = re.compile(r"由([^，。,；;由（(]{2,40}?)牵头")


def _seed_text(path: Path) -> str:
    text = re.sub(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\s*/?\s*)+\)", "", path.read_text())
    return opencc.OpenCC("t2s").convert(text)


def _names(clause: str, gaz: Gazetteer, within: str | None = None) -> list[str]:
    """Agency names of one clause, with shared suffixes given back to each name."""
    clause = re.sub(r"〈[^〉]*〉", "", clause.split("。")[0])
    names = []
    for part in re.split(r"[;；]", clause):
        part = re.sub(r"^(?:牵头单位|责任单位)[:：]", "", part)
        for chunk in re.split(r"[,，]", part):
            items = [i for i in chunk.split("、") if i]
            suffix = next((s for s in SHARED_SUFFIXES if items and items[-1].endswith(s)), None)
            for item in items:
                if suffix and not item.endswith(suffix) and gaz.lookup(item, within=within):
                    item += suffix
                names.append(item)
    return names


def seed_mentions(gaz: Gazetteer) -> list[tuple[str, str, str]]:
    mentions = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = _seed_text(path)
        jurisdiction = JURISDICTION[path.name[:3]]
        clauses = [m.group(1) for m in CLAUSE.finditer(text)]
        clauses += [m.group(1) for m in LED_BY.finditer(text)]
        for clause in clauses:
            for name in _names(clause, gaz, jurisdiction):
                mentions.append((path.name[:3], jurisdiction, name))
    return mentions


def test_every_seed_clause_name_resolves_to_a_known_agency(gaz):
    res = AgencyResolver(gaz)
    mentions = seed_mentions(gaz)
    assert len(mentions) > 250  # 62 bracketed clauses plus two 由…牵头 in five seeds
    minted = [
        (doc, name) for doc, jur, name in mentions if res.is_minted(res.resolve(name, jur).key)
    ]
    assert minted == []
    by_key = {a.key: a for a in res.agencies()}
    # the same short form in the Ezhou plan and in the Wuhan plan: two bodies
    assert "ezhou-development-and-reform-commission" in by_key
    assert "wuhan-development-and-reform-commission" in by_key
    # the Wuhan plan's 管委会 lists name four distinct zones
    committees = {k for k, a in by_key.items() if a.kind == "management-committee"}
    assert committees == {
        "wuhan-east-lake-hightech-zone-management-committee",
        "wuhan-economic-development-zone-management-committee",
        "wuhan-airport-development-zone-management-committee",
        "wuhan-changjiang-new-city-management-committee",
        "ezhou-gedian-development-zone-management-committee",
        "ezhou-airport-economic-zone-management-committee",
    }
    assert all(a.region for a in by_key.values())


# ----------------------------------------------------- the grammar, on Hubei names


@pytest.mark.parametrize(
    "variants",
    [
        ("区发改委", "区发展改革委", "区发展和改革委员会"),
        ("区绿化市容局", "区绿化和市容管理局"),
        ("区建设管理委", "区建管委", "区建设和管理委员会"),
        ("区机管局", "区机关事务管理局"),
        ("区规划资源局", "区规划和自然资源局", "区规资局"),
        ("区市场监管局", "区市场监督管理局"),
        ("区卫健委", "区卫生健康委员会"),
        ("区文旅局", "区文化和旅游局", "区文化旅游局"),
        ("区退役军人局", "区退役军人事务局"),
        ("区城管执法局", "区城市管理行政执法局"),
        ("区土储中心", "区土地储备中心"),
        ("区双拥办", "区双拥工作领导小组办公室"),
        ("区国动办", "区国防动员办公室"),
        ("团区委", "共青团江夏区委"),
        ("区妇联", "区妇女联合会"),
        ("区科协", "区科学技术协会"),
    ],
)
def test_abbreviations_and_full_names_are_one_body(res, variants):
    keys = {res.resolve(v, "wuhan-jiangxia").key for v in variants}
    assert len(keys) == 1, keys
    (key,) = keys
    assert key.startswith("wuhan-jiangxia-")
    assert not res.is_minted(key)


def test_a_written_wei_form_keeps_its_wei_name(res):
    # Hubei districts say 商务局; a plan that writes 商务委 names a 委员会
    assert res.resolve("区商务委", "wuhan-jiangxia").name_zh == "武汉市江夏区商务委员会"
    assert res.resolve("区商务局", "wuhan-hanyang").name_zh == "武汉市汉阳区商务局"
    assert res.resolve("区科委", "wuhan-hanyang").name_zh == "武汉市汉阳区科学技术委员会"
    # the level's own name when the form is the usual one
    assert res.resolve("省发改委", "hubei").name_zh == "湖北省发展和改革委员会"
    assert res.resolve("区房管局", "wuhan-jiangxia").name_zh == "武汉市江夏区住房保障和房屋管理局"


def test_internal_division_is_a_sub_organization(res):
    division = res.resolve("市发展改革委产业处", "wuhan")
    assert division.key == "wuhan-development-and-reform-commission-chan-ye-chu"
    assert division.sub_organization_of == "wuhan-development-and-reform-commission"
    assert division.name_zh == "武汉市发展和改革委员会产业处"
    parent = res.get(division.sub_organization_of)
    assert res.parents(division) == [parent]
    other = res.resolve("区经发局经信处", "wuhan-jiangxia")
    assert other.sub_organization_of == "wuhan-jiangxia-economic-development"


@pytest.mark.parametrize("surface", ["公安江夏分局", "市公安局江夏分局", "区公安分局"])
def test_police_branch_is_the_district_body_under_the_city_bureau(res, surface):
    jur = "wuhan-jiangxia" if surface.startswith("区") else "wuhan"
    branch = res.resolve(surface, jur)
    assert branch.key == "wuhan-jiangxia-public-security"
    assert branch.name_zh == "武汉市公安局江夏分局"
    assert branch.sub_organization_of == "wuhan-public-security"


def test_towns_and_town_groups_belong_to_the_district(res):
    town = res.resolve("纸坊街道", "wuhan-jiangxia")
    assert (town.key, town.kind, town.region) == (
        "wuhan-jiangxia-zhi-fang-jie-dao", "government", "wuhan-jiangxia",
    )  # fmt: skip
    assert res.resolve("纸坊街道办事处", "wuhan-jiangxia").key == town.key
    assert not res.is_minted(town.key)
    jiangxia = res.resolve("各街镇", "wuhan-jiangxia")
    hanyang = res.resolve("各街镇", "wuhan-hanyang")
    assert jiangxia.is_group and jiangxia.key != hanyang.key
    assert jiangxia.name_zh == "武汉市江夏区各街镇"
    assert res.resolve("区属国企", "wuhan-jiangxia").region == "wuhan-jiangxia"
    assert res.resolve("区政府各委", "wuhan-jiangxia").is_group


def test_district_shorthand_in_a_city_plan_is_the_districts_group(res):
    one = res.resolve("区发改委", "wuhan")
    assert one.is_group and one.key == "wuhan-group-district-development-and-reform-commission"
    assert res.resolve("区发展和改革委员会", "wuhan").key == one.key
    assert one.name_zh == "武汉市各区发展和改革委员会"
    assert res.resolve("区委组织部", "wuhan").name_zh == "武汉市各区委组织部"


def test_party_mass_and_youth_organs(res):
    assert res.resolve("团区委", "wuhan-jiangxia").name_zh == "共青团武汉市江夏区委员会"
    assert res.resolve("区委党校", "wuhan-jiangxia").kind == "party"
    assert res.resolve("区总工会", "wuhan-jiangxia").kind == "mass-organization"
    assert res.resolve("市委社会工作部", "wuhan").key == "wuhan-party-social-work-department"


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("区绿化市容局", True),
        ("市发展改革委产业处", True),
        ("各街镇", True),
        ("团区委", True),
        ("马陆镇", True),
        ("新城公司", True),
        ("区委组织部", True),
        ("湖北港口集团", True),
        ("区政府各委", True),
        ("2024—2026年", False),
        ("沪规划资源用〔2020〕351号", False),
        ("〈含开发区〉", False),
        ("相应的管养单位", False),
        ("含雨污水泵站", False),
        ("加快推进", False),
    ],
)
def test_is_agency_name(surface, expected):
    assert is_agency_name(surface) is expected


def test_sub_organization_is_emitted(res):
    division = res.resolve("市发展改革委产业处", "wuhan")
    quads = list(agency_quads(res.agencies(), {}))
    links = [q for q in quads if q.predicate == ORG.subOrganizationOf]
    assert [(q.subject, q.object) for q in links] == [
        (iris.agency(division.key), iris.agency(division.sub_organization_of))
    ]


# ------------------------------------------------- anywhere in China (the full gazetteer)


@pytest.fixture(scope="module")
def china(gaz) -> AgencyResolver:
    return AgencyResolver(gaz)


SAME_SURFACES = ("市财政局", "区发改委", "区发展改革委", "各街镇", "区委组织部")
PLACES = ("shanghai-jiading", "shanghai-qingpu", "shanghai", "guangzhou-tianhe", "guangzhou")


def test_same_surfaces_under_several_jurisdictions(china):
    keys = {(s, j): china.resolve(s, j).key for s in SAME_SURFACES for j in PLACES}
    assert keys == {
        ("市财政局", "shanghai-jiading"): "shanghai-finance",
        ("市财政局", "shanghai-qingpu"): "shanghai-finance",
        ("市财政局", "shanghai"): "shanghai-finance",
        ("市财政局", "guangzhou-tianhe"): "guangzhou-finance",
        ("市财政局", "guangzhou"): "guangzhou-finance",
        ("区发改委", "shanghai-jiading"): "shanghai-jiading-development-and-reform-commission",
        ("区发改委", "shanghai-qingpu"): "shanghai-qingpu-development-and-reform-commission",
        ("区发改委", "shanghai"): "shanghai-group-district-development-and-reform-commission",
        ("区发改委", "guangzhou-tianhe"): "guangzhou-tianhe-development-and-reform-commission",
        ("区发改委", "guangzhou"): "guangzhou-group-district-development-and-reform-commission",
        ("区发展改革委", "shanghai-jiading"): "shanghai-jiading-development-and-reform-commission",
        ("区发展改革委", "shanghai-qingpu"): "shanghai-qingpu-development-and-reform-commission",
        ("区发展改革委", "shanghai"): "shanghai-group-district-development-and-reform-commission",
        ("区发展改革委", "guangzhou-tianhe"): "guangzhou-tianhe-development-and-reform-commission",
        ("区发展改革委", "guangzhou"): "guangzhou-group-district-development-and-reform-commission",
        ("各街镇", "shanghai-jiading"): "shanghai-jiading-group-ge-jie-zhen",
        ("各街镇", "shanghai-qingpu"): "shanghai-qingpu-group-ge-jie-zhen",
        ("各街镇", "shanghai"): "shanghai-group-ge-jie-zhen",
        ("各街镇", "guangzhou-tianhe"): "guangzhou-tianhe-group-ge-jie-zhen",
        ("各街镇", "guangzhou"): "guangzhou-group-ge-jie-zhen",
        ("区委组织部", "shanghai-jiading"): "shanghai-jiading-party-organization-department",
        ("区委组织部", "shanghai-qingpu"): "shanghai-qingpu-party-organization-department",
        ("区委组织部", "shanghai"): "shanghai-group-district-party-organization-department",
        ("区委组织部", "guangzhou-tianhe"): "guangzhou-tianhe-party-organization-department",
        ("区委组织部", "guangzhou"): "guangzhou-group-district-party-organization-department",
    }
    assert china.get("shanghai-finance").name_zh == "上海市财政局"
    assert china.get("guangzhou-tianhe-party-organization-department").name_zh == (
        "中共广州市天河区委组织部"
    )


# Invented district plans from five provinces and two municipalities: (jurisdiction,
# surface, key, official name or None when only the key is checked).
PLANS = [
    # 上海市嘉定区 (municipality district): 委 names kept, 市 is Shanghai
    (
        "shanghai-jiading",
        "区科委",
        "shanghai-jiading-science-and-technology",
        "上海市嘉定区科学技术委员会",
    ),
    ("shanghai-jiading", "市商务委", "shanghai-commerce", "上海市商务委员会"),
    (
        "shanghai-jiading",
        "市经信委",
        "shanghai-economy-and-information-technology",
        "上海市经济和信息化委员会",
    ),
    (
        "shanghai-jiading",
        "区建管委",
        "shanghai-jiading-housing-and-urban-rural-development",
        "上海市嘉定区建设和管理委员会",
    ),
    (
        "shanghai-jiading",
        "公安嘉定分局",
        "shanghai-jiading-public-security",
        "上海市公安局嘉定分局",
    ),
    ("shanghai-jiading", "马陆镇", "shanghai-jiading-ma-lu-zhen", "上海市嘉定区马陆镇"),
    (
        "shanghai-jiading",
        "上海市嘉定区人民政府",
        "shanghai-jiading-government",
        "上海市嘉定区人民政府",
    ),
    # 北京市海淀区
    (
        "beijing-haidian",
        "市经济和信息化局",
        "beijing-economy-and-information-technology",
        "北京市经济和信息化局",
    ),
    ("beijing-haidian", "市科委", "beijing-science-and-technology", "北京市科学技术委员会"),
    ("beijing-haidian", "区商务局", "beijing-haidian-commerce", "北京市海淀区商务局"),
    # 广东 广州市天河区
    (
        "guangzhou-tianhe",
        "区工信局",
        "guangzhou-tianhe-economy-and-information-technology",
        "广州市天河区工业和信息化局",
    ),
    (
        "guangzhou-tianhe",
        "省工业和信息化厅",
        "guangdong-economy-and-information-technology",
        "广东省工业和信息化厅",
    ),
    ("guangzhou-tianhe", "区人社局", "guangzhou-tianhe-human-resources-and-social-security", None),
    # 浙江 杭州市西湖区
    (
        "hangzhou-xihu",
        "区经信局",
        "hangzhou-xihu-economy-and-information-technology",
        "杭州市西湖区经济和信息化局",
    ),
    (
        "hangzhou-xihu",
        "省发展改革委",
        "zhejiang-development-and-reform-commission",
        "浙江省发展和改革委员会",
    ),
    ("hangzhou-xihu", "各镇街", "hangzhou-xihu-group-ge-zhen-jie", "杭州市西湖区各镇街"),
    ("hangzhou-xihu", "团区委", "hangzhou-xihu-youth-league", "共青团杭州市西湖区委员会"),
    # 四川 成都市武侯区
    ("chengdu-wuhou", "市公安局武侯分局", "chengdu-wuhou-public-security", "成都市公安局武侯分局"),
    ("chengdu-wuhou", "区卫健局", "chengdu-wuhou-health", None),
    (
        "chengdu-wuhou",
        "区委宣传部",
        "chengdu-wuhou-party-publicity-department",
        "中共成都市武侯区委宣传部",
    ),
    # 江苏 南京市鼓楼区: 鼓楼区 is also in Xuzhou, Fuzhou, Kaifeng
    ("nanjing", "鼓楼区人民政府", "nanjing-gulou-government", "南京市鼓楼区人民政府"),
    ("nanjing-gulou", "区科技局", "nanjing-gulou-science-and-technology", "南京市鼓楼区科学技术局"),
    ("nanjing-gulou", "区总工会", "nanjing-gulou-trade-union", "南京市鼓楼区总工会"),
    # 山东 济南市历下区
    (
        "jinan-lixia",
        "区发展和改革局",
        "jinan-lixia-development-and-reform-commission",
        "济南市历下区发展和改革局",
    ),
    (
        "jinan-lixia",
        "区财政局经建科",
        "jinan-lixia-finance-jing-jian-ke",
        "济南市历下区财政局经建科",
    ),
    ("jinan-lixia", "省自然资源厅", "shandong-natural-resources-and-planning", "山东省自然资源厅"),
]


@pytest.mark.parametrize(("jurisdiction", "surface", "key", "name"), PLANS)
def test_district_plans_across_china(china, jurisdiction, surface, key, name):
    agency = china.resolve(surface, jurisdiction)
    assert agency.key == key
    assert not china.is_minted(agency.key)
    if name is not None:
        assert agency.name_zh == name


def test_documents_of_different_places_share_no_agency(china):
    surfaces = ("市财政局", "市发展改革委", "市公安局", "区财政局", "各街镇", "市委组织部")
    places = ("shanghai-huangpu", "shanghai-jiading", "guangzhou-tianhe", "hangzhou-xihu")
    by_place = {p: {china.resolve(s, p).key for s in surfaces} for p in places}
    # the two Shanghai districts share exactly the municipal bodies
    shared = by_place["shanghai-huangpu"] & by_place["shanghai-jiading"]
    assert shared == {
        "shanghai-finance",
        "shanghai-development-and-reform-commission",
        "shanghai-public-security",
        "shanghai-party-organization-department",
    }
    assert not by_place["shanghai-jiading"] & by_place["guangzhou-tianhe"]
    assert not by_place["guangzhou-tianhe"] & by_place["hangzhou-xihu"]
    # a provincial body named by a city plan is the province's
    assert china.resolve("省经信厅", "wuhan").key == "hubei-economy-and-information-technology"


def test_no_agency_without_a_region_when_the_jurisdiction_is_known(china):
    for surface in ("市留学交流办", "区某某服务中心", "海外人才工作站", "新城公司"):
        agency = china.resolve(surface, "shanghai-qingpu")
        assert agency.region is not None and agency.key.startswith(("shanghai-", "shanghai"))


def test_a_place_alone_is_its_government_and_marks_are_dropped(china):
    assert china.resolve("天河区", "guangzhou").key == "guangzhou-tianhe-government"
    assert china.resolve("县级市", "guangzhou").is_group
    office = china.resolve("#上海市崇明区人民政府办公室", "shanghai-chongming")
    assert office.key == "shanghai-chongming-general-office"
    # a secondary stem keeps its own name; the primary one the level's
    assert china.resolve("市规划局", "guangzhou").name_zh == "广州市规划局"
    assert china.resolve("区国资委", "shanghai-jiading").name_zh == (
        "上海市嘉定区国有资产监督管理委员会"
    )
    # a county's name inside another word is not that county (公安县 is in Hubei)
    branch = china.resolve("公安青浦分局", "shanghai-qingpu")
    assert (branch.key, branch.sub_organization_of) == (
        "shanghai-qingpu-public-security", "shanghai-public-security",
    )  # fmt: skip


def test_a_list_of_names_is_not_one_name():
    """``〈集成电路、汽车产业〉`` is a scope note: a 、 list is never the name of one body."""
    assert not is_agency_name("集成电路、汽车产业")
    assert not is_agency_name("区财政局、区商务委")
    assert is_agency_name("区财政局")


# ------------------------------------------------------------ autonomous regions


def test_a_level_written_as_a_word_is_its_shorthand(res):
    """自治区发展改革委 in a Xinjiang rule is the region's commission, as 省发展改革委 is a
    province's; 自治州财政局 is 州财政局."""
    a = res.resolve("自治区发展改革委", "xinjiang")
    assert a.key == res.resolve("新疆维吾尔自治区发展和改革委员会", "xinjiang").key
    assert a.name_zh == "新疆维吾尔自治区发展和改革委员会"
    assert res.resolve("自治区人民政府", "ningxia").name_zh == "宁夏回族自治区人民政府"
    assert res.resolve("自治州财政局", "enshi").key == res.resolve("州财政局", "enshi").key


def test_an_autonomous_region_calls_itself_qu(res):
    """In a province-level 自治区's own documents 区发改委 is the region's commission; in a
    city's documents it is every district's."""
    assert res.resolve("区发改委", "guangxi").name_zh == "广西壮族自治区发展和改革委员会"
    assert res.resolve("区发改委", "nanning").key != res.resolve("区发改委", "guangxi").key
    assert res.resolve("区发改委", "nanning").key.startswith("nanning-group-")


def test_the_corps_is_a_place_of_its_own(res):
    """兵团 (新疆生产建设兵团) is not a GB/T 2260 division but governs its own bodies."""
    a = res.resolve("兵团发展改革委", "xinjiang")
    assert a.region == "xinjiang-production-construction-corps"
    assert a.name_zh == "新疆生产建设兵团发展和改革委员会"


@pytest.mark.parametrize(("surface", "expected"), [
    ("自治区价格主管部门", True),   # a body named by its function at a level
    ("县级能源主管部门", True),
    ("区备案管理部门", True),
    ("行业主管部门", False),        # the regulators of every industry: no one body
    ("各级行业主管部门", False),
    ("必要时经市发展改革委", False),  # a time adverbial opens no name
    ("各区可", False),  # a subject and its modal: no name ends so
])
def test_function_designated_departments(surface, expected):
    assert is_agency_name(surface) is expected


# ------------------------------------------------------------ central bodies


@pytest.mark.parametrize("jurisdiction", [None, "hubei", "xianyang", "china"])
@pytest.mark.parametrize(
    "forms, name, kind",
    [
        (("国家发展改革委", "国家发改委", "国家发展和改革委员会"), "国家发展和改革委员会",
         "government-department"),
        (("工信部", "工业和信息化部"), "工业和信息化部", "government-department"),
        (("市场监管总局", "国家市场监督管理总局"), "国家市场监督管理总局", "government-department"),
        (("证监会", "中国证监会"), "中国证券监督管理委员会", "government-department"),
        (("中共中央宣传部", "中央宣传部", "中宣部"), "中央宣传部", "party"),
        (("全国总工会",), "中华全国总工会", "mass-organization"),
    ],
)
def test_a_central_body_is_one_body_wherever_it_is_named(res, jurisdiction, forms, name, kind):
    """A ministry is the same body in a State Council notice and in a city's plan, and a
    ministry's 部 is no party department (组织部 is)."""
    found = {res.resolve(f, jurisdiction) for f in forms}
    assert len({a.key for a in found}) == 1
    agency = found.pop()
    assert agency.key.startswith("china-")
    assert (agency.name_zh, agency.kind, agency.region) == (name, kind, "china")
    assert agency.name_en


def test_a_bare_form_a_local_body_shares_stays_local(res):
    """统计局 and 发展改革委 written bare in a provincial plan are the province's own."""
    assert res.resolve("统计局", "hubei").key == "hubei-statistics"
    assert res.resolve("国家统计局", "hubei").key == "china-national-bureau-of-statistics"
    assert res.resolve("发展改革委", "hubei").region == "hubei"


@pytest.mark.parametrize(
    "bare, key",
    [
        ("发展改革委", "china-national-development-and-reform-commission"),
        ("统计局", "china-national-bureau-of-statistics"),
        ("卫生健康委", "china-national-health-commission"),
        ("能源局", "china-national-energy-administration"),
        ("人民银行", "china-peoples-bank-of-china"),
    ],
)
def test_a_bare_form_in_a_national_document_is_the_central_body(res, bare, key):
    """The State Council writes its ministries short (发展改革委、统计局按职责分工负责): in a
    document of the country the bare form is the central body, and the same form in a
    provincial plan stays the province's own."""
    assert res.resolve(bare, "china").key == key
    assert res.resolve(bare, "henan").region == "henan"


def test_a_national_document_builds_no_department_of_the_country(res):
    """The country has no 厅 or 局 of its own: 省发展改革委 in a State Council notice is
    read as it is read without a jurisdiction, never as a body 中华人民共和国发展…."""
    for name in ("省发展改革委", "水务局", "市场监督管理局"):
        agency = res.resolve(name, "china")
        assert agency == res.resolve(name, None)
        assert not agency.name_zh.startswith("中华人民共和国")


def test_central_bodies_make_a_bracket_of_them_a_list_of_bodies():
    """A bracket naming only central regulators is read: each is a known body."""
    names = ("中国证监会", "证监会", "新华社", "共青团中央", "中国科协", "国家金融监督管理总局")
    for name in names:
        assert is_agency_name(name), name


def test_the_former_agriculture_commission_is_the_agriculture_department(res):
    """``省农委`` (农业委员会, before the 2018 reform) is a form of the agriculture
    department type, so a list's shared 省 reaches a bare 农委."""
    assert res.resolve("省农委", "heilongjiang").key == "heilongjiang-agriculture-and-rural-affairs"


@pytest.mark.parametrize(
    "surface, jurisdiction, key",
    [
        ("市发展改革部门", "lanzhou", "lanzhou-development-and-reform-commission"),
        ("县教育行政部门", "lanzhou-yuzhong", "lanzhou-yuzhong-education"),
        ("市场监管部门", "xining", "xining-market-regulation"),
        ("省财政部门", "guizhou", "guizhou-finance"),
    ],
)
def test_a_functional_name_is_the_department_of_its_stem(res, surface, jurisdiction, key):
    """``发展改革部门``, ``教育行政部门``: documents name the competent department by its
    function; at a level that is the level's department of that stem."""
    assert res.resolve(surface, jurisdiction).key == key
    assert is_agency_name(surface.removeprefix("县"))


def test_a_prefectures_short_form_with_its_suffix_is_read_anywhere(res):
    """临夏州 (临夏回族自治州) keeps its level in its short form, so a plan of another
    province names that prefecture's bodies by it, as it does with the full name."""
    agency = res.resolve("临夏州发展改革委", "haidong")
    assert agency.region == "linxia" and agency.name_zh == "临夏回族自治州发展和改革委员会"

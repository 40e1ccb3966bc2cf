"""Canonical agencies: one body per real body, scoped by the document's jurisdiction."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import opencc
import pytest

from extract.agencies import DATA_DIR, AgencyDataError, AgencyResolver, is_group
from extract.regions import Gazetteer

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

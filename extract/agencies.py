"""Canonical agencies: one node per real body, wherever the document comes from.

A plan says ``省经信厅``, a notice ``湖北省经济和信息化厅``, a scraped copy
``省經信廳``: one body. ``市财政局`` in a Guangzhou plan and ``市财政局`` in a
Jiading plan: two bodies (广州市财政局, 上海市财政局). Names in Chinese policy text
are relative to the document, so a mention is resolved against the *jurisdiction*
(a gazetteer region key) of the document it is in.

The grammar of a name is::

    [jurisdiction][party 委 | government 政府 prefix][department stem][suffix][division]

* **jurisdiction** — named (``武汉市``, ``江夏区``, ``葛店经开区``, from the gazetteer)
  or a level shorthand (``省 市 区 县 州``) that walks up from the document's
  jurisdiction to the enclosing region of that level. In a municipality
  (北京, 上海 …) ``市`` is the municipality itself: ``市财政局`` in a Jiading plan is
  上海市财政局. With a known jurisdiction a name is never keyed without one.
* **prefix** — ``委`` right after the region marks a party organ (``市委组织部``),
  ``人民政府``/``政府`` a government body (``省政府国资委``); a lead word is moved
  behind the region (``团区委`` is the 团委 of the district).
* **stem + suffix** — a department type of ``data/departments.tsv``: each row lists
  full stems with their abbreviations (``发展和改革:发展改革,发改``) and the suffix
  classes they take (``委|局``), so 区发改委 = 区发展改革委 = 区发展和改革委员会 are
  one written-form family of one department.
* **division** — what follows a department and ends in 处/科/室 is an internal
  division (``市发展改革委产业处``), an agency of its own with
  ``sub_organization_of`` its parent; ``[region]分局`` after a department (or
  ``公安青浦分局``) is the district branch of the city's department.

**Keys** are ``{region key}-{department key}`` (``shanghai-jiading-finance``), plus
``-{division slug}`` for a division, so whatever variant is written the key is the
same. **Names**: the official name is *not* guessable from one province's pattern —
Hubei says 局 where Shanghai and Beijing say 委 (上海市商务委员会, 上海市经济和信息化
委员会). The rule: the full stem of the written form plus the canonical form of the
written suffix is the official name (``区商务委`` → …商务委员会, never …商务局),
unless the level's default name in the table already contains it (``省政府国资委`` →
湖北省人民政府国有资产监督管理委员会; ``区房管局`` → …住房保障和房屋管理局).
A whole-name alias (``政府办``, ``法院``) takes the level's default name.

Other readings: collective addressees (``各区人民政府``, ``各街镇``, ``成员单位``,
``区属集团``) become groups scoped to a region (``各街镇`` in a Jiading plan and in a
Qingpu plan are two groups); named 街道/镇/乡 (``马陆镇``) are bodies within the
district; named bodies outside any type (state groups, universities) are in
``data/agencies.tsv``; names with a region inside (``人行鄂州市分行``) match
``data/agency_patterns.tsv``. A name none of this explains is still kept: an agency is
minted from the region and the name (:meth:`AgencyResolver.is_minted`).

Everything an agency is (key, names, kind, region, parent) is a pure function of the
surface and the jurisdiction, so the result does not depend on call order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from extract.agency_data import (
    KINDS,
    AgencyDataError,
    Department,
    Form,
    load_departments,
    load_patterns,
    load_rules,
    split_list,
)
from extract.datafiles import read_tsv
from extract.iris import slugify
from extract.model import Agency, Region
from extract.normalize import to_simplified
from extract.regions import CITY_LEVELS, DISTRICT_LEVELS, Gazetteer, default_gazetteer

__all__ = [
    "DATA_DIR", "KINDS", "AgencyDataError", "AgencyResolver", "Department",
    "departments", "is_agency_name", "is_group",
]  # fmt: skip

DATA_DIR = Path(__file__).with_name("data")

# a municipality (北京, 上海 …) is what 市 means in its own districts' documents
_CITY = frozenset(CITY_LEVELS) | {"municipality"}
_PROVINCE = frozenset({"province", "autonomous-region", "municipality"})
_COUNTY = frozenset({"county", "county-city", "autonomous-county", "banner"})
_DISTRICT = frozenset(DISTRICT_LEVELS) | _COUNTY
_PREFIXED = frozenset({"district", "county", "autonomous-county", "banner"})  # not zones
_SHORTHAND_LEVELS = {
    "province": _PROVINCE,
    "city": _CITY,
    "district": frozenset(DISTRICT_LEVELS),
    "county": _COUNTY,
}
_SCOPE_NOTE = re.compile(r"〈[^〉]*〉|<[^>]*>")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"[0-9０-９]")
_EN_HEAD = re.compile(r"\b(Bureau|Department|Administration|Commission|Office|Center)\b")
_MAX_SLUG = 80  # agency names run longer than titles before they need a digest
_MAX_NAME = 40


@dataclass(frozen=True)
class _Parse:
    """A surface split into the region it names (if any) and the rest."""

    region: Region | None
    rest: str
    how: str  # "explicit" | "shorthand" | "below" (区… in a city plan) | "none"


@dataclass(frozen=True)
class _Found:
    agency: Agency
    minted: bool = False
    parents: tuple[Agency, ...] = ()


class AgencyResolver:
    """Resolves surface names to canonical agencies and remembers every form met."""

    def __init__(self, gazetteer: Gazetteer | None = None, data_dir: Path | str = DATA_DIR):
        self.gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        data_dir = Path(data_dir)
        self._rules = load_rules(data_dir / "agency_rules.tsv")
        self._departments, self._gov_forms, self._party_forms = load_departments(
            data_dir / "departments.tsv", self._rules
        )
        self._stems = {
            stem: d.key
            for d in self._departments.values()
            if not d.is_party
            for full, abbreviations in d.stems
            for stem in (full, *abbreviations)
        }
        self._specific, self._specific_full, self._specific_local = self._load_specific(
            data_dir / "agencies.tsv"
        )
        self._patterns = load_patterns(data_dir / "agency_patterns.tsv")
        self._agencies: dict[str, Agency] = {}
        self._labels: dict[str, set[str]] = {}
        self._minted: set[str] = set()
        self._probe: Region | None = None

    def _load_specific(self, path: Path):
        columns = ("key", "name_zh", "name_en", "kind", "region", "aliases", "local_aliases")
        agencies: dict[str, Agency] = {}
        full: dict[str, str] = {}
        local: dict[tuple[str, str], str] = {}
        for row in read_tsv(path, columns, error=AgencyDataError):
            where = row.where
            if row["kind"] not in KINDS:
                raise AgencyDataError(f"{where}: unknown kind {row['kind']!r}")
            if row["region"] and row["region"] not in self.gazetteer:
                raise AgencyDataError(f"{where}: unknown region {row['region']!r}")
            agency = Agency(row["key"], row["name_zh"], row["name_en"] or None, row["kind"],
                            row["region"] or None)  # fmt: skip
            if agency.key in agencies:
                raise AgencyDataError(f"{where}: duplicate key {agency.key!r}")
            agencies[agency.key] = agency
            for alias in (agency.name_zh, *split_list(row["aliases"])):
                if full.get(alias, agency.key) != agency.key:
                    raise AgencyDataError(f"{where}: alias {alias!r} already means {full[alias]!r}")
                full[alias] = agency.key
            for alias in split_list(row["local_aliases"]):
                if not agency.region:
                    raise AgencyDataError(f"{where}: local aliases need a region")
                local[(agency.region, alias)] = agency.key
        return agencies, full, local

    # ------------------------------------------------------------- public API

    def resolve(
        self, surface: str, jurisdiction: str | None = None, original: str | None = None
    ) -> Agency:
        """The canonical agency ``surface`` names in a document of ``jurisdiction``.

        ``original`` is the pre-normalization form (traditional characters, say);
        it is remembered as a label like the surface itself. The parents of a
        division or branch are registered too (:meth:`parents`).
        """
        name = self.normalize(surface)
        if not name:
            raise ValueError(f"empty agency name {surface!r}")
        jur = self.gazetteer.get(jurisdiction) if jurisdiction else None
        found = self._resolve(name, jur)
        for parent in found.parents:
            self._register(parent)
        agency = self._register(found.agency)
        if found.minted:
            self._minted.add(agency.key)
        labels = self._labels[agency.key]
        for form in (name, surface, original):
            form = self._strip(form or "")  # as written (traditional kept), minus notes and 等
            if form:
                labels.add(form)
        return agency

    def _register(self, agency: Agency) -> Agency:
        known = self._agencies.get(agency.key)
        if known is not None and known != agency:
            # two spellings of one body (or a slug collision between two minted names):
            # keep the smaller one so the outcome does not depend on call order
            agency = min(known, agency, key=repr)
        self._agencies[agency.key] = agency
        self._labels.setdefault(agency.key, set())
        return agency

    def parents(self, agency: Agency) -> list[Agency]:
        """The chain of bodies ``agency`` is part of, nearest first."""
        chain = []
        while agency.sub_organization_of:
            agency = self.get(agency.sub_organization_of)
            chain.append(agency)
        return chain

    def alt_labels(self, key: str) -> set[str]:
        """Every surface form that resolved to ``key``, except the preferred name itself."""
        if key not in self._agencies:
            raise KeyError(f"no agency {key!r} has been resolved")
        return self._labels[key] - {self._agencies[key].name_zh}

    def agencies(self) -> list[Agency]:
        """All agencies resolved so far, sorted by key."""
        return [self._agencies[k] for k in sorted(self._agencies)]

    def get(self, key: str) -> Agency:
        try:
            return self._agencies[key]
        except KeyError:
            raise KeyError(f"no agency {key!r} has been resolved") from None

    def is_minted(self, key: str) -> bool:
        """True when ``key`` was made up for a name that no table or rule explains."""
        return key in self._minted

    def normalize(self, surface: str) -> str:
        """Simplified characters, no whitespace, no scope notes, no trailing 等."""
        return self._strip(to_simplified(surface))

    def _strip(self, surface: str) -> str:
        text = _SCOPE_NOTE.sub("", _SPACE.sub("", surface))
        for suffix in self._rules.strip_suffix:
            if text.endswith(suffix) and not self._has_group_suffix(text):
                text = text[: -len(suffix)]
        return text

    def is_group(self, surface: str) -> bool:
        """A collective addressee (各区人民政府, 成员单位, a list) rather than one body."""
        name = self.normalize(surface)
        if any(sep in name for sep in self._rules.group_separator):
            return True
        if self._has_group_suffix(name):
            return True
        candidates = [name]
        parsed = self.gazetteer.match_prefix(name) if name else None
        if parsed:
            candidates.append(parsed[1])
        if name[:1] in self._rules.shorthand:
            candidates.append(name[1:])
        for candidate in list(candidates):  # 区政府各委: the government's 各委
            for word in self._rules.government_words:
                if candidate.startswith(word) and len(candidate) > len(word):
                    candidates.append(candidate[len(word) :])
                    break
        if any(c in self._rules.group_names for c in candidates):
            return True
        return any(c.startswith(p) for c in candidates for p in self._rules.group_prefix)

    def is_agency_name(self, surface: str) -> bool:
        """Whether the grammar reads ``surface`` as a body or a group.

        True for a department (stem + suffix), a party organ, a group form, a named
        街道/镇, a table body, a pattern, or a name ending in a kind suffix (…公司,
        …中心); False for dates, document numbers, scope notes and phrases
        (``相应的管养单位``). Relative names are read against a probe district, so
        the answer needs no jurisdiction.
        """
        name = self.normalize(surface)
        if not name or len(name) > _MAX_NAME or _DIGIT.search(name):
            return False
        if any(ch in self._rules.reject_chars for ch in name):
            return False
        if self.is_group(name):
            return True
        if name.startswith(self._rules.reject_prefix):
            return False
        if self._probe is None:
            self._probe = _probe_district(self.gazetteer)
        found = self._resolve(name, self._probe)
        return not found.minted or self._suffix_kind(found.agency.name_zh) is not None

    # -------------------------------------------------------------- resolving

    def _has_group_suffix(self, name: str) -> bool:
        return any(name.endswith(s) for s in self._rules.group_suffix)

    def _resolve(self, name: str, jur: Region | None) -> _Found:
        if self.is_group(name):
            return _Found(self._group(name, jur))
        found = self._specific_or_pattern(name)
        if found:
            return _Found(found)
        stripped = name
        changed = True
        while changed:
            changed = False
            for prefix in self._rules.strip_prefix:
                if stripped.startswith(prefix) and len(stripped) > len(prefix):
                    stripped, changed = stripped[len(prefix) :], True
        found = self._specific_or_pattern(stripped)
        if found:
            return _Found(found)
        stripped = self._move_lead_word(stripped, jur)
        branch = self._stem_branch(stripped, jur)
        if branch:
            return branch
        parses = list(self._parses(stripped, jur))
        for parse in parses:
            reading = self._resolve_rest(parse.region, parse.rest)
            if reading is not None:
                if parse.how == "below":
                    return _Found(self._below_group(parse, reading.agency, stripped))
                return reading
        return _Found(self._mint(parses[0], stripped), minted=True)

    def _specific_or_pattern(self, name: str) -> Agency | None:
        key = self._specific_full.get(name)
        if key:
            return self._specific[key]
        for pattern in self._patterns:
            match = pattern.regex.match(name)
            if not match:
                continue
            region = self.gazetteer.lookup(match.group("region"))
            if region is None:
                continue
            return Agency(
                key=f"{region.key}-{pattern.key_suffix}",
                name_zh=pattern.name_zh.format(region=region.name_zh),
                name_en=pattern.name_en.format(region_en=region.name_en, adj=_adjective(region)),
                kind=pattern.kind,
                region=region.key,
            )
        return None

    def _move_lead_word(self, name: str, jur: Region | None) -> str:
        """团区委 → 区团委, 共青团上海市委 → 上海市团委: the region goes first."""
        for lead, replacement in self._rules.lead_words.items():
            rest = name[len(lead) :]
            if not name.startswith(lead) or not rest:
                continue
            explicit = self._match_region(rest, jur)
            if explicit:
                return rest[: len(rest) - len(explicit[1])] + replacement + explicit[1]
            if rest[0] in self._rules.shorthand and len(rest) > 1:
                return rest[0] + replacement + rest[1:]
        return name

    def _match_region(self, text: str, jur: Region | None) -> tuple[Region, str] | None:
        """The region named at the start of ``text`` and the rest, innermost first.

        ``上海市嘉定区人民政府`` names 嘉定区 within 上海市. A short name or a county's
        name (鼓楼, 新城, 友谊) is only taken for a region of the document's own
        province: such names repeat across the country and start ordinary words.
        """
        found = self._prefix_region(text, jur)
        while found is not None and found[1]:
            inner = self._prefix_region(found[1], found[0])
            if inner is None or found[0].key not in {a.key for a in self._ancestors(inner[0])}:
                break
            found = inner
        return found

    def _prefix_region(self, text: str, near: Region | None) -> tuple[Region, str] | None:
        match = self.gazetteer.match_prefix(text) if text else None
        if match is None or not match[1]:
            return None
        region, rest = match
        written = text[: len(text) - len(rest)]
        if near is not None:
            province = self.gazetteer.enclosing(near.key, _PROVINCE)
            if province is not None:
                local = _lookup_within(self.gazetteer, written, province.key)
                if local is not None:
                    return local, rest
        if written == region.name_zh and region.level in _PROVINCE | _CITY:
            return region, rest
        if near is None:
            return (region, rest) if written == region.name_zh else None
        ancestors = {a.key for a in self._ancestors(region)} | {region.key}
        province = self.gazetteer.enclosing(near.key, _PROVINCE)
        return (region, rest) if province is None or province.key in ancestors else None

    def _ancestors(self, region: Region) -> list[Region]:
        return self.gazetteer.ancestors(region.key)

    def _parses(self, name: str, jur: Region | None) -> Iterator[_Parse]:
        """Readings of ``name``, most specific first: explicit region, shorthand, none."""
        explicit = self._match_region(name, jur)
        if explicit:
            yield _Parse(explicit[0], explicit[1], "explicit")
            return
        level = self._rules.shorthand.get(name[:1])
        if level and len(name) > 1 and jur is not None:
            region = self.gazetteer.enclosing(jur.key, _SHORTHAND_LEVELS[level])
            if region is not None:
                yield _Parse(region, name[1:], "shorthand")
            elif _below(level, jur):
                yield _Parse(jur, name[1:], "below")  # 区发改委 in a city plan
        yield _Parse(jur, name, "none")

    def _resolve_rest(self, region: Region | None, rest: str) -> _Found | None:
        if region is None or not rest:
            return None
        key = self._specific_local.get((region.key, rest))
        if key:
            return _Found(self._specific[key])
        for word in self._rules.party_words:
            if rest.startswith(word):
                body = rest[len(word) :]
                if not body:
                    return _Found(self._department(region, self._departments["party-committee"]))
                found = self._read_department(region, body, self._party_forms)
                if found:
                    return found
        readings = [rest]  # 政府办 is an alias as written; 政府国资委 is 国资委 of the government
        for word in self._rules.government_words:
            if rest.startswith(word):
                if rest == word:
                    return _Found(self._department(region, self._departments["government"]))
                readings.append(rest[len(word) :])
                break
        for reading in readings:
            for index in (self._gov_forms, self._party_forms):
                found = self._read_department(region, reading, index)
                if found:
                    return found
        for end in range(min(len(rest) - 1, 8), 1, -1):
            dept_key = self._stems.get(rest[:end])
            if dept_key and rest[end:] in self._rules.branch_suffix:
                return self._branch(region, self._departments[dept_key], rest[end:])
        return self._town(region, rest)

    def _read_department(self, region: Region, text: str, index: dict[str, Form]):
        """``text`` as a department form, maybe followed by a division or a branch."""
        form = index.get(text)
        if form is not None:
            return _Found(self._department(region, self._departments[form.department], form))
        for end in range(len(text) - 1, 1, -1):
            form = index.get(text[:end])
            if form is None:
                continue
            parent = self._department(region, self._departments[form.department], form)
            tail = text[end:]
            branch = self._branch(region, self._departments[form.department], tail)
            if branch:
                return branch
            if len(tail) >= 2 and tail.endswith(self._rules.division_suffix):
                division = Agency(
                    key=f"{parent.key}-{slugify(tail, _MAX_SLUG)}",
                    name_zh=parent.name_zh + tail,
                    name_en=None,
                    kind=parent.kind,
                    region=region.key,
                    sub_organization_of=parent.key,
                )
                return _Found(division, parents=(parent,))
            return None
        return None

    def _branch(self, region: Region, dept: Department, tail: str) -> _Found | None:
        """``[district]分局`` after a city department: the district's branch of it."""
        suffix = next((s for s in self._rules.branch_suffix if tail.endswith(s)), None)
        if suffix is None:
            return None
        place = tail[: -len(suffix)]
        if place:
            district = self._district_named(place, region)
            city = region
        else:  # 区公安分局: the branch of the city's department in this district
            district = region if region.level in _DISTRICT else None
            city = self.gazetteer.enclosing(region.parent, _CITY) if region.parent else None
            place = _short_place(district.name_zh) if district else ""
        if district is None or city is None or city.key == district.key:
            return None
        parent = self._department(city, dept)
        branch = replace(
            self._department(district, dept),
            name_zh=parent.name_zh + place + suffix,
            name_en=None,
            sub_organization_of=parent.key,
        )
        return _Found(branch, parents=(parent,))

    def _stem_branch(self, name: str, jur: Region | None) -> _Found | None:
        """``公安青浦分局``: stem, district, 分局 — a branch of the city's department."""
        if jur is None:
            return None
        for end in range(min(len(name) - 1, 8), 1, -1):
            dept_key = self._stems.get(name[:end])
            if dept_key:
                city = self.gazetteer.enclosing(jur.key, _CITY)
                if city is not None:
                    return self._branch(city, self._departments[dept_key], name[end:])
        return None

    def _district_named(self, place: str, within: Region) -> Region | None:
        region = self.gazetteer.lookup(place)
        if region is None or region.level not in _DISTRICT:
            return None
        ancestors = {a.key for a in self.gazetteer.ancestors(region.key)}
        return region if within.key in ancestors else None

    def _town(self, region: Region, rest: str) -> _Found | None:
        """A named 街道/镇/乡 (马陆镇, 打浦桥街道管理办): a body within the district."""
        if region.level not in _DISTRICT and region.level not in _CITY:
            return None
        body = rest
        for office in self._rules.town_office:
            if body.endswith(office) and len(body) > len(office):
                body = body[: -len(office)]
                break
        for suffix in self._rules.town_suffix:
            stem = body[: -len(suffix)]
            if body.endswith(suffix) and 2 <= len(stem) <= 6 and stem[0] not in "各该本":
                return _Found(
                    Agency(
                        key=f"{region.key}-{slugify(body, _MAX_SLUG)}",
                        name_zh=self._full_name(region) + body,
                        name_en=None,
                        kind="government",
                        region=region.key,
                    )
                )
        return None

    def _department(self, region: Region, dept: Department, form: Form | None = None) -> Agency:
        level = _name_level(region)
        template = dept.names[level]
        full = self._full_name(region)
        default = template.replace("{region}", "")
        template_en = dept.names_en[level]
        if form is not None and form.official and not self._is_default(form, default):
            # the written stem's own official name: 商务委 stays a 委员会 (see module doc)
            name_zh = full + form.official
            english = self._rules.suffix_en.get(form.suffix or "")
            if english:
                template_en = _EN_HEAD.sub(english, template_en, count=1)
        else:
            name_zh = template.format(region=full) if "{region}" in template else full + template
        adjective = _adjective(region)
        name_en = (
            template_en.format(adj=adjective, region_en=region.name_en)
            if "{" in template_en
            else f"{adjective} {template_en}"
        )
        return Agency(
            key=f"{region.key}-{dept.key}",
            name_zh=name_zh,
            name_en=name_en,
            kind=dept.kind,
            region=region.key,
            function=dept.key,
        )

    def _is_default(self, form: Form, default: str) -> bool:
        """Whether the written form means the level's default name (发改委 at a province)."""
        if form.official in default:
            return True
        default_cls = next(
            (c for w, c in sorted(self._rules.suffix_forms.items(), key=lambda wc: -len(wc[0]))
             if default.endswith(w)),
            None,
        )  # fmt: skip
        return form.primary and form.suffix == default_cls

    def _full_name(self, region: Region) -> str:
        """武汉市江夏区 rather than 江夏区: district names repeat across the country."""
        if region.level in _PREFIXED and region.parent:
            parent = self.gazetteer.get(region.parent)
            if parent.level in _CITY:
                return parent.name_zh + region.name_zh
        return region.name_zh

    def _group(self, name: str, jur: Region | None) -> Agency:
        explicit = self._match_region(name, jur)
        scope: Region | None
        rest = name
        if explicit:
            scope, rest = explicit
        elif jur is None:
            scope = None
        else:
            scope = self._group_scope(name, jur)
            level = self._rules.shorthand.get(name[:1])
            if level and scope.level in _SHORTHAND_LEVELS[level]:
                rest = name[1:]  # 市工业经济…成员单位 in an Ezhou plan: 鄂州市工业经济…
        if scope is None:
            key = f"group-{slugify(name, _MAX_SLUG)}"
            return Agency(key, name, None, "group", None, is_group=True)
        return Agency(
            key=f"{scope.key}-group-{slugify(rest, _MAX_SLUG)}",
            name_zh=self._full_name(scope) + rest,
            name_en=None,
            kind="group",
            region=scope.key,
            is_group=True,
        )

    def _below_group(self, parse: _Parse, agency: Agency, name: str) -> Agency:
        """``区发改委`` in a city's plan: the districts' 发改委 of the city, one group."""
        jur = parse.region
        level = self._rules.shorthand[name[0]]
        what = agency.function or slugify(parse.rest, _MAX_SLUG)
        full = self._full_name(jur)
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

    def _group_scope(self, name: str, jur: Region) -> Region:
        """The region a group is of: the document's own, unless the name says otherwise.

        各街镇 in a Jiading plan are Jiading's; 各市州 / 省直 are the province's; 各区 /
        县级市 the city's; a leading shorthand (市直, 区属) its level's.
        """
        if any(m in name for m in self._rules.group_province_marker):
            return self.gazetteer.enclosing(jur.key, _PROVINCE) or jur
        level = self._rules.shorthand.get(name[:1])
        if level:
            found = self.gazetteer.enclosing(jur.key, _SHORTHAND_LEVELS[level])
            if found is not None:
                return found
        if any(m in name for m in self._rules.group_own_marker):
            return jur  # 各区属集团 in a Huangpu plan: Huangpu's own groups
        if any(m in name for m in self._rules.group_city_marker):
            return self.gazetteer.enclosing(jur.key, _CITY) or jur
        return jur

    def _mint(self, parse: _Parse, name: str) -> Agency:
        region, rest = parse.region, parse.rest
        party = any(rest.startswith(w) for w in self._rules.party_words) and parse.how != "none"
        name_zh = self._full_name(region) + rest if parse.how == "shorthand" else name
        kind = "party" if party else (self._suffix_kind(name_zh) or "institution")
        if region is not None:
            key = f"{region.key}-{slugify(rest, _MAX_SLUG)}"
        else:
            key = slugify(name, _MAX_SLUG)
        return Agency(key, name_zh, None, kind, region.key if region is not None else None)

    def _suffix_kind(self, name: str) -> str | None:
        for suffix, kind in self._rules.kind_suffix:
            if name.endswith(suffix) and len(name) > len(suffix):
                return kind
        return None


def _below(level: str, jur: Region) -> bool:
    """Whether a ``level`` shorthand names regions below ``jur`` (区 in a city's plan)."""
    if level in ("district", "county"):
        return jur.level in _CITY or jur.level in _PROVINCE
    return level == "city" and jur.level in _PROVINCE and jur.level != "municipality"


def _lookup_within(gazetteer: Gazetteer, name: str, within: str) -> Region | None:
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


def _short_place(name: str) -> str:
    """青浦区 → 青浦: how a branch (上海市公安局青浦分局) names its district."""
    return name[:-1] if len(name) > 2 and name[-1] in "区县" else name


def _name_level(region: Region) -> str:
    """Which official name a department has in ``region``: 厅 (province) or 局 (city) …

    A municipality's departments carry city names (上海市财政局, not …财政厅).
    """
    if region.level in _PROVINCE and region.level != "municipality":
        return "province"
    if region.level in _CITY:
        return "city"
    return "district"


def _adjective(region: Region) -> str:
    """English qualifier for bodies of ``region``: Hubei Provincial, Wuhan Municipal …"""
    if region.level == "province":
        return region.name_en.removesuffix(" Province") + " Provincial"
    if region.level in _CITY and not region.name_en.endswith("Prefecture"):
        return region.name_en.removesuffix(" Municipality") + " Municipal"
    return region.name_en


def _probe_district(gazetteer: Gazetteer) -> Region | None:
    """Some district of some city: what relative names are read against when none is given."""
    for region in gazetteer.regions():
        if region.level in DISTRICT_LEVELS and region.parent:
            if gazetteer.get(region.parent).level in _CITY:
                return region
    return None


@cache
def _default_resolver() -> AgencyResolver:
    return AgencyResolver()


def departments() -> list[Department]:
    """Every department type, sorted by key: the functions agencies share across levels."""
    return sorted(_default_resolver()._departments.values(), key=lambda d: d.key)


def is_group(surface: str) -> bool:
    """Whether ``surface`` names a collective addressee, with the shipped rules."""
    return _default_resolver().is_group(surface)


def is_agency_name(surface: str) -> bool:
    """Whether the agency grammar reads ``surface`` as a body or a group (shipped rules).

    For the assignment step: ``区绿化市容局``, ``各街镇``, ``团区委``, ``马陆镇``,
    ``新城公司`` are names; ``2024—2026年``, ``沪规划资源用〔2020〕351号`` and
    ``相应的管养单位`` are not.
    """
    return _default_resolver().is_agency_name(surface)

"""Canonical agencies: one node per real body, whatever the documents call it.

A plan says ``省经信厅``, a notice ``湖北省经济和信息化厅``, a scraped copy
``省經信廳``: one body. ``市经信局`` in an Ezhou plan and ``市经济和信息化局`` in a
Wuhan plan: two bodies. Names in Chinese policy text are relative to the
document (``省`` is the province of the document, ``市`` its city, ``区`` its
district), so a mention is resolved against the *jurisdiction* of the document
it is in.

A surface name is read as ``[region][委|人民政府]department``:

* the region is named explicitly (``武汉市``, ``江夏区``, ``葛店经开区``, from the
  gazetteer) or by a level shorthand (``省``/``市``/``区``/``县``), which walks up
  from the jurisdiction to the enclosing region of that level;
* ``委`` right after the region marks a party organ (``市委组织部``), a leading
  ``人民政府``/``政府`` a government body (``省政府国资委``);
* the department is a *type* from ``data/departments.tsv`` (经信, 发改, 法院 …)
  whose official name depends on the region's level (厅 for the province, 局 for
  a city).

Named bodies that are not instances of a type (state groups, universities) are
listed in ``data/agencies.tsv``; names with the region inside them (``人行鄂州市
分行``) are matched by the regular expressions of ``data/agency_patterns.tsv``;
the word lists (group markers, shorthands, kind suffixes) are in
``data/agency_rules.tsv``. Collective addressees (``各区人民政府``,
``重点产业链成员单位``) become groups scoped to a region. A name none of this
explains is still kept: a canonical agency is minted from the region and the
name, so no mention is ever dropped, and :meth:`AgencyResolver.is_minted` tells
the two apart.

Everything an agency is (key, names, kind, region) is a pure function of the
surface and the jurisdiction, so the result does not depend on call order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extract.datafiles import DataFileError, read_tsv
from extract.iris import slugify
from extract.model import Agency, Region
from extract.normalize import to_simplified
from extract.regions import CITY_LEVELS, DISTRICT_LEVELS, Gazetteer, default_gazetteer

DATA_DIR = Path(__file__).with_name("data")

KINDS = frozenset(
    {
        "government",
        "government-department",
        "party",
        "court",
        "bank",
        "enterprise",
        "university",
        "management-committee",
        "institution",
        "group",
    }
)

_SHORTHAND_LEVELS = {
    "province": frozenset({"province"}),
    "city": CITY_LEVELS,
    "district": DISTRICT_LEVELS,
    "county": frozenset({"county", "county-city"}),
}
_SCOPE_NOTE = re.compile(r"〈[^〉]*〉|<[^>]*>")
_SPACE = re.compile(r"\s+")
_MAX_SLUG = 80  # agency names run longer than titles before they need a digest


class AgencyDataError(DataFileError):
    """An agency data file is malformed; the message names the file and line."""


def _split(value: str) -> tuple[str, ...]:
    return tuple(_SPACE.sub("", v) for v in value.split("|") if v.strip())


@dataclass(frozen=True)
class Department:
    """A department type (经信, 发改 …) and its official name at each level."""

    key: str
    kind: str
    names: dict[str, str]  # level ("province" | "city" | "district") -> name or template
    names_en: dict[str, str]
    aliases: tuple[str, ...]

    @property
    def is_party(self) -> bool:
        return self.kind == "party"


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    key_suffix: str
    name_zh: str
    name_en: str
    kind: str


@dataclass(frozen=True)
class _Rules:
    strip_prefix: tuple[str, ...]
    strip_suffix: tuple[str, ...]
    shorthand: dict[str, str]  # character -> "province" | "city" | "district" | "county"
    government_words: tuple[str, ...]
    party_words: tuple[str, ...]
    group_prefix: tuple[str, ...]
    group_suffix: tuple[str, ...]
    group_separator: tuple[str, ...]
    group_province_marker: tuple[str, ...]
    kind_suffix: tuple[tuple[str, str], ...]


def _load_rules(path: Path) -> _Rules:
    table: dict[str, list[tuple[str, str]]] = {}
    for row in read_tsv(path, ("rule", "value", "kind"), error=AgencyDataError):
        if row["kind"] and row["kind"] not in KINDS and row["rule"] != "shorthand":
            raise AgencyDataError(f"{row.where}: unknown kind {row['kind']!r}")
        table.setdefault(row["rule"], []).append((row["value"], row["kind"]))

    def values(rule: str) -> tuple[str, ...]:
        # longest first so that 人民政府 is tried before 政府
        return tuple(sorted((v for v, _ in table.get(rule, [])), key=lambda v: (-len(v), v)))

    shorthand = dict(table.get("shorthand", []))
    for char, level in shorthand.items():
        if level not in _SHORTHAND_LEVELS or len(char) != 1:
            raise AgencyDataError(f"{path}: bad shorthand {char!r} -> {level!r}")
    return _Rules(
        strip_prefix=values("strip-prefix"),
        strip_suffix=values("strip-suffix"),
        shorthand=shorthand,
        government_words=values("government-word"),
        party_words=values("party-word"),
        group_prefix=values("group-prefix"),
        group_suffix=values("group-suffix"),
        group_separator=values("group-separator"),
        group_province_marker=values("group-province-marker"),
        kind_suffix=tuple(table.get("kind-suffix", [])),  # file order: first match wins
    )


@dataclass(frozen=True)
class _Parse:
    """A surface split into the region it names (if any) and the rest."""

    region: Region | None
    rest: str
    how: str  # "explicit" | "shorthand" | "none"


class AgencyResolver:
    """Resolves surface names to canonical agencies and remembers every form met."""

    def __init__(self, gazetteer: Gazetteer | None = None, data_dir: Path | str = DATA_DIR):
        self.gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        data_dir = Path(data_dir)
        self._rules = _load_rules(data_dir / "agency_rules.tsv")
        self._departments, self._gov_aliases, self._party_aliases = self._load_departments(
            data_dir / "departments.tsv"
        )
        self._specific, self._specific_full, self._specific_local = self._load_specific(
            data_dir / "agencies.tsv"
        )
        self._patterns = self._load_patterns(data_dir / "agency_patterns.tsv")
        self._agencies: dict[str, Agency] = {}
        self._labels: dict[str, set[str]] = {}
        self._minted: set[str] = set()

    # ------------------------------------------------------------------ data

    def _load_departments(
        self, path: Path
    ) -> tuple[dict[str, Department], dict[str, str], dict[str, str]]:
        columns = (
            "key", "kind", "name_province", "name_city", "name_district",
            "name_en_province", "name_en_city", "name_en_district", "aliases",
        )  # fmt: skip
        departments: dict[str, Department] = {}
        gov: dict[str, str] = {}
        party: dict[str, str] = {}
        for row in read_tsv(path, columns, error=AgencyDataError):
            where = row.where
            if row["kind"] not in KINDS:
                raise AgencyDataError(f"{where}: unknown kind {row['kind']!r}")
            if row["key"] in departments:
                raise AgencyDataError(f"{where}: duplicate department {row['key']!r}")
            if not row["name_province"] or not row["name_en_province"]:
                raise AgencyDataError(f"{where}: province names are required")
            names = {"province": row["name_province"]}
            names["city"] = row["name_city"] or names["province"]
            names["district"] = row["name_district"] or names["city"]
            names_en = {"province": row["name_en_province"]}
            names_en["city"] = row["name_en_city"] or names_en["province"]
            names_en["district"] = row["name_en_district"] or names_en["city"]
            dept = Department(row["key"], row["kind"], names, names_en, _split(row["aliases"]))
            departments[dept.key] = dept
            index = party if dept.is_party else gov
            for alias in dept.aliases:
                if index.get(alias, dept.key) != dept.key:
                    raise AgencyDataError(
                        f"{where}: alias {alias!r} already means {index[alias]!r}"
                    )
                index[alias] = dept.key
        return departments, gov, party

    def _load_specific(
        self, path: Path
    ) -> tuple[dict[str, Agency], dict[str, str], dict[tuple[str, str], str]]:
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
            agency = Agency(
                key=row["key"],
                name_zh=row["name_zh"],
                name_en=row["name_en"] or None,
                kind=row["kind"],
                region=row["region"] or None,
            )
            if agency.key in agencies:
                raise AgencyDataError(f"{where}: duplicate key {agency.key!r}")
            agencies[agency.key] = agency
            for alias in (agency.name_zh, *_split(row["aliases"])):
                if full.get(alias, agency.key) != agency.key:
                    raise AgencyDataError(f"{where}: alias {alias!r} already means {full[alias]!r}")
                full[alias] = agency.key
            for alias in _split(row["local_aliases"]):
                if not agency.region:
                    raise AgencyDataError(f"{where}: local aliases need a region")
                local[(agency.region, alias)] = agency.key
        return agencies, full, local

    def _load_patterns(self, path: Path) -> tuple[_Pattern, ...]:
        columns = ("pattern", "key_suffix", "name_zh", "name_en", "kind")
        patterns = []
        for row in read_tsv(path, columns, error=AgencyDataError):
            try:
                regex = re.compile(row["pattern"])
            except re.error as exc:
                raise AgencyDataError(f"{row.where}: bad pattern: {exc}") from None
            if "region" not in regex.groupindex or row["kind"] not in KINDS:
                raise AgencyDataError(f"{row.where}: needs a (?P<region>…) group and a kind")
            patterns.append(_Pattern(regex, row["key_suffix"], row["name_zh"], row["name_en"],
                                     row["kind"]))  # fmt: skip
        return tuple(patterns)

    # ------------------------------------------------------------- public API

    def resolve(
        self, surface: str, jurisdiction: str | None = None, original: str | None = None
    ) -> Agency:
        """The canonical agency ``surface`` names in a document of ``jurisdiction``.

        ``original`` is the pre-normalization form (traditional characters, say);
        it is remembered as a label like the surface itself.
        """
        name = self.normalize(surface)
        if not name:
            raise ValueError(f"empty agency name {surface!r}")
        jur = self.gazetteer.get(jurisdiction) if jurisdiction else None
        agency = self._resolve(name, jur)
        known = self._agencies.get(agency.key)
        if known is not None and known != agency:
            # only a slug collision between two minted names can get here; keep the
            # smaller one so the outcome does not depend on call order
            agency = min(known, agency, key=repr)
        self._agencies[agency.key] = agency
        labels = self._labels.setdefault(agency.key, set())
        for form in (name, surface, original):
            form = self._strip(form or "")  # as written (traditional kept), minus notes and 等
            if form:
                labels.add(form)
        return agency

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
        return any(c.startswith(p) for c in candidates for p in self._rules.group_prefix)

    # -------------------------------------------------------------- resolving

    def _has_group_suffix(self, name: str) -> bool:
        return any(name.endswith(s) for s in self._rules.group_suffix)

    def _resolve(self, name: str, jur: Region | None) -> Agency:
        if self.is_group(name):
            return self._group(name, jur)
        found = self._specific_or_pattern(name, jur)
        if found:
            return found
        stripped = name
        changed = True
        while changed:
            changed = False
            for prefix in self._rules.strip_prefix:
                if stripped.startswith(prefix) and len(stripped) > len(prefix):
                    stripped, changed = stripped[len(prefix) :], True
        found = self._specific_or_pattern(stripped, jur)
        if found:
            return found
        parses = list(self._parses(stripped, jur))
        for parse in parses:
            agency = self._resolve_rest(parse.region, parse.rest)
            if agency is not None:
                return agency
        return self._mint(parses[0], stripped)

    def _specific_or_pattern(self, name: str, jur: Region | None = None) -> Agency | None:
        key = self._specific_full.get(name)
        if key:
            return self._specific[key]
        for pattern in self._patterns:
            match = pattern.regex.match(name)
            if not match:
                continue
            region = self.gazetteer.lookup(match.group("region"), within=jur.key if jur else None)
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

    def _parses(self, name: str, jur: Region | None) -> Iterator[_Parse]:
        """Readings of ``name``, most specific first: explicit region, shorthand, none."""
        explicit = self.gazetteer.match_prefix(name, within=jur.key if jur else None)
        if explicit:
            yield _Parse(explicit[0], explicit[1], "explicit")
            return
        level = self._rules.shorthand.get(name[:1])
        if level and len(name) > 1 and jur is not None:
            region = self.gazetteer.enclosing(jur.key, _SHORTHAND_LEVELS[level])
            if region is not None:
                yield _Parse(region, name[1:], "shorthand")
        yield _Parse(jur, name, "none")

    def _resolve_rest(self, region: Region | None, rest: str) -> Agency | None:
        if region is None:
            return None
        key = self._specific_local.get((region.key, rest))
        if key:
            return self._specific[key]
        for word in self._rules.party_words:
            if rest.startswith(word):
                body = rest[len(word) :]
                dept_key = self._party_aliases.get(body) if body else "party-committee"
                if dept_key in self._departments:
                    return self._department(region, self._departments[dept_key])
        readings = [rest]  # 政府办 is an alias as written; 政府国资委 is 国资委 of the government
        for word in self._rules.government_words:
            if rest.startswith(word):
                if rest == word:
                    return self._department(region, self._departments["government"])
                readings.append(rest[len(word) :])
                break
        for reading in readings:
            dept_key = self._gov_aliases.get(reading) or self._party_aliases.get(reading)
            if dept_key is not None:
                return self._department(region, self._departments[dept_key])
        return None

    def _department(self, region: Region, dept: Department) -> Agency:
        level = _name_level(region)
        template = dept.names[level]
        full = self._full_name(region)
        name_zh = template.format(region=full) if "{region}" in template else full + template
        template_en = dept.names_en[level]
        adjective = _adjective(region)
        name_en = (
            template_en.format(adj=adjective, region_en=region.name_en)
            if "{" in template_en
            else f"{adjective} {template_en}"
        )
        key = f"{region.key}-{dept.key}"
        return Agency(
            key=key,
            name_zh=name_zh,
            name_en=name_en,
            kind=dept.kind,
            region=region.key,
            function=dept.key,
        )

    def _full_name(self, region: Region) -> str:
        """武汉市江夏区 rather than 江夏区: district names repeat across the country."""
        if region.level in ("district", "county") and region.parent:
            parent = self.gazetteer.get(region.parent)
            if parent.level in CITY_LEVELS:
                return parent.name_zh + region.name_zh
        return region.name_zh

    def _group(self, name: str, jur: Region | None) -> Agency:
        explicit = self.gazetteer.match_prefix(name, within=jur.key if jur else None)
        scope: Region | None
        if explicit:
            scope, rest = explicit
        else:
            rest = name
            if jur is None:
                scope = None
            elif any(m in name for m in self._rules.group_province_marker):
                scope = self.gazetteer.enclosing(jur.key, _SHORTHAND_LEVELS["province"])
            else:
                scope = self.gazetteer.enclosing(jur.key, CITY_LEVELS) or jur
            if scope is not None:
                level = self._rules.shorthand.get(name[:1])
                if level and scope.level in _SHORTHAND_LEVELS[level]:
                    rest = name[1:]  # 市工业经济…成员单位 in an Ezhou plan: 鄂州市工业经济…
        if scope is None:
            key = f"group-{slugify(name, _MAX_SLUG)}"
            return Agency(key, name, None, "group", None, is_group=True)
        return Agency(
            key=f"{scope.key}-group-{slugify(rest, _MAX_SLUG)}",
            name_zh=scope.name_zh + rest,
            name_en=None,
            kind="group",
            region=scope.key,
            is_group=True,
        )

    def _mint(self, parse: _Parse, name: str) -> Agency:
        region, rest = parse.region, parse.rest
        party = any(rest.startswith(w) for w in self._rules.party_words) and parse.how != "none"
        if parse.how == "shorthand":
            name_zh = region.name_zh + rest
        else:
            name_zh = name
        kind = "party" if party else self._guess_kind(name_zh)
        if region is not None:
            key = f"{region.key}-{slugify(rest, _MAX_SLUG)}"
        else:
            key = slugify(name, _MAX_SLUG)
        self._minted.add(key)
        return Agency(
            key=key,
            name_zh=name_zh,
            name_en=None,
            kind=kind,
            region=region.key if region is not None else None,
        )

    def _guess_kind(self, name: str) -> str:
        for suffix, kind in self._rules.kind_suffix:
            if name.endswith(suffix):
                return kind
        return "institution"


def _name_level(region: Region) -> str:
    """Which official name a department has in ``region``: 厅 (province) or 局 (city) …"""
    if region.level == "province":
        return "province"
    if region.level in CITY_LEVELS:
        return "city"
    return "district"


def _adjective(region: Region) -> str:
    """English qualifier for bodies of ``region``: Hubei Provincial, Wuhan Municipal …"""
    if region.level == "province":
        return region.name_en.removesuffix(" Province") + " Provincial"
    if region.level in CITY_LEVELS and not region.name_en.endswith("Prefecture"):
        return region.name_en + " Municipal"
    return region.name_en


@cache
def _default_resolver() -> AgencyResolver:
    return AgencyResolver()


def departments() -> list[Department]:
    """Every department type, sorted by key: the functions agencies share across levels."""
    return sorted(_default_resolver()._departments.values(), key=lambda d: d.key)


def is_group(surface: str) -> bool:
    """Whether ``surface`` names a collective addressee, with the shipped rules."""
    return _default_resolver().is_group(surface)

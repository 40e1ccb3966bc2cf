"""The data the agency grammar reads: department stems, word lists, named bodies.

Three TSV files under ``extract/data/`` describe *kinds* of bodies, never the bodies
of one document:

* ``departments.tsv`` — one row per department type (finance, 发展改革, 绿化市容 …):
  its official name at each level (``name_province``/``name_city``/``name_district``,
  ``{region}`` where the region sits inside the name), its English names, irregular
  whole-name ``aliases`` (``政府办``, ``妇联``), and the *stems* with the *suffixes*
  they take. ``stems`` lists full official stems, each with the abbreviations that
  mean it (``发展和改革:发展改革,发改|…``); ``suffixes`` lists suffix classes
  (``委|局``). Every stem × every written form of a suffix class
  (``委``/``委员会``) is a way of writing the department.
* ``agency_rules.tsv`` — word lists: level shorthands, group markers, suffix classes
  and their written forms, division suffixes, kind suffixes, characters no name has.
* ``agencies.tsv`` / ``agency_patterns.tsv`` — bodies that are not instances of a
  department type (a provincial port group) and names with a region inside them
  (``人行鄂州市分行``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policykg.extract.datafiles import DataFileError, read_tsv
from policykg.extract.model import Agency

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
        "mass-organization",
        "group",
    }
)

_SPACE = re.compile(r"\s+")
# rules whose third column is not an agency kind
_FREE_KIND = frozenset({"shorthand", "suffix", "suffix-en", "lead-word", "grand-city-office",
                        "level-word", "self-shorthand"})
_SHORTHAND_LEVELS = frozenset({"province", "city", "district", "county"})


class AgencyDataError(DataFileError):
    """An agency data file is malformed; the message names the file and line."""


def split_list(value: str) -> tuple[str, ...]:
    return tuple(_SPACE.sub("", v) for v in value.split("|") if v.strip())


@dataclass(frozen=True)
class Department:
    """A department type (经信, 发改 …) and its official name at each level."""

    key: str
    kind: str
    names: dict[str, str]  # level ("province" | "city" | "district") -> name or template
    names_en: dict[str, str]
    aliases: tuple[str, ...]
    stems: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (full stem, abbreviations)
    suffixes: tuple[str, ...] = ()  # suffix classes: 委, 局, 厅, 办, 中心

    @property
    def is_party(self) -> bool:
        return self.kind == "party"


@dataclass(frozen=True)
class Form:
    """One way of writing a department: which one, and the name it implies.

    ``official`` is the full stem plus the canonical form of the written suffix
    (``发改委`` → ``发展和改革委员会``); it is ``None`` for a whole-name alias, whose
    name is the department's name at the region's level.
    """

    department: str
    official: str | None = None
    suffix: str | None = None  # suffix class
    primary: bool = False  # written with the department's first (primary) stem


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    key_suffix: str
    name_zh: str
    name_en: str
    kind: str


@dataclass(frozen=True)
class Rules:
    strip_prefix: tuple[str, ...]
    strip_suffix: tuple[str, ...]
    shorthand: dict[str, str]  # character -> "province" | "city" | "district" | "county"
    government_words: tuple[str, ...]
    party_words: tuple[str, ...]
    lead_words: dict[str, str]  # 团区委: the lead word goes after the region (区 + 团委)
    group_prefix: tuple[str, ...]
    group_suffix: tuple[str, ...]
    group_names: frozenset[str]
    group_separator: tuple[str, ...]
    group_province_marker: tuple[str, ...]
    group_city_marker: tuple[str, ...]
    group_own_marker: tuple[str, ...]
    suffix_forms: dict[str, str]  # written suffix -> class
    suffix_canonical: dict[str, str]  # class -> canonical written form (the longest)
    suffix_en: dict[str, str]
    division_suffix: tuple[str, ...]
    branch_suffix: tuple[str, ...]
    town_suffix: tuple[str, ...]
    town_office: tuple[str, ...]
    reject_chars: frozenset[str]
    reject_prefix: tuple[str, ...]
    reject_words: tuple[str, ...]
    kind_suffix: tuple[tuple[str, str], ...]
    # the 15 副省级市 and the municipalities keep a province's 办公厅 where a city has 办公室
    grand_cities: frozenset[str] = frozenset()
    grand_city_office: tuple[tuple[str, str], ...] = ()  # (a city's suffix, theirs)
    # a level written as a word (自治区发展改革委, 自治州财政局): read as its shorthand (省, 州)
    level_words: tuple[tuple[str, str], ...] = ()
    # a shorthand a region uses of itself (区 in a province-level 自治区's own documents)
    self_shorthand: tuple[tuple[str, str], ...] = ()
    # characters no name ends with: a modal or an adverb after the subject (各区可…, X应…)
    reject_last: frozenset[str] = frozenset()


def load_rules(path: Path) -> Rules:
    table: dict[str, list[tuple[str, str]]] = {}
    for row in read_tsv(path, ("rule", "value", "kind"), error=AgencyDataError):
        if row["kind"] and row["kind"] not in KINDS and row["rule"] not in _FREE_KIND:
            raise AgencyDataError(f"{row.where}: unknown kind {row['kind']!r}")
        table.setdefault(row["rule"], []).append((row["value"], row["kind"]))

    def values(rule: str) -> tuple[str, ...]:
        # longest first so that 人民政府 is tried before 政府
        return tuple(sorted((v for v, _ in table.get(rule, [])), key=lambda v: (-len(v), v)))

    shorthand = dict(table.get("shorthand", []))
    for char, level in shorthand.items():
        if level not in _SHORTHAND_LEVELS or len(char) != 1:
            raise AgencyDataError(f"{path}: bad shorthand {char!r} -> {level!r}")
    for word, char in table.get("level-word", []) + table.get("self-shorthand", []):
        if char not in shorthand and word not in shorthand:
            raise AgencyDataError(f"{path}: {word!r} -> {char!r} names no shorthand")
    suffix_forms = dict(table.get("suffix", []))
    canonical: dict[str, str] = {}
    for form, cls in sorted(suffix_forms.items(), key=lambda fc: (-len(fc[0]), fc[0])):
        canonical.setdefault(cls, form)
    return Rules(
        strip_prefix=values("strip-prefix"),
        strip_suffix=values("strip-suffix"),
        shorthand=shorthand,
        government_words=values("government-word"),
        party_words=values("party-word"),
        lead_words=dict(sorted(table.get("lead-word", []), key=lambda v: -len(v[0]))),
        group_prefix=values("group-prefix"),
        group_suffix=values("group-suffix"),
        group_names=frozenset(values("group-name")),
        group_separator=values("group-separator"),
        group_province_marker=values("group-province-marker"),
        group_city_marker=values("group-city-marker"),
        group_own_marker=values("group-own-marker"),
        suffix_forms=suffix_forms,
        suffix_canonical=canonical,
        suffix_en=dict(table.get("suffix-en", [])),
        division_suffix=values("division-suffix"),
        branch_suffix=values("branch-suffix"),
        town_suffix=values("town-suffix"),
        town_office=values("town-office"),
        reject_chars=frozenset(values("reject-char")),
        reject_prefix=values("reject-prefix"),
        reject_words=values("reject-word"),
        kind_suffix=tuple(table.get("kind-suffix", [])),  # file order: first match wins
        grand_cities=frozenset(values("grand-city")),
        grand_city_office=tuple(table.get("grand-city-office", [])),
        level_words=tuple(sorted(table.get("level-word", []), key=lambda v: (-len(v[0]), v[0]))),
        self_shorthand=tuple(table.get("self-shorthand", [])),
        reject_last=frozenset(values("reject-last")),
    )


def _stems(value: str, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    stems = []
    for group in split_list(value):
        full, _, abbreviations = group.partition(":")
        if not full:
            raise AgencyDataError(f"{where}: empty stem in {value!r}")
        stems.append((full, tuple(a for a in abbreviations.split(",") if a)))
    return tuple(stems)


def load_departments(path: Path, rules: Rules) -> tuple[dict[str, Department], dict, dict]:
    """Departments by key, and two form indexes (government, party): written form → Form.

    A stem × suffix form wins over a whole-name alias of the same department (it
    knows its official name); the same spelling for two departments is refused.
    """
    columns = (
        "key", "kind", "name_province", "name_city", "name_district",
        "name_en_province", "name_en_city", "name_en_district", "aliases", "stems", "suffixes",
    )  # fmt: skip
    departments: dict[str, Department] = {}
    gov: dict[str, Form] = {}
    party: dict[str, Form] = {}
    generated: list[tuple[str, Form, str, dict[str, Form]]] = []
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
        suffixes = split_list(row["suffixes"])
        for cls in suffixes:
            if cls not in rules.suffix_canonical:
                raise AgencyDataError(f"{where}: unknown suffix class {cls!r}")
        dept = Department(
            row["key"], row["kind"], names, names_en, split_list(row["aliases"]),
            _stems(row["stems"], where), suffixes,
        )  # fmt: skip
        departments[dept.key] = dept
        index = party if dept.is_party else gov
        for alias in dept.aliases:
            known = index.get(alias)
            if known is not None and known.department != dept.key:
                raise AgencyDataError(
                    f"{where}: alias {alias!r} already means {known.department!r}"
                )
            index[alias] = Form(dept.key)
        for n, (full, abbreviations) in enumerate(dept.stems):
            for cls in suffixes:
                value = Form(dept.key, full + rules.suffix_canonical[cls], cls, primary=n == 0)
                for stem in (full, *abbreviations):
                    for written, written_cls in rules.suffix_forms.items():
                        if written_cls == cls:
                            generated.append((stem + written, value, where, index))
    seen: set[tuple[int, str]] = set()
    for form, value, where, index in generated:
        known = index.get(form)
        if known is not None and known.department != value.department:
            raise AgencyDataError(f"{where}: {form!r} already means {known.department!r}")
        if (id(index), form) not in seen:  # the first stem that writes a form keeps it
            index[form] = value
            seen.add((id(index), form))
    return departments, gov, party


def load_patterns(path: Path) -> tuple[Pattern, ...]:
    columns = ("pattern", "key_suffix", "name_zh", "name_en", "kind")
    patterns = []
    for row in read_tsv(path, columns, error=AgencyDataError):
        try:
            regex = re.compile(row["pattern"])
        except re.error as exc:
            raise AgencyDataError(f"{row.where}: bad pattern: {exc}") from None
        if "region" not in regex.groupindex or row["kind"] not in KINDS:
            raise AgencyDataError(f"{row.where}: needs a (?P<region>…) group and a kind")
        patterns.append(
            Pattern(regex, row["key_suffix"], row["name_zh"], row["name_en"], row["kind"])
        )
    return tuple(patterns)


def strip_prefixes(name: str, prefixes: tuple[str, ...]) -> str:
    """``name`` without the leading ``prefixes``, as many as stand there, each stripped
    only while something is left after it (``中共某市委`` → ``某市委``; ``各相关`` → ``相关``)."""
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                name, changed = name[len(prefix):], True
    return name


def load_specific(paths: tuple[Path, ...], regions) -> tuple[dict, dict, dict]:
    """Named bodies: by key, full name or alias → key, (region key, local alias) → key.

    ``paths`` are files of the same columns read as one table (the provinces' named
    bodies, ``central_bodies.tsv``), so a key or an alias is unique across all of them.
    ``regions`` is anything that answers ``key in regions`` (the gazetteer).
    """
    columns = ("key", "name_zh", "name_en", "kind", "region", "aliases", "local_aliases")
    agencies: dict[str, Agency] = {}
    full: dict[str, str] = {}
    local: dict[tuple[str, str], str] = {}
    rows = [row for path in paths for row in read_tsv(path, columns, error=AgencyDataError)]
    for row in rows:
        where = row.where
        if row["kind"] not in KINDS:
            raise AgencyDataError(f"{where}: unknown kind {row['kind']!r}")
        if row["region"] and row["region"] not in regions:
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

"""The gazetteer: every administrative division of China, plus the zones that issue documents.

Policy documents name places by full official names (上海市嘉定区), short names (嘉定),
zone nicknames (东湖高新区), brands (中国光谷) and one-character 简称 in 文号 (沪, 鄂).
Two tables give every region a stable ASCII key and list those names, so every step
(jurisdiction, agency scope, targets, task regions) agrees on which place is meant:
``extract/data/regions.tsv``, generated from the GB/T 2260 code table by
``extract/data/make_regions.py`` (3,210 divisions: province, prefecture and county level),
and ``extract/data/zones.tsv``, hand-curated development zones, national-level new areas
and special zones.

Matching is exact on names and aliases after stripping whitespace; there is no fuzzy
matching because a wrong region is worse than none. With a whole country, names repeat
(朝阳区 in Beijing and in Changchun, four 鼓楼区), so a name resolves to a region only when
it is unique, or unique inside the region the caller says it reads in (``within``: the
document's jurisdiction), or unique at the highest level among its bearers (吉林 is the
province before the city); otherwise to nothing, never to an arbitrary pick. For precision in
running text (:meth:`Gazetteer.find_in`) full names match everywhere, short names of
provinces, prefectures and zones everywhere, but the short names of county-level divisions
(嘉定, 黄陂) only when reading inside their parent; words of ``region_words.tsv`` that are
also ordinary words (公安, 朝阳产业, 黄浦江) are never taken for places. One-character
简称 are kept out of text matching altogether (鄂 is part of countless words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from policykg.extract.datafiles import DATA_DIR, DataFileError, read_tsv
from policykg.extract.model import Region, Span

DEFAULT_PATH = DATA_DIR / "regions.tsv"
ZONES_PATH = DATA_DIR / "zones.tsv"
COUNTRY_PATH = DATA_DIR / "country.tsv"
WORDS_PATH = DATA_DIR / "region_words.tsv"

LEVELS = (
    "country",
    "province",
    "municipality",
    "prefecture",
    "county-city",
    "county",
    "district",
    "new-area",
    "development-zone",
    "special-zone",
)
"""Region levels, highest first. A municipality (直辖市: 北京 天津 上海 重庆) is provincial.
The country is the jurisdiction of national documents only: no name of it is indexed."""

NATIONAL_LEVELS = frozenset({"country"})

PROVINCIAL_LEVELS = frozenset({"province", "municipality"})
PREFECTURAL_LEVELS = frozenset({"prefecture"})
COUNTY_LEVELS = frozenset({"county-city", "county", "district"})
ZONE_LEVELS = frozenset({"new-area", "development-zone", "special-zone"})
DIVISION_LEVELS = PROVINCIAL_LEVELS | PREFECTURAL_LEVELS | COUNTY_LEVELS
"""Levels of official divisions, which carry a GB/T 2260 code; zones may have none."""

CITY_LEVELS = frozenset({"municipality", "prefecture", "county-city"})
"""Levels a ``市`` shorthand (市经信局) refers to: 市财政局 in a Shanghai plan is 上海市财政局."""

DISTRICT_LEVELS = frozenset({"district", "development-zone", "new-area", "special-zone"})
"""Levels a ``区`` shorthand (区人民政府) refers to, districts of municipalities included."""

_RANK = {
    **dict.fromkeys(NATIONAL_LEVELS, -1),
    **dict.fromkeys(PROVINCIAL_LEVELS, 0),
    **dict.fromkeys(PREFECTURAL_LEVELS, 1),
    **dict.fromkeys(COUNTY_LEVELS, 2),
    **dict.fromkeys(ZONE_LEVELS, 3),
}
_COLUMNS = (
    "key", "code", "name_zh", "name_en", "level", "parent", "wikidata", "aliases", "abbreviations",
)  # fmt: skip
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_CODE = re.compile(r"^[1-9][0-9]{5}$")
_SPACE = re.compile(r"\s+")
_FULL_FORM = re.compile(r"..+[省市州盟县旗区]$")  # 长阳县, 恩施州: a short form with its suffix


class GazetteerError(DataFileError):
    """The gazetteer file is malformed; the message names the line."""


def _clean(name: str) -> str:
    return _SPACE.sub("", name)


def _region(row, where: str) -> Region:
    key, code, name_zh, name_en, level, parent, qid, aliases, abbreviations = (
        row[c] for c in _COLUMNS
    )
    if not _KEY.match(key):
        raise GazetteerError(f"{where}: key {key!r} is not an ASCII slug")
    if level not in LEVELS:
        raise GazetteerError(f"{where}: unknown level {level!r}")
    if qid and not _QID.match(qid):
        raise GazetteerError(f"{where}: bad Wikidata id {qid!r}")
    if code and not _CODE.match(code):
        raise GazetteerError(f"{where}: division code {code!r} is not 6 digits")
    if level in DIVISION_LEVELS and not code:
        raise GazetteerError(f"{where}: the {level} {name_zh!r} has no division code")
    alias_list = tuple(dict.fromkeys(_clean(a) for a in aliases.split("|") if a.strip()))
    for name in (_clean(name_zh), *alias_list):
        if len(name) < 2:
            raise GazetteerError(f"{where}: name {name!r} is too short to match")
    abbr = tuple(a for a in abbreviations.split("|") if a.strip())
    if any(len(a) != 1 for a in abbr):
        raise GazetteerError(f"{where}: an abbreviation is one character, not {abbr!r}")
    return Region(
        key=key,
        name_zh=_clean(name_zh),
        name_en=name_en,
        level=level,
        parent=parent or None,
        wikidata=qid or None,
        aliases=alias_list,
        code=code or None,
        abbreviations=abbr,
    )


def _read_regions(path: Path) -> list[tuple[Region, str]]:
    rows = read_tsv(path, error=GazetteerError)
    header = tuple(rows[0]) if rows else _COLUMNS
    if header not in (_COLUMNS, (*_COLUMNS, "source")):
        raise GazetteerError(f"{path}: header must be {' | '.join(_COLUMNS)} [| source]")
    return [(_region(row, row.where), row.where) for row in rows]


def _read_words(path: Path | None) -> tuple[frozenset[str], frozenset[str]]:
    if path is None:
        return frozenset(), frozenset()
    rows = read_tsv(path, ("word", "kind", "note"), error=GazetteerError)
    for row in rows:
        if row["kind"] not in ("name", "phrase"):
            raise GazetteerError(f"{row.where}: kind must be name or phrase")
    names = frozenset(_clean(r["word"]) for r in rows if r["kind"] == "name")
    return names, frozenset(_clean(r["word"]) for r in rows if r["kind"] == "phrase")


@dataclass(frozen=True)
class Gazetteer:
    """All regions, indexed by key, code, 简称 and every name they are known by."""

    _by_key: dict[str, Region]
    _by_name: dict[str, tuple[str, ...]]  # name or alias -> keys, sorted
    _global: frozenset[tuple[str, str]]  # (name, key) matched in text everywhere
    _up: dict[str, tuple[str, ...]]  # key -> ancestor keys, nearest first
    _children: dict[str, tuple[str, ...]]
    _by_code: dict[str, str]
    _by_abbreviation: dict[str, tuple[str, ...]]
    _lengths: dict[str, tuple[int, ...]]  # first character -> name lengths, longest first
    _not_names: frozenset[str]  # region_words.tsv kind=name
    _phrases: frozenset[str]  # region_words.tsv kind=phrase

    @classmethod
    def load(cls, *paths: Path | str, words: Path | str | None = WORDS_PATH) -> Gazetteer:
        """Read and check the tables (default: regions.tsv, zones.tsv and country.tsv): unique keys,
        codes and full names under one parent, known parents and levels, no cycles."""
        files = [Path(p) for p in paths] or [DEFAULT_PATH, ZONES_PATH, COUNTRY_PATH]
        by_key: dict[str, Region] = {}
        for path in files:
            for region, where in _read_regions(path):
                if region.key in by_key:
                    raise GazetteerError(f"{where}: duplicate key {region.key!r}")
                by_key[region.key] = region
        not_names, phrases = _read_words(Path(words) if words is not None else None)
        return cls._index(by_key, not_names, phrases, files[0])

    @classmethod
    def _index(cls, by_key, not_names, phrases, path) -> Gazetteer:
        by_name: dict[str, set[str]] = {}
        global_names: set[tuple[str, str]] = set()
        children: dict[str, list[str]] = {}
        by_code: dict[str, str] = {}
        by_abbr: dict[str, list[str]] = {}
        full_names: dict[tuple[str | None, str], str] = {}
        for key, r in by_key.items():
            if r.parent is not None and r.parent not in by_key:
                raise GazetteerError(f"{path}: parent {r.parent!r} of {key!r} unknown")
            other = full_names.setdefault((r.parent, r.name_zh), key)
            if other != key:
                raise GazetteerError(f"{path}: name {r.name_zh!r} already names {other!r}")
            if r.code:
                if by_code.setdefault(r.code, key) != key:
                    raise GazetteerError(f"{path}: code {r.code} of {key!r} already used")
            if r.parent:
                children.setdefault(r.parent, []).append(key)
            if r.level in NATIONAL_LEVELS:
                continue  # 中国 and 中华人民共和国 are in names of laws and bodies, not places
            for a in r.abbreviations:
                by_abbr.setdefault(a, []).append(key)
            for name in (r.name_zh, *r.aliases):
                by_name.setdefault(name, set()).add(key)
                local = r.level in COUNTY_LEVELS and name != r.name_zh
                if not local or _FULL_FORM.match(name):
                    global_names.add((name, key))
        up: dict[str, tuple[str, ...]] = {}
        for key in by_key:
            chain, seen, parent = [], {key}, by_key[key].parent
            while parent is not None:
                if parent in seen:
                    raise GazetteerError(f"parent cycle through {parent!r}")
                seen.add(parent)
                chain.append(parent)
                parent = by_key[parent].parent
            up[key] = tuple(chain)
        lengths: dict[str, set[int]] = {}
        for name in [*by_name, *phrases]:
            lengths.setdefault(name[0], set()).add(len(name))
        return cls(
            by_key,
            {n: tuple(sorted(ks)) for n, ks in by_name.items()},
            frozenset(global_names),
            up,
            {k: tuple(sorted(v)) for k, v in children.items()},
            by_code,
            {a: tuple(sorted(v)) for a, v in by_abbr.items()},
            {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()},
            not_names,
            phrases,
        )

    # ------------------------------------------------------------------ by key

    def get(self, key: str) -> Region:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no region with key {key!r} in the gazetteer") from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def regions(self) -> list[Region]:
        """All regions sorted by key."""
        return [self._by_key[k] for k in sorted(self._by_key)]

    @cached_property
    def country(self) -> Region | None:
        """The country (country.tsv): the jurisdiction of national documents, if loaded."""
        return next((r for r in self._by_key.values() if r.level in NATIONAL_LEVELS), None)

    def names(self, key: str) -> tuple[str, ...]:
        """Full name first, then aliases."""
        region = self.get(key)
        return (region.name_zh, *region.aliases)

    def by_code(self, code: str) -> Region | None:
        """The division of a GB/T 2260 code (``"310114"`` → 嘉定区)."""
        key = self._by_code.get(code.strip())
        return self._by_key[key] if key else None

    def children(self, key: str) -> list[Region]:
        """The regions directly within ``key``, sorted by key."""
        self.get(key)
        return [self._by_key[k] for k in self._children.get(key, ())]

    def ancestors(self, key: str) -> list[Region]:
        """Parent, grandparent, … up to the root (the region itself excluded)."""
        self.get(key)
        return [self._by_key[k] for k in self._up[key]]

    def with_ancestors(self, keys) -> list[Region]:
        """The regions of ``keys`` (unknown ones skipped) and all their ancestors, by key."""
        found = {k for k in keys if k in self._by_key}
        found |= {a for k in list(found) for a in self._up[k]}
        return [self._by_key[k] for k in sorted(found)]

    def enclosing(self, key: str, levels: frozenset[str] | set[str]) -> Region | None:
        """The region itself or its nearest ancestor whose level is one of ``levels``."""
        for region in (self.get(key), *self.ancestors(key)):
            if region.level in levels:
                return region
        return None

    def is_within(self, key: str, scope: str) -> bool:
        """``key`` is ``scope`` or lies inside it."""
        return key == scope or scope in self._up.get(key, ())

    # ----------------------------------------------------------------- by name

    def lookup(self, name: str, within: str | None = None) -> Region | None:
        """The region whose full name or alias is exactly ``name`` (whitespace ignored).

        A name several regions bear resolves inside ``within`` (a region key: the
        nearest of ``within`` and its ancestors that holds some of them decides), else
        to the single highest-level bearer (吉林 → the province), else to None.
        """
        key = self._pick(self._by_name.get(_clean(name), ()), name, within)
        return self._by_key[key] if key else None

    def find_in(self, text: str, within: str | None = None) -> list[tuple[str, Span]]:
        """Every region mention, scanning left to right and taking the longest name.

        Matches never overlap, so 武汉东湖新技术开发区 is one zone mention, not also a
        mention of 武汉; a name that stays ambiguous (朝阳区 with no ``within``) is
        skipped as a whole, and so is a phrase of ``region_words.tsv`` (黄浦江).
        """
        ends_at: dict[int, list[int]] = {}
        for _, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            ends_at.setdefault(start, []).append(end)
        found: list[tuple[str, Span]] = []
        i = 0
        for start in sorted(ends_at):
            if start < i:  # inside the mention taken before
                continue
            for end in sorted(ends_at[start], reverse=True):  # the longest name first
                s = text[start:end]
                if s in self._phrases:
                    i = end
                    break
                keys = self._visible(s, within)
                if keys:
                    key = self._pick(keys, s, within)
                    if key:
                        found.append((key, Span(start, end)))
                    i = end
                    break
        return found

    @cached_property
    def _automaton(self):
        """Every name and phrase, as one Aho–Corasick automaton (``ahocorasick_rs``).

        Why: trying each name length at each character in Python cost a quarter of the
        gazetteer's time in a build (issue 11); the automaton reports every name occurring
        in the text in one pass in Rust, and the scan above then only visits the positions
        where a name starts, in the same order and with the same choices as before."""
        import ahocorasick_rs

        return ahocorasick_rs.AhoCorasick(sorted({*self._by_name, *self._phrases}),
                                          matchkind=ahocorasick_rs.MatchKind.Standard)

    def __getstate__(self) -> dict:
        """Pickled (for the build's worker processes) without the automaton: each process
        builds its own on first use."""
        state = dict(self.__dict__)
        state.pop("_automaton", None)
        return state

    def match_prefix(self, text: str, within: str | None = None) -> tuple[Region, str] | None:
        """The region named at the very start of ``text`` (longest name) and the rest."""
        text = _clean(text)
        for length in self._lengths.get(text[:1], ()):
            keys = self._by_name.get(text[:length])
            if keys:
                key = self._pick(keys, text[:length], within)
                return (self._by_key[key], text[length:]) if key else None
        return None

    def _visible(self, name: str, within: str | None) -> tuple[str, ...]:
        """Bearers of ``name`` that running text may mean: global names, and short names of
        county-level divisions when ``within`` lies inside their parent."""
        keys = self._by_name.get(name)
        if not keys or name in self._not_names:
            return ()
        return tuple(
            k
            for k in keys
            if (name, k) in self._global
            or (within is not None and self.is_within(within, self._by_key[k].parent or k))
        )

    def _pick(self, keys: tuple[str, ...], name: str, within: str | None) -> str | None:
        if len(keys) <= 1:
            return keys[0] if keys else None
        if within is not None and within in self._by_key:
            for scope in (within, *self._up[within]):
                inside = [k for k in keys if self.is_within(k, scope)]
                if inside:
                    return self._highest(inside)
        everywhere = [k for k in keys if (_clean(name), k) in self._global]
        return self._highest(everywhere or list(keys))

    def _highest(self, keys: list[str]) -> str | None:
        """The one bearer of the highest level, or None on a tie."""
        if len(keys) == 1:
            return keys[0]
        ranks = sorted((_RANK[self._by_key[k].level], k) for k in keys)
        return ranks[0][1] if ranks[0][0] < ranks[1][0] else None

    # --------------------------------------------------------- by abbreviation

    def by_abbreviation(self, char: str, within: str | None = None) -> list[Region]:
        """Regions whose one-character 简称 is ``char`` (沪 → Shanghai, 宁 → Ningxia and
        Nanjing); with ``within``, those on its line: itself, ancestors, descendants."""
        keys = self._by_abbreviation.get(char.strip(), ())
        if within is not None:
            keys = tuple(k for k in keys if self.is_within(k, within) or self.is_within(within, k))
        return [self._by_key[k] for k in keys]

    def initial_child(self, parent_key: str, char: str) -> Region | None:
        """The one official division directly within ``parent_key`` whose name starts with
        ``char``: 文号 prefixes of districts use it (嘉府办发 → 嘉定区 in Shanghai)."""
        hits = [
            r
            for r in self.children(parent_key)
            if r.code and any(n.startswith(char) for n in (r.name_zh, *r.aliases))
        ]
        return hits[0] if len(hits) == 1 else None


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped data files, loaded once per process."""
    return Gazetteer.load()

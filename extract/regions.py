"""The gazetteer: Hubei's administrative divisions and development zones.

Policy documents name places by full official names (武汉市), short names (武汉),
zone nicknames (东湖高新区) and brands (中国光谷). One table,
``extract/data/regions.tsv``, gives every region a stable ASCII key and lists
those names, so every step (jurisdiction, agency scope, targets, task regions)
agrees on which place is meant. The table is data: adding a county is a new
line, not new code.

Matching is exact on names and aliases after stripping whitespace; there is no
fuzzy matching because a wrong region is worse than none. Aliases shorter than
two characters are refused (鄂 alone is the province's abbreviation but also
part of countless words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extract.datafiles import DataFileError, read_tsv
from extract.model import Region, Span

DEFAULT_PATH = Path(__file__).with_name("data") / "regions.tsv"

LEVELS = (
    "province",
    "prefecture",
    "county-city",
    "county",
    "district",
    "development-zone",
    "new-area",
)
"""Region levels, highest first."""

CITY_LEVELS = frozenset({"prefecture", "county-city"})
"""Levels a ``市`` shorthand (市经信局) refers to."""

DISTRICT_LEVELS = frozenset({"district", "development-zone", "new-area"})
"""Levels a ``区`` shorthand (区人民政府) refers to."""

_COLUMNS = ("key", "name_zh", "name_en", "level", "parent", "wikidata", "aliases")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_SPACE = re.compile(r"\s+")


class GazetteerError(DataFileError):
    """The gazetteer file is malformed; the message names the line."""


def _clean(name: str) -> str:
    return _SPACE.sub("", name)


@dataclass(frozen=True)
class Gazetteer:
    """All regions, indexed by key and by every name they are known by."""

    _by_key: dict[str, Region]
    _by_name: dict[str, str]  # name or alias -> key
    _by_first: dict[str, tuple[str, ...]]  # first character -> names, longest first

    @classmethod
    def load(cls, path: Path | str = DEFAULT_PATH) -> Gazetteer:
        """Read and check the TSV: unique keys and names, known parents and levels."""
        path = Path(path)
        by_key: dict[str, Region] = {}
        by_name: dict[str, str] = {}
        for row in read_tsv(path, _COLUMNS, error=GazetteerError):
            key, name_zh, name_en, level, parent, qid, aliases = row.values()
            where = row.where
            if not _KEY.match(key):
                raise GazetteerError(f"{where}: key {key!r} is not an ASCII slug")
            if key in by_key:
                raise GazetteerError(f"{where}: duplicate key {key!r}")
            if level not in LEVELS:
                raise GazetteerError(f"{where}: unknown level {level!r}")
            if qid and not _QID.match(qid):
                raise GazetteerError(f"{where}: bad Wikidata id {qid!r}")
            alias_list = tuple(_clean(a) for a in aliases.split("|") if a.strip())
            region = Region(
                key=key,
                name_zh=_clean(name_zh),
                name_en=name_en,
                level=level,
                parent=parent or None,
                wikidata=qid or None,
                aliases=alias_list,
            )
            for name in (region.name_zh, *alias_list):
                if len(name) < 2:
                    raise GazetteerError(f"{where}: name {name!r} is too short to match")
                if by_name.get(name, key) != key:
                    raise GazetteerError(
                        f"{where}: name {name!r} already names {by_name[name]!r}"
                    )
                by_name[name] = key
            by_key[key] = region
        for region in by_key.values():
            if region.parent is not None and region.parent not in by_key:
                raise GazetteerError(f"{path}: parent {region.parent!r} of {region.key!r} unknown")
        by_first: dict[str, list[str]] = {}
        for name in by_name:
            by_first.setdefault(name[0], []).append(name)
        first = {c: tuple(sorted(ns, key=lambda n: (-len(n), n))) for c, ns in by_first.items()}
        gazetteer = cls(by_key, by_name, first)
        for key in by_key:
            gazetteer.ancestors(key)  # refuses parent cycles at load time
        return gazetteer

    def get(self, key: str) -> Region:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no region with key {key!r} in the gazetteer") from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def lookup(self, name: str) -> Region | None:
        """The region whose full name or alias is exactly ``name`` (whitespace ignored)."""
        key = self._by_name.get(_clean(name))
        return self._by_key[key] if key else None

    def names(self, key: str) -> tuple[str, ...]:
        """Full name first, then aliases."""
        region = self.get(key)
        return (region.name_zh, *region.aliases)

    def find_in(self, text: str) -> list[tuple[str, Span]]:
        """Every region mention, scanning left to right and taking the longest name.

        Matches never overlap, so 武汉东湖新技术开发区 is one zone mention, not also
        a mention of 武汉.
        """
        found: list[tuple[str, Span]] = []
        i = 0
        while i < len(text):
            for name in self._by_first.get(text[i], ()):
                if text.startswith(name, i):
                    found.append((self._by_name[name], Span(i, i + len(name))))
                    i += len(name)
                    break
            else:
                i += 1
        return found

    def match_prefix(self, text: str) -> tuple[Region, str] | None:
        """The region named at the very start of ``text`` (longest name) and the rest."""
        text = _clean(text)
        for name in self._by_first.get(text[:1], ()):
            if text.startswith(name):
                return self._by_key[self._by_name[name]], text[len(name) :]
        return None

    def regions(self) -> list[Region]:
        """All regions sorted by key."""
        return [self._by_key[k] for k in sorted(self._by_key)]

    def ancestors(self, key: str) -> list[Region]:
        """Parent, grandparent, … up to the root (the region itself excluded)."""
        chain: list[Region] = []
        seen = {key}
        parent = self.get(key).parent
        while parent is not None:
            if parent in seen:
                raise GazetteerError(f"parent cycle through {parent!r}")
            seen.add(parent)
            region = self.get(parent)
            chain.append(region)
            parent = region.parent
        return chain

    def enclosing(self, key: str, levels: frozenset[str] | set[str]) -> Region | None:
        """The region itself or its nearest ancestor whose level is one of ``levels``."""
        for region in (self.get(key), *self.ancestors(key)):
            if region.level in levels:
                return region
        return None


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped data file, loaded once per process."""
    return Gazetteer.load()

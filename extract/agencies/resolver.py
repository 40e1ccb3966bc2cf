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
unless the form is the department's *primary* stem with the suffix class of the level's
default name, which then stands (``省政府国资委`` → 湖北省人民政府国有资产监督管理委员会;
``区房管局`` → …住房保障和房屋管理局; but ``区商务委`` where the default is 商务局, or
the secondary stem in ``市规划局``, keep their own). A whole-name alias (``政府办``,
``法院``) takes the level's default name.

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
from functools import cache
from pathlib import Path

from policykg.extract.agencies.data import (
    KINDS,
    AgencyDataError,
    Department,
    load_departments,
    load_patterns,
    load_rules,
    load_specific,
    strip_prefixes,
)
from policykg.extract.agencies.grammar import Grammar, Tables
from policykg.extract.agencies.places import Places
from policykg.extract.datafiles import NAMED_BODY_FILES
from policykg.extract.model import Agency, Region
from policykg.extract.normalize import to_simplified
from policykg.extract.places.gazetteer import Gazetteer, default_gazetteer

__all__ = [
    "DATA_DIR", "KINDS", "AgencyDataError", "AgencyResolver", "Department",
    "departments", "is_agency_name", "is_group",
]  # fmt: skip

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_SCOPE_NOTE = re.compile(r"〈[^〉]*〉|<[^>]*>")
_EDGE = re.compile(r"^[#＃*＊·•\-—]+|[*＊·•]+$")  # markdown and bullets around a name
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"[0-9０-９]")
_MAX_NAME = 40
_KIND_NOTE = re.compile(r"[（(〔]([^（）()〔〕]{1,12})[）)〕]")


@cache
def _place_kinds() -> frozenset[str]:
    """Bare place kinds (区, 县, 街镇, 园区 …) as the assignment lists share them."""
    from policykg.extract.datafiles import read_tsv

    return frozenset(r["head"] for r in read_tsv("assignments_group_heads.tsv"))


def _without_kind_note(name: str) -> str:
    """``各乡镇（园区）`` → ``各乡镇``: a bracket adding place kinds to a collective
    (各县（市、区）, 各市（州）, 各县〔市、区〕人民政府) is part of its name and does not
    decide whether it is one."""
    m = _KIND_NOTE.search(name)
    if m and all(p in _place_kinds() for p in re.split(r"[、，,]", m.group(1))):
        return name[: m.start()] + name[m.end():]
    return name


_GRAMMARS: dict[tuple[int, Path], tuple] = {}


def _grammar_of(gazetteer: Gazetteer, data_dir: Path) -> tuple:
    """(rules, departments, places, grammar) of ``data_dir`` read against ``gazetteer``.

    Loaded once per process and gazetteer: the grammar is stateless, and reading the data
    files took 15 ms per document (the pipeline makes one resolver per document)."""
    key = (id(gazetteer), data_dir)
    known = _GRAMMARS.get(key)
    if known is None or known[0] is not gazetteer:
        rules = load_rules(data_dir / "agency_rules.tsv")
        departments_, gov_forms, party_forms = load_departments(
            data_dir / "departments.tsv", rules
        )
        specific = load_specific(tuple(data_dir / f for f in NAMED_BODY_FILES), gazetteer)
        tables = Tables(rules, departments_, gov_forms, party_forms, *specific,
                        load_patterns(data_dir / "agency_patterns.tsv"))  # fmt: skip
        places = Places(gazetteer, rules.shorthand, dict(rules.self_shorthand))
        if len(_GRAMMARS) >= 4:  # a few gazetteers at a time, not every one ever made
            del _GRAMMARS[next(iter(_GRAMMARS))]
        known = _GRAMMARS[key] = (gazetteer, rules, departments_, places, Grammar(places, tables))
    return known[1:]


class AgencyResolver:
    """Resolves surface names to canonical agencies and remembers every form met."""

    def __init__(self, gazetteer: Gazetteer | None = None, data_dir: Path | str = DATA_DIR):
        self.gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        self._rules, self._departments, self._places, self._grammar = _grammar_of(
            self.gazetteer, Path(data_dir)
        )
        self._agencies: dict[str, Agency] = {}
        self._labels: dict[str, set[str]] = {}
        self._minted: set[str] = set()
        self._probe: Region | None = None

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
        found = self._grammar.read(name, jur)
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
        text = _EDGE.sub("", _SCOPE_NOTE.sub("", _SPACE.sub("", surface)))
        for suffix in self._rules.strip_suffix:
            if text.endswith(suffix) and not self._grammar.has_group_suffix(text):
                text = text[: -len(suffix)]
        for word, char in self._rules.level_words:  # 自治区发展改革委 is 省发展改革委
            if text.startswith(word) and len(text) > len(word):
                return char + text[len(word):]
        return text

    def is_group(self, surface: str) -> bool:
        """A collective addressee (各区人民政府, 成员单位, a list) rather than one body."""
        return self._grammar.is_group(self.normalize(surface))

    def is_agency_name(self, surface: str) -> bool:
        """Whether the grammar reads ``surface`` as a body or a group.

        True for a department (stem + suffix), a party organ, a group form, a named
        街道/镇, a table body, a pattern, or a name ending in a kind suffix (…公司,
        …中心); False for dates, document numbers, scope notes and phrases
        (``相应的管养单位``). Relative names are read against a probe district, so
        the answer needs no jurisdiction.
        """
        name = _without_kind_note(self.normalize(surface))
        if self._rejected(name) or self._only_qualifiers(name):
            return False
        if self._grammar.is_group(name):
            return True
        found = self._read_probed(name)
        return not found.minted or self._grammar.suffix_kind(found.agency.name_zh) is not None

    def _read_probed(self, name: str):
        """The grammar's reading of ``name`` against a probe district: a relative name
        (区发改委) reads as some body, so what kind of name it is needs no jurisdiction."""
        if self._probe is None:
            self._probe = self._places.probe_district()
        return self._grammar.read(name, self._probe)

    def division_parent(self, surface: str) -> str | None:
        """The parent body as ``surface`` writes it when it names an internal division of
        it (``某市农业农村委员会粮油处`` → ``某市农业农村委员会``), else None."""
        name = self.normalize(surface)
        found = self._read_probed(name)
        if found.minted or not found.agency.sub_organization_of or not found.parents:
            return None
        tail = found.agency.name_zh[len(found.parents[0].name_zh):]
        if not tail or not name.endswith(tail) or len(name) <= len(tail):
            return None
        return name[: -len(tail)]

    def is_bare_division(self, surface: str) -> bool:
        """``农田建设处``, ``计财处``: a division's own name with no body before it."""
        name = self.normalize(surface)
        return (2 < len(name) <= 12 and name.endswith(self._rules.division_suffix)
                and self.division_parent(name) is None and not self.names_place(name))

    def rejects(self, surface: str) -> bool:
        """Whether the word lists rule ``surface`` out as a name whatever else is said of
        it (a date, a note such as ``下同``, a phrase opened by ``以下``): a reader that
        admits a name the grammar does not know still admits none of these."""
        return self._rejected(_without_kind_note(self.normalize(surface)))

    def _only_qualifiers(self, name: str) -> bool:
        """``相关``, ``各有关``: the qualifiers of a collective with no body after them (the
        head of ``相关部门配合`` read short)."""
        prefixes = self._rules.group_prefix
        return strip_prefixes(name, prefixes) in prefixes

    def _rejected(self, name: str) -> bool:
        rules = self._rules
        return (not name or len(name) > _MAX_NAME or _DIGIT.search(name) is not None
                or any(ch in rules.reject_chars for ch in name)
                or name[-1] in rules.reject_last or name.startswith(rules.reject_prefix)
                or any(word in name for word in rules.reject_words))

    def writes_no_level(self, surface: str) -> bool:
        """A department written bare (工业和信息化局, 发改委): a type of department with no
        place or level in its name, which a list may share its first item's level with;
        深圳海事局 names its place, 某某公司 is no department type."""
        name = self.normalize(surface)
        if name[:1] in self._rules.shorthand or self._places.gazetteer.find_in(name):
            return False
        return name in self._grammar.t.gov_forms

    def names_place(self, surface: str) -> bool:
        """Whether ``surface`` names a place anywhere in it (深圳海事局, 民航某省空管分局)."""
        return bool(self._places.gazetteer.find_in(self.normalize(surface)))


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


def division_parent(surface: str) -> str | None:
    """The parent body a division names as written (shipped rules): a list that goes on
    with bare divisions (``、农田建设处、渔业处``) names divisions of that body."""
    return _default_resolver().division_parent(surface)


def is_bare_division(surface: str) -> bool:
    """Whether ``surface`` is a division's own name with no body before it (shipped rules)."""
    return _default_resolver().is_bare_division(surface)


def rejects_name(surface: str) -> bool:
    """Whether the word lists rule ``surface`` out as a name (shipped rules)."""
    return _default_resolver().rejects(surface)


def writes_no_level(surface: str) -> bool:
    """Whether ``surface`` is a department type written bare (shipped rules)."""
    return _default_resolver().writes_no_level(surface)


def names_place(surface: str) -> bool:
    """Whether ``surface`` names a place anywhere in it (shipped gazetteer)."""
    return _default_resolver().names_place(surface)

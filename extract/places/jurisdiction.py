"""Which region a document governs, and how we know: for documents from anywhere in China.

A document states its place in several ways, some facts and some hints. In order of
trust (the *bases* recorded as ``pk:jurisdictionBasis``):

* ``issuer`` – the place in the issuer's name (``浙江省宁波市鄞州区人民政府办公室`` → 鄞州区);
* ``doc-number`` – the 文号 prefix: a province or city abbreviation (``鄂``, ``沪``,
  ``穗``), optionally followed by a district initial (``沪崇府办发`` = 沪 + 崇明), or a
  district initial alone (``嘉府办发``, ``黄发改委办``) resolved inside the province or
  city the other evidence names;
* ``header`` – the crawler's ``发布单位``/``发布机构`` and ``标题`` fields;
* ``title`` – the document's own title and the title of its 印发 wrapper;
* ``body`` – a guess from the text: the place named most (the opening, the signature
  block and a place named before ``本区``/``我市`` in one sentence count more, partners
  after ``与``/``对接`` count nothing), with the administrative level voted by
  self-references (``本区``, ``我市``, ``市政府各部门``).

The *level* of the issuer (``区政府办公室`` is a district body even without a place
name), else the header's ``层级`` field, else the text's self-references, decides
between a city and one of its districts. The first basis that names a place of that
level wins; a place above that level is refined by a more specific one of the other
evidence, a place below it is widened to its enclosing region of the level. The basis
of the result lists every source that names the chosen region, strongest first, so a
stated fact (``issuer``) is told from a guess (``body`` alone). Unknown stays ``None``.

Word lists are data: ``doc_jurisdiction_cues.tsv`` (self-reference cues),
``doc_region_mention_cues.tsv`` (mention weights), ``doc_levels.tsv`` (which gazetteer
levels a cue level means), ``doc_header_levels.tsv`` (``层级`` values).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.doctext import compact, lines_with_spans, number_prefix
from policykg.extract.issuers import looks_like_agency, number_prefixes
from policykg.extract.model import Span
from policykg.extract.places.former import former_in

BASES = ("issuer", "doc-number", "header", "title", "body")
"""Jurisdiction bases, strongest first (``pk:jurisdictionBasis`` values)."""

_OPENING = 800  # characters of the text where a document introduces its own place
_ISSUER_LEVEL = (("自治区", "province"), ("自治州", "prefecture"), ("自治县", "county"),
                 ("省", "province"), ("市", "prefecture"), ("州", "prefecture"),
                 ("区", "district"), ("县", "county"), ("旗", "county"))
_PARTY = re.compile(r"^中共")


@dataclass(frozen=True)
class Jurisdiction:
    """A region key and the bases it was inferred from (empty when unknown)."""

    key: str | None
    basis: tuple[str, ...] = ()


@cache
def _cues() -> tuple[tuple[str, str, int], ...]:
    return tuple(
        (r["cue"], r["level"], int(r["weight"])) for r in read_tsv("doc_jurisdiction_cues.tsv")
    )


@cache
def _mention_cues() -> tuple[tuple[str, int], ...]:
    rows = [(r["cue"], int(r["weight"])) for r in read_tsv("doc_region_mention_cues.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def _level_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for r in read_tsv("doc_levels.tsv"):
        groups.setdefault(r["group"], set()).add(r["level"])
    return {g: frozenset(levels) for g, levels in groups.items()}


@cache
def _header_levels() -> dict[str, str]:
    return {r["label"]: r["level"] for r in read_tsv("doc_header_levels.tsv")}


# ---------------------------------------------------------------------------
# the gazetteer, as this module uses it


class Places:
    """The gazetteer calls jurisdiction inference makes, tolerant of simpler gazetteers.

    ``within`` (a region key) disambiguates names shared by several places
    (鼓楼区); ``by_abbreviation`` and ``initial_child`` read 文号 prefixes. A gazetteer
    without them simply gives no answer there.
    """

    def __init__(self, gazetteer) -> None:
        self.g = gazetteer

    def get(self, key: str | None):
        if not key:
            return None
        try:
            return self.g.get(key)
        except KeyError:
            return None

    def chain(self, key: str) -> list:
        """The region and its ancestors, nearest first."""
        region = self.get(key)
        if region is None:
            return []
        try:
            ancestors = self.g.ancestors(key) or []
        except (KeyError, AttributeError):
            ancestors = []
        return [region, *(self.get(a) if isinstance(a, str) else a for a in ancestors)]

    def is_within(self, key: str, ancestor: str) -> bool:
        return any(r is not None and r.key == ancestor for r in self.chain(key)[1:])

    def find(self, text: str, within: str | None = None) -> list[tuple[str, Span]]:
        if within:
            try:
                return list(self.g.find_in(text, within=within))
            except TypeError:
                pass
        return list(self.g.find_in(text))

    def abbreviation(self, char: str) -> list:
        finder = getattr(self.g, "by_abbreviation", None)
        return list(finder(char) or []) if finder else []

    def initial_child(self, parent: str, char: str):
        finder = getattr(self.g, "initial_child", None)
        return finder(parent, char) if finder else None

    def lookup(self, name: str, within: str | None = None):
        if within:
            try:
                return self.g.lookup(name, within=within)
            except TypeError:
                pass
        return self.g.lookup(name)

    def level_fits(self, key: str, group: str | None) -> bool:
        region = self.get(key)
        return group is None or (region is not None and region.level in _level_groups().get(
            group, frozenset({group})))

    def scope(self, key: str | None) -> str | None:
        """The province-level region of ``key`` (the top of its chain below the country)."""
        chain = [r for r in self.chain(key) if r is not None] if key else []
        provincial = [r for r in chain if r.level in _level_groups().get("province", ())]
        if provincial:
            return provincial[-1].key
        return chain[-1].key if chain else None


def deepest(places: Places, keys: list[str]) -> str | None:
    """The most specific of the places a name gives (嘉定区 of 上海市嘉定区), first one first."""
    for key in keys:
        if not any(other != key and places.is_within(other, key) for other in keys):
            return key
    return None


def named_place(places: Places, text: str, within: str | None = None) -> str | None:
    """The most specific region a short text (an issuer, a title) names; a former name
    (``临安市``, now 临安区: :mod:`extract.places.former`) when it names no current one;
    the country when it names none and opens with a central body (:func:`national`)."""
    if not text:
        return None
    found = [key for key, _ in places.find(compact(text), within)]
    if not found:
        found = [key for key, _ in former_in(compact(text)) if key in places.g]
    return deepest(places, found) if found else national(places, text)


@cache
def _central_names() -> tuple[str, ...]:
    """Names and aliases of the central bodies (``central_bodies.tsv``), longest first."""
    names = set()
    for row in read_tsv("central_bodies.tsv"):
        names.add(row["name_zh"])
        names.update(a for a in row["aliases"].split("|") if a)
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def national(places: Places, text: str) -> str | None:
    """The country's key for a text that opens with a central body and names no place
    (``国务院办公厅关于印发…``, an issuer ``国家发展改革委``): a national document states no
    place of its own, its signer is what makes it national. ``关于贯彻落实国务院…`` does not
    open with one, so a local document quoting the State Council stays local."""
    country = getattr(places.g, "country", None)
    if country is None or not compact(text).startswith(_central_names()):
        return None
    return country.key


def issuer_level(places: Places, issuer: str) -> str | None:
    """The level group of an issuer: its place's, else its first character's (区政府办公室)."""
    t = _PARTY.sub("", compact(issuer))
    found = places.find(t)
    if found:
        return None  # the issuer names its place: that place decides
    for char, group in _ISSUER_LEVEL:
        if t.startswith(char):
            return group
    return None


# ---------------------------------------------------------------------------
# 文号


def number_region(places: Places, number: str | None, context: list[str]) -> str | None:
    """The region a 文号 prefix names, read within the places of ``context``.

    ``context`` lists region keys the other evidence names, strongest first; a district
    initial (``嘉``) is only read inside one of them, and an abbreviation that is also an
    initial (``青``: 青海 and 青浦) is read as the initial when the context says so.
    """
    prefix = number_prefix(number)
    if not prefix:
        return None
    for known, _, key in number_prefixes():
        if prefix.startswith(known) and key and places.get(key) is not None and (
            not context or _related(places, key, context)
        ):
            return key
    for n in (3, 2):
        region = places.lookup(prefix[:n], within=places.scope(context[0]) if context else None)
        if region is not None and len(prefix) > n:
            return region.key
    first, second = prefix[0], prefix[1:2]
    abbreviated = {r.key for r in places.abbreviation(first)}
    for key in context:
        for region in places.chain(key):
            if region is None:
                continue
            if region.key in abbreviated:
                return _with_initial(places, region.key, second)
            child = places.initial_child(region.key, first)
            if child is not None:
                return child.key
    if len(abbreviated) == 1:
        return _with_initial(places, next(iter(abbreviated)), second)
    return None


def _with_initial(places: Places, key: str, char: str) -> str:
    child = places.initial_child(key, char) if char else None
    return child.key if child is not None else key


def _related(places: Places, key: str, context: list[str]) -> bool:
    country = getattr(places.g, "country", None)
    if country is not None and key == country.key:
        return True  # 国发, 国办发: a national number, whatever places the text names
    scope = places.scope(key)
    return any(places.scope(c) == scope for c in context)


# ---------------------------------------------------------------------------
# the body


def body_scores(
    places: Places, text: str, within: str | None = None
) -> tuple[Counter[str], Counter[str]]:
    """Region scores and level votes from the text (see the module docstring)."""
    scores: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    own_words = re.sub(r"《[^《》]*》", "", text)  # a cited title's 本市 is not this document's
    for cue, level, weight in _cues():
        n = own_words.count(cue)
        if n:
            levels[level] += n * weight
    quoted = [m.span() for m in re.finditer(r"《[^《》]*》", text)]
    for key, span in places.find(text, within):
        before = text[max(0, span.start - 2): span.start]
        weight = 1
        for cue, cue_weight in _mention_cues():
            if before.endswith(cue):
                weight = cue_weight
                break
        if weight == 0:
            continue
        if not any(a <= span.start < b for a, b in quoted):
            region = places.get(key)
            full = region is not None and compact(text[span.start: span.end]) == region.name_zh
            weight += 2 if full else 0
            weight *= 2 if span.start < _OPENING else 1
        scores[key] += weight
        for ancestor in places.chain(key)[1:]:
            if ancestor is not None:
                scores[ancestor.key] += 2
    for key, bonus in _self_named(places, text, within):
        scores[key] += bonus
    for line, _ in _closing_lines(text):
        if looks_like_agency(line):
            for key, _ in places.find(line, within):
                scores[key] += 10
    return scores, levels


_SELF = re.compile(r"(?:本|我|全)(?P<char>[省市区县])")
_SELF_LEVEL = {"省": "province", "市": "prefecture", "区": "district", "县": "county"}
_SELF_BONUS = 20


def _self_named(places: Places, text: str, within: str | None) -> list[tuple[str, int]]:
    """A place of the self-reference's level named in the same sentence before it
    (``上海市崇明区作为试点地区之一，现结合本区实际``) is the document's own place."""
    out = []
    for m in _SELF.finditer(text):
        start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        sentence = text[start : m.start()]
        group = _SELF_LEVEL[m.group("char")]
        named = [k for k, _ in places.find(sentence, within) if places.level_fits(k, group)]
        if named:
            out.append((named[-1], _SELF_BONUS))
    return out


def _closing_lines(text: str) -> list[tuple[str, Span]]:
    return lines_with_spans(text)[-6:]


def _ranked(scores: Counter[str]) -> list[str]:
    return [k for k, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]


def _best_of_level(places: Places, ranked: list[str], group: str | None) -> str | None:
    for key in ranked:
        if places.level_fits(key, group):
            return key
    return ranked[0] if ranked else None


# ---------------------------------------------------------------------------


def infer(
    gazetteer,
    text: str,
    *,
    issuers: tuple[str, ...] = (),
    doc_number: str | None = None,
    header: dict[str, str] | None = None,
    titles: tuple[str, ...] = (),
) -> Jurisdiction:
    """The document's region and the bases that name it (see the module docstring)."""
    places = Places(gazetteer)
    header = header or {}
    header_texts = [header.get(k, "") for k in ("issuer", "发布单位", "发布机构", "title")]

    # A first, unscoped look at the stated names (else at the text) gives the region the
    # names are read in: ambiguous names (鼓楼区) and district short names (嘉定) need it.
    rough = [named_place(places, t) for t in (*issuers, *header_texts, *titles)]
    scope = next((k for k in rough if k), None)
    scores, votes = body_scores(places, text, scope)
    ranked = _ranked(scores)
    if scope is None and ranked:
        scope = ranked[0]
        scores, votes = body_scores(places, text, scope)
        ranked = _ranked(scores)

    candidates: dict[str, list[str]] = {b: [] for b in BASES}
    issuer_places = [named_place(places, issuer, scope) for issuer in issuers]
    candidates["issuer"] = [key for key in issuer_places if key]
    for value in header_texts:
        key = named_place(places, value, scope)
        if key:
            candidates["header"].append(key)
    for title in titles:
        key = named_place(places, title, scope)
        if key:
            candidates["title"].append(key)
    context = [*candidates["issuer"], *candidates["header"], *candidates["title"], *ranked[:3]]
    key = number_region(places, doc_number, context)
    if key:
        candidates["doc-number"].append(key)
    candidates["body"] = ranked[:1]

    group, stated_level = _level_group(places, issuers, header, votes)
    chosen, deciding = None, None
    for basis in BASES[:-1]:
        if candidates[basis]:
            chosen, deciding = candidates[basis][0], basis
            break
    if chosen is None:
        chosen = _best_of_level(places, ranked, group)
        deciding = "body" if chosen else None
    if chosen is None:
        return Jurisdiction(None)

    lead_named = bool(issuer_places) and issuer_places[0] is not None
    if deciding != "issuer" or not lead_named:
        # an issuer that names its place needs no level vote; a co-signer's place (兵团…
        # after 自治区发展改革委) is fitted to the level the lead signer writes
        chosen = _fit(places, chosen, group, candidates, ranked, widen=stated_level)
    basis = tuple(b for b in BASES if chosen in candidates[b] or (b == "body" and chosen in
                                                                   ranked[:1]))
    return Jurisdiction(chosen, basis or (deciding,))


def _level_group(
    places: Places, issuers, header: dict[str, str], votes: Counter[str]
) -> tuple[str | None, bool]:
    """The level group and whether it is stated (issuer, header) rather than voted."""
    for issuer in issuers[:1]:
        group = issuer_level(places, issuer)
        if group:
            return group, True
    for key in ("issuer", "发布单位", "发布机构"):
        value = header.get(key, "")
        if value and looks_like_agency(value) and not places.find(compact(value)):
            group = issuer_level(places, value)
            if group:
                return group, True
    for key in ("level", "层级"):
        if header.get(key) in _header_levels():
            return _header_levels()[header[key]], True
    if votes:
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], False
    return None, False


def _fit(
    places: Places, key: str, group: str | None, candidates, ranked: list[str], widen: bool
) -> str:
    """``key`` moved to the level ``group``: refined by a more specific place of the other
    evidence, or (when the level is stated, not voted by the text) widened to its
    enclosing region of that level."""
    if group is None or places.level_fits(key, group):
        return key
    for basis in BASES:
        pool = candidates[basis] if basis != "body" else ranked
        for other in pool:
            if places.level_fits(other, group) and places.is_within(other, key):
                return other
    if widen:
        for region in places.chain(key)[1:]:
            if region is not None and places.level_fits(region.key, group):
                return region.key
    return key

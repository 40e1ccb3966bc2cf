"""The industry scheme (SKOS): Hubei's "51020" tiers, their industries, common groups.

Plans of the province and of its cities name the same industries in different words
(汽车制造 / 汽车及零部件 / 汽车产业), so the scheme is data (``industries.tsv``: key,
name_zh, name_en, broader, aliases) with every surface form as an alias, and every
label also matches with the usual tails 产业 / 产业集群 / 业 / 行业.

A mention is a label that jieba, with those labels as user words, cuts out as a word
(``汽车产业`` in ``全省汽车产业营业收入``, but not ``汽车`` inside the dictionary word
``电动汽车`` nor ``化工`` across ``规范化工作``). The tokenizer is jieba's algorithm and
dictionary as ``rjieba`` (the Python binding of jieba-rs): a private ``rjieba.Jieba``,
without HMM (no guessed words), built once per process for the shipped labels. It cuts
as ``jieba.Tokenizer`` does (a test compares the two on every block of the corpus that
holds a label) and loads its dictionary in a fifth of the time: jieba's start (its
349k-word dictionary unmarshalled into Python dicts, 0.5–0.6 s) had been a twentieth
of a 200-document build. Concepts a document adds
(:meth:`IndustryScheme.extend_from`) are matched by a longest-match overlay instead of
mutating that shared tokenizer, so results do not depend on the order documents are
processed in.

Speed without a different answer: jieba cuts each *block* (a maximal run of
``jieba.re_han_default`` characters) on its own, and a word it yields is a substring of
its block. So an Aho–Corasick automaton of the labels (``ahocorasick_rs``) finds the
blocks that hold a label at all, only those are cut, and each block's cut is remembered
per process (task texts, their parents' texts and the target clauses repeat the same
blocks). The mentions are exactly those of cutting the whole text.
"""

from __future__ import annotations

import re
from functools import cache

import ahocorasick_rs
from policykg.extract.datafiles import read_tsv
from policykg.extract.iris import slugify
from policykg.extract.model import Industry, Span

DEFAULT_FILE = "industries.tsv"
TAILS = ("产业集群", "产业", "行业", "业")


class IndustrySchemeError(ValueError):
    """The industries data file is inconsistent (unknown broader, duplicate key, cycle)."""


def label_variants(label: str) -> list[str]:
    """``label`` and the forms documents write it in (with or without a 产业/业 tail); the
    scheme matches them, and the build's scheme view (extract/pipeline.py) looks for them."""
    out = [label]
    for tail in TAILS:
        if not label.endswith(tail) and not (tail == "业" and label.endswith("业")):
            out.append(label + tail)
    return out


@cache
def _load_rows(name: str) -> tuple[Industry, ...]:
    rows = []
    for r in read_tsv(name):
        aliases = tuple(a.strip() for a in r.get("aliases", "").split("|") if a.strip())
        rows.append(
            Industry(r["key"], r["name_zh"], r["name_en"] or None, r["broader"] or None, aliases,
                     r.get("tier") or None)
        )
    return tuple(rows)


@cache
def _tokenizer(words: tuple[str, ...]):
    """A tokenizer (``rjieba.Jieba``) knowing ``words``, each well above the frequency
    that would join its characters; one per word set per process. Imported here: the
    package loads a default dictionary of its own on import, which only a process that
    cuts text should pay for."""
    import rjieba

    tk = rjieba.Jieba()
    for word in words:
        tk.add_word(word, max(tk.suggest_freq(word), 1) * 100, None)
    return tk


_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
"""jieba's own block rule (``jieba.re_han_default``, the same pattern; a test holds them
equal): it cuts each maximal run of these characters separately. Written out so that a
build does not import jieba, whose HMM tables cost 60–120 ms, for one constant."""


class _Matcher:
    """The labels' automaton and the remembered cuts of blocks, for one label set."""

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        inside = [w for w in words if _BLOCK.fullmatch(w)]
        self.automaton = ahocorasick_rs.AhoCorasick(
            inside, matchkind=ahocorasick_rs.MatchKind.Standard
        )
        self.known = frozenset(words)
        # outside blocks jieba yields single characters: such a label is a word wherever
        # it occurs; a longer label with a non-block character never is
        self.loose = frozenset(w for w in words if len(w) == 1 and not w.isspace()
                               and not _BLOCK.fullmatch(w))
        self.cuts: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def block_words(self, block: str) -> tuple[tuple[str, int, int], ...]:
        """The labels jieba cuts out of ``block`` as (word, start, end) in the block."""
        cut = self.cuts.get(block)
        if cut is None:
            tk = _tokenizer(self.words)
            known = self.known
            cut = tuple(tuple(t) for t in tk.tokenize(block, "default", False)
                        if t[0] in known)
            self.cuts[block] = cut
        return cut

    def words_in(self, text: str) -> list[tuple[str, int, int]]:
        """What ``jieba.Tokenizer.tokenize(text, HMM=False)`` yields that is a label."""
        hits = self.automaton.find_matches_as_indexes(text, overlapping=True)
        out: list[tuple[str, int, int]] = []
        if hits:
            starts = sorted({start for _i, start, _end in hits})
            k = 0
            for block in _BLOCK.finditer(text):
                b_start, b_end = block.span()
                if starts[k] >= b_end:
                    continue
                while k < len(starts) and starts[k] < b_end:
                    k += 1  # a label of block characters lies inside one block
                for word, start, end in self.block_words(block.group()):
                    out.append((word, b_start + start, b_start + end))
                if k == len(starts):
                    break
        if self.loose:
            out += self._loose_words(text)
        return out

    def _loose_words(self, text: str) -> list[tuple[str, int, int]]:
        out = []
        for word in self.loose:
            start = text.find(word)
            while start >= 0:
                if not _BLOCK.match(text, start):
                    out.append((word, start, start + len(word)))
                start = text.find(word, start + len(word))
        return out


@cache
def _matcher(words: tuple[str, ...]) -> _Matcher:
    return _Matcher(words)


_CN_COUNT = dict(zip("一二三四五六七八九十", range(1, 11), strict=True)) | {"两": 2}


def _count(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s == "一批":
        return None
    if "十" in s and len(s) > 1:
        tens, _, ones = s.partition("十")
        ten = _CN_COUNT.get(tens, 1) if tens else 1
        return ten * 10 + (_CN_COUNT.get(ones, 0) if ones else 0)
    return _CN_COUNT.get(s)


_ORDINAL = (
    r"(?:第[一二三四五六七八九十]+[章节]\s*|[一二三四五六七八九十]+[、.．]\s*"
    r"|[(（][一二三四五六七八九十]+[)）]\s*)"
)
_ORDINAL_RE = re.compile(_ORDINAL)
_LIST_HEAD = re.compile(
    rf"^(?P<ordinal>{_ORDINAL})?[^\d，。,、]{{0,8}}?(?P<count>一批|\d+|[一二三四五六七八九十两]+)个?"
    r"(?P<label>[^，。,、\s]{2,16}?(?:产业集群|产业|集群))[。.]?$"
)
_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?P<name>[^。，,；;：:\n]{2,24}?)\s*[。.]?$")
_INLINE_LIST = re.compile(
    r"(?P<items>[^，。；：,;:]{2,120}?)(?P<count>\d+|[两三四五六七八九十]+)(?:个|大)+"
    r"(?P<label>[^，。；：,;:、]{2,16}?(?:产业集群|产业|集群))"
)
_LEAD_VERB = re.compile(
    r"^.*?(?:打造|培育壮大|培育|发展壮大|发展|建设|做强|壮大|聚焦|围绕|促进|推进|推动|加快)"
)
_PAREN = re.compile(r"[(（][^()（）]*[)）]")


class IndustryScheme:
    """A SKOS concept scheme of industries with a lookup by any label."""

    def __init__(self, industries: list[Industry] | tuple[Industry, ...]) -> None:
        self._by_key: dict[str, Industry] = {}
        for industry in industries:
            if industry.key in self._by_key:
                raise IndustrySchemeError(f"duplicate industry key {industry.key!r}")
            self._by_key[industry.key] = industry
        for industry in industries:
            if industry.broader and industry.broader not in self._by_key:
                raise IndustrySchemeError(f"{industry.key}: unknown broader {industry.broader!r}")
            if industry.tier and industry.tier not in self._by_key:
                raise IndustrySchemeError(f"{industry.key}: unknown tier {industry.tier!r}")
            self.ancestors(industry.key)
        self._base_words = self._label_map()
        self._words = tuple(sorted(self._base_words))
        self._extra: dict[str, str] = {}

    @classmethod
    def load(cls, name: str = DEFAULT_FILE) -> IndustryScheme:
        """The scheme of a data file in ``extract/data`` (a fresh, extendable instance)."""
        return cls(_load_rows(name))

    # -- lookup -----------------------------------------------------------------

    def _label_map(self) -> dict[str, str]:
        """Surface form -> key: names and aliases first, generated tails after."""
        exact: dict[str, str] = {}
        for key in sorted(self._by_key):
            industry = self._by_key[key]
            for label in (industry.name_zh, *industry.aliases):
                exact.setdefault(label, key)
        surfaces = dict(exact)
        for label, key in sorted(exact.items()):
            for variant in label_variants(label)[1:]:
                surfaces.setdefault(variant, key)
        return surfaces

    def get(self, key: str) -> Industry:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def lookup(self, label: str) -> Industry | None:
        """The concept whose label, alias or label+tail is exactly ``label``."""
        key = self._base_words.get(label.strip()) or self._extra.get(label.strip())
        return self._by_key[key] if key else None

    def industries(self) -> list[Industry]:
        """All concepts sorted by key."""
        return [self._by_key[k] for k in sorted(self._by_key)]

    def ancestors(self, key: str) -> list[str]:
        """Broader, broader's broader, … (keys), refusing cycles."""
        chain: list[str] = []
        seen = {key}
        broader = self._by_key[key].broader
        while broader:
            if broader in seen:
                raise IndustrySchemeError(f"broader cycle through {broader!r}")
            seen.add(broader)
            chain.append(broader)
            broader = self._by_key[broader].broader
        return chain

    # -- mentions ---------------------------------------------------------------

    def find_in(self, text: str) -> list[tuple[str, Span]]:
        """Industry mentions as (key, span), in text order.

        jieba segments with the scheme's labels as user words; a token that is a label
        is a mention. Labels added by :meth:`extend_from` are then matched longest
        first where they do not overlap a mention already found.
        """
        words = self._base_words
        found = [(words[word], Span(start, end))
                 for word, start, end in _matcher(self._words).words_in(text)]
        if self._extra:
            found = self._overlay(text, found)
        return sorted(found, key=lambda kv: (kv[1].start, kv[1].end, kv[0]))

    def _overlay(self, text: str, found: list[tuple[str, Span]]) -> list[tuple[str, Span]]:
        taken = [span for _, span in found]
        for label in sorted(self._extra, key=lambda w: (-len(w), w)):
            start = text.find(label)  # leftmost, non-overlapping: as re.finditer of it
            while start >= 0:
                span = Span(start, start + len(label))
                start = text.find(label, span.end)
                if any(span.start < t.end and t.start < span.end for t in taken):
                    continue
                taken.append(span)
                found.append((self._extra[label], span))
        return found

    # -- extension from a document ----------------------------------------------

    def tiers(self) -> set[str]:
        """Keys of the concepts that are tiers (some concept names them as its ``tier``)."""
        return {i.tier for i in self._by_key.values() if i.tier}

    def _add(self, label: str, broader: str | None, tier: str | None = None) -> str | None:
        """Add a concept for ``label`` unless known; its key (new or existing)."""
        label = _PAREN.sub("", label).strip(" 。.“”\"")
        if len(label) < 2:
            return None
        known = self.lookup(label)
        if known:
            return known.key
        key = slugify(label)
        while key in self._by_key:
            key += "-x"
        self._by_key[key] = Industry(key, label, None, broader, (), tier)
        for variant in label_variants(label):
            if variant not in self._base_words:
                self._extra.setdefault(variant, key)
        return key

    def extend_from(self, text: str) -> list[str]:
        """Add the industries a document lists that the data does not know.

        Two generic list shapes, both counted (the stated count must fit, so prose
        is not mistaken for a list):

        * a heading ``一、着力打造5个万亿级支柱产业`` followed by numbered item lines
          ``1.汽车制造。`` up to the next heading of the same rank;
        * an inline ``打造A、B、C三大世界级产业集群``.

        The list's concept (万亿级支柱产业) is looked up, or added as a top concept
        when the list has a new item; new items get it as broader — or as their tier when
        it is a tier (a size class of a plan is not a kind of industry). Keys are pinyin
        slugs. Returns the keys added, in text order.
        """
        added: list[str] = []
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            head = _LIST_HEAD.match(line)
            if not head:
                continue
            count = _count(head.group("count").rstrip("个"))
            items: list[str] = []
            for nxt in lines[i + 1:]:
                if _ORDINAL_RE.match(nxt) or (count and len(items) >= count):
                    break
                item = _ITEM.match(nxt)
                if item:
                    items.append(item.group("name"))
            if count is not None and len(items) != count:
                continue
            added += self._add_list(head.group("label"), items)
        for m in _INLINE_LIST.finditer(text):
            items = [s.strip() for s in m.group("items").split("、")]
            items[0] = _LEAD_VERB.sub("", items[0])
            if _count(m.group("count")) == len(items) and all(2 <= len(s) <= 16 for s in items):
                added += self._add_list(m.group("label"), items)
        return added

    def _add_list(self, list_label: str, items: list[str]) -> list[str]:
        if len(items) < 2:
            return []
        new = [s for s in items if self.lookup(_PAREN.sub("", s).strip(" 。.")) is None]
        if not new:
            return []
        added: list[str] = []
        group = self.lookup(list_label)
        if group is None:
            before = set(self._by_key)
            group_key = self._add(list_label, None)
            if group_key and group_key not in before:
                added.append(group_key)
        else:
            group_key = group.key
        in_tier = group_key in self.tiers()  # a tier's list adds members, not narrower kinds
        for item in new:
            before = set(self._by_key)
            key = (self._add(item, None, group_key) if in_tier else self._add(item, group_key))
            if key and key not in before:
                added.append(key)
        return added

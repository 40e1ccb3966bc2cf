"""Agency lists: the ``A、B，C、D人民政府`` that every assignment form ends in.

List rules, all generic:

* items are separated by ``、，,；;`` and by 和/及 when the left side is already a
  complete body name ("各县人民政府和高新区管委会…"; never inside "市经济和信息化局"),
  or a bare collective, which then shares the group's suffix ("各设区市及A区政府");
* a trailing 等 is dropped;
* a *comma group* is a run of items joined by 、 (groups are separated by ``，,；;``);
  within a group, items without an organisational suffix take the shareable suffix of
  the group's last item: "江汉区、硚口区人民政府" → 江汉区人民政府, 硚口区人民政府.
  Suffixes live in ``data/assignments_suffixes.tsv``; role labels (牵头单位, 责任部门,
  配合单位 …) in ``data/assignments_roles.tsv``;
* a collective 各 distributes forward over the bare place kinds of its group
  ("各区、县级市" → 各区, 各县级市; the kinds in ``data/assignments_group_heads.tsv``),
  never over a complete name ("各街镇、区规划资源局" keeps 区规划资源局);
* a scope note 〈…〉 (or （…）) after an item belongs to that item — unless it is itself
  a body's name, the second name of the same body (``市委组织部〈市公务员局〉``); a note
  after the last item of a comma group also applies to the group's items that have no
  note of their own ("市商务局、市财政局〈现代物流产业〉": both bodies share that
  industry — the 、 list reads as one joint assignment, while a comma starts a new one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from policykg.extract.agencies import (
    division_parent,
    is_agency_name,
    is_bare_division,
    names_place,
    writes_no_level,
)
from policykg.extract.datafiles import read_tsv
from policykg.extract.model import AgencyMention, Role, Span
from policykg.extract.places.gazetteer import default_gazetteer

OPEN = "（("
CLOSE = "）)"
NOTE_OPEN = "〈<（(〔"
NOTE_CLOSE = "〉>）)〕"
GROUP_SEP = "，,；;"
ITEM_SEP = "、"
MARKS = "*＊※★☆"
"""Marks a list puts on some bodies, explained once in the document (带*的为牵头单位)."""
_CONJUNCTIONS = ("以及", "和", "及", "与")
_QUALIFIERS = ("有关", "相关")  # 各有关市、县 → 各有关市, 各有关县
# "A、B等市级行业部门": after 等, the class the listed bodies belong to, not one more body
_DUTY_TAIL = re.compile(
    r"(?:按照|依照|按|依|根据|依据)(?:各自)?(?:职责|职能)(?:分工)?(?:分别)?(?:负责|落实|推进|办理)?$")
_DOING_TAIL = re.compile(r"(?:具体|分别)?(?:负责落实|负责实施|抓好落实|具体落实|负责)$")
"""``…，各镇政府、园区管委会负责落实`` closing a clause's list: what the last bodies do."""
_CATEGORY_TAIL = re.compile(r"等(?:有关|相关)?[\u4e00-\u9fff]{0,6}(?:部门|单位|机构)$")


@cache
def role_labels() -> dict[str, Role]:
    """Clause label → role, longest label first (so 牵头单位 wins over 牵头)."""
    rows = read_tsv("assignments_roles.tsv")
    labels = {r["label"]: r["role"] for r in rows}
    return dict(sorted(labels.items(), key=lambda kv: (-len(kv[0]), kv[0])))  # type: ignore


@cache
def org_suffixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(all organisational suffixes, the shareable ones), longest first."""
    rows = read_tsv("assignments_suffixes.tsv")
    every = tuple(sorted({r["suffix"] for r in rows}, key=lambda s: (-len(s), s)))
    shared = tuple(s for s in every if any(r["suffix"] == s and r["shared"] == "1" for r in rows))
    return every, shared


@cache
def kind_heads() -> tuple[str, ...]:
    """Kinds of body a list may write bare after a named one (省政府有关部门、单位)."""
    return tuple(r["head"] for r in read_tsv("assignments_kind_heads.tsv"))


def _kind_prefix(name: str) -> str:
    """``省政府有关部门`` → ``省政府有关``: what a bare kind after it shares."""
    return next((name[: -len(h)] for h in kind_heads() if name.endswith(h) and len(name) > len(h)),
                "")


@cache
def group_heads() -> frozenset[str]:
    """Bare place kinds a leading 各 distributes over (各区、县级市 → 各县级市)."""
    return frozenset(r["head"] for r in read_tsv("assignments_group_heads.tsv"))


def has_org_suffix(name: str) -> bool:
    return name.endswith(org_suffixes()[0])


@cache
def label_pattern() -> re.Pattern[str]:
    """A role label and its colon, or a role label in brackets (``【牵头单位】X``); a space
    may stand between the label's characters (a PDF line wrapped inside the word:
    ``〔责任 单位：…〕``). :func:`label_role` reads the match."""
    alternatives = "|".join(r"\s?".join(map(re.escape, label)) for label in role_labels())
    # or the label alone in lenticular or square brackets: 【责任单位】X、Y
    return re.compile(
        rf"(?:(?P<open>[【［\[])\s*)?(?P<label>{alternatives})\s*(?(open)[】］\]]\s*[：:]?|[：:])")


def label_role(m: re.Match[str]) -> str:
    """The role of a :func:`label_pattern` match (spaces inside the label dropped)."""
    return role_labels()[re.sub(r"\s", "", m.group("label"))]


def top_level_find(text: str, char: str, start: int, end: int) -> int | None:
    depth = 0
    for k in range(start, end):
        c = text[k]
        if c in NOTE_OPEN:
            depth += 1
        elif c in NOTE_CLOSE:
            depth = max(0, depth - 1)
        elif c == char and depth == 0:
            return k
    return None


@dataclass
class _Item:
    start: int
    end: int  # of the name, note excluded
    name: str
    scope: str | None
    alias: bool = False  # its bracket held a second name, not a scope


def parse_agency_list(text: str, start: int, end: int, role: Role) -> list[AgencyMention]:
    """Mentions of an agency list ``text[start:end]`` (see the module rules)."""
    mentions: list[AgencyMention] = []
    heads = group_heads()
    kind_prefix = ""  # carried across groups too: 省直有关部门和单位 → 省直有关单位
    for group in _split_groups(text, start, end):
        items = [it for it in (_clean(text, s, e) for s, e in group) if it is not None]
        if not items:
            continue
        last = items[-1]
        shared = _suffix_of(last.name)[0]
        # A市、B市、C市人民政府、D管委会: the bare places share the suffix of the first body
        # after them, not of the list's last item
        after: list[tuple[str | None, str | None]] = []
        following: tuple[str | None, str | None] = (None, None)
        for it in reversed(items):
            after.append(following)
            suffix = _suffix_of(it.name)
            if suffix[0] is not None:
                following = suffix
        after.reverse()
        group_scope = last.scope
        # 各市（州）、县（市、区）发展改革部门: the bare place kinds before the last item share
        # the body it names after its own place kind
        body = _shared_body(items) if shared is None else None
        if _note_role(group_scope) is not None:
            group_scope = None  # A、B（牵头）: a role note is the last item's own, not the group's
        collective = False
        head = "各"
        level = _shared_level([it.name for it in items])
        for index, it in enumerate(items):
            surface = it.name
            if surface in kind_heads() and kind_prefix:
                surface = kind_prefix + surface  # 省政府有关部门、单位: 省政府有关单位
            kind_prefix = _kind_prefix(surface)
            bare = it.name[: -len(shared)] if shared and it is last else it.name
            if body and it is last:
                bare = it.name[: -len(body)]  # its place kind takes the list's 各 too
            if it.name.startswith("各"):
                collective = True
                head = "各" + next((q for q in _QUALIFIERS if it.name.startswith(q, 1)), "")
            elif collective and (bare in heads or _kind_stem(bare) in heads):
                surface = head + surface
            else:
                collective = False
            if body and it is not last:
                surface = surface + body
            if it is not last and not has_org_suffix(it.name):
                own, own_level = after[index]
                if own:
                    bare_place = surface[-1] not in LEVELS and names_place(surface)
                    surface = surface + (own_level if bare_place else own)
            if level and it is not items[0] and _takes_level(surface):
                surface = level + surface
            if len(surface) < 2:
                continue  # a bare level (市、县级政府) is a name only with the shared suffix
            scope = it.scope if it.scope is not None or it.alias else group_scope
            own_role = _note_role(it.scope)
            if own_role is not None:  # 责任单位：A（牵头）、B: the note gives A its role
                scope = None
            mentions.append(AgencyMention(surface, Span(it.start, it.end), own_role or role, scope))
    return _with_shared_place(_with_division_parents(mentions))


def _with_shared_place(mentions: list[AgencyMention]) -> list[AgencyMention]:
    """``某县委、县政府、县林业局``: right after a body whose name writes its place, the bodies
    written with that place's level alone (县, 市) are of the same place, as the list says
    once; a body in between that names no such level ends the sharing."""
    out: list[AgencyMention] = []
    place = None  # the place as the list last wrote it, e.g. 某某县
    gazetteer = default_gazetteer()
    for m in mentions:
        found = gazetteer.match_prefix(m.surface)
        if found is not None and found[1]:
            written = m.surface[: len(m.surface) - len(found[1])]
            place = written if written[-1] in LEVELS else None
        elif found is None and place and m.surface[:1] == place[-1] and len(m.surface) > 2:
            m = replace(m, surface=place + m.surface[1:])
        else:
            place = None  # only the items right after the place share it
        out.append(m)
    return out


def _with_division_parents(mentions: list[AgencyMention]) -> list[AgencyMention]:
    """``某委员会粮油处、农田建设处、渔业处``: the bare divisions after a body's division are
    divisions of the same body, which the list writes once."""
    out: list[AgencyMention] = []
    parent = None
    for m in mentions:
        own = division_parent(m.surface)
        if own:
            parent = own
        elif parent and is_bare_division(m.surface):
            m = replace(m, surface=parent + m.surface)
        else:
            parent = None
        out.append(m)
    return out


def _suffix_of(name: str) -> tuple[str | None, str | None]:
    """The shared suffix a list item ends with (政府, 管委会 …) and the same with the level
    before it (郑州、洛阳市政府: the places before a level-marked item share its level too)."""
    shared = next((s for s in org_suffixes()[1] if name.endswith(s)), None)
    if shared and len(name) > len(shared) and name[-len(shared) - 1] in LEVELS:
        return shared, name[-len(shared) - 1] + shared
    return shared, shared


LEVELS = "省市区县"  # the level shorthands a list writes before its bodies (tables read them too)
_LEVEL_WORDS = ("自治区", *LEVELS)  # an autonomous region writes its level 自治区财政厅
_NOT_LEVELS = ("市场", "区域", "县域")  # 市场监管局 writes no level: 市 is part of its word
_BRANCHES = ("分局", "分行", "支局")
_SHORT_BODY = re.compile(r"[\u4e00-\u9fff]{2,8}[局委办厅]")
_LONG_DEPARTMENT = re.compile(r"[\u4e00-\u9fff]{9,16}[局委厅]")
# the first item, its level written
_LEVEL_BODY = re.compile(r"[\u4e00-\u9fff]{2,16}(?:[局委办厅]|支队|中心)")


def _shared_level(names: list[str]) -> str:
    """The level a 、 group shares when only its first item writes it: "县水务局、水保局"
    → 县 (水保局 is 县水保局), "省发改委、住建厅、某电力公司" → 省住建厅. It is given to the
    bare departments among the others (2–8 characters + 局/委/办/厅 naming no place, or a
    department type: :func:`_takes_level`); bodies of another kind (a company) keep their
    names, and so does every item of a group where another item writes a different level
    (区商务委 in a 市 list)."""
    if len(names) < 2 or len(names[0]) < 4:
        return ""
    level = next((w for w in _LEVEL_WORDS if names[0].startswith(w)), "")
    if not level or not _LEVEL_BODY.fullmatch(names[0][len(level):]):
        return ""
    others = names[1:]
    if any(n.startswith(_LEVEL_WORDS) and not n.startswith(_NOT_LEVELS) for n in others):
        return ""
    if any(_takes_level(n) for n in others):
        return level
    return ""


def _takes_level(name: str) -> bool:
    """A bare department the group's level goes to: short (水保局) or a department type
    written without place or level (工业和信息化局), never one naming its place (深圳海事局)."""
    bare = name
    for word in _NOT_LEVELS:
        bare = bare.replace(word, "")
    if any(ch in LEVELS for ch in bare):
        return False  # 市财政局, 团市委 write their own
    if name.endswith(_BRANCHES):
        return False  # 公安某某分局: a branch names the body and place it belongs to
    if writes_no_level(name):
        return True  # a body type the data knows, written bare (残联, 消防救援总队)
    if _SHORT_BODY.fullmatch(name) is not None:
        return not names_place(name)
    # a longer department of a type the data does not know (政务服务和数据管理局): as long as
    # it names no place of its own
    return _LONG_DEPARTMENT.fullmatch(name) is not None and not names_place(name)


def _split_groups(text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Comma groups of item ranges; 、 splits items, 和/及 after a complete name too."""
    groups: list[list[tuple[int, int]]] = [[]]
    depth = 0
    item_start = start
    k = start
    while k < end:
        c = text[k]
        if c in NOTE_OPEN:
            depth += 1
        elif c in NOTE_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and (c in GROUP_SEP or c == ITEM_SEP or c == "\n"):
            groups[-1].append((item_start, k))
            if c in GROUP_SEP:
                groups.append([])
            item_start = k + 1
        elif depth == 0:
            conj = next((w for w in _CONJUNCTIONS if text.startswith(w, k)), None)
            left = _strip_note(text[item_start:k]).strip() if conj else ""
            if conj and _is_collective(left):
                # "各设区市及A区、B市政府": the conjunction joins items of one group
                groups[-1].append((item_start, k))
                item_start = k + len(conj)
                k += len(conj)
                continue
            if conj and has_org_suffix(left):
                # "各县人民政府和高新区管委会…": a new group starts after the conjunction
                groups[-1].append((item_start, k))
                groups.append([])
                item_start = k + len(conj)
                k += len(conj)
                continue
        k += 1
    groups[-1].append((item_start, end))
    return [g for g in groups if g]


def _note_role(note: str | None) -> Role | None:
    """The role a bracketed note after a body gives it (``（牵头）``), if it is a role label."""
    return role_labels().get(re.sub(r"\s", "", note or ""))  # type: ignore[return-value]


@cache
def _heads_longest_first() -> tuple[str, ...]:
    return tuple(sorted(group_heads(), key=len, reverse=True))


def _bare_place_kind(name: str) -> bool:
    """``各市（州）``, ``县（市、区）``, ``乡镇``: a kind of place with no body after it."""
    bare = name[1:] if name.startswith("各") else name
    return bare in group_heads() or _kind_stem(bare) in group_heads()


def _shared_body(items: list[_Item]) -> str | None:
    """The body a list's last item names after its place kinds (``县（市、区）财政局`` →
    ``财政局``), when every item before it is a bare place kind. The last item's kinds must
    be bracketed: in ``各街镇、区规划资源局`` the 区 is the level of one bureau."""
    if len(items) >= 2 and all(_bare_place(it.name) for it in items[:-1]):
        return _body_after_place(items[-1].name)
    if len(items) < 2 or not all(_bare_place_kind(it.name) for it in items[:-1]):
        return None
    name = items[-1].name
    name = name[1:] if name.startswith("各") else name
    for head in _heads_longest_first():
        if not name.startswith(head):
            continue
        rest = name[len(head):]
        if "（" in head:
            pass  # 县（市、区）: the kinds are part of the head
        elif rest and rest[0] in "（(":
            close = rest.find("）" if rest[0] == "（" else ")")
            if close < 0 or not _is_kind_note(head, rest[1:close]):
                continue
            rest = rest[close + 1:]
        else:
            continue  # 区规划资源局 is the district's own bureau, not a kind of place
        if len(rest) >= 2 and not _bare_place_kind(rest) and is_agency_name(head + rest):
            return rest
    return None


def _bare_place(name: str) -> bool:
    """``兰州市``, ``临夏州``: a named place and nothing after it."""
    found = default_gazetteer().match_prefix(name)
    return found is not None and not found[1]


def _body_after_place(name: str) -> str | None:
    """What the last item of ``A市、B市、C州发展改革部门`` names after its place, when that
    is a body of its own (the places before it share it); not a suffix the list's
    suffix rule already shares, nor a bare kind of place."""
    found = default_gazetteer().match_prefix(name)
    if found is None or len(found[1]) < 2 or _bare_place_kind(found[1]):
        return None
    return found[1] if is_agency_name(name) else None


def _is_collective(name: str) -> bool:
    """``各`` + a bare place kind (各设区市, 各县（市、区）): a collective that shares the
    group's suffix like any other suffix-less item."""
    return name.startswith("各") and _kind_stem(name)[1:] in group_heads()


def _strip_note(s: str) -> str:
    return re.sub(r"[〈<（(][^〉>）)]*[〉>）)]\s*$", "", s)


def _kind_stem(name: str) -> str:
    """``街道（园区）`` → ``街道`` when the bracket adds place kinds, else ``name``."""
    k = name.find("（") if "（" in name else name.find("(")
    if k > 0 and name[-1] in "）)" and _is_kind_note(name[:k], name[k + 1:-1]):
        return name[:k]
    return name


def _is_kind_note(name: str, inner: str) -> bool:
    """Whether ``（inner）`` after ``name`` adds place kinds to a collective (各乡镇（园区）,
    各市（州）, 县（市、区）): the name is a place kind (after 各) and so is every part of
    the bracket. Such a bracket is part of the collective's name, not a scope note."""
    heads = group_heads()
    bare = name.strip()[1:] if name.strip().startswith("各") else name.strip()
    parts = [p for p in re.split(r"[、，,]", inner) if p]
    return bare in heads and bool(parts) and all(p in heads for p in parts)


def _clean(text: str, start: int, end: int) -> _Item | None:
    """One item: name span without spaces, trailing 等 and its scope note."""
    while start < end and text[start] in " \u3000\t":
        start += 1
    while end > start and text[end - 1] in " \u3000\t。.":
        end -= 1
    while end > start and text[end - 1] in MARKS:
        end -= 1  # 市商务局*: a mark the document explains (带*的为牵头单位), not the name
    while start < end and text[start] in MARKS:
        start += 1
    scope = None
    alias = False
    duty = _DUTY_TAIL.search(text, start, end)
    if duty and duty.start() > start and text[duty.start() - 1] in NOTE_CLOSE:
        end = duty.start()  # 各区政府（含新区，下同）依职责办理: the note, then how they work
    if end > start and text[end - 1] in NOTE_CLOSE:
        depth = 0
        k = end - 1
        while k >= start:
            if text[k] in NOTE_CLOSE:
                depth += 1
            elif text[k] in NOTE_OPEN:
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        inner = text[k + 1: end - 1].strip()
        if k > start and _is_kind_note(text[start:k], inner):
            pass  # 各乡镇（园区）, 各县（市、区）: the bracket names more kinds of the collective
        elif k > start:
            scope = inner or None
            end = k
            if scope and is_agency_name(scope):
                scope, alias = None, True  # a second name of the body (市委组织部〈市公务员局〉)
    while end > start and text[end - 1] in " \u3000\t":
        end -= 1
    category = _CATEGORY_TAIL.search(text, start, end)
    if category and category.end() == end and category.start() > start:
        end = category.start()  # …等市级主管部门（机构）: the class of the bodies listed
        scope = None if not alias else scope
    duty = _DUTY_TAIL.search(text, start, end) or _DOING_TAIL.search(text, start, end)
    if duty and duty.start() > start:
        end = duty.start()  # …、某公司按职责分工负责: how the bodies work, not another body
    for tail in ("等相关单位", "等相关部门", "等单位", "等部门", "等"):
        if text[start:end].endswith(tail) and end - len(tail) > start:
            end -= len(tail)
            break
    name = text[start:end]
    if len(name) < 2 and not (name and name in LEVELS):
        return None
    return _Item(start, end, name, scope, alias)

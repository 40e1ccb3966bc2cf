"""What a space between two Chinese characters is: a PDF artefact, a separator, or text.

PDF text extraction puts spaces inside names (``发展 改革委``, ``市场 监管局``) and
sometimes writes a space where the document has a separator (``市发改委 市财政局``).
The data tables already know the names: department stems and aliases
(data/departments.tsv), named bodies (data/agencies.tsv) and places (data/regions.tsv).
So the rule is small and data-driven:

* a space that falls *inside* a known name of three or more characters (the two halves
  around it complete the name) is dropped;
* a space between a complete name on its left and the start of a name on its right
  (an optional level or place prefix and then a known name) is a separator, ``、``;
* any other space is kept as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from policykg.extract.datafiles import NAMED_BODY_FILES, read_tsv

_REACH = 14  # characters looked at on each side of a space
_LEVELS = ("省", "市", "区", "县", "州")

Role = Literal["drop", "separator", "keep"]


@dataclass(frozen=True)
class _Names:
    bodies: frozenset[str]  # department and agency names and aliases
    places: frozenset[str]  # region names and aliases
    longest: int


def _cells(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


@lru_cache(maxsize=1)
def _names() -> _Names:
    bodies: set[str] = set()
    for row in read_tsv("departments.tsv"):
        for col in ("name_province", "name_city", "name_district", "aliases"):
            bodies.update(_cells(row.get(col, "")))
    for row in (row for name in NAMED_BODY_FILES for row in read_tsv(name)):
        for col in ("name_zh", "aliases", "local_aliases"):
            bodies.update(_cells(row.get(col, "")))
    places: set[str] = set()
    for row in read_tsv("regions.tsv"):
        for col in ("name_zh", "aliases"):
            places.update(_cells(row.get(col, "")))
    bodies = {b for b in bodies if len(b) >= 2}
    longest = max(len(n) for n in bodies | places)
    return _Names(frozenset(bodies), frozenset(places), min(longest, _REACH))


def space_role(left: str, right: str) -> Role:
    """The role of one space between the Han run ``left`` and the Han run ``right``."""
    names = _names()
    left, right = left[-_REACH:], right[:_REACH]
    for size in range(3, names.longest + 1):
        for cut in range(max(1, size - len(right)), min(size, len(left) + 1)):
            word = left[-cut:] + right[: size - cut]
            if word in names.bodies or word in names.places:
                return "drop"
    if _ends_with_body(left, names) and _starts_with_body(right, names):
        return "separator"
    return "keep"


def _ends_with_body(s: str, names: _Names) -> bool:
    return any(s[-n:] in names.bodies for n in range(2, min(len(s), names.longest) + 1))


def _starts_with_body(s: str, names: _Names) -> bool:
    starts = [0]
    if s[:1] in _LEVELS:
        starts.append(1)
    for n in range(2, min(len(s), names.longest) + 1):
        if s[:n] in names.places:
            starts.append(n)
            if s[n : n + 1] in _LEVELS:
                starts.append(n + 1)
    return any(
        s[k : k + n] in names.bodies
        for k in starts
        for n in range(2, min(len(s) - k, names.longest) + 1)
    )

"""The amount dimension: a number with a unit, as goals and rules write it.

``1万亿元``, ``6.4%``, ``3-5家``, ``突破千亿元``, ``千万千瓦``: digits or words (read by
``cn2an``), an optional range, a unit of ``units.tsv`` with its factor to the normalized
unit (money to 亿元). Values are exact :class:`~decimal.Decimal`, so the graph spells one
value one way. What an amount is *of* and *when* is the goal reader's business
(:mod:`extract.quantities.targets`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import cn2an
from policykg.extract.datafiles import read_tsv


@cache
def units() -> tuple[tuple[str, str, Decimal], ...]:
    """(surface, normalized unit, factor) of ``units.tsv``, longest surface first."""
    rows = [(r["surface"], r["unit"], Decimal(r["factor"])) for r in read_tsv("units.tsv")]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@cache
def unit_terms() -> dict[str, str]:
    """Normalized unit → its vocabulary term (``qudt:PERCENT``, ``pk:UnitJia``), from
    ``units.tsv``: a unit QUDT has is named by QUDT, the genre's counting units by the
    project's own ontology."""
    return {r["unit"]: r["term"] for r in read_tsv("units.tsv")}


MONEY_UNITS = ("亿元", "亿美元")

_MAGNITUDES = "十百千万亿"


@cache
def quantity_re() -> re.Pattern[str]:
    """A number (digits, or words with a magnitude) with an optional range and a unit of
    ``units.tsv``, longest unit first; not after 第 (an ordinal) or inside a longer number."""
    surfaces = "|".join(re.escape(u) for u, _, _ in units())
    return re.compile(
        rf"(?:(?<![\d.第])(?P<num>\d+(?:\.\d+)?)(?![\d.])"
        rf"|(?<![第数几上近余零〇一二两三四五六七八九十百千万亿])(?P<cnum>[零〇一二两三四五六七八九十百千万亿]+))"
        rf"\s*(?P<range>[-—~～至]\s*\d+(?:\.\d+)?\s*)?(?P<unit>{surfaces})(?![A-Za-z])"
    )


def word_number(cnum: str, unit: str) -> Decimal | None:
    # ``unit`` is the surface: 万亿元 is 万 + 亿元, but 万元GDP能耗 is no amount of 万 元
    """A number written in words, read by ``cn2an``: ``千亿元`` → 1000 (亿元), ``三个`` → 3.

    A lone magnitude (``万``, ``千``) counts only before money (``突破万亿元``), so idioms
    (``千家万户``) are no quantities; a lone ``一`` (``一个中心``) is an article, not a goal.
    """
    if cnum == "一" or (len(cnum) == 1 and cnum in _MAGNITUDES and unit[0] not in "万亿"):
        return None
    if not any(c in _MAGNITUDES for c in cnum) and (len(cnum) > 1 or cnum in "零〇"):
        return None  # 三五个 is "three to five", 一二 no number: digits in words need a magnitude
    try:
        return Decimal(str(cn2an.cn2an("一" + cnum if cnum[0] in _MAGNITUDES else cnum, "normal")))
    except ValueError:
        return None


def to_decimal(num: str | Decimal, factor: Decimal) -> Decimal:
    """``num`` × the unit's factor, exact: an integer when whole, else without trailing zeros
    (so one value has one spelling in the graph)."""
    value = Decimal(num) * factor
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()

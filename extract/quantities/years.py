"""The time dimension of goals: the years and periods a plan writes.

``到2025年`` (a due year), a bare ``2020年`` (history when before the document's year),
``规划期限为2021—2025年`` (the plan period), ``2012年起5年内`` (a window),
``未来五年`` (counted from the document's year). Patterns only: which year a goal falls
due in is decided by :mod:`extract.quantities.targets`.
"""

from __future__ import annotations

import re

TO_YEAR = re.compile(r"(?:到|至|截至|截止到)\s*(20\d{2})\s*年")
BARE_YEAR = re.compile(r"(?<![到至\d—\-–~])(20\d{2})\s*年(?!以来|前|代)")
_PERIOD = re.compile(r"(?:规划)?期(?:限)?(?:为|是)?\s*(20\d{2})\s*[—\-–~至到]+\s*(20\d{2})\s*年")
FROM_YEARS = re.compile(
    r"(20\d{2})\s*年(?:起|开始|以后)\s*[，,]?\s*(\d+|[一二三四五六七八九十])\s*年(?:内|时间|左右)")
NEXT_YEARS = re.compile(r"未来\s*(\d+|[一二三四五六七八九十])\s*年")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CLAUSE_YEAR = re.compile(r"(?:到|至)?\s*(20\d{2})\s*年(?:底|末)?(?:的)?")


def count(n: str) -> int:
    """A small count of years as written: ``5`` or ``五`` (one to ten)."""
    return int(n) if n.isdigit() else _CN[n]


def plan_period(text: str) -> tuple[int, int] | None:
    """``规划期限为2021—2025年`` → (2021, 2025)."""
    m = _PERIOD.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None

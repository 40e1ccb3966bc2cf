"""Word's automatic numbering: the labels (一、 （二） 3.) Word draws but the text lacks.

A numbered paragraph stores only ``numId`` and a level (in its own properties or its
style's); the label comes from the numbering part: the level's ``lvlText`` (``%1、``,
``（%1）``, ``%1.%2``) with each ``%n`` the counter of level n in that level's format.
Task numbering is what sections and tasks are read from, so the reader writes the
labels into the text as a crawl of the printed page would have them.
"""

from __future__ import annotations

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (the counting form)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + chinese(rest) if rest < 10 else chinese(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return _DIGITS[n // 100] + "百" + tail


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                       (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                       (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """Counter ``n`` in Word's ``numFmt`` ``fmt``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting"):
        return chinese(n)
    if fmt == "ideographDigital":
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographZodiac") and 1 <= n <= 10:
        return _HEAVENLY[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Counters over one document, fed its numbered paragraphs in order."""

    def __init__(self, numbering_element) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if numbering_element is None:
            return
        abstract = {a.get(f"{W}abstractNumId"): a
                    for a in numbering_element.iter(f"{W}abstractNum")}
        for num in numbering_element.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            a = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if a is None:
                continue
            levels = {}
            for lvl in a.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "")
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                ilvl = int(override.get(f"{W}ilvl", "0"))
                if start is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (int(start.get(f"{W}val")), fmt, text)
            self._levels[num.get(f"{W}numId")] = levels

    def label(self, num_id: str, ilvl: int) -> str:
        """The next label of ``num_id`` at level ``ilvl`` (deeper levels start over)."""
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        start = levels[ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text = levels[ilvl]

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            return format_number(counters.get(k, levels[k][0]), levels[k][1])

        return "" if fmt == "bullet" else re.sub(r"%(\d)", sub, text)


def _val(el, tag: str) -> str | None:
    child = el.find(f"{W}{tag}")
    return child.get(f"{W}val") if child is not None else None

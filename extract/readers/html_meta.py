"""The metadata a government web page states: ``<meta>`` tags and its info block.

CMS pages put the article's title, date and source in ``<meta name="ArticleTitle">``,
``PubDate``, ``ContentSource`` (``data/html_meta.tsv`` maps names to header keys), and
the 政府信息公开 pages add an info block (a table or list of 索引号 / 发布机构 / 成文日期 /
发文字号 …) above the text. Its labels are those of ``data/header_keys.tsv``, the same a
crawler's head uses, so the metadata step reads a page's header as it reads a crawl's.
"""

from __future__ import annotations

import re
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.readers.base import clean


@cache
def _meta_names() -> dict[str, str]:
    return {r["name"].lower(): r["key"] for r in read_tsv("html_meta.tsv")}


@cache
def _labels() -> tuple[dict[str, str], re.Pattern[str]]:
    keys = {r["label"]: r["key"] for r in read_tsv("header_keys.tsv")}
    alt = "|".join(re.escape(k) for k in sorted(keys, key=lambda s: (-len(s), s)))
    # A label, spaces allowed between its characters (发 布 机 构), then ： or nothing.
    return keys, re.compile(rf"({alt})\s*([:：])?\s*")


def meta_tags(root) -> dict[str, str]:
    """Header keys from the page's ``<meta name|property=… content=…>`` tags."""
    names = _meta_names()
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        value = clean(meta.get("content") or "")
        if name in names and value:
            out.setdefault(names[name], value)
    return out


def _squeeze(s: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", clean(s))


def info_block(cells: list[str]) -> dict[str, str]:
    """Header keys from the page's short text pieces in order (cells, list items, spans).

    ``发布机构：X`` in one piece, or ``发布机构`` and ``X`` in two (a label cell and its
    value cell); several labels in one piece (``索引号：… 发文字号：…``) are split.
    """
    keys, label_re = _labels()
    out: dict[str, str] = {}
    pieces = [_squeeze(c) for c in cells if c.strip()]
    for n, piece in enumerate(pieces):
        if len(piece) > 120:
            continue
        matches = [m for m in label_re.finditer(piece)
                   if (m.group(2) or m.group(0) == piece)
                   and (m.start() == 0 or piece[m.start() - 1] in " 　|")]
        if not matches or matches[0].start() != 0:
            continue
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(piece)
            value = piece[m.end():end].strip(" ：:|")
            if not value and k + 1 == len(matches) and n + 1 < len(pieces):
                nxt = pieces[n + 1]
                if not label_re.match(nxt):
                    value = nxt  # a label cell, the value in the next cell
            if value and len(value) <= 80:
                out.setdefault(keys[m.group(1)], value)
    return out

"""Government web pages (``.html``/``.htm``): the article without the site around it.

Parsed with lxml (libxml2's HTML parser: fast, forgiving of CMS markup; see
docs/ARCHITECTURE.md for the comparison with selectolax, BeautifulSoup and trafilatura).

* **Encoding**: a BOM, else ``<meta charset>`` / ``http-equiv`` in the first bytes, else
  UTF-8 if it decodes, else charset-normalizer's guess. GB2312 and GBK are read as
  GB18030, their superset (a page labelled GB2312 often holds GBK-only characters).
* **Chrome**: tags that never hold the article (``script``, ``nav``, ``footer`` …) and
  elements whose class or id has a chrome word (``breadcrumb``, ``share``, ``print`` …;
  ``data/html_chrome.tsv``) are dropped; the article is the deepest element that still
  holds nearly all the text of the page's paragraphs and tables (a text-density pick,
  no per-site selector). The normalizer's boilerplate rules catch what is left
  (打印本页, 关闭窗口 as text).
* **Structure**: ``<p>``, headings, list items and ``<br>``-separated runs are
  paragraphs; ``<table>`` is a real table (merged cells spread, :func:`base.spread`).
* **Metadata**: ``<meta>`` tags and the info block (:mod:`extract.readers.html_meta`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from policykg.extract.datafiles import read_tsv
from policykg.extract.errors import DocumentError
from policykg.extract.readers.base import (
    Block,
    Paragraph,
    ReaderOutput,
    Table,
    clean,
    render,
    spread,
)
from policykg.extract.readers.html_meta import info_block, meta_tags
from policykg.extract.readers.text import read_bytes

MEDIA_TYPE = "text/html"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_HAN = re.compile(r"[\u3400-\u9fff]")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                     "section", "article", "blockquote", "center", "dl", "dt", "dd", "pre",
                     "tr", "td", "th", "table", "tbody", "thead", "body", "main", "hr"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KEEP_SHARE = 0.9  # the article holds this share of the best candidate's text


def decode(data: bytes, name: str) -> str:
    """The page's text: declared charset first, then UTF-8, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        label = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(_WIDER.get(label, label))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong label is common: fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(name, "HTML page in an unknown encoding (not UTF-8, GBK or GB18030)")
    encoding = _WIDER.get(best.encoding.lower().replace("_", ""), best.encoding)
    return data.decode(encoding, errors="replace")


@cache
def _chrome() -> tuple[frozenset[str], re.Pattern[str]]:
    rows = read_tsv("html_chrome.tsv")
    tags = frozenset(r["value"] for r in rows if r["kind"] == "tag")
    words = "|".join(re.escape(r["value"]) for r in rows if r["kind"] == "word")
    return tags, re.compile(rf"(?:^|[\s_-])(?:{words})(?:$|[\s_\d-])", re.I)


def _drop_chrome(root) -> None:
    tags, words = _chrome()
    doomed = [el for el in root.iter() if isinstance(el.tag, str) and (
        el.tag in tags or words.search(f"{el.get('class', '')} {el.get('id', '')}"))]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _han(el) -> int:
    return len(_HAN.findall(el.text_content()))


_SENTENCE = re.compile(r"[，。；！？]")
_SUBSTANTIAL = 15  # Han characters of running text that no piece of chrome has


def _own_text(el) -> str:
    """Text standing directly in ``el`` (not in a child element; a link's is its own)."""
    return (el.text or "") + "".join(c.tail or "" for c in el)


def is_layout(table) -> bool:
    """A table used for page layout (old CMS templates), not a table of data: it holds
    another table, or no row has two cells. Its cells are read as blocks."""
    if any(t is not table for t in table.iter("table")):
        return True
    return all(sum(1 for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")) < 2
               for tr in table.iter("tr"))


def _substance(root) -> dict:
    """Han characters of running text per element: sentences (with ，。；) of at least
    15 characters outside links, and data tables; chrome has neither."""
    weight: dict = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag == "a":
            continue
        if el.tag == "table" and not is_layout(el):
            text = el.text_content()
            if len(info_block([clean(t) for t in el.itertext()])) >= 2:
                continue  # the info block
        elif any(a.tag == "table" and not is_layout(a) for a in el.iterancestors()):
            continue  # counted with its table
        else:
            text = _own_text(el)
            if len(_HAN.findall(text)) < _SUBSTANTIAL or not _SENTENCE.search(text):
                continue
        weight[el] = len(_HAN.findall(text))
    return weight


def _article(root):
    """The deepest element holding nearly all the page's running text and data tables.

    Without such text (a page of headings and short lines), the same pick over the
    text of ``<p>``, ``<table>`` and headings.
    """
    weight = _substance(root) or {el: _han(el) for el in root.iter("p", "table", "h1", "h2",
                                                                   "h3")}
    score: dict = {}
    for el, n in weight.items():
        for anc in (el, *el.iterancestors()):
            score[anc] = score.get(anc, 0) + n
    best = max(score.values(), default=0)
    if not best:
        return root
    depth = {el: sum(1 for _ in el.iterancestors()) for el in score}
    article = max((el for el, s in score.items() if s >= _KEEP_SHARE * best), key=depth.get)
    table = article if article.tag == "table" else next(article.iterancestors("table"), None)
    if table is not None and not is_layout(table) and table.getparent() is not None:
        article = table.getparent()  # a data table is read whole, as a table
    return article


def _blocks(el, out: list[Block]) -> None:
    """Paragraphs and tables of ``el`` in document order."""
    buf: list[str] = []

    def flush(heading: bool = False) -> None:
        text = clean("".join(buf))
        buf.clear()
        if text:
            out.append(Paragraph((text,), heading))

    def walk(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):  # comment, processing instruction
                buf.append(child.tail or "")
                continue
            tag = child.tag.lower()
            if tag == "br":
                flush()
            elif tag == "table" and not is_layout(child):
                flush()
                out.append(_table(child))
            elif tag in _BLOCKS:
                flush()
                buf.append(child.text or "")
                walk(child)
                flush(tag in _HEADINGS)
            else:
                buf.append(child.text or "")
                walk(child)
            buf.append(child.tail or "")

    buf.append(el.text or "")
    walk(el)
    flush()


def _cell_text(cell) -> str:
    """A cell's paragraphs on one line, with a space where they broke: the normalizer
    makes a space between two agency names ``、`` and drops it inside running text."""
    parts: list[Block] = []
    _blocks(cell, parts)
    return " ".join(p.text for p in parts if isinstance(p, Paragraph))


def _table(table) -> Table:
    rows = []
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table")) is not table:
            continue  # a row of a nested table: read inside its cell
        rows.append([(_cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
                     for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")])
    return Table(spread(rows))


def _span(td, attr: str) -> int:
    try:
        return max(1, min(int(td.get(attr, "1")), 100))
    except ValueError:
        return 1


def _pieces(root) -> list[str]:
    """Short text pieces of the page in order (cells, items, spans): the info block."""
    out = []
    for el in root.iter("td", "th", "li", "span", "p", "div", "dt", "dd", "label", "em", "b"):
        if not any(isinstance(c.tag, str) and c.tag in _BLOCKS | {"td", "th", "table"}
                   for c in el):
            text = clean(el.text_content())
            if 0 < len(text) <= 120:
                out.append(text)
    return out


def _is_info_table(table: Table) -> bool:
    """The info block laid out as a table (索引号 | … | 发布机构 | …): metadata."""
    return len(info_block([c for row in table.rows for c in row])) >= 2


def parse(text: str, name: str) -> ReaderOutput:
    """A decoded page to text, structure and metadata; pure."""
    from lxml import html as lxml_html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml_html.document_fromstring(text)
    except Exception as err:  # lxml raises ParserError / ValueError on empty documents
        raise DocumentError(name, f"HTML page cannot be parsed: {err}") from None
    metadata = meta_tags(root)
    page_title = clean(root.findtext(".//title") or "")
    _drop_chrome(root)
    article = _article(root)
    for key, value in info_block(_pieces(root)).items():
        metadata.setdefault(key, value)
    blocks: list[Block] = []
    _blocks(article, blocks)
    title = metadata.get("title") or next(
        (clean(h.text_content()) for h in root.iter("h1", "h2") if _han(h)), page_title)
    if title and not any(title in b.text for b in blocks[:3] if isinstance(b, Paragraph)):
        blocks.insert(0, Paragraph((title,), heading=True))  # title above the article div
    info_keys = set(info_block([b.text for b in blocks if isinstance(b, Paragraph)]))
    if info_keys:  # an info block inside the article: metadata, not text
        blocks = [b for b in blocks
                  if not (isinstance(b, Paragraph) and info_block([b.text]))]
    blocks = [b for b in blocks if not (isinstance(b, Table) and _is_info_table(b))]
    return render(blocks, MEDIA_TYPE, metadata)


def read(path: Path) -> ReaderOutput:
    data = read_bytes(path)
    return parse(decode(data, Path(path).name), Path(path).name)

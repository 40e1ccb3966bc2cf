"""Markup a crawler left in a text file: what to drop and what to replace, by position.

Policy documents reach the corpus as Markdown crawls (YAML front matter, ``## 标题``,
``**加粗**`` clauses, ``- `` lists, ``[链接](url)``, ``| a | b |`` tables or a table
flattened to one ``cell |`` a line) and as whole HTML pages saved under ``.txt``. The
extraction rules read plain text, and the normalizer keeps every character it keeps
pointing at the raw file; so this module never rewrites text: it names the raw
positions to *drop* and the few single characters to *replace* (an HTML block tag's
``<`` becomes a line break, a cell tag's too, an entity's ``&`` the character
it spells, a table's inner ``|`` a line break: the table reader reads one cell a line).
:func:`extract.normalize.normalize` applies both, so offsets stay a plain map.

Which HTML tags stand for a line break and which hide their content (``<script>``,
``<head>``) is data (``data/markup_tags.tsv``); a Markdown or text file's line tags
(``<br>``, ``<p>`` a crawl left inside its lines) are line breaks too. Bullets before an
item number (``◈6.``) stay in the text: :mod:`extract.sections` reads past them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from policykg.extract.datafiles import read_tsv


@dataclass
class Edits:
    """Raw spans to drop and single characters to replace (position → character)."""

    drops: list[tuple[int, int]] = field(default_factory=list)
    replace: dict[int, str] = field(default_factory=dict)
    cells: list[tuple[int, int]] = field(default_factory=list)  # table cells, one a line
    continued: list[int] = field(default_factory=list)  # a line that goes on the one above

    def drop(self, start: int, end: int) -> None:
        if end > start:
            self.drops.append((start, end))


@dataclass(frozen=True)
class _Data:
    hidden: frozenset[str]
    block: frozenset[str]
    cell: frozenset[str]
    inline: frozenset[str]


@lru_cache(maxsize=1)
def _data() -> _Data:
    tags = read_tsv("markup_tags.tsv", ("tag", "kind"))
    kinds: dict[str, set[str]] = {"hidden": set(), "block": set(), "cell": set(), "inline": set()}
    for row in tags:
        kinds[row["kind"]].add(row["tag"].lower())
    return _Data(
        hidden=frozenset(kinds["hidden"]),
        block=frozenset(kinds["block"]),
        cell=frozenset(kinds["cell"]),
        inline=frozenset(kinds["inline"]),
    )


# --- HTML ------------------------------------------------------------------------------

# A page starts with markup: a doctype, a tag, a server-page directive (<%@ … %>).
_HTML_START = re.compile(
    r"\A[\s\ufeff]*<(?:!doctype\s+html|%|\?xml|/?[A-Za-z][A-Za-z0-9]*(?::[A-Za-z]+)?[\s/>])",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)|<%.*?(?:%>|\Z)", re.DOTALL)
_DECLARATION = re.compile(r"<![^>]*>")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z]+)?)\b(?:\"[^\"]*\"|'[^']*'|[^'\">])*>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def is_html(text: str) -> bool:
    """A file that is an HTML page or fragment (it opens with a doctype, a tag or a
    server-page directive), whatever its name says."""
    return _HTML_START.match(text) is not None


_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)


def _next_tag(text: str, pos: int) -> int:
    nxt = text.find("<", pos)
    return len(text) if nxt == -1 else nxt


def _html_edits(text: str, edits: Edits) -> None:
    """Tags off, hidden elements off, block tags as line breaks, entities as characters."""
    data = _data()
    pos = 0
    n = len(text)
    while pos < n:
        lt = text.find("<", pos)
        amp = text.find("&", pos)
        if amp != -1 and (lt == -1 or amp < lt):
            match = _ENTITY.match(text, amp)
            if match:
                _entity(match, 0, edits)
                pos = match.end() if match else amp + 1
            else:
                pos = amp + 1
            continue
        if lt == -1:
            break
        match = _COMMENT.match(text, lt) or _DECLARATION.match(text, lt)
        if match:
            edits.drop(lt, match.end())
            pos = match.end()
            continue
        match = _TAG.match(text, lt)
        if not match:
            pos = lt + 1
            continue
        closing, name = match.group(1), match.group(2).lower()
        end = match.end()
        if not closing and name == "table":
            # a table keeps its markup: the task-table reader (extract/assign/htmltables.py)
            # lays its cells on a grid from it, spans included, which one cell a line loses
            close = _TABLE_END.search(text, end)
            if close:
                pos = close.end()
                continue
        if not closing and name in data.hidden and not match.group().endswith("/>"):
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, end)
            end = close.end() if close else n
        if name in data.block:
            edits.replace[lt] = "\n"
            edits.drop(lt + 1, end)
        elif name in data.cell:
            # one cell a line, as the table reader reads a crawled table
            edits.replace[lt] = "\n"
            edits.drop(lt + 1, end)
            if not closing:
                edits.cells.append((end, _next_tag(text, end)))
        else:
            edits.drop(lt, end)
        pos = end


# --- Markdown --------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A[\ufeff]?---[ \t]*\n(?:.*\n)*?---[ \t]*(?:\n|\Z)")
_HEADING = re.compile(r"^[ \t]*(#{2,6})[ \t]*(?=\S)")
_LIST_MARK = re.compile(r"^[ \t]*([-*+][ \t]+)(?=\S)")
_STRONG = re.compile(r"\*{2,3}")
_UNDERSCORE_STRONG = re.compile(
    r"(?<![_A-Za-z0-9])(__)(?=[^_\s])[^\n_]*?(?<=[^_\s])(__)(?![_A-Za-z0-9])"
)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"(\[)[^\[\]\n]*(\]\((?:https?:|ftp:|mailto:|/|\.|#)[^)\n]*\))")
_ESCAPE = re.compile(r"\\(?=[>*_#\[\]()|`~\-+!.])")
_PIPES_ONLY = re.compile(r"^[ \t|]*\|[ \t|]*$")
_LEADING_BAR = re.compile(r"^[ \t]*\|")
_TRAILING_BARS = re.compile(r"[ \t]*\|[ \t|]*$")
_BAR = re.compile(r"(?<!\\)\|")
_TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?$")


def front_matter_end(text: str) -> int:
    """Length of a leading YAML front matter block (``---`` … ``---``), 0 if there is none."""
    match = _FRONT_MATTER.match(text)
    return match.end() if match else 0


def _table_cells(line: str, start: int, edits: Edits) -> None:
    """``| 1 | 推进… | 县交通局 |`` or a flattened table's ``推进… |``: one cell per line.

    The table reader (:mod:`extract.assign.tables`) reads a crawled table one cell per
    line, so an inner bar becomes a line break and the outer bars go; every cell line
    is marked so that paragraph joining leaves it alone.
    """
    trailing = _TRAILING_BARS.search(line)
    if not trailing:
        return
    leading = _LEADING_BAR.match(line)
    body_start = leading.end() if leading else 0
    edits.drop(start + (leading.start() if leading else 0), start + body_start)
    edits.drop(start + trailing.start(), start + len(line))
    bounds = [body_start]
    for bar in _BAR.finditer(line, body_start, trailing.start()):
        edits.replace[start + bar.start()] = "\n"
        bounds.extend((bar.start(), bar.end()))
    bounds.append(trailing.start())
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        edits.cells.append((start + a, start + b))
        _unwrap_cell(line[a:b], start + a, edits)


_WRAP_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_MAX_WRAPPED_CELL = 8


def _unwrap_cell(cell: str, start: int, edits: Edits) -> None:
    """``进展 情况``: a short cell wrapped inside its column; the wrap's space goes."""
    if len(cell.strip()) > _MAX_WRAPPED_CELL + 1 or cell.strip().count(" ") != 1:
        return
    for match in _WRAP_SPACE.finditer(cell):
        edits.drop(start + match.start(), start + match.end())


def _markdown_line(line: str, start: int, edits: Edits) -> None:
    if _TABLE_RULE.match(line) and "|" in line:
        edits.drop(start, start + len(line))
        return
    if _PIPES_ONLY.match(line):
        edits.drop(start, start + len(line))  # a row's opening bar, or empty cells
        return
    _table_cells(line, start, edits)
    for pattern in (_HEADING, _LIST_MARK):
        match = pattern.match(line)
        if match:
            edits.drop(start + match.start(1), start + match.end(1))
            break
    for match in _STRONG.finditer(line):
        edits.drop(start + match.start(), start + match.end())
    for match in _UNDERSCORE_STRONG.finditer(line):
        edits.drop(start + match.start(1), start + match.end(1))
        edits.drop(start + match.start(2), start + match.end(2))
    for match in _IMAGE.finditer(line):
        edits.drop(start + match.start(), start + match.end())
    for match in _LINK.finditer(line):
        edits.drop(start + match.start(1), start + match.end(1))
        edits.drop(start + match.start(2), start + match.end(2))
    for match in _ESCAPE.finditer(line):
        edits.drop(start + match.start(), start + match.start() + 1)
    for match in _TAG.finditer(line):
        # a crawl that kept a page's line tags inside its text (…要求：<br>一、工作目标<br>…)
        # and its inline ones (<span style="…">…</span>): breaks, and nothing
        name = match.group(2).lower()
        if name in _data().block or name in _data().cell:
            edits.replace[start + match.start()] = "\n"
            edits.drop(start + match.start() + 1, start + match.end())
        elif name in _data().inline:
            edits.drop(start + match.start(), start + match.end())
    if "&" in line:
        _entities(line, start, edits)


def _entities(line: str, start: int, edits: Edits) -> None:
    """``&nbsp;``, ``&ldquo;``, ``&#12288;`` left in a text line, as in a page."""
    for match in _ENTITY.finditer(line):
        _entity(match, start, edits)


def _entity(match: re.Match[str], offset: int, edits: Edits) -> None:
    """An entity (``match`` of :data:`_ENTITY`, at ``offset`` + its position) as the one
    character it spells, a no-break space as a space; an entity of several is left."""
    value = html.unescape(match.group()).replace("\xa0", " ")
    if len(value) == 1:
        edits.replace[offset + match.start()] = value
        edits.drop(offset + match.start() + 1, offset + match.end())


def markup_edits(text: str) -> Edits:
    """The drops and replacements that turn ``text``'s markup into plain text.

    An HTML page loses its tags (and nothing else is done to it); any other file keeps
    its front matter as it is (the header reader takes it) and loses the Markdown
    marks of its body. A plain document has none of these marks and is left alone.
    """
    edits = Edits()
    if is_html(text):
        _html_edits(text, edits)
        return edits
    pos = front_matter_end(text)
    previous_bold = False  # the last non-blank line was one bold run (a title piece)
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        line = text[pos:end]
        _markdown_line(line, pos, edits)
        if line.strip():
            bold = _BOLD_LINE.match(line)
            if bold and previous_bold and not _NUMBERED.match(bold.group(1)):
                edits.continued.append(pos + bold.start(1))
            previous_bold = bool(bold) and not _ENDS_CLAUSE.search(bold.group(1))
        pos = end + 1
    return edits


# ``**某省电动汽车充电设施**`` / ``**建设运营管理办法**``: a title set in bold over two
# lines is one line. A numbered bold line is a heading of its own, and a bold line that
# ends a sentence is complete.
_BOLD_LINE = re.compile(r"^[ \t]*\*\*(?!\*)([^*\n]+?)\*\*[ \t]*$")
_NUMBERED = re.compile(
    r"[ \t]*(?:第\s*[一二三四五六七八九十百零〇\d]+\s*[章节条部编篇]"
    r"|[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百\d]+\s*[）)]|\d{1,3}\s*[、.．]|[①-⑳]|附件|附表|专栏)"
)
_ENDS_CLAUSE = re.compile(r"[。；;：:！？!?，,、）)]\s*$")

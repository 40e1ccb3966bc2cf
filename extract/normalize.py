"""From a scraped file to the clean text every extraction rule reads.

The corpus is text scraped from government web pages and PDFs: page chrome around the
document, a foreign page title, traditional characters with inline pinyin, PDF line
breaks in the middle of sentences, paragraphs printed twice, tables of contents. The
rules downstream should see none of that, yet every fact they find must point back
to the characters of the original file. So normalization here only ever *drops*
characters of the raw text or *replaces* one character by one character (OpenCC
t2s, a tab becoming a space, a PDF space between two names becoming ``、``); the one
thing it adds is a line break where a flattened document lost one, and that break
maps to the raw position of the character it precedes. That keeps
``SourceText.offsets`` a plain non-decreasing map from normalized to raw positions.

Steps, in order (each one a small function below):

0. markup off (:mod:`extract.markup`): an HTML page's tags (block tags and table cells
   become line breaks, ``<script>``/``<head>`` go with their content, entities become
   their character), a Markdown body's ``**``/``__``/``##``/``- ``/links, a table's bars
   (one cell a line, never joined to its neighbours), a bold title over two lines made one;
1. t2s, per line and per character where a phrase conversion would change the length;
2. inline pinyin notes such as ``的(de)``, ``为(wéi / wèi)`` removed;
3. in a flattened document (almost no line breaks, :func:`extract.reflow.is_flattened`)
   each line cut where its numbering, a table header run or a crawler head shows a
   lost break (:mod:`extract.reflow`); whitespace inside lines dropped next to
   Chinese, collapsed elsewhere, a PDF space inside a known name dropped and one
   between two names made ``、`` (:mod:`extract.spacing`); blank lines go;
4. the crawler's head goes to the header: a leading ``key: value`` block (``---``
   fenced YAML front matter, whose lists give their first item and whose nested keys
   are skipped, or ended by a blank line), ``>`` notes, a ``# title`` line, and scraped
   ``来源:… 发布时间:…`` lines;
5. page boilerplate (data/boilerplate.tsv) and page chrome before the document's
   opening block (data/document_start.tsv) dropped;
6. a table of contents after a ``目录`` line dropped;
7. repeated runs of lines kept once;
8. lines broken in mid-sentence joined into paragraphs; repeated paragraphs kept once.

The result has one paragraph per line, separated by a single ``\\n``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC
from policykg.extract import markup, reflow
from policykg.extract.brackets import closes_first
from policykg.extract.datafiles import read_tsv
from policykg.extract.errors import DocumentError
from policykg.extract.model import SourceText
from policykg.extract.spacing import space_role

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
# Han, CJK and full-width punctuation, and the quotes/dashes Chinese text uses:
# whitespace next to any of these is layout, not content.
_CJK_RE = re.compile(
    f"[{_HAN}\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\ufe30-\ufe4f\uff00-\uffef"
    "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2022\u25cf]"
)
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060\r")
_INVISIBLE_RE = re.compile("[" + "".join(sorted(_INVISIBLE)) + "]")

# --- pinyin ---------------------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_UNTONE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvennnm")
# A Mandarin syllable without tone: optional initial + final. It accepts a few
# combinations Mandarin lacks; that is fine for telling pinyin from English or codes.
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|van|ai|ei|ao|ou|an|en|er"
    r"|ia|ie|iu|in|ua|uo|ui|un|ve|vn|ue|a|o|e|i|u|v)"
    r"|hm|hng|ng|m|n"
)
# A parenthesised group of lower-case pinyin right after a Han character. Annotations
# with tone marks may also be cut by a line break (scraped text), before or inside.
_PINYIN_NOTE = re.compile(rf"(?<=[{_HAN}])(\s*)[(（]([a-z{_TONED}\s/／,，]{{1,60}}?)[)）]")


def _is_pinyin(body: str, gap: str) -> bool:
    tokens = [t for t in re.split(r"[\s/／,，]+", body) if t]
    if not tokens or any(len(t) > 6 for t in tokens):
        return False
    if not all(_SYLLABLE.fullmatch(t.translate(_UNTONE)) for t in tokens):
        return False
    toned = any(c in _TONED for c in body)
    # Across a line break only a toned annotation is surely pinyin: "(a)" after a
    # break may be a list marker.
    return toned or (not gap and "\n" not in body)


# --- data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    """Compiled patterns from the data files; loaded once per process."""

    boiler_line: tuple[re.Pattern[str], ...]
    boiler_block: tuple[re.Pattern[str], ...]
    header_keys: dict[str, str]
    meta_key_re: re.Pattern[str]
    field_re: re.Pattern[str]
    anchors: tuple[re.Pattern[str], ...]
    titles: tuple[re.Pattern[str], ...]
    closings: tuple[re.Pattern[str], ...]
    issuers: tuple[re.Pattern[str], ...]
    title_suffixes: tuple[str, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    boiler = read_tsv("boilerplate.tsv")
    keys = {row["label"]: row["key"] for row in read_tsv("header_keys.tsv")}
    starts = read_tsv("document_start.tsv")
    suffixes = sorted(
        (
            row["suffix"]
            for row in read_tsv("document_types.tsv")
            if row.get("own_title", "y").strip() != "n"
        ),
        key=lambda s: (-len(s), s),
    )
    labels = "|".join(re.escape(k) for k in sorted(keys, key=lambda s: (-len(s), s)))
    return _Rules(
        boiler_line=tuple(re.compile(r["pattern"]) for r in boiler if r["scope"] == "line"),
        boiler_block=tuple(re.compile(r["pattern"]) for r in boiler if r["scope"] == "block"),
        header_keys=keys,
        meta_key_re=re.compile(rf"({labels})\s*[:：]"),
        field_re=re.compile(
            rf"(?:\d{{1,3}}\s*[.．、]\s*)?[\[【〔［]\s*({labels})\s*[\]】〕］]\s*[:：]?\s*(.*)"
        ),
        anchors=tuple(
            re.compile(r["pattern"])
            for r in starts
            if r["kind"] not in ("issuer", "closing", "title")
        ),
        titles=tuple(re.compile(r["pattern"]) for r in starts if r["kind"] == "title"),
        closings=tuple(
            re.compile(r["pattern"]) for r in starts if r["kind"] in ("issuer", "closing")
        ),
        issuers=tuple(re.compile(r["pattern"]) for r in starts if r["kind"] == "issuer"),
        title_suffixes=tuple(suffixes),
    )


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s with the process's one converter (building one costs a dictionary load)."""
    return _t2s().convert(text)


# --- line model -----------------------------------------------------------------------


@dataclass
class _Line:
    """One line of the raw file: the raw indices it keeps and the text they give."""

    idx: list[int]
    nl: int | None  # raw index of the '\n' that ends it (None on the last line)
    blank_before: bool = False
    text: str = ""
    cut: bool = False  # a pinyin note stood right before the line break: a word goes on
    restored: bool = False  # starts where a flattened line was cut: never joined back


@dataclass
class _Doc:
    raw: str
    chars: list[str]  # chars[i] is what raw[i] becomes (t2s, tab→space)
    lines: list[_Line] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    hard: frozenset[int] = frozenset()  # raw '\n' offsets a paragraph never joins across

    def text_of(self, idx: Iterable[int]) -> str:
        return "".join(map(self.chars.__getitem__, idx))


# --- step 1: traditional → simplified --------------------------------------------------


def _t2s_aligned(raw: str) -> str:
    """t2s that keeps one output character per input character.

    OpenCC converts phrases; a phrase can change length, which would break the
    offset map. Lines whose length changes are converted character by character.
    """
    cc = _t2s()
    out: list[str] = []
    for line in raw.splitlines(keepends=True):
        converted = cc.convert(line)
        if len(converted) != len(line):
            converted = "".join(c2 if len(c2 := cc.convert(ch)) == 1 else ch for ch in line)
        out.append(converted)
    return "".join(out)


# Unicode's small form variants (U+FE50–FE6B), which some sites' editors write for the
# ordinary marks (``1﹒`` for ``1．``, ``﹙牵头﹚``): each becomes the full-width mark the
# rules know, one character for one, so offsets stay as they are.
_SMALL_FORMS = str.maketrans("﹐﹑﹒﹔﹕﹖﹗﹙﹚﹛﹜﹝﹞﹣",
                             "，、．；：？！（）｛｝〔〕－")


# --- step 2: pinyin --------------------------------------------------------------------


def _pinyin_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PINYIN_NOTE.finditer(text):
        if _is_pinyin(match.group(2), match.group(1)):
            spans.append((match.start(), match.end()))
    return spans


# --- step 3: lines and whitespace ------------------------------------------------------


_INVISIBLE_MARK = 1
_PINYIN_MARK = 2

_SPACED_ORDINAL = re.compile(
    r"第[ \t\u3000]*[\d一二三四五六七八九十百零〇](?:[ \t\u3000]*[\d一二三四五六七八九十百零〇])*"
    r"[ \t\u3000]*(?=[条章节款])")


def _ordinal_spaces(text: str) -> list[int]:
    """Spaces a PDF's text put inside an article number (``第 2 0 条``, ``第2 2条``): they
    go, so the article reads as ``第20条`` and opens its section."""
    out = []
    for m in _SPACED_ORDINAL.finditer(text):
        out.extend(k for k in range(m.start(), m.end()) if text[k] in " \t\u3000")
    return out
_MARKUP_MARK = 3


def _split_lines(doc: _Doc, dropped: bytearray) -> None:
    """Lines over the kept characters, whitespace normalized, blank lines removed.

    In a flattened document (almost no line breaks) each long line is first cut
    where its numbering, table header or crawler header shows a lost break.
    """
    raw_lines = _raw_lines(doc, dropped)
    flat = reflow.is_flattened([len(idx) for idx, _, _ in raw_lines if doc.text_of(idx).strip()])
    state = reflow.NumberingState()
    blank = False
    for idx, nl, cut in raw_lines:
        # every line is read, so the numbering state follows the document; in a document
        # that kept its breaks only a long line (a PDF page run together: ``…文件（一）科学
        # 规划布局 …（责任单位：…）（二）合理选址…``) is cut, and only at its numbering
        pieces = _restored_pieces(doc.text_of(idx), state, numbering_only=not flat)
        if not flat and len(idx) < reflow.FLATTENED_CHARS_PER_LINE:
            blank = _add_line(doc, idx, nl, blank, cut)
            continue
        for n, (start, end) in enumerate(pieces):
            last = n == len(pieces) - 1
            blank = _add_line(doc, idx[start:end], nl if last else None, blank,
                              cut and last, restored=n > 0)


def _raw_lines(doc: _Doc, dropped: bytearray) -> list[tuple[list[int], int | None, bool]]:
    """(kept raw indices, the kept '\\n' that ends the line or None, whether a pinyin note
    ends it) for each line. The breaks are found with ``str.find`` and a line with nothing
    dropped is a ``range``: a loop over every character was most of normalizing's time."""
    chars = doc.chars
    joined = "".join(chars)  # one character per raw one (t2s aligned, one-character edits)
    assert len(joined) == len(chars), "a normalization edit changed a character's length"
    out: list[tuple[list[int], int | None, bool]] = []
    start, end = 0, len(chars)
    nl = joined.find("\n")
    while nl >= 0:
        if not dropped[nl]:
            out.append((_kept(dropped, start, nl), nl, _cut_before(doc, dropped, nl)))
            start = nl + 1
        nl = joined.find("\n", nl + 1)
    out.append((_kept(dropped, start, end), None, False))
    return out


def _kept(dropped: bytearray, start: int, end: int) -> list[int]:
    """The indices in ``start:end`` that are not dropped (a dropped '\\n' among them)."""
    if dropped.count(0, start, end) == end - start:
        return list(range(start, end))
    return [i for i in range(start, end) if not dropped[i]]


def _restored_pieces(
    s: str, state: reflow.NumberingState, numbering_only: bool = False
) -> list[tuple[int, int]]:
    """(start, end) of the lines a flattened line is cut into (``numbering_only``: at its
    numbering alone, not at spaces, table headers or a crawler header)."""
    in_head = state.in_head
    heads = reflow.heading_breaks(s, state)
    cuts = set(heads)
    if numbering_only:
        bounds = [0, *sorted(p for p in cuts if 0 < p < len(s)), len(s)]
        return list(zip(bounds, bounds[1:], strict=False))
    cuts.update(reflow.heading_end_breaks(s, [0, *heads], state))
    cuts.update(reflow.space_breaks(s, [0, *heads], _opens_or_closes))
    cuts.update(reflow.table_breaks(s))
    if in_head:
        head_end = heads[0] if heads else len(s)
        cuts.update(reflow.head_breaks(s[:head_end]))
    bounds = [0, *sorted(p for p in cuts if 0 < p < len(s)), len(s)]
    return list(zip(bounds, bounds[1:], strict=False))


def _cut_before(doc: _Doc, dropped: bytearray, nl: int) -> bool:
    """Whether a pinyin note ends the line that ends at ``nl``."""
    j = nl - 1
    while j >= 0 and (
        dropped[j] in (_INVISIBLE_MARK, _MARKUP_MARK) or (not dropped[j] and doc.chars[j] in " \t")
    ):
        j -= 1
    return j >= 0 and dropped[j] == _PINYIN_MARK


def _add_line(
    doc: _Doc, idx: list[int], nl: int | None, blank_before: bool, cut: bool,
    restored: bool = False,
) -> bool:
    """Append a line if anything is left of it; return whether a blank line was met."""
    kept = _squeeze_spaces(doc, idx)
    if not kept:
        return True
    doc.lines.append(_Line(kept, nl, blank_before, doc.text_of(kept), cut, restored))
    return False


_ANY_SPACE = re.compile(r"\s")
"""What ``str.isspace`` is true of (the engine's Unicode whitespace test is the same)."""


def _squeeze_spaces(doc: _Doc, idx: list[int]) -> list[int]:
    """Drop whitespace at the ends and next to Chinese; collapse the rest to one space."""
    chars = doc.chars
    if not _ANY_SPACE.search(doc.text_of(idx)):  # most lines: nothing to squeeze
        return list(idx)
    kept: list[int] = []
    n = len(idx)
    k = 0
    while k < n:
        i = idx[k]
        if not chars[i].isspace():
            kept.append(i)
            k += 1
            continue
        end = k
        while end < n and chars[idx[end]].isspace():
            end += 1
        before = chars[idx[k - 1]] if k > 0 else ""
        after = chars[idx[end]] if end < n else ""
        if before and after and _HAN_RE.match(before) and _HAN_RE.match(after):
            spaced = _letter(chars, idx, k - 2) and _letter(chars, idx, end + 1)
            role = "keep" if spaced else space_role(
                _han_run(chars, idx, k - 1, -1), _han_run(chars, idx, end, 1)
            )
            if role != "drop":
                chars[i] = "、" if role == "separator" else " "
                kept.append(i)
        elif before and after and not (_CJK_RE.match(before) or _CJK_RE.match(after)):
            chars[i] = " "
            kept.append(i)
        k = end
    return _unspace_letters(chars, kept)


def _letter(chars: list[str], idx: list[int], k: int) -> bool:
    """Beyond a single Han character there is a space or nothing (``湖 北 省``)."""
    return not 0 <= k < len(idx) or chars[idx[k]].isspace()


def _han_run(chars: list[str], idx: list[int], k: int, step: int) -> str:
    """The run of Han characters from ``idx[k]`` going left (-1) or right (+1).

    Other spaces inside the run are looked through: a name may hold two PDF spaces.
    """
    out: list[str] = []
    while 0 <= k < len(idx) and len(out) < 16:
        ch = chars[idx[k]]
        if _HAN_RE.match(ch):
            out.append(ch)
        elif not ch.isspace():
            break
        k += step
    return "".join(reversed(out) if step < 0 else out)


def _unspace_letters(chars: list[str], idx: list[int]) -> list[int]:
    """Drop the spaces of letter-spaced Han (``目 录``, ``湖 北 省 文 件``).

    A space between two words is kept (``中共湖北省委 湖北省人民政府`` names two
    bodies); a space between two single characters is layout.
    """

    def single_han(k: int, step: int) -> bool:
        if not (0 <= k < len(idx)) or not _HAN_RE.match(chars[idx[k]]):
            return False
        beyond = k + step
        return not (0 <= beyond < len(idx)) or not _HAN_RE.match(chars[idx[beyond]])

    return [
        i
        for k, i in enumerate(idx)
        if chars[i] != " " or not (single_han(k - 1, -1) and single_han(k + 1, 1))
    ]


def _keep_cells_apart(doc: _Doc, cells: list[tuple[int, int]]) -> None:
    """A table cell's line is never joined to the line before or after it."""
    if not cells:
        return
    spans = sorted(cells)
    starts = [a for a, _ in spans]
    after_cell = False
    for line in doc.lines:
        first = line.idx[0]
        k = bisect.bisect_right(starts, first) - 1
        is_cell = k >= 0 and spans[k][0] <= first < spans[k][1]
        if is_cell or after_cell:
            line.restored = True
        after_cell = is_cell


def _merge_continued(doc: _Doc, starts: list[int]) -> None:
    """A line the markup shows to go on the line above (a bold title over two lines)
    is merged into it before anything reads the lines."""
    if not starts:
        return
    wanted = set(starts)
    merged: list[_Line] = []
    for line in doc.lines:
        if merged and line.idx and line.idx[0] in wanted:
            head = merged[-1]
            head.idx = head.idx + line.idx
            head.text = doc.text_of(head.idx)
            head.nl = line.nl
        else:
            merged.append(line)
    doc.lines = merged


# --- step 4: header --------------------------------------------------------------------

_ASCII_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_ -]{0,30}?)\s*[:：]\s*(\S.*)$")
_SEPARATOR = re.compile(r"^-{3,}$")
_MD_TITLE = re.compile(r"^#{1,6}\s*(?=\S)")
_ANY_LABEL = re.compile(rf"^([{_HAN}A-Za-z][{_HAN}A-Za-z0-9_ ]{{0,11}}?)\s*[:：]\s*(.*)$")
_MAX_HEADER_LINES = 40


def _split_header(doc: _Doc) -> None:
    """The crawler's head of the file goes to ``doc.header``, not to the body.

    A leading block of ``key: value`` lines ended by a blank line or ``---`` (or fenced
    by ``---`` lines, where any short label counts: ``层级: 市级``), then ``>`` crawler
    notes (under ``_notes``) and a markdown ``# title`` line (under ``title_line``).
    Known labels (data/header_keys.tsv) get their key; other labels stay as written.
    """
    lines = doc.lines
    k = _fenced_header(doc)
    if k is None:
        k = _plain_header(doc)
    notes: list[str] = []
    while k < len(lines):
        text = lines[k].text
        if text.startswith(">"):
            notes.append(text.lstrip("> ").strip())
        elif _MD_TITLE.match(text) and "title_line" not in doc.header:
            doc.header["title_line"] = _MD_TITLE.sub("", text).strip()
            if k + 1 == len(lines):  # a file that is only its title: the title is its body
                mark = _MD_TITLE.match(text).end()
                lines[k].text, lines[k].idx = text[mark:], lines[k].idx[mark:]
                break
        else:
            break
        k += 1
    if notes:
        doc.header.setdefault("_notes", "\n".join(n for n in notes if n))
    del lines[:k]


def _fenced_header(doc: _Doc) -> int | None:
    """``---`` / ``key: value`` lines / ``---``: the index after the block, or None."""
    lines = doc.lines
    if not lines or not _SEPARATOR.match(lines[0].text):
        return None
    pairs: list[tuple[str, str]] = []
    for k in range(1, min(len(lines), _MAX_HEADER_LINES)):
        text = lines[k].text
        if _SEPARATOR.match(text):
            for key, value in pairs:
                if value:
                    doc.header.setdefault(key, value)
            return k + 1
        item = _YAML_ITEM.match(text)
        if item and pairs:
            # ``issuer:`` / ``- 某某局``: a list's first item is the key's value.
            key, value = pairs[-1]
            if not value and not _indented(doc, lines[k]):
                pairs[-1] = (key, item.group(1).strip().strip("'\""))
            continue
        pair = _header_pair(text) or _any_label_pair(text) or _yaml_key(text)
        if pair is None:
            return None
        if _indented(doc, lines[k]):
            continue  # a nested mapping's line (``region:`` / ``  level: 省``)
        pairs.append((pair[0], pair[1].strip("'\"")))
    return None


_YAML_ITEM = re.compile(r"^-\s*(\S.*)$")
_YAML_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]{0,40})\s*:$")


def _yaml_key(text: str) -> tuple[str, str] | None:
    """``issuer_canonical:``: a YAML key whose value follows on the next lines."""
    match = _YAML_KEY.match(text)
    return (match.group(1).lower(), "") if match else None


def _indented(doc: _Doc, line: _Line) -> bool:
    """The raw line starts with whitespace (the squeeze dropped it): nested YAML.

    Only a line of the file counts, not a piece a flattened line was cut into.
    """
    first = line.idx[0] if line.idx else 0
    j = first - 1
    while j >= 0 and doc.raw[j] in " \t":
        j -= 1
    return j < first - 1 and (j < 0 or doc.raw[j] == "\n")


def _plain_header(doc: _Doc) -> int:
    """A leading block of known ``key: value`` lines followed by a blank line or ``---``."""
    lines = doc.lines
    start = 1 if lines and _SEPARATOR.match(lines[0].text) else 0
    pairs: list[tuple[str, str]] = []
    k = start
    while k < len(lines):
        pair = _header_pair(lines[k].text)
        if pair is None or (k > start and lines[k].blank_before):
            break
        pairs.append(pair)
        k += 1
    if not pairs:
        return 0
    if k < len(lines) and _SEPARATOR.match(lines[k].text):
        k += 1
    elif k < len(lines) and not lines[k].blank_before:
        return 0  # key: value lines running into the body are not a header block
    for key, value in pairs:
        doc.header.setdefault(key, value)
    return k


def _any_label_pair(text: str) -> tuple[str, str] | None:
    """``层级: 市级`` inside a fenced block: the label kept as the file writes it."""
    match = _ANY_LABEL.match(text)
    if not match:
        return None
    label = match.group(1)
    return _rules().header_keys.get(label, label), match.group(2).strip()


def _header_pair(text: str) -> tuple[str, str] | None:
    match = _ASCII_KEY.match(text)
    rules = _rules()
    if match and not match.group(2).startswith("//"):
        key = re.sub(r"[\s-]+", "_", match.group(1).strip().lower())
        return rules.header_keys.get(key, key), match.group(2).strip()
    match = rules.meta_key_re.match(text)
    if match and match.start() == 0:
        value = text[match.end() :].strip()
        if value:
            return rules.header_keys[match.group(1)], value
    return None


_URL = re.compile(r"https?://\S+")


_PLACEHOLDER = re.compile(r"[-—–_\s]*|[（(]?无[)）]?")
"""The value of a field a page left empty: ``[联合发文单位] ----``, ``文号：（无）``."""


def _meta_pairs(text: str) -> list[tuple[str, str]] | None:
    """``来源:省人民政府   发布时间:2021-11-22`` → pairs, if the line is nothing else.

    A page's metadata list writes one field a line with its label in brackets, often
    numbered (``06. [发文字号] 京政发〔2024〕14号``, ``【成文日期】2024-04-27``): that is a
    meta line too, and one whose value is a placeholder (``----``) gives no pair.
    """
    if len(_URL.sub("", text)) > 100:
        return None
    rules = _rules()
    field = rules.field_re.fullmatch(text)
    if field:
        key, value = rules.header_keys[field.group(1)], field.group(2).strip()
        return [] if _PLACEHOLDER.fullmatch(value) else [(key, value)]
    matches = list(rules.meta_key_re.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    pairs = []
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip()
        if not value or (len(value) > 60 and not _URL.fullmatch(value)):
            return None
        pairs.append((rules.header_keys[match.group(1)], value))
    return pairs


_FIELD_LABEL = re.compile(r"(.{2,6}?)\s*[:：]?")


def _stacked_fields(lines: list[_Line], kind: list[str]) -> dict[int, list[tuple[str, str]]]:
    """A page's information table flattened one cell a line: ``文号`` / ``某政发〔2024〕1号``
    / ``发文日期`` / ``2024-03-09``. A label alone on its line gives the next line as its
    value (none when the next line is a label too); it counts only in a run of at least
    two labels close together, so a lone word such as 标题 in the body stays text.
    Returns the meta lines (label and value lines) with their pairs."""
    keys = _rules().header_keys
    labels: dict[int, str] = {}  # line index -> its label
    for k, line in enumerate(lines):
        m = _FIELD_LABEL.fullmatch(line.text)
        if m and m.group(1) in keys and not kind[k]:
            labels[k] = m.group(1)
    found: dict[int, list[tuple[str, str]]] = {}
    run: list[int] = []
    for k in [*labels, None]:
        if k is not None and (not run or k - run[-1] <= 2):
            run.append(k)
            continue
        if len(run) >= 2:
            for j in run:
                label = labels[j]
                found[j] = []
                nxt = j + 1
                if nxt < len(lines) and nxt not in run and not kind[nxt]:
                    value = lines[nxt].text.strip()
                    if value and len(value) <= 60 and not _SENTENCE_PUNCT.search(value):
                        found[nxt] = []
                        if not _PLACEHOLDER.fullmatch(value):
                            found[j] = [(keys[label], value)]
        run = [k] if k is not None else []
    return found


# --- step 5: boilerplate and page chrome -----------------------------------------------

_SENTENCE_PUNCT = re.compile(r"[。；;！？!?]")
_ANY_PUNCT = re.compile(r"[，。；：、,;:！？!?]")
_DATE_LINE = re.compile(
    r"^(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_LONG_PARAGRAPH = 60


def _is_title(text: str) -> bool:
    """A line that reads like the title of a policy document."""
    if len(text) > 80 or _SENTENCE_PUNCT.search(text) or not _HAN_RE.search(text):
        return False
    core = text.rstrip("”’」』》)）")
    return core.endswith(_rules().title_suffixes) or any(p.match(text) for p in _rules().titles)


def _is_opening(text: str) -> bool:
    """A line of a document's opening block: filing header, 文号, title, addressee."""
    return _is_title(text) or any(p.match(text) for p in _rules().anchors)


def _drop_boilerplate(doc: _Doc) -> None:
    """Drop page chrome: boilerplate lines, scraped meta lines, foreign page headers.

    Everything before the document's opening block (filing header, 文号, title,
    addressee) is page chrome when it is made of short lines only; a title-like line
    there that is not a policy title is another page's title and goes to
    ``header['page_title']``, and meta lines there become ``page_…`` keys.
    """
    rules = _rules()
    lines = doc.lines
    n = len(lines)
    kind = [""] * n  # "line" / "block" boilerplate, "meta"
    metas: dict[int, list[tuple[str, str]]] = {}
    for k, line in enumerate(lines):
        text = line.text
        if any(p.match(text) for p in rules.boiler_line):
            kind[k] = "line"
        elif any(p.match(text) for p in rules.boiler_block):
            kind[k] = "block"
        elif (pairs := _meta_pairs(text)) is not None:
            kind[k] = "meta"
            metas[k] = pairs
    for k, pairs in _stacked_fields(lines, kind).items():
        kind[k] = "meta"
        metas[k] = pairs

    anchor = _find_anchor(lines, kind)
    # An issuer's name right above the title belongs to the opening block.
    while anchor and not kind[anchor - 1] and _is_issuer(lines[anchor - 1].text):
        anchor -= 1
    drop = [kind[k] in ("line", "meta") for k in range(n)]
    for k in range(n):
        if kind[k] == "block":
            neighbours = [kind[j] for j in (k - 1, k + 1) if 0 <= j < n]
            drop[k] = (anchor is not None and k < anchor) or any(neighbours)

    page_title = None
    if anchor:
        rest = [k for k in range(anchor) if not kind[k]]
        if all(_is_chrome(lines[k].text) for k in rest):
            for k in rest:
                text = lines[k].text
                if page_title is None and not _DATE_LINE.match(text) and _is_page_title(text):
                    page_title = text
                drop[k] = True
    if page_title:
        doc.header.setdefault("page_title", page_title)
    for k in sorted(metas):
        foreign = page_title is not None and anchor is not None and k < anchor
        for key, value in metas[k]:
            doc.header.setdefault(f"page_{key}" if foreign else key, value)
    doc.lines = [line for k, line in enumerate(lines) if not drop[k]]


def _find_anchor(lines: list[_Line], kind: list[str]) -> int | None:
    """Index of the first line of the document's opening block, if it comes early."""
    for k, line in enumerate(lines):
        if kind[k]:
            continue
        if _is_opening(line.text):
            return k
        if len(line.text) >= _LONG_PARAGRAPH or _SENTENCE_PUNCT.search(line.text):
            return None  # running text before any opening block: nothing to strip
    return None


def _is_issuer(text: str) -> bool:
    return any(p.match(text) for p in _rules().issuers)


def _is_chrome(text: str) -> bool:
    return len(text) <= 50 and not _SENTENCE_PUNCT.search(text)


def _is_page_title(text: str) -> bool:
    return len(_HAN_RE.findall(text)) >= 8


# --- step 6: table of contents ---------------------------------------------------------

_TOC_MARK = re.compile(r"^目\s*录$")
_ORDINAL = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条篇部]"
    r"|[一二三四五六七八九十百]+[、.．]"
    r"|[（(]\s*[一二三四五六七八九十百\d]+\s*[）)]"
    r"|\d{1,3}\s*[、.．](?!\d)"
    r"|[①-⑳]"
    r"|专栏\s*\d*"
    r"|附件\s*\d*"
    r"|[一二三四五六七八九十]+是"
    r"|——)"
)
_PAGE_NUMBER = re.compile(r"(?:[.．…·]{2,}\s*[（(]?\s*\d{1,4}\s*[)）]?|[（(]\s*\d{1,4}\s*[)）])$")
_LEADERS = re.compile(r"[.．…·]{2,}$")


def _toc_entry(text: str) -> str | None:
    """The heading a TOC line names (page number and dot leaders off), or None."""
    core, numbered = _PAGE_NUMBER.subn("", text)
    core = _LEADERS.sub("", core).strip()
    if not core or len(core) > 40 or _SENTENCE_PUNCT.search(core):
        return None
    if numbered or _ORDINAL.match(core) or (len(core) <= 15 and not _ANY_PUNCT.search(core)):
        return core
    return None


def _drop_toc(doc: _Doc) -> None:
    """Drop ``目录`` and the run of heading lines after it.

    The run ends at the first line that is not a heading, or where the headings
    start over (the body's first heading repeating the TOC's first entry).
    """
    lines = doc.lines
    k = 0
    while k < len(lines):
        if not _TOC_MARK.match(lines[k].text):
            k += 1
            continue
        entries: list[str] = []
        end = k + 1
        while end < len(lines):
            entry = _toc_entry(lines[end].text)
            if entry is None or (entries and _same_heading(entry, entries[0])):
                break
            entries.append(entry)
            end += 1
        if len(entries) >= 2:
            del lines[k:end]
        else:
            k += 1


def _same_heading(a: str, b: str) -> bool:
    """Equal up to character width and spaces: ``(一) 发展基础`` = ``（一）发展基础``."""

    def key(s: str) -> str:
        return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))

    return key(a) == key(b)


# --- step 7: repeated runs of lines ----------------------------------------------------

_PARENTHETICAL = re.compile(r"^[（(〈<].*[）)〉>]$")


def _substantial(texts: list[str]) -> bool:
    """Worth deduplicating: real running text, not a heading or a repeated clause. Lines
    that give a measure its bodies (``牵头单位：X`` / ``责任单位：Y`` under each of two
    measures led by the same bodies) repeat because the document says it twice."""
    return sum(len(t) for t in texts) >= 40 and any(
        len(t) >= 30 and not _PARENTHETICAL.match(t) for t in texts
    ) and not any(_role_line().match(t) for t in texts)


@lru_cache(maxsize=1)
def _role_line() -> re.Pattern[str]:
    """A line opened by a role label of ``assignments_roles.tsv`` and its colon."""
    labels = sorted((r["label"] for r in read_tsv("assignments_roles.tsv")), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, labels))
    return re.compile(rf"\s*[【［\[（(]?\s*(?:{alternatives})\s*[】］\]）)]?\s*[：:]")


def _drop_repeated_lines(doc: _Doc) -> None:
    """A run of lines that repeats an earlier run (a page printed twice) is kept once."""
    texts = [line.text for line in doc.lines]
    seen: dict[str, list[int]] = {}
    drop = [False] * len(texts)
    i = 0
    while i < len(texts):
        best = 0
        for j in seen.get(texts[i], ()):
            k = 0
            while i + k < len(texts) and j + k < i and texts[j + k] == texts[i + k]:
                k += 1
            best = max(best, k)
        if best and _substantial(texts[i : i + best]):
            for k in range(i, i + best):
                drop[k] = True
            i += best
            continue
        seen.setdefault(texts[i], []).append(i)
        i += 1
    doc.lines = [line for k, line in enumerate(doc.lines) if not drop[k]]


# --- step 8: paragraphs ----------------------------------------------------------------

_TERMINAL = "。！？；：!?;:…）)】〕」』"
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def _is_heading(text: str) -> bool:
    return bool(_ORDINAL.match(text)) and len(text) <= 40 and not _SENTENCE_PUNCT.search(text[:-1])


def _is_standalone(text: str) -> bool:
    """A line that stands on its own: title, filing header, 文号, signature, date."""
    if _ANY_PUNCT.search(text):
        return False
    return (
        len(text) <= 12
        or _is_opening(text)
        or _DATE_LINE.match(text) is not None
        or any(p.match(text) for p in _rules().closings)
    )


def _opens_or_closes(text: str) -> bool:
    """A stretch that stands on its own line in the opening or closing block.

    Stricter than :func:`_is_standalone`: in a flattened line a short stretch between
    two spaces is anything, so only a title with a document-type suffix, a filing
    header, a 文号, an issuer or a date counts.
    """
    rules = _rules()
    if any(p.match(text) for p in rules.anchors):
        return True  # filing header, 文号, addressee
    if _ANY_PUNCT.search(text) or len(text) > 80:
        return False
    return (
        text.rstrip("”’」』》)）").endswith(rules.title_suffixes)
        or _DATE_LINE.match(text) is not None
        or any(p.match(text) for p in rules.closings)
    )


def _ends_sentence(text: str) -> bool:
    last = text[-1]
    if last in _TERMINAL:
        return True
    return last in '”’"' and len(text) > 1 and text[-2] in _TERMINAL


def _joins(prev: _Line, nxt: _Line, hard: frozenset[int] = frozenset()) -> bool:
    """Whether ``nxt`` continues the sentence ``prev`` was cut in (a PDF line break).

    A line that ended in a pinyin note was cut inside a word (``人(rén)`` / ``民政府``),
    however short it is.
    """
    if nxt.restored or prev.nl in hard or _ends_sentence(prev.text) or _ORDINAL.match(nxt.text):
        return False
    if _TOC_MARK.match(nxt.text) or _FIELD_START.match(nxt.text):
        return False
    if prev.cut or _closes_open_bracket(prev.text, nxt.text):
        return True
    return not (_is_heading(prev.text) or _is_standalone(prev.text) or _is_standalone(nxt.text))


_FIELD_START = re.compile(
    r"[ \t\u3000]*(?:[\u4e00-\u9fff]{0,6}(?:单位|部门|领导|时限|时间|节点|责任人|处室|科室)"
    r"|牵头|责任|配合)[ \t\u3000]*[：:]|[ \t\u3000]*[【［\[][\u4e00-\u9fff]{2,8}[】］\]]")
"""A line that opens a field of a task (``牵头单位：…``, ``完成时限：…``, ``【配合单位】…``):
its own line, never the rest of the line above, however that one ends."""


def _closes_open_bracket(prev: str, nxt: str) -> bool:
    """``…（责任单位：市公安局、市环`` / ``保局）``: a bracket left open at the end of a
    line and closed on the next is one clause cut by a line break, however short the
    rest is."""
    depth = 0
    for ch in prev:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return bool(depth) and closes_first(nxt, "（(", "）)")


def _paragraphs(doc: _Doc) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    for line in doc.lines:
        if paragraphs and _joins(paragraphs[-1][-1], line, doc.hard):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _assemble(doc: _Doc, paragraphs: list[list[_Line]]) -> tuple[str, list[int]]:
    """Text and offsets; a joined line break becomes nothing (a space between words)."""
    out: list[str] = []
    offsets: list[int] = []
    seen: set[str] = set()
    for para in paragraphs:
        chars: list[str] = []
        offs: list[int] = []
        for n, line in enumerate(para):
            if n and line.text and chars:
                prev_last, first = chars[-1], line.text[0]
                if _ASCII_ALNUM.match(prev_last) and _ASCII_ALNUM.match(first):
                    assert para[n - 1].nl is not None
                    chars.append(" ")
                    offs.append(para[n - 1].nl)
            chars.extend(map(doc.chars.__getitem__, line.idx))
            offs.extend(line.idx)
        text = "".join(chars)
        if text in seen and _substantial([text]):
            continue  # the same paragraph again, perhaps broken differently
        seen.add(text)
        if out:
            out.append("\n")
            offsets.append(_separator(doc, offsets[-1], offs[0]))
        out.extend(chars)
        offsets.extend(offs)
    return "".join(out), offsets


def _separator(doc: _Doc, after: int, before: int) -> int:
    """The raw '\\n' between two kept paragraphs (there is always one)."""
    nl = doc.raw.find("\n", after + 1, before)
    return nl if nl >= 0 else after + 1


# --- public API ------------------------------------------------------------------------


def normalize(raw: str, name: str, hard_breaks: frozenset[int] = frozenset()) -> SourceText:
    """Normalize one document's raw text; pure. DocumentError if no Chinese is left.

    ``hard_breaks``: offsets of line breaks of ``raw`` that end a paragraph for sure (a
    reader of HTML, Word or PDF knows where its blocks and table cells end).
    """
    chars = list(_t2s_aligned(raw).translate(_SMALL_FORMS))
    doc = _Doc(raw=raw, chars=chars, hard=frozenset(hard_breaks))
    dropped = bytearray(len(raw))
    for m in _INVISIBLE_RE.finditer(raw):
        dropped[m.start()] = _INVISIBLE_MARK
    edits = markup.markup_edits("".join(doc.chars))
    for pos, ch in edits.replace.items():
        doc.chars[pos] = ch
    for start, end in edits.drops:
        dropped[start:end] = bytes([_MARKUP_MARK]) * (end - start)
    joined = "".join(doc.chars)
    for start, end in _pinyin_spans(joined):
        dropped[start:end] = bytes([_PINYIN_MARK]) * (end - start)
    for k in _ordinal_spaces(joined):
        dropped[k] = _MARKUP_MARK
    _split_lines(doc, dropped)
    _keep_cells_apart(doc, edits.cells)
    _merge_continued(doc, edits.continued)
    _split_header(doc)
    _drop_boilerplate(doc)
    _drop_toc(doc)
    _drop_repeated_lines(doc)
    text, offsets = _assemble(doc, _paragraphs(doc))
    if not _HAN_RE.search(text):
        raise DocumentError(name, "no Chinese text left after normalization")
    offsets.append(offsets[-1] + 1)
    return SourceText(name=name, raw=raw, text=text, offsets=tuple(offsets), header=doc.header)


def read_document(path: Path) -> SourceText:
    """Read one UTF-8 file (a BOM is fine) and normalize it.

    ``raw`` keeps the BOM, so offsets count code points of the file as it is.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(name, f"cannot read file: {err.strerror or err}") from err
    if not data.strip():
        raise DocumentError(name, "empty file")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(
            name,
            f"not UTF-8: undecodable byte 0x{data[err.start]:02x} at byte offset {err.start}",
        ) from err
    return normalize(raw, name)


def strip_pinyin(text: str) -> str:
    """``text`` without inline pinyin notes, every other character as written.

    For keeping a surface form as the file spells it (traditional characters and all)
    without the reading aids a scraper inlined.
    """
    out, last = [], 0
    for start, end in _pinyin_spans(text):
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    return "".join(out)


def normalize_name(s: str) -> str:
    """A short string (agency name, 文号, header value) in the form the text uses.

    Same character rules as :func:`normalize` (t2s, pinyin notes off, whitespace
    next to Chinese dropped, other runs one space), no structure and no offsets.
    """
    chars = list(_t2s_aligned(s))
    dropped = bytearray(len(s))
    for start, end in _pinyin_spans("".join(chars)):
        dropped[start:end] = b"\x01" * (end - start)
    doc = _Doc(raw=s, chars=chars)
    idx = [i for i, ch in enumerate(chars) if not dropped[i] and ch not in _INVISIBLE]
    # A line break inside a name joins its halves, as in running text.
    for k, i in enumerate(idx):
        if chars[i] == "\n":
            before = chars[idx[k - 1]] if k else ""
            after = chars[idx[k + 1]] if k + 1 < len(idx) else ""
            joined = bool(_CJK_RE.match(before) or _CJK_RE.match(after))
            chars[i] = "" if joined else " "
    idx = [i for i in idx if chars[i]]
    return doc.text_of(_squeeze_spaces(doc, idx))

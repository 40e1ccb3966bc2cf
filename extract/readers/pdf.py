"""PDF files with a text layer, read with pdfplumber (see docs/ARCHITECTURE.md for the
comparison with pypdf and PyMuPDF).

* **Paragraphs** by position: a printed line that runs to the right margin and does not
  end a sentence goes on in the next line (across a page break too), so it is joined
  there, which punctuation alone cannot tell (``…责任单位：区发改局、`` / ``区财政局）``
  are two short lines of one clause). The normalizer then drops the stray spaces a PDF
  puts inside Chinese words (:mod:`extract.spacing`), as for any PDF crawl.
* **Page furniture**: a line in the top or bottom band of a page that is a page number
  (``- 3 -``, ``第3页 共8页``, ``3/8``) or that repeats on another page in the same band
  (a running header, digits aside) is dropped.
* **Tables** with ruled cells are found by position (pdfplumber's line strategy) and
  become real tables; a cell's printed lines join directly, or with a space between two
  agency names (one per line), which the normalizer makes ``、``. Unruled tables stay
  lines of text.
* A PDF with no characters at all is a scan: reported, not guessed (no OCR).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from policykg.extract.errors import DocumentError
from policykg.extract.readers.base import Block, Paragraph, ReaderOutput, Table, render

MEDIA_TYPE = "application/pdf"
_TERMINAL = "。！？；：!?;:"
_FULL = 2.0  # a line ending within this many character heights of the margin is full
_NUMBERED = re.compile(  # a line that opens a numbered item never continues the one above
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)"
    r"|第[一二三四五六七八九十百\d]+[章节条]|[①-⑳])"
)
_BAND = 0.08  # share of the page height at top and bottom where furniture sits
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$|^[-—–－\s]*[ivxlcIVXLC]{1,6}[-—–－\s]*$"
)


def _in_band(line: dict, height: float) -> bool:
    return line["bottom"] <= height * _BAND or line["top"] >= height * (1 - _BAND)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s", "", text))


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page_items(page) -> list[tuple[float, object]]:
    """(top, line dict | Table) of one page, tables apart from the running text."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    text_part = page.filter(lambda obj: obj.get("object_type") != "char"
                            or not _inside(obj, boxes)) if boxes else page
    items: list[tuple[float, object]] = [(ln["top"], ln) for ln in
                                         text_part.extract_text_lines(keep_blank_chars=False)]
    for table in tables:
        rows = tuple(tuple(join_cell_lines((cell or "").split("\n")) for cell in row)
                     for row in table.extract())
        items.append((table.bbox[1], Table(rows)))
    return sorted(items, key=lambda item: item[0])


def _glue(a: str, b: str) -> str:
    """The text between two joined pieces: a space only between two Latin words."""
    return " " if re.match(r"[A-Za-z0-9]", a[-1:]) and re.match(r"[A-Za-z0-9]", b[:1]) else ""


def join_cell_lines(lines: list[str]) -> str:
    """A table cell's printed lines as one: wrapped text joins, while two agency names
    one per line keep a space (the normalizer makes it ``、``)."""
    from policykg.extract.agencies import is_agency_name

    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out:
            last = re.split(r"[、，,；;]", out)[-1]
            first = re.split(r"[、，,；;]", line)[0]
            names = last and first and is_agency_name(last) and is_agency_name(first)
            out += " " if names else _glue(out, line)
        out += line
    return out


def _full(line: dict, right: float) -> bool:
    """Whether ``line`` runs to the margin without ending a sentence: it goes on."""
    height = max(line["bottom"] - line["top"], 1.0)
    text = line["text"].rstrip()
    return line.get("x1", 0) >= right - _FULL * height and not text.endswith(tuple(_TERMINAL))


def parse_pages(pages: list[tuple[float, list[tuple[float, object]]]]) -> list[Block]:
    """Pages as (height, items) to blocks: furniture dropped, running lines one soft
    paragraph between tables; pure (the test feeds it lines without a PDF)."""
    seen = Counter()
    for height, items in pages:
        keys = {_furniture_key(it["text"]) for _, it in items
                if isinstance(it, dict) and _in_band(it, height)}
        seen.update(keys)
    blocks: list[Block] = []
    current = ""
    goes_on = False
    for height, items in pages:
        body = [it for _, it in items if isinstance(it, Table) or not (
            _in_band(it, height) and (_PAGE_NUMBER.match(it["text"].strip())
                                      or seen[_furniture_key(it["text"])] > 1))]
        right = max((it.get("x1", 0) for it in body if isinstance(it, dict)), default=0)
        for item in body:
            if isinstance(item, Table):
                if current:
                    blocks.append(Paragraph((current,)))
                current, goes_on = "", False
                blocks.append(item)
                continue
            text = item["text"].strip()
            if goes_on and current and not _NUMBERED.match(text):
                current += _glue(current, text) + text
            else:
                if current:
                    blocks.append(Paragraph((current,)))
                current = text
            goes_on = _full(item, right)
    if current:
        blocks.append(Paragraph((current,)))
    return blocks


def read(path: Path) -> ReaderOutput:
    import pdfplumber

    name = Path(path).name
    try:
        with pdfplumber.open(str(path)) as pdf:
            if not any(page.chars for page in pdf.pages):
                raise DocumentError(name, "no text layer (scanned?): OCR is not done")
            pages = [(page.height, _page_items(page)) for page in pdf.pages]
            info = pdf.metadata or {}
    except DocumentError:
        raise
    except Exception as err:  # pdfminer raises many kinds on broken or encrypted files
        raise DocumentError(name, f"not a readable PDF: {type(err).__name__}: {err}") from None
    title = str(info.get("Title") or "").strip()
    metadata = {"title": title} if re.search(r"[\u4e00-\u9fff]", title) else {}
    return render(parse_pages(pages), MEDIA_TYPE, metadata)

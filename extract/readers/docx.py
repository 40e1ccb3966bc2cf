"""Word files (``.docx``), read with python-docx: paragraphs, numbering, tables.

Body paragraphs and tables in document order (page headers and footers are other parts
of the file, so they never reach the text). Word's automatic numbering is written into
the text (:mod:`extract.readers.docx_numbering`); a table cell merged over several rows
(``vMerge``) is repeated in each, one merged across columns (``gridSpan``) kept once.
The core properties' title, when set, goes to the header.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from extract.errors import DocumentError
from extract.readers.base import Block, Paragraph, ReaderOutput, Table, render
from extract.readers.docx_numbering import Numbering, W

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(numId, level) from the paragraph's properties, else its style chain's."""
    p_pr = paragraph._p.pPr
    sources = [p_pr] if p_pr is not None else []
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    for pr in sources:
        if pr is None:
            continue
        num = pr.find(f"{W}numPr")
        if num is None:
            continue
        num_id = num.find(f"{W}numId")
        ilvl = num.find(f"{W}ilvl")
        if num_id is not None and num_id.get(f"{W}val") != "0":
            return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0
    return None


def _is_heading(paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith(("Heading", "Title", "标题"))


def _table(table) -> Table:
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # the same cell again: merged across columns
                continue
            last = cell._tc
            cells.append(" ".join(p.text for p in cell.paragraphs if p.text.strip()))
        rows.append(tuple(cells))
    return Table(tuple(rows))


def read(path: Path) -> ReaderOutput:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    name = Path(path).name
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise DocumentError(name, f"not a readable .docx file: {err}") from None
    try:
        part = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        part = None
    numbering = Numbering(part)
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = DocxParagraph(child, document)
            num = _num_pr(paragraph)
            label = numbering.label(*num) if num else ""
            if paragraph.text.strip():
                blocks.append(Paragraph((label + paragraph.text,), _is_heading(paragraph)))
        elif child.tag == f"{W}tbl":
            blocks.append(_table(DocxTable(child, document)))
    title = (document.core_properties.title or "").strip()
    return render(blocks, MEDIA_TYPE, {"title": title} if title else {})

"""The figures behind the readers' libraries (docs/ARCHITECTURE.md, *Readers*).

Runs the candidates for HTML (lxml, selectolax, BeautifulSoup, trafilatura) and PDF
(pdfplumber, pypdf, PyMuPDF) on the synthetic documents of tests/readers_docs.py and
prints time per file and what each kept. The candidates that were not chosen are not
dependencies: ``pip install selectolax beautifulsoup4 trafilatura pypdf pymupdf`` first.

    .venv/bin/python bench/readers_compare.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import readers_docs as R  # noqa: E402

CHECKS = {  # what a reader of these pages must keep, and the chrome it must drop
    "table cell 区市场监管局": "区市场监管局",
    "clause 责任单位": "（责任单位：区政务服务局）",
    "heading 三、任务分解": "三、任务分解",
}
CHROME = ("当前位置", "打印本页", "版权所有", "相关文章", "政务公开")


def timed(fn, n=20):
    fn()  # imports and caches out of the figure
    start = time.perf_counter()
    for _ in range(n):
        out = fn()
    return (time.perf_counter() - start) / n * 1000, out


def html_candidates(page: str):
    from policykg.extract.readers.html import parse

    def ours():
        return parse(page, "p.html").text

    def selectolax():
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(page)
        tree.strip_tags(["script", "style", "nav"])
        return tree.body.text(separator="\n")

    def bs4_lxml():
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page, "lxml")
        for tag in soup(["script", "style", "nav"]):
            tag.decompose()
        return soup.get_text("\n")

    def bs4_html_parser():
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page, "html.parser")
        for tag in soup(["script", "style", "nav"]):
            tag.decompose()
        return soup.get_text("\n")

    def trafilatura():
        import trafilatura as t

        return t.extract(page, include_tables=True, favor_recall=True) or ""

    return {"lxml (extract/readers/html.py)": ours, "selectolax (lexbor), text()": selectolax,
            "BeautifulSoup + lxml, get_text()": bs4_lxml,
            "BeautifulSoup + html.parser": bs4_html_parser,
            "trafilatura 2.x extract()": trafilatura}


def pdf_candidates(path: str):
    def plumber():
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join(p.extract_text() or "" for p in pdf.pages)

    def plumber_tables():
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join(str(t.extract()) for p in pdf.pages for t in p.find_tables())

    def ours():
        from policykg.extract.readers.pdf import read

        return read(Path(path)).text

    def pypdf():
        import pypdf as p

        return "\n".join(pg.extract_text() for pg in p.PdfReader(path).pages)

    def pymupdf():
        import pymupdf as m

        with m.open(path) as doc:
            return "".join(pg.get_text() for pg in doc)

    def pymupdf_tables():
        import pymupdf as m

        with m.open(path) as doc:
            return "\n".join(str(t.extract()) for pg in doc for t in pg.find_tables().tables)

    return {"pdfplumber extract_text": plumber, "pdfplumber find_tables": plumber_tables,
            "extract/readers/pdf.py (pdfplumber)": ours, "pypdf extract_text": pypdf,
            "PyMuPDF get_text": pymupdf, "PyMuPDF find_tables": pymupdf_tables}


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    page = R.write_html(R.BUSINESS * 1, tmp / "b.html").read_text(encoding="utf-8")
    long_page = R.write_html(R.BUSINESS + R.DIGITAL * 20, tmp / "l.html").read_text("utf-8")
    print(f"HTML: CMS page {len(page)} chars / long page {len(long_page)} chars")
    for name, fn in html_candidates(page).items():
        ms, text = timed(fn)
        ms_long, _ = timed(html_candidates(long_page)[name], n=5)
        kept = [k for k, v in CHECKS.items() if v in text]
        chrome = [c for c in CHROME if c in text]
        print(f"  {name:36s} {ms:6.2f} ms  long {ms_long:7.2f} ms  kept {len(kept)}/3 "
              f"chrome left {chrome}")
    pdf = R.write_pdf(R.BUSINESS + R.DIGITAL * 6, tmp / "l.pdf")
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    print(f"PDF: {pages} pages")
    for name, fn in pdf_candidates(str(pdf)).items():
        ms, text = timed(fn, n=3)
        print(f"  {name:36s} {ms / pages:7.1f} ms/page  page numbers left "
              f"{'- 2 -' in text}  cell 区市场监管局 {'区市场监管局' in text}")


if __name__ == "__main__":
    main()

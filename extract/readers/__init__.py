"""Readers by format, behind one interface (a registry by file suffix, as rdflib's
parser plugins): ``read(path) -> ReaderOutput``.

Each reader turns one format into text plus structure (:mod:`extract.readers.base`);
:func:`read_source` then sends that text through the one normalizer, so the offset map
and every extraction step are the same for a crawl, a web page, a Word or a PDF file.
A reader module is imported only when a file of its format is read: a corpus of text
files needs none of the HTML, Word or PDF libraries.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib import import_module
from pathlib import Path

from policykg.extract.errors import DocumentError
from policykg.extract.model import SourceText
from policykg.extract.readers.base import ReaderOutput

READERS: dict[str, str] = {
    ".txt": "policykg.extract.readers.text",
    ".md": "policykg.extract.readers.text",
    ".html": "policykg.extract.readers.html",
    ".htm": "policykg.extract.readers.html",
    ".docx": "policykg.extract.readers.docx",
    ".pdf": "policykg.extract.readers.pdf",
    ".doc": "policykg.extract.readers.legacy",
    ".wps": "policykg.extract.readers.legacy",
}
"""Suffix (lower case) -> module whose ``read(path)`` reads it."""

SUFFIXES = tuple(READERS)


def reader_for(path: Path):
    """The ``read`` function for ``path``'s suffix; DocumentError for an unknown one."""
    module = READERS.get(Path(path).suffix.lower())
    if module is None:
        raise DocumentError(Path(path).name, f"no reader for {Path(path).suffix!r} files")
    try:
        return import_module(module).read
    except ImportError as err:
        raise DocumentError(
            Path(path).name,
            f"the {Path(path).suffix} reader needs {err.name}: pip install -e '.[readers]'",
        ) from None


def read_output(path: Path) -> ReaderOutput:
    """What the format's reader gives for ``path`` (text, structure, metadata)."""
    return reader_for(path)(Path(path))


def read_source(path: Path) -> SourceText:
    """Read ``path`` with its format's reader and normalize the text it produced.

    The file's metadata (``<meta>`` tags, the page's info block, Word properties) goes to
    the header under the keys the metadata step reads; what the text's own head says
    wins. ``media_type`` and ``sha256`` describe the original file (provenance).
    """
    from policykg.extract.normalize import normalize  # heavy (OpenCC); only when a file is read

    path = Path(path)
    out = read_output(path)
    source = normalize(out.text, path.name, hard_breaks=out.hard_breaks)
    header = {k: v for k, v in out.metadata.items() if v}
    header.update(source.header)
    return replace(source, header=header, media_type=out.media_type, sha256=file_sha256(path))


def file_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""

"""Plain text and markdown crawls: the file's characters are the text (UTF-8)."""

from __future__ import annotations

from pathlib import Path

from policykg.extract.errors import DocumentError
from policykg.extract.readers.base import ReaderOutput

MEDIA_TYPES = {".md": "text/markdown", ".txt": "text/plain"}


def read_bytes(path: Path) -> bytes:
    """The file's bytes; DocumentError if unreadable or empty (shared by every reader)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise DocumentError(Path(path).name, f"cannot read file: {err.strerror or err}") from err
    if not data.strip():
        raise DocumentError(Path(path).name, "empty file")
    return data


def read(path: Path) -> ReaderOutput:
    """UTF-8 text as it is (a BOM kept, so offsets count the file's code points)."""
    data = read_bytes(path)
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(
            Path(path).name,
            f"not UTF-8: undecodable byte 0x{data[err.start]:02x} at byte offset {err.start}",
        ) from err
    return ReaderOutput(raw, MEDIA_TYPES.get(Path(path).suffix.lower(), "text/plain"))

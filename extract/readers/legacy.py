"""Legacy Word (``.doc``) and WPS (``.wps``) files: reported, not guessed.

Both are binary compound files (OLE2); no well-kept pure-Python package reads their
text reliably, and converting them needs LibreOffice or antiword outside the build.
"""

from __future__ import annotations

from pathlib import Path

from policykg.extract.errors import DocumentError

NAMES = {".doc": "legacy Word (.doc)", ".wps": "WPS Writer (.wps)"}


def read(path: Path):
    kind = NAMES.get(Path(path).suffix.lower(), "legacy binary")
    raise DocumentError(
        Path(path).name,
        f"unsupported format: {kind} is a binary OLE2 file; save it as .docx or PDF",
    )

"""Reading the data files of ``extract/data/``: one format, one reader, one kind of error.

Alias tables, the gazetteer, keyword lists and the industry scheme are edited by hand
by people who know the domain, not the code, so a mistake must be reported where it is
(file and line) and the format must be the plainest there is: UTF-8 TSV with a header
line, no quoting, ``#`` lines and blank lines ignored (also before the header, where a
generated file says where it comes from), cells stripped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


class DataFileError(ValueError):
    """A malformed data file; the message names the file and the line."""


class Row(dict):
    """One data line: column → cell, plus where it stands for error messages."""

    __slots__ = ("where",)

    def __init__(self, cells: dict[str, str], where: str) -> None:
        super().__init__(cells)
        self.where = where


def data_path(source: str | Path) -> Path:
    """A bare file name means the shipped file in ``extract/data/``."""
    path = Path(source)
    return path if path.is_absolute() or path.parent != Path(".") else DATA_DIR / path


# the files of named bodies (agencies.tsv, central_bodies.tsv), one table across them:
# read by the agency resolver and by the spacer, which must know the same names
NAMED_BODY_FILES = ("agencies.tsv", "central_bodies.tsv")


def read_tsv(
    source: str | Path,
    columns: Sequence[str] | None = None,
    *,
    error: type[Exception] = DataFileError,
) -> list[Row]:
    """The rows of a TSV data file.

    With ``columns`` the header must be exactly these columns, in this order (a file
    whose columns moved would otherwise be read wrongly without a word). A line with
    more cells than the header is an error; missing trailing cells are empty.
    """
    path = data_path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"{path}: cannot read: {err}") from None
    lines = text.splitlines()
    skipped = next((i for i, x in enumerate(lines) if x.strip() and x.lstrip()[0] != "#"), 0)
    lines = lines[skipped:]
    if not lines:
        raise error(f"{path}: empty, a header line is needed")
    header = tuple(cell.strip() for cell in lines[0].split("\t"))
    if columns is not None and header != tuple(columns):
        raise error(f"{path}: header must be {' | '.join(columns)}")
    rows: list[Row] = []
    for number, line in enumerate(lines[1:], start=2 + skipped):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > len(header):
            raise error(f"{path}:{number}: {len(cells)} cells, the header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        rows.append(Row(dict(zip(header, cells, strict=True)), f"{path}:{number}"))
    return rows

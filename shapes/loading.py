"""Reading the graph to validate: any RDF file into one Oxigraph store.

Validation sees the union of all named graphs (agencies live in the vocabularies graph, tasks in
the document graphs), so every input goes into one store and queries run with the default graph
as the union. A file that does not parse is a usage error for a person to fix, so it becomes an
:class:`InputError` naming the file, the line and the parser's reason.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

FORMATS: dict[str, ox.RdfFormat] = {
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "n3": ox.RdfFormat.N3,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf-xml": ox.RdfFormat.RDF_XML,
}
"""File extensions and ``--input-format`` names → Oxigraph formats."""


@dataclass
class InputError(Exception):
    """A file that cannot be read or parsed; ``line`` is 1-based, ``None`` when unknown."""

    file: str
    reason: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.reason}"


def rdf_format(path: Path, name: str | None = None) -> ox.RdfFormat:
    """The format named by ``name``, else by the file extension (``.gz`` not supported)."""
    key = (name or path.suffix.lstrip(".")).lower()
    try:
        return FORMATS[key]
    except KeyError:
        known = ", ".join(sorted({k for k in FORMATS if "-" not in k}))
        what = f"format {name!r}" if name else f"extension {path.suffix or '(none)'!r}"
        raise InputError(str(path), f"unknown RDF {what}; use one of {known}") from None


def _syntax_error(path: Path, error: SyntaxError) -> InputError:
    reason = str(error.msg if hasattr(error, "msg") else error)
    # Oxigraph says "Parser error at line 2 column 10: <reason>"; keep the reason only.
    if ": " in reason and reason.startswith("Parser error"):
        reason = reason.split(": ", 1)[1]
    return InputError(str(path), reason, error.lineno, error.offset)


def load_files(
    paths: list[Path],
    input_format: str | None = None,
    store: ox.Store | None = None,
    trusted: bool = False,
) -> ox.Store:
    """Every file into one (in-memory) store; triple formats go to the default graph.

    ``trusted``: the files are a build's own dump, whose IRIs and language tags were
    checked when its terms were made, so the parser need not check them again (syntax
    errors still fail). Anyone else's file is parsed strictly."""
    store = ox.Store() if store is None else store
    for path in paths:
        path = Path(path)
        fmt = rdf_format(path, input_format)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(str(path), error.strerror or str(error)) from None
        load_bytes(data, fmt, store, name=str(path), base_iri=path.resolve().as_uri(),
                   lenient=trusted)
    return store


def load_bytes(
    data: bytes,
    fmt: ox.RdfFormat,
    store: ox.Store,
    name: str = "<data>",
    base_iri: str | None = None,
    lenient: bool = False,
) -> None:
    """Parse ``data`` into ``store`` in one transaction: a bad file leaves no half of itself."""
    try:
        store.load(io.BytesIO(data), format=fmt, base_iri=base_iri, lenient=lenient)
    except SyntaxError as error:
        raise _syntax_error(Path(name), error) from None
    except (ValueError, OSError) as error:
        raise InputError(name, str(error)) from None

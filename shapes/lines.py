"""Where a focus node is written: the file, line and column of its first statement.

A CI report is only useful when it points at the text to fix, but a parsed graph has no
positions. This module scans the files again, without building triples, and notes for each
IRI subject the first place it starts a statement:

* **N-Triples / N-Quads**: the first line whose subject is the IRI (one statement a line);
* **Turtle / TriG**: the line where the subject's statement starts. A small tokenizer skips
  comments, strings (long ``\"\"\"…\"\"\"`` literals spanning lines too), IRIs and brackets, so a
  ``.`` or ``#`` inside a literal never ends a statement; ``@prefix``/``PREFIX`` and ``@base``/
  ``BASE`` are followed so that prefixed names resolve to the IRIs the parser produced.

Blank nodes are not located (a parser renames them) and other formats (JSON-LD, RDF/XML) have
no statement lines: :func:`locate` simply does not know them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
from policykg.shapes.loading import FORMATS


@dataclass(frozen=True)
class Location:
    """A place in an input file; ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
_TURTLE_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3)

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")

# One Turtle/TriG token a match; the groups name its kind. Long strings first, so that the
# opening quotes of a long string are never read as an empty short string.
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"
               |'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*(?:\\[uU][0-9A-Fa-f]+[^<>"{}|^`\\\s]*)*>)
    | (?P<punct>\^\^|[.;,\[\]()\{\}])
    | (?P<name>(?:[^\s.;,\[\](){}"'<>\#^\\]|\\.|\.(?=[^\s.;,\[\](){}"'<>\#^]))+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _unescape_iri(text: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


class _Lines:
    """Offsets → (line, column), by bisecting the offsets where lines start."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def scan_lines(text: str) -> dict[str, tuple[int, int]]:
    """N-Triples / N-Quads: ``{subject IRI: (line, column)}`` of the first statement of each."""
    found: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if not stripped.startswith("<"):
            continue  # blank line, comment, blank-node subject
        end = stripped.find(">")
        if end > 0:
            iri = _unescape_iri(stripped[1:end])
            found.setdefault(iri, (number, len(line) - len(stripped) + 1))
    return found


def scan_turtle(text: str, base: str = "") -> dict[str, tuple[int, int]]:
    """Turtle / TriG: ``{subject IRI: (line, column)}`` where its first statement starts."""
    lines = _Lines(text)
    prefixes: dict[str, str] = {}
    found: dict[str, tuple[int, int]] = {}
    tokens = [
        (m.lastgroup, m.group(), m.start())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]
    expect_subject, depth, i = True, 0, 0
    while i < len(tokens):
        kind, value, start = tokens[i]
        i += 1
        if kind == "punct" and value in "[(":
            if not depth:
                expect_subject = False  # a blank node or a list is the subject
            depth += 1
            continue
        if kind == "punct" and value in "])":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if kind == "punct" and value in ".{}":
            expect_subject = True
            continue
        if not expect_subject:
            continue
        lowered = value.lower()
        if kind == "name" and lowered in ("@prefix", "prefix") and i + 1 < len(tokens):
            name, iri = tokens[i][1], tokens[i + 1][1]
            if iri.startswith("<"):
                prefixes[name.rstrip(":")] = urljoin(base, _unescape_iri(iri[1:-1]))
            i += 2
            continue
        if kind == "name" and lowered in ("@base", "base") and i < len(tokens):
            iri = tokens[i][1]
            if iri.startswith("<"):
                base = urljoin(base, _unescape_iri(iri[1:-1]))
            i += 1
            continue
        if kind == "name" and lowered == "graph":
            continue  # TriG: GRAPH <name> { … }
        iri = _term_iri(kind, value, prefixes, base)
        graph_name = i < len(tokens) and tokens[i][1] == "{"
        if iri is not None and not graph_name:
            found.setdefault(iri, lines.at(start))
        expect_subject = graph_name
    return found


def _term_iri(kind: str, value: str, prefixes: dict[str, str], base: str) -> str | None:
    """The IRI a subject token spells, None for blank nodes, literals and unknown prefixes."""
    if kind == "iri":
        return urljoin(base, _unescape_iri(value[1:-1]))
    if kind == "name" and ":" in value and not value.startswith("_:"):
        prefix, local = value.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


def scan_file(path: Path, input_format: str | None = None) -> dict[str, Location]:
    """``{subject IRI: Location}`` for one file; empty for formats without statement lines."""
    key = (input_format or path.suffix.lstrip(".")).lower()
    fmt = FORMATS.get(key)
    if fmt not in _LINE_FORMATS + _TURTLE_FORMATS:
        return {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    if fmt in _LINE_FORMATS:
        positions = scan_lines(text)
    else:
        positions = scan_turtle(text, path.resolve().as_uri())
    name = display_path(path)
    return {iri: Location(name, line, col) for iri, (line, col) in positions.items()}


def locate(paths, input_format: str | None = None) -> dict[str, Location]:
    """``{IRI: Location}`` over several files: the first file that states the IRI wins."""
    found: dict[str, Location] = {}
    for path in paths:
        for iri, where in scan_file(Path(path), input_format).items():
            found.setdefault(iri, where)
    return found


def display_path(path: Path) -> str:
    """The path as a CI tool wants it: relative to the working folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()

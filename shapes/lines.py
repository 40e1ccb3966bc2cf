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
_IRI = r"""<[^<>"{}|^`\\\s]*(?:\\[uU][0-9A-Fa-f]+[^<>"{}|^`\\\s]*)*>"""
_NAME_CHAR = r"""[^\s.;,\[\](){}"'<>\#^\\]"""

# What a Turtle/TriG scan must see: text to skip whole (comments, strings, IRIs, escapes, so
# that a '.', '#' or bracket inside them counts for nothing), brackets, graph braces, and the
# '.' that ends a statement (followed by white space, a comment or the end: a '.' inside a
# name or a number is followed by more of it). Long strings come first, so that their opening
# quotes are never read as an empty short string. Names are not matched: they hold nothing
# that could end a statement, and skipping them keeps the Python loop to a few steps a line.
_STRUCTURE = re.compile(
    rf"""
    (?=["'<\#\\\[\](){{}}.])  # where a match can start: tells the engine to leap over names
    (?:
      (?P<skip>\#[^\n]*
             |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             |'''(?:[^'\\]|\\.|'(?!''))*'''
             |"(?:[^"\\\n]|\\.)*"
             |'(?:[^'\\\n]|\\.)*'
             |{_IRI}
             |\\.)
    | (?P<open>[\[(])
    | (?P<close>[\])])
    | (?P<brace>[{{}}])
    | (?P<end>\.(?![^\s\#]))
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_GAP = re.compile(r"(?:\s+|\#[^\n]*)*")
_DIRECTIVE = re.compile(r"(@prefix|prefix|@base|base)\s+(?:([^\s:<]*):\s*)?<([^>]*)>", re.I)
_SUBJECT = re.compile(rf"({_IRI})|((?:{_NAME_CHAR}|\\.|\.(?={_NAME_CHAR}|\\))+)")
_LINE_SUBJECT = re.compile(r"\n([ \t]*)<([^>\n]*)>")  # searched in "\n" + text: faster than ^


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
    text = "\n" + text  # offsets shift by one: each match starts at its line's newline
    line, last = 0, 0
    for m in _LINE_SUBJECT.finditer(text):  # comments and blank-node subjects do not match
        iri = m.group(2)
        if "\\" in iri:
            iri = _unescape_iri(iri)
        if iri not in found:
            line += text.count("\n", last, m.start() + 1)
            last = m.start() + 1
            found[iri] = (line, len(m.group(1)) + 1)
    return found


def scan_turtle(text: str, base: str = "") -> dict[str, tuple[int, int]]:
    """Turtle / TriG: ``{subject IRI: (line, column)}`` where its first statement starts."""
    lines = _Lines(text)
    prefixes: dict[str, str] = {}
    found: dict[str, tuple[int, int]] = {}

    def subject_at(pos: int) -> None:
        """What starts at ``pos`` (a statement's start): directives, a graph name, a subject."""
        nonlocal base
        while True:
            pos = _GAP.match(text, pos).end()
            directive = _DIRECTIVE.match(text, pos)
            if directive is None:
                break
            keyword, name, iri = directive.groups()
            iri = urljoin(base, _unescape_iri(iri))
            if keyword.lower().endswith("prefix"):
                prefixes[name or ""] = iri
            else:
                base = iri
            if keyword.startswith("@"):
                return  # its '.' follows and starts the next statement
            pos = directive.end()  # SPARQL-style PREFIX/BASE: no '.'
        subject = _SUBJECT.match(text, pos)
        if subject is None:
            return  # a blank node, a list, the end
        after = _GAP.match(text, subject.end()).end()
        name = subject.group(2)
        if text.startswith("{", after) or (name is not None and name.lower() == "graph"):
            return  # TriG: a graph name
        iri = _term_iri("iri" if name is None else "name", subject.group(), prefixes, base)
        if iri is not None and iri not in found:
            found[iri] = lines.at(pos)

    depth = 0
    subject_at(0)
    for m in _STRUCTURE.finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif not depth:
            subject_at(m.end())  # after a statement's '.', or a graph's brace
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

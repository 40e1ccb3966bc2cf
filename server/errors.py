"""SPARQL syntax errors a person can read, in one line, at positions in *their* text.

Why: the engine's parser reports what its grammar expected, character classes and all
(``expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …`` — 500
characters), and an undeclared prefix comes out as ``expected OPTIONAL``. The endpoint, the
query page and the CLI all answer with this module's one line instead:
``unknown prefix ex: at line 1, column 20`` or ``line 3, column 5: expected "}" or "."``.
Predeclared prefixes are passed to the engine apart from the text (``prefixes=``) where the
engine takes them (pyoxigraph); the oxigraph server binary takes only text, so
:func:`with_prologue` writes them before the query and :func:`engine_message` moves the
positions back into the user's text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from policykg.server.lexer import TOKENS

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"|\b([A-Z]{2,})\b')
_CLASS = re.compile(r"\[[^\]]*\]")  # the grammar's character classes: noise to a reader
_SHOWN = 5


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_PROLOGUE_ITEM = re.compile(
    r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*([^\s:#<]*):\s*<[^>]*>", re.I)


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the query's own ``PREFIX`` lines declare.

    Only the prologue is read (SPARQL allows PREFIX and BASE declarations only before the
    query form), with one small pattern: tokenizing the whole query cost 27 µs of a small
    query's ~45 µs of work in the server process."""
    out: set[str] = set()
    at, end = 0, len(text)
    while at < end:
        m = _PROLOGUE_ITEM.match(text, at)
        if m is None or m.end() == at:
            break
        if m.group(1) is not None:
            out.add(m.group(1))
        at = m.end()
    return out


def with_prologue(text: str, prefixes: dict[str, str]) -> tuple[str, int]:
    """(``text`` after a ``PREFIX`` line for each of ``prefixes`` it does not declare
    itself, the number of lines put before it). A query's own PREFIX wins: it is never
    declared twice."""
    own = declared_prefixes(text)
    lines = [line for p, line in _prefix_lines(tuple(sorted(prefixes.items()))) if p not in own]
    return "".join(lines) + text, len(lines)


@functools.lru_cache(maxsize=8)
def _prefix_lines(prefixes: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((p, f"PREFIX {p}: <{iri}>\n") for p, iri in prefixes)


def engine_message(message: str, text: str, shift: int, known: Iterable[str] = ()) -> str:
    """:func:`readable` for an engine that saw ``shift`` prologue lines before ``text``."""
    m = _POSITION.match(message.strip())
    if m and shift:
        line = max(1, int(m.group(1)) - shift)
        message = f"error at {line}:{m.group(2)}: {m.group(3)}"
    return readable(message, text, known)


def undeclared_prefix(text: str, known: Iterable[str] = ()) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix neither the query nor ``known`` declares:
    (prefix, line, column), or None."""
    declared = set(known)
    expect_declaration = False
    for m in TOKENS.finditer(text):
        if m.lastgroup != "name":
            continue
        name = m.group()
        if expect_declaration:
            declared.add(name.split(":", 1)[0])
            expect_declaration = False
        elif name.upper() == "PREFIX":
            expect_declaration = True
        elif ":" in name and not name[0].isdigit():
            prefix = name.split(":", 1)[0]
            if prefix not in declared and prefix != "_":
                return (prefix, *_line_column(text, m.start()))
    return None


def readable(message: str, text: str, known: Iterable[str] = ()) -> str:
    """One line for the engine's ``SyntaxError`` message about ``text``."""
    missing = undeclared_prefix(text, known)
    if missing:
        prefix, line, column = missing
        return f"unknown prefix {prefix}: at line {line}, column {column}"
    m = _POSITION.match(message.strip())
    if not m:
        return " ".join(message.split())[:200]
    line, column, rest = m.groups()
    expected = []
    for quoted, word in _QUOTED.findall(_CLASS.sub("", rest)):
        token = quoted.replace('\\"', '"') if quoted else word
        if token not in expected:
            expected.append(token)
    if not expected:
        return f"syntax error at line {line}, column {column}"
    shown = " or ".join(f"`{t}`" for t in expected[:_SHOWN])
    more = " …" if len(expected) > _SHOWN else ""
    return f"line {line}, column {column}: expected {shown}{more}"

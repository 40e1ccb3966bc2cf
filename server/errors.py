"""SPARQL syntax errors a person can read, in one line, at positions in *their* text.

Why: the engine's parser reports what its grammar expected, character classes and all
(``expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …`` — 500
characters), and an undeclared prefix comes out as ``expected OPTIONAL``. The endpoint, the
query page and the CLI all answer with this module's one line instead:
``unknown prefix ex: at line 1, column 20`` or ``line 3, column 5: expected "}" or "."``.
Predeclared prefixes are passed to the engine apart from the text (``prefixes=``), so the
positions it reports are the user's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policykg.server.lexer import _TOKENS

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"|\b([A-Z]{2,})\b')
_CLASS = re.compile(r"\[[^\]]*\]")  # the grammar's character classes: noise to a reader
_SHOWN = 5


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def undeclared_prefix(text: str, known: Iterable[str] = ()) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix neither the query nor ``known`` declares:
    (prefix, line, column), or None."""
    declared = set(known)
    expect_declaration = False
    for m in _TOKENS.finditer(text):
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

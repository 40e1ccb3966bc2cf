"""A linear scan of SPARQL query text: what the server must know before a worker parses it.

Why this module: the server decides three things from the query text alone, and each went
wrong with patterns over the raw text.

* **SERVICE** must be refused by what the query *is*. An escaped ``#`` in a prefixed name
  (``ex:a\\#``) looked like a comment to a text pattern, so the SERVICE after it went unseen
  and a worker fetched an address on this machine's network. Here the scan reads the
  query's tokens left to right — prefixed names with their escapes, strings, IRIs,
  comments, numbers, words — so ``ex:a\\#`` is one name and SERVICE is a keyword.
* **Cost shapes** (the fast lane's key) drop constants and *rename variables* in order of
  appearance, so a client cannot make each heavy query look new by renaming a variable.
* **Limits** (length, nesting depth, UNION count) are checked before the engine's
  recursive parser and evaluator see the text: pyoxigraph crashes at a few thousand nested
  groups or about 10,000 UNIONs.

Every pattern is possessive or atomic and the scan only moves forward, so the cost is
linear in the text: the number pattern that was quadratic on a run of digits (8,000 digits
took 1.7 s and froze the server) is one forward step here. The work runs in C (``re.sub``
with a template); only variables go through Python.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

_NAME = r"[\w.\-\u00b7\u0300-\u036f\u203f\u2040]"
_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"

TOKENS = re.compile(
    "|".join(
        (
            rf"(?P<var>[?$]{_NAME}++)",
            # prefixed names and words (numbers among them: a digit run is tried once)
            rf"(?P<name>(?:[^\W\d]{_NAME}*+)?:(?:{_NAME}|:|%|{_ESCAPE})*+|{_NAME}++)",
            r"(?P<other>[^\w\"'<#:\\?$]++)",  # spaces and punctuation, kept as they are
            r'"""(?:[^"\\]++|\\.|"(?!""))*+"""',
            r"'''(?:[^'\\]++|\\.|'(?!''))*+'''",
            r'"(?:[^"\\\n\r]++|\\.)*+"',
            r"'(?:[^'\\\n\r]++|\\.)*+'",
            r'"""[\s\S]*+|\'\'\'[\s\S]*+|"[^\n]*+|\'[^\n]*+',  # unterminated: the rest, once
            r'<[^<>"{}|^`\\\x00-\x20]*+>',
            r"#[^\n]*+",
        )
    )
)
"""Tokens in the order a SPARQL tokenizer meets them; strings, IRIs and comments are the
unnamed branches (dropped). A character no branch takes (a lone ``<``, ``?``) is kept."""

_NOT_BRACKET = re.compile(r"[^{}()\[\]]++")


_CONSTANT = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""|\'\'\'(?:[^\'\\]++|\\.|\'(?!\'\'))*+\'\'\''
    r'|"(?:[^"\\\n]++|\\.)*+"|\'(?:[^\'\\\n]++|\\.)*+\''
    r'|"""[\s\S]*+|\'\'\'[\s\S]*+|"[^\n]*+|\'[^\n]*+'  # unterminated: the rest, once
    r'|<[^<>"{}|^`\\\x00-\x20]*+>'
    r"|(?<![\w?$:])[+-]?(?>\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?+(?![\w:])"
)
"""Constants for the cost shape: strings, IRIs, numbers. Possessive and atomic throughout,
and an unterminated string takes the rest of its line at once, so no character is scanned
twice whatever the text (the old pattern split digit runs every way: quadratic)."""
_VARIABLE = re.compile(rf"[?$]{_NAME}++")


def query_shape(text: str) -> str:
    """The query with constants blanked and variables renamed in order of appearance.

    What the fast lane learns costs by: the same question asked for another task, or with
    its variables renamed, is the same shape. Prefixed names stay, since the vocabulary
    a query uses is what decides its cost. Runs in C but for the variables, and linearly.
    """
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        return names.setdefault(m.group(), f"?v{len(names)}")

    return " ".join(_VARIABLE.sub(rename, _CONSTANT.sub(" ? ", text)).split())


class QueryTooComplex(ValueError):
    """The query exceeds one of the server's limits; the message names the limit."""


@dataclass(frozen=True)
class Limits:
    max_length: int = 100_000  # characters
    max_depth: int = 256  # nested { ( [
    max_unions: int = 1_000


def _scan(text: str) -> tuple[str, bool, int]:
    """(the code: names and punctuation without strings, IRIs and comments; whether it
    says SERVICE; how many UNIONs), in one forward pass."""
    seen = {"SERVICE": False, "UNION": 0}

    def token(m: re.Match) -> str:
        kind = m.lastgroup
        if kind == "name":
            name = m.group()
            if len(name) in (5, 7):
                word = name.upper()
                if word == "SERVICE":
                    seen["SERVICE"] = True
                elif word == "UNION":
                    seen["UNION"] += 1
            return name
        if kind in ("other", "var"):
            return m.group()
        return " "

    code = TOKENS.sub(token, text)
    return code, seen["SERVICE"], seen["UNION"]


def check_limits(text: str, limits: Limits = Limits()) -> None:
    """Refuse, naming the limit, a text longer than ``limits.max_length``, nested deeper
    than ``limits.max_depth`` or with more than ``limits.max_unions`` UNIONs.

    The counts over the raw text are upper bounds computed in C; only a query that could
    break a limit is scanned token by token.
    """
    if len(text) > limits.max_length:
        raise QueryTooComplex(
            f"the query is {len(text):,} characters long; this endpoint accepts at most "
            f"{limits.max_length:,}")
    brackets = text.count("{") + text.count("(") + text.count("[")
    if brackets <= limits.max_depth and text.upper().count("UNION") <= limits.max_unions:
        return
    code, _service, unions = _scan(text)
    if unions > limits.max_unions:
        raise QueryTooComplex(
            f"the query has {unions:,} UNIONs; this endpoint accepts at most "
            f"{limits.max_unions:,}")
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", code):
        depth += 1 if char in "{([" else -1
        deepest = max(deepest, depth)
    if deepest > limits.max_depth:
        raise QueryTooComplex(
            f"the query nests groups {deepest} levels deep; this endpoint accepts at most "
            f"{limits.max_depth}")


def uses_service(text: str) -> bool:
    """True when the query has a SERVICE clause (outside comments, strings and IRIs).

    pyoxigraph would evaluate it by fetching the given URL from this machine; an open
    endpoint must not be a proxy into the network it runs in.
    """
    if "service" not in text.lower():  # the common case, without the scan
        return False
    return _scan(text)[1]


SHORT_TEXT = 4096
"""Query texts up to this many characters are short: what the server derives from one
(its cost shape, its checks and prologue, its whole answer) is worth remembering; a
longer one is worked out again each time, so distinct huge queries hold no memory."""


def by_short_text(limit: int, maxsize: int) -> Callable[[Callable], Callable]:
    """Remember ``fn(text, *args)`` for texts up to ``limit`` characters (``maxsize`` of
    them, least recently used dropped first); a longer text is worked out again each time.

    Why: clients send the same query texts over and over, so what the server derives from
    a text alone (its cost shape, its checks and prologue) is worth keeping, but a flood of
    distinct huge queries must hold no memory (it held 380 MB for 200 one-megabyte
    queries), and the work on one text is linear anyway."""

    def wrap(fn: Callable) -> Callable:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def call(text: str, *args):
            return cached(text, *args) if len(text) <= limit else fn(text, *args)

        call.cache_info = cached.cache_info  # what is kept, for tests and /health alike
        return call

    return wrap

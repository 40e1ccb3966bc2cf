"""The one error a single document can fail with, and the plain words for unexpected ones."""

from __future__ import annotations

import decimal
import os
import re
import traceback
from pathlib import Path


class DocumentError(Exception):
    """A document that cannot be read or parsed.

    The build reports it by name and goes on with the other documents; nothing of the
    failed document reaches the graph. The message is one line: ``name: reason``.
    """

    def __init__(self, name: str, reason: str) -> None:
        reason = " ".join(str(reason).split())  # a report line, whatever the cause spelled
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self):
        # Travels back from extraction worker processes; the default pickling would call
        # __init__ with the formatted message only.
        return (DocumentError, (self.name, self.reason))


# What an exception means, for a person reading the build's output: the class name of the
# exception is a programmer's word ("InvalidOperation"), the plain words say what went wrong.
# Most specific first: the first isinstance match wins.
_PLAIN_WORDS: tuple[tuple[type[BaseException], str], ...] = (
    (decimal.DivisionByZero, "a division by zero"),
    (decimal.InvalidOperation, "an invalid number computation"),
    (decimal.DecimalException, "a number computation failed"),
    (ZeroDivisionError, "a division by zero"),
    (OverflowError, "a number too large"),
    (UnicodeError, "a text encoding problem"),
    (RecursionError, "text nested too deeply"),
    (MemoryError, "out of memory"),
    (re.error, "a malformed pattern"),
    (KeyError, "a missing entry"),
    (IndexError, "a position out of range"),
    (ValueError, "an invalid value"),
    (TypeError, "a value of the wrong kind"),
    (AttributeError, "a missing attribute"),
    (AssertionError, "an internal check failed"),
    (NotImplementedError, "a case not handled yet"),
)


def os_words(err: OSError, *, name: bool = True) -> str:
    """An OSError as ``strerror`` words, with the file it concerns unless ``name`` is False
    (``permission denied: out/.build-x``)."""
    words = err.strerror or (os.strerror(err.errno) if err.errno else "") or str(err)
    words = words[:1].lower() + words[1:]
    return f"{words}: {err.filename}" if name and err.filename else words


def _detail(err: BaseException) -> str:
    """The exception's own message, unless it only repeats the class (decimal does that)."""
    text = " ".join(str(err).split())
    if not text or text.startswith("[<class ") or text == type(err).__name__:
        return ""
    return text


def _where(err: BaseException) -> str:
    """``module.py:line in function`` of the innermost frame in the project's code."""
    root = Path(__file__).resolve().parents[1]
    found = ""
    for frame in traceback.extract_tb(err.__traceback__):
        path = Path(frame.filename)
        try:
            relative = path.resolve().relative_to(root)
        except ValueError:
            continue
        if ".venv" in relative.parts:
            continue
        found = f"{relative.as_posix()}:{frame.lineno} in {frame.name}"
    return found


def plain_cause(err: BaseException) -> str:
    """One line saying what went wrong in words, the detail kept, no exception class name.

    ``decimal.InvalidOperation([<class 'decimal.InvalidOperation'>])`` raised in
    ``extract/targets.py`` line 40 reads ``an invalid number computation (at
    extract/targets.py:40 in parse_value)``.
    """
    if isinstance(err, OSError):
        words = os_words(err)
    else:
        words = next((w for kind, w in _PLAIN_WORDS if isinstance(err, kind)), "a failure")
        detail = _detail(err)
        if detail:
            words = f"{words}: {detail}"
    where = _where(err)
    return f"{words} (at {where})" if where else words

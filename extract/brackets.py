"""Brackets across a line break: the one check the normalizer and the clause reader share.

A clause cut by a line break (``…（责任单位：市公安局、市环`` / ``保局）``) is one clause: the
normalizer joins the two lines back, and the clause reader does not take the open bracket
for one the page lost. Both ask the same question of the line below.
"""

from __future__ import annotations


def closes_first(line: str, opens: str, closes: str) -> bool:
    """Whether ``line`` closes a bracket before it opens one (``保局）…``)."""
    for ch in line:
        if ch in opens:
            return False
        if ch in closes:
            return True
    return False

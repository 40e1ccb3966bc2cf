"""Which industries a task is about, which it only mentions, and which tasks profile one.

:meth:`IndustryScheme.find_in` finds every industry label in a task's text; a string
match says nothing of its role. Three generic rules, applied to its records
(``(key, span)`` pairs) — the matching engine itself is not touched here:

* **names are not industries**: a mention followed, within its phrase (up to the next
  punctuation), by an institution word of ``data/industry_link_words.tsv``
  (``制造业创新中心``, ``汽车产业基金``) is part of a name and gives no link;
* **subject or passing mention, by position**: a mention in the task's heading or in the
  first clause of its body (up to the first ，。；：) is what the task is about
  (``about``); a mention further on is in passing (``mention``) — 人工智能 in a list of
  technologies deep inside an agricultural-machinery item;
* **industry profiles**: a task whose heading consists of industry labels only (joined by
  与/及/和, with an optional 产业/产业集群/行业 tail, after dropping a bracketed gloss) and
  that stands beside at least one such sibling is an item of a list of industries — a
  重点产业 / 发展重点 chapter profiling each — not a measure; its sub-measures are
  profiles too (``汽车制造`` → ``燃油汽车。…``), and a sub-profile whose subject names no
  industry of its own is about its parent's industries (``激光加工装备。…`` under
  ``智能制造装备``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.industries import TAILS, IndustryScheme
from policykg.extract.model import Section, Span, Task

About = str  # "about" | "mention"
PROFILE = "industry-profile"

_CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")
# the phrase the mention is in ends at punctuation or a connector (…和某大学 is the next one)
_PHRASE_END = re.compile(r"[，,。；;：:、！？!?\n“”\"（）()《》和与及]")
_GLOSS = re.compile(r"[（(][^（）()]*[）)]")
_NAME_WINDOW = 12


@cache
def _words() -> tuple[tuple[str, ...], frozenset[str]]:
    """(institution words, connectors) of ``industry_link_words.tsv``."""
    rows = read_tsv("industry_link_words.tsv")
    names = tuple(sorted((r["word"] for r in rows if r["kind"] == "name"), key=len, reverse=True))
    return names, frozenset(r["word"] for r in rows if r["kind"] == "connector")


def in_name(text: str, span: Span) -> bool:
    """Whether the mention at ``span`` is the first part of a name (制造业创新中心)."""
    names, _ = _words()
    rest = text[span.end: span.end + _NAME_WINDOW]
    end = _PHRASE_END.search(rest)
    phrase = rest[: end.start()] if end else rest
    return any(w in phrase for w in names)


def subject_end(task: Task) -> int:
    """Offset in ``task.text`` where the heading and the body's first clause end."""
    text = task.text
    at = text.find(task.label) if task.label else -1
    heading_end = at + len(task.label) if at >= 0 else 0
    pos = heading_end
    while pos < len(text) and (text[pos].isspace() or text[pos] in "。.：:）)"):
        pos += 1
    end = _CLAUSE_END.search(text, pos)
    return end.start() if end else len(text)


def classify_links(task: Task, found: Iterable[tuple[str, Span]]) -> dict[str, About]:
    """Industry key → ``about`` or ``mention`` for one task, from ``find_in(task.text)``.

    An industry named both in the subject zone and later is ``about``."""
    cut = subject_end(task)
    out: dict[str, About] = {}
    for key, span in found:
        if in_name(task.text, span):
            continue
        role = "about" if span.start < cut else "mention"
        if out.get(key) != "about":
            out[key] = role
    return dict(sorted(out.items()))


def _clean_heading(heading: str) -> str:
    return _GLOSS.sub("", heading).strip(" 。.：:—–-“”\"")


def heading_industries(heading: str, scheme: IndustryScheme) -> tuple[str, ...]:
    """Industries a heading consists of, or () when it says more than industry names."""
    clean = _clean_heading(heading)
    if not clean:
        return ()
    whole = scheme.lookup(clean)
    if whole:
        return (whole.key,)
    for tail in TAILS:
        if clean.endswith(tail) and len(clean) > len(tail):
            clean = clean[: -len(tail)]
            break
    found = scheme.find_in(clean)
    if not found:
        return ()
    _, connectors = _words()
    covered = [False] * len(clean)
    for _key, span in found:
        for i in range(span.start, span.end):
            covered[i] = True
    rest = "".join(ch for ch, c in zip(clean, covered, strict=True) if not c)
    if any(ch not in connectors for ch in rest):
        return ()
    return tuple(dict.fromkeys(key for key, _ in found))


def mark_profiles(tasks: list[Task], sections: list[Section],
                  scheme: IndustryScheme) -> list[Task]:
    """``tasks`` with ``kind`` set to ``industry-profile`` where the profile rule holds."""
    parent_of = {s.key: s.parent for s in sections}

    def group(t: Task) -> str | None:
        if t.parent:
            return "task:" + t.parent
        if t.row is not None:
            return "rows:" + (t.section or "")
        return "section:" + str(parent_of.get(t.key))

    named = {t.key for t in tasks if heading_industries(t.label, scheme)}
    groups: dict[str | None, int] = {}
    for t in tasks:
        if t.key in named:
            groups[group(t)] = groups.get(group(t), 0) + 1
    profiles = {t.key for t in tasks if t.key in named and groups[group(t)] >= 2}
    for t in tasks:  # parents come before their sub-measures
        if t.parent in profiles:
            profiles.add(t.key)
    return [replace(t, kind=PROFILE) if t.key in profiles else t for t in tasks]


def task_industry_links(task: Task, scheme: IndustryScheme) -> dict[str, About]:
    """The links of one task: its profiled industries are ``about`` whatever the text says."""
    links = classify_links(task, scheme.find_in(task.text))
    if task.kind == PROFILE:
        for key in heading_industries(task.label, scheme):
            links[key] = "about"
    return dict(sorted(links.items()))


def industry_links(tasks: list[Task], scheme: IndustryScheme) -> dict[Task, dict[str, About]]:
    """:func:`task_industry_links` of every task, with sub-profiles inheriting their
    parent's industries when they name none of their own (tasks in document order)."""
    out: dict[Task, dict[str, About]] = {}
    about_of: dict[str, list[str]] = {}
    for t in tasks:
        links = task_industry_links(t, scheme)
        if t.kind == PROFILE and t.parent and "about" not in links.values():
            for key in about_of.get(t.parent, ()):
                links[key] = "about"
            links = dict(sorted(links.items()))
        about_of[t.key] = [k for k, r in links.items() if r == "about"]
        out[t] = links
    return out

"""The prose patterns' cue words (data/assignments_prose.tsv) only let the step skip texts
that cannot match: on every real document of the corpus, every match of a pattern holds
one of its cues. A cue that a match can lack would lose assignments silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from policykg.extract.assign.prose import prose_patterns
from policykg.extract.readers import read_source

CORPUS = Path(__file__).resolve().parent / "corpus"
_AROUND = 3
DOCUMENTS = sorted(p for p in CORPUS.iterdir()
                   if p.is_file() and p.suffix in {".txt", ".md", ".html"} and p.stem != "SOURCES")


@pytest.fixture(scope="module")
def texts() -> list[str]:
    seeds = sorted((CORPUS.parent.parent / "seeds").glob("*.txt"))
    return [read_source(p).text for p in [*DOCUMENTS, *seeds]]


def test_every_match_holds_one_of_its_patterns_cues(texts):
    matched = 0
    for name, pattern, cues in prose_patterns():
        assert cues, f"{name}: no cue (every pattern names the words its matches hold)"
        for text in texts:
            for m in pattern.finditer(text):
                matched += 1
                # a cue may sit in a look-behind (一是X…) or a look-ahead (X在…基础上): the
                # text the pattern reads, a few characters either side of the match
                seen = text[max(0, m.start() - _AROUND): m.end() + _AROUND]
                assert any(c in seen for c in cues), f"{name}: {m.group(0)!r} holds no cue"
    assert matched > 500  # the check ran on real matches


def test_a_text_without_the_cue_is_not_scanned_and_one_with_it_is():
    """The cue decides whether the pattern runs at all: 由…牵头 needs its 由."""
    from policykg.extract.assign.prose import prose_mentions
    from policykg.extract.model import Span

    text = "一、重点任务\n（一）推进示范建设。由区商务委牵头实施。\n"
    assert [m.surface for m in prose_mentions(text, Span(0, len(text)))] == ["区商务委"]
    (lead_by,) = [cues for name, _, cues in prose_patterns() if name == "lead_by"]
    assert lead_by == ("由",)

"""Targets of seeds 000 and 004 against the hand gold ``tests/gold/targets.tsv``.

A gold row is found when an extracted target's span holds its quote (or the quote, made
unique by a little context, holds the span) and every field the
row states agrees (metric, value, upper, unit, year, inferred, comparator, per-year,
growth, industry unless the cell is empty, parent). Precision counts the extracted targets
of the document that match a gold row, recall the gold rows matched; one target matches
one row. ``python tests/test_target_gold.py`` prints the figures and every miss.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent / "gold" / "targets.tsv"
_QUOTES = str.maketrans("", "", "“”\"‘’「」")


def read_gold(path: Path = GOLD) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _dec(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


def _metric(text: str) -> str:
    return text.translate(_QUOTES).replace(" ", "")


def _agrees(row: dict[str, str], t, text: str) -> list[str]:
    """The fields of ``row`` that target ``t`` gets wrong (``[]``: a match)."""
    wrong = []
    checks = {
        "metric": _metric(row["metric"]) == _metric(t.metric),
        "value": _dec(row["value"]) == t.value,
        "upper": _dec(row["upper"]) == t.upper,
        "unit": row["unit"] == t.unit,
        "year": int(row["year"]) == t.year,
        "inferred": bool(row["inferred"]) == t.year_inferred,
        "comparator": (row["comparator"] or None) == t.comparator,
        "per_year": bool(row["per_year"]) == t.per_year,
        "growth": _dec(row["growth"]) == t.growth_rate,
    }
    if row["industry"]:
        checks["industry"] = (None if row["industry"] == "-" else row["industry"]) == t.industry
    for field, ok in checks.items():
        if not ok:
            wrong.append(field)
    return wrong


def score(gold: list[dict[str, str]], extracted: dict[str, tuple[str, list]]) -> dict:
    """``extracted``: document → (normalized text, targets). Per document: P, R, misses."""
    out = {}
    for doc, (text, targets) in sorted(extracted.items()):
        rows = [r for r in gold if r["document"] == doc]
        matched: dict[int, int] = {}  # gold row index -> target index
        misses = []
        for i, row in enumerate(rows):
            at = text.find(row["quote"])
            once = at >= 0 and text.find(row["quote"], at + 1) < 0
            assert once, f"quote not once: {row['quote']}"
            span = (at, at + len(row["quote"]))
            inside = [j for j, t in enumerate(targets)  # the span holds the quote, or the
                      if t.span.start <= span[0] and span[1] <= t.span.end  # quote (made
                      or span[0] <= t.span.start and t.span.end <= span[1]]  # unique) the span
            best = None
            for j in inside:
                if j in matched.values():
                    continue
                wrong = _agrees(row, targets[j], text)
                if row["parent"]:
                    p = text.find(row["parent"])
                    parent = targets[j].parent
                    if parent is None or not (parent.start <= p and p < parent.end):
                        wrong.append("parent")
                elif targets[j].parent is not None:
                    wrong.append("parent")
                if not wrong:
                    best = j
                    break
                best = best if best is not None else (j, wrong)
            if isinstance(best, int):
                matched[i] = best
            else:
                misses.append((row["quote"], best[1] if best else ["not found"]))
        spurious = [text[t.span.start:t.span.end] for j, t in enumerate(targets)
                    if j not in matched.values()]
        out[doc] = {
            "P": len(matched) / len(targets) if targets else 1.0,
            "R": len(matched) / len(rows) if rows else 1.0,
            "gold": len(rows), "extracted": len(targets), "correct": len(matched),
            "misses": misses, "spurious": spurious,
        }
    return out


def _extract(seed_meta) -> dict[str, tuple[str, list]]:
    from policykg.extract.industries import IndustryScheme
    from policykg.extract.places.gazetteer import Gazetteer
    from policykg.extract.quantities.targets import find_targets

    gazetteer = Gazetteer.load()
    out = {}
    for seed in ("000", "004"):
        src, meta = seed_meta[seed]
        scheme = IndustryScheme.load()
        scheme.extend_from(src.text)
        year = meta.issued.year if meta.issued else None
        out[seed] = (src.text, find_targets(src.text, scheme, gazetteer, meta.jurisdiction, year))
    return out


@pytest.fixture(scope="module")
def scores(seed_meta):
    return score(read_gold(), _extract(seed_meta))


def test_gold_quotes_are_well_formed():
    rows = read_gold()
    assert rows and all(len(r["quote"]) >= 6 for r in rows)
    assert {r["document"] for r in rows} == {"000", "004"}


@pytest.mark.parametrize("seed", ["000", "004"])
def test_target_precision_and_recall(scores, seed):
    s = scores[seed]
    assert s["P"] >= 0.97 and s["R"] >= 0.95, (s["misses"], s["spurious"])


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import SEEDS  # noqa: F401  (the seed folder)
    from policykg.extract.document import extract_meta
    from policykg.extract.normalize import read_document
    from policykg.extract.places.gazetteer import Gazetteer

    g = Gazetteer.load()
    meta = {}
    for path in sorted(SEEDS.glob("*.txt")):
        src = read_document(path)
        meta[path.name[:3]] = (src, extract_meta(src, g))
    for doc, s in score(read_gold(), _extract(meta)).items():
        print(f"{doc}: P={s['P']:.3f} R={s['R']:.3f} "
              f"({s['correct']} correct, {s['extracted']} extracted, {s['gold']} gold)")
        for quote, wrong in s["misses"]:
            print("   miss", quote, wrong)
        for quote in s["spurious"]:
            print("   spurious", quote)

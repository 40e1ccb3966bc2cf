"""``policykg eval --corpus DIR``: the extractor on real documents against quote-anchored gold.

Extraction and scoring live in :mod:`extract`; this module only finds the gold files,
runs the pieces and prints the table (or JSON). Exit code 2 for a malformed gold file
or folder, 0 otherwise: the figures are a measurement, not a pass/fail check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policykg.extract.errors import DocumentError
from policykg.extract.evaluate import (
    DocumentScore,
    GoldError,
    corpus_report,
    extracted_pairs,
    gold_pairs,
    read_corpus_gold,
    score_document,
)


def score_corpus(folder: Path) -> tuple[list[DocumentScore], list[str], list[str]]:
    """Scores of the documents that have gold; names skipped (no gold) and failed."""
    from policykg.extract.pipeline import extract_corpus

    result = extract_corpus(folder)
    scores, skipped = [], []
    for doc in result.documents:
        ex = doc.extraction
        stem = Path(ex.source.name).stem
        gold_path = folder / "gold" / f"{stem}.tsv"
        if not gold_path.is_file():
            skipped.append(Path(ex.source.name).name)
            continue
        gold = gold_pairs(ex, read_corpus_gold(gold_path), str(gold_path))
        scores.append(score_document(stem, gold, extracted_pairs(ex)))
    return scores, skipped, [str(f) for f in result.failures]


def _line(name: str, t: dict) -> str:
    return (f"{name:<58} {t['gold']:>5} {t['predicted']:>5} {t['tp']:>5} {t['fp']:>5} {t['fn']:>5}"
            f"  {t['precision']:.3f}  {t['recall']:.3f}  {t['f1']:.3f}")


def run_corpus_eval(folder: Path, *, as_json: bool = False, show_errors: bool = False) -> int:
    try:
        scores, skipped, failed = score_corpus(folder)
    except (GoldError, DocumentError) as err:
        print(f"policykg eval: {err}", file=sys.stderr)
        return 2
    report = corpus_report(scores)
    report["skipped"] = skipped
    report["failed"] = failed
    if show_errors:
        report["errors"] = {
            s.document: {
                "false_positives": [vars(p) for p in s.false_positives],
                "false_negatives": [vars(p) for p in s.false_negatives],
            }
            for s in scores
        }
    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    head = f"{'':<58} {'gold':>5} {'pred':>5} {'tp':>5} {'fp':>5} {'fn':>5}  P      R      F1"
    print(head)
    for name, t in report["documents"].items():
        print(_line(name, t))
    print(_line("total", report["total"]))
    print()
    print(head.replace(" " * 8, "form    ", 1))
    for name, t in report["forms"].items():
        print(_line(name, t))
    print(_line("leads (role = lead)", report["leads"]))
    for name in skipped:
        print(f"skipped (no gold): {name}")
    for name in failed:
        print(f"failed: {name}")
    if show_errors:
        for s in scores:
            for kind, pairs in (("FP", s.false_positives), ("FN", s.false_negatives)):
                for p in pairs:
                    quote = p.quote.replace("\n", "\\n")  # one error a line
                    print(kind, s.document, p.form, p.role, p.agency, p.task, quote, sep="\t")
    return 0

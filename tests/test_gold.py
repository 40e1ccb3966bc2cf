"""The real extractor on the seeds against the hand-annotated gold assignments."""

from __future__ import annotations

from pathlib import Path

import pytest
from policykg.extract.evaluate import evaluate, predicted_rows, read_gold
from policykg.extract.model import DocumentExtraction, DocumentMeta

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "assignments.tsv"


def extract_seeds() -> list[DocumentExtraction]:
    from policykg.extract.assignments import find_assignments
    from policykg.extract.normalize import read_document
    from policykg.extract.sections import parse_sections
    from policykg.extract.tasks import find_tasks

    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        source = read_document(path)
        sections = parse_sections(source.text)
        tasks = find_tasks(source.text, sections)
        assignments = find_assignments(source.text, sections, tasks)
        out.append(DocumentExtraction(source=source, meta=DocumentMeta(path.stem, None),
                                      sections=sections, tasks=tasks, assignments=assignments))
    return out


def test_gold_file_shape():
    rows = read_gold(GOLD)
    assert {r["role"] for r in rows} == {"lead", "responsible"}
    assert {r["inherited"] for r in rows} == {"0", "1"}
    assert {r["document"][:3] for r in rows} == {"001", "003", "004"}


def test_seed_assignments_against_gold(capsys):
    gold = read_gold(GOLD)
    scores = evaluate(gold, predicted_rows(extract_seeds()))
    with capsys.disabled():
        print(f"\nassignments vs gold: {scores.summary()}")
        for fp in scores.false_positives[:10]:
            print("  false positive:", fp)
        for fn in scores.false_negatives[:10]:
            print("  false negative:", fn)
    assert scores.precision >= 0.95
    assert scores.recall >= 0.95


def test_evaluate_counts_errors():
    gold = [
        {"document": "a.txt", "task_heading": "甲", "role": "lead", "agency": "市经信局"},
        {"document": "a.txt", "task_heading": "甲", "role": "responsible", "agency": "市发改委"},
    ]
    predicted = [
        {"document": "a", "task_heading": "甲", "role": "lead", "agency": "市经信局"},
        {"document": "a.txt", "task_heading": "甲", "role": "lead", "agency": "市发改委"},
    ]
    scores = evaluate(gold, predicted)
    assert scores.precision == pytest.approx(0.5) and scores.recall == pytest.approx(0.5)
    assert scores.false_negatives == (("a", "甲", "responsible", "市发改委"),)
    assert scores.false_positives == (("a", "甲", "lead", "市发改委"),)


def test_evaluate_folds_punctuation_width():
    gold = [{"document": "a.txt", "task_heading": "盘活（僵尸企业）", "role": "lead",
             "agency": "市经信局"}]
    predicted = [{"document": "a.txt", "task_heading": "盘活(僵尸企业)", "role": "lead",
                  "agency": "市经信局"}]
    assert evaluate(gold, predicted).f1 == 1.0

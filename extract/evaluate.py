"""Scoring task→agency assignments against the hand-annotated gold standard.

The unit is the tuple (document, task heading, role, agency surface): it is what a
reader of the plan would write down, independent of section keys or offsets, so the
gold file (``tests/gold/assignments.tsv``) survives changes to the section parser.
Comparison folds full/half-width forms and spaces (NFKC) and the ``.txt`` suffix of the
document name, since the normalizer does not unify punctuation width.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from extract.model import DocumentExtraction

GOLD_COLUMNS = ("document", "task_heading", "role", "agency", "inherited")

Row = dict[str, str]
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    false_positives: tuple[Key, ...]
    false_negatives: tuple[Key, ...]

    def summary(self) -> str:
        return (f"precision {self.precision:.3f}  recall {self.recall:.3f}  f1 {self.f1:.3f}  "
                f"(fp {len(self.false_positives)}, fn {len(self.false_negatives)})")


def _fold(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def _doc(name: str) -> str:
    return Path(name).stem if name.endswith((".txt", ".md")) else Path(name).name


def row_key(row: Row) -> Key:
    return (_doc(row["document"]), _fold(row["task_heading"]), row["role"], _fold(row["agency"]))


def read_gold(path: Path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        missing = set(GOLD_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        return list(reader)


def predicted_rows(extraction_results: Iterable[object]) -> list[Row]:
    """Gold-shaped rows from extractions (``DocumentExtraction`` or anything with an
    ``.extraction`` attribute holding one, such as the pipeline's ``ExtractedDocument``)."""
    rows: list[Row] = []
    for result in extraction_results:
        ex: DocumentExtraction = getattr(result, "extraction", result)  # type: ignore[assignment]
        labels = {t.key: t.label for t in ex.tasks}
        document = Path(ex.source.name).name
        for a in ex.assignments:
            rows.append({
                "document": document,
                "task_heading": labels.get(a.task, a.task),
                "role": a.mention.role,
                "agency": a.mention.surface,
                "inherited": "1" if a.inherited else "0",
            })
    return rows


def evaluate(gold_rows: Iterable[Row], predicted: Iterable[Row]) -> Scores:
    """Set precision/recall over (document, task_heading, role, agency)."""
    gold = {row_key(r) for r in gold_rows}
    pred = {row_key(r) for r in predicted}
    tp = len(gold & pred)
    precision = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    recall = tp / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tuple(sorted(pred - gold)), tuple(sorted(gold - pred)))

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

from policykg.extract.model import DocumentExtraction

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


# --- Corpus evaluation: real documents with quote-anchored gold (tests/corpus/gold/) ---------
#
# Gold for a real document cannot name section keys (they change with the parser) nor task
# headings (a table row has none), so each gold row anchors its task by a verbatim quote that
# occurs once in the normalized text; the quote is mapped to the innermost extracted task whose
# span contains it. A pair is (task key, role, folded agency); a quote that falls in no task
# keeps its quote as key, so the row can only be missed.

CORPUS_COLUMNS = ("task_quote", "role", "agency", "form")
FORMS = ("clause", "table", "unlabelled", "prose", "document")
ROLES = ("lead", "responsible")


class GoldError(ValueError):
    """A malformed gold file, reported as ``file:line: reason``."""


@dataclass(frozen=True)
class GoldRow:
    quote: str
    role: str
    agency: str
    form: str
    line: int  # 1-based line of the gold file


@dataclass(frozen=True)
class GoldFile:
    rows: tuple[GoldRow, ...]
    notes: dict[str, str]  # ``# key: value`` comment lines (jurisdiction, issuers)


@dataclass(frozen=True)
class Pair:
    """One scored (task, role, agency) pair with what a reader needs to find it."""

    task: str  # task key, or ``?<quote>`` for a gold quote inside no extracted task
    role: str
    agency: str  # folded
    form: str
    quote: str  # gold quote, or the task's first words for an extracted pair

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.task, self.role, self.agency)


@dataclass(frozen=True)
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.tp + self.fn,
                "predicted": self.tp + self.fp, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class DocumentScore:
    document: str
    true_positives: tuple[Pair, ...]
    false_positives: tuple[Pair, ...]
    false_negatives: tuple[Pair, ...]

    true_positives_gold: tuple[Pair, ...] = ()
    """The gold rows of ``true_positives`` (same keys): their form is the annotated one."""

    def form_tally(self, form: str) -> Tally:
        """One form's tally: hits and misses under the gold row's form (so recall per form
        is recall of what the annotator saw in that form), a false positive under the
        form the extractor gave it."""
        gold = self.true_positives_gold or self.true_positives
        return Tally(sum(p.form == form for p in gold),
                     sum(p.form == form for p in self.false_positives),
                     sum(p.form == form for p in self.false_negatives))

    def tally(self, keep=lambda pair: True) -> Tally:
        return Tally(sum(map(keep, self.true_positives)), sum(map(keep, self.false_positives)),
                     sum(map(keep, self.false_negatives)))


def read_corpus_gold(path: Path) -> GoldFile:
    """Rows of one ``<stem>.tsv`` gold file; any malformed line is a ``GoldError``."""
    rows: list[GoldRow] = []
    notes: dict[str, str] = {}
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip().isidentifier():
                notes.setdefault(key.strip(), value.strip())
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(cells) != CORPUS_COLUMNS:
                raise GoldError(f"{path}:{number}: header must be {' / '.join(CORPUS_COLUMNS)}")
            header_seen = True
            continue
        if len(cells) != len(CORPUS_COLUMNS):
            raise GoldError(f"{path}:{number}: {len(cells)} cells, expected {len(CORPUS_COLUMNS)}")
        quote, role, agency, form = (c.strip() for c in cells)
        quote = quote.replace("\\n", "\n")  # a quote may cross a line break, written \n
        if role not in ROLES:
            raise GoldError(f"{path}:{number}: role {role!r} is not one of {', '.join(ROLES)}")
        if form not in FORMS:
            raise GoldError(f"{path}:{number}: form {form!r} is not one of {', '.join(FORMS)}")
        if not quote or not agency:
            raise GoldError(f"{path}:{number}: empty task_quote or agency")
        rows.append(GoldRow(quote, role, agency, form, number))
    if not header_seen:
        raise GoldError(f"{path}:1: no header line")
    return GoldFile(tuple(rows), notes)


def locate_quote(text: str, quote: str, where: str) -> int:
    """The one offset of ``quote`` in the normalized text; absent or repeated is a gold error."""
    first = text.find(quote)
    if first < 0:
        raise GoldError(f"{where}: task_quote {quote!r} not found in the normalized text")
    if text.find(quote, first + 1) >= 0:
        raise GoldError(f"{where}: task_quote {quote!r} occurs more than once")
    return first


def innermost_task(tasks: Iterable[object], start: int, end: int) -> str | None:
    """Key of the smallest task span containing ``[start, end)``."""
    best = None
    for task in tasks:
        span = task.span  # type: ignore[attr-defined]
        if span.start <= start and end <= span.end and (best is None or len(span) < len(best.span)):
            best = task
    return best.key if best is not None else None  # type: ignore[attr-defined]


def gold_pairs(extraction: DocumentExtraction, gold: GoldFile, where: str) -> list[Pair]:
    text = extraction.source.text
    pairs = []
    for row in gold.rows:
        at = locate_quote(text, row.quote, f"{where}:{row.line}")
        task = innermost_task(extraction.tasks, at, at + len(row.quote)) or f"?{row.quote}"
        pairs.append(Pair(task, row.role, _fold(row.agency), row.form, row.quote))
    return pairs


def extracted_pairs(extraction: DocumentExtraction, quote_chars: int = 20) -> list[Pair]:
    texts = {t.key: t.text for t in extraction.tasks}
    return [Pair(a.task, a.mention.role, _fold(a.mention.surface),
                 getattr(a, "form", "clause"),
                 "".join(texts.get(a.task, a.task).split())[:quote_chars])
            for a in extraction.assignments]


def _unique(pairs: Iterable[Pair]) -> dict[tuple[str, str, str], Pair]:
    out: dict[tuple[str, str, str], Pair] = {}
    for pair in pairs:
        out.setdefault(pair.key, pair)
    return out


def score_document(document: str, gold: Iterable[Pair], extracted: Iterable[Pair]) -> DocumentScore:
    """Strict set comparison; a TP carries the extracted pair's form, an FN the gold row's
    (the TP's gold row is kept beside it for the per-form tally)."""
    g, e = _unique(gold), _unique(extracted)
    hits = sorted(e.keys() & g.keys())
    return DocumentScore(
        document,
        tuple(e[k] for k in hits),
        tuple(e[k] for k in sorted(e.keys() - g.keys())),
        tuple(g[k] for k in sorted(g.keys() - e.keys())),
        tuple(g[k] for k in hits),
    )


def corpus_report(scores: Iterable[DocumentScore]) -> dict[str, object]:
    """Tallies per document, per form and for leads, plus the total."""
    scores = list(scores)
    total = sum((s.tally() for s in scores), Tally())
    forms = {form: sum((s.form_tally(form) for s in scores), Tally()) for form in FORMS}
    leads = sum((s.tally(lambda p: p.role == "lead") for s in scores), Tally())
    return {
        "documents": {s.document: s.tally().as_dict() for s in scores},
        "forms": {form: t.as_dict() for form, t in forms.items() if t.tp + t.fp + t.fn},
        "leads": leads.as_dict(),
        "total": total.as_dict(),
    }

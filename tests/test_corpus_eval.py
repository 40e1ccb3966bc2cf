"""The corpus evaluator: quote-anchored gold mapped to the innermost task, strict pair scoring."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from policykg.extract.evaluate import (
    GoldError,
    corpus_report,
    extracted_pairs,
    gold_pairs,
    locate_quote,
    read_corpus_gold,
    score_document,
)
from policykg.extract.model import (
    AgencyMention,
    Assignment,
    DocumentExtraction,
    DocumentMeta,
    SourceText,
    Span,
    Task,
)

TEXT = (
    "一、重点任务\n"
    "（一）完善河湖长制。建立联席会议制度。（牵头单位：市水务局，配合单位：市生态环境局、各区）\n"
    "（二）推进雨污分流。1.改造老旧管网。（责任单位：市住建局）2.清理排水口。（责任单位：各街镇）\n"
)
GOLD = (
    "# jurisdiction: 临川市\n"
    "# issuers: 临川市人民政府办公室\n"
    "task_quote\trole\tagency\tform\n"
    "完善河湖长制\tlead\t市水务局\tclause\n"
    "完善河湖长制\tresponsible\t市生态环境局\tclause\n"
    "完善河湖长制\tresponsible\t各区\tclause\n"
    "# the next one is in the subitem 2., not in （二）\n"
    "清理排水口\tresponsible\t各街镇\tunlabelled\n"
    "改造老旧管网\tresponsible\t市住建局\tclause\n"
)


def at(quote: str, end_quote: str | None = None) -> Span:
    start = TEXT.index(quote)
    return Span(start, TEXT.index(end_quote) + len(end_quote) if end_quote else start + len(quote))


def extraction(assignments: list[tuple[str, str, str, str]]) -> DocumentExtraction:
    source = SourceText("d.txt", TEXT, TEXT, tuple(range(len(TEXT) + 1)))
    tasks = [
        Task("1.1", "完善河湖长制", "", at("（一）", "各区）")),
        Task("1.2", "推进雨污分流", "", at("（二）", "各街镇）")),
        Task("1.2.1", "改造老旧管网", "", at("1.改造", "住建局）")),
        Task("1.2.2", "清理排水口", "", at("2.清理", "各街镇）")),
    ]
    found = []
    for task, role, surface, form in assignments:
        a = Assignment(task, AgencyMention(surface, at(surface), role), at(surface))  # type: ignore[arg-type]
        if form != "clause":
            a = _Formed(a.task, a.mention, a.clause_span, form=form)  # type: ignore[assignment]
        found.append(a)
    return DocumentExtraction(source, DocumentMeta("d", None), tasks=tasks, assignments=found)


@dataclass(frozen=True)
class _Formed(Assignment):
    form: str = "clause"


def gold_file(tmp_path: Path, text: str = GOLD) -> Path:
    path = tmp_path / "d.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_gold_reads_rows_and_notes(tmp_path):
    gold = read_corpus_gold(gold_file(tmp_path))
    assert len(gold.rows) == 5
    assert gold.notes == {"jurisdiction": "临川市", "issuers": "临川市人民政府办公室"}
    assert gold.rows[3].line == 8 and gold.rows[3].form == "unlabelled"


def test_quote_maps_to_innermost_task(tmp_path):
    ex = extraction([])
    pairs = gold_pairs(ex, read_corpus_gold(gold_file(tmp_path)), "d.tsv")
    assert [p.task for p in pairs] == ["1.1", "1.1", "1.1", "1.2.2", "1.2.1"]


def test_strict_scores_per_form_and_leads(tmp_path):
    ex = extraction([
        ("1.1", "lead", "市水务局", "clause"),
        ("1.1", "responsible", "市生态环境局", "clause"),
        ("1.1", "lead", "各区", "clause"),  # wrong role: one FP and one FN
        ("1.2", "responsible", "市住建局", "clause"),  # wrong (outer) task: FP + FN
        ("1.2.2", "responsible", "各街镇", "table"),  # right pair: counted under the gold form
    ])
    gold = gold_pairs(ex, read_corpus_gold(gold_file(tmp_path)), "d.tsv")
    score = score_document("d", gold, extracted_pairs(ex))
    assert [p.agency for p in score.true_positives] == ["市水务局", "市生态环境局", "各街镇"]
    fps = {(p.task, p.agency) for p in score.false_positives}
    fns = {(p.task, p.agency) for p in score.false_negatives}
    assert fps == {("1.1", "各区"), ("1.2", "市住建局")}
    assert fns == {("1.1", "各区"), ("1.2.1", "市住建局")}
    report = corpus_report([score])
    assert report["total"]["tp"] == 3 and report["total"]["precision"] == pytest.approx(0.6)
    # per form, a hit counts under the annotated form (recall of what the annotator saw
    # in that form), so a pair the extractor read as a table row is an unlabelled hit
    assert report["forms"]["unlabelled"] == pytest.approx(
        {"tp": 1, "fp": 0, "fn": 0, "gold": 1, "predicted": 1, "precision": 1.0, "recall": 1.0,
         "f1": 1.0})
    assert "table" not in report["forms"]
    assert report["leads"]["tp"] == 1 and report["leads"]["fp"] == 1 and report["leads"]["fn"] == 0


def test_quote_may_cross_a_line_break(tmp_path):
    ex = extraction([])
    gold = read_corpus_gold(gold_file(
        tmp_path,
        "task_quote\trole\tagency\tform\n清理排水口。（责任单位：各街镇）\\n\tlead\t各街镇\ttable\n"))
    assert gold.rows[0].quote == "清理排水口。（责任单位：各街镇）\n"
    assert locate_quote(ex.source.text, gold.rows[0].quote, "d") == TEXT.index("清理排水口")


def test_agency_folds_width_and_spaces(tmp_path):
    ex = extraction([("1.1", "lead", "市水务局", "clause")])
    gold = gold_pairs(ex, read_corpus_gold(gold_file(
        tmp_path, "task_quote\trole\tagency\tform\n完善河湖长制\tlead\t市 水务局\tclause\n")), "d")
    assert score_document("d", gold, extracted_pairs(ex)).tally().f1 == 1.0


@pytest.mark.parametrize("line, message", [
    ("没有这一句话\tlead\t市水务局\tclause", "not found"),
    ("（责任单位：\tlead\t市水务局\tclause", "more than once"),
    ("完善河湖长制\tboss\t市水务局\tclause", "role"),
    ("完善河湖长制\tlead\t市水务局\tlist", "form"),
    ("完善河湖长制\tlead\t市水务局", "cells"),
])
def test_gold_errors_name_file_and_line(tmp_path, line, message):
    path = gold_file(tmp_path, f"task_quote\trole\tagency\tform\n# note\n{line}\n")
    with pytest.raises(GoldError, match=rf"d\.tsv:3: .*{message}"):
        gold_pairs(extraction([]), read_corpus_gold(path), str(path))


def test_cli_scores_folder_and_lists_skipped(tmp_path, capsys):
    from policykg.cli import main

    folder = tmp_path / "corpus"
    (folder / "gold").mkdir(parents=True)
    (folder / "a_plan.txt").write_text("临川市治水工作方案\n" + TEXT, encoding="utf-8")
    (folder / "b_plan.txt").write_text("临川市另一方案\n" + TEXT, encoding="utf-8")
    (folder / "gold" / "a_plan.tsv").write_text(GOLD, encoding="utf-8")
    assert main(["eval", "--corpus", str(folder), "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert "a_plan" in out and "skipped (no gold): b_plan.txt" in out
    assert main(["eval", "--corpus", str(folder), "--json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["skipped"] == ["b_plan.txt"] and report["total"]["gold"] == 5


CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.parametrize("gold_path", sorted((CORPUS / "gold").glob("*.tsv")), ids=lambda p: p.stem)
def test_corpus_gold_files_are_valid(gold_path):
    """Every gold quote of the real corpus occurs once in its normalized document (the
    document is read by its format's reader: a corpus file may be .txt, .md, .html …)."""
    from policykg.extract.readers import read_source

    gold = read_corpus_gold(gold_path)
    assert {"jurisdiction", "issuers"} <= gold.notes.keys()
    (document,) = [p for p in CORPUS.iterdir() if p.stem == gold_path.stem and p.is_file()]
    text = read_source(document).text
    for row in gold.rows:
        locate_quote(text, row.quote, f"{gold_path}:{row.line}")
        assert 6 <= len(row.quote) <= 30, f"{gold_path}:{row.line}: quote of {len(row.quote)} chars"

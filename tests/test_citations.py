"""Document references: 《title》, 《title》(文号) and bare 文号 (extract/citations.py)."""

from pathlib import Path

import pytest
from policykg.extract.citations import find_citations, is_document_title
from policykg.extract.model import Span

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_title_with_adjacent_number_is_one_citation():
    text = (
        "根据《中共襄阳市委 襄阳市人民政府关于加快工业发展的意见》（襄发[2022]5号）精神,"
        "制定本方案。"
    )
    [c] = find_citations(text)
    assert c.title == "中共襄阳市委 襄阳市人民政府关于加快工业发展的意见"
    assert c.doc_number == "襄发〔2022〕5号"
    assert text[c.span.start:c.span.end] == (
        "《中共襄阳市委 襄阳市人民政府关于加快工业发展的意见》（襄发[2022]5号）"
    )


def test_bare_number_and_title_only_references():
    text = "按照鄂政发〔2021〕12号文件要求,落实《湖北省数据条例》和《促进中小企业发展的若干措施》。"
    cites = find_citations(text)
    assert [(c.title, c.doc_number) for c in cites] == [
        (None, "鄂政发〔2021〕12号"),
        ("湖北省数据条例", None),
        ("促进中小企业发展的若干措施", None),
    ]
    assert text[cites[0].span.start:cites[0].span.end] == "鄂政发〔2021〕12号"


def test_non_document_titles_are_skipped():
    text = "学习《人民日报》评论员文章和《习近平谈治国理政》,参照《产业结构调整指导目录》执行。"
    assert [c.title for c in find_citations(text)] == ["产业结构调整指导目录"]


def test_own_title_and_number_are_not_citations():
    text = (
        "鄂经信规划〔2021〕9号\n现将《湖北省新材料产业发展规划》印发给你们。\n"
        "按照《湖北省国民经济和社会发展第十四个五年规划纲要》要求。"
    )
    cites = find_citations(
        text, own_title="湖北省新材料产业 发展规划", own_number="鄂经信规划〔2021〕9号"
    )
    assert [c.title for c in cites] == ["湖北省国民经济和社会发展第十四个五年规划纲要"]


def test_a_bracket_that_is_not_a_number_stays_out():
    text = "落实《湖北省制造业发展规划》(2021—2025年)。"
    [c] = find_citations(text)
    assert c.doc_number is None and c.span == Span(2, 2 + len("《湖北省制造业发展规划》"))


@pytest.mark.parametrize(
    "title, ok",
    [("中华人民共和国中小企业促进法", True), ("国家功勋荣誉表彰条例", True),
     ("中国制造2025", False), ("光明日报", False), ("湖北省制造业发展规划(试行)", True),
     # a period note after the type word, as document titles carry it
     ("某区海绵城市建设规划（2018-2035）", True), ("某市交通发展规划（2021—2025年）", True),
     ("某省条例（2024年修订）", True)],
)
def test_document_title_words(title, ok):
    assert is_document_title(title) is ok


@pytest.fixture(scope="module")
def seed_citations(seed_meta):
    return {
        seed: find_citations(src.text, meta.title, meta.doc_number)
        for seed, (src, meta) in seed_meta.items()
    }


def test_seed_003_cites_the_provincial_opinions_by_number(seed_citations):
    cited = seed_citations["003"][0]
    assert cited.doc_number == "鄂发〔2023〕10号"
    assert cited.title.endswith("关于推进新型工业化打造制造强国高地的意见")


def test_seed_wrappers_do_not_cite_their_own_plan(seed_citations):
    for seed in ("000", "002"):
        titles = [c.title for c in seed_citations[seed]]
        assert all("十四五”规划" not in (t or "") and "十四五”发展规划" not in (t or "")
                   for t in titles)
        assert any((t or "").endswith("远景目标纲要") for t in titles)
    assert [c.title for c in seed_citations["001"]] == ["国家功勋荣誉表彰条例"]
    assert seed_citations["004"] == []

"""The synthetic corpus generator (bench/gen_corpus.py): deterministic, in the seeds' genres,
and extractable by the real pipeline (tasks with agencies in every genre)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import gen_corpus  # noqa: E402


def test_same_seed_same_bytes_and_prefix_stable(tmp_path):
    a = gen_corpus.generate(10, tmp_path / "a", seed=3)
    b = gen_corpus.generate(10, tmp_path / "b", seed=3)
    small = gen_corpus.generate(4, tmp_path / "small", seed=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in a[:4]]
    other = gen_corpus.generate(10, tmp_path / "c", seed=4)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in a]


def test_every_genre_form_is_present(tmp_path):
    paths = gen_corpus.generate(len(gen_corpus.GENRES), tmp_path, seed=1)
    text = {p.stem.split("_", 1)[1]: p.read_text(encoding="utf-8") for p in paths}
    assert "年均增长" in text["provincial_plan"] or "亿元" in text["provincial_plan"]
    assert "第一章" in text["provincial_plan"] and "（牵头单位：" in text["provincial_plan"]
    assert "（牵头单位：" in text["city_opinion"] and "；责任单位：" in text["city_opinion"]
    assert "不再列出" in text["work_plan"] and "(责任单位:" in text["work_plan"]
    assert "(de)" in text["traditional_opinion"] or "(rén)" in text["traditional_opinion"]
    assert "責任單位" in text["traditional_opinion"]
    notice = text["web_notice"]
    assert sum(line in notice for line in gen_corpus._BOILERPLATE_TOP) == 3  # site chrome on top
    assert "版权所有 ©" in notice and "上一篇：" in notice  # and at the bottom


def test_places_and_industries_come_from_the_data_files():
    places = gen_corpus.load_places()
    assert any(p.name == "武汉市" and p.districts for p in places)
    industries = gen_corpus.load_industries()
    assert "集成电路" in industries
    provincial, city = gen_corpus.load_agencies()
    assert all(a.startswith("省") for a in provincial) and all(a.startswith("市") for a in city)


def test_pipeline_finds_assigned_tasks_in_every_genre(tmp_path):
    from policykg.extract.pipeline import extract_corpus

    gen_corpus.generate(2 * len(gen_corpus.GENRES), tmp_path, seed=5)
    result = extract_corpus(tmp_path)
    assert not result.failures
    by_genre = {}
    for d in result.documents:
        genre = d.extraction.source.name.split("_", 1)[1].removesuffix(".txt")
        by_genre[genre] = by_genre.get(genre, 0) + len(d.extraction.assignments)
    assert set(by_genre) == set(gen_corpus.GENRES)
    assert all(n > 0 for n in by_genre.values()), by_genre

"""The industry scheme: data, jieba mentions, extension from document lists."""

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from policykg.extract.industries import IndustryScheme, IndustrySchemeError
from policykg.extract.model import Industry
from policykg.extract.normalize import read_document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def scheme():
    return IndustryScheme.load()


def test_tiers_of_the_51020_clusters_are_memberships_not_broader(scheme):
    tops = {i.name_zh for i in scheme.industries() if i.broader is None}
    assert {"万亿级支柱产业", "五千亿级优势产业", "千亿级特色产业集群", "未来产业"} <= tops
    members = {t: sum(1 for i in scheme.industries() if i.tier == t) for t in scheme.tiers()}
    assert members == {"tier-trillion": 5, "tier-500-billion": 10, "tier-100-billion": 20}
    assert not any(i.broader in scheme.tiers() for i in scheme.industries())
    # the future industries are a kind of industry, not a size tier
    assert sum(1 for i in scheme.industries() if i.broader == "future-industries") == 5


def test_the_broader_hierarchy_puts_cars_and_high_end_equipment_under_equipment(scheme):
    assert "equipment-manufacturing" in scheme.ancestors("automobile")
    assert "equipment-manufacturing" in scheme.ancestors("high-end-equipment")
    assert scheme.ancestors("nev-and-connected-vehicles")[:2] == [
        "automobile", "equipment-manufacturing"]
    assert scheme.get("automobile").tier == "tier-trillion"


def test_a_tier_list_in_a_document_adds_members_not_narrower_concepts():
    scheme = IndustryScheme.load()
    text = "\n".join([
        "一、巩固提升3个五千亿级优势产业",
        "1.智能农机。",
        "2.现代纺织。",
        "3.高端日化。",
        "二、其他",
    ])
    added = scheme.extend_from(text)
    new = [scheme.get(k) for k in added]
    assert [i.name_zh for i in new] == ["智能农机", "高端日化"]
    assert all(i.tier == "tier-500-billion" and i.broader is None for i in new)


def test_unknown_tier_is_refused():
    with pytest.raises(IndustrySchemeError):
        IndustryScheme([Industry("a", "甲产业", None, None, (), "nowhere")])


def test_every_concept_has_english_and_a_resolvable_broader(scheme):
    for industry in scheme.industries():
        assert industry.name_en, industry.key
        assert industry.broader is None or industry.broader in scheme


def test_city_wordings_reach_the_provincial_concepts(scheme):
    assert scheme.lookup("汽车及零部件").key == "automobile"
    assert scheme.lookup("汽车产业").key == "automobile"
    assert scheme.lookup("生物医药").key == "biomedicine-and-medical-devices"
    assert scheme.lookup("生命健康").key == "big-health"
    assert scheme.lookup("航空航天装备").key == "aerospace"
    assert scheme.lookup("不存在的产业") is None


def test_industries_sorted_and_stable(scheme):
    keys = [i.key for i in scheme.industries()]
    assert keys == sorted(keys)
    assert keys == [i.key for i in IndustryScheme.load().industries()]


def test_find_in_matches_whole_words_with_tails(scheme):
    text = "力争全省汽车产业营业收入达到1万亿元,新能源与智能网联汽车产业集群、集成电路加快发展。"
    found = scheme.find_in(text)
    keys = ["automobile", "nev-and-connected-vehicles", "integrated-circuits"]
    assert [k for k, _ in found] == keys
    surfaces = ["汽车产业", "新能源与智能网联汽车产业集群", "集成电路"]
    assert [text[s.start:s.end] for _, s in found] == surfaces


def test_find_in_does_not_split_longer_words(scheme):
    # 新能源汽车 is one concept's alias: neither 新能源 nor 汽车 is found inside it
    assert [k for k, _ in scheme.find_in("推广新能源汽车。")] == ["nev-and-connected-vehicles"]


def test_extend_from_numbered_list_adds_unknown_items_under_the_list_concept():
    text = (
        "一、做强3个百亿级县域特色产业\n"
        "1.汽车零部件。\n加快发展。\n"
        "2.磷化工精深加工。\n推进转型。\n"
        "3.有机茶饮。\n做大品牌。\n"
        "二、保障措施\n4.不是清单项。\n"
    )
    scheme = IndustryScheme.load()
    added = scheme.extend_from(text)
    group = scheme.lookup("百亿级县域特色产业")
    assert group is not None and group.broader is None
    assert added[0] == group.key
    tea = scheme.lookup("有机茶饮")
    assert tea.broader == group.key and tea.key == "you-ji-cha-yin"
    assert scheme.lookup("磷化工精深加工").broader == group.key
    assert scheme.lookup("汽车零部件").key == "automobile"  # known: kept in place
    assert scheme.lookup("不是清单项") is None
    assert [k for k, _ in scheme.find_in("支持有机茶饮产业发展")] == [tea.key]
    # a fresh scheme is not affected by another document's extension
    assert IndustryScheme.load().lookup("有机茶饮") is None


def test_extend_from_requires_the_stated_count():
    text = "一、做强3个百亿级县域特色产业\n1.有机茶饮。\n2.竹木加工。\n二、保障措施\n"
    scheme = IndustryScheme.load()
    assert scheme.extend_from(text) == []


def test_extend_from_inline_list():
    scheme = IndustryScheme.load()
    added = scheme.extend_from("着力打造光电子信息、香菇加工、竹木家居三大县域产业集群,推动发展。")
    assert scheme.lookup("县域产业集群").key in added
    assert scheme.lookup("香菇加工").broader == scheme.lookup("县域产业集群").key
    assert scheme.lookup("光电子信息").key == "optoelectronic-information"


def test_bad_data_is_refused():
    with pytest.raises(IndustrySchemeError):
        IndustryScheme([Industry("a", "甲", "A", "missing")])
    with pytest.raises(IndustrySchemeError):
        IndustryScheme([Industry("a", "甲", "A", "b"), Industry("b", "乙", "B", "a")])


def test_jieba_is_quiet():
    code = (
        "from extract.industries import IndustryScheme;"
        "print(len(IndustryScheme.load().find_in('集成电路')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "1"
    assert run.stderr == ""


def test_seed_000_lists_are_all_in_the_scheme():
    src = read_document(next(SEEDS.glob("000_*.txt")))
    scheme = IndustryScheme.load()
    assert scheme.extend_from(src.text) == []  # the 51020 lists are data already
    keys = {k for k, _ in scheme.find_in(src.text)}
    tier_members = {i.key for i in scheme.industries()
                    if i.tier in {"tier-trillion", "tier-500-billion", "tier-100-billion"}}
    assert tier_members <= keys


# -- task → industry links: subject, passing mention, names; industry profiles -------------

def _task(label, text, **kw):
    from policykg.extract.model import Span, Task
    return Task(key=kw.pop("key", "1.1"), label=label, text=text, span=Span(0, len(text)), **kw)


def test_heading_and_first_clause_are_the_subject_later_words_a_passing_mention(scheme):
    from policykg.extract.industry_links import task_industry_links
    task = _task("壮大集成电路产业",
                 "1.壮大集成电路产业。重点发展新型显示面板，提升配套能力，推广人工智能检测。")
    links = task_industry_links(task, scheme)
    assert links == {"integrated-circuits": "about", "new-display": "about",
                     "artificial-intelligence": "mention"}


def test_an_industry_word_inside_an_institution_name_is_no_link(scheme):
    from policykg.extract.industry_links import task_industry_links
    task = _task("建设创新平台",
                 "（二）建设创新平台。争创国家级制造业创新中心，建设汽车产业研究院。")
    assert task_industry_links(task, scheme) == {}
    # the name word of the next phrase (…和某大学) does not make the industry a name
    task = _task("建设算力平台", "（三）建设算力平台。依托人工智能算力中心和襄阳学院，开放算力。")
    assert task_industry_links(task, scheme) == {"artificial-intelligence": "about"}


def test_a_list_of_industry_headings_is_a_list_of_profiles_not_measures(scheme):
    from policykg.extract.industry_links import PROFILE, mark_profiles
    from policykg.extract.sections import parse_sections
    from policykg.extract.tasks import find_tasks
    text = "\n".join([
        "二、发展重点",
        "（一）集成电路产业",
        "依托存储基地，发展芯片设计。",
        "（二）新能源与新材料产业",
        "推进储能应用。",
        "三、主要任务",
        "（一）培育集成电路产业",
        "支持企业扩产。",
        "（二）完善公共服务",
        "建设检测平台。",
    ])
    sections = parse_sections(text)
    kinds = {t.label: t.kind for t in mark_profiles(find_tasks(text, sections), sections, scheme)}
    assert kinds["集成电路产业"] == PROFILE
    assert kinds["新能源与新材料产业"] == PROFILE  # industries joined by 与, with a tail
    assert kinds["培育集成电路产业"] == "measure"  # a verb: a measure on an industry
    assert kinds["完善公共服务"] == "measure"


def test_a_lone_industry_heading_is_not_a_profile_list(scheme):
    from policykg.extract.industry_links import mark_profiles
    from policykg.extract.sections import parse_sections
    from policykg.extract.tasks import find_tasks
    text = "一、主要任务\n（一）现代物流\n建设枢纽。\n（二）完善公共服务\n建设平台。"
    sections = parse_sections(text)
    assert {t.kind for t in mark_profiles(find_tasks(text, sections), sections, scheme)} == {
        "measure"}


def test_a_sub_profile_naming_no_industry_is_about_its_parents(scheme):
    from policykg.extract.industry_links import PROFILE, industry_links
    from policykg.extract.model import Span, Task
    text = "（二）智能制造装备\n激光加工设备。突破关键器件。\n仪器仪表。发展在线检测。"
    parent = Task("3.2", "智能制造装备", text, Span(0, len(text)), kind=PROFILE)
    sub = Task("3.2.ji-guang", "激光加工设备", "激光加工设备。突破关键器件。", Span(11, 25),
               section="3.2", parent="3.2", kind=PROFILE)
    links = industry_links([parent, sub], scheme)
    assert links[sub] == {"intelligent-manufacturing-equipment": "about"}


@cache
def _jieba(words: tuple[str, ...]):
    """The reference: jieba itself, with the labels as user words as the scheme adds them
    (jieba's own frequency suggestion, times 100)."""
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    for word in words:
        tk.add_word(word, freq=max(tk.suggest_freq(word, tune=False), 1) * 100)
    return tk


def _whole_text_cut(scheme, text):
    """The reference: jieba cutting the whole text, every label token a mention."""
    tk = _jieba(tuple(sorted(scheme._base_words)))
    return [(scheme._base_words[w], a, b) for w, a, b in tk.tokenize(text, HMM=False)
            if w in scheme._base_words]


def test_the_block_rule_is_jiebas():
    """The blocks cut one by one are jieba's own (its ``re_han_default``), written out so a
    build does not import jieba; a build imports no jieba at all."""
    import jieba
    from policykg.extract.industries import _BLOCK

    assert (_BLOCK.pattern, _BLOCK.flags) == (jieba.re_han_default.pattern,
                                              jieba.re_han_default.flags)
    code = ("import sys; from policykg.extract.industries import IndustryScheme; "
            "IndustryScheme.load().find_in('集成电路产业'); print('jieba' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_the_tokenizer_cuts_every_corpus_block_with_a_label_as_jieba_does(scheme):
    """rjieba (jieba-rs) stands in for jieba for its speed; on every block of the real
    documents that holds a label (seeds, the annotated corpus), its cut is jieba's."""
    from policykg.extract.industries import _BLOCK, _matcher

    words = tuple(sorted(scheme._base_words))
    matcher, reference = _matcher(words), _jieba(words)
    root = SEEDS.parent
    blocks = set()
    for path in [*SEEDS.glob("*.txt"), *(root / "tests" / "corpus").glob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        blocks |= {m.group() for m in _BLOCK.finditer(text)
                   if matcher.automaton.find_matches_as_indexes(m.group())}
    assert len(blocks) > 2000
    known = matcher.known
    for block in sorted(blocks):
        want = tuple(t for t in reference.tokenize(block, HMM=False) if t[0] in known)
        assert matcher.block_words(block) == want, block


def test_a_label_inside_a_longer_dictionary_word_is_no_mention(scheme):
    # 电动汽车 and 工作 are jieba words: neither 汽车 nor 化工 is cut out of them
    text = "加快电动汽车推广应用，细化工作举措；壮大汽车产业。"
    found = scheme.find_in(text)
    assert [text[s.start:s.end] for _, s in found] == ["汽车产业"]


def test_automaton_and_block_cuts_give_the_whole_text_cut(scheme):
    sentences = [
        "力争全省汽车产业营业收入达到1万亿元，新能源与智能网联汽车产业集群加快发展。",
        "建设光谷集成电路产业园，打造一批五千亿级产业集群；发展北斗七星式转化。",
        "（三）重点发展存储芯片、光通信芯片和卫星导航，完善集成电路产业链。",
        "无产业词的一句话。\n\n2025年，生物医药 产值1000亿元（大健康产业园）。",
        "",
    ]
    for text in sentences:
        want = _whole_text_cut(scheme, text)
        got = [(k, s.start, s.end) for k, s in scheme.find_in(text)]
        assert got == sorted(want, key=lambda r: (r[1], r[2], r[0])), text

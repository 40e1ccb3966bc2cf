"""Quantitative goals (extract/quantities/)."""

from decimal import Decimal
from pathlib import Path

import pytest
from policykg.extract.industries import IndustryScheme
from policykg.extract.model import Region, Span
from policykg.extract.quantities.targets import find_targets, plan_period

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


class FakeGazetteer:
    REGIONS = {
        "hubei": Region("hubei", "湖北省", "Hubei", "province", None, None, ("湖北",)),
        "xiangyang": Region(
            "xiangyang", "襄阳市", "Xiangyang", "prefecture", "hubei", None, ("襄阳",)
        ),
    }

    def get(self, key):
        return self.REGIONS[key]

    def ancestors(self, key):
        parent = self.REGIONS[key].parent
        return [self.REGIONS[parent]] if parent else []

    def find_in(self, text, within=None):
        found = []
        for key, region in self.REGIONS.items():
            for name in (region.name_zh, *region.aliases):
                i = text.find(name)
                if i >= 0:
                    found.append((key, Span(i, i + len(name))))
                    break
        return sorted(found, key=lambda kv: kv[1])


G = FakeGazetteer()


@pytest.fixture(scope="module")
def scheme():
    return IndustryScheme.load()


def one(targets, metric):
    hits = [t for t in targets if t.metric == metric]
    assert len(hits) == 1, [t.metric for t in targets]
    return hits[0]


def test_revenue_target_in_trillions_with_growth(scheme):
    text = (
        "2.汽车制造。\n做强整车。力争到2025年，全省汽车产业营业收入达到1.2万亿元，"
        "年均增长6.5%左右。\n"
    )
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2021)
    assert (t.metric, t.value, t.unit, t.year) == ("营业收入", Decimal("12000"), "亿元", 2025)
    assert t.growth_rate == Decimal("6.5") and t.comparator == "≥"
    assert (t.industry, t.region) == ("automobile", "hubei")
    assert text[t.span.start:t.span.end] == "全省汽车产业营业收入达到1.2万亿元，年均增长6.5%左右"


def test_history_is_not_a_target(scheme):
    text = (
        "规划期限为2021—2025年。\n"
        "2020年，全省装备制造业实现营业收入15414亿元，利润总额952亿元。"
        "到2025年，全省装备制造业营业收入达到2万亿元。\n"
    )
    targets = find_targets(text, scheme, G, "hubei")
    assert [(t.metric, t.value, t.year) for t in targets] == [("营业收入", Decimal("20000"), 2025)]


def test_year_carried_within_a_paragraph_and_city_jurisdiction(scheme):
    text = (
        "(二)发展目标。到2026年，全市重点产业主营业务收入达到9000亿元。"
        "规模以上工业企业达到2000家；培育高新技术企业3000家以上。工业固体废物综合利用率超过90%。\n"
    )
    targets = find_targets(text, scheme, G, "xiangyang")
    assert [t.metric for t in targets] == [
        "重点产业主营业务收入", "规模以上工业企业", "高新技术企业", "工业固体废物综合利用率",
    ]
    assert all(t.year == 2026 and t.region == "xiangyang" for t in targets)
    assert one(targets, "高新技术企业").value == Decimal("3000")
    assert one(targets, "高新技术企业").comparator == "≥"
    assert one(targets, "工业固体废物综合利用率").unit == "%"


def test_growth_only_share_and_decrease_targets(scheme):
    text = (
        "主要目标是:力争未来三年,全社会研发经费投入年均增长12%以上,"
        "制造业增加值占GDP比重达到28%以上,单位GDP能耗下降8%以上。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    rd = one(targets, "研发经费投入")
    assert rd.value is None and rd.growth_rate == Decimal("12") and rd.comparator == "≥"
    share = one(targets, "增加值占GDP比重")
    assert (share.value, share.unit, share.industry) == (Decimal("28"), "%", "manufacturing")
    energy = one(targets, "单位GDP能耗下降")
    assert energy.value == Decimal("8")
    assert {t.year for t in targets} == {2027}


def test_growth_then_value_of_the_same_metric_merge_and_parts_inherit(scheme):
    text = (
        "（三）发展目标\n"
        "“十四五”期间全省装备制造业营业收入年均增长8%左右，2025年达到2.2万亿元，"
        "其中汽车制造营业收入达到1万亿元。\n"
        "力争到2025年，全省现代化工及能源产业营业收入达到1万亿元，其中现代化工7500亿元，能源2500亿元。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2021)
    first = targets[0]
    assert (first.industry, first.value, first.growth_rate) == (
        "equipment-manufacturing", Decimal("22000"), Decimal("8"),
    )
    parts = [(t.industry, t.metric, t.value) for t in targets[2:]]
    assert parts == [
        ("modern-chemicals-and-energy", "营业收入", Decimal("10000")),
        ("modern-chemicals", "营业收入", Decimal("7500")),
        ("energy", "营业收入", Decimal("2500")),
    ]


def test_comparators_and_units(scheme):
    text = (
        "到2030年，万元GDP能耗下降到0.3吨标煤以下，单户奖励约500万元，新增装机超过600万千瓦，"
        "培育3家左右具有全国影响力的平台。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.value, t.unit, t.comparator) for t in targets] == [
        (Decimal("0.3"), "吨标准煤", "≤"),
        (Decimal("0.05"), "亿元", "≈"),
        (Decimal("600"), "万千瓦", "≥"),
        (Decimal("3"), "家", "≈"),
    ]
    assert targets[-1].metric == "具有全国影响力的平台"


def test_rules_and_prose_numbers_are_not_targets(scheme):
    text = (
        "对主营业务收入首次超过10亿元的工业企业，一次性奖补20万元。"
        "每个产业至少引进1名顶尖人才。全省汽车产量居全国第4位。\n"
    )
    assert find_targets(text, scheme, G, "hubei", issued_year=2023) == []


def test_plan_period():
    assert plan_period("编制本规划，规划期限为2021—2025年。") == (2021, 2025)
    assert plan_period("没有期限。") is None


@pytest.fixture(scope="module")
def seed_targets(seed_meta):
    from policykg.extract.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    out = {}
    for seed, (src, meta) in seed_meta.items():
        scheme = IndustryScheme.load()
        scheme.extend_from(src.text)
        year = meta.issued.year if meta.issued else None
        out[seed] = find_targets(src.text, scheme, gazetteer, meta.jurisdiction, year)
    return out


def test_seed_000_provincial_revenue_targets(seed_targets):
    targets = seed_targets["000"]
    by_industry = {t.industry: t for t in targets if t.metric == "营业收入"}
    auto = by_industry["automobile"]
    assert (auto.value, auto.unit, auto.year) == (Decimal("10000"), "亿元", 2025)
    assert auto.region == "hubei"
    assert auto.growth_rate == Decimal("6.4")
    assert by_industry["new-generation-it"].value == Decimal("13000")
    assert by_industry["biomedicine-and-medical-devices"].value == Decimal("3200")
    # all 5 + 10 + 20 industries of the 51020 clusters carry a 2025 revenue goal
    assert len({t.industry for t in targets if t.year == 2025}) >= 35
    assert all(t.year == 2025 for t in targets)  # no 2020 history


def test_seed_targets_other_documents(seed_targets):
    wuhan = seed_targets["001"]
    first = wuhan[0]
    assert (first.value, first.year, first.region) == (Decimal("17000"), 2022, "wuhan")
    equipment = seed_targets["002"][0]
    assert (equipment.industry, equipment.value, equipment.growth_rate) == (
        "equipment-manufacturing", Decimal("22000"), Decimal("8"),
    )
    assert not any(t.value == Decimal("15414") for t in seed_targets["002"])
    rd = next(t for t in seed_targets["004"] if t.metric == "研发经费投入")
    assert rd.value is None and rd.growth_rate == Decimal("14") and rd.comparator == "≥"
    assert any(t.metric == "专精特新企业" and t.value == 150 for t in seed_targets["003"])


UNDATED = "二、重点任务\n（一）建设创新平台。力争再创建2家国家实验室，建设重点实验室30家以上。\n"


def test_undated_commitment_takes_the_document_horizon(scheme):
    body = UNDATED
    opinions = "主要目标是：力争未来五年，全省创新能力显著提升。\n" + body
    years = {t.year for t in find_targets(opinions, scheme, G, "hubei", issued_year=2024)}
    assert years == {2029}
    plan = "规划期限为2021—2025年。\n" + body
    assert {t.year for t in find_targets(plan, scheme, G, "hubei", issued_year=2021)} == {2025}


def test_undated_commitment_without_any_horizon_is_not_a_target(scheme):
    body = UNDATED
    assert find_targets(body, scheme, G, "hubei", issued_year=2024) == []


# -- issue 13: amounts in words, genre units, per-year goals, ranges, review parts ----------


def test_amounts_in_words_are_read(scheme):
    text = (
        "规划期限为2024—2028年。\n"
        "（一）发展目标。到2028年，全省数字产业营业收入突破万亿元，"
        "软件业务收入达到三千亿元，新增储能装机千万千瓦以上。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    got = {(t.metric, t.value, t.unit) for t in targets}
    assert ("营业收入", Decimal("10000"), "亿元") in got
    assert ("软件业务收入", Decimal("3000"), "亿元") in got
    assert ("储能装机", Decimal("1000"), "万千瓦") in got


def test_idioms_and_articles_are_no_amounts(scheme):
    text = (
        "规划期限为2024—2028年。\n"
        "主要目标：到2028年，智慧服务走进千家万户，建成一个省级数据中心，"
        "万元GDP能耗下降到0.3吨标准煤。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value) for t in targets] == [("万元GDP能耗", Decimal("0.3"))]


def test_units_of_the_genre(scheme):
    text = (
        "到2027年，全省智能算力规模达到15EFLOPS，数据存储能力超过80EB，"
        "港口集装箱吞吐量突破500万标箱，建成城市绿道1200公里，新增造林面积2万公顷，出口带宽达到60T，"
        "光纤入户超过800万户。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    got = {(t.value, t.unit) for t in targets}
    assert {(Decimal("15"), "EFLOPS"), (Decimal("80"), "EB"), (Decimal("500"), "万标箱"),
            (Decimal("1200"), "公里"), (Decimal("20000"), "公顷"),
            (Decimal("8000000"), "户"), (Decimal("60"), "Tbps")} <= got


def test_per_year_goal_is_marked_and_its_year_inferred(scheme):
    text = (
        "（一）发展目标。未来五年，每年攻克关键核心技术20项左右。\n"
    )
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert (t.value, t.unit, t.comparator, t.per_year) == (Decimal("20"), "项", "≈", True)
    assert (t.year, t.year_inferred) == (2029, True)


def test_written_year_is_not_inferred(scheme):
    text = "到2027年，全省规上工业企业达到2万家。\n"
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert (t.year, t.year_inferred, t.per_year) == (2027, False, False)


def test_range_keeps_both_ends(scheme):
    text = "到2027年，力争培育国家级制造业创新中心2-3家。\n"
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert (t.value, t.upper, t.unit) == (Decimal("2"), Decimal("3"), "家")


def test_review_and_problem_parts_are_not_goals(scheme):
    text = (
        "规划期限为2024—2028年。\n"
        "第一章 发展基础\n"
        "一、发展现状\n"
        "“十四五”期间，全省新建光伏电站达到120座。\n"
        "二、存在问题\n"
        "低端产能占比超过60%。\n"
        "第二章 总体要求\n"
        "一、主要目标\n"
        "到2028年，全省新建光伏电站达到300座。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value) for t in targets] == [("光伏电站", Decimal("300"))]


def test_industry_amount_alone_is_its_scale(scheme):
    text = "到2027年，推动汽车产业加快突破五千亿元。\n"
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert (t.metric, t.value, t.industry) == ("产业规模", Decimal("5000"), "automobile")


def test_commitment_verb_before_a_count_is_a_goal_of_the_horizon(scheme):
    text = (
        "规划期限为2024—2028年。\n"
        "（三）强化人才支撑。实施人才专项计划，引进培育30名领军科学家、300名青年科技人才。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value, t.unit, t.year) for t in targets] == [
        ("领军科学家", Decimal("30"), "人", 2028), ("青年科技人才", Decimal("300"), "人", 2028)]


def test_an_enumeration_before_the_count_is_not_the_metric(scheme):
    text = "到2027年，打造新能源电池、光伏组件等6条绿色产业链，建设港区等4个物流枢纽。\n"
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value) for t in targets] == [
        ("绿色产业链", Decimal("6")), ("物流枢纽", Decimal("4"))]


def test_a_share_belongs_to_the_subject_of_the_clause_before(scheme):
    text = "到2027年，力争战略性新兴产业增加值达到9000亿元、占GDP比重达到20%。\n"
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.industry) for t in targets] == [
        ("增加值", "strategic-emerging-industries"), ("占GDP比重", "strategic-emerging-industries")]


def test_numbers_in_words_need_a_magnitude_unless_a_single_digit():
    from policykg.extract.quantities.amounts import word_number

    assert word_number("三", "个") == Decimal(3)
    assert word_number("二十", "家") == Decimal(20)
    assert word_number("千", "亿元") == Decimal(1000)
    assert word_number("三五", "个") is None  # 三五个: three to five
    assert word_number("千", "家") is None  # 千家万户
    assert word_number("一", "个") is None


# -- issue 13, round 2: parts, yearly commitments, amount classes, subjects ------------------


def test_parts_after_qizhong_point_to_their_whole(scheme):
    text = (
        "到2027年，全省先进材料产业营业收入达到8000亿元，"
        "其中高端金属材料3000亿元，化工新材料2000亿元。\n"
    )
    whole, *parts = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert whole.parent is None and whole.value == Decimal("8000")
    assert [(t.value, t.parent) for t in parts] == [
        (Decimal("3000"), whole.span), (Decimal("2000"), whole.span)]


def test_a_sentence_without_qizhong_has_no_parts(scheme):
    text = "到2027年，全省软件业务收入达到3000亿元，信息服务收入达到2000亿元。\n"
    assert all(t.parent is None for t in find_targets(text, scheme, G, "hubei", issued_year=2024))


def test_yearly_count_is_a_commitment_but_a_yearly_budget_is_not(scheme):
    text = (
        "规划期限为2024—2028年。\n"
        "（二）强化对接。每年举办200场以上产需对接会，每年安排专项资金2亿元。\n"
    )
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert (t.metric, t.value, t.unit, t.comparator, t.per_year) == (
        "产需对接会", Decimal("200"), "场", "≥", True)
    assert text[t.span.start:t.span.end].startswith("每年")


def test_amount_class_is_an_amount_at_the_end_and_a_qualifier_before_a_noun(scheme):
    text = "到2027年，推动汽车产业加速迈向万亿级，培育百亿级企业10家，打造百万千瓦级光伏基地。\n"
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value, t.unit, t.industry) for t in targets] == [
        ("产业规模", Decimal("10000"), "亿元", "automobile"),
        ("百亿级企业", Decimal("10"), "家", None),
    ]


def test_a_list_of_industries_is_one_goal_each(scheme):
    text = "到2027年，推动汽车、大健康产业突破万亿元。\n"
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.industry, t.value) for t in targets] == [
        ("产业规模", "automobile", Decimal("10000")), ("产业规模", "big-health", Decimal("10000"))]


def test_examples_and_count_before_the_noun_are_cut_from_the_metric(scheme):
    text = (
        "到2027年，煤电、水泥、玻璃等5大行业清洁生产审核覆盖率达到90%，"
        "海砂、河砂等砂石产能占比60%左右。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [t.metric for t in targets] == ["行业清洁生产审核覆盖率", "砂石产能占比"]


def test_industry_comes_from_the_subject_not_from_a_passing_word(scheme):
    text = (
        "三、以先进制造业为引领建设现代化产业体系\n"
        "（一）夯实数字底座。到2027年，力争智能算力规模达到15EFLOPS，可见光通信速率提升至50Gbps。\n"
        "2.汽车制造。\n"
        "到2027年，整车产量达到300万辆。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.industry) for t in targets] == [
        ("智能算力规模", None), ("可见光通信速率", None), ("整车产量", "automobile")]


def test_a_bare_share_keeps_the_words_it_is_a_share_of(scheme):
    text = "到2027年，新能源汽车占比达到40%以上。\n"
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert (t.metric, t.value, t.comparator) == ("新能源汽车占比", Decimal("40"), "≥")


def test_wrapping_verb_and_share_of_a_whole(scheme):
    text = (
        "规划期限为2024—2028年。\n"
        "（一）建设网络。提升城市千兆光网接入速率至1000Gbps。\n"
        "到2026年，新开工项目不低于入库项目数的40%。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value, t.unit, t.comparator, t.year) for t in targets] == [
        ("城市千兆光网接入速率", Decimal("1000"), "Gbps", "≥", 2028),
        ("新开工项目占入库项目数的比重", Decimal("40"), "%", "≥", 2026),
    ]


def test_years_counted_from_a_start_year(scheme):
    text = "自2012年起5年内，全市新增城市绿地300公顷。\n"
    [t] = find_targets(text, scheme, G, "xiangyang", issued_year=2012)
    assert (t.metric, t.value, t.unit, t.year, t.year_inferred) == (
        "城市绿地", Decimal("300"), "公顷", 2017, False)


def test_target_iris_rename_nothing_when_one_target_is_added(tmp_path):
    """Rebuilding after one more target is found in a document adds one IRI and renames none."""
    from policykg.build import build

    plan = (
        "关于加快发展数字经济的工作方案\n各区人民政府，市人民政府各部门：\n"
        "为加快发展数字经济，制定本方案。\n一、主要目标\n"
        "到2025年，全市数字经济核心产业营业收入达到3000亿元，汽车产业营业收入达到5000亿元，"
        "培育数字企业200家。\n{extra}"
        "二、重点任务\n（一）建设数据中心。推进算力基础设施建设。（责任单位：市发改委）\n"
        "武汉市人民政府\n2023年5月6日\n"
    )
    other = plan.replace("数字经济", "生物经济").format(extra="")

    def target_iris(extra: str) -> dict[str, set[str]]:
        docs, out = tmp_path / f"docs{len(extra)}", tmp_path / f"out{len(extra)}"
        docs.mkdir()
        (docs / "a.txt").write_text(plan.format(extra=extra), encoding="utf-8")
        (docs / "b.txt").write_text(other, encoding="utf-8")
        build(docs, out, progress=lambda _l: None)
        found: dict[str, set[str]] = {}
        for line in (out / "graph.nq").read_text(encoding="utf-8").splitlines():
            if "/id/target/" in line.split(" ", 1)[0] and "22-rdf-syntax-ns#type" in line:
                iri = line.split(" ", 1)[0]
                found.setdefault(iri.split("/id/target/")[1].split("/")[0], set()).add(iri)
        return found

    before = target_iris("")
    after = target_iris("到2025年，全市新增上市公司30家。\n")
    assert len(before) == 2 and before.keys() == after.keys()
    changed = [k for k in before if before[k] != after[k]]
    assert len(changed) == 1  # the other document keeps every IRI
    [doc] = changed
    assert before[doc] < after[doc]  # none renamed
    assert len(after[doc] - before[doc]) == 1  # one added


def test_sizes_of_named_places_and_trailing_words_are_no_part_of_a_goal(scheme):
    text = (
        "到2026年，推进东湖片区（3.2平方公里）、西站片区（4.1平方公里）改造，"
        "城区公园的乡土树种应用比例分别达到70%、60%，开展50场以上“绿色社区”活动。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value) for t in targets][:2] == [
        ("城区公园的乡土树种应用比例", Decimal("70")),
        ("城区公园的乡土树种应用比例", Decimal("60")),
    ]
    assert not any(t.unit == "平方公里" for t in targets)
    assert targets[-1].metric.startswith("“绿色社区”活动")


def test_end_of_plan_period_is_an_inferred_year(scheme):
    text = "规划期限为2021—2025年。\n到规划期末，全省高新技术企业达到2万家。\n"
    [t] = find_targets(text, scheme, G, "hubei", issued_year=2021)
    assert (t.value, t.year, t.year_inferred) == (Decimal("20000"), 2025, True)


def test_a_part_after_a_growth_and_value_points_to_the_merged_whole(scheme):
    text = (
        "“十四五”期间全省装备制造业营业收入年均增长8%左右，2025年达到2.2万亿元，"
        "其中汽车制造营业收入达到1万亿元。\n"
    )
    whole, part = find_targets(text, scheme, G, "hubei", issued_year=2021)
    assert (whole.growth_rate, whole.value, part.industry) == (
        Decimal("8"), Decimal("22000"), "automobile")
    assert part.parent == whole.span


def test_each_clause_keeps_its_own_year_and_a_base_year_is_no_goal(scheme):
    text = (
        "到2030年，光伏发电装机规模2026年达到800万千瓦以上，2030年达到1500万千瓦以上，"
        "公交站点覆盖率由2023年的70%提高至2030年的95%。\n"
    )
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.value, t.year) for t in targets] == [
        ("光伏发电装机规模", Decimal("800"), 2026),
        ("光伏发电装机规模", Decimal("1500"), 2030),
        ("公交站点覆盖率", Decimal("95"), 2030),
    ]


def test_less_than_and_ensure(scheme):
    text = "到2027年，城区充电服务半径小于2公里，确保每年新增充电桩5000个。\n"
    targets = find_targets(text, scheme, G, "hubei", issued_year=2024)
    assert [(t.metric, t.comparator, t.per_year) for t in targets] == [
        ("城区充电服务半径", "≤", False), ("充电桩", None, True)]


def test_a_value_s_noun_stops_at_the_next_quantity():
    """``4家绿色园区和8家零碳工厂``, ``建成1个智能化车间和2个数字化车间``: each quantity keeps
    its own words, none is left with an empty span (it would carry no provenance)."""
    from policykg.extract.industries import IndustryScheme
    from policykg.extract.places.gazetteer import Gazetteer
    from policykg.extract.quantities.targets import find_targets

    text = ("一、主要目标\n到2027年，新建4家绿色园区和8家零碳工厂。\n"
            "到2026年，建成1个智能化车间和2个数字化车间。\n")
    found = find_targets(text, IndustryScheme.load(), Gazetteer.load(), None)
    assert all(t.span.end > t.span.start for t in found)
    assert [(t.metric, int(t.value)) for t in found] == [
        ("绿色园区", 4), ("零碳工厂", 8), ("智能化车间", 1), ("数字化车间", 2)]

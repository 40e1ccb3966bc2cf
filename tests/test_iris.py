"""Instance IRIs are readable, ASCII and stable."""

from policykg.extract import iris
from policykg.ontology.vocab import ID_NS


def test_slug_of_doc_number_is_readable_pinyin():
    assert iris.slugify("鄂经信规划〔2021〕203号") == "e-jing-xin-gui-hua-2021-203-hao"


def test_slug_is_ascii_and_bounded():
    title = "湖北省关于加快推进制造业高质量发展和构建现代化产业体系的若干政策措施的实施意见" * 2
    slug = iris.slugify(title)
    assert slug.isascii() and len(slug) <= 60
    assert slug == iris.slugify(title)


def test_long_titles_with_a_common_beginning_get_distinct_slugs():
    a = "湖北省关于加快推进制造业高质量发展和构建现代化产业体系的若干政策措施（第一批）"
    b = "湖北省关于加快推进制造业高质量发展和构建现代化产业体系的若干政策措施（第二批）"
    assert iris.slugify(a) != iris.slugify(b)


def test_document_prefers_doc_number():
    number = "鄂政办发〔2024〕19号"
    assert iris.document_slug(number, "某意见") == iris.slugify(number)
    assert iris.document_slug(None, "某意见") == iris.slugify("某意见")


def test_instance_iris_live_under_the_id_namespace():
    nodes = (iris.document("d"), iris.task("d", "4.2"), iris.agency("x"), iris.region("wuhan"))
    for node in nodes:
        assert node.value.startswith(ID_NS)
    assert iris.task("d", "4.2").value == ID_NS + "task/d/4.2"


def test_published_slugs_are_pinned():
    """Slugs are published IRIs: the pinyin rule and the digest of long slugs are fixed.

    A change here renames documents that others link to; it must be a deliberate act
    (update this literal in the same commit, and say so in its message).
    """
    long_title = ("关于进一步加快推进全省战略性新兴产业高质量发展"
                  "若干政策措施的实施意见和工作方案的通知")
    assert iris.slugify(long_title) == "guan-yu-jin-yi-bu-jia-kuai-tui-jin-quan-sheng-zhan-8a2f34"
    assert iris.document_slug("鄂政办发〔2024〕19号", "任意标题") == "e-zheng-ban-fa-2024-19-hao"


# -- instance IRIs derive from what a thing is, never from its position -----------------

_PLAN = """襄樊市关于加快培育新能源产业的实施方案
各县（市、区）人民政府，市政府各部门：
为加快培育新能源产业，制定本方案。
一、主要目标
到2027年，全市新能源产业营业收入达到800亿元，培育规上企业120家。
二、重点任务
（一）建设储能基地。推进储能电站建设，新建储能电站10座。（牵头单位：市发改委；责任单位：市经信局、市科技局）
（二）培育龙头企业。引进培育龙头企业5家。（牵头单位：市经信局）
襄樊市人民政府
2024年3月8日
"""


def _iris_of(plan: str, tmp_path, name: str) -> dict[str, set[str]]:
    from policykg.build import build

    docs = tmp_path / name
    docs.mkdir()
    (docs / "plan.txt").write_text(plan, encoding="utf-8")
    build(docs, tmp_path / (name + "-out"), progress=lambda _l: None)
    found: dict[str, set[str]] = {}
    for line in (tmp_path / (name + "-out") / "graph.nq").read_text(encoding="utf-8").splitlines():
        subject = line.split(" ", 1)[0].strip("<>")
        if subject.startswith(ID_NS):
            kind = subject[len(ID_NS):].split("/", 1)[0]
            found.setdefault(kind, set()).add(subject)
    return found


def test_one_more_target_sentence_adds_its_iris_and_renames_nothing(tmp_path):
    before = _iris_of(_PLAN, tmp_path, "before")
    more = _PLAN.replace("培育规上企业120家。", "培育规上企业120家，建成充电桩3000个。")
    after = _iris_of(more, tmp_path, "after")
    assert len(before["target"]) >= 2
    assert before["target"] <= after["target"]
    added = after["target"] - before["target"]
    assert len(added) == 1 and "chong-dian-zhuang" in added.pop()
    for kind in set(before) | set(after):
        if kind != "target":
            assert before.get(kind) == after.get(kind), kind


def test_one_more_agency_adds_one_assignment_and_renames_nothing(tmp_path):
    before = _iris_of(_PLAN, tmp_path, "before")
    more = _PLAN.replace("责任单位：市经信局、市科技局", "责任单位：市财政局、市经信局、市科技局")
    after = _iris_of(more, tmp_path, "after")
    assert before["assignment"] <= after["assignment"]
    assert len(after["assignment"] - before["assignment"]) == 1
    assert before["target"] == after["target"]


def test_assignment_iri_names_task_role_and_agency():
    node = iris.assignment("wu-zheng-2024-3", "2.1", iris.assignment_key("lead", "wuhan-fgw"))
    assert node.value == ID_NS + "assignment/wu-zheng-2024-3/2.1/lead/wuhan-fgw"


def test_keys_get_a_digest_of_their_own_text_only_when_they_collide():
    assert iris.target_key("营业收入", 2025) == "ying-ye-shou-ru-2025"
    keys = iris.keyed([("a", "汽车营业收入"), ("b", "x"), ("a", "化工营业收入")])
    assert keys[1] == "b"
    assert keys[0].startswith("a-") and keys[2].startswith("a-") and keys[0] != keys[2]
    # the digest depends on the text, not on the order
    assert iris.keyed([("a", "化工营业收入"), ("a", "汽车营业收入")]) == [keys[2], keys[0]]
    twins = iris.keyed([("a", "同一句"), ("a", "同一句")])
    assert len(set(twins)) == 2

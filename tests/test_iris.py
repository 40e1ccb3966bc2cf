"""Instance IRIs are readable, ASCII and stable."""

from extract import iris
from ontology.vocab import ID_NS


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

"""The query page's examples are docs/queries/*.rq, defined once: the packaged copy
(server/static/examples.json) is generated from them and must be current."""

from policykg.server.examples import GENERATED, QUERIES, examples, query_order, render


def test_examples_json_is_generated_from_docs_queries():
    assert GENERATED.read_text(encoding="utf-8") == render(examples(QUERIES)), (
        "server/static/examples.json is stale: run `make examples`")


def test_every_query_file_is_an_example_with_its_question():
    items = examples(QUERIES)
    assert [i["id"] for i in items] == [p.stem for p in sorted(QUERIES.glob("*.rq"),
                                                                 key=query_order)]
    assert [i["id"].split("-")[0] for i in items][:3] == ["1", "2", "3"]  # 2 before 10
    for item in items:
        assert item["title"] and not item["title"].startswith("#")
        first = (QUERIES / f"{item['id']}.rq").read_text(encoding="utf-8").splitlines()[0]
        if first.startswith("# title:") and " / " in first:  # "# title: 中文 / English"
            assert item["title_zh"] != item["title"] and "/" not in item["title_zh"]
        assert "PREFIX" not in item["query"]  # the endpoint predeclares the project prefixes

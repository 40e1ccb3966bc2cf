"""The cost model behind the fast lane: query shapes and what they have cost."""

from __future__ import annotations

import time

from policykg.server.costs import CostModel, query_shape


def test_shape_blanks_constants_and_keeps_vocabulary():
    a = query_shape('SELECT ?a WHERE { VALUES ?t { <https://x/id/task/1> } ?t pk:lead ?a ; '
                    'rdfs:label "第一项"@zh . FILTER(?n > 3.5) }')
    b = query_shape('SELECT ?a WHERE {\n  VALUES ?t { <https://x/id/task/22> }\n  ?t pk:lead ?a ;'
                    ' rdfs:label "另一项"@zh . FILTER(?n > 12) }')
    assert a == b
    assert "pk:lead" in a and "task" not in a and "第一项" not in a
    # another property or form is another shape; renamed variables are not
    assert query_shape(a.replace("pk:lead", "pk:responsible")) != a
    assert query_shape("SELECT ?x { ?x ?p ?o }") == query_shape("SELECT ?y { ?y ?p ?o }")
    assert query_shape("SELECT ?x { ?x ?p ?x }") != query_shape("SELECT ?x { ?x ?p ?y }")


def test_shape_is_not_fooled_by_brackets_and_quotes_inside_literals():
    a = query_shape('SELECT * { ?s ?p "a } <b> \\" c" . ?s ?q ?o }')
    assert a == "SELECT * { ?v0 ?v1 ? . ?v0 ?v2 ?v3 }"
    assert query_shape("SELECT * { ?s ?p '''x\n\"y\"''' }") == "SELECT * { ?v0 ?v1 ? }"
    # digits inside names and variables are not numbers
    assert query_shape("SELECT ?x1 { ?x1 ex:p2 ?o }") == "SELECT ?v0 { ?v0 ex:p2 ?v1 }"


def test_shapes_of_huge_queries_are_linear_and_small():
    """8,000 digits took 1.7 s in the old pattern and froze the server; a 1 MB query's
    shape was kept whole in the cost table."""
    digits = "ASK { FILTER(" + "1" * 200_000 + "a) }"
    escapes = "SELECT * { ?s ?p \"" + "\\\"" * 100_000 + " }"
    for text in (digits, escapes):
        started = time.process_time()
        query_shape(text)
        assert time.process_time() - started < 0.5  # linear: milliseconds (quadratic: minutes)
    assert query_shape("SELECT * { ?s ?p ?o . " + "?s ?p ?o . " * 10_000 + "}").startswith("#")


def test_unknown_shapes_are_cheap_until_they_cost():
    costs = CostModel(cheap_below=0.05)
    assert costs.cheap("q") and costs.expected("q") is None
    costs.observe("q", 0.002)
    assert costs.cheap("q")
    costs.observe("q", 0.5)  # one overrun of the fast lane's budget is enough
    assert not costs.cheap("q")
    for _ in range(20):  # and a shape that has become cheap earns its way back
        costs.observe("q", 0.001)
    assert costs.cheap("q")


def test_table_is_bounded_least_recently_used_first():
    costs = CostModel(max_shapes=3)
    for shape in "abcd":
        costs.observe(shape, 1.0)
    assert len(costs) == 3 and costs.expected("a") is None
    costs.observe("b", 1.0)  # b used again: c is now the oldest
    costs.observe("e", 1.0)
    assert costs.expected("c") is None and costs.expected("b") is not None


def test_long_texts_are_not_cached():
    """200 distinct 1 MB queries held 380 MB in the shape cache and it stayed there."""
    before = query_shape.cache_info().currsize
    for i in range(50):
        query_shape(f"SELECT * {{ ?s ?p {i} }} #" + "x" * 10_000)
    assert query_shape.cache_info().currsize == before


def test_a_query_text_is_prepared_once_and_a_long_one_is_not_kept():
    """The binary engine's preparation of a text (checks, prologue) is kept like shapes."""
    from policykg.server.binpool import _prepared

    short = "SELECT * WHERE { ?s pk:p ?o } # prepared once"
    first = _prepared(short, False)
    hits = _prepared.cache_info().hits
    assert _prepared(short, False) is first and _prepared.cache_info().hits == hits + 1
    size = _prepared.cache_info().currsize
    for i in range(20):
        form, body, shift = _prepared(f"SELECT * {{ ?s ?p {i} }} #" + "x" * 10_000, False)
        assert form == "SELECT" and body.endswith(b"x" * 100) and shift > 0
    assert _prepared.cache_info().currsize == size

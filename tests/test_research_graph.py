"""What issue 13 asked of the seed graph: sub-measures, profiles, tiers, counterparts."""

from policykg.ontology.vocab import sparql_prolog


def values(store, query, name):
    return [s[name].value for s in store.query(sparql_prolog() + query,
                                                use_default_graph_as_union=True)]


def test_the_manufacturing_plans_sub_measures_are_tasks(seed_store):
    n = values(seed_store, """
        SELECT (COUNT(?t) AS ?n) WHERE {
          ?t pk:subTaskOf ?p ; pk:inDocument/dcterms:title "湖北省制造业高质量发展“十四五”规划"@zh }
    """, "n")
    assert n == ["48"]
    subs = values(seed_store, """
        SELECT ?l WHERE { ?p rdfs:label "统筹推进规划实施"@zh . ?t pk:subTaskOf ?p ; rdfs:label ?l }
        ORDER BY ?l
    """, "l")
    assert sorted(subs) == sorted(["强化组织领导", "加强宣传推广", "加强监测评估"])


def test_industry_profiles_are_told_apart_from_measures(seed_store):
    n = values(seed_store, """
        SELECT (COUNT(?t) AS ?n) WHERE {
          ?t a pk:IndustryProfile ;
             pk:inDocument/dcterms:title "湖北省制造业高质量发展“十四五”规划"@zh
          FILTER NOT EXISTS { ?t pk:subTaskOf ?p } }
    """, "n")
    assert n == ["40"]


def test_broader_star_from_equipment_manufacturing_reaches_both_revenue_targets(seed_store):
    found = values(seed_store, """
        SELECT DISTINCT ?l WHERE {
          ?e skos:prefLabel "装备制造业"@zh .
          ?t a pk:Target ; pk:concernsIndustry ?i ; pk:metric ?m .
          ?i skos:broader* ?e ; skos:prefLabel ?l FILTER(lang(?l) = "zh" && CONTAINS(?m, "收入")) }
    """, "l")
    assert {"汽车制造", "高端装备"} <= set(found)
    tiers = values(seed_store, """
        SELECT ?l WHERE { ?i pk:industryTier/skos:prefLabel "万亿级支柱产业"@zh ;
                             skos:prefLabel ?l FILTER(lang(?l) = "zh") } ORDER BY ?l
    """, "l")
    assert len(tiers) == 5 and "汽车制造" in tiers


def test_city_bodies_are_counterparts_of_provincial_ones_and_all_are_classified(seed_store):
    higher = values(seed_store, """
        SELECT ?h WHERE { ?a skos:prefLabel "武汉市经济和信息化局"@zh ;
                             pk:counterpartOf/skos:prefLabel ?h FILTER(lang(?h) = "zh") }
    """, "h")
    assert higher == ["湖北省经济和信息化厅"]
    unclassified = values(seed_store, """
        SELECT ?a WHERE { ?a a pk:Agency FILTER NOT EXISTS { ?a org:classification ?f } }
    """, "a")
    assert unclassified == []
    labels = values(seed_store, """
        SELECT DISTINCT ?l WHERE { ?a a pk:Agency ; org:classification/skos:prefLabel ?l
                                   FILTER(lang(?l) = "zh") }
    """, "l")
    assert not [x for x in labels if "中共委" in x or "总局税务局" in x or x == "高级人民法院"]

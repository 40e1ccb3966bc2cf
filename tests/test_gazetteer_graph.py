"""Regions in the graph: division codes, levels, and only the regions a build uses."""

from __future__ import annotations

from types import SimpleNamespace

from policykg.extract import iris
from policykg.extract.graph import region_quads
from policykg.extract.industries import IndustryScheme
from policykg.extract.pipeline import vocabulary_quads
from policykg.extract.places.gazetteer import Gazetteer
from policykg.ontology.vocab import PK, RDF

GAZ = Gazetteer.load()


def _objects(quads, subject, predicate):
    return [q.object for q in quads if q.subject == subject and q.predicate == predicate]


def test_divisions_carry_their_code_and_level():
    quads = list(region_quads([GAZ.get("shanghai"), GAZ.get("shanghai-jiading")]))
    jiading, shanghai = iris.region("shanghai-jiading"), iris.region("shanghai")
    assert [o.value for o in _objects(quads, jiading, PK.divisionCode)] == ["310114"]
    assert _objects(quads, jiading, PK.withinRegion) == [shanghai]
    assert _objects(quads, shanghai, PK.adminLevel) == [PK.ProvincialLevel]  # a municipality
    assert _objects(quads, jiading, PK.adminLevel) == [PK.CountyLevel]
    assert _objects(quads, shanghai, PK.withinRegion) == []


def test_zones_have_no_code_and_a_zone_level():
    quads = list(region_quads([GAZ.get("hebei-xiongan-new-area")]))
    node = iris.region("hebei-xiongan-new-area")
    assert _objects(quads, node, PK.divisionCode) == []
    assert _objects(quads, node, PK.adminLevel) == [PK.ZoneLevel]


def test_the_vocabularies_hold_only_used_regions_and_their_ancestors():
    docs = [
        SimpleNamespace(agencies={}, originals={}, regions=frozenset({"shanghai-jiading"})),
        SimpleNamespace(agencies={}, originals={}, regions=frozenset({"wuhan-jiangxia"})),
    ]
    quads = vocabulary_quads(docs, [], IndustryScheme.load(), GAZ)
    regions = {q.subject.value.rsplit("/", 1)[1] for q in quads
               if q.predicate == RDF.type and q.object == PK.Region}
    assert regions == {"shanghai", "shanghai-jiading", "hubei", "wuhan", "wuhan-jiangxia"}

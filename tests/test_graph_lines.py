"""The graph writer's N-Quads lines are the serializer's, byte for byte.

``extract.graph`` writes lines instead of pyoxigraph ``Quad`` objects (the build's dump,
cache and store read lines); these tests hold it to what serializing the same quads gives,
on the literals that need escaping, and on a whole document of the seeds.
"""

from __future__ import annotations

from pathlib import Path

from policykg.extract import iris
from policykg.extract.graph import CorpusIndex, _Writer, document_nquads, document_quads
from policykg.ontology.vocab import PK, RDF, XSD
from pyoxigraph import Literal, NamedNode, Quad

from policykg.store import sorted_nquads

ROOT = Path(__file__).resolve().parents[1]
EX = "https://example.org/"
TEXTS = [
    '引号"与反斜杠\\',
    "换行\n回车\r制表\t",
    "控制\x00\x01\x08\x0b\x0c\x1f\x7f字符",
    "非BMP𠀀𝒳与组合字符é",
    "",
    "  前后空格  ",
]


def test_literals_that_need_escaping_are_written_as_the_serializer_writes_them():
    w = _Writer(NamedNode(EX + "g"))
    node = NamedNode(EX + "n")
    quads = []
    for n, text in enumerate(TEXTS):
        for obj in (Literal(text), Literal(text, language="zh"),
                    Literal(text, datatype=NamedNode(EX + "dt")),
                    Literal(str(n), datatype=XSD.integer)):
            w.add(node, NamedNode(f"{EX}p{n}"), obj)
            quads.append(Quad(node, NamedNode(f"{EX}p{n}"), obj, NamedNode(EX + "g")))
    assert w.nquads() == sorted_nquads(quads)
    assert w.quads() == list(dict.fromkeys(quads))  # in the order added, each once


def test_a_type_brings_its_parent_types_once():
    w = _Writer(NamedNode(EX + "g"))
    w.add(NamedNode(EX + "a"), RDF.type, PK.Agency)
    w.add(NamedNode(EX + "a"), RDF.type, PK.Agency)
    types = [q.object for q in w.quads()]
    assert types[0] == PK.Agency and len(types) == len(set(types)) > 1


def test_a_seed_documents_lines_are_its_quads_serialized():
    from policykg.extract.industries import IndustryScheme
    from policykg.extract.pipeline import extract_document
    from policykg.extract.places.gazetteer import Gazetteer
    from policykg.extract.readers import read_source

    path = sorted((ROOT / "seeds").glob("*.txt"))[0]
    done = extract_document(read_source(path), IndustryScheme.load(), Gazetteer.load())
    args = dict(doc=iris.document(done.slug), doc_slug=done.slug, agencies=done.agencies,
                corpus=CorpusIndex())
    quads, refs = document_quads(done.extraction, **args)
    lines, refs_again = document_nquads(done.extraction, **args)
    assert len(quads) > 100 and refs == refs_again
    assert lines == sorted_nquads(quads)

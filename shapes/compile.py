"""SHACL shapes → SPARQL queries that list the violating nodes of a whole store at once.

pyshacl checks one focus node at a time in Python, which takes minutes on a graph of a million
triples. The same constraints, written as one SPARQL query per constraint and run by Oxigraph
(Rust), take seconds: each query returns exactly the results SHACL would report. This module
compiles the part of SHACL the project's shapes use: node and property shapes; targets by class,
node, subjects-of, objects-of; predicate and inverse paths (and sequences/alternatives of them);
``minCount maxCount datatype class nodeKind pattern languageIn in hasValue minInclusive
maxInclusive minExclusive maxExclusive minLength maxLength uniqueLang lessThan
lessThanOrEquals equals disjoint qualifiedValueShape or and not node`` and SPARQL-based
constraints. Anything else raises :class:`Unsupported`, and :mod:`shapes.validate` then runs
pyshacl instead, so a foreign shapes file is never half-checked.

Semantics kept from the SHACL spec: class membership follows ``rdf:type/rdfs:subClassOf*`` in
the data; ``sh:in`` and ``sh:hasValue`` compare terms, not values; a comparison that raises an
error (e.g. a string against a number) is a violation; ill-formed typed literals fail
``sh:datatype``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from policykg.shapes.report import SH
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
# Datatypes whose lexical forms Oxigraph can check by casting.
_CASTABLE = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.boolean,
    XSD.date,
    XSD.dateTime,
    XSD.gYear,
    XSD.time,
    XSD.duration,
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
# Shape-graph predicates that are not constraints (or are handled elsewhere).
_NOT_CONSTRAINTS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.property,
    SH.path,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.deactivated,
    SH.sparql,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.defaultValue,
}


def _component(pred: URIRef) -> str:
    """``sh:minCount`` → ``MinCountConstraintComponent`` (qualified counts share one)."""
    name = pred.fragment
    return name[0].upper() + name[1:] + "ConstraintComponent"


class Unsupported(Exception):
    """The shapes use SHACL this compiler does not translate."""


@dataclass
class Check:
    """One SPARQL query; every row is one validation result.

    Rows bind ``?this`` (focus node) and optionally ``?value``, ``?path`` and
    ``?component`` (where one query checks two components, the one a row breaks).
    """

    shape: Node
    component: str
    severity: str
    messages: tuple[Literal, ...]
    query: str
    path: Node | None = None


@dataclass
class Compiler:
    shapes: Graph
    checks: list[Check] = field(default_factory=list)
    _vars: itertools.count = field(default_factory=itertools.count)

    # -- helpers ---------------------------------------------------------------------------

    def var(self, stem: str = "x") -> str:
        return f"?_{stem}{next(self._vars)}"

    def objects(self, node: Node, pred: URIRef) -> list[Node]:
        return sorted(self.shapes.objects(node, pred), key=lambda t: t.n3())

    def one(self, node: Node, pred: URIRef) -> Node | None:
        values = self.objects(node, pred)
        if len(values) > 1:
            raise Unsupported(f"more than one {pred} on {node}")
        return values[0] if values else None

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    @staticmethod
    def term(t: Node) -> str:
        if isinstance(t, BNode):
            raise Unsupported("blank node as a constraint value")
        return t.n3()

    def severity(self, shape: Node) -> str:
        sev = self.one(shape, SH.severity)
        return str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"

    def messages(self, node: Node) -> tuple[Literal, ...]:
        return tuple(self.objects(node, SH.message))

    # -- paths and targets -----------------------------------------------------------------

    def path(self, p: Node) -> str:
        if isinstance(p, URIRef):
            return f"<{p}>"
        inverse = self.one(p, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        alternative = self.one(p, SH.alternativePath)
        if alternative is not None:
            return "(" + "|".join(self.path(x) for x in self.items(alternative)) + ")"
        for pred, op in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = self.one(p, pred)
            if inner is not None:
                return f"({self.path(inner)}){op}"
        if (p, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(x) for x in self.items(p)) + ")"
        raise Unsupported(f"path {p}")

    def targets(self, shape: Node) -> str | None:
        """A group pattern binding ``?this`` to every focus node, or None without targets."""
        parts = []
        for c in self.objects(shape, SH.targetClass):
            parts.append(f"?this {TYPE_PATH} {self.term(c)} .")
        if (shape, RDF.type, RDFS.Class) in self.shapes:
            parts.append(f"?this {TYPE_PATH} {self.term(shape)} .")
        nodes = self.objects(shape, SH.targetNode)
        if nodes:
            parts.append("VALUES ?this { " + " ".join(self.term(n) for n in nodes) + " }")
        for p in self.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {self.term(p)} [] .")
        for p in self.objects(shape, SH.targetObjectsOf):
            parts.append(f"[] {self.term(p)} ?this .")
        if (shape, SH.target, None) in self.shapes:
            raise Unsupported("sh:target (SHACL-AF)")
        if not parts:
            return None
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return "{ SELECT DISTINCT ?this WHERE { " + union + " } }"

    # -- value conditions ------------------------------------------------------------------

    def conditions(self, shape: Node, v: str, nested: bool = False) -> list[tuple[str, str]]:
        """(component, boolean SPARQL expression true when value ``v`` conforms) pairs.

        ``nested`` shapes (inside sh:or/sh:not/sh:node/qualifiedValueShape) may also hold a path
        with sh:minCount/maxCount, turned into a count over the value's own properties.
        """
        out: list[tuple[str, str]] = []
        path = self.one(shape, SH.path)
        if nested and path is not None:
            p = self.path(path)
            for pred, op in ((SH.minCount, ">="), (SH.maxCount, "<=")):
                n = self.one(shape, pred)
                if n is not None:
                    x = self.var("n")
                    count = f"(COUNT(DISTINCT {x}))"
                    if int(n) == 1 and op == ">=":
                        out.append((pred.fragment, f"EXISTS {{ {v} {p} {x} }}"))
                    elif int(n) == 0 and op == "<=":
                        out.append((pred.fragment, f"NOT EXISTS {{ {v} {p} {x} }}"))
                    else:
                        raise Unsupported(f"nested {pred} {n} {count}")
            allowed = {SH.path, SH.minCount, SH.maxCount, RDF.type, SH.message, SH.name}
            extra = {p for p, _ in self.shapes.predicate_objects(shape)} - allowed
            if extra:
                raise Unsupported(f"nested property shape with {sorted(extra)}")
            return out
        for pred, obj in sorted(self.shapes.predicate_objects(shape), key=lambda po: po[0]):
            if pred == SH.hasValue and path is None:
                out.append(("HasValueConstraintComponent", f"sameTerm({v}, {self.term(obj)})"))
                continue
            expr = self.condition(pred, obj, v)
            if expr is not None:
                out.append((_component(pred), expr))
            elif pred not in _NOT_CONSTRAINTS and pred not in _HANDLED_AS_PROPERTY:
                raise Unsupported(f"constraint {pred}")
        return out

    def condition(self, pred: URIRef, obj: Node, v: str) -> str | None:
        if pred == SH["class"]:
            return f"EXISTS {{ {v} {TYPE_PATH} {self.term(obj)} }}"
        if pred == SH.datatype:
            dt = self.term(obj)
            expr = f"(isLiteral({v}) && datatype({v}) = {dt}"
            if obj in _CASTABLE:
                expr += f" && COALESCE(isLiteral({dt}(STR({v}))), false)"
            return expr + ")"
        if pred == SH.nodeKind:
            try:
                return _NODE_KINDS[obj].format(v=v)
            except KeyError:
                raise Unsupported(f"node kind {obj}") from None
        if pred == SH.pattern:
            return f"(!isBlank({v}) && regex(STR({v}), {Literal(str(obj)).n3()}))"
        if pred == SH.languageIn:
            tags = [str(t) for t in self.items(obj)]
            alts = " || ".join(f"langMatches(lang({v}), {Literal(t).n3()})" for t in tags)
            return f"(isLiteral({v}) && ({alts or 'false'}))"
        if pred == SH["in"]:
            alts = " || ".join(f"sameTerm({v}, {self.term(t)})" for t in self.items(obj))
            return f"({alts or 'false'})"
        if pred in _COMPARISONS:
            return f"COALESCE({v} {_COMPARISONS[pred]} {self.term(obj)}, false)"
        if pred in (SH.minLength, SH.maxLength):
            op = ">=" if pred == SH.minLength else "<="
            return f"(!isBlank({v}) && strlen(STR({v})) {op} {int(obj)})"
        if pred == SH["or"]:
            alts = [self.all_of(s, v) for s in self.items(obj)]
            return "(" + " || ".join(alts) + ")"
        if pred == SH["and"]:
            return "(" + " && ".join(self.all_of(s, v) for s in self.items(obj)) + ")"
        if pred == SH["not"]:
            return f"!({self.all_of(obj, v)})"
        if pred == SH.node:
            return self.all_of(obj, v)
        return None

    def all_of(self, shape: Node, v: str) -> str:
        conds = self.conditions(shape, v, nested=True)
        return "(" + (" && ".join(c for _, c in conds) or "true") + ")"

    # -- shapes ----------------------------------------------------------------------------

    def compile(self) -> list[Check]:
        node_shapes = set(self.shapes.subjects(RDF.type, SH.NodeShape))
        node_shapes |= {
            s
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            for s in self.shapes.subjects(p, None)
        }
        for shape in sorted(node_shapes, key=lambda t: t.n3()):
            if self.one(shape, SH.deactivated) == Literal(True):
                continue
            target = self.targets(shape)
            if target is None:
                continue  # only used through sh:node / sh:or …
            if (shape, SH.path, None) in self.shapes:
                self.property(shape, shape, target)
                continue
            self.node_constraints(shape, target)
            for prop in self.objects(shape, SH.property):
                self.property(prop, prop, target)
            for sparql in self.objects(shape, SH.sparql):
                self.sparql(shape, sparql, target)
        return self.checks

    def add(self, shape: Node, component: str, query: str, messages, severity, path=None) -> None:
        self.checks.append(Check(shape, component, severity, messages, query, path))

    def node_constraints(self, shape: Node, target: str) -> None:
        severity, messages = self.severity(shape), self.messages(shape)
        for component, expr in self.conditions(shape, "?this"):
            q = f"SELECT ?this (?this AS ?value) WHERE {{ {target} FILTER (!({expr})) }}"
            self.add(shape, component, q, messages, severity)

    def property(self, prop: Node, shape: Node, target: str) -> None:
        if self.one(prop, SH.deactivated) == Literal(True):
            return
        severity, messages = self.severity(prop), self.messages(prop)
        path_node = self.one(prop, SH.path)
        p = self.path(path_node)
        add = lambda comp, q: self.add(prop, comp, q, messages, severity, path_node)  # noqa: E731
        for component, expr in self.conditions(prop, "?value"):
            add(
                component,
                f"SELECT ?this ?value WHERE {{ {target} ?this {p} ?value . FILTER (!({expr})) }}",
            )
        self.counts(prop, target, p, add)
        qshape = self.one(prop, SH.qualifiedValueShape)
        if qshape is not None:
            if self.one(prop, SH.qualifiedValueShapesDisjoint) == Literal(True):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            ok = self.all_of(qshape, "?v")
            for pred, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
                n = self.one(prop, pred)
                if n is not None:
                    add(
                        _component(pred),
                        f"SELECT ?this WHERE {{ {target} "
                        f"OPTIONAL {{ ?this {p} ?v FILTER ({ok}) }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {op} {int(n)})",
                    )
        if self.one(prop, SH.uniqueLang) == Literal(True):
            add(
                "UniqueLangConstraintComponent",
                f'SELECT ?this WHERE {{ {target} ?this {p} ?v . FILTER (lang(?v) != "") '
                f"BIND (LCASE(lang(?v)) AS ?lang) }} "
                "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1)",
            )
        for pred, op in _PAIRS.items():
            for other in self.objects(prop, pred):
                add(
                    _component(pred),
                    f"SELECT ?this ?value WHERE {{ {target} ?this {p} ?value . "
                    f"?this {self.term(other)} ?w . FILTER (!COALESCE(?value {op} ?w, false)) }}",
                )
        for other in self.objects(prop, SH.equals):
            o = self.term(other)
            add(
                "EqualsConstraintComponent",
                f"SELECT ?this ?value WHERE {{ {target} "
                f"{{ ?this {p} ?value FILTER NOT EXISTS {{ ?this {o} ?value }} }} UNION "
                f"{{ ?this {o} ?value FILTER NOT EXISTS {{ ?this {p} ?value }} }} }}",
            )
        for other in self.objects(prop, SH.disjoint):
            add(
                "DisjointConstraintComponent",
                f"SELECT ?this ?value WHERE {{ {target} "
                f"?this {p} ?value . ?this {self.term(other)} ?value }}",
            )
        for value in self.objects(prop, SH.hasValue):
            add(
                "HasValueConstraintComponent",
                f"SELECT ?this WHERE {{ {target} "
                f"FILTER NOT EXISTS {{ ?this {p} {self.term(value)} }} }}",
            )
        for sparql in self.objects(prop, SH.sparql):
            raise Unsupported(f"sh:sparql on a property shape {sparql}")

    def counts(self, prop: Node, target: str, p: str, add) -> None:
        """sh:minCount and sh:maxCount. Both on one property are one query that names the
        bound each row breaks (``?component``): the target and the values are gathered
        once, not twice (a third of the checks of the shipped shapes are counts)."""
        low, high = self.one(prop, SH.minCount), self.one(prop, SH.maxCount)
        count = "COUNT(DISTINCT ?v)"
        head = f"WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this"
        if low is not None and high is not None and int(low) <= int(high):
            low_c, high_c = _component(SH.minCount), _component(SH.maxCount)
            add(
                low_c,
                f'SELECT ?this (IF({count} < {int(low)}, "{low_c}", "{high_c}") AS ?component) '
                f"{head} HAVING ({count} < {int(low)} || {count} > {int(high)})",
            )
            return
        for pred, op, n in ((SH.minCount, "<", low), (SH.maxCount, ">", high)):
            if n is not None:
                add(_component(pred), f"SELECT ?this {head} HAVING ({count} {op} {int(n)})")

    def sparql(self, shape: Node, constraint: Node, target: str) -> None:
        select = self.one(constraint, SH.select)
        if select is None:
            raise Unsupported("SPARQL constraint without sh:select")
        if self.one(constraint, SH.deactivated) == Literal(True):
            return
        prolog = "".join(
            f"PREFIX {self.one(d, SH.prefix)}: <{self.one(d, SH.namespace)}>\n"
            for src in self.objects(constraint, SH.prefixes)
            for d in self.objects(src, SH.declare)
        )
        body = str(select).replace("$this", "?this")
        if "$PATH" in body or "$currentShape" in body or "$shapesGraph" in body:
            raise Unsupported("SPARQL constraint with $PATH/$currentShape/$shapesGraph")
        projected = body.split("WHERE", 1)[0]
        outer = (
            "?this"
            + (" ?value" if "?value" in projected else "")
            + (" ?path" if "?path" in projected else "")
        )
        query = f"{prolog}SELECT {outer} WHERE {{ {target} {{ {body} }} }}"
        messages = self.messages(constraint) or self.messages(shape)
        self.add(shape, "SPARQLConstraintComponent", query, messages, self.severity(shape))


_HANDLED_AS_PROPERTY = {
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.equals,
    SH.disjoint,
    SH.hasValue,
    SH.qualifiedValueShape,
    SH.closed,
    SH.ignoredProperties,
}


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every check of ``shapes`` as SPARQL, in a stable order; raises :class:`Unsupported`."""
    if (None, SH.closed, Literal(True)) in shapes:
        raise Unsupported("sh:closed")
    return Compiler(shapes).compile()

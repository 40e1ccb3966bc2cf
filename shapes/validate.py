"""Validate a graph against the SHACL shapes: the library call and ``policykg validate``.

Two engines give the same results:

* ``oxigraph`` compiles every constraint to one SPARQL query (:mod:`shapes.compile`) and runs it
  over the whole store in Oxigraph — seconds on a million triples, which is what CI and
  ``policykg build`` need;
* ``pyshacl`` is the reference implementation; it is used when the shapes hold SHACL the compiler
  does not translate (``engine="auto"``), or on request. The tests run both on every fixture.

The data is validated as the union of its named graphs plus the ontology, whose subclass axioms
make a stub document a ``pk:PolicyDocument``. ``inference="rdfs"`` first adds what the RDFS
rules entail from the ontology (subclass, subproperty, domain, range).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from policykg.ontology.vocab import ONTOLOGY_FILE, ONTOLOGY_IRI
from policykg.shapes.compile import Check, Unsupported, compile_shapes
from policykg.shapes.loading import InputError, load_bytes, load_files, rdf_format
from policykg.shapes.report import SH, Report, Result
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

SHAPES_FILE = Path(__file__).with_name("policykg-shapes.ttl")
DEFAULT_DATA = Path("build/graph.nq")
INFERRED_GRAPH = ox.NamedNode("urn:x-policykg:inferred")
ENGINES = ("auto", "oxigraph", "pyshacl")
REPORT_FORMATS = ("text", "turtle", "json", "junit", "sarif", "github")
_XSD_STRING = str(XSD.string)

__all__ = [
    "InputError",
    "Report",
    "Result",
    "SHAPES_FILE",
    "load_shapes",
    "main",
    "to_store",
    "validate_dataset",
    "validate_quads",
]


# -- terms -----------------------------------------------------------------------------------


def to_rdflib(term) -> Node:
    """An Oxigraph term as the equal rdflib term (plain strings stay plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# -- inputs ----------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _shapes_cached(path: str, mtime: float) -> Graph:
    path_ = Path(path)
    store = ox.Store()
    load_bytes(path_.read_bytes(), rdf_format(path_), store, name=path, base_iri=path_.as_uri())
    graph = Graph()
    for quad in store.quads_for_pattern(None, None, None):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def load_shapes(path: Path | str | None = None) -> Graph:
    """The shapes graph (default: the project's shapes); InputError when it does not parse."""
    path = Path(path) if path is not None else SHAPES_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        raise InputError(str(path), error.strerror or str(error)) from None
    return _shapes_cached(str(path), mtime)


def _add_ontology(store: ox.Store) -> None:
    store.load(
        path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_IRI)
    )


def to_store(
    data, input_format: str | None = None, ontology: bool = True, trusted: bool = False
) -> ox.Store:
    """A fresh in-memory store holding ``data`` (and the ontology), never the caller's object.

    ``data``: file path(s); an Oxigraph store; Oxigraph quads or triples; an rdflib Graph or
    Dataset. ``trusted``: paths are the build's own dump (see :func:`load_files`).
    """
    store = ox.Store()
    if isinstance(data, (str, Path)):
        load_files([Path(data)], input_format, store, trusted)
    elif isinstance(data, ox.Store):
        store.extend(data.quads_for_pattern(None, None, None))
    elif isinstance(data, Graph):  # rdflib Graph, ConjunctiveGraph and Dataset
        contexts = getattr(data, "contexts", None)
        fmt, rdf = ("nquads", ox.RdfFormat.N_QUADS) if contexts else ("nt", ox.RdfFormat.N_TRIPLES)
        load_bytes(data.serialize(format=fmt, encoding="utf-8"), rdf, store, name="<rdflib graph>")
    else:
        items = list(data)
        if items and all(isinstance(x, (str, Path)) for x in items):
            load_files([Path(x) for x in items], input_format, store, trusted)
        else:
            store.extend(
                x if isinstance(x, ox.Quad) else ox.Quad(x.subject, x.predicate, x.object)
                for x in items
            )
    if ontology:
        _add_ontology(store)
    return store


def _union_triples(store: ox.Store) -> Iterable:
    return store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)


# -- inference --------------------------------------------------------------------------------

_RDFS_RULES = (
    # rdfs9: class membership through subclasses
    f"SELECT DISTINCT ?s (<{RDF.type}> AS ?p) ?o WHERE {{ ?s a ?c . ?c <{RDFS.subClassOf}>+ ?o }}",
    # rdfs7: statements through subproperties
    f"SELECT DISTINCT ?s ?p ?o WHERE {{ ?q <{RDFS.subPropertyOf}>+ ?p . ?s ?q ?o }}",
    # rdfs2: domains
    f"SELECT DISTINCT ?s (<{RDF.type}> AS ?p) ?o WHERE {{ ?q <{RDFS.domain}> ?o . ?s ?q [] }}",
    # rdfs3: ranges (of resources; a literal cannot be typed)
    f"SELECT DISTINCT ?s (<{RDF.type}> AS ?p) ?o WHERE {{ ?q <{RDFS.range}> ?o . [] ?q ?s "
    "FILTER (!isLiteral(?s)) }",
)


def infer_rdfs(store: ox.Store) -> int:
    """Add the RDFS entailments of rules 2, 3, 7 and 9 until nothing is new; returns how many."""
    added = 0
    while True:
        new = []
        for rule in _RDFS_RULES:
            for row in store.query(rule, use_default_graph_as_union=True):
                quad = ox.Quad(row["s"], row["p"], row["o"], INFERRED_GRAPH)
                if next(store.quads_for_pattern(row["s"], row["p"], row["o"]), None) is None:
                    new.append(quad)
        if not new:
            return added
        store.extend(new)
        added += len(new)


# -- engines ----------------------------------------------------------------------------------


def _run_oxigraph(store: ox.Store, checks: list[Check], workers: int | None = None) -> list[Result]:
    """Every check's query; Oxigraph releases the GIL while it evaluates, so threads help."""
    workers = workers or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        rows = pool.map(
            lambda c: list(store.query(c.query, use_default_graph_as_union=True)), checks
        )
        results = []
        for check, solutions in zip(checks, rows, strict=True):
            for row in solutions:
                value, path = _get(row, "value"), _get(row, "path")
                component = _get(row, "component")
                results.append(
                    Result(
                        shape=check.shape,
                        focus=to_rdflib(row["this"]),
                        severity=check.severity,
                        component=check.component if component is None else component.value,
                        path=to_rdflib(path) if path is not None else check.path,
                        value=to_rdflib(value) if value is not None else None,
                        messages=check.messages,
                    )
                )
    return results


def _get(row: ox.QuerySolution, name: str):
    """The binding of ``name``, None when unbound or not projected."""
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _run_pyshacl(store: ox.Store, shapes: Graph, inference: str) -> list[Result]:
    import pyshacl

    data = Graph()
    nt = ox.serialize(_union_triples(store), format=ox.RdfFormat.N_TRIPLES)
    data.parse(data=nt, format="nt")
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="rdfs" if inference == "rdfs" else "none",
        advanced=True,
        allow_warnings=True,
    )
    results = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        get = lambda p, n=node: report_graph.value(n, p)  # noqa: E731
        component = str(get(SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        messages = tuple(sorted(report_graph.objects(node, SH.resultMessage), key=lambda m: m.n3()))
        results.append(
            Result(
                shape=get(SH.sourceShape),
                focus=get(SH.focusNode),
                severity=str(get(SH.resultSeverity)).rsplit("#", 1)[-1],
                component=component,
                path=get(SH.resultPath)
                if not isinstance(get(SH.resultPath), BNode)
                else _shape_path(shapes, get(SH.sourceShape)),
                value=get(SH.value),
                messages=_messages(shapes, get(SH.sourceShape), get(SH.sourceConstraint))
                or messages,
            )
        )
    return results


def _shape_path(shapes: Graph, shape: Node) -> Node | None:
    return shapes.value(shape, SH.path)


def _messages(shapes: Graph, shape: Node, constraint: Node | None) -> tuple[Literal, ...]:
    """The shapes' own messages (both languages), as the Oxigraph engine reports them."""
    for node in (constraint, shape):
        if node is not None:
            found = sorted(shapes.objects(node, SH.message), key=lambda m: m.n3())
            if found:
                return tuple(found)
    return ()


# -- the API ----------------------------------------------------------------------------------


def validate_dataset(
    data,
    shapes: Graph | Path | str | None = None,
    inference: str = "none",
    engine: str = "auto",
    input_format: str | None = None,
    ontology: bool = True,
    trusted: bool = False,
) -> Report:
    """Validate ``data`` (paths, a store, quads, an rdflib graph) against ``shapes``.

    ``inference``: ``"none"`` or ``"rdfs"``. ``engine``: ``"auto"`` (Oxigraph when the shapes
    compile, else pyshacl), ``"oxigraph"`` or ``"pyshacl"``. ``trusted``: the paths are a
    build's own dump, parsed without re-checking its IRIs (a quarter of the parse; a user's
    file is never trusted). Raises :class:`InputError` for a file that cannot be read or
    parsed, :class:`ValueError` for a bad option.
    """
    if inference not in ("none", "rdfs"):
        raise ValueError(f"inference must be 'none' or 'rdfs', not {inference!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    started = time.perf_counter()
    shapes_graph = shapes if isinstance(shapes, Graph) else load_shapes(shapes)
    store = to_store(data, input_format, ontology, trusted)
    triples = len(store)
    checks = None
    if engine != "pyshacl":
        try:
            checks = compile_shapes(shapes_graph)
        except Unsupported:
            if engine == "oxigraph":
                raise
    if checks is not None:
        if inference == "rdfs":
            infer_rdfs(store)
        results, used = _run_oxigraph(store, checks), "oxigraph"
    else:
        results, used = _run_pyshacl(store, shapes_graph, inference), "pyshacl"
    return Report(
        results,
        engine=used,
        seconds=time.perf_counter() - started,
        triples=triples,
        shapes_graph=shapes_graph,
        sources=_sources(data),
        input_format=input_format,
    )


def _sources(data) -> tuple[str, ...]:
    """The file paths among ``data``, which :meth:`Report.location` scans for lines."""
    if isinstance(data, (str, Path)):
        return (str(data),)
    if isinstance(data, (list, tuple)) and all(isinstance(x, (str, Path)) for x in data):
        return tuple(str(x) for x in data)
    return ()


def validate_quads(quads: Iterable, **options) -> Report:
    """Validate Oxigraph quads (what ``extract.graph`` produces) before they are stored."""
    return validate_dataset(list(quads), **options)


# -- the command ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="policykg validate",
        description="Validate RDF against the Hubei Policy KG shapes. "
        "Exit 0: conforms; 1: violations (or warnings with --fail-on warning); "
        "2: usage or parse error.",
    )
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help=f"RDF files (.nq .ttl .trig .jsonld .rdf .nt); default {DEFAULT_DATA}",
    )
    p.add_argument("--shapes", type=Path, help="shapes file (default: the project's shapes)")
    p.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="report format (turtle: a standard sh:ValidationReport; junit: JUnit XML; "
        "sarif: SARIF 2.1.0; github: GitHub Actions annotations)",
    )
    p.add_argument("--inference", choices=("none", "rdfs"), default="none")
    p.add_argument("--input-format", help="RDF format of every FILE instead of its extension")
    p.add_argument("--fail-on", choices=("violation", "warning"), default="violation")
    p.add_argument("--engine", choices=ENGINES, default="auto")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of text messages")
    p.add_argument(
        "--no-ontology",
        action="store_true",
        help="do not add the PK ontology to the data before validating",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """``policykg validate …``; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    files = args.files or [DEFAULT_DATA]
    if not args.files and not DEFAULT_DATA.exists():
        print(
            f"policykg validate: {DEFAULT_DATA} not found; run `policykg build` or name FILEs",
            file=sys.stderr,
        )
        return 2
    try:
        report = validate_dataset(
            files,
            shapes=args.shapes,
            inference=args.inference,
            engine=args.engine,
            input_format=args.input_format,
            ontology=not args.no_ontology,
        )
    except InputError as error:
        print(f"policykg validate: {error}", file=sys.stderr)
        return 2
    except Unsupported as error:
        print(
            f"policykg validate: the oxigraph engine cannot run these shapes: {error}",
            file=sys.stderr,
        )
        return 2
    report.fail_on = args.fail_on
    out = {
        "text": lambda: report.text(args.lang),
        "turtle": report.turtle,
        "json": report.json,
        "junit": report.junit,
        "sarif": report.sarif,
        "github": lambda: report.github(args.lang),
    }
    sys.stdout.write(out[args.format]())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())

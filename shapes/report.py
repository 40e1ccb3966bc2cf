"""The outcome of a validation, whichever engine produced it.

Both engines (Oxigraph-compiled SPARQL and pyshacl) fill the same :class:`Result` records, so the
command line, the build and the tests do not care which one ran. Terms are rdflib terms: the
Turtle report is built with rdflib, and rdflib's ``n3()`` gives a stable, readable spelling.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from policykg.ontology.vocab import PREFIXES
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Result:
    """One ``sh:ValidationResult``."""

    shape: Node  # sh:sourceShape
    focus: Node  # sh:focusNode
    severity: str  # "Violation" | "Warning" | "Info"
    component: str  # local name of sh:sourceConstraintComponent, e.g. "MinCountConstraintComponent"
    path: Node | None = None  # sh:resultPath
    value: Node | None = None  # sh:value
    messages: tuple[Literal, ...] = ()  # sh:resultMessage, one per language

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, else the first one, else the component name."""
        for m in self.messages:
            if m.language == lang:
                return str(m)
        return str(self.messages[0]) if self.messages else self.component

    def key(self) -> tuple:
        return (
            SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 9,
            str(self.shape),
            str(self.focus),
            str(self.path or ""),
            self.value.n3() if self.value is not None else "",
            self.component,
        )


def _short(term: Node | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = max(
            ((p, ns) for p, ns in prefixes.items() if text.startswith(ns)),
            key=lambda item: len(item[1]),
            default=None,
        )
        if best and all(c.isalnum() or c in "-_./" for c in text[len(best[1]) :]):
            return f"{best[0]}:{text[len(best[1]) :]}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return "[]"
    value = term.n3()
    return value if len(value) <= 80 else value[:77] + "…"


@dataclass
class Report:
    """All results of one validation; ``conforms`` is False only when there are violations."""

    results: list[Result] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0
    triples: int = 0
    shapes_graph: Graph | None = field(default=None, repr=False, compare=False)
    prefixes: dict[str, str] = field(
        default_factory=lambda: dict(PREFIXES) | {"pksh": "https://w3id.org/hubei-policy/shapes#"}
    )
    sources: tuple[str, ...] = ()  # the files validated, when the data came from files
    input_format: str | None = None
    fail_on: str = "violation"  # what makes ``exit_code`` 1: "violation" or "warning"
    _locations: dict | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.results = sorted(set(self.results), key=Result.key)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def fails(self, fail_on: str | None = None) -> bool:
        """Whether this report fails a run that fails on ``violation`` or on ``warning``
        (default: the report's own ``fail_on``)."""
        fail_on = fail_on or self.fail_on
        return bool(self.violations or (fail_on == "warning" and self.warnings))

    @property
    def exit_code(self) -> int:
        """What ``policykg validate`` exits with for this report: 0 passes, 1 fails."""
        return 1 if self.fails() else 0

    def location(self, result: Result):
        """Where ``result``'s focus node is stated in the input files
        (:class:`shapes.lines.Location`), None when unknown (blank node, JSON-LD, no files).
        The files are scanned once, on the first call."""
        if self._locations is None:
            from policykg.shapes.lines import locate

            self._locations = locate(self.sources, self.input_format) if self.results else {}
        return self._locations.get(str(result.focus)) if isinstance(result.focus, URIRef) else None

    # -- output ----------------------------------------------------------------------------

    def text(self, lang: str = "en") -> str:
        """For a person: results grouped by shape, then focus node; a one-line summary last."""
        s = self._short
        by_shape: dict[tuple[str, str], dict[str, list[Result]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for r in self.results:
            by_shape[(r.severity, s(r.shape))][s(r.focus)].append(r)
        lines = []
        for (severity, shape), foci in by_shape.items():
            first = next(iter(foci.values()))[0]
            lines.append(
                f"{severity.upper()} {shape}: {first.message(lang)}  [{len(foci)} node(s)]"
            )
            for focus, results in foci.items():
                details = []
                for r in results:
                    parts = []
                    if r.path is not None:
                        parts.append(s(r.path))
                    if r.value is not None:
                        parts.append("= " + s(r.value))
                    parts.append(f"({r.component.removesuffix('ConstraintComponent')})")
                    details.append(" ".join(parts))
                where = self.location(results[0])
                at = f"  at {where}" if where is not None else ""
                lines.append(f"  {focus}  " + "; ".join(details) + at)
        verdict = "conforms" if self.conforms else "does NOT conform"
        lines.append(
            f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
            + (f" in {self.triples} triples" if self.triples else "")
            + (f" [{self.engine}, {self.seconds:.2f} s]" if self.engine else "")
        )
        return "\n".join(lines) + "\n"

    def short(self, term: Node | None) -> str:
        """A term as the report spells it (``pksh:Task-label``, ``id:doc/…``)."""
        return self._short(term)

    def _short(self, term: Node | None) -> str:
        """Prefixed name; a path node of the shapes graph as SPARQL path (``^pk:assignment``)."""
        if isinstance(term, BNode) and self.shapes_graph is not None:
            inverse = self.shapes_graph.value(term, SH.inversePath)
            if inverse is not None:
                return "^" + self._short(inverse)
        return _short(term, self.prefixes)

    def graph(self) -> Graph:
        """The standard ``sh:ValidationReport``."""
        g = Graph()
        for prefix, ns in self.prefixes.items():
            g.bind(prefix, ns)
        report = BNode("report")
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms, datatype=XSD.boolean)))
        for n, r in enumerate(self.results):
            node = BNode(f"r{n}")
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, r.focus))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.sourceShape, r.shape))
            g.add((node, SH.sourceConstraintComponent, SH[r.component]))
            if r.path is not None:
                g.add((node, SH.resultPath, r.path))
                if isinstance(r.path, BNode) and self.shapes_graph is not None:
                    g += self.shapes_graph.cbd(r.path)
            if r.value is not None:
                g.add((node, SH.value, r.value))
            for m in r.messages:
                g.add((node, SH.resultMessage, m))
        return g

    def turtle(self) -> str:
        return self.graph().serialize(format="turtle")

    def junit(self) -> str:
        """JUnit XML for CI test views: one test case per shape (see :mod:`shapes.ci`)."""
        from policykg.shapes.ci import junit

        return junit(self)

    def sarif(self) -> str:
        """SARIF 2.1.0 for code-scanning views (see :mod:`shapes.ci`)."""
        from policykg.shapes.ci import sarif

        return sarif(self)

    def github(self, lang: str = "en") -> str:
        """GitHub Actions workflow commands: ``::error file=…,line=…,col=…::message``."""
        from policykg.shapes.ci import github

        return github(self, lang)

    def json(self) -> str:
        """One object: ``conforms``, counts, and ``results`` with N3 spellings of the terms."""
        n3 = lambda term: term.n3() if term is not None else None  # noqa: E731
        data = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "triples": self.triples,
            "engine": self.engine,
            "seconds": round(self.seconds, 3),
            "results": [
                {
                    "severity": r.severity,
                    "shape": n3(r.shape),
                    "focusNode": n3(r.focus),
                    "path": self._short(r.path) if r.path is not None else None,
                    "value": n3(r.value),
                    "component": r.component,
                    "message": {m.language or "": str(m) for m in r.messages},
                    **_where(self.location(r)),
                }
                for r in self.results
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _where(location) -> dict:
    if location is None:
        return {}
    return {"file": location.file, "line": location.line, "column": location.column}

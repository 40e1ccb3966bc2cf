"""Which documents a shape violation belongs to, so the build can leave exactly those out.

Every document has its own named graph (its IRI), the shared vocabularies and the ontology
have theirs. A violation's focus node belongs to the document graph that describes it (a
task, a section, the document itself); a focus described only in the vocabularies graph
(an agency, a stub) belongs to the documents that point at it, which are the ones that
brought it in. A focus no document graph mentions (a region of the gazetteer, a term of
the ontology) is the corpus's fault: nothing can be left out to fix it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib import URIRef

from policykg.extract import iris
from policykg.shapes.report import Report, Result


def blame_documents(
    report: Report, dump: Path, documents: Iterable
) -> dict[str, str] | None:
    """``{file name: why}`` for the documents at fault, in file-name order; None when some
    violation belongs to no document (then no document can be left out to fix it).

    ``documents``: :class:`extract.pipeline.ExtractedDocument` records of the ``dump``.
    """
    names = {iris.document(d.slug).value: d.extraction.source.name for d in documents}
    foci = {str(r.focus) for r in report.violations if isinstance(r.focus, URIRef)}
    if len(foci) < len({r.focus for r in report.violations}):
        return None  # a literal or blank focus: not something a document graph names
    describes: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, set[str]] = defaultdict(set)
    for quad in parse(path=str(dump), format=RdfFormat.N_QUADS):
        graph = quad.graph_name
        if not isinstance(graph, NamedNode) or graph.value not in names:
            continue
        if quad.subject.value in foci:
            describes[quad.subject.value].add(graph.value)
        if isinstance(quad.object, NamedNode) and quad.object.value in foci:
            mentions[quad.object.value].add(graph.value)

    blamed: dict[str, list[Result]] = defaultdict(list)
    for result in report.violations:
        focus = str(result.focus)
        graphs = describes.get(focus) or mentions.get(focus)
        if not graphs:
            return None
        for graph in graphs:
            blamed[names[graph]].append(result)
    return {name: _why(blamed[name], report) for name in sorted(blamed)}


def _why(results: list[Result], report: Report) -> str:
    """One line: the first rule broken, where, and how many more."""
    first = results[0]
    line = f"{first.message('en')} ({report.short(first.shape)} on {report.short(first.focus)})"
    if len(results) > 1:
        line += f" and {len(results) - 1} more violation(s)"
    return line

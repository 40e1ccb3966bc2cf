"""The Python API: what ``policykg build|validate|query|serve`` do, for a notebook or a script.

::

    import policykg

    summary = policykg.build("seeds", "build")          # BuildSummary
    report = policykg.validate("build/graph.nq")         # Report (.conforms, .violations, …)
    store = policykg.open_store("build")                 # read-only pyoxigraph.Store
    rows = policykg.query(store, "SELECT ?t WHERE { ?t a pk:Task } LIMIT 3")
    policykg.serve("build", port=8000)                   # blocks, like the command

The exit codes of the command line are mirrored in exceptions: every failure the CLI reports
with exit 1 or 2 raises a :class:`PolicyKGError` whose ``str()`` is the CLI's one-line
message (without ``error: ``) and whose ``exit_code`` is the CLI's code:

==================  =====================================================================
exception           when (exit code)
==================  =====================================================================
BuildFailed         documents left out, nothing built, a violating graph (1);
                    ``seeds``/``out`` unusable (2). ``.summary`` holds what was built.
ValidationFailed    the report fails ``fail_on`` (1; ``.report``); a file that does not
                    parse or cannot be read, shapes the engine cannot run (2)
QueryError          a malformed query, no store at the path (2)
==================  =====================================================================

:func:`validate` returns the :class:`~policykg.shapes.report.Report` and raises only when asked
(``fail_on="violation"`` or ``"warning"``); ``Report.exit_code`` is what the command would exit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policykg import _API
from policykg.build import BuildSummary
from policykg.shapes.report import Report

__all__ = list(_API)  # one list: policykg/__init__.py re-exports these names lazily


class PolicyKGError(Exception):
    """A failure the command line reports with a non-zero exit code; ``str()`` is its line."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class BuildFailed(PolicyKGError):
    """``policykg build`` would exit 1 (nothing or not everything built) or 2 (bad call)."""

    def __init__(self, message: str, exit_code: int = 1,
                 summary: BuildSummary | None = None) -> None:
        super().__init__(message, exit_code)
        self.summary = summary


class ValidationFailed(PolicyKGError):
    """``policykg validate`` would exit 1 (``.report`` fails) or 2 (unreadable input)."""

    def __init__(self, message: str, exit_code: int = 1, report: Report | None = None) -> None:
        super().__init__(message, exit_code)
        self.report = report


class QueryError(PolicyKGError):
    """``policykg query`` would exit 2: a malformed query, or no store."""

    exit_code = 2


# -- build -----------------------------------------------------------------------------------


def build(seeds: str | Path = "seeds", out: str | Path = "build", *, allow_failed: bool = False,
          progress=None, **options) -> BuildSummary:
    """Build ``out/graph.nq`` and ``out/store/`` from the documents in ``seeds``.

    ``options``: ``workers`` (int), ``validate`` (bool, default True), ``shapes`` (a shapes
    file instead of the project's), ``strict`` (any failed document refuses the build).
    ``progress``: a callable given each progress line (default: silent).

    A document that cannot be built is left out and the rest is built and swapped in, as the
    command does; that raises :class:`BuildFailed` (exit code 1) with ``.summary`` unless
    ``allow_failed=True``, in which case the names are in ``summary.failed``.
    """
    from policykg.build import BuildError, UsageError
    from policykg.build import build as run_build
    from policykg.extract.errors import os_words

    try:
        summary = run_build(Path(seeds), Path(out), progress=progress or (lambda _line: None),
                            **options)
    except UsageError as err:
        raise BuildFailed(str(err), 2) from None
    except BuildError as err:
        raise BuildFailed(str(err), 1) from None
    except OSError as err:
        raise BuildFailed(f"{os_words(err)}; the previous build is kept", 1) from None
    if summary.failed and not allow_failed:
        names = ", ".join(summary.failed)
        raise BuildFailed(f"{len(summary.failed)} document(s) left out: {names}", 1, summary)
    return summary


# -- validate --------------------------------------------------------------------------------


def validate(paths, shapes: str | Path | None = None, *, fail_on: str | None = None,
             **options) -> Report:
    """Validate RDF files (a path or a list of paths; also a ``pyoxigraph.Store``, quads or
    an rdflib ``Graph``) against the project's shapes or ``shapes``.

    ``options``: ``inference`` (``"none"``/``"rdfs"``), ``engine`` (``"auto"``, ``"oxigraph"``,
    ``"pyshacl"``), ``input_format`` (``"turtle"``, ``"nquads"``, … instead of the
    extension), ``ontology`` (add the PK ontology first, default True).

    Returns the :class:`Report`; ``report.location(result)`` gives the file:line of a focus
    node. With ``fail_on="violation"`` or ``"warning"`` a failing report raises
    :class:`ValidationFailed` (``.report`` holds it). Unreadable or unparsable input raises
    :class:`ValidationFailed` with exit code 2 and the command's ``file:line:col: reason``.
    """
    from policykg.shapes.compile import Unsupported
    from policykg.shapes.loading import InputError
    from policykg.shapes.validate import validate_dataset

    if fail_on not in (None, "violation", "warning"):
        raise ValueError(f"fail_on must be 'violation' or 'warning', not {fail_on!r}")
    data = [Path(p) for p in paths] if _is_paths(paths) else paths
    try:
        report = validate_dataset(data, shapes=shapes, **options)
    except InputError as err:
        raise ValidationFailed(str(err), 2) from None
    except Unsupported as err:
        raise ValidationFailed(f"the oxigraph engine cannot run these shapes: {err}", 2) from None
    report.fail_on = fail_on or "violation"
    if fail_on and report.fails():
        raise ValidationFailed(report.text().splitlines()[-1], 1, report)
    return report


def _is_paths(paths) -> bool:
    return isinstance(paths, (list, tuple)) and all(isinstance(p, (str, Path)) for p in paths)


# -- query -----------------------------------------------------------------------------------


def open_store(path: str | Path = "build"):
    """The read-only Oxigraph store of a build: ``path`` is the build folder or its
    ``store/``. Raises :class:`QueryError` when there is no store."""
    from policykg.store import open_read_only

    path = Path(path)
    if not (path / "CURRENT").exists() and (path / "store" / "CURRENT").exists():
        path = path / "store"
    try:
        return open_read_only(path)
    except OSError as err:
        raise QueryError(str(err)) from None


def query(store, sparql: str, *, python: bool = False) -> Any:
    """Run ``sparql`` on ``store`` (a store from :func:`open_store`, or a build folder).

    The project's prefixes (``pk:``, ``id:``, ``skos:``, …) are predeclared and the default
    graph is the union of the named graphs, as in ``policykg query`` and the endpoint.

    * SELECT: a list of rows, each a ``dict`` from variable name to an **rdflib term**
      (``URIRef``, ``Literal``, ``BNode``), ``None`` where the variable is unbound; with
      ``python=True`` literals become Python values (``int``, ``Decimal``, ``date``, ``str``
      …, via ``Literal.toPython()``) and IRIs plain ``str``.
    * ASK: a ``bool``.
    * CONSTRUCT / DESCRIBE: an ``rdflib.Graph``.

    A malformed query raises :class:`QueryError` with the command's one-line message
    (``malformed query: … at line L, column C``).
    """
    from pyoxigraph import QueryBoolean, QuerySolutions

    from policykg.ontology.vocab import PREFIXES
    from policykg.server.errors import readable
    from policykg.shapes.validate import to_rdflib

    if isinstance(store, (str, Path)):
        store = open_store(store)
    try:
        result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise QueryError(f"malformed query: {readable(str(err), sparql, PREFIXES)}") from None
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        convert = _python if python else (lambda t: t)
        return [
            {name: None if row[name] is None else convert(to_rdflib(row[name])) for name in names}
            for row in result
        ]
    from rdflib import Graph

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for triple in result:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                   to_rdflib(triple.object)))
    return graph


def _python(term):
    from rdflib import Literal

    return term.toPython() if isinstance(term, Literal) else str(term)


# -- serve -----------------------------------------------------------------------------------


def serve(store: str | Path = "build", host: str = "127.0.0.1", port: int = 8000,
          **options) -> None:
    """Serve the store (a build folder or its ``store/``) as ``policykg serve`` does; blocks
    until interrupted. ``options``: ``timeout``, ``max_rows``, ``workers``, ``fast_workers``,
    ``queue_timeout``, ``base_url``, ``log_level`` … (see :func:`policykg.server.main.serve`).
    Raises :class:`QueryError` when there is no store (the API does not build one)."""
    from policykg.server.main import serve as run_server

    path = Path(store)
    if not (path / "CURRENT").exists() and (path / "store" / "CURRENT").exists():
        path = path / "store"
    if not (path / "CURRENT").exists():
        raise QueryError(f"no Oxigraph store at {path} (run `policykg build` first)")
    run_server(path, host=host, port=port, **options)

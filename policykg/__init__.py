"""policykg: an open knowledge graph of Chinese policy documents.

The Python API (:mod:`policykg.api`) is re-exported here and imported on first use, so
``import policykg`` stays cheap (no rdflib, Oxigraph or jieba until a function is called)::

    import policykg

    policykg.build("seeds", "build")
    report = policykg.validate(["build/graph.nq"])
    rows = policykg.query(policykg.open_store("build"), "SELECT * WHERE { ?s a pk:Task } LIMIT 1")

The packages: ``policykg.extract`` (documents → records → RDF), ``policykg.ontology``,
``policykg.shapes`` (SHACL validation), ``policykg.server`` (the SPARQL endpoint).
"""

from __future__ import annotations

import sys
from types import ModuleType

_API = (
    "BuildFailed",
    "BuildSummary",
    "PolicyKGError",
    "QueryError",
    "Report",
    "Result",
    "ValidationFailed",
    "build",
    "open_store",
    "query",
    "serve",
    "validate",
)

__all__ = [*_API, "__version__"]


class _CallableBuildModule(ModuleType):
    """``policykg.build`` is both the submodule :mod:`policykg.build` and the API function:
    Python binds a loaded submodule to its package's attribute, which would hide the
    function, so the module itself is callable and calls :func:`policykg.api.build`."""

    def __call__(self, *args, **kwargs):
        from policykg.api import build

        return build(*args, **kwargs)


class _Package(ModuleType):
    """The ``policykg`` package: when the import system binds the submodule ``build`` to it,
    the module is made callable (see :class:`_CallableBuildModule`)."""

    def __setattr__(self, name: str, value) -> None:
        if name == "build" and type(value) is ModuleType:
            value.__class__ = _CallableBuildModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name == "build":
        import policykg.build  # noqa: F401  (binds the callable module, see _Package)

        return sys.modules[__name__].__dict__["build"]
    if name in _API:
        from policykg import api

        return getattr(api, name)
    if name == "__version__":
        from policykg.cli import version

        return version()
    raise AttributeError(f"module 'policykg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, "__version__"])

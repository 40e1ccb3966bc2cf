"""Agencies: the step that turns a written name into one body anywhere in China.

A mention (``区发改委``) is a string relative to its document; the body it names
depends on where the document governs. The step is a grammar over data tables, in
modules by job:

* :mod:`extract.agencies.data` — the tables it reads (department stems, word lists,
  named bodies, patterns), checked on load;
* :mod:`extract.agencies.places` — the region part of a name (``江夏区``, ``省``, ``市``);
* :mod:`extract.agencies.grammar` — the rest of the grammar, read into a body;
* :mod:`extract.agencies.resolver` — the one entry point: a surface and a jurisdiction
  to a canonical :class:`~extract.model.Agency` (key, names, kind, region, parent);
* :mod:`extract.agencies.levels` — the same function at every level (a province's and a
  city's finance bodies), for the graph's classes and counterparts.

Places themselves (the gazetteer, a document's jurisdiction) are :mod:`extract.places`.
"""

from policykg.extract.agencies.resolver import (
    DATA_DIR,
    KINDS,
    AgencyDataError,
    AgencyResolver,
    Department,
    departments,
    division_parent,
    is_agency_name,
    is_bare_division,
    is_group,
    names_place,
    rejects_name,
    writes_no_level,
)

__all__ = [
    "DATA_DIR", "KINDS", "AgencyDataError", "AgencyResolver", "Department", "departments",
    "division_parent", "is_bare_division", "is_agency_name", "is_group", "names_place",
    "rejects_name", "writes_no_level",
]  # fmt: skip

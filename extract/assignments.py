"""The assignment readers' public names; the readers live in :mod:`extract.assign`."""

from policykg.extract.assign import (  # noqa: F401
    Clause,
    find_assignments,
    find_clauses,
    find_extensions,
    has_org_suffix,
    parse_agency_list,
)

__all__ = ["Clause", "find_assignments", "find_clauses", "find_extensions", "has_org_suffix",
           "parse_agency_list"]

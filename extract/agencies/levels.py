"""Agencies across levels: level-neutral function labels, a classification for every
agency, and the higher-level counterpart of a body.

湖北省经济和信息化厅, 武汉市经济和信息化局 and 鄂州市经济和信息化局 are three bodies, none part
of another, sharing one function. Three generic rules:

* **function labels are level-neutral**: a department type's label is its name with the
  place template rewritten (``中共{region}委组织部`` → ``党委组织部``,
  ``国家税务总局{region}税务局`` → ``税务局``; rewrites in ``data/agency_classes.tsv``);
  where the level names differ and one
  is the common ending of all (``高级人民法院`` / ``中级人民法院`` / ``人民法院``) that ending is
  the label, so a 中级 court is not classified under a 高级 one;
* **every agency has a classification**: a body whose name is no department type (a bank
  branch, an enterprise, a university) is classified by its agency kind;
* **counterparts**: a body with a function and a region is the counterpart of the body of
  the same function in the nearest enclosing region that has one (``pk:counterpartOf``: the
  city bureau → the provincial department; a district government → the city government).
  Groups (各区人民政府) have no counterpart, and ``org:subOrganizationOf`` stays for a body
  that really is part of another.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from policykg.extract.agencies.data import Department
from policykg.extract.datafiles import read_tsv
from policykg.extract.model import Agency
from policykg.extract.places.gazetteer import Gazetteer


@cache
def _rows() -> tuple[tuple[tuple[str, str], ...], dict[str, tuple[str, str]]]:
    rows = read_tsv("agency_classes.tsv")
    rewrites = tuple(sorted(((r["key"], r["name_zh"]) for r in rows if r["use"] == "rewrite"),
                            key=lambda kv: -len(kv[0])))
    kinds = {r["key"]: (r["name_zh"], r["name_en"]) for r in rows if r["use"] == "kind"}
    return rewrites, kinds


def neutral_name(template: str) -> str:
    """A department name template without its place (``中共{region}委组织部`` → ``党委组织部``)."""
    rewrites, _ = _rows()
    for part, words in rewrites:
        if part in template:
            template = template.replace(part, words)
    return template


def function_label(department: Department) -> str:
    """The level-neutral zh label of a department type (see the module rules)."""
    names = [neutral_name(n) for n in department.names.values() if n]
    if not names:
        return department.key
    shortest = min(names, key=len)
    if len(set(names)) > 1 and all(n.endswith(shortest) for n in names):
        return shortest
    return names[0]


def kind_class(kind: str) -> tuple[str, str] | None:
    """(zh, en) label of the class for an agency kind, or None."""
    return _rows()[1].get(kind)


def classification(agency: Agency) -> str | None:
    """The function key of an agency: its department type, else its kind's class."""
    if agency.function:
        return agency.function
    return agency.kind if kind_class(agency.kind) else None


def counterparts(agencies: Iterable[Agency], gazetteer: Gazetteer) -> dict[str, str]:
    """Agency key → key of its higher-level counterpart among ``agencies``."""
    bodies = [a for a in agencies if not a.is_group and a.function and a.region]
    by_place = {(a.function, a.region): a.key for a in sorted(bodies, key=lambda a: a.key)}
    out: dict[str, str] = {}
    for a in bodies:
        if a.region not in gazetteer:
            continue
        for region in gazetteer.ancestors(a.region):
            higher = by_place.get((a.function, region.key))
            if higher and higher != a.key:
                out[a.key] = higher
                break
    return dict(sorted(out.items()))

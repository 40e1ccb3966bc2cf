"""The bounded queries behind the resource pages, one function per kind of page.

Each function takes ``select`` (the backend's query function: a SPARQL SELECT in, a list
of JSON bindings or an error ``Response`` out) and an IRI, and returns plain dicts the
templates read. Every query has a LIMIT, so no page runs an unbounded query whatever the
size of the graph; counts come from aggregate queries, so a capped list still says how
many there are. A failing query raises :class:`QueryFailed` carrying the response.
"""

from __future__ import annotations

from collections import defaultdict

from policykg.ontology.vocab import DCTERMS, PK, RDF, RDFS, SKOS, sparql_prolog

LIST_LIMIT = 500
"""Rows at most of any list on a page (tasks of an agency, targets of a region…)."""
OUTLINE_LIMIT = 3000
"""Sections, tasks or assignments of one document at most."""
TOP = 20
"""Co-assigned agencies shown on an agency page."""


class QueryFailed(Exception):
    def __init__(self, response) -> None:
        super().__init__("query failed")
        self.response = response


async def run(select, query: str, limit: int) -> list[dict]:
    """Bindings of ``query`` (project prefixes declared) with its LIMIT."""
    rows = await select(sparql_prolog() + query + f"\nLIMIT {limit}", max_rows=limit)
    if not isinstance(rows, list):
        raise QueryFailed(rows)
    return rows


def v(row: dict, key: str) -> str | None:
    term = row.get(key)
    return term["value"] if term else None


# ------------------------------------------------------------------ every page
async def properties(select, iri: str) -> list[dict]:
    """(p, o, g) of the resource's own statements."""
    return await run(select, f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} "
                             "ORDER BY ?p ?o ?g", OUTLINE_LIMIT)


async def inbound(select, iri: str, limit: int = 100) -> list[dict]:
    return await run(select, f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} "
                             "ORDER BY ?p ?s ?g", limit)


async def graph_size(select, iri: str) -> int:
    rows = await run(select, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}",
                     1)
    return int(v(rows[0], "n") or 0) if rows else 0


# ------------------------------------------------------------------ documents
async def document(select, doc: str) -> dict:
    """Outline (sections → tasks → agencies), targets, citations of one document."""
    sections = await run(select, f"""
SELECT ?s ?parent ?label ?start WHERE {{
  ?s pk:inDocument <{doc}> ; a pk:Section .
  OPTIONAL {{ ?s pk:partOf ?parent }} OPTIONAL {{ ?s rdfs:label ?label }}
  OPTIONAL {{ ?s pk:sourceStart ?start }}
}} ORDER BY ?start ?s""", OUTLINE_LIMIT)
    tasks = await run(select, f"""
SELECT ?t ?label ?section ?start ?end WHERE {{
  ?t pk:inDocument <{doc}> ; a pk:Task .
  OPTIONAL {{ ?t rdfs:label ?label }} OPTIONAL {{ ?t pk:inSection ?section }}
  OPTIONAL {{ ?t pk:sourceStart ?start }} OPTIONAL {{ ?t pk:sourceEnd ?end }}
}} ORDER BY ?start ?t""", OUTLINE_LIMIT)
    assigned = await run(select, f"""
SELECT DISTINCT ?t ?role ?agency WHERE {{
  ?t pk:inDocument <{doc}> ; pk:assignment ?a .
  ?a pk:assignmentRole ?role ; pk:assignedAgency ?agency .
}} ORDER BY ?t ?role ?agency""", OUTLINE_LIMIT)
    targets = await run(select, f"""
SELECT ?x ?label ?metric ?value ?unit ?year ?comparator ?industry ?start WHERE {{
  ?x pk:inDocument <{doc}> ; a pk:Target .
  OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x pk:metric ?metric }}
  OPTIONAL {{ ?x pk:targetValue ?value }} OPTIONAL {{ ?x pk:unit ?unit }}
  OPTIONAL {{ ?x pk:targetYear ?year }} OPTIONAL {{ ?x pk:comparator ?comparator }}
  OPTIONAL {{ ?x pk:concernsIndustry ?industry }} OPTIONAL {{ ?x pk:sourceStart ?start }}
}} ORDER BY ?start ?x""", OUTLINE_LIMIT)
    citations = await run(select, f"""
SELECT ?c ?cited ?evidence WHERE {{
  ?c pk:inDocument <{doc}> ; a pk:Citation .
  OPTIONAL {{ ?c pk:citedDocument ?cited }} OPTIONAL {{ ?c pk:evidence ?evidence }}
}} ORDER BY ?c""", LIST_LIMIT)
    cited_by = await run(select, f"SELECT DISTINCT ?d WHERE {{ ?d pk:cites <{doc}> }} ORDER BY ?d",
                         LIST_LIMIT)
    return {
        "outline": _outline(doc, sections, tasks, assigned),
        "task_count": len(tasks),
        "capped": OUTLINE_LIMIT in (len(sections), len(tasks), len(assigned), len(targets)),
        "assignment_count": len(assigned),
        "targets": _targets(targets),
        "citations": [{"iri": v(r, "c"), "cited": v(r, "cited"), "evidence": v(r, "evidence")}
                      for r in citations],
        "cited_by": [v(r, "d") for r in cited_by],
    }


def _outline(doc: str, sections, tasks, assigned) -> list[dict]:
    """The section tree with each section's tasks (and their agencies by role) inside.

    A task whose key is its section's key (a numbered item that is both) is shown in the
    section's place rather than twice."""
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in assigned:
        role = "lead" if v(r, "role") == PK.lead.value else "responsible"
        roles[v(r, "t")][role].append(v(r, "agency"))
    nodes: dict[str, dict] = {}
    for r in sections:
        s = v(r, "s")
        nodes.setdefault(s, {"iri": s, "label": v(r, "label"), "parent": v(r, "parent"),
                             "tasks": [], "children": [], "task": None})
    loose = []
    for r in tasks:
        t = v(r, "t")
        item = {"iri": t, "label": v(r, "label"), "start": v(r, "start"), "end": v(r, "end"),
                "lead": roles[t]["lead"], "responsible": roles[t]["responsible"]}
        node = nodes.get(v(r, "section"))
        if node is None:
            loose.append(item)
        elif _key(t) == _key(node["iri"]) and node["task"] is None:
            node["task"] = item
        else:
            node["tasks"].append(item)
    roots = []
    for node in nodes.values():
        parent = nodes.get(node["parent"])
        (parent["children"] if parent is not None else roots).append(node)
    if loose:
        roots.append({"iri": None, "label": None, "tasks": loose, "children": [], "task": None})
    for node in nodes.values():
        node["has_tasks"] = False
    for root in roots:
        _mark(root)
    return roots


def _mark(node: dict) -> bool:
    """Whether a task sits in ``node`` or below it (the page folds sections without)."""
    below = [_mark(c) for c in node["children"]]
    node["has_tasks"] = bool(node["tasks"] or node["task"] or any(below))
    return node["has_tasks"]


def _key(iri: str) -> str:
    """``…/task/doc/3.2`` and ``…/section/doc/3.2`` share the key ``doc/3.2``."""
    return iri.split("/", 6)[-1] if iri.count("/") >= 6 else iri


def _targets(rows) -> list[dict]:
    out: dict[str, dict] = {}
    for r in rows:
        x = v(r, "x")
        t = out.setdefault(x, {"iri": x, "label": v(r, "label"), "metric": v(r, "metric"),
                               "value": v(r, "value"), "unit": v(r, "unit"),
                               "year": v(r, "year"), "comparator": v(r, "comparator"),
                               "industries": []})
        if v(r, "industry") and v(r, "industry") not in t["industries"]:
            t["industries"].append(v(r, "industry"))
    return list(out.values())


# ------------------------------------------------------------------ agencies
async def agency(select, ag: str) -> dict:
    """Tasks by document and role (with true counts), co-assigned agencies, sub-units."""
    counts = await run(select, f"""
SELECT ?doc ?role (COUNT(DISTINCT ?t) AS ?n) WHERE {{
  ?a pk:assignedAgency <{ag}> ; pk:assignmentRole ?role . ?t pk:assignment ?a ;
  pk:inDocument ?doc .
}} GROUP BY ?doc ?role ORDER BY DESC(?n) ?doc ?role""", LIST_LIMIT)
    tasks = await run(select, f"""
SELECT DISTINCT ?doc ?role ?t ?label ?start WHERE {{
  ?a pk:assignedAgency <{ag}> ; pk:assignmentRole ?role . ?t pk:assignment ?a ;
  pk:inDocument ?doc . OPTIONAL {{ ?t rdfs:label ?label }} OPTIONAL {{ ?t pk:sourceStart ?start }}
}} ORDER BY ?doc ?role ?start ?t""", LIST_LIMIT)
    partners = await run(select, f"""
SELECT ?other (COUNT(DISTINCT ?t) AS ?n) WHERE {{
  ?a pk:assignedAgency <{ag}> . ?t pk:assignment ?a , ?b . ?b pk:assignedAgency ?other .
  FILTER (?other != <{ag}>)
}} GROUP BY ?other ORDER BY DESC(?n) ?other""", TOP)
    units = await run(select, f"SELECT ?u WHERE {{ ?u org:subOrganizationOf <{ag}> }} ORDER BY ?u",
                      LIST_LIMIT)
    issued = await run(select, f"SELECT DISTINCT ?d WHERE {{ ?d pk:issuer <{ag}> }} ORDER BY ?d",
                       LIST_LIMIT)
    groups: dict[str, dict] = {}
    for r in counts:
        doc = v(r, "doc")
        g = groups.setdefault(doc, {"doc": doc, "lead": 0, "responsible": 0,
                                    "tasks": {"lead": [], "responsible": []}})
        g[_role(v(r, "role"))] = int(v(r, "n"))
    for r in tasks:
        g = groups.get(v(r, "doc"))
        if g is not None:
            g["tasks"][_role(v(r, "role"))].append({"iri": v(r, "t"), "label": v(r, "label")})
    ordered = sorted(groups.values(), key=lambda g: (-(g["lead"] + g["responsible"]), g["doc"]))
    return {
        "groups": ordered,
        "lead_total": sum(g["lead"] for g in ordered),
        "responsible_total": sum(g["responsible"] for g in ordered),
        "listed": len(tasks), "capped": len(tasks) == LIST_LIMIT,
        "partners": [{"iri": v(r, "other"), "n": int(v(r, "n"))} for r in partners],
        "units": [v(r, "u") for r in units],
        "issued": [v(r, "d") for r in issued],
    }


def _role(role: str | None) -> str:
    return "lead" if role == PK.lead.value else "responsible"


# ------------------------------------------------------------------ tasks
async def task(select, t: str) -> dict:
    rows = await run(select, f"""
SELECT ?a ?role ?agency ?evidence ?form ?scope WHERE {{
  <{t}> pk:assignment ?a . ?a pk:assignmentRole ?role ; pk:assignedAgency ?agency .
  OPTIONAL {{ ?a pk:evidence ?evidence }} OPTIONAL {{ ?a pk:assignmentForm ?form }}
  OPTIONAL {{ ?a pk:scopeNote ?scope }}
}} ORDER BY ?role ?agency""", LIST_LIMIT)
    assignments = [{"iri": v(r, "a"), "role": _role(v(r, "role")), "agency": v(r, "agency"),
                    "evidence": v(r, "evidence"), "form": v(r, "form"), "scope": v(r, "scope")}
                   for r in rows]
    assignments.sort(key=lambda a: (a["role"] != "lead", a["agency"]))
    return {"assignments": assignments}


# ------------------------------------------------------------------ regions, industries
async def _listing(select, where: str, extra: str = "") -> tuple[int, list[dict]]:
    count = await run(select, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}", 1)
    rows = await run(select, f"SELECT DISTINCT ?x ?doc ?label {extra} WHERE {{ {where} "
                             "OPTIONAL { ?x pk:inDocument ?doc } OPTIONAL { ?x rdfs:label ?label } "
                             "} ORDER BY ?doc ?x", LIST_LIMIT)
    return (int(v(count[0], "n") or 0) if count else 0), rows


async def region(select, r: str) -> dict:
    where_docs = f"?x a pk:PolicyDocument ; pk:jurisdiction <{r}> ."
    where_tasks = f"?x a pk:Task ; pk:concernsRegion <{r}> ."
    where_targets = f"?x a pk:Target . {{ ?x pk:concernsRegion <{r}> }} UNION " \
                    f"{{ ?x pk:targetRegion <{r}> }}"
    where_agencies = f"?x a pk:Agency ; pk:jurisdiction <{r}> ."
    where_within = f"?x pk:withinRegion <{r}> ."
    return {name: await _section(select, where) for name, where in (
        ("documents", where_docs), ("tasks", where_tasks), ("targets", where_targets),
        ("agencies", where_agencies), ("subregions", where_within))}


async def industry(select, i: str) -> dict:
    where_tasks = f"?x a pk:Task ; pk:concernsIndustry <{i}> ."
    where_targets = f"?x a pk:Target ; pk:concernsIndustry <{i}> ."
    where_docs = (f"?x a pk:PolicyDocument . ?y pk:inDocument ?x ; pk:concernsIndustry <{i}> .")
    where_narrower = f"?x skos:broader <{i}> ."
    return {name: await _section(select, where) for name, where in (
        ("documents", where_docs), ("tasks", where_tasks), ("targets", where_targets),
        ("narrower", where_narrower))}


async def _section(select, where: str) -> dict:
    total, rows = await _listing(select, where)
    items: dict[str, dict] = {}
    for r in rows:
        items.setdefault(v(r, "x"), {"iri": v(r, "x"), "doc": v(r, "doc"),
                                     "label": v(r, "label")})
    return {"total": total, "items": list(items.values()), "capped": len(rows) == LIST_LIMIT}


KINDS = {PK.PolicyDocument.value: "document", PK.Agency.value: "agency",
         PK.Task.value: "task", PK.Region.value: "region", PK.Industry.value: "industry"}
"""rdf:type → the kind of page; anything else gets the generic page."""

LABEL_PROPERTIES = [SKOS.prefLabel, RDFS.label, DCTERMS.title, PK.heading]
TYPE = RDF.type.value

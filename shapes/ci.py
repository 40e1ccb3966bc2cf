"""A validation report in the formats CI tools read: JUnit XML, SARIF 2.1.0, GitHub commands.

Each CI view has its own convention, and each is given the same facts: the rule (the shape's
IRI, ``pksh:Task-inDocument``), the severity, the message, the focus node, and — where the
input has lines — the file, line and column of the focus node's statement
(:meth:`Report.location`).

* **JUnit XML** (``--format junit``): one ``<testsuite name="policykg validate">`` with a test
  case per shape of the shapes graph; a shape with results that fail the run (violations, or
  warnings with ``--fail-on warning``) has a ``<failure>`` listing them, one line each;
  results that do not fail it go to ``<system-out>``.
* **SARIF 2.1.0** (``--format sarif``): one run of the tool ``policykg``; a rule per shape with
  results, a result per validation result (Violation → ``error``, Warning → ``warning``,
  Info → ``note``), located by a physical location (relative file path, line, column) and a
  logical location (the focus node's IRI). Upload it to GitHub code scanning, or open it in a
  SARIF viewer.
* **GitHub** (``--format github``): one workflow command a result,
  ``::error file=F,line=L,col=C,title=SHAPE::message``, which GitHub Actions shows as an
  annotation on the file; a summary line last.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from policykg.shapes.report import SH, Report, Result
from rdflib import RDF, URIRef

INFORMATION_URI = "https://w3id.org/hubei-policy/shapes"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "note"}
_COMMANDS = {"Violation": "error", "Warning": "warning", "Info": "notice"}


def _version() -> str:
    from policykg.cli import version

    return version()


def describe(report: Report, r: Result, lang: str = "en") -> str:
    """One line: the message, then the focus node, path and value as the report spells them."""
    parts = [f"{r.message(lang)}: {report.short(r.focus)}"]
    if r.path is not None:
        parts.append(report.short(r.path))
    if r.value is not None:
        parts.append("= " + report.short(r.value))
    return " ".join(parts) + f" ({r.component.removesuffix('ConstraintComponent')})"


def _shapes(report: Report) -> list[URIRef]:
    """Every named shape of the shapes graph, and every shape that has a result."""
    names = {r.shape for r in report.results if isinstance(r.shape, URIRef)}
    graph = report.shapes_graph
    if graph is not None:
        for cls in (SH.NodeShape, SH.PropertyShape):
            names.update(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))
        names.update(o for o in graph.objects(None, SH.property) if isinstance(o, URIRef))
    return sorted(names, key=str)


# -- JUnit XML -------------------------------------------------------------------------------


def junit(report: Report, lang: str = "en") -> str:
    by_shape: dict[str, list[Result]] = {}
    for r in report.results:
        by_shape.setdefault(str(r.shape), []).append(r)
    suite = ET.Element("testsuite", name="policykg validate", time=f"{report.seconds:.3f}")
    tests = failures = 0
    for shape in _shapes(report) or [URIRef("urn:x-policykg:shapes")]:
        results = by_shape.get(str(shape), [])
        case = ET.SubElement(suite, "testcase", classname="policykg.shapes",
                             name=report.short(shape), time="0")
        tests += 1
        failing = [r for r in results if _fails(report, r)]
        passing = [r for r in results if not _fails(report, r)]
        if failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(case, "failure", type=first.severity,
                                    message=f"{len(failing)} result(s): {first.message(lang)}")
            failure.text = "\n".join(_located(report, r, lang) for r in failing) + "\n"
        if passing:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(_located(report, r, lang) for r in passing) + "\n"
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="policykg validate", tests=str(tests),
                      failures=str(failures), errors="0", time=f"{report.seconds:.3f}")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _fails(report: Report, r: Result) -> bool:
    return r.severity == "Violation" or (r.severity == "Warning" and report.fail_on == "warning")


def _located(report: Report, r: Result, lang: str) -> str:
    where = report.location(r)
    prefix = f"{where}: " if where is not None else ""
    return f"{prefix}{r.severity.upper()} {describe(report, r, lang)}"


# -- SARIF 2.1.0 -----------------------------------------------------------------------------


def sarif(report: Report, lang: str = "en") -> str:
    rules: list[dict] = []
    index: dict[str, int] = {}
    results = []
    for r in report.results:
        rule_id = report.short(r.shape)
        if rule_id not in index:
            index[rule_id] = len(rules)
            rules.append({
                "id": rule_id,
                "shortDescription": {"text": r.message(lang)},
                "fullDescription": {"text": " / ".join(str(m) for m in r.messages) or rule_id},
                "helpUri": str(r.shape) if str(r.shape).startswith("http") else INFORMATION_URI,
                "defaultConfiguration": {"level": _LEVELS.get(r.severity, "note")},
                "properties": {"shape": str(r.shape), "component": r.component},
            })
        result = {
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": _LEVELS.get(r.severity, "note"),
            "message": {"text": describe(report, r, lang)},
            "locations": [_sarif_location(report, r)],
            "properties": {
                "severity": r.severity,
                "focusNode": r.focus.n3(),
                **({"path": report.short(r.path)} if r.path is not None else {}),
                **({"value": r.value.n3()} if r.value is not None else {}),
            },
        }
        results.append(result)
    run = {
        "tool": {"driver": {
            "name": "policykg",
            "version": _version(),
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "results": results,
        "properties": {"conforms": report.conforms, "engine": report.engine,
                       "triples": report.triples},
    }
    if report.sources:
        from policykg.shapes.lines import display_path

        run["artifacts"] = [{"location": {"uri": display_path(s)}} for s in report.sources]
    data = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _sarif_location(report: Report, r: Result) -> dict:
    location: dict = {}
    where = report.location(r)
    if where is not None:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": where.file},
            "region": {"startLine": where.line, "startColumn": where.column},
        }
    elif report.sources:  # the graph came from files, but this node has no line in them
        from policykg.shapes.lines import display_path

        location["physicalLocation"] = {
            "artifactLocation": {"uri": display_path(report.sources[0])}
        }
    location["logicalLocations"] = [
        {"fullyQualifiedName": str(r.focus), "kind": "resource"}
    ]
    return location


# -- GitHub workflow commands ----------------------------------------------------------------


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, lang: str = "en") -> str:
    lines = []
    for r in report.results:
        props = []
        where = report.location(r)
        if where is not None:
            props += [f"file={_prop(where.file)}", f"line={where.line}", f"col={where.column}"]
        props.append(f"title={_prop(report.short(r.shape))}")
        lines.append(f"::{_COMMANDS.get(r.severity, 'notice')} {','.join(props)}::"
                     f"{_data(describe(report, r, lang))}")
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"{verdict}: {len(report.violations)} violation(s), "
                 f"{len(report.warnings)} warning(s)")
    return "\n".join(lines) + "\n"

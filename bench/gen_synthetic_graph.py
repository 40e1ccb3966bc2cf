"""Write a synthetic graph of about N triples in the project's graph layout, for benchmarks.

The shape of the data follows docs/ARCHITECTURE.md (a vocabularies graph of regions, agencies,
industries and stubs; one named graph per document holding sections, tasks, assignments,
citations and targets), with proportions like the seed documents, so validation time measured on
it is what a corpus of that size would take. The output conforms to the shapes unless
``--errors`` asks for broken nodes. Deterministic: same arguments, same bytes.

    python bench/gen_synthetic_graph.py --triples 1000000 --out bench/results/tmp/g1m.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ID = "https://w3id.org/hubei-policy/id/"
PK = "https://w3id.org/hubei-policy/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOCAB = ID + "graph/vocabularies"

HAN = "产业发展推进建设创新能力提升支持企业集群制造数字经济新能源汽车材料装备生物医药服务平台"
TYPES = "Plan Opinions ImplementingOpinions WorkPlan ActionPlan Notice Measures".split()
KINDS = "GovernmentBody GovernmentDepartment PartyOrgan Bank Enterprise University".split()


def iri(x: str) -> str:
    return f"<{x}>"


def lit(text: str, lang: str | None = None, dt: str | None = None) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{text}"@{lang}'
    return f'"{text}"^^<{XSD}{dt}>' if dt else f'"{text}"'


class Writer:
    def __init__(self, out, rng: random.Random) -> None:
        self.out, self.rng, self.count = out, rng, 0

    def q(self, s: str, p: str, o: str, g: str) -> None:
        self.out.write(f"{iri(s)} {iri(p)} {o} {iri(g)} .\n")
        self.count += 1

    def words(self, n: int) -> str:
        return "".join(self.rng.choice(HAN) for _ in range(n))


def vocabularies(w: Writer, n_regions: int, n_agencies: int, n_industries: int) -> None:
    g = VOCAB
    for i in range(n_regions):
        r = f"{ID}region/r{i}"
        w.q(r, RDF_TYPE, iri(PK + "Region"), g)
        w.q(r, SKOS + "prefLabel", lit(w.words(3) + "市", "zh"), g)
        w.q(r, SKOS + "prefLabel", lit(f"Region {i}", "en"), g)
        level = "ProvincialLevel" if i == 0 else ("PrefecturalLevel" if i < 18 else "CountyLevel")
        w.q(r, PK + "adminLevel", iri(PK + level), g)
        if i:
            w.q(r, PK + "withinRegion", iri(f"{ID}region/r{0 if i < 18 else 1 + i % 17}"), g)
        w.q(r, OWL_SAMEAS, iri(f"http://www.wikidata.org/entity/Q{1000 + i}"), g)
    for i in range(n_agencies):
        a = f"{ID}agency/a{i}"
        group = i % 25 == 24
        w.q(a, RDF_TYPE, iri(PK + ("AgencyGroup" if group else "Agency")), g)
        w.q(a, SKOS + "prefLabel", lit(w.words(5) + "局", "zh"), g)
        w.q(a, SKOS + "altLabel", lit(w.words(3) + "局", "zh"), g)
        w.q(a, PK + "agencyKind", iri(PK + KINDS[i % len(KINDS)]), g)
        w.q(a, PK + "jurisdiction", iri(f"{ID}region/r{i % n_regions}"), g)
    for i in range(n_industries):
        c = f"{ID}industry/i{i}"
        w.q(c, RDF_TYPE, iri(PK + "Industry"), g)
        w.q(c, RDF_TYPE, iri(SKOS + "Concept"), g)
        w.q(c, SKOS + "inScheme", iri(ID + "industry"), g)
        w.q(c, SKOS + "prefLabel", lit(w.words(4) + "产业", "zh"), g)
        if i >= 10:
            w.q(c, SKOS + "broader", iri(f"{ID}industry/i{i % 10}"), g)


def span(w: Writer, node: str, g: str, start: int) -> None:
    w.q(node, PK + "sourceStart", lit(str(start), dt="integer"), g)
    w.q(node, PK + "sourceEnd", lit(str(start + 10 + w.rng.randrange(200)), dt="integer"), g)


def document(w: Writer, n: int, sizes: tuple[int, int, int, int], errors: bool) -> None:
    rng = w.rng
    n_regions, n_agencies, n_industries, n_stubs = sizes
    slug = f"d{n}"
    d = f"{ID}doc/{slug}"
    g = d
    w.q(d, RDF_TYPE, iri(PK + "PolicyDocument"), g)
    w.q(d, DCT + "title", lit(w.words(12) + "规划", "zh"), g)
    w.q(d, PK + "docNumber", lit(f"鄂政发〔{2015 + n % 10}〕{n}号"), g)
    w.q(d, PK + "issuer", iri(f"{ID}agency/a{rng.randrange(n_agencies - 1) // 25 * 25}"), g)
    if not (errors and n % 7 == 3):
        w.q(d, DCT + "issued", lit(f"{2015 + n % 10}-0{1 + n % 9}-1{n % 10}", dt="date"), g)
    w.q(d, PK + "documentType", iri(PK + TYPES[n % len(TYPES)]), g)
    w.q(d, PK + "jurisdiction", iri(f"{ID}region/r{n % n_regions}"), g)
    w.q(d, PK + "sourceFile", lit(f"{n:05d}.txt"), g)
    for c in range(3):
        cit = f"{ID}citation/{slug}/{c + 1}"
        stub = f"{ID}doc/stub{(n * 3 + c) % n_stubs}"
        w.q(d, PK + "cites", iri(stub), g)
        w.q(cit, RDF_TYPE, iri(PK + "Citation"), g)
        w.q(cit, PK + "inDocument", iri(d), g)
        w.q(cit, PK + "citedDocument", iri(stub), g)
        span(w, cit, g, 100 + c * 50)
        w.q(cit, PK + "evidence", lit("《" + w.words(10) + "》"), g)
    offset = 500
    for part in range(1, 5):
        p_key = str(part)
        sections = [(p_key, None, part, 1)] + [(f"{part}.{k}", p_key, k, 2) for k in range(1, 6)]
        for key, parent, ordinal, depth in sections:
            s = f"{ID}section/{slug}/{key}"
            w.q(s, RDF_TYPE, iri(PK + "Section"), g)
            w.q(s, PK + "inDocument", iri(d), g)
            w.q(s, PK + "partOf", iri(f"{ID}section/{slug}/{parent}" if parent else d), g)
            w.q(s, PK + "ordinal", lit(str(ordinal), dt="integer"), g)
            w.q(s, PK + "ordinalLabel", lit(f"（{ordinal}）"), g)
            w.q(s, PK + "heading", lit(w.words(6), "zh"), g)
            w.q(s, PK + "sectionKind", lit("part" if depth == 1 else "subpart"), g)
            w.q(s, PK + "depth", lit(str(depth), dt="integer"), g)
            span(w, s, g, offset)
            offset += 300
            if depth == 2:
                t = f"{ID}task/{slug}/{key}"
                w.q(t, RDF_TYPE, iri(PK + "Task"), g)
                w.q(t, RDFS_LABEL, lit(w.words(6), "zh"), g)
                w.q(t, PK + "text", lit(w.words(60), "zh"), g)
                w.q(t, PK + "inDocument", iri(d), g)
                w.q(t, PK + "inSection", iri(s), g)
                w.q(
                    t,
                    PK + "concernsIndustry",
                    iri(f"{ID}industry/i{rng.randrange(n_industries)}"),
                    g,
                )
                span(w, t, g, offset)
                agencies = rng.sample(range(n_agencies), 3)
                for m, (a, role) in enumerate(
                    zip(agencies, ("lead", "responsible", "responsible"), strict=False)
                ):
                    agency = iri(f"{ID}agency/a{a}")
                    asg = f"{ID}assignment/{slug}/{key}/{m + 1}"
                    if role == "lead" and not (errors and n % 11 == 5):
                        w.q(t, PK + "leadAgency", agency, g)
                    w.q(t, PK + "responsibleAgency", agency, g)
                    w.q(t, PK + "assignment", iri(asg), g)
                    w.q(asg, RDF_TYPE, iri(PK + "Assignment"), g)
                    w.q(asg, PK + "assignedAgency", agency, g)
                    w.q(asg, PK + "assignmentRole", iri(PK + role), g)
                    w.q(asg, PK + "inDocument", iri(d), g)
                    span(w, asg, g, offset + 250)
                    w.q(asg, PK + "evidence", lit("（牵头单位：" + w.words(5) + "）"), g)
    for k in range(1, 6):
        tg = f"{ID}target/{slug}/{k}"
        w.q(tg, RDF_TYPE, iri(PK + "Target"), g)
        w.q(tg, PK + "metric", lit(w.words(4), "zh"), g)
        w.q(tg, PK + "targetValue", lit(f"{rng.randrange(1, 10000)}.5", dt="decimal"), g)
        w.q(tg, PK + "unit", lit("亿元"), g)
        w.q(tg, PK + "targetYear", lit(str(2025 + k % 2), dt="gYear"), g)
        w.q(tg, PK + "comparator", lit("≥"), g)
        w.q(tg, PK + "concernsRegion", iri(f"{ID}region/r{rng.randrange(n_regions)}"), g)
        w.q(tg, PK + "inDocument", iri(d), g)
        span(w, tg, g, 200 + k * 20)
        w.q(tg, PK + "evidence", lit("力争到2025年" + w.words(10)), g)


def stubs(w: Writer, n_stubs: int) -> None:
    for i in range(n_stubs):
        s = f"{ID}doc/stub{i}"
        w.q(s, RDF_TYPE, iri(PK + "CitedDocument"), VOCAB)
        w.q(s, DCT + "title", lit(w.words(10) + "意见", "zh"), VOCAB)


def generate(triples: int, out, seed: int = 1, errors: bool = False) -> int:
    """Write about ``triples`` quads (whole documents, so slightly more) and return the count."""
    w = Writer(out, random.Random(seed))
    # the vocabularies grow with the corpus up to about the size of the real ones
    clamp = lambda x, low, high: max(low, min(high, x))  # noqa: E731
    sizes = (
        clamp(triples // 8000, 20, 120),
        clamp(triples // 600, 50, 1500),
        clamp(triples // 3000, 12, 300),
        clamp(triples // 2000, 10, 500),
    )
    vocabularies(w, *sizes[:3])
    stubs(w, sizes[3])
    n = 0
    while w.count < triples:
        document(w, n, sizes, errors)
        n += 1
    return w.count


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--triples", type=int, default=100_000)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--errors",
        action="store_true",
        help="leave some issue dates out (warnings) and some lead agencies out while "
        "their assignments say lead (violations)",
    )
    args = p.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        count = generate(args.triples, out, args.seed, args.errors)
    print(f"{count} quads written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

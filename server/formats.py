"""Content negotiation: which serialization a client gets.

SPARQL clients announce what they can read in very different ways (SPARQLWrapper sends
both an ``Accept`` list and ``format=``; browsers send ``text/html,*/*;q=0.8``; curl sends
``*/*``), so the choice follows one rule everywhere: an explicit ``format=``/``output=``
parameter wins, otherwise the ``Accept`` header is matched with q-values and wildcards,
and among equally acceptable formats the server's preference order decides. ``None``
means nothing fits and the caller answers 406.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class Format:
    media_type: str
    """The media type sent in ``Content-Type``."""
    extension: str
    kind: str
    """``results`` (SELECT/ASK), ``graph`` (triples) or ``dataset`` (quads)."""

    @property
    def oxigraph(self) -> QueryResultsFormat | RdfFormat:
        if self.kind == "results":
            return QueryResultsFormat.from_media_type(self.media_type)
        return RdfFormat.from_media_type(self.media_type)

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "turtle", "triples", "quads", "trig")
        )
        return self.media_type + ("; charset=utf-8" if text else "")


JSON = Format("application/sparql-results+json", "srj", "results")
XML = Format("application/sparql-results+xml", "srx", "results")
CSV = Format("text/csv", "csv", "results")
TSV = Format("text/tab-separated-values", "tsv", "results")
TURTLE = Format("text/turtle", "ttl", "graph")
NTRIPLES = Format("application/n-triples", "nt", "graph")
JSONLD = Format("application/ld+json", "jsonld", "graph")
RDFXML = Format("application/rdf+xml", "rdf", "graph")
NQUADS = Format("application/n-quads", "nq", "dataset")
TRIG = Format("application/trig", "trig", "dataset")
HTML = Format("text/html", "html", "page")

RESULTS_FORMATS = (JSON, XML, CSV, TSV)
"""Offers for SELECT and ASK, in the server's order of preference."""
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
"""Offers for CONSTRUCT/DESCRIBE and for linked data; quads formats put triples in the
default graph there, and carry graph names where the data has them (dumps)."""

# Media types clients use for the same thing; each maps to one offered format.
_ALIASES: dict[str, Format] = {
    "application/json": JSON,
    "application/sparql-results+xml": XML,
    "application/xml": XML,
    "text/xml": XML,
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "text/n3": TURTLE,
    "text/rdf+n3": TURTLE,
    "application/rdf+n3": TURTLE,
    "text/plain": NTRIPLES,
    "application/x-json+ld": JSONLD,
    "application/x-trig": TRIG,
    "text/x-nquads": NQUADS,
}

# format= values: (format for SELECT/ASK, format for graphs).
_PARAMETER: dict[str, tuple[Format | None, Format | None]] = {
    "json": (JSON, JSONLD),
    "srj": (JSON, None),
    "xml": (XML, RDFXML),
    "srx": (XML, None),
    "csv": (CSV, None),
    "tsv": (TSV, None),
    "turtle": (None, TURTLE),
    "ttl": (None, TURTLE),
    "n3": (None, TURTLE),
    "nt": (None, NTRIPLES),
    "ntriples": (None, NTRIPLES),
    "n-triples": (None, NTRIPLES),
    "json-ld": (None, JSONLD),
    "jsonld": (None, JSONLD),
    "rdf+xml": (None, RDFXML),
    "rdfxml": (None, RDFXML),
    "rdf": (None, RDFXML),
    "nq": (None, NQUADS),
    "nquads": (None, NQUADS),
    "n-quads": (None, NQUADS),
    "trig": (None, TRIG),
    "html": (None, None),
}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 if this range does not match ``media_type``, else how specific it is (0-2)."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


def parse_accept(header: str | None) -> list[_Range]:
    """Media ranges of an Accept header; a missing or empty header accepts everything."""
    if not header or not header.strip():
        return [_Range("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if "/" not in mt:
            if mt == "*":
                mt = "*/*"
            else:
                continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        t, _, s = mt.partition("/")
        ranges.append(_Range(t, s, q))
    return ranges


def _quality(ranges: list[_Range], media_types: list[str]) -> float:
    """The q of the most specific range matching any of ``media_types`` (0 when none).

    The first media type is the format's own; the others are aliases, which only count
    when named exactly (``text/*`` means CSV or TSV, not XML through ``text/xml``).
    """
    best, best_spec = 0.0, -1
    for i, mt in enumerate(media_types):
        for r in ranges:
            spec = r.specificity(mt)
            if i > 0 and spec < 2:
                continue
            if spec > best_spec or (spec == best_spec and spec >= 0 and r.q > best):
                best, best_spec = r.q, spec
    return best if best_spec >= 0 else 0.0


def _names(fmt: Format) -> list[str]:
    return [fmt.media_type] + [a for a, f in _ALIASES.items() if f == fmt]


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers most (ties: server order), or None if none is acceptable."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(ranges, _names(offer))
        if q > best_q:
            best, best_q = offer, q
    return best


class UnknownFormat(ValueError):
    """A ``format=`` value the server does not know."""


def from_parameter(value: str, offers: tuple[Format, ...]) -> Format | None:
    """The offer named by a ``format=`` value (short name or media type), None if not offered.

    Raises :class:`UnknownFormat` for a value that names no format at all.
    """
    key = value.strip().lower()
    if key in _PARAMETER:
        results, graph = _PARAMETER[key]
        for candidate in (results, graph):
            if candidate in offers:
                return candidate
        return None
    fmt = _ALIASES.get(key) or next(
        (f for f in RESULTS_FORMATS + GRAPH_FORMATS + (HTML,) if f.media_type == key), None
    )
    if fmt is None:
        raise UnknownFormat(value)
    return fmt if fmt in offers else None


@lru_cache(maxsize=1024)
def choose(format_param: str | None, accept: str | None, offers: tuple[Format, ...]):
    """``format=`` if given, else the Accept header.

    Cached: clients send the same few Accept headers over and over, and parsing one with
    q-values costs more than the rest of a small request's routing.
    """
    if format_param:
        return from_parameter(format_param, offers)
    return negotiate(accept, offers)


def by_extension(extension: str, offers: tuple[Format, ...]) -> Format | None:
    return next((f for f in offers if f.extension == extension), None)

"""The one place that mints instance IRIs.

IRIs must be stable across rebuilds and readable in a SPARQL result, so they are
built from what the document says (its 文号, its title, section ordinals), never from
file names, counters over the corpus, or hashes of the whole text. Chinese is
written in pinyin so the IRIs stay plain ASCII and copy-paste safely.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from policykg.ontology.vocab import ID_NS
from pyoxigraph import NamedNode
from pypinyin import lazy_pinyin

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 60


def slugify(text: str, max_length: int = _MAX_SLUG) -> str:
    """An ASCII slug: Han characters in toneless pinyin, other letters and digits kept.

    Long slugs are cut at a word boundary and given a short digest of the full text,
    so two long titles that share a beginning still get two slugs.
    """
    words = lazy_pinyin(unicodedata.normalize("NFKC", text).lower())
    slug = _NON_SLUG.sub("-", "-".join(words)).strip("-")
    if not slug:
        slug = "x"
    if len(slug) > max_length:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
        slug = slug[: max_length - 7].rsplit("-", 1)[0] + "-" + digest
    return slug


def document_slug(doc_number: str | None, title: str) -> str:
    """A document is named by its 文号 when it has one (the official identifier), else its title."""
    return slugify(doc_number) if doc_number else slugify(title)


def _iri(*parts: str) -> NamedNode:
    return NamedNode(ID_NS + "/".join(parts))


def document(slug: str) -> NamedNode:
    return _iri("doc", slug)


def section(doc_slug: str, key: str) -> NamedNode:
    return _iri("section", doc_slug, key)


def task(doc_slug: str, key: str) -> NamedNode:
    return _iri("task", doc_slug, key)


def assignment(doc_slug: str, task_key: str, key: str) -> NamedNode:
    """An assignment is what it says: this task, this role, this agency
    (``/assignment/{doc}/2.2/lead/hubei-jingxinting``), so finding one more agency in a
    clause adds one IRI and renames none. ``key`` is :func:`assignment_key`, made unique
    by :func:`keyed`."""
    return _iri("assignment", doc_slug, task_key, key)


def assignment_key(role: str, agency_key: str) -> str:
    return f"{role}/{agency_key}"


def citation(doc_slug: str, key: str) -> NamedNode:
    """``key`` names the cited document (:func:`keyed`), not its place in the text."""
    return _iri("citation", doc_slug, key)


def target(doc_slug: str, key: str) -> NamedNode:
    """``key`` is metric + qualifier + year (:func:`target_key`, made unique by
    :func:`keyed`): what the target is, never its place among the document's targets."""
    return _iri("target", doc_slug, key)


def target_key(metric: str, year: int | None, qualifier: str | None = None) -> str:
    """``营业收入`` of ``automobile`` by 2025 → ``ying-ye-shou-ru-automobile-2025``; the
    qualifier (the industry) tells apart the same metric of many industries of one plan, so
    finding one more target adds one IRI and renames none."""
    parts = [slugify(metric, 48)]
    if qualifier:
        parts.append(qualifier)
    parts.append(str(year) if year is not None else "x")
    return "-".join(parts)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def keyed(items: list[tuple[str, str]]) -> list[str]:
    """Unique keys for ``(base key, own text)`` pairs, in the same order.

    A base key met once is kept as it is; bases met more than once get a short digest
    of each one's own text (``ying-ye-shou-ru-2025-3fa2c1``), so a key never depends on
    position. Only items with the very same base *and* text (the same words written
    twice) are told apart by their rank among those identical twins.
    """
    bases: dict[str, int] = {}
    for base, _ in items:
        bases[base] = bases.get(base, 0) + 1
    seen: dict[tuple[str, str], int] = {}
    out = []
    for base, text in items:
        if bases[base] == 1:
            out.append(base)
            continue
        key = base + "-" + _digest(text)
        n = seen[(base, text)] = seen.get((base, text), 0) + 1
        out.append(key if n == 1 else f"{key}-{n}")
    return out


def agency(key: str) -> NamedNode:
    return _iri("agency", key)


def region(key: str) -> NamedNode:
    return _iri("region", key)


def industry(key: str) -> NamedNode:
    return _iri("industry", key)


INDUSTRY_SCHEME = _iri("industry")
"""The SKOS concept scheme of industries."""


def function(key: str) -> NamedNode:
    """A department type (经济和信息化, 发展和改革 …), shared by the bodies of every level."""
    return _iri("function", key)


FUNCTION_SCHEME = _iri("function")
"""The SKOS concept scheme of government functions."""


def wikidata(qid: str) -> NamedNode:
    return NamedNode("http://www.wikidata.org/entity/" + qid)

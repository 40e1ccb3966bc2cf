"""Plain records that the extraction steps hand to each other.

Each step is a pure function from normalized text (and earlier records) to these
records; :mod:`extract.graph` is the only place that turns them into triples. Keeping
the records free of RDF lets every rule be tested on a short synthetic string.

All spans are half-open ``[start, end)`` offsets into the *normalized* text of one
document; :meth:`SourceText.source_span` maps them back to the original file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class SourceText:
    """A document after normalization, with the way back to the original characters.

    ``offsets[i]`` is the index in ``raw`` of the character that became ``text[i]``;
    ``offsets[len(text)]`` is the end of the last such character, so that a span's
    end maps too. A line break restored in a flattened document, where the raw text
    has no character for it, maps to the character it precedes, so offsets are
    non-decreasing (strictly increasing everywhere else). ``header`` holds the
    crawler's head (evidence, not document text): ``key: value`` lines under the
    keys of data/header_keys.tsv or their labels as written (``层级``), ``title_line``
    for a ``# title`` line and ``_notes`` for ``>`` notes, one per line.
    """

    name: str
    raw: str
    text: str
    offsets: tuple[int, ...]
    header: dict[str, str] = field(default_factory=dict)
    # The original file (provenance): its media type and sha256, set by the reader;
    # ``raw`` is the text the reader produced from it (the file itself for a crawl).
    media_type: str = "text/plain"
    sha256: str = ""

    def source_span(self, span: Span) -> Span:
        """The original-file span of a normalized span.

        The end maps through the last character inside the span, so a span never
        swallows what normalization removed after it (a pinyin note, a dropped line).
        """
        if span.end > len(self.text):
            raise ValueError(f"span {span} beyond text of length {len(self.text)}")
        start = self.offsets[span.start]
        end = self.offsets[span.end - 1] + 1 if span.end > span.start else start
        return Span(start, max(start, end))

    def line_of(self, offset: int) -> int:
        """1-based line number in the original file of a normalized offset (for messages)."""
        raw_offset = self.offsets[min(offset, len(self.text))]
        return self.raw.count("\n", 0, raw_offset) + 1

    def normalized_index(self, raw_offset: int) -> int:
        """The first normalized offset whose source is at or after ``raw_offset``."""
        return bisect_right(self.offsets, raw_offset - 1)


@dataclass(frozen=True)
class DocumentMeta:
    """What the document says about itself; ``None`` where it does not say it."""

    title: str
    title_span: Span | None
    doc_number: str | None = None
    issuer: str | None = None  # surface name of the issuing body, e.g. "湖北省经济和信息化厅"
    issuer_span: Span | None = None
    issued: date | None = None
    doc_type: str | None = None  # PK local name: Plan, Opinions, WorkPlan … (document_types.tsv)
    jurisdiction: str | None = None  # region key (see extract/data/regions.tsv)
    # every issuer of a co-issued document, first signer first (issuer is issuers[0])
    issuers: tuple[str, ...] = ()
    issuer_spans: tuple[Span | None, ...] = ()
    # how the jurisdiction was inferred, strongest first: issuer, doc-number, header,
    # title, body (extract/places/jurisdiction.py); empty when there is no jurisdiction
    jurisdiction_basis: tuple[str, ...] = ()
    wrapper: str | None = None  # title of the 印发…的通知 that distributes the document

    def all_issuers(self) -> tuple[tuple[str, Span | None], ...]:
        """(surface, span) of every issuer; the single ``issuer`` when only it is set."""
        if self.issuers:
            spans = self.issuer_spans or (None,) * len(self.issuers)
            return tuple(zip(self.issuers, spans, strict=False))
        return ((self.issuer, self.issuer_span),) if self.issuer else ()


SectionKind = Literal["chapter", "part", "subpart", "item", "subitem", "column", "body"]


@dataclass(frozen=True)
class Section:
    """One node of the section tree (第X章 / 一、/ （一）/ 1. / (1) / 专栏 N).

    ``key`` is the dotted path of ASCII ordinals from the root ("4.2.1"; a column is
    "c3"), unique within the document and stable across rebuilds.
    """

    key: str
    kind: SectionKind
    ordinal: int
    ordinal_label: str  # as written: "第四章", "二、", "（一）", "1.", "专栏3"
    heading: str  # heading text without the ordinal
    span: Span  # whole section, heading included
    heading_span: Span
    parent: str | None  # key of the parent section
    depth: int


@dataclass(frozen=True)
class Task:
    """A numbered measure; ``key`` is the key of the section it is — or, for a row of a
    task-decomposition table, the key of the table's section plus the row number
    (``5.3.r4``), with ``section`` naming that section and ``row`` the row number."""

    key: str
    label: str
    text: str
    span: Span
    section: str | None = None  # the section it is stated in when it is not a section itself
    row: int | None = None  # its row number in a task table
    parent: str | None = None  # the task a headed sub-measure is part of (extract/submeasures)
    # "measure", "industry-profile" (extract/industry_links) or "closing" (a part's closing
    # paragraph that assigns in prose, extract/tasks)
    kind: str = "measure"

    @property
    def section_key(self) -> str:
        return self.section or self.key


Role = Literal["lead", "responsible"]
# how the text assigns it: a labelled clause, a task-table row, an unlabelled agency
# bracket, a prose sentence, or a document-level blanket clause ("以下工作均需…不再列出")
AssignmentForm = Literal["clause", "table", "unlabelled", "prose", "document"]


@dataclass(frozen=True)
class AgencyMention:
    """One agency named in an assignment, exactly as written (after normalization).

    ``surface`` is the full name of one body even when the text shares a suffix
    (``江汉区、硚口区人民政府`` gives ``江汉区人民政府`` and ``硚口区人民政府``);
    ``span`` covers what the text actually says for it.
    """

    surface: str
    span: Span
    role: Role
    scope: str | None = None  # scope note such as 〈大健康生物产业〉, without brackets


@dataclass(frozen=True)
class Assignment:
    """A task given to an agency, with the clause that says so."""

    task: str  # task key
    mention: AgencyMention
    clause_span: Span
    inherited: bool = False  # from a document-level clause ("以下工作均需…不再列出")
    form: AssignmentForm = "clause"


@dataclass(frozen=True)
class Citation:
    """A reference to another document by 《title》 and/or 文号."""

    title: str | None
    doc_number: str | None
    span: Span


@dataclass(frozen=True)
class Target:
    """A quantitative goal: ``力争到2025年，全省汽车产业营业收入达到1万亿元``."""

    metric: str  # e.g. "营业收入", "主营业务收入", "增加值占GDP比重"
    value: Decimal | None  # normalized to ``unit``
    unit: str  # "亿元", "%", "家", "个", ...
    year: int | None
    span: Span
    industry: str | None = None  # industry key
    region: str | None = None  # region key
    growth_rate: Decimal | None = None  # percent per year
    comparator: Literal["≥", "≤", "=", "≈"] | None = None
    upper: Decimal | None = None  # a range (``3-5家``): ``value`` is its lower end
    per_year: bool = False  # ``每年突破30项``: the value is reached every year, not once
    year_inferred: bool = False  # the year comes from 未来N年 / the plan period, not the sentence
    parent: Span | None = None  # ``其中…``: the span of the target this one is a part of


@dataclass(frozen=True)
class Region:
    key: str  # ASCII slug, e.g. "wuhan", "wuhan-jiangxia", "shanghai-jiading"
    name_zh: str
    name_en: str
    # province | municipality | prefecture | county-city | county | district
    # | new-area | development-zone | special-zone (extract/places/gazetteer.py LEVELS)
    level: str
    parent: str | None
    wikidata: str | None  # "Q11746"
    aliases: tuple[str, ...] = ()  # short names and other full forms (武汉, 恩施州)
    code: str | None = None  # GB/T 2260 division code, 6 digits ("420100"); zones have none
    abbreviations: tuple[str, ...] = ()  # one-character 简称 (鄂, 沪, 穗); never matched in text


@dataclass(frozen=True)
class Agency:
    """A canonical body; one per real body across all documents."""

    key: str  # ASCII slug, stable
    name_zh: str
    name_en: str | None
    # government-department | government | party | court | bank | enterprise | university
    # | management-committee | institution | mass-organization | group
    kind: str
    region: str | None  # region key of its jurisdiction
    is_group: bool = False  # collective addressee such as 各区人民政府
    # department type (extract/data/departments.tsv): what 省经信厅 and 市经信局 have in common
    function: str | None = None
    # key of the body this one is an internal division or branch of (区经发局经信处 is a
    # division of 区经发局; 公安青浦分局 a branch of 市公安局): org:subOrganizationOf
    sub_organization_of: str | None = None


@dataclass(frozen=True)
class Industry:
    key: str
    name_zh: str
    name_en: str | None
    broader: str | None
    aliases: tuple[str, ...] = ()
    tier: str | None = None  # a 51020 tier (万亿级支柱产业 …) it is a member of, not a broader


@dataclass
class DocumentExtraction:
    """Everything extracted from one document; the input of :mod:`extract.graph`."""

    source: SourceText
    meta: DocumentMeta
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    # documents the text says it will draft or revise (制定《…办法》): not citations
    planned: list[Citation] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # industry / region keys a task names: task key -> keys
    task_industries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # task key → ((industry key, "about" | "mention"), …), see extract/industry_links
    task_industry_links: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    task_regions: dict[str, tuple[str, ...]] = field(default_factory=dict)

"""Quantitative goals: ``力争到2025年，全省汽车产业营业收入达到1万亿元，年均增长6.4%左右``.

A plan's numbers are mostly history (``2020年…实现营业收入15414亿元``) and rules
(``奖补20万元``); a *target* is a number the document commits to. The rule:

* A sentence may hold targets when it has a year not before the document's own year
  (``到2025年``, ``2025年达到``, or the nearest preceding ``到20XX年`` of the same
  paragraph) and a forward word (力争/争取/目标/预期, a 到-year, or a verb such as
  达到/突破 before the value), or when it sits in a goals section (a heading or a
  paragraph lead containing 目标) – there the year falls back on ``未来N年`` + the
  issue year, then on the plan period (``规划期限为2021—2025年`` → 2025).
* A forward-looking number with no year of its own (``力争再创建2家国家实验室``) holds
  for the document's horizon: its plan period's end, else its ``未来N年`` counted from
  its own year. A document that states no horizon gives no such target: a goal without
  a year cannot be checked, and the graph's contract (the shapes) requires one.
* A sentence whose own bare year is before the document's year is history.
* Each number with a unit (``units.tsv``) in such a sentence is one quantity; the
  clause before it is read right to left: comparator verb (达到 ≥, 控制在 ≤…), then
  region words (全省 → the jurisdiction), industry (:class:`IndustryScheme`), and the
  rest is the metric. ``年均增长X%`` is a growth rate: it joins the quantity of the
  same metric in the neighbouring clause, or stands alone (value ``None``).
  A clause without its own metric (``其中现代化工7500亿元``, ``2025年达到2.2万亿元``)
  inherits the previous one's.
* Money is normalized to 亿元 with exact :class:`~decimal.Decimal` arithmetic; numbers
  in words (``突破万亿元``, ``千万千瓦``) are read by ``cn2an``. An amount + 级 ends a goal
  (``迈向万亿级``) but before a noun names a class (``千亿级企业`` is no quantity); a size
  in brackets (``甲片区（3.6平方公里）``) describes a place.
* A ``其中…`` clause and those after it in the sentence are parts of the target before
  it (:attr:`Target.parent`, ``pk:subTargetOf``). A subject that lists industries
  (``推动甲、乙产业突破万亿元``) is one goal per industry.
* ``每年`` before a count (``每年举办200场``) is a yearly commitment (``per_year``);
  ``2012年起5年内`` falls due in 2017; a year from 未来N年 or the plan period is marked
  ``year_inferred``.
* The industry is the one heading the subject (``新能源汽车占比`` keeps its words when
  the rest is a bare share), else the one a heading *is* (``2.汽车制造。``), never a word
  met in passing; a list of examples before the noun (``钢铁、石化等9大重点行业``) is cut.

Words and units are data (``target_words.tsv``, ``units.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from policykg.extract.datafiles import read_tsv
from policykg.extract.document import lines_with_spans
from policykg.extract.model import Span, Target
from policykg.extract.quantities.amounts import (
    MONEY_UNITS,
    quantity_re,
    to_decimal,
    units,
    word_number,
)
from policykg.extract.quantities.years import (
    BARE_YEAR,
    CLAUSE_YEAR,
    FROM_YEARS,
    NEXT_YEARS,
    TO_YEAR,
    count,
    plan_period,
)

_RANK = (
    re.compile(r"^第[一二三四五六七八九十]+[章节]"),
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d+[.．、]"),
)


def _rank(heading: str) -> int:
    """How high a heading stands: 第一章 0, 一、 1, （一） 2, 1. 3."""
    return next((i for i, r in enumerate(_RANK) if r.match(heading)), len(_RANK))


@cache
def _words() -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    for r in read_tsv("target_words.tsv"):
        out.setdefault(r["role"], {})[r["word"]] = r["comparator"] or None
    return out


def _role(role: str) -> list[str]:
    return sorted(_words().get(role, {}), key=lambda w: (-len(w), w))


_SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")
_CLAUSE_DELIM = re.compile(r"[，,；;：:]")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|"
    r"\d+[.．、])\s*(?P<title>[^。]{0,30})(?:。|$)"
)
_LEAD_MARKERS = re.compile(
    r"^(?:[、，,：:\s]|其中|力争|争取|确保|主要目标是|目标是|到\s*20\d{2}\s*年(?:底|末)?|20\d{2}\s*年(?:底|末)?|"
    r"未来\S{1,2}年|“十[一二三四五六七八九]五”(?:期间|末|时期)?|期间|全年|每年|再|的)+"
)
_TRAIL_MARKERS = re.compile(r"(?:力争|争取|约|再|累计|加快|加速|进一步|的|，|,)+$")
_UNKNOWN_QUANTITY = re.compile(r"\d+(?:\.\d+)?[A-Za-z]*[、和及]")
_TAILS = re.compile(r"^(?:产业集群|产业|集群|行业|领域|企业)")
_TRAIL_WORDS = re.compile(r"(?:分别|共计|合计|总计)$")
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIST_HEAD = re.compile(  # 钢铁、石化等9大重点行业: the examples and the count before the noun
    r"^(?:[^。]*、[^。]*?等(?:\d+|[一二两三四五六七八九十百千]+)?[大个类项家条批]?|[^。、]{2,}?等(?=各))")


@cache
def _split_verb(in_sentence: bool = False) -> re.Pattern[str]:
    """``提升可见光通信速率至100Gbps``: a verb before the metric and 至/到 before the value
    (a clause's subject ends there; ``in_sentence``: a value follows)."""
    verbs = "|".join(map(re.escape, _role("split")))
    end = r"\s*\d" if in_sentence else "$"
    return re.compile(
        rf"(?:^|(?<=[，,]))(?P<verb>{verbs})(?P<metric>[^，,。；;]{{2,30}}?)[至到]{end}")


@cache
def _share_of() -> re.Pattern[str]:
    """``不低于储备项目数的``: a comparator verb and the whole a percentage is of."""
    verbs = "|".join(map(re.escape, _role("verb")))
    return re.compile(rf"(?P<verb>{verbs})(?P<whole>[^，,。；;的]{{2,20}})的$")


def _qualifier(unit_surface: str, after: str) -> bool:
    """``千亿级领军企业``, ``百万千瓦级新能源基地``: an amount + 级 before a noun names a class."""
    if unit_surface.endswith("级"):
        rest = after
    elif after.startswith("级"):
        rest = after[1:]
    else:
        return False
    return bool(rest) and bool(_CJK.match(rest[0])) and not any(
        rest.startswith(w) for w in _role("tail"))


def _named_industry(title: str, mentions) -> str | None:
    """The industry a heading *is* (``2.汽车制造。``, ``新一代信息技术(“光芯屏端网”)``), not
    one it mentions in passing (``构建以先进制造业为骨干的现代化产业体系``)."""
    title = _PARENTHESES.sub("", title).strip("。. ")
    for key, span in mentions:
        if span.start == 0 and not _TAILS.sub("", title[span.end:]):
            return key
    return None


@dataclass
class _Draft:
    metric: str
    value: Decimal | None
    unit: str
    year: int | None
    start: int
    end: int
    industry: str | None
    region: str | None
    growth: Decimal | None
    comparator: str | None
    upper: Decimal | None = None
    per_year: bool = False
    year_inferred: bool = False
    parent: int | None = None  # index of the whole among the sentence's drafts

    def target(self, drafts: list[_Draft]) -> Target:
        whole = drafts[self.parent] if self.parent is not None else None
        return Target(
            metric=self.metric, value=self.value, unit=self.unit, year=self.year,
            span=Span(self.start, self.end), industry=self.industry, region=self.region,
            growth_rate=self.growth, comparator=self.comparator,  # type: ignore[arg-type]
            upper=self.upper, per_year=self.per_year, year_inferred=self.year_inferred,
            parent=Span(whole.start, whole.end) if whole is not None else None,
        )


def _province_of(gazetteer, key: str | None) -> str | None:
    if key is None:
        return None
    try:
        chain = [gazetteer.get(key), *gazetteer.ancestors(key)]
    except KeyError:
        return key
    for region in chain:
        if getattr(region, "level", None) in ("province", "municipality"):
            return region.key
    return key


class _Subjects:
    """Reads whom a quantity is about: region, industry and metric of a clause's subject."""

    def __init__(self, scheme, gazetteer, jurisdiction):
        self.scheme = scheme
        self.gazetteer = gazetteer
        self.jurisdiction = jurisdiction

    def _region(self, word: str) -> str | None:
        if word in ("全省", "我省", "本省"):
            return _province_of(self.gazetteer, self.jurisdiction)
        return self.jurisdiction

    def subject(self, s: str, offset: int):
        """(metric, industry, region, comparator, start offset) of a clause's subject."""
        comparator = None
        s = _TRAIL_MARKERS.sub("", s)
        split = _split_verb().match(s)
        if split:  # 提升甲乙速率至: the verb wraps the metric
            comparator = _words()["split"][split.group("verb")]
            s = split.group("metric")
        for verb in _role("verb"):
            if s.endswith(verb):
                comparator = _words()["verb"][verb]
                s = _TRAIL_MARKERS.sub("", s[: -len(verb)])
                break
        base = s.rfind("由")
        if base > 0 and re.search(r"\d", s[base:]):  # 覆盖率由2023年的70%提高至: the base
            s = s[:base]
        lead = _LEAD_MARKERS.match(s)
        cut = lead.end() if lead else 0
        region = None
        for word in _role("region"):
            if s.startswith(word, cut):
                region = self._region(word)
                cut += len(word)
                break
        found = self.gazetteer.find_in(s[cut:], within=self.jurisdiction) if self.gazetteer else ()
        for key, span in found:
            if span.start == 0:
                region = key
                cut += span.end
            break
        industry = None
        mentions = self.scheme.find_in(s[cut:]) if self.scheme else []
        if mentions:  # the industry heads the subject (after a verb such as 推动), or none
            key, span = mentions[-1]
            prefix = s[cut: cut + span.start].strip("的和与及、")
            if not prefix or prefix in _role("lead"):
                industry = key
                rest = s[cut + span.end:]
                tail = _TAILS.match(rest)
                named = s[cut: cut + span.end + (tail.end() if tail else 0)]
                if rest.strip("、，,的 ") not in _role("bare"):  # 新能源汽车占比 keeps its noun
                    cut += len(named)
        metric = s[cut:].strip("、，,的 ")
        head = _LIST_HEAD.match(metric)
        if head and metric[head.end():]:  # 钢铁、石化等9大重点行业能效水平 → 重点行业能效水平
            metric = metric[head.end():]
        for verb in _role("lead") + _role("verb"):
            if metric.startswith(verb):
                comparator = comparator or _words().get("verb", {}).get(verb)
                metric = metric[len(verb):]
                break
        metric = _LEAD_MARKERS.sub("", metric).strip("、，,的 ")
        metric = _TRAIL_WORDS.sub("", metric)  # 应用比例分别 → 应用比例
        if metric[:1] in "“‘" and not any(q in metric for q in "”’"):
            metric = metric[1:]  # the quotation opens before the goal and closes after it
        start = offset + (lead.end() if lead else 0)
        return metric, industry, region, comparator, start

    def opening_industry(self, sentence: str, clause_start: int) -> str | None:
        """The industry the preceding clause opens with (``全省现代农产品加工程度…``),
        which a following subjectless clause (``营业收入达到1万亿元``) is about."""
        delims = [d.end() for d in _CLAUSE_DELIM.finditer(sentence, 0, max(0, clause_start - 1))]
        clause = sentence[delims[-1] if delims else 0: clause_start]
        if quantity_re().search(clause):
            return None  # a clause with its own quantity is not a topic clause
        clause = _LEAD_MARKERS.sub("", clause)
        for word in _role("region"):
            if clause.startswith(word):
                clause = clause[len(word):]
                break
        mentions = self.scheme.find_in(clause) if self.scheme else []
        return mentions[0][0] if mentions and mentions[0][1].start == 0 else None

    def industries(self, metric: str) -> list[str] | None:
        """The industries of a list that is the whole subject (``甲、乙、丙产业``), else None."""
        items = metric.split("、")
        if len(items) < 2 or not self.scheme:
            return None
        keys = []
        for item in items:
            item = re.sub(r"(?:产业集群|产业|行业)$", "", item.strip("“”\"‘’ "))
            found = [k for k, span in self.scheme.find_in(item) if span.start == 0]
            if not found:
                return None
            keys.append(found[0])
        return sorted(set(keys), key=keys.index)


class _Reader:
    """Reads the targets of one document; holds what the sentences share."""

    def __init__(self, text, scheme, gazetteer, jurisdiction, issued_year):
        self.text = text
        self.scheme = scheme
        self.gazetteer = gazetteer
        self.jurisdiction = jurisdiction
        self.subjects = _Subjects(scheme, gazetteer, jurisdiction)
        period = plan_period(text)
        self.ref_year = issued_year or (period[0] if period else None)
        self.period_end = period[1] if period else None
        self.issued_year = issued_year
        self.horizon = self._horizon(text)
        self._committed: set[int] = set()  # target starts a commitment verb introduces

    def _horizon(self, text: str) -> int | None:
        """The year the whole document looks ahead to: the end of its plan period, else
        its first ``未来N年`` counted from its own year; ``None`` when it states neither."""
        if self.period_end is not None:
            return self.period_end
        m = NEXT_YEARS.search(text)
        if m and self.issued_year:
            n = m.group(1)
            return self.issued_year + count(n)
        return None

    # -- sentences ---------------------------------------------------------------

    def _sentence_year(
        self, sentence: str, carried: int | None
    ) -> tuple[int | None, int | None, bool]:
        """(year of the sentence, year carried on, is history)."""
        window = FROM_YEARS.search(sentence)
        if window:  # 2012年起5年内: the goal falls due at the window's end, 2017
            n = window.group(2)
            due = int(window.group(1)) + count(n)
            return due, due, False
        to = TO_YEAR.search(sentence)
        bare = [int(y) for y in BARE_YEAR.findall(sentence)]
        if to:
            carried = int(to.group(1))
        year = bare[0] if bare and not to else carried
        history = bool(bare) and not to and self.ref_year is not None and bare[0] < self.ref_year
        if bare and not to and self.ref_year is None and not self._forward(sentence):
            history = True
        return year, carried, history

    def _forward(self, sentence: str) -> bool:
        return any(w in sentence for w in _role("forward")) or bool(TO_YEAR.search(sentence))

    def read(self) -> list[Target]:
        targets: list[Target] = []
        goals_heading = False
        heading_industry = None
        review: dict[int, bool] = {}  # heading rank -> that heading opens a review part
        for para, pspan in lines_with_spans(self.text):
            heading = _HEADING.match(para)
            if heading and (len(para) <= 40 or heading.group(0).endswith("。")):
                title = heading.group("title")
                is_goal_title = "目标" in title
                mentions = self.scheme.find_in(title) if self.scheme else []
                if heading.end() == len(para):  # a heading line; an inline heading has a body
                    goals_heading = is_goal_title
                    heading_industry = _named_industry(title, mentions)
                    rank = _rank(para)
                    review = {r: v for r, v in review.items() if r < rank}
                    review[rank] = any(w in title for w in _role("review"))
                    continue
                if any(review.values()):
                    continue
                in_goals = goals_heading or is_goal_title
            else:
                if any(review.values()):  # 发展基础, 存在问题: results and weaknesses, not goals
                    continue
                in_goals = goals_heading or para.startswith(("主要目标", "发展目标", "总体目标"))
                if "目标是" in para[:40] or "主要目标" in para[:40]:
                    in_goals = True
            targets += self._paragraph(para, pspan.start, in_goals, heading_industry)
        return targets

    def _paragraph(self, para: str, base: int, in_goals: bool, heading_industry) -> list[Target]:
        out: list[Target] = []
        carried = None
        for sm in _SENTENCE.finditer(para):
            sentence = sm.group(0)
            year, carried, history = self._sentence_year(sentence, carried)
            if history:
                continue
            forward = self._forward(sentence) or carried is not None
            inferred = year is None
            if year is None:
                m = NEXT_YEARS.search(sentence) or (NEXT_YEARS.search(para) if in_goals else None)
                if m and self.issued_year:
                    n = m.group(1)
                    year = self.issued_year + count(n)
                elif in_goals:
                    year = self.period_end
            if year is not None and self.ref_year is not None and year < self.ref_year:
                continue
            if year is None:  # a commitment without a date of its own: the document horizon
                year = self.horizon
            if year is None:  # no horizon anywhere: not a target anyone could check
                continue
            if not (in_goals or (forward and year is not None)
                    or any(w in sentence for w in _role("forward"))):
                reach = any(v in sentence for v in _role("reach")) or _split_verb(True).search(
                    sentence)
                if not (year is not None and reach):
                    # 引进培育50名战略科学家: a commitment verb right before the number
                    out += [t for t in self._sentence(
                        sentence, base + sm.start(), year, heading_industry, inferred
                    ) if t.span.start in self._committed]
                    continue
            out += self._sentence(sentence, base + sm.start(), year, heading_industry, inferred)
        return out

    def _sentence(
        self, sentence: str, base: int, year, heading_industry, inferred: bool = False
    ) -> list[Target]:
        sentence_year, sentence_inferred = year, inferred
        drafts: list[_Draft] = []
        clause_start = 0
        previous_end = 0
        whole: int | None = None  # the draft a 其中… clause and those after it are parts of
        for qm in quantity_re().finditer(sentence):
            unit_surface = qm.group("unit")
            unit, factor = next((u, f) for s, u, f in units() if s == unit_surface)
            if qm.group("num") is not None:
                number: Decimal | None = Decimal(qm.group("num"))
            elif qm.group("range"):
                continue  # a range in words is too rare to guess at
            else:
                number = word_number(qm.group("cnum"), unit_surface)
            if number is None or _qualifier(unit_surface, sentence[qm.end():]):
                continue  # 千亿级领军企业, 百万千瓦级基地: a class of the noun, not a quantity
            if sentence[qm.start() - 1: qm.start()] in "（(" and qm.start() and \
                    sentence[qm.end(): qm.end() + 1] in ("）", ")"):
                continue  # 甲片区（3.66平方公里）: the size of a named place, not a goal
            upper = None
            if qm.group("range"):  # 3-5家: from 3 to 5
                upper = to_decimal(re.sub(r"^[-—~～至\s]+", "", qm.group("range")).strip(), factor)
            delims = [d.end() for d in _CLAUSE_DELIM.finditer(sentence, 0, qm.start())]
            clause_start = max(delims[-1] if delims else 0, previous_end)
            before, previous_end = previous_end, qm.end()
            pre = sentence[clause_start: qm.start()]
            unknown = list(_UNKNOWN_QUANTITY.finditer(pre))
            if unknown:  # 算力规模达到20EFLOPS、存力超过100EB、…装机超过6000万千瓦
                clause_start += unknown[-1].end()
                pre = pre[unknown[-1].end():]
            year, inferred = sentence_year, sentence_inferred
            own = list(CLAUSE_YEAR.finditer(pre))
            if own:  # 装机规模2025年达到2500万千瓦，2030年达到4000万千瓦: each clause its year
                if self.ref_year is not None and int(own[-1].group(1)) < self.ref_year:
                    previous_end = before  # the goal's clause holds the base
                    continue  # 由2020年的500家增至…: the base, not the goal
                year, inferred = int(own[-1].group(1)), False
                cut, head = own[-1], pre[: own[-1].start()]
                keep = cut.group(0)[0] if cut.group(0)[0] in "到至" and any(
                    (head + cut.group(0)[0]).endswith(v) for v in _role("verb")) else ""
                pre = head + keep + pre[cut.end():]  # 提高至2030年的95%: the verb keeps 至
            per_year = any(w in pre for w in _role("per-year"))
            after = sentence[qm.end():]
            if pre.lstrip("、，, ").startswith("其中"):  # 其中甲7500亿元，乙2500亿元: parts
                whole = next((i for i in range(len(drafts) - 1, -1, -1)
                              if drafts[i].parent is None), None)
            tail_word = next((w for w in _role("tail") if after.startswith(w)), None)
            end = qm.end() + (len(tail_word) if tail_word else 0)
            previous_end = end
            tail_cmp = _words()["tail"][tail_word] if tail_word else None
            value = to_decimal(number, factor)
            growth_word = next((w for w in _role("growth") if pre.endswith(w)), None)
            if growth_word and unit == "%":
                subject = pre[: -len(growth_word)]
                metric, industry, region, _, start = self.subjects.subject(subject, clause_start)
                last = drafts[-1] if drafts else None
                if not metric and last is not None and last.growth is None:
                    last.growth = value
                    last.end = base + end
                    continue
                if last is not None:
                    industry = industry or last.industry
                    region = region or last.region
                drafts.append(_Draft(
                    metric or (last.metric if last else ""), None, "%", year,
                    base + start, base + end, industry or heading_industry,
                    region or self.jurisdiction, value, tail_cmp, None, per_year, inferred,
                    whole,
                ))
                continue
            change_word = next((w for w in _role("change") if pre.endswith(w)), None)
            if change_word and unit == "%":
                metric, industry, region, comparator, start = self.subjects.subject(
                    pre[: -len(change_word)], clause_start
                )
                metric = metric + change_word if metric else ""
            else:
                metric, industry, region, comparator, start = self.subjects.subject(
                    pre, clause_start)
                share = _share_of().search(pre) if unit == "%" and comparator is None else None
                if share:  # 甲项目不低于乙项目数的30%: 甲 is a share of 乙
                    metric, industry, region, _, start = self.subjects.subject(
                        pre[: share.start()], clause_start)
                    comparator = _words()["verb"][share.group("verb")]
                    metric = f"{metric}占{share.group('whole')}的比重" if metric else ""
            if tail_cmp:
                comparator = tail_cmp
            elif pre.endswith("约"):
                comparator = "≈"
            if metric in _CONJUNCTIONS:
                metric = ""  # 4家园区和80家工厂: after 和 the noun of this value follows it
            if metric.endswith("等") or re.search(r"等\d+$", metric):
                metric = ""  # 打造甲、乙等10条产业链: the list names examples, the noun follows
            if per_year:  # 每年开展15项: the span holds the word that makes it yearly
                word = next(w for w in _role("per-year") if w in pre)
                start = min(start, clause_start + pre.index(word))
            commit = rf"(?:{'|'.join(map(re.escape, _role('commit')))})$"
            listed = not pre.strip("、，, ") and drafts and drafts[-1].start in self._committed
            opens = tail_word and any(pre.lstrip("、，, ").startswith(w) for w in _role("commit"))
            yearly = per_year and unit not in MONEY_UNITS  # 每年组织300场: a yearly commitment
            if re.search(commit, pre) or listed or opens or yearly:  # …50名战略科学家、500名…
                self._committed.add(base + start)
            leads = "|".join(map(re.escape, _role("lead")))
            if re.search(commit, metric) or re.search(rf"(?:{leads})$", metric):
                metric = ""  # 开发区重点培育3个主导产业: the verb's object follows the value
            if not metric:
                noun = re.match(r"[^、，,。；;：:（(]{2,20}", after[len(tail_word or ""):])
                stops = "|".join(map(re.escape, _role("noun-stop")))
                stop = noun and re.search(stops, noun.group(0))
                if stop and stop.start() >= 2:  # 100个联合体加快发展: the noun ends at the verb
                    noun = re.match(f".{{{stop.start()}}}", noun.group(0))
                joined = noun and _NEXT_QUANTITY.search(noun.group(0))
                if joined and joined.start() >= 2:  # 4家园区和80家工厂: the next quantity's
                    noun = re.match(f".{{{joined.start()}}}", noun.group(0))  # noun is its own
                if noun:  # 培育3家左右具有全国影响力的平台: the metric follows the value
                    metric = noun.group(0).lstrip("的")
                    end += noun.end()
                    previous_end = end  # the next quantity's subject starts after this noun
                elif drafts:
                    last = drafts[-1]
                    if last.value is None and last.growth is not None and industry is None:
                        last.value, last.unit, last.end = value, unit, base + end
                        last.comparator = comparator or last.comparator
                        continue
                    metric = last.metric
                    comparator = comparator or last.comparator
                    industry = industry or (last.industry if not pre.strip("、，, ") else None)
            listed_industries = self.subjects.industries(metric) if unit in MONEY_UNITS else None
            if listed_industries:  # 推动甲、乙、丙产业突破万亿元: one goal per industry
                drafts += [_Draft(
                    _role("scale")[0], value, unit, year, base + start, base + end, key,
                    region or self.jurisdiction, None, comparator, upper, per_year, inferred,
                    whole,
                ) for key in listed_industries]
                continue
            if not metric and industry and unit in MONEY_UNITS:  # 北斗产业突破千亿元
                metric = _role("scale")[0]
            if not metric or any(metric.startswith(w) for w in _role("means")):
                continue  # 以每个市州3-5个重点产业为主攻方向: a means, not a goal
            if industry is None and drafts and (
                drafts[-1].metric == metric or metric.startswith(_role("share")[0])
            ):  # 产业增加值达到1.8万亿元、占GDP比重达到25%: the share is of the same subject
                industry = drafts[-1].industry
            if industry is None:
                opening = self.subjects.opening_industry(sentence, clause_start)
                industry = opening or heading_industry
            drafts.append(_Draft(
                metric, value, unit, year, base + start, base + end, industry,
                region or self.jurisdiction, None, comparator, upper, per_year, inferred,
                whole,
            ))
        # a target covers the words it was read from; one that ended up with none (its
        # words taken by the quantity before it) has no provenance to give
        return [d.target(drafts) for d in drafts if d.end > d.start]


_NEXT_QUANTITY = re.compile(
    r"(?:以及|和|及|与)?(?=\d)|(?:以及|和|及|与)(?=[一二三四五六七八九十两])")
"""A number (after a conjunction or not) inside the noun after a value: the next quantity
begins there, and its noun is its own."""
_CONJUNCTIONS = ("以及", "和", "及", "与")


def find_targets(
    text: str, scheme, gazetteer, jurisdiction: str | None, issued_year: int | None = None
) -> list[Target]:
    """The quantitative goals of a normalized document, in text order.

    ``scheme`` needs ``find_in(text)`` (an :class:`~extract.industries.IndustryScheme`),
    ``gazetteer`` ``find_in``/``get``/``ancestors``; ``jurisdiction`` is the document's
    region key (the region of 全省/全市 and of unlocated goals); ``issued_year`` (from the
    document's date) decides what is history and resolves ``未来五年``.
    """
    targets = _Reader(text, scheme, gazetteer, jurisdiction, issued_year).read()
    return sorted(targets, key=lambda t: (t.span.start, t.span.end, t.metric))




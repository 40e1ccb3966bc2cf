"""Synthetic policy corpus: N plausible documents in the genres of ``seeds/``.

Why: scale (5 → 5,000 documents) has to be measured without a real corpus of that
size. The documents are not copies of the seeds; they are assembled from the same
*forms* the extractor must handle — chapter/一、/（一）/1. hierarchies, quantitative
targets, ``（牵头单位：…；责任单位：…）`` and ``（责任单位：…）`` clauses, a
``以下工作均需…具体落实，不再列出`` clause, inline ``由X牵头``, traditional characters with
inline pinyin, web boilerplate and hard PDF line breaks — filled with places, agencies
and industries read from ``extract/data/*.tsv`` at generation time (a small built-in
list stands in only when a file is missing), so the generator follows the data.

Deterministic: the same ``--seed`` and ``-n`` give byte-identical files, and document
``i`` does not depend on ``n`` (a 50-document corpus is the first 50 of the 500 one).

    python bench/gen_corpus.py -n 500 --out bench/results/tmp/corpus-500 --seed 7
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from policykg.extract.datafiles import data_path, read_tsv

GENRES = ("provincial_plan", "city_opinion", "work_plan", "traditional_opinion", "web_notice")

# Fallbacks, used only when the project's data files are missing (see module docstring).
_FALLBACK_CITIES = [("wuhan", "武汉市"), ("yichang", "宜昌市"), ("xiangyang", "襄阳市"),
                    ("ezhou", "鄂州市"), ("huangshi", "黄石市"), ("jingzhou", "荆州市")]
_FALLBACK_INDUSTRIES = ["集成电路", "新型显示", "汽车制造", "生物医药", "人工智能", "光通信",
                        "智能制造装备", "新能源", "北斗及应用", "现代物流", "数字创意",
                        "新材料", "航空航天", "节能环保", "软件和信息服务", "低碳冶金"]
# Agency short forms as documents write them; the resolver maps them to canonical bodies.
_PROVINCIAL_AGENCIES = ["省发改委", "省经信厅", "省科技厅", "省财政厅", "省人社厅", "省自然资源厅",
                        "省生态环境厅", "省商务厅", "省市场监管局", "省地方金融监管局", "省教育厅",
                        "省交通运输厅", "省住建厅", "省统计局", "省税务局", "省能源局"]
_CITY_AGENCIES = ["市发改委", "市经信局", "市科技局", "市财政局", "市人社局", "市自然资源和规划局",
                  "市生态环境局", "市商务局", "市市场监管局", "市金融局", "市教育局", "市住建局",
                  "市统计局", "市数据局", "市招商局"]
_METRICS = ["营业收入", "主营业务收入", "产值", "增加值", "规模"]
_VERBS = ["加快", "推动", "支持", "鼓励", "引导", "培育", "建设", "完善", "强化", "深化"]
_OBJECTS = ["产业链协同创新平台", "关键核心技术攻关", "龙头企业培育", "专精特新企业梯队",
            "产业园区提档升级", "数字化转型", "绿色低碳改造", "重大项目招引", "人才引进培养",
            "金融服务供给", "标准体系建设", "公共服务平台", "首台（套）装备推广应用",
            "应用场景开放", "产业基金引导", "要素保障机制"]
_ADVERBS = ["积极", "大力", "持续", "全面", "重点", "系统"]
_BOILERPLATE_TOP = ["网站首页 > 政策文件 > 正文", "当前位置：首页 > 信息公开 > 政策文件",
                    "【字体：大 中 小】", "打印本页 关闭窗口", "分享到："]
_BOILERPLATE_BOTTOM = ["上一篇：关于开展年度统计工作的通知", "下一篇：无",
                       "主办单位：{city}人民政府办公室", "版权所有 © {city}人民政府 ICP备0000000号",
                       "联系我们", "电话：027-00000000", "地址：{city}某某路1号"]


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    short: str
    districts: tuple[str, ...]
    zones: tuple[str, ...]


def _read_tsv(name: str) -> list[dict[str, str]] | None:
    """The project's data file, or None where it is missing (the built-in lists stand in)."""
    return read_tsv(name) if data_path(name).exists() else None


def load_places() -> list[Place]:
    """Prefecture-level cities with their districts and zones, from ``regions.tsv``."""
    rows = _read_tsv("regions.tsv")
    if not rows or "level" not in rows[0]:
        return [Place(k, n, n.removesuffix("市"), (), ()) for k, n in _FALLBACK_CITIES]
    children: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        children.setdefault(row.get("parent", ""), []).append(row)
    places = []
    for row in rows:
        if row.get("level") != "prefecture" or not row["name_zh"].endswith("市"):
            continue
        kids = children.get(row["key"], [])
        places.append(Place(
            row["key"], row["name_zh"], row["name_zh"].removesuffix("市"),
            tuple(k["name_zh"] for k in kids if k.get("level") == "district"),
            tuple((k.get("aliases") or k["name_zh"]).split("|")[-1] for k in kids
                  if k.get("level") in ("development-zone", "new-area")),
        ))
    return places or [Place(k, n, n.removesuffix("市"), (), ()) for k, n in _FALLBACK_CITIES]


def load_industries() -> list[str]:
    """Industry labels from the scheme's data file (first label-like column)."""
    for name in ("industries.tsv", "industry_scheme.tsv"):
        rows = _read_tsv(name)
        if rows:
            column = next((c for c in ("name_zh", "label_zh", "pref_label", "label", "name")
                           if c in rows[0]), None)
            if column:
                # industries, not the size tiers (a tier is what some row's tier column,
                # or in older tables its broader column, names)
                tiers = {(r.get("tier") or "").strip() for r in rows} - {""}
                if "broader" in rows[0] and "tier" not in rows[0]:
                    rows = [r for r in rows if (r.get("broader") or "").strip()]
                rows = [r for r in rows if (r.get("key") or "").strip() not in tiers]
                labels = sorted({r[column].strip() for r in rows if r.get(column, "").strip()})
                labels = [x for x in labels if 2 <= len(x) <= 10]
                if len(labels) >= 5:
                    return labels
    return list(_FALLBACK_INDUSTRIES)


def load_agencies() -> tuple[list[str], list[str]]:
    """(provincial, city) short forms of government departments: 省经信厅, 市经信局, …

    Built from ``departments.tsv`` the way documents abbreviate: the level prefix and the
    shortest alias ending in a provincial (厅/委) or city (局/委) suffix.
    """
    rows = _read_tsv("departments.tsv")
    if not rows or "aliases" not in rows[0]:
        return list(_PROVINCIAL_AGENCIES), list(_CITY_AGENCIES)
    provincial, city = [], []
    for row in rows:
        if row.get("kind") != "government-department" or row.get("key") == "general-office":
            continue
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        for out, prefix, suffixes in ((provincial, "省", ("厅", "委")), (city, "市", ("局", "委"))):
            fitting = sorted((a for a in aliases if a.endswith(suffixes)),
                             key=lambda a: (len(a), a))
            if fitting:
                out.append(prefix + fitting[0])
    if len(provincial) < 5 or len(city) < 5:
        return list(_PROVINCIAL_AGENCIES), list(_CITY_AGENCIES)
    return provincial, city


class Writer:
    """Accumulates lines; numbering helpers for the hierarchy forms."""

    CN = "一二三四五六七八九十"

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    @classmethod
    def cn(cls, n: int) -> str:
        if n <= 10:
            return cls.CN[n - 1]
        if n < 20:
            return "十" + cls.CN[n - 11]
        tens, ones = divmod(n, 10)
        return cls.CN[tens - 1] + "十" + (cls.CN[ones - 1] if ones else "")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class DocumentGenerator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.places = load_places()
        self.industries = load_industries()
        self.provincial, self.city = load_agencies()

    def document(self, i: int) -> tuple[str, str]:
        """(file name, text) of document ``i``; independent of the corpus size."""
        rng = random.Random(f"{self.seed}:{i}")
        genre = GENRES[i % len(GENRES)]
        text = getattr(self, "_" + genre)(rng, i)
        return f"{i:05d}_{genre}.txt", text

    # -- pieces ---------------------------------------------------------------------------

    def _task_sentence(self, rng: random.Random, industry: str) -> str:
        obj = rng.choice(_OBJECTS)
        return (f"{rng.choice(_ADVERBS)}{rng.choice(_VERBS)}{industry}领域{obj}，"
                f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，形成一批可复制可推广的经验。")

    def _target(self, rng: random.Random, scope: str, industry: str) -> str:
        year = rng.choice([2025, 2025, 2027, 2030])
        value = rng.choice([100, 300, 500, 800, 1000, 1500, 2000, 3000, 5000])
        growth = rng.choice([8, 10, 12, 15, 20])
        metric = rng.choice(_METRICS)
        form = rng.randrange(3)
        if form == 0:
            return (f"力争到{year}年，{scope}{industry}产业{metric}达到{value}亿元，"
                    f"年均增长{growth}%左右。")
        if form == 1:
            return f"到{year}年，{scope}{industry}产业{metric}突破{value}亿元。"
        return (f"到{year}年，{scope}{industry}产业{metric}超过{value}亿元，"
                f"年均增速保持在{growth}%以上。")

    def _agencies(self, rng: random.Random, pool: list[str], k: int) -> list[str]:
        return rng.sample(pool, k=min(k, len(pool)))

    def _doc_number(self, rng: random.Random, prefix: str, i: int) -> tuple[int, str]:
        year = 2018 + i % 7
        return year, f"{prefix}〔{year}〕{i // 7 + 1}号"

    # -- genres ---------------------------------------------------------------------------

    def _provincial_plan(self, rng: random.Random, i: int) -> str:
        industry = rng.choice(self.industries)
        year, number = self._doc_number(rng, "鄂政发", i)
        title = f"湖北省{industry}产业高质量发展“十四五”规划"
        w = Writer()
        w.add(number, "", f"省人民政府关于印发{title}的通知", "",
              "各市、州、县人民政府，省政府各部门：", "",
              f"现将《{title}》印发给你们，请结合工作实际，认真贯彻执行。", "",
              f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", "", title, "")
        chapters = rng.randint(3, 5)
        for c in range(1, chapters + 1):
            heading = rng.choice(["总体要求", "重点任务", "主攻方向", "保障措施"])
            w.add(f"第{Writer.cn(c)}章 {heading}", "")
            for s in range(1, rng.randint(2, 4) + 1):
                ind = rng.choice(self.industries)
                w.add(f"{Writer.cn(s)}、{rng.choice(_VERBS)}{ind}产业发展", "")
                if c == 1 and s == 1:
                    w.add(self._target(rng, "全省", ind), "")
                for k in range(1, rng.randint(2, 4) + 1):
                    lead = self._agencies(rng, self.provincial, 1)
                    resp = self._agencies(rng, self.provincial, rng.randint(1, 3))
                    w.add(f"（{Writer.cn(k)}）{rng.choice(_OBJECTS)}。"
                          f"{self._task_sentence(rng, ind)}"
                          f"（牵头单位：{lead[0]}；责任单位：{'、'.join(resp)}）", "")
                    for m in range(1, rng.randint(0, 3) + 1):
                        w.add(f"{m}.{rng.choice(_OBJECTS)}。{self._task_sentence(rng, ind)}", "")
        return w.text()

    def _city_opinion(self, rng: random.Random, i: int) -> str:
        place = rng.choice(self.places)
        industry = rng.choice(self.industries)
        year, number = self._doc_number(rng, f"{place.short}政", i)
        title = f"{place.name}人民政府关于加快推进{industry}产业高质量发展的意见"
        w = Writer()
        w.add(title, number, "各区人民政府，市人民政府各部门：",
              f"为加快推动{industry}产业高质量发展，结合我市实际，特提出如下意见。")
        w.add("一、总体要求", f"（一）发展目标。{self._target(rng, '全市', industry)}")
        w.add("二、重点任务")
        districts = list(place.districts) or ["各区人民政府"]
        for k in range(1, rng.randint(4, 9) + 1):
            lead = self._agencies(rng, self.city, 1)[0]
            resp = self._agencies(rng, self.city, rng.randint(1, 3))
            if rng.random() < 0.4:
                resp.append(rng.choice(districts) + ("" if "政府" in districts[0] else "人民政府"))
            w.add(f"（{Writer.cn(k)}）{rng.choice(_OBJECTS)}。{self._task_sentence(rng, industry)}"
                  f"（牵头单位：{lead}；责任单位：{'、'.join(resp)}）")
        w.add("三、保障措施",
              f"（一）加强组织领导。建立{industry}产业发展工作专班，统筹推进各项任务。")
        w.add(f"{place.name}人民政府", f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
        return w.text()

    def _work_plan(self, rng: random.Random, i: int) -> str:
        place = rng.choice(self.places)
        industry = rng.choice(self.industries)
        title = f"关于推进{industry}产业集群建设的工作方案"
        zones = list(place.zones)
        executors = "各区人民政府" + (f"和{'、'.join(zones[:2])}管委会" if zones else "")
        w = Writer()
        w.add(title, f"为加快推动我市{industry}产业突破发展，结合实际，制定本方案。",
              "一、指导思想", f"以高质量发展为主题，着力构建{industry}现代化产业体系。",
              "二、重点任务")
        item = 0
        for s in range(1, rng.randint(2, 4) + 1):
            ind = rng.choice(self.industries)
            w.add(f"({Writer.cn(s)}){rng.choice(_VERBS)}{ind}产业,{rng.choice(_OBJECTS)}")
            for _ in range(rng.randint(2, 5)):
                item += 1
                resp = self._agencies(rng, self.city, rng.randint(1, 4))
                body = f"{item}.{rng.choice(_OBJECTS)}。{self._task_sentence(rng, ind)}"
                if rng.random() < 0.35:
                    lead = rng.choice(self.city)
                    body += f"{ind}产业日常工作由{lead}牵头。"
                clause = f"(责任单位:{'、'.join(resp)}"
                if item == 1:
                    clause += f"。以下工作均需{executors}具体落实,不再列出"
                w.add(body + clause + ")")
        w.add("三、保障措施", "(一)强化统筹调度。定期调度工作进展，及时协调解决困难问题。")
        return w.text()

    def _traditional_opinion(self, rng: random.Random, i: int) -> str:
        """An implementing opinion in traditional characters with inline pinyin notes."""
        from opencc import OpenCC
        from pypinyin import Style, pinyin

        industry = rng.choice(self.industries)
        year, number = self._doc_number(rng, "鄂政办发", i)
        w = Writer()
        w.add(f"关于推动{industry}产业高质量发展的实施意见", number,
              "各市、州、县人民政府，省政府各部门：",
              f"为深入推进{industry}产业发展，经省人民政府同意，制定如下实施意见。",
              "一、总体要求", f"主要目标是：{self._target(rng, '全省', industry)}")
        for s in range(2, rng.randint(3, 5) + 1):
            w.add(f"{Writer.cn(s)}、{rng.choice(_VERBS)}{rng.choice(self.industries)}产业")
            for k in range(1, rng.randint(2, 4) + 1):
                resp = self._agencies(rng, self.provincial, rng.randint(1, 3))
                w.add(f"（{Writer.cn(k)}）{rng.choice(_OBJECTS)}。"
                      f"{self._task_sentence(rng, industry)}（責任單位：{'、'.join(resp)}）")
        w.add("湖北省人民政府办公厅", f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
        converted = OpenCC("s2t").convert(w.text())
        noted = ("的", "人", "和", "要", "地")
        out = []
        for ch in converted:
            out.append(ch)
            if ch in noted and rng.random() < 0.6:
                out.append("(" + pinyin(ch, style=Style.TONE)[0][0] + ")")
        return "".join(out)

    def _web_notice(self, rng: random.Random, i: int) -> str:
        """A city notice scraped from a web page: boilerplate, header keys, PDF line breaks."""
        place = rng.choice(self.places)
        industry = rng.choice(self.industries)
        year, number = self._doc_number(rng, f"{place.short}政办", i)
        title = f"{place.name}人民政府办公室关于印发{place.name}{industry}产业发展行动方案的通知"
        w = Writer()
        published = f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        signed = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        w.add(*rng.sample(_BOILERPLATE_TOP, k=3), "",
              f"来源：{place.name}人民政府办公室   发布时间：{published}",
              "", title, number, "各区人民政府，市人民政府各部门：",
              f"《{place.name}{industry}产业发展行动方案》已经市人民政府同意，"
              "现印发给你们，请认真组织实施。",
              f"{place.name}人民政府办公室", signed, "",
              f"{place.name}{industry}产业发展行动方案", "一、行动目标",
              self._target(rng, "全市", industry), "二、主要任务")
        for k in range(1, rng.randint(3, 7) + 1):
            resp = self._agencies(rng, self.city, rng.randint(1, 3))
            para = (f"（{Writer.cn(k)}）{rng.choice(_OBJECTS)}。"
                    f"{self._task_sentence(rng, industry)}（责任单位：{'、'.join(resp)}）")
            w.add(*_hard_wrap(para, 38))  # PDF line breaks inside the paragraph
        w.add("", *(line.format(city=place.name) for line in _BOILERPLATE_BOTTOM))
        return w.text()


def _hard_wrap(text: str, width: int) -> list[str]:
    return [text[k : k + width] for k in range(0, len(text), width)]


def generate(n: int, out: Path, *, seed: int = 7, clean: bool = True) -> list[Path]:
    """Write documents 0..n-1 into ``out``; returns their paths in file-name order."""
    if clean and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    gen = DocumentGenerator(seed)
    paths = []
    for i in range(n):
        name, text = gen.document(i)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out, seed=args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

# ruff: noqa: E501  (fixture documents: a paragraph is one line)
"""Synthetic district plans (invented, in the genre) and writers for each format.

A document is a list of blocks: ("h", text) heading, ("p", text) paragraph,
("n", text) an auto-numbered list item (the number is Word's, not the text's: the
``.txt`` writes ``1.`` itself), ("t", rows) a table. Each writer lays it out as that
format's publishers do: a crawl one cell per line, a CMS page with its chrome, a Word
file with a real table, a PDF with a CJK font.
"""

from __future__ import annotations

import glob
from pathlib import Path

DIGITAL = [
    ("h", "黄陂区推进制造业数字化转型实施方案"),
    ("p", "陂政办〔2025〕5号"),
    ("p", "为加快全区制造业数字化转型，结合我区实际，制定本方案。"),
    ("h", "一、总体目标"),
    ("p", "到2027年，全区规模以上工业企业数字化改造覆盖率达到80%，数字经济核心产业增加值达到120亿元。"),
    ("h", "二、重点任务"),
    ("p", "（一）推进企业上云用平台。支持中小企业上云，培育工业互联网平台3个。"
          "（责任单位：区经信局、区科技局）"),
    ("p", "（二）建设智能工厂。每年新建智能工厂5家以上。（牵头单位：区经信局；责任单位：区发改局、区财政局）"),
    ("p", "（三）强化人才支撑。引进数字化人才500名。（责任单位：区人社局）"),
    ("h", "三、保障措施"),
    ("p", "（一）加强组织领导。成立工作专班，统筹推进各项任务。"),
    ("p", "黄陂区人民政府办公室"),
    ("p", "2025年3月10日"),
]

BUSINESS = [
    ("h", "黄陂区优化营商环境重点任务实施方案"),
    ("h", "一、工作目标"),
    ("p", "到2026年，全区固定资产投资达到800亿元，新增市场主体2万户。"),
    ("h", "二、重点任务"),
    ("p", "（一）深化政务服务改革。推行“一网通办”，实现高频事项全程网办。（责任单位：区政务服务局）"),
    ("h", "三、任务分解"),
    ("p", "黄陂区优化营商环境重点任务分解表"),
    ("t", [["序号", "任务", "牵头单位", "责任单位"],
           ["1", "压缩企业开办时间至1个工作日。", "区市场监管局", "区政务服务局、区税务局"],
           ["2", "推进工程建设项目审批改革，审批时间压减至40个工作日。", "区住建局",
            "区自然资源和规划局"],
           ["3", "加大惠企政策兑现力度。", "区发改局", "区财政局、各街道"]]),
]

VEHICLES = [
    ("h", "黄陂区加快新能源汽车推广应用工作方案"),
    ("h", "一、发展目标"),
    ("p", "到2026年，全区新能源汽车保有量达到3万辆，建成公共充电桩2000个。"),
    ("h", "二、主要任务"),
    ("n", "加快充电设施建设。在公共停车场配建充电桩。（牵头单位：区发改局；责任单位：区城管执法局、区供电公司）"),
    ("n", "推广公交车电动化。更新新能源公交车200辆。（责任单位：区交通运输局）"),
    ("n", "落实购车补贴政策。按季度兑现补贴资金。（责任单位：区商务局、区财政局）"),
    ("h", "三、保障措施"),
    ("p", "各街道、各部门要加强协调配合，确保各项任务落实到位。"),
]

DOCUMENTS = {"digital": DIGITAL, "business": BUSINESS, "vehicles": VEHICLES}


def _numbered(blocks):
    n = 0
    for kind, body in blocks:
        n = n + 1 if kind == "n" else 0
        yield ("p", f"{n}.{body}") if kind == "n" else (kind, body)


def write_txt(blocks, path: Path) -> Path:
    """The crawl: one paragraph per line, a table one cell per line."""
    lines = []
    for kind, body in _numbered(blocks):
        lines.extend([c for row in body for c in row] if kind == "t" else [body])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_html(blocks, path: Path, encoding: str = "utf-8") -> Path:
    """A government CMS page: header, nav, breadcrumbs, info block, article, print bar,
    footer; metadata in ``<meta>`` tags."""
    title = blocks[0][1]
    number = next((b for k, b in blocks[1:2] if k == "p" and b.endswith("号")), "")
    body = []
    for kind, text in _numbered(blocks[1:]):
        if kind == "t":
            rows = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>"
                           for row in text)
            body.append(f'<table border="1" cellspacing="0">{rows}</table>')
        elif kind == "h":
            body.append(f'<p style="text-indent:2em"><strong>{text}</strong></p>')
        else:
            body.append(f'<p style="text-indent:2em">{text}</p>')
    charset = "gbk" if encoding == "gbk" else "utf-8"
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2025-03-12 09:30">
<meta name="ContentSource" content="黄陂区人民政府办公室">
<title>{title}_政策文件_黄陂区人民政府</title>
<script>var _hmt = _hmt || [];</script><style>.nav li {{ float: left; }}</style></head>
<body>
<div class="header"><div class="logo">黄陂区人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="bread">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="xxgk-info"><table>
<tr><td>索引号：</td><td>011043528/2025-01234</td><td>主题分类：</td><td>工业、交通</td></tr>
<tr><td>发布机构：</td><td>黄陂区人民政府办公室</td><td>成文日期：</td><td>2025-03-10</td></tr>
<tr><td>发文字号：</td><td>{number}</td><td>发布日期：</td><td>2025-03-12</td></tr>
</table></div>
<div class="article"><h1 class="article-title">{title}</h1>
<div class="article-meta">来源：黄陂区人民政府办公室　发布时间：2025-03-12　浏览次数：1024</div>
<div class="TRS_Editor">
{chr(10).join(body)}
</div></div>
<div class="print-bar">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="related"><h3>相关文章</h3><ul><li><a href="/1.html">黄陂区召开营商环境优化推进会议</a></li></ul></div>
<div class="footer"><p>主办单位：黄陂区人民政府办公室</p><p>版权所有：黄陂区人民政府　鄂ICP备00000000号</p></div>
</body></html>
"""
    path.write_bytes(page.encode("gb18030" if encoding == "gbk" else encoding))
    return path


def write_docx(blocks, path: Path) -> Path:
    """A Word file: title, paragraphs, ``List Number`` items (Word numbers them), a real
    table in the Table Grid style."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(blocks[0][1], style="Title")
    for kind, body in blocks[1:]:
        if kind == "t":
            table = doc.add_table(rows=len(body), cols=len(body[0]))
            table.style = "Table Grid"
            for r, row in enumerate(body):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        elif kind == "h":
            doc.add_paragraph(body, style="Heading 1")
        elif kind == "n":
            doc.add_paragraph(body, style="List Number")
        else:
            doc.add_paragraph(body)
    doc.save(path)
    return path


def cjk_font() -> str | None:
    """A CJK TrueType font on this machine (``make browser`` installs WenQuanYi Zen Hei)."""
    for pattern in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                    "/usr/share/fonts/**/*[Nn]oto*CJK*.tt[cf]",
                    "/usr/share/fonts/**/*wqy*.tt[cf]"):
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def write_pdf(blocks, path: Path, *, text_layer: bool = True) -> Path:
    """A PDF as an office prints one: A4, running header and page numbers on each page,
    lines wrapped at the margin, the table with ruled cells (its header row repeated on
    a new page). ``text_layer=False`` draws
    only a picture (a scan)."""
    from fpdf import FPDF

    class Page(FPDF):
        def header(self):
            if text_layer and self.page_no() > 1:  # a running header after the first page
                self.set_font("cjk", size=9)
                self.cell(0, 8, "黄陂区人民政府办公室", align="C")
                self.ln(12)

        def footer(self):
            if not text_layer:
                return
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Page(format="A4")
    if not text_layer:
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")  # the scanned page: an image, no text
        pdf.output(str(path))
        return path
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for kind, body in _numbered(blocks):
        if kind == "t":
            pdf.set_font("cjk", size=10)
            with pdf.table(col_widths=(12, 80, 38, 40), text_align="LEFT",
                           first_row_as_headings=False) as table:
                for row in body:
                    cells = table.row()
                    for c in row:
                        cells.cell(c)
            pdf.ln(4)
            continue
        pdf.set_font("cjk", size=16 if body is blocks[0][1] else 12)
        pdf.multi_cell(0, 8, body, align="C" if body == blocks[0][1] else "L")
        pdf.ln(2)
    pdf.output(str(path))
    return path

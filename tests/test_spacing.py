"""PDF spaces between Chinese characters: dropped inside a known name, a separator
between two complete names, kept otherwise (names from the data tables)."""

from __future__ import annotations

import pytest
from policykg.extract.normalize import normalize, normalize_name
from policykg.extract.spacing import space_role


@pytest.mark.parametrize(
    ("left", "right", "role"),
    [
        ("市发展", "改革委", "drop"),
        ("区市场", "监管局", "drop"),
        ("省人力资源", "社会保障厅", "drop"),
        ("荆", "州市", "drop"),  # a region name completed
        ("市发改委", "市财政局", "separator"),
        ("省经信厅", "省科技厅", "separator"),
        ("市商务局", "宜昌市商务局", "separator"),
        ("中共湖北省委", "湖北省人民政府", "keep"),
        ("盘活低效用地", "提升产业能级", "keep"),
    ],
)
def test_space_role(left, right, role):
    assert space_role(left, right) == role


def test_pdf_spaces_in_a_responsibility_clause():
    raw = "加快园区改造。（责任单位：市发展 改革委 市市场 监管局 市财政局）\n"
    source = normalize(raw, "pdf.txt")
    assert source.text == "加快园区改造。（责任单位：市发展改革委、市市场监管局、市财政局）"
    sep = source.text.index("、")
    assert source.raw[source.offsets[sep]] == " "  # one character for one character


def test_agency_names_get_the_same_rule():
    assert normalize_name("市场 监管局") == "市场监管局"
    assert normalize_name("区发改委 区住建局") == "区发改委、区住建局"

"""Agencies across levels: level-neutral function labels, classifications, counterparts."""

from policykg.extract.agencies import departments
from policykg.extract.agencies.data import Department
from policykg.extract.agencies.levels import classification, counterparts, function_label
from policykg.extract.model import Agency
from policykg.extract.places.gazetteer import Gazetteer


def _dept(key, province, city="", district=""):
    city = city or province
    names = {"province": province, "city": city, "district": district or city}
    return Department(key, "government-department", names, {}, ())


def test_function_labels_have_no_place_template_and_no_level():
    assert function_label(_dept("p", "中共{region}委宣传部")) == "党委宣传部"
    assert function_label(_dept("t", "国家税务总局{region}税务局")) == "税务局"
    # a level-specific name is not the label of the lower levels' bodies
    assert function_label(_dept("c", "高级人民法院", "中级人民法院", "人民法院")) == "人民法院"
    assert function_label(_dept("e", "经济和信息化厅", "经济和信息化局")) == "经济和信息化厅"


def test_every_shipped_function_label_is_well_formed():
    for d in departments():
        label = function_label(d)
        assert "{" not in label and not label.startswith("委"), (d.key, label)
        assert "中共委" not in label and "总局税务局" not in label, (d.key, label)


def test_a_body_that_is_no_department_type_is_classified_by_its_kind():
    bank = Agency("x-bank", "某银行襄阳分行", None, "bank", "xiangyang")
    firm = Agency("x-firm", "襄阳产业投资集团有限公司", None, "enterprise", "xiangyang")
    dept = Agency("x-kj", "襄阳市科学技术局", None, "government-department", "xiangyang",
                  function="science-and-technology")
    assert classification(bank) == "bank"
    assert classification(firm) == "enterprise"
    assert classification(dept) == "science-and-technology"


def test_a_city_bureau_is_the_counterpart_of_the_provincial_department():
    g = Gazetteer.load()
    a = [
        Agency("hb-kj", "湖北省科学技术厅", None, "government-department", "hubei",
               function="science-and-technology"),
        Agency("xy-kj", "襄阳市科学技术局", None, "government-department", "xiangyang",
               function="science-and-technology"),
        Agency("xz-kj", "襄阳市襄州区科学技术局", None, "government-department",
               "xiangyang-xiangzhou", function="science-and-technology"),
        Agency("xz-cz", "襄阳市襄州区财政局", None, "government-department",
               "xiangyang-xiangzhou", function="finance"),
        Agency("hb-cz", "湖北省财政厅", None, "government-department", "hubei",
               function="finance"),
        Agency("xy-groups", "襄阳市各区科学技术局", None, "group", "xiangyang", is_group=True,
               function="science-and-technology"),
    ]
    found = counterparts(a, g)
    assert found == {
        "xy-kj": "hb-kj",  # the city bureau → the provincial department
        "xz-kj": "xy-kj",  # the district bureau → the city bureau (the nearest level)
        "xz-cz": "hb-cz",  # no city finance bureau met: the next level up
    }

import pytest

from cleanprod.regions.loader import load_regions, parse_divisions
from cleanprod.regions.models import Level, Region

pytestmark = pytest.mark.django_db


def test_tree_has_the_official_counts() -> None:
    assert Region.objects.filter(level=Level.PROVINCE).count() == 34
    assert Region.objects.filter(level=Level.PREFECTURE).count() == 333
    assert Region.objects.filter(level=Level.COUNTY).count() == 2846
    assert Region.objects.count() == 3213


def test_province_administered_units_hang_under_their_province() -> None:
    xiantao = Region.objects.get(code="429004")
    assert xiantao.parent_id == "420000"
    assert xiantao.full_name == "湖北省仙桃市"
    assert [r.code for r in xiantao.ancestors()] == ["420000"]


def test_municipal_districts_hang_under_the_municipality() -> None:
    assert Region.objects.get(code="110105").parent_id == "110000"


def test_county_ancestors_and_descendants() -> None:
    nanshan = Region.objects.get(code="440305")
    assert [r.code for r in nanshan.ancestors()] == ["440000", "440300"]
    assert nanshan.full_name == "广东省深圳市南山区"
    shenzhen = Region.objects.get(code="440300")
    codes = set(shenzhen.descendants().values_list("code", flat=True))
    assert "440305" in codes and "440300" not in codes and all(c.startswith("4403") for c in codes)
    guangdong = Region.objects.get(code="440000")
    assert guangdong.descendants().filter(level=Level.PREFECTURE).count() == 21


def test_lookup_by_name_and_code() -> None:
    assert Region.objects.get(code="440300").name == "深圳市"
    chaoyang = set(Region.objects.by_name("朝阳区").values_list("code", flat=True))
    assert {"110105", "220104"} <= chaoyang
    assert list(Region.objects.by_name("北京市朝阳区").values_list("code", flat=True)) == ["110105"]


def test_leaves_include_prefectures_without_counties() -> None:
    leaves = Region.objects.leaves()
    assert leaves.filter(code="441900").exists()  # 东莞市 has no county-level children
    assert not leaves.filter(code="440300").exists()


def test_reload_changes_nothing_and_repairs_edits() -> None:
    assert load_regions() == 0
    Region.objects.filter(code="440305").update(name="改名区")
    assert load_regions() == 1
    assert Region.objects.get(code="440305").name == "南山区"


def test_parse_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match="第2行"):
        parse_divisions("110000 北京市\n11x000 坏\n")
    with pytest.raises(ValueError, match="上级"):
        parse_divisions("110101 东城区\n")

import pytest
from django.core.exceptions import ValidationError

from cleanprod.industries.models import Industry
from cleanprod.regions.models import Region
from cleanprod.registry.models import Enterprise, Expert
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _unsaved(uscc: str, region: str = "440305") -> Enterprise:
    return Enterprise(uscc=uscc, name="某企业", region_id=region, industry_code="3360")


def test_model_validation_refuses_wrong_check_character() -> None:
    with pytest.raises(ValidationError) as err:
        _unsaved("9144030010001686XB").full_clean()
    assert "uscc" in err.value.message_dict
    assert "校验码错误" in err.value.message_dict["uscc"][0]


def test_model_validation_accepts_valid_code() -> None:
    _unsaved("9144030010001686XA").full_clean()


def test_enterprise_must_sit_in_a_leaf_region() -> None:
    with pytest.raises(ValidationError) as err:
        _unsaved("9144030010001686XA", region="440300").full_clean()
    assert "region" in err.value.message_dict
    _unsaved("9144030010001686XA", region="441900").full_clean()  # 东莞: no counties below


def test_unknown_division_is_refused() -> None:
    e = _unsaved("9144030010001686XA")
    e.industry_code = "9911"
    with pytest.raises(ValidationError) as err:
        e.full_clean()
    assert "industry_code" in err.value.message_dict


def test_park_must_contain_the_enterprise() -> None:
    park = factories.park(region="440300")
    inside = _unsaved("9144030010001686XA")
    inside.park = park
    inside.full_clean()
    outside = _unsaved("9144030010001686XA", region="110105")
    outside.park = park
    with pytest.raises(ValidationError) as err:
        outside.full_clean()
    assert "park" in err.value.message_dict


def test_derived_province_prefecture_and_groups() -> None:
    e = factories.enterprise(region="440305", industry="3360")
    assert e.province.code == "440000"
    assert e.prefecture.code == "440300"
    slugs = {g.slug for g in e.industry_groups()}
    assert slugs == {"twelfth-heavy-metal", "twelfth-key", "fourteenth-key", "fourteenth-pilot"}
    xiantao = factories.enterprise(region="429004", industry="1340")
    assert xiantao.province.code == "420000" and xiantao.prefecture is None
    assert {g.slug for g in xiantao.industry_groups()} == {
        "twelfth-major-pollutant",
        "twelfth-key",
        "fourteenth-key",
        "fourteenth-pilot",
    }


def test_in_region_selects_the_subtree() -> None:
    a = factories.enterprise(region="440305")
    b = factories.enterprise(region="440106")
    c = factories.enterprise(region="110105")
    gd = Region.objects.get(code="440000")
    sz = Region.objects.get(code="440300")
    assert set(Enterprise.objects.in_region(gd)) == {a, b}
    assert set(Enterprise.objects.in_region(sz)) == {a}
    assert set(Enterprise.objects.in_region(Region.objects.get(code="110105"))) == {c}


def test_expert_employer_must_be_named() -> None:
    e = Expert(
        name="李",
        title=Expert.Title.SENIOR,
        region_id="440305",
        employer_kind=Expert.EmployerKind.ENTERPRISE,
    )
    with pytest.raises(ValidationError) as err:
        e.full_clean()
    assert "employer_enterprise" in err.value.message_dict


def test_agency_filing_dates_in_order() -> None:
    from datetime import date

    agency = factories.agency()
    agency.valid_from, agency.valid_until = date(2024, 1, 1), date(2023, 1, 1)
    with pytest.raises(ValidationError) as err:
        agency.full_clean()
    assert "valid_until" in err.value.message_dict
    agency.industry_scope.add(Industry.objects.get(code="33"))
    assert list(agency.industry_scope.values_list("code", flat=True)) == ["33"]

from io import StringIO

import pytest
from django.core.management import call_command

from cleanprod.core.codes import uscc_problem
from cleanprod.demo.registry import org_code
from cleanprod.registry.models import Agency, AgencyStaff, Enterprise, Expert, Park
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[str, str, str, str]]:
    return list(
        Enterprise.objects.order_by("uscc").values_list(
            "uscc", "name", "region_id", "industry_code"
        )
    )


def test_org_codes_carry_a_valid_gb11714_check() -> None:
    # 10001686-X is the organisation code inside the real USCC 9144030010001686XA.
    body, weights = "10001686", (3, 7, 9, 10, 5, 8, 4, 2)
    assert 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11 == 10  # "X"
    codes = {org_code(n) for n in range(20000)}
    assert len(codes) == 20000
    for code in list(codes)[:500]:
        total = sum(int(c) * w for c, w in zip(code[:8], weights, strict=True))
        assert code[8] == {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def test_demo_is_reproducible_valid_and_national() -> None:
    real = factories.enterprise(name="真实企业")
    call_command("demo", "--enterprises", "3000", "--seed", "7", stdout=StringIO())
    first = _snapshot()
    synthetic = Enterprise.objects.filter(synthetic=True)
    assert synthetic.count() == 3000
    assert all(uscc_problem(u) is None for u in synthetic.values_list("uscc", flat=True))
    provinces = {r[:2] for r in synthetic.values_list("region_id", flat=True)}
    assert len(provinces) == 31  # every mainland province
    assert synthetic.filter(industry_code__startswith="3360").exists()
    assert Park.objects.filter(synthetic=True).count() >= 8
    assert Agency.objects.filter(synthetic=True).count() == 10
    assert AgencyStaff.objects.filter(synthetic=True).count() >= 30
    assert Expert.objects.filter(synthetic=True).count() == 20
    assert all(e.specialties.exists() for e in Expert.objects.filter(synthetic=True))

    # Same seed: the same data; the real enterprise is untouched.
    call_command("demo", "--enterprises", "3000", "--seed", "7", stdout=StringIO())
    assert _snapshot() == first
    assert Enterprise.objects.filter(pk=real.pk, synthetic=False).exists()

    # Another seed: other data, and the previous synthetic rows are replaced, not added.
    call_command("demo", "--enterprises", "1000", "--seed", "8", stdout=StringIO())
    assert Enterprise.objects.filter(synthetic=True).count() == 1000
    assert _snapshot() != first


def test_if_empty_keeps_existing_demo() -> None:
    call_command("demo", "--enterprises", "500", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--enterprises", "900", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert Enterprise.objects.filter(synthetic=True).count() == 500


def test_synthetic_rows_are_marked_on_pages(national_client) -> None:
    call_command("demo", "--enterprises", "200", stdout=StringIO())
    e = Enterprise.objects.filter(synthetic=True).first()
    assert e is not None
    assert "badge text-bg-warning" in national_client.get(e.get_absolute_url()).content.decode()
    assert "badge text-bg-warning" in national_client.get("/registry/enterprises/").content.decode()

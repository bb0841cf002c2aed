"""Account pages: user management, invitations, password reset and change, my account,
registrations and their approval."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from knox.models import AuthToken

from cleanprod.accounts.models import User
from cleanprod.accounts.tests.factories import PASSWORD, authority, user
from cleanprod.demo.registry import synthetic_uscc
from cleanprod.jobs.testing import run_queued_tasks
from cleanprod.notifications.models import Notification
from cleanprod.registry.models import Agency, AgencyStaff, Enterprise, Expert
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-New-Passw0rd-7"


@pytest.fixture
def gd_admin() -> User:
    return authority("gd_admin", "440000", role="administrator", email="gd@example.cn")


@pytest.fixture
def sz_officer() -> User:
    return authority("sz_officer", "440300", role="officer", email="sz@example.cn")


@pytest.fixture
def bj_officer() -> User:
    return authority("bj_officer", "110000", role="officer", email="bj@example.cn")


def officer_data(**kw: Any) -> dict[str, Any]:
    data = {
        "username": "sz_new",
        "last_name": "张",
        "first_name": "三",
        "email": "zhang@example.cn",
        "party": "authority",
        "department": "mee",
        "role": "officer",
        "region": "440300",
        "organisation": "",
    }
    data.update(kw)
    return data


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0)


def set_password_through(link: str, password: str = NEW_PASSWORD) -> Any:
    """Follow a set-password link as an anonymous visitor and choose ``password``."""
    assert link.startswith(settings.CLEANPROD_BASE_URL + "/accounts/password/reset/")
    visitor = Client()
    response = visitor.get(link.removeprefix(settings.CLEANPROD_BASE_URL), follow=True)
    assert response.status_code == 200 and "new_password1" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    return visitor.post(form_url, {"new_password1": password, "new_password2": password})


def test_provincial_admin_creates_shenzhen_officer_who_is_invited(
    client: Client, gd_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(gd_admin)
    page = client.get("/accounts/users/add/").content.decode()
    assert 'value="440300"' in page  # Shenzhen among the prefectures offered
    assert 'value="110000"' not in page and "北京" not in page  # Beijing is not

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/users/add/", officer_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    officer = User.objects.get(username="sz_new")
    assert (officer.party, officer.role, officer.region_id) == ("authority", "officer", "440300")
    assert not officer.has_usable_password()

    run_queued_tasks()
    invitation = mail.outbox[-1]
    assert invitation.to == ["zhang@example.cn"] and "sz_new" in invitation.body
    done = set_password_through(link_in(invitation))
    assert done.status_code == 302 and done.url == "/accounts/password/reset/complete/"
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert Client().login(username="sz_new", password=NEW_PASSWORD)
    # The link works once.
    again = Client().get(link_in(invitation).removeprefix(settings.CLEANPROD_BASE_URL), follow=True)
    assert "new_password1" not in again.content.decode()


def test_forged_post_for_a_beijing_officer_is_refused(client: Client, gd_admin: User) -> None:
    client.force_login(gd_admin)
    response = client.post("/accounts/users/add/", officer_data(region="110000"))
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    national = client.post("/accounts/users/add/", officer_data(region=""))
    assert national.context["form"].errors["region"]
    assert not User.objects.filter(username="sz_new").exists()


def test_admin_creates_enterprise_account_found_by_uscc(client: Client, gd_admin: User) -> None:
    ent = factories.enterprise(region="440305", name="深圳南山电镀有限公司")
    beijing = factories.enterprise(region="110105", name="北京朝阳电镀有限公司")
    client.force_login(gd_admin)
    refused = client.post(
        "/accounts/users/add/",
        officer_data(username="bj_ent", party="enterprise", organisation=beijing.uscc),
    )
    assert refused.context["form"].errors["organisation"]
    response = client.post(
        "/accounts/users/add/",
        officer_data(username="nanshan", party="enterprise", organisation=ent.uscc.lower()),
    )
    assert response.status_code == 302
    account = User.objects.get(username="nanshan")
    assert account.enterprise == ent and account.region is None and account.party == "enterprise"


def test_officer_cannot_open_user_management(client: Client, sz_officer: User) -> None:
    client.force_login(sz_officer)
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/add/").status_code == 403
    assert client.post("/accounts/users/add/", officer_data()).status_code == 403
    assert not User.objects.filter(username="sz_new").exists()


def test_user_list_is_scoped_and_searchable(
    client: Client, gd_admin: User, sz_officer: User, bj_officer: User
) -> None:
    authority("gz_viewer", "440100", role="viewer", email="gz@example.cn")
    client.force_login(gd_admin)
    page = client.get("/accounts/users/").content.decode()
    assert "sz_officer" in page and "gz_viewer" in page and "bj_officer" not in page
    found = client.get("/accounts/users/", {"q": "sz@"}).content.decode()
    assert "sz_officer" in found and "gz_viewer" not in found
    shenzhen = client.get("/accounts/users/", {"region": "440300"}).content.decode()
    assert "sz_officer" in shenzhen and "gz_viewer" not in shenzhen


def test_admin_cannot_raise_its_own_role_or_region(client: Client) -> None:
    admin = authority("sz_admin", "440300", role="administrator", email="a@example.cn")
    client.force_login(admin)
    page = client.get(f"/accounts/users/{admin.pk}/")
    form = page.context["form"]
    assert form.fields["region"].disabled and form.fields["role"].disabled
    assert not form.fields["email"].disabled
    response = client.post(
        f"/accounts/users/{admin.pk}/",
        officer_data(
            username="sz_admin", region="440000", role="administrator", email="new@example.cn"
        ),
    )
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.region_id == "440300" and admin.email == "new@example.cn"
    # Nor deactivate itself, nor reach a national account.
    assert client.post(f"/accounts/users/{admin.pk}/active/").status_code == 302
    admin.refresh_from_db()
    assert admin.is_active
    national = authority("nat_admin", None, role="administrator")
    assert client.get(f"/accounts/users/{national.pk}/").status_code == 404


def test_service_refuses_identity_change_of_own_account(gd_admin: User) -> None:
    from django import forms
    from django.core.exceptions import PermissionDenied

    from cleanprod.accounts.services import save_user

    class Forged(forms.ModelForm):
        class Meta:
            model = User
            fields = ["region", "email"]

    form = Forged({"region": "", "email": "x@example.cn"}, instance=gd_admin)
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        save_user(gd_admin, form, "change")
    gd_admin.refresh_from_db()
    assert gd_admin.region_id == "440000" and gd_admin.email == "gd@example.cn"


def test_deactivation_blocks_login_and_reactivation_restores_it(
    client: Client, gd_admin: User, sz_officer: User
) -> None:
    client.force_login(gd_admin)
    confirm = client.get(f"/accounts/users/{sz_officer.pk}/active/")
    assert confirm.status_code == 200 and "sz_officer" in confirm.content.decode()
    client.post(f"/accounts/users/{sz_officer.pk}/active/")
    sz_officer.refresh_from_db()
    assert not sz_officer.is_active
    assert not Client().login(username="sz_officer", password=PASSWORD)
    client.post(f"/accounts/users/{sz_officer.pk}/active/")
    assert Client().login(username="sz_officer", password=PASSWORD)


def registration(uscc: str, **kw: Any) -> dict[str, Any]:
    data = {
        "uscc": uscc,
        "name": "深圳南山新材料有限公司",
        "region": "440305",
        "industry_code": "3360",
        "contact_name": "李四",
        "contact_phone": "0755-12345678",
        "email": "li@example.cn",
        "username": "nanshan_new",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(kw)
    return data


def test_enterprise_registers_and_shenzhen_officer_activates_it(
    client: Client,
    sz_officer: User,
    bj_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    uscc = synthetic_uscc(901, "440305")
    response = client.post("/accounts/register/enterprise/", registration(uscc))
    assert response.status_code == 200 and 'id="message-text"' in response.content.decode()
    account = User.objects.get(username="nanshan_new")
    assert not account.is_active and account.awaiting_approval
    assert account.enterprise.uscc == uscc and account.enterprise.region_id == "440305"
    assert not Client().login(username="nanshan_new", password=NEW_PASSWORD)
    assert Notification.objects.filter(user=sz_officer).exists()
    assert not Notification.objects.filter(user=bj_officer).exists()

    beijing = Client()
    beijing.force_login(bj_officer)
    assert "nanshan_new" not in beijing.get("/accounts/pending/").content.decode()
    assert beijing.post("/accounts/pending/", {"pk": account.pk}).status_code == 404

    shenzhen = Client()
    shenzhen.force_login(sz_officer)
    assert "nanshan_new" in shenzhen.get("/accounts/pending/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        shenzhen.post("/accounts/pending/", {"pk": account.pk, "decision": "approve"})
    account.refresh_from_db()
    assert account.is_active and not account.awaiting_approval and account.enterprise.active
    run_queued_tasks()
    assert any(m.to == ["li@example.cn"] for m in mail.outbox)
    assert Client().login(username="nanshan_new", password=NEW_PASSWORD)
    assert f'id="pending-{account.pk}"' not in shenzhen.get("/accounts/pending/").content.decode()


def test_registration_refuses_uscc_with_an_active_account(client: Client) -> None:
    ent = factories.enterprise(region="440305")
    user("holder", party="enterprise", enterprise=ent)
    response = client.post("/accounts/register/enterprise/", registration(ent.uscc))
    errors = response.context["form"].errors["uscc"]
    assert "已有账户" in errors[0] or "already has an account" in errors[0]
    assert ent.name not in response.content.decode()
    assert not User.objects.filter(username="nanshan_new").exists()


def test_registration_with_bad_check_character_is_refused(client: Client) -> None:
    uscc = synthetic_uscc(902, "440305")
    bad = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    response = client.post("/accounts/register/enterprise/", registration(bad))
    assert response.context["form"].errors["uscc"]
    assert not Enterprise.objects.filter(uscc=bad).exists()


def test_registration_keeps_the_registered_region(client: Client, sz_officer: User) -> None:
    ent = factories.enterprise(region="440305", name="深圳南山电镀有限公司")
    client.post("/accounts/register/enterprise/", registration(ent.uscc, region="440106"))
    account = User.objects.get(username="nanshan_new")
    ent.refresh_from_db()
    assert account.enterprise == ent and ent.region_id == "440305"
    assert "440106" not in ent.region_id and "天河区" in account.application_note
    shenzhen = Client()
    shenzhen.force_login(sz_officer)
    assert "天河区" in shenzhen.get("/accounts/pending/").content.decode()


def test_password_reset_end_to_end(client: Client, sz_officer: User) -> None:
    response = client.post("/accounts/password/reset/", {"email": "sz@example.cn"})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    done = set_password_through(link_in(mail.outbox[0]))
    assert done.status_code == 302
    assert Client().login(username="sz_officer", password=NEW_PASSWORD)
    assert "忘记密码" in client.get("/accounts/login/").content.decode()
    # An unknown address gets the same answer and no mail.
    client.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert len(mail.outbox) == 1


def test_password_change_revokes_api_tokens(client: Client, sz_officer: User) -> None:
    AuthToken.objects.create(user=sz_officer)
    client.force_login(sz_officer)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=sz_officer).exists()
    assert client.get("/accounts/me/").status_code == 200  # still logged in


def test_my_account_edits_name_and_email_only(client: Client, sz_officer: User) -> None:
    client.force_login(sz_officer)
    page = client.get("/accounts/me/").content.decode()
    assert "深圳市" in page and 'name="role"' not in page
    client.post(
        "/accounts/me/",
        {"last_name": "王", "first_name": "五", "email": "w@example.cn", "role": "administrator"},
    )
    sz_officer.refresh_from_db()
    assert (sz_officer.last_name, sz_officer.email, sz_officer.role) == (
        "王",
        "w@example.cn",
        "officer",
    )


def test_my_organisation_leads_to_the_edit_page(client: Client) -> None:
    ent = factories.enterprise(region="440305")
    holder = user("holder", party="enterprise", enterprise=ent)
    client.force_login(holder)
    response = client.get("/accounts/organisation/")
    assert response.status_code == 302 and response.url == f"/registry/enterprises/{ent.pk}/edit/"
    assert client.get(response.url).status_code == 200


def test_agency_applies_and_is_filed(client: Client, sz_officer: User) -> None:
    uscc = synthetic_uscc(903, "440305")
    data = {
        "uscc": uscc,
        "name": "深圳清洁生产咨询有限公司",
        "region": "440305",
        "address": "深圳市南山区科技园",
        "phone": "0755-88888888",
        "industry_scope": ["33"],
        "email": "agency@example.cn",
        "username": "agency_new",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "staff-TOTAL_FORMS": "2",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "1",
        "staff-MAX_NUM_FORMS": "1000",
        "staff-0-name": "赵六",
        "staff-0-certificate_no": "QJSC-2026-001",
        "staff-0-valid_until": "2028-12-31",
    }
    none = {k: v for k, v in data.items() if not k.startswith("staff-0")}
    refused = client.post("/accounts/register/agency/", none)
    assert refused.status_code == 200 and not Agency.objects.filter(uscc=uscc).exists()
    client.post("/accounts/register/agency/", data)
    agency = Agency.objects.get(uscc=uscc)
    assert not agency.published
    assert AgencyStaff.objects.get(agency=agency).certificate_no == "QJSC-2026-001"
    account = User.objects.get(username="agency_new")
    assert not account.is_active
    officer = Client()
    officer.force_login(sz_officer)
    officer.post("/accounts/pending/", {"pk": account.pk, "decision": "approve"})
    agency.refresh_from_db()
    account.refresh_from_db()
    assert agency.published and account.is_active


def test_expert_applies_and_joins_the_pool(client: Client, sz_officer: User) -> None:
    client.post(
        "/accounts/register/expert/",
        {
            "name": "钱七",
            "title": "senior",
            "region": "440300",
            "specialties": ["33"],
            "employer": "华南理工大学",
            "phone": "13800000000",
            "email": "qian@example.cn",
            "username": "expert_new",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    account = User.objects.get(username="expert_new")
    assert not account.is_active and not account.expert.active
    officer = Client()
    officer.force_login(sz_officer)
    officer.post("/accounts/pending/", {"pk": account.pk, "decision": "approve"})
    expert = Expert.objects.get(pk=account.expert_id)
    account.refresh_from_db()
    assert expert.active and account.is_active


def test_refused_registration_leaves_the_pending_list(client: Client, sz_officer: User) -> None:
    client.post("/accounts/register/enterprise/", registration(synthetic_uscc(904, "440305")))
    account = User.objects.get(username="nanshan_new")
    officer = Client()
    officer.force_login(sz_officer)
    officer.post("/accounts/pending/", {"pk": account.pk, "decision": "reject", "reason": "虚假"})
    account.refresh_from_db()
    assert not account.is_active and not account.awaiting_approval
    assert "虚假" in account.application_note


def test_deactivated_enterprise_cannot_register(client: Client, gd_admin: User) -> None:
    from cleanprod.platform.services import deactivate

    ent = factories.enterprise(region="440305")
    deactivate(gd_admin, ent, "关停")
    response = client.post("/accounts/register/enterprise/", registration(ent.uscc))
    assert response.context["form"].errors["uscc"]
    assert not User.objects.filter(username="nanshan_new").exists()


def test_registration_pages_link_each_other(client: Client) -> None:
    page = client.get("/accounts/register/enterprise/").content.decode()
    assert "/accounts/register/agency/" in page and "/accounts/register/expert/" in page
    assert client.get("/accounts/register/agency/").status_code == 200
    assert client.get("/accounts/register/expert/").status_code == 200


def test_invited_account_can_renew_its_link_by_password_reset(
    client: Client, gd_admin: User
) -> None:
    client.force_login(gd_admin)
    client.post("/accounts/users/add/", officer_data())  # invitation never used
    response = Client().post("/accounts/password/reset/", {"email": "zhang@example.cn"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    set_password_through(link_in(mail.outbox[0]))
    assert Client().login(username="sz_new", password=NEW_PASSWORD)


def test_pending_account_is_not_activated_by_the_reactivate_button(
    client: Client, gd_admin: User
) -> None:
    Client().post("/accounts/register/enterprise/", registration(synthetic_uscc(905, "440305")))
    account = User.objects.get(username="nanshan_new")
    client.force_login(gd_admin)
    client.post(f"/accounts/users/{account.pk}/active/")
    account.refresh_from_db()
    assert not account.is_active and account.awaiting_approval


def test_national_administrator_cannot_deactivate_a_superuser(client: Client) -> None:
    root = User.objects.create_superuser("root", "root@example.cn", PASSWORD)
    client.force_login(authority("nat_admin", None, role="administrator"))
    client.post(f"/accounts/users/{root.pk}/active/")
    root.refresh_from_db()
    assert root.is_active

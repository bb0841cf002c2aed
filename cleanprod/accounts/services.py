"""Writes to accounts: one transaction, the same scope rules as the API, change logged.

Administrators create and change users through :func:`save_user` (the registry's
``save_form``: ``can`` before and after, ``check_fields`` for a change); a user changes its own
name and e-mail the same way, where ``check_fields`` refuses the rest. Anonymous visitors
register an enterprise or apply as an agency or expert (:func:`register_enterprise` …): the
account stays inactive until an authority whose scope covers the organisation approves it
(:func:`approve`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.urls import reverse
from django.utils.translation import gettext as _

from cleanprod.accounts.models import Party, Role, User
from cleanprod.accounts.tasks import send_invitation
from cleanprod.notifications.services import notify
from cleanprod.platform.permissions import ADD, CHANGE, can, can_any, check_fields, party_of
from cleanprod.platform.services import save_form
from cleanprod.regions.models import Region
from cleanprod.registry.models import Agency, AgencyStaff, Enterprise, Expert

# Roles that act on registrations (a viewer only reads).
APPROVING_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)


@transaction.atomic
def save_user(actor: Any, form: ModelForm, action: str) -> User:
    """Save a user form as ``actor`` (an administrator, or the user itself for its own account).

    A new account gets no password: an invitation with a "set your password" link is e-mailed
    after the transaction commits.
    """
    if action == ADD:
        form.instance.set_unusable_password()
    else:
        _refuse_superuser_target(actor, form.instance)
    user: User = save_form(actor, form, action)  # type: ignore[assignment]
    if action == ADD and user.email:
        transaction.on_commit(partial(send_invitation.enqueue, user.pk), robust=True)
    return user


@transaction.atomic
def set_active(actor: Any, target: User, active: bool) -> User:
    """Deactivate or reactivate ``target`` (never deleted: its history points at it)."""
    target = User.objects.select_for_update().get(pk=target.pk)
    if not can(actor, CHANGE, target):
        raise PermissionDenied(_("You may not change this user."))
    _refuse_superuser_target(actor, target)
    if target.awaiting_approval:
        # A registration is approved with its organisation, on the pending list.
        raise PermissionDenied(_("This account awaits approval on the pending list."))
    check_fields(actor, CHANGE, target, {"is_active"})  # an administrator's own account: refused
    target.is_active = active
    target.save()
    if not can(actor, CHANGE, target):
        raise PermissionDenied(_("The result would lie outside the scope you may manage."))
    return target


def _refuse_superuser_target(actor: Any, target: User) -> None:
    # The user policy lets a national administrator reach every account; a superuser (who
    # operates the installation) is still changed only by a superuser.
    if target.is_superuser and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("You may not change this user."))


# --- registrations and applications ---------------------------------------------------------


@dataclass
class Account:
    """What a registrant chooses for its login."""

    username: str
    password: str
    email: str
    name: str = ""


@dataclass
class StaffRow:
    name: str
    certificate_no: str
    valid_until: dt.date | None


@dataclass
class EnterpriseRegistration:
    uscc: str
    name: str
    region: Region
    industry_code: str
    contact_name: str
    contact_phone: str
    account: Account


@dataclass
class AgencyApplication:
    uscc: str
    name: str
    region: Region
    address: str
    phone: str
    industry_scope: list[Any]
    staff: list[StaffRow]
    account: Account


@dataclass
class ExpertApplication:
    name: str
    title: str
    region: Region
    specialties: list[Any]
    employer: str
    phone: str
    account: Account


class RegistrationRefused(Exception):
    """The registration cannot be accepted; the message names the field's problem."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _new_account(account: Account, note: str = "", **org: Any) -> User:
    user = User(
        username=account.username,
        email=account.email,
        first_name=account.name,
        is_active=False,
        awaiting_approval=True,
        application_note=note,
        **org,
    )
    user.set_password(account.password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def register_enterprise(data: EnterpriseRegistration) -> User:
    """An enterprise registers itself by USCC: an inactive account awaiting its authority.

    An enterprise already in the registry keeps its registered facts (the registrant cannot move
    it to another region); differences are noted for the approving authority.
    """
    enterprise = Enterprise.objects.select_for_update().filter(uscc=data.uscc).first()
    note = ""
    if enterprise is None:
        enterprise = Enterprise(
            uscc=data.uscc,
            name=data.name,
            region=data.region,
            industry_code=data.industry_code,
            contact_name=data.contact_name,
            contact_phone=data.contact_phone,
            # Not in the registry's active lists until the authority confirms the registration.
            active=False,
            deactivated_reason=_("Self-registered; awaiting the competent authority."),
        )
        enterprise.full_clean()
        enterprise.save()
    else:
        if enterprise.deactivated_on is not None:
            raise RegistrationRefused(
                "uscc",
                _("This enterprise cannot register online; contact the competent authority."),
            )
        accounts = enterprise.accounts.filter(party=Party.ENTERPRISE)
        if accounts.filter(is_active=True).exists():
            raise RegistrationRefused(
                "uscc",
                _(
                    "This enterprise already has an account. Ask its account holder or the "
                    "competent authority for access."
                ),
            )
        if accounts.filter(awaiting_approval=True).exists():
            raise RegistrationRefused(
                "uscc",
                _("A registration for this enterprise is already awaiting approval."),
            )
        notes = [_("The enterprise was already in the registry; its registered facts are kept.")]
        if enterprise.region_id != data.region.pk:
            notes.append(
                _("The registrant gave the region %(given)s; the registry has %(registered)s.")
                % {"given": data.region.full_name, "registered": enterprise.region.full_name}
            )
        if enterprise.name != data.name:
            notes.append(
                _("The registrant gave the name %(given)s; the registry has %(registered)s.")
                % {"given": data.name, "registered": enterprise.name}
            )
        note = " ".join(notes)
    user = _new_account(data.account, note, party=Party.ENTERPRISE, enterprise=enterprise)
    _notify_authorities(enterprise.region, enterprise.name)
    return user


@transaction.atomic
def apply_agency(data: AgencyApplication) -> User:
    """An agency applies to be filed: an unpublished filing with its staff, an inactive account."""
    if Agency.objects.filter(uscc=data.uscc).exists():
        raise RegistrationRefused(
            "uscc",
            _("This agency is already filed. Ask its account holder or the competent authority."),
        )
    agency = Agency(
        uscc=data.uscc,
        name=data.name,
        region=data.region,
        address=data.address,
        contact_phone=data.phone,
        published=False,
    )
    agency.full_clean()
    agency.save()
    agency.industry_scope.set(data.industry_scope)
    for row in data.staff:
        staff = AgencyStaff(
            agency=agency,
            name=row.name,
            certificate_no=row.certificate_no,
            certificate_valid_until=row.valid_until,
        )
        staff.full_clean()
        staff.save()
    user = _new_account(data.account, party=Party.AGENCY, agency=agency)
    _notify_authorities(agency.region, agency.name)
    return user


@transaction.atomic
def apply_expert(data: ExpertApplication) -> User:
    """An expert applies to join the pool: an inactive pool entry and account."""
    expert = Expert(
        name=data.name,
        title=data.title,
        region=data.region,
        employer_kind=Expert.EmployerKind.OTHER,
        employer_name=data.employer,
        phone=data.phone,
        email=data.account.email,
        active=False,
        deactivated_reason=_("Applied to join the pool; awaiting the competent authority."),
    )
    expert.full_clean(exclude=["specialties"])
    expert.save()
    expert.specialties.set(data.specialties)
    user = _new_account(data.account, party=Party.EXPERT, expert=expert)
    _notify_authorities(expert.region, expert.name)
    return user


def _authorities_for(region: Region) -> QuerySet[User]:
    """The nearest authorities (officers, administrators) whose region contains ``region``."""
    chain = [region, *reversed(region.ancestors())]
    base = User.objects.filter(party=Party.AUTHORITY, role__in=APPROVING_ROLES, is_active=True)
    for level in chain:
        found = base.filter(region=level)
        if found.exists():
            return found
    return base.filter(region__isnull=True)


def _notify_authorities(region: Region, name: str) -> None:
    notify(
        _authorities_for(region),
        _("Registration awaiting approval: %(name)s") % {"name": name},
        _("An account registered in your area awaits activation."),
        link=reverse("accounts:pending"),
    )


def pending_for(actor: Any) -> QuerySet[User]:
    """Accounts awaiting approval whose organisation ``actor`` may change (its authority)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return User.objects.none()
    if not actor.is_superuser and (
        party_of(actor) != Party.AUTHORITY or actor.role not in APPROVING_ROLES
    ):
        return User.objects.none()
    return (
        User.objects.filter(awaiting_approval=True)
        .filter(
            Q(enterprise__in=Enterprise.objects.restrict(actor, CHANGE))
            | Q(agency__in=Agency.objects.restrict(actor, CHANGE))
            | Q(expert__in=Expert.objects.restrict(actor, CHANGE))
        )
        .select_related("enterprise__region", "agency__region", "expert__region")
        .order_by("date_joined")
    )


@transaction.atomic
def approve(actor: Any, account: User) -> User:
    """Activate a registered account and its organisation (publish a filing, join the pool)."""
    account = pending_for(actor).select_for_update(of=("self",)).filter(pk=account.pk).first()
    if account is None:
        raise PermissionDenied(_("This registration is not awaiting your approval."))
    org = account.enterprise or account.agency or account.expert
    if isinstance(org, Agency):
        org.published = True
        org.filing_authority = org.filing_authority or _authority_name(actor)
    elif org is not None and not org.active and org.deactivated_on is None:
        # Created inactive by the registration itself; an organisation the authority
        # deactivated (it has a date) stays so: approving an account does not undo that.
        org.active, org.deactivated_reason = True, ""
    if org is not None:
        org.save()
        if not can(actor, CHANGE, org):
            raise PermissionDenied(_("The result would lie outside the scope you may manage."))
    account.is_active, account.awaiting_approval = True, False
    account.save()
    notify(
        [account],
        _("Your account has been activated"),
        _("You may now log in as %(username)s.") % {"username": account.username},
        link=reverse("accounts:login"),
    )
    return account


@transaction.atomic
def reject(actor: Any, account: User, reason: str) -> User:
    """Refuse a registration: the account stays inactive and leaves the pending list."""
    account = pending_for(actor).select_for_update(of=("self",)).filter(pk=account.pk).first()
    if account is None:
        raise PermissionDenied(_("This registration is not awaiting your approval."))
    account.awaiting_approval = False
    account.application_note = (
        f"{account.application_note}\n" + _("Refused: %(reason)s") % {"reason": reason}
    ).strip()
    account.save()
    notify(
        [account],
        _("Your registration was not approved"),
        _("Reason: %(reason)s") % {"reason": reason},
    )
    return account


def _authority_name(actor: Any) -> str:
    return actor.region.full_name if getattr(actor, "region", None) else _("National")


def add_allowed(actor: Any) -> bool:
    """Whether ``actor`` may open the user-management pages (administrators, superusers)."""

    return bool(getattr(actor, "is_authenticated", False)) and can_any(actor, ADD, User)

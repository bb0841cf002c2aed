"""Ask for, decide and apply changes of regulated registry fields (one transaction each)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cleanprod.accounts.models import User
from cleanprod.changerequests.models import ChangeRequest
from cleanprod.notifications.services import notify
from cleanprod.platform.permissions import CHANGE, VIEW, can, field_label, policy_for, scope_can
from cleanprod.registry import forms as registry_forms
from cleanprod.registry.models import Agency, Enterprise, Expert

# The edit form of each kind of organisation: its fields minus what the organisation may change
# itself (the policy's own_fields) are the regulated fields it may ask to change.
EDIT_FORMS: dict[type[models.Model], type[registry_forms.StyledModelForm]] = {
    Enterprise: registry_forms.EnterpriseForm,
    Agency: registry_forms.AgencyForm,
    Expert: registry_forms.ExpertForm,
}


def requestable_fields(model: type[models.Model]) -> list[str]:
    """The regulated fields of ``model`` an organisation asks the authority to change."""
    form = EDIT_FORMS.get(model)
    policy = policy_for(model)
    if form is None or policy is None or policy.own_fields is None:
        return []
    return [name for name in form._meta.fields or () if name not in policy.own_fields]


def may_request(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` may ask to change ``obj``'s regulated fields: its own organisation."""
    return (
        bool(requestable_fields(type(obj)))
        and can(user, CHANGE, obj)
        and not scope_can(user, CHANGE, obj)
    )


def _raw(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return sorted(o.pk for o in getattr(obj, name).all()) if obj.pk else []
    value = getattr(obj, field.attname)
    return value.isoformat() if isinstance(value, date) else value


def _display(obj: models.Model, name: str, value: Any) -> str:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value or [])
        return "、".join(str(o) for o in related) or "—"
    if field.is_relation:
        if value in (None, ""):
            return "—"
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "—"


def _entry(obj: models.Model, name: str, value: Any) -> dict[str, Any]:
    return {
        "label": field_label(type(obj), name),
        "value": value,
        "display": _display(obj, name, value),
    }


@transaction.atomic
def request_change(
    user: Any, obj: models.Model, form: Any, reason: str, evidence: Any = None
) -> ChangeRequest:
    """Record ``user``'s request to change the fields ``form`` (a bound, valid form of the
    requestable fields of ``obj``) changed; refuse when nothing changes or it may not ask."""
    if not may_request(user, obj):
        raise PermissionDenied(_("You may not ask to change this record."))
    changed = [name for name in form.changed_data if name in requestable_fields(type(obj))]
    if not changed:
        raise ValidationError(_("Change at least one value."))
    new = form.save(commit=False)  # an unsaved copy: form.instance was a fresh load
    changes = {}
    for name in changed:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = sorted(o.pk for o in form.cleaned_data[name])
        else:
            value = getattr(new, field.attname)
            value = value.isoformat() if isinstance(value, date) else value
        changes[name] = _entry(obj, name, value)
    previous = {name: _entry(obj, name, _raw(obj, name)) for name in changed}
    request = ChangeRequest.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        region_id=obj.region_id,
        object_repr=str(obj)[:200],
        changes=changes,
        previous=previous,
        reason=reason,
        evidence=evidence or "",
        evidence_name=(getattr(evidence, "name", "") or "")[:255],
        requested_by=user,
    )
    _notify_authorities(request)
    return request


def _notify_authorities(request: ChangeRequest) -> None:
    """Tell the officers and administrators who may decide the request."""
    deciders = [
        u
        for u in User.objects.filter(party="authority", role__in=["officer", "administrator"])
        .filter(is_active=True)
        .select_related("region")[:500]
        if can(u, CHANGE, request)
    ]
    notify(
        deciders,
        _("Change request: %(org)s") % {"org": request.object_repr},
        request.reason[:500],
        reverse("changerequests:detail", args=[request.pk]),
    )


def may_decide(user: Any, request: ChangeRequest) -> bool:
    """Whether ``user`` is a competent authority for the request's organisation."""
    target = request.target
    return (
        request.status == ChangeRequest.Status.PENDING
        and target is not None
        and scope_can(user, CHANGE, request)
        and scope_can(user, CHANGE, target)
    )


@transaction.atomic
def decide(user: Any, request: ChangeRequest, approve: bool, note: str = "") -> ChangeRequest:
    """Approve (apply the values, checked and logged as any edit) or reject a request.

    The approver's scope must cover the organisation before and after the change: moving an
    enterprise to another province is for an authority over both places.
    """
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if not may_decide(user, request):
        raise PermissionDenied(_("You may not decide this request."))
    target = request.target
    if approve:
        m2m: dict[str, list[Any]] = {}
        for name, entry in request.changes.items():
            field = target._meta.get_field(name)
            if field.many_to_many:
                m2m[name] = entry["value"]
            else:
                setattr(target, field.attname, field.to_python(entry["value"]))
        target.full_clean()
        target.save()
        for name, keys in m2m.items():
            getattr(target, name).set(keys)
        if not scope_can(user, CHANGE, target):
            raise PermissionDenied(
                _("The new values lie outside your area: an authority over both must approve.")
            )
    request.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    notify(
        [request.requested_by],
        _("Your change request was %(status)s") % {"status": request.get_status_display()},
        note,
        reverse("changerequests:detail", args=[request.pk]),
    )
    return request


@transaction.atomic
def withdraw(user: Any, request: ChangeRequest) -> ChangeRequest:
    """The requester takes back a pending request."""
    if request.requested_by_id != user.pk or request.status != ChangeRequest.Status.PENDING:
        raise PermissionDenied(_("You may not withdraw this request."))
    request.status = ChangeRequest.Status.WITHDRAWN
    request.save()
    return request


def visible_requests(user: Any) -> Any:
    """The requests ``user`` may see, newest first."""
    return ChangeRequest.objects.restrict(user, VIEW).select_related("requested_by", "region")

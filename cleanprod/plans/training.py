"""Training sessions and their attendance, entered by an authority: the facts behind the
training targets (主要负责人 of above-size enterprises trained, cleanerproduction staff trained).

One validation for both ways in: the form's attendance rows and an uploaded spreadsheet (one row
per person: 统一社会信用代码, 姓名, 职务) are each checked by :class:`AttendanceRowForm`, the
enterprise looked up among those the user may view; any bad row stops the whole submission and
is named by row and column. One write path: :func:`record_attendance`, in one transaction,
checking the user's scope on the session and on every attendance it writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cleanprod.plans.models import Attendance, AttendeeRole, TrainingSession
from cleanprod.platform import forms as forms_base
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, limit_choices
from cleanprod.platform.services import save_form
from cleanprod.regions.models import Level
from cleanprod.registry.io.readers import FileFormatError
from cleanprod.registry.io.rowforms import RowErrors, read_rows, row_error
from cleanprod.registry.lookup import OrganisationField
from cleanprod.registry.models import Enterprise

# The template's columns, as the officer's spreadsheet names them.
COL_USCC, COL_PERSON, COL_ROLE = "统一社会信用代码", "姓名", "职务"
COLUMNS = (COL_USCC, COL_PERSON, COL_ROLE)
EXAMPLE = ("91440300MA5XXXXXXX", "张三", "主要负责人")

# What people write in the 职务 column (besides the choice codes and their labels).
ROLE_WORDS = {
    "主要负责人": AttendeeRole.HEAD,
    "负责人": AttendeeRole.HEAD,
    "法定代表人": AttendeeRole.HEAD,
    "清洁生产管理人员": AttendeeRole.MANAGER,
    "清洁生产负责人": AttendeeRole.MANAGER,
    "管理人员": AttendeeRole.MANAGER,
    "员工": AttendeeRole.STAFF,
    "职工": AttendeeRole.STAFF,
    "工作人员": AttendeeRole.STAFF,
}


class SessionForm(forms_base.ModelForm):
    """Title, date, region (the officer's own subtree) and organiser of a session."""

    class Meta:
        model = TrainingSession
        fields = ["title", "date", "region", "organizer"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, user, ADD)
        # Sessions are organised by provincial and prefectural authorities (and counties for
        # themselves): listing every county of the nation made the page slow to load.
        region = self.fields["region"]
        own = getattr(user, "region_id", None)
        region.queryset = region.queryset.filter(  # type: ignore[attr-defined]
            Q(level__lt=Level.COUNTY) | Q(code=own or "")
        ).order_by("code")
        if not self.instance.pk and own:
            region.initial = own


class AttendanceRowForm(forms_base.Form):
    """One attendee: the enterprise (name or USCC, among those the user may view), the person
    and the person's position."""

    enterprise = OrganisationField(label=gettext_lazy("Enterprise (name or USCC)"))
    person = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    role = forms.ChoiceField(label=gettext_lazy("Position"), choices=AttendeeRole.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, VIEW)  # type: ignore[attr-defined]


class BaseAttendanceFormSet(forms.BaseFormSet):
    """Attendance rows of a form; the same person of the same enterprise only once."""

    def clean(self) -> None:
        seen: set[tuple[int, str]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not data.get("enterprise"):
                continue
            key = (data["enterprise"].pk, data["person"])
            if key in seen:
                raise forms.ValidationError(
                    _("%(person)s of %(enterprise)s is listed twice.")
                    % {"person": data["person"], "enterprise": data["enterprise"]}
                )
            seen.add(key)


AttendanceFormSet = forms.formset_factory(
    AttendanceRowForm, formset=BaseAttendanceFormSet, extra=5, max_num=200, validate_max=True
)


class UploadForm(forms_base.Form):
    """An attendance spreadsheet (.xlsx, .xls, .ods or .csv)."""

    file = forms.FileField(label=gettext_lazy("Attendance file"), required=False)


@dataclass
class Row:
    enterprise: Enterprise
    person: str
    role: str


def rows_of(formset: Any) -> list[Row]:
    """The filled rows of a valid formset."""
    return [
        Row(d["enterprise"], d["person"], d["role"])
        for d in (f.cleaned_data for f in formset.forms)
        if d and d.get("enterprise")
    ]


def parse_role(value: Any) -> str:
    """The role code for what the 职务 cell says (code, label or a usual Chinese title)."""
    text = str(value or "").strip()
    if text in ROLE_WORDS:
        return ROLE_WORDS[text]
    for code, label in AttendeeRole.choices:
        if text.lower() == code or text == str(label):
            return code
    return text  # left for the form to refuse, naming the column


def read_attendance(file: IO[bytes], filename: str, user: Any) -> list[Row]:
    """Every row of an attendance file, validated as the form validates a row.

    Raises :class:`RowErrors` naming each bad row and column (nothing is to be written then), or
    ``FileFormatError`` when the file cannot be read.
    """
    parsed = read_rows(
        file,
        filename,
        {COL_USCC: "enterprise", COL_PERSON: "person", COL_ROLE: "role"},
        lambda data: AttendanceRowForm(data=data, user=user),
        example=EXAMPLE,
        convert={"role": parse_role},
    )
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[tuple[int, str], int] = {}
    for number, data in parsed:
        row = Row(data["enterprise"], data["person"], data["role"])
        key = (row.enterprise.pk, row.person)
        if key in seen:
            errors.append(
                row_error(
                    number,
                    COL_PERSON,
                    _("%(person)s is already listed in row %(first)d.")
                    % {"person": row.person, "first": seen[key]},
                )
            )
            continue
        seen[key] = number
        rows.append(row)
    if errors:
        raise RowErrors(errors)
    return rows


@transaction.atomic
def record_attendance(
    user: Any, rows: list[Row], *, session: TrainingSession | None = None, form: Any = None
) -> TrainingSession:
    """Create the session (from ``form``) or add to ``session``, and write ``rows`` as ``user``.

    Every attendance must fall in the user's scope (the enterprise's region); a person already
    recorded for the session with the same enterprise is refused. All or nothing.
    """
    if session is None:
        session = save_form(user, form, ADD)  # type: ignore[assignment]
    elif not can(user, CHANGE, session):
        raise PermissionDenied(_("You may not change this training session."))
    assert session is not None
    existing = set(session.attendances.values_list("enterprise_id", "person"))
    for row in rows:
        if (row.enterprise.pk, row.person) in existing:
            raise forms.ValidationError(
                _("%(person)s of %(enterprise)s is already recorded for this session.")
                % {"person": row.person, "enterprise": row.enterprise}
            )
        attendance = Attendance(
            session=session,
            enterprise=row.enterprise,
            person=row.person,
            role=row.role,
            date=session.date,
        )
        attendance.save()
        if not can(user, ADD, attendance):
            raise PermissionDenied(
                _("%(enterprise)s lies outside the scope you may manage.")
                % {"enterprise": row.enterprise}
            )
    return session


def template_rows() -> tuple[list[str], list[list[str]]]:
    """The upload template: header and one example row (skipped if left in)."""
    return list(COLUMNS), [list(EXAMPLE)]


__all__ = [
    "AttendanceFormSet",
    "FileFormatError",
    "RowErrors",
    "SessionForm",
    "UploadForm",
    "read_attendance",
    "record_attendance",
]

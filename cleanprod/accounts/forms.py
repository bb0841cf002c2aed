"""Forms of the account pages: user management, my account, registrations and applications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cleanprod.accounts.models import Party, Role, User
from cleanprod.industries.models import Industry, validate_class_code
from cleanprod.platform.forms import Form
from cleanprod.platform.permissions import CHANGE, VIEW, limit_choices, writable_fields
from cleanprod.regions.models import Level, Region
from cleanprod.registry.forms import StyledModelForm
from cleanprod.registry.models import Agency, Enterprise, Expert
from cleanprod.registry.validators import validate_uscc

# The parties an administrator creates accounts for (associations are set up by superusers).
MANAGED_PARTIES = [
    (p.value, p.label) for p in (Party.AUTHORITY, Party.ENTERPRISE, Party.AGENCY, Party.EXPERT)
]
ORGANISATION_FIELD = {
    Party.ENTERPRISE: "enterprise",
    Party.AGENCY: "agency",
    Party.EXPERT: "expert",
}
ORGANISATION_MODEL: dict[str, type[Model]] = {
    "enterprise": Enterprise,
    "agency": Agency,
    "expert": Expert,
}
LEVEL_LABELS = {1: _("Province"), 2: _("Prefecture"), 3: _("County")}


class RegionCascade(forms.Widget):
    """Cascading selects from ``root`` (the user's own region; provinces when national) down to
    counties, keeping the chosen code in a hidden input named like the field (static app.js)."""

    template_name = "accounts/widgets/region_cascade.html"

    def __init__(self, root: Region | None = None, empty_label: str = "—", **kw: Any) -> None:
        super().__init__(**kw)
        self.root = root
        self.empty_label = empty_label
        self.attrs.setdefault("class", "")  # forms append "is-invalid" to it

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = getattr(value, "pk", value) or ""
        selected = Region.objects.filter(code=code).first() if code else None
        path = [*selected.ancestors(), selected] if selected else []
        first_level = self.root.level if self.root else Level.PROVINCE
        path = [r for r in path if r.level >= first_level]
        if self.root is not None and (not path or path[0].pk != self.root.pk):
            path = [self.root]  # a value outside the root's subtree is not shown
        levels = []
        for index, level in enumerate(range(first_level, Level.COUNTY + 1)):
            if index == 0:
                options = [self.root] if self.root else list(Region.objects.filter(level=1))
                empty = "" if self.root else self.empty_label
            else:
                parent = path[index - 1] if len(path) >= index else None
                options = list(Region.objects.filter(parent=parent)) if parent else []
                empty = "—"
            chosen = path[index].pk if index < len(path) else ""
            levels.append(
                {"label": LEVEL_LABELS[level], "options": options, "empty": empty, "chosen": chosen}
            )
        context["levels"] = levels
        context["children_url"] = reverse_lazy("registry:region-children")
        context["widget"]["value"] = path[-1].pk if path else ""
        return context


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.full_name}（{obj.code}）"


class UserForm(StyledModelForm):
    """An administrator's form for an account in its scope (and for its own, identity locked)."""

    organisation = forms.CharField(
        label=_("Organisation (name or unified social credit code)"),
        required=False,
        max_length=128,
        help_text=_("For enterprise, agency and expert accounts; among those you may view."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "last_name",
            "first_name",
            "email",
            "party",
            "department",
            "role",
            "region",
        ]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        national = actor.is_national
        self.fields["party"].choices = [("", "—"), *MANAGED_PARTIES]
        self.fields["party"].required = True
        self.fields["role"].choices = Role.choices
        self.fields["email"].required = True  # the invitation is how the account gets a password
        root = None if national else actor.region
        self.fields["region"] = RegionField(
            queryset=Region.objects.all(),
            required=False,
            label=User._meta.get_field("region").verbose_name,
            help_text=_("For an authority: the region it governs; empty means national."),
            widget=RegionCascade(root=root, empty_label=_("National")),
        )
        instance = self.instance
        if instance.pk is None:
            self.initial.setdefault("region", actor.region_id)
        else:
            org = instance.enterprise or instance.agency or instance.expert
            if org is not None:
                self.initial["organisation"] = getattr(org, "uscc", "") or org.name
        allowed = writable_fields(actor, CHANGE, instance) if instance.pk else None
        if allowed is not None:
            for name, field in self.fields.items():
                model_name = "enterprise" if name == "organisation" else name
                if model_name not in allowed and name != "version":
                    field.disabled = True
        self.locked = [n for n, f in self.fields.items() if f.disabled]
        limit_choices(self, actor)

    def add_error(self, field: str | None, error: Any) -> None:
        """The model names the organisation's foreign key; this form has one text field."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            renamed = {
                "organisation" if k in ORGANISATION_MODEL else k: v
                for k, v in error.error_dict.items()
            }
            error = ValidationError(renamed)
        elif field in ORGANISATION_MODEL:
            field = "organisation"
        super().add_error(field, error)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        party = data.get("party")
        if not party or "party" in self.locked:
            return data
        instance = self.instance
        if party == Party.AUTHORITY:
            if data.get("region") is None and not self.actor.is_national:
                self.add_error("region", _("Choose a region within your area."))
            instance.enterprise = instance.agency = instance.expert = None
            return data
        # Other parties: no region, department or role of their own; the organisation decides.
        data["region"], data["department"], data["role"] = None, "", Role.VIEWER
        if "organisation" in self.locked:
            return data
        field = ORGANISATION_FIELD[Party(party)]
        try:
            org = find_organisation(self.actor, ORGANISATION_MODEL[field], data["organisation"])
        except ValidationError as exc:
            self.add_error("organisation", exc)
            return data
        instance.enterprise = instance.agency = instance.expert = None
        setattr(instance, field, org)
        return data


def find_organisation(actor: Any, model: type[Model], text: str) -> Model:
    """The one organisation of ``model`` the actor may view whose USCC or name is ``text``."""
    text = (text or "").strip()
    label = model._meta.verbose_name
    if not text:
        raise ValidationError(_("Give the %(kind)s's name or code.") % {"kind": label})
    rows = model.objects.restrict(actor, VIEW)  # type: ignore[attr-defined]
    if hasattr(model, "uscc"):
        exact = list(rows.filter(uscc=text.upper())[:2])
        if len(exact) == 1:
            return exact[0]
    named = list(rows.filter(name=text)[:2]) or list(rows.filter(name__icontains=text)[:6])
    if len(named) == 1:
        return named[0]
    if not named:
        raise ValidationError(
            _("No %(kind)s you may view matches “%(text)s”.")
            % {
                "kind": label,
                "text": text,
            }
        )
    names = "、".join(str(o) for o in named[:5])
    raise ValidationError(
        _("Several match: %(names)s. Give the full name or the code.") % {"names": names}
    )


class MyAccountForm(StyledModelForm):
    """What a user changes about itself here: its name and e-mail."""

    class Meta:
        model = User
        fields = ["last_name", "first_name", "email"]


class UserFilterForm(Form):
    """Search and filters of the user list."""

    q = forms.CharField(label=_("Search"), required=False)
    party = forms.ChoiceField(label=_("party"), required=False)
    role = forms.ChoiceField(label=_("role"), required=False)
    active = forms.ChoiceField(
        label=_("Account status"),
        required=False,
        choices=[("", "—"), ("yes", _("Enabled")), ("no", _("Inactive"))],
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", "—"), *Party.choices]
        self.fields["role"].choices = [("", "—"), *Role.choices]
        root = None if actor.is_national else actor.region
        self.fields["region"] = RegionField(
            queryset=Region.objects.all(),
            required=False,
            label=_("region"),
            widget=RegionCascade(root=root, empty_label=_("All provinces")),
        )
        limit_choices(self, actor)
        for field in self.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


# --- registrations and applications ---------------------------------------------------------


def _styled(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, RegionCascade | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-control")


class RegistrationForm(Form):
    """The login a registrant chooses; shared by the enterprise, agency and expert forms."""

    email = forms.EmailField(label=_("E-mail"))
    username = forms.CharField(label=_("Username"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_username(self) -> str:
        username = User.normalize_username(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken; choose another."))
        User.username_validator(username)
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            probe = User(username=data.get("username") or "", email=data.get("email") or "")
            try:
                validate_password(one, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _uscc_field() -> forms.CharField:
    return forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters; the last one is a check character."),
    )


def _clean_uscc(value: str) -> str:
    value = value.strip().upper()
    validate_uscc(value)
    return value


class EnterpriseRegistrationForm(RegistrationForm):
    field_order = ["uscc", "name", "region", "industry_code", "contact_name", "contact_phone"]

    uscc = _uscc_field()
    name = forms.CharField(label=_("Enterprise name"), max_length=128)
    region = RegionField(
        queryset=Region.objects.leaves(),
        label=_("County-level region"),
        widget=RegionCascade(),
        error_messages={
            "invalid_choice": _("Choose a county-level region (a division with no subdivisions).")
        },
    )
    industry_code = forms.CharField(
        label=_("Industry class (GB/T 4754)"),
        max_length=4,
        validators=[validate_class_code],
        widget=forms.TextInput(attrs={"list": "industry-classes"}),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=64)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32)

    def clean_uscc(self) -> str:
        return _clean_uscc(self.cleaned_data["uscc"])


class AgencyApplicationForm(RegistrationForm):
    field_order = ["uscc", "name", "region", "address", "phone", "industry_scope"]

    uscc = _uscc_field()
    name = forms.CharField(label=_("Agency name"), max_length=128)
    region = RegionField(queryset=Region.objects.all(), label=_("region"), widget=RegionCascade())
    address = forms.CharField(label=_("Address"), max_length=255)
    phone = forms.CharField(label=_("Contact phone"), max_length=32)
    industry_scope = forms.ModelMultipleChoiceField(
        label=_("Industry scope requested (divisions)"),
        queryset=Industry.objects.filter(level="division").order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean_uscc(self) -> str:
        return _clean_uscc(self.cleaned_data["uscc"])


class StaffForm(Form):
    name = forms.CharField(label=_("Staff name"), max_length=64)
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=64)
    valid_until = forms.DateField(
        label=_("Certificate valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class BaseStaffFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        numbers = [f.cleaned_data.get("certificate_no") for f in self.forms if f.cleaned_data]
        if len(numbers) != len(set(numbers)):
            raise ValidationError(_("A certificate number is given twice."))


StaffFormSet = forms.formset_factory(
    StaffForm, formset=BaseStaffFormSet, extra=2, min_num=1, validate_min=True
)


class ExpertApplicationForm(RegistrationForm):
    field_order = ["name", "title", "region", "specialties", "employer", "phone"]

    name = forms.CharField(label=_("Name"), max_length=64)
    title = forms.ChoiceField(label=_("Professional title"), choices=Expert.Title.choices)
    region = RegionField(queryset=Region.objects.all(), label=_("region"), widget=RegionCascade())
    specialties = forms.ModelMultipleChoiceField(
        label=_("Specialties (industry divisions)"),
        queryset=Industry.objects.filter(level="division").order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    employer = forms.CharField(label=_("Employer"), max_length=128)
    phone = forms.CharField(label=_("Phone"), max_length=32)

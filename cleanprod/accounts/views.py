"""Login page; USCC-bound enterprise accounts may use their code as username.

Lock-out after repeated failures is django-axes' (see lockout.py): its backend refuses a locked
login inside ``authenticate`` and its middleware answers with ``lockout.lockout_response``.

Also: user management for administrators, "my account", password change and reset (Django's
auth views), and the registrations and applications an authority approves.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cleanprod.accounts import forms as account_forms
from cleanprod.accounts import services
from cleanprod.accounts.models import Party, User
from cleanprod.industries.models import Industry, IndustryLevel
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, party_of, region_q
from cleanprod.platform.services import StaleObject


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("Username or unified social credit code"),
        widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


# --- password change and reset (Django's views, our templates and URLs) ----------------------


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account_forms._styled(self)


class StyledPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account_forms._styled(self)

    def get_users(self, email: str) -> Any:
        """Active accounts with this address, invited ones too (no password set yet).

        Django leaves out accounts without a usable password (meant for external logins); here
        every account logs in locally, and an invitation that expired is renewed this way.
        """
        return (
            u
            for u in User.objects.filter(email__iexact=email, is_active=True)
            if u.email.lower() == email.lower()
        )


class StyledSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account_forms._styled(self)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password (the save hook in tokens.py revokes the account's API tokens)."""

    form_class = StyledPasswordChangeForm
    template_name = "accounts/form.html"
    success_url = reverse_lazy("accounts:password-change-done")
    extra_context = {"heading": gettext_lazy("Change password")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/message.html"
    extra_context = {
        "heading": gettext_lazy("Password changed"),
        "text": gettext_lazy("Your password was changed. Your API tokens were revoked."),
    }


class PasswordResetView(auth_views.PasswordResetView):
    """Mail a reset link to the address of an active account (nothing said about others)."""

    form_class = StyledPasswordResetForm
    template_name = "accounts/form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_context = {"heading": gettext_lazy("Forgot password")}

    def get_extra_email_context(self) -> dict[str, Any]:
        return {"base_url": settings.CLEANPROD_BASE_URL}

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/message.html"
    extra_context = {
        "heading": gettext_lazy("Check your e-mail"),
        "text": gettext_lazy(
            "If an active account has this address, a link to choose a new password was sent."
        ),
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a password from a reset or invitation link."""

    form_class = StyledSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/message.html"
    extra_context = {
        "heading": gettext_lazy("Password set"),
        "text": gettext_lazy("Your password was set. You may now log in."),
        "login_link": True,
    }


# --- user management -------------------------------------------------------------------------


class AdministratorMixin(LoginRequiredMixin):
    """Pages for users who may create accounts (administrators; 403 for everyone else)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not services.add_allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserListView(AdministratorMixin, View):
    """The users in the administrator's scope, with search and filters."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = request.user
        form = account_forms.UserFilterForm(request.GET or None, actor=actor)
        users = User.objects.restrict(actor, VIEW).select_related(
            "region", "enterprise", "agency", "expert"
        )
        if form.is_valid():
            users = filter_users(users, form.cleaned_data)
        page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "accounts/user_list.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "pending_count": services.pending_for(actor).count(),
            },
        )


def filter_users(users: QuerySet[User], data: dict[str, Any]) -> QuerySet[User]:
    """Apply the list's search (username, name, e-mail) and filters."""
    if data.get("q"):
        q = data["q"]
        users = users.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    if data.get("party"):
        users = users.filter(party=data["party"])
    if data.get("role"):
        users = users.filter(role=data["role"], party=Party.AUTHORITY)
    if data.get("active"):
        users = users.filter(is_active=data["active"] == "yes")
    region = data.get("region")
    if region is not None:
        probe = User(region=region)  # the same subtree rule as an administrator's scope
        users = users.filter(services_users_in_region(probe))
    return users


def services_users_in_region(probe: User) -> Q:
    """Users whose own region, or whose organisation's region, lies in ``probe``'s region."""
    q = Q()
    for path in ("region_id", "enterprise__region_id", "agency__region_id", "expert__region_id"):
        q |= region_q(path, probe)
    return q


class UserEditMixin(AdministratorMixin):
    action = ADD

    def render_form(self, form: Any, target: User | None = None) -> HttpResponse:
        return render(
            self.request,
            "accounts/user_form.html",
            {"form": form, "target": target, "action": self.action},
        )

    def save(self, form: Any) -> HttpResponse:
        try:
            user = services.save_user(self.request.user, form, self.action)
        except (PermissionDenied, StaleObject) as exc:
            # The form comes back with what was typed and the reason; nothing was saved.
            form.add_error(None, str(exc))
            return self.render_form(form, form.instance if self.action == CHANGE else None)
        if self.action == ADD:
            messages.success(
                self.request,
                _("Account %(username)s created; an invitation was sent to %(email)s.")
                % {"username": user.username, "email": user.email},
            )
        else:
            messages.success(self.request, _("Account %(username)s saved.") % {"username": user})
        return redirect("accounts:user-list")


class UserCreateView(UserEditMixin, View):
    action = ADD

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(account_forms.UserForm(actor=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = account_forms.UserForm(request.POST, actor=request.user)
        return self.save(form) if form.is_valid() else self.render_form(form)


class UserUpdateView(UserEditMixin, View):
    action = CHANGE

    def get_target(self, pk: int) -> User:
        return get_object_or_404(User.objects.restrict(self.request.user, CHANGE), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.get_target(pk)
        return self.render_form(account_forms.UserForm(instance=target, actor=request.user), target)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.get_target(pk)
        form = account_forms.UserForm(request.POST, instance=target, actor=request.user)
        return self.save(form) if form.is_valid() else self.render_form(form, target)


class UserActiveView(AdministratorMixin, View):
    """Deactivate or reactivate an account after a confirmation (accounts are never deleted)."""

    def get_target(self, pk: int) -> User:
        return get_object_or_404(User.objects.restrict(self.request.user, CHANGE), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.get_target(pk)
        return render(request, "accounts/user_active.html", {"target": target})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.get_target(pk)
        try:
            target = services.set_active(request.user, target, not target.is_active)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("accounts:user-list")
        text = (
            _("Account %(username)s reactivated.")
            if target.is_active
            else _("Account %(username)s deactivated.")
        )
        messages.success(request, text % {"username": target.username})
        return redirect("accounts:user-list")


# --- pending registrations -------------------------------------------------------------------


class PendingView(LoginRequiredMixin, View):
    """Registrations and applications awaiting this authority's approval (待激活账户)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not (
            user.is_superuser
            or (party_of(user) == Party.AUTHORITY and user.role in services.APPROVING_ROLES)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "accounts/pending.html",
            {
                "accounts": services.pending_for(request.user),
                "reason_form": account_forms.ReasonForm(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        account = get_object_or_404(services.pending_for(request.user), pk=request.POST.get("pk"))
        try:
            if request.POST.get("decision") == "reject":
                form = account_forms.ReasonForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Give the reason for refusing the registration."))
                    return redirect("accounts:pending")
                services.reject(request.user, account, form.cleaned_data["reason"])
                messages.success(
                    request, _("Registration of %(username)s refused.") % {"username": account}
                )
            else:
                services.approve(request.user, account)
                messages.success(
                    request, _("Account %(username)s activated.") % {"username": account}
                )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect("accounts:pending")


# --- my account, my organisation -------------------------------------------------------------


class MyAccountView(LoginRequiredMixin, View):
    """Who the user is (read only) and its name and e-mail (editable)."""

    def render_page(self, form: Any) -> HttpResponse:
        user = self.request.user
        org = user.enterprise or user.agency or user.expert
        return render(self.request, "accounts/me.html", {"form": form, "organisation": org})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(account_forms.MyAccountForm(instance=self.me()))

    def me(self) -> User:
        # The model instance itself (request.user is a lazy proxy the service cannot type).
        return User.objects.get(pk=self.request.user.pk)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = account_forms.MyAccountForm(request.POST, instance=self.me())
        if not form.is_valid():
            return self.render_page(form)
        try:
            services.save_user(request.user, form, CHANGE)
        except (PermissionDenied, StaleObject) as exc:
            form.add_error(None, str(exc))
            return self.render_page(form)
        messages.success(request, _("Your account was saved."))
        return redirect("accounts:me")


class MyOrganisationView(LoginRequiredMixin, View):
    """The user's organisation: its edit page where it may change it, else its registry page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        org = user.enterprise or user.agency or user.expert
        if org is None:
            messages.info(request, _("Your account belongs to no organisation."))
            return redirect("accounts:me")
        name = org._meta.model_name
        if can(user, CHANGE, org):
            return HttpResponseRedirect(reverse(f"registry:{name}-edit", args=[org.pk]))
        return HttpResponseRedirect(org.get_absolute_url())


# --- registrations and applications ----------------------------------------------------------


class RegistrationView(View):
    """Base of the anonymous registration pages."""

    form_class: type[account_forms.RegistrationForm]
    template_name = "accounts/register.html"
    heading = ""

    def context(self, form: Any, **extra: Any) -> dict[str, Any]:
        return {"form": form, "heading": self.heading, **extra}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(self.form_class()))

    def account(self, data: dict[str, Any], name: str) -> services.Account:
        return services.Account(
            username=data["username"], password=data["password1"], email=data["email"], name=name
        )

    def done(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "accounts/message.html",
            {
                "heading": _("Registration received"),
                "text": _(
                    "Your account awaits activation by the competent authority; you will be "
                    "told by e-mail."
                ),
            },
        )

    def refused(self, form: Any, exc: services.RegistrationRefused, **extra: Any) -> HttpResponse:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return render(self.request, self.template_name, self.context(form, **extra))


class EnterpriseRegistrationView(RegistrationView):
    form_class = account_forms.EnterpriseRegistrationForm
    heading = gettext_lazy("Register an enterprise")

    def context(self, form: Any, **extra: Any) -> dict[str, Any]:
        classes = Industry.objects.filter(level=IndustryLevel.CLASS)
        return super().context(form, classes=classes, **extra)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form))
        data = form.cleaned_data
        try:
            services.register_enterprise(
                services.EnterpriseRegistration(
                    uscc=data["uscc"],
                    name=data["name"],
                    region=data["region"],
                    industry_code=data["industry_code"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    account=self.account(data, data["contact_name"]),
                )
            )
        except services.RegistrationRefused as exc:
            return self.refused(form, exc)
        return self.done(request)


class AgencyApplicationView(RegistrationView):
    form_class = account_forms.AgencyApplicationForm
    heading = gettext_lazy("Apply for agency filing")

    def get(self, request: HttpRequest) -> HttpResponse:
        staff = account_forms.StaffFormSet(prefix="staff")
        return render(request, self.template_name, self.context(self.form_class(), staff=staff))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST)
        staff = account_forms.StaffFormSet(request.POST, prefix="staff")
        if not (form.is_valid() and staff.is_valid()):
            return render(request, self.template_name, self.context(form, staff=staff))
        data = form.cleaned_data
        rows = [
            services.StaffRow(
                f.cleaned_data["name"],
                f.cleaned_data["certificate_no"],
                f.cleaned_data["valid_until"],
            )
            for f in staff.forms
            if f.cleaned_data
        ]
        try:
            services.apply_agency(
                services.AgencyApplication(
                    uscc=data["uscc"],
                    name=data["name"],
                    region=data["region"],
                    address=data["address"],
                    phone=data["phone"],
                    industry_scope=list(data["industry_scope"]),
                    staff=rows,
                    account=self.account(data, ""),
                )
            )
        except services.RegistrationRefused as exc:
            return self.refused(form, exc, staff=staff)
        except ValidationError as exc:  # e.g. a staff certificate already registered
            form.add_error(None, "；".join(exc.messages))
            return render(request, self.template_name, self.context(form, staff=staff))
        return self.done(request)


class ExpertApplicationView(RegistrationView):
    form_class = account_forms.ExpertApplicationForm
    heading = gettext_lazy("Apply to join the expert pool")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form))
        data = form.cleaned_data
        services.apply_expert(
            services.ExpertApplication(
                name=data["name"],
                title=data["title"],
                region=data["region"],
                specialties=list(data["specialties"]),
                employer=data["employer"],
                phone=data["phone"],
                account=self.account(data, data["name"]),
            )
        )
        return self.done(request)

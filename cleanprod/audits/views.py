"""Audit pages: rosters, the audit case with its phases and options, documents, dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from cleanprod.audits import forms
from cleanprod.audits.dashboard import InvalidParameters, audit_dashboard
from cleanprod.audits.documents import review_pdf
from cleanprod.audits.filtersets import AuditFilterSet, RosterFilterSet
from cleanprod.audits.models import Audit, Option, Panel, Phase, Roster, RosterEntry
from cleanprod.audits.models.audits import SEVEN_PHASES
from cleanprod.audits.models.options import BENEFITS
from cleanprod.audits.services import WorkflowError
from cleanprod.audits.services import audits as audit_services
from cleanprod.audits.services import options as option_services
from cleanprod.audits.services import reviews as review_services
from cleanprod.audits.services import rosters as roster_services
from cleanprod.audits.services.accountability import agency_record
from cleanprod.audits.services.actors import capacity
from cleanprod.audits.workflow import REQUIRED_OUTPUTS, TRANSITIONS
from cleanprod.changelog.views import history_of
from cleanprod.core import review as core_review
from cleanprod.platform.locking import parse_version
from cleanprod.platform.permissions import ADD, CHANGE, VIEW, can, can_any, limit_choices
from cleanprod.registry.models import Agency, Enterprise, Park


class InvalidInput(WorkflowError):
    """A request parameter is malformed: answered 400 with a message naming the field."""


def _parsed(form: Any) -> dict[str, Any]:
    """The cleaned data of ``form``, or InvalidInput naming each bad field."""
    if not form.is_valid():
        raise InvalidInput(forms.form_errors(form))
    data: dict[str, Any] = form.cleaned_data
    return data


def bad_request_page(request: HttpRequest, back: str) -> HttpResponse:
    """400: the page shows the messages (naming the fields) and a link back to ``back``."""
    return render(request, "bad_request.html", {"back": back}, status=400)


class RosterListView(ListView):  # type: ignore[type-arg]
    template_name = "audits/roster_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Roster]:
        base = Roster.objects.restrict(self.request.user, VIEW).select_related("region")
        self.filterset = RosterFilterSet(self.request.GET, queryset=base)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["can_propose"] = can_any(self.request.user, ADD, Roster)
        return context


class RosterDetailView(DetailView):  # type: ignore[type-arg]
    template_name = "audits/roster_detail.html"

    def get_queryset(self) -> QuerySet[Roster]:
        return Roster.objects.restrict(self.request.user, VIEW)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:

        context = super().get_context_data(**kwargs)
        roster: Roster = self.object
        entries = RosterEntry.objects.restrict(self.request.user, VIEW).filter(roster=roster)
        context["entries"] = entries.select_related("enterprise__region", "park")
        context["can_edit"] = roster.status == Roster.Status.DRAFT and can(
            self.request.user, CHANGE, roster
        )
        context["entry_form"] = forms.EntryForm()
        context["history"] = history_of(self.request.user, roster)
        return context


def roster_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST add / remove / publish on a roster; errors come back as messages."""
    if request.method != "POST":
        raise Http404
    roster = get_object_or_404(Roster.objects.restrict(request.user, VIEW), pk=pk)
    try:
        if action == "add":
            form = forms.EntryForm(request.POST)
            if not form.is_valid():
                raise WorkflowError("; ".join(e for errs in form.errors.values() for e in errs))
            enterprise = (
                Enterprise.objects.filter(uscc=form.cleaned_data["uscc"].strip().upper()).first()
                if form.cleaned_data["uscc"]
                else None
            )
            park = (
                Park.objects.filter(pk=form.cleaned_data["park"]).first()
                if form.cleaned_data["park"]
                else None
            )
            roster_services.add_entry(
                request.user,
                roster,
                form.cleaned_data["reason"],
                enterprise=enterprise,
                park=park,
                expected_version=_version(request),
            )
        elif action == "remove":
            data = _parsed(forms.RemoveEntryForm(request.POST))
            entry = get_object_or_404(roster.entries, pk=data["entry"])
            roster_services.remove_entry(request.user, entry, data["reason"], _version(request))
        elif action == "publish":
            roster_services.publish(request.user, roster, _version(request))
            messages.success(request, _("Published. Audits were opened and enterprises notified."))
        else:
            raise Http404
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return bad_request_page(request, roster.get_absolute_url())
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(roster.get_absolute_url())


class RosterProposeView(LoginRequiredMixin, FormView):  # type: ignore[type-arg]
    template_name = "audits/roster_propose.html"
    form_class = forms.ProposeRosterForm

    def get_form(self, form_class: Any = None) -> Any:
        """Regions offered: the officer's own and those below it (the one choices helper)."""
        form = super().get_form(form_class)
        limit_choices(form, self.request.user)
        return form

    def form_valid(self, form: forms.ProposeRosterForm) -> HttpResponse:
        try:
            roster = roster_services.propose(
                self.request.user,
                form.cleaned_data["region"],
                form.cleaned_data["year"],
                form.cleaned_data["kind"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if roster.kind == Roster.Kind.MANDATORY and not roster.entries.exists():
            messages.warning(
                self.request, roster_services.explain_empty(roster.region, roster.year)
            )
        return HttpResponseRedirect(roster.get_absolute_url())


class AuditListView(ListView):  # type: ignore[type-arg]
    template_name = "audits/audit_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Audit]:
        base = Audit.objects.restrict(self.request.user, VIEW).select_related(
            "region", "enterprise", "agency"
        )
        self.filterset = AuditFilterSet(self.request.GET, queryset=base)
        return self.filterset.qs.order_by("-year", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        return context


class AuditDetailView(DetailView):  # type: ignore[type-arg]
    template_name = "audits/audit_detail.html"

    def get_queryset(self) -> QuerySet[Audit]:
        return Audit.objects.restrict(self.request.user, VIEW).select_related(
            "enterprise__region", "agency", "region"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        audit: Audit = self.object
        user = self.request.user
        role = capacity(user, audit)
        records = {r.phase: r.data for r in audit.phase_records.all()}
        perf = option_services.performance(audit)
        context.update(
            role=role,
            phases=[(p, Phase(p).label) for p in SEVEN_PHASES],
            phase_index=SEVEN_PHASES.index(audit.phase)
            if audit.phase in SEVEN_PHASES
            else (len(SEVEN_PHASES) if audit.phase not in (Phase.NOT_STARTED,) else -1),
            steps=[
                t for t in TRANSITIONS.values() if audit.phase in t.sources and role in t.actors
            ],
            deadlines=audit.deadlines.all(),
            records=[(Phase(p).label, data) for p, data in records.items()],
            outputs_form=forms.OutputsForm(
                REQUIRED_OUTPUTS.get(audit.phase, ()), initial=records.get(audit.phase, {})
            )
            if audit.phase in REQUIRED_OUTPUTS
            else None,
            pre_form=forms.PreAssessmentForm() if audit.phase == Phase.PRE_ASSESSMENT else None,
            # auto_id=False: the same fields repeat on every option's row.
            option_form=forms.OptionForm(auto_id=False)
            if audit.phase in (Phase.ASSESSMENT, Phase.OPTIONS)
            else None,
            feasibility_form=forms.FeasibilityForm(),
            implement_form=forms.ImplementForm(auto_id=False),
            verify_form=forms.VerifyForm(auto_id=False),
            rejectable=option_services.REJECTABLE,
            rejecting=audit.phase in (Phase.OPTIONS, Phase.FEASIBILITY, Phase.IMPLEMENTATION),
            document_form=forms.DocumentForm(),
            options=audit.options.all(),
            rates=option_services.implementation_rates(audit.options.all()),
            performance=[(label, unit, perf[key]) for key, label, unit in BENEFITS],
            documents=audit.documents.all(),
            transitions=audit.transitions.select_related("by"),
            panels=audit.panels.prefetch_related("members__expert"),
            reviews=audit.reviews.all(),
            review_form=_review_form(audit, role, getattr(self, "review_input", None)),
            history=history_of(user, audit),
            staff=audit.staff.all(),
        )
        return context


def _review_form(audit: Audit, role: str | None, typed: Any = None) -> dict[str, Any] | None:
    """What the authority needs to draw a panel or record the review of the current stage.

    Per seated expert: the sheet entered so far (by the expert, locked; or by the officer from
    paper) and, after a refused submission, what the officer ``typed`` (the POST data), so a
    validation error keeps every entered score.
    """
    stage = {Phase.EVALUATION: "evaluation", Phase.ACCEPTANCE: "acceptance"}.get(audit.phase)
    if role != "authority" or stage is None:
        return None
    drawn = audit.panels.filter(stage=stage).order_by("-drawn_at", "-pk").first()
    template = core_review.load_template(review_services.TEMPLATES[stage])
    members = review_services.seated(drawn) if drawn else []
    stored = (
        {
            s.expert_id: s
            for s in drawn.sheets.filter(review__isnull=True).select_related("entered_by")
        }
        if drawn
        else {}
    )
    columns = []
    for m in members:
        sheet = stored.get(m.expert_id)
        columns.append(
            {
                "member": m,
                "sheet": sheet,
                "own": sheet is not None and review_services.own_sheet(sheet),
            }
        )

    def cells(field: str, stored_value: Callable[[Any], str]) -> list[dict[str, Any]]:
        out = []
        for col in columns:
            name = f"e{col['member'].expert_id}_{field}"
            sheet = col["sheet"]
            if col["own"] or typed is None:
                value = stored_value(sheet) if sheet is not None else ""
            else:
                value = typed.get(name, "")
            out.append({"name": name, "value": value, "locked": col["own"]})
        return out

    return {
        "stage": stage,
        "panel": drawn,
        "members": members,
        "columns": columns,
        "entered": sum(1 for c in columns if c["sheet"] is not None),
        "veto_rows": [
            (v, cells(v.id, lambda s, i=v.id: s.vetoes.get(i, ""))) for v in template.vetoes
        ],
        "item_rows": [
            (i, cells(i.id, lambda s, i=i.id: s.scores.get(i, ""))) for i in template.items
        ],
        "opinion_row": cells("opinion", lambda s: s.opinion),
        "opinion": typed.get("opinion", "") if typed is not None else "",
        "post_grade": typed.get("post_grade", "") if typed is not None else "",
        "items": template.items,
        "vetoes": template.vetoes,
        "pass_mark": template.pass_mark,
        "total": template.total,
    }


def _require_valid(form: Any) -> None:
    """Refuse an invalid form with a message naming each field (by its label) and its error."""
    if not form.is_valid():
        raise WorkflowError(forms.form_errors(form))


def _option(request: HttpRequest, audit: Audit) -> Option:
    pk = _parsed(forms.OptionChoiceForm(request.POST))["option"]
    return get_object_or_404(audit.options, pk=pk)


def _version(request: HttpRequest) -> int | None:
    """The version of the row the page showed (optimistic locking), None when not sent."""
    try:
        return parse_version(request.POST.get("version"))
    except ValueError as exc:
        raise WorkflowError(_("The page sent an invalid version; reload it.")) from exc


def _act_transition(request: HttpRequest, audit: Audit) -> str:
    data = _parsed(forms.TransitionForm(request.POST))
    audit_services.transition(request.user, audit, data["step"], data["note"])
    return _("Done: %(step)s") % {"step": TRANSITIONS[data["step"]].label}


def _act_outputs(request: HttpRequest, audit: Audit) -> str:
    keys = REQUIRED_OUTPUTS.get(audit.phase, ())
    audit_services.record_outputs(
        request.user, audit, audit.phase, {k: request.POST.get(k, "") for k in keys}
    )
    return _("Phase outputs saved.")


def _act_disclosure(request: HttpRequest, audit: Audit) -> str:
    audit_services.record_disclosure(request.user, audit, request.POST.get("disclosure", ""))
    return _("Disclosure recorded.")


def _act_pre(request: HttpRequest, audit: Audit) -> str:
    form = forms.PreAssessmentForm(request.POST)
    if not form.is_valid():
        raise WorkflowError(_("Give the grade and the audit focus."))
    audit_services.set_pre_assessment(
        request.user, audit, form.cleaned_data["grade"], form.cleaned_data["focus"]
    )
    return _("Pre-assessment recorded.")


def _act_option(request: HttpRequest, audit: Audit) -> str:
    form = forms.OptionForm(request.POST)
    _require_valid(form)
    data = form.cleaned_data
    option_services.add_option(
        request.user,
        audit,
        code=data["code"],
        name=data["name"],
        category=data["category"],
        investment=data["investment"],
        expected=form.benefits(),
    )
    return _("Option added.")


def _act_screen(request: HttpRequest, audit: Audit) -> str:
    option_services.screen(
        request.user,
        _option(request, audit),
        request.POST.get("keep") == "1",
        request.POST.get("barrier", ""),
        expected_version=_version(request),
    )
    return _("Option screened.")


def _act_feasibility(request: HttpRequest, audit: Audit) -> str:
    form = forms.FeasibilityForm(request.POST)
    _require_valid(form)
    option_services.analyse_feasibility(
        request.user,
        _option(request, audit),
        **form.cleaned_data,
        expected_version=_version(request),
    )
    return _("Feasibility analysed.")


def _act_decide(request: HttpRequest, audit: Audit) -> str:
    option_services.decide(
        request.user,
        _option(request, audit),
        request.POST.get("approve") == "1",
        request.POST.get("barrier", ""),
        expected_version=_version(request),
    )
    return _("Decision recorded.")


def _act_implement(request: HttpRequest, audit: Audit) -> str:
    form = forms.ImplementForm(request.POST)
    _require_valid(form)
    option_services.implement(
        request.user,
        _option(request, audit),
        actual_investment=form.cleaned_data["actual_investment"],
        benefits=form.benefits(),
        expected_version=_version(request),
    )
    return _("Implementation recorded.")


def _act_verify(request: HttpRequest, audit: Audit) -> str:
    form = forms.VerifyForm(request.POST)
    _require_valid(form)
    option_services.verify(
        request.user,
        _option(request, audit),
        benefits=form.benefits(),
        expected_version=_version(request),
    )
    return _("Benefits verified.")


def _act_reject(request: HttpRequest, audit: Audit) -> str:
    option = _option(request, audit)
    form = forms.RejectForm(request.POST)
    _require_valid(form)
    option_services.reject(
        request.user, option, form.cleaned_data["reason"], expected_version=_version(request)
    )
    return _("Option %(code)s rejected.") % {"code": option.code}


def _act_document(request: HttpRequest, audit: Audit) -> str:
    form = forms.DocumentForm(request.POST, request.FILES)
    _require_valid(form)
    audit_services.upload_document(
        request.user, audit, form.cleaned_data["kind"], form.cleaned_data["file"]
    )
    return _("Document uploaded.")


def _act_agency(request: HttpRequest, audit: Audit) -> str:

    data = _parsed(forms.AgencyForm(request.POST))
    agency = get_object_or_404(Agency.objects.restrict(request.user, VIEW), pk=data["agency"])
    audit_services.assign_agency(request.user, audit, agency, data["staff"])
    return _("Agency assigned.")


def _act_draw(request: HttpRequest, audit: Audit) -> str:
    data = _parsed(forms.DrawPanelForm(request.POST))
    made = review_services.draw_panel(
        request.user,
        audit,
        data["stage"],
        size=data["size"],
        require_senior=data["require_senior"],
    )
    return _("Panel drawn (seed %(seed)s).") % {"seed": made.seed}


def _act_review(request: HttpRequest, audit: Audit) -> str:
    stage = request.POST.get("stage", "")
    drawn = audit.panels.filter(stage=stage).order_by("-drawn_at", "-pk").first()
    if drawn is None:
        raise WorkflowError(_("Draw the expert panel first."))
    template = core_review.load_template(review_services.TEMPLATES[stage])
    own = {
        s.expert_id
        for s in drawn.sheets.select_related("entered_by")
        if review_services.own_sheet(s)
    }
    sheets = []
    # The officer types the sheets of experts who did not enter their own (a paper sheet);
    # a column left empty waits for the expert, and the service names who is missing.
    for member in review_services.seated(drawn):
        if member.expert_id in own:
            continue
        key = f"e{member.expert_id}"
        fields = [key + "_opinion"] + [f"{key}_{x.id}" for x in (*template.items, *template.vetoes)]
        if not any(request.POST.get(f, "").strip() for f in fields):
            continue
        sheets.append(
            {
                "expert_id": member.expert_id,
                "scores": {
                    i.id: request.POST.get(f"{key}_{i.id}", "").strip() for i in template.items
                },
                "vetoes": {
                    v.id: request.POST[f"{key}_{v.id}"].strip()
                    for v in template.vetoes
                    if request.POST.get(f"{key}_{v.id}", "").strip()
                },
                "opinion": request.POST.get(f"{key}_opinion", ""),
            }
        )
    made = review_services.record_review(
        request.user,
        audit,
        stage,
        sheets,
        request.POST.get("opinion", ""),
        request.POST.get("post_grade", ""),
    )
    return _("Recorded: %(decision)s") % {"decision": made.get_decision_display()}


ACTIONS: dict[str, Callable[[HttpRequest, Audit], str]] = {
    "draw_panel": _act_draw,
    "review": _act_review,
    "transition": _act_transition,
    "outputs": _act_outputs,
    "disclosure": _act_disclosure,
    "pre_assessment": _act_pre,
    "option": _act_option,
    "screen": _act_screen,
    "feasibility": _act_feasibility,
    "decide": _act_decide,
    "implement": _act_implement,
    "verify": _act_verify,
    "reject": _act_reject,
    "document": _act_document,
    "agency": _act_agency,
}


def audit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST one workflow action; refusals (permission, preconditions, races) become messages."""
    if request.method != "POST" or action not in ACTIONS:
        raise Http404
    audit = get_object_or_404(Audit.objects.restrict(request.user, VIEW), pk=pk)
    try:
        messages.success(request, ACTIONS[action](request, audit))
    except InvalidInput as exc:
        # A malformed request (not a refused step): 400, with the message naming the field
        # shown on a page that leads back to the audit.
        messages.error(request, str(exc))
        return bad_request_page(request, audit.get_absolute_url())
    except WorkflowError as exc:
        messages.error(request, str(exc))
        if action == "review":
            return _detail_keeping_review_input(request, pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Not allowed."))
    return HttpResponseRedirect(audit.get_absolute_url())


def _detail_keeping_review_input(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit page again with the officer's typed scores (a refused review loses nothing)."""
    view = AuditDetailView()
    view.setup(request, pk=pk)
    view.review_input = request.POST  # type: ignore[attr-defined]
    view.object = view.get_object()
    return view.render_to_response(view.get_context_data(object=view.object))


def document_download(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    """Serve a document only to users who may view its audit (files live outside the web root)."""
    audit = get_object_or_404(Audit.objects.restrict(request.user, VIEW), pk=pk)
    document = get_object_or_404(audit.documents, pk=doc)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def review_document(request: HttpRequest, pk: int, review: int) -> HttpResponse:
    """The evaluation opinion or acceptance conclusion of a review, as a PDF."""

    audit = get_object_or_404(Audit.objects.restrict(request.user, VIEW), pk=pk)
    rev = get_object_or_404(audit.reviews.select_related("panel"), pk=review)
    name = f"audit-{audit.pk}-{rev.stage}.pdf"
    response = HttpResponse(review_pdf(rev, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def dashboard(request: HttpRequest) -> HttpResponse:
    """The audit dashboard; 400 naming the field when a filter is malformed."""

    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('accounts:login')}?next={request.path}")
    try:
        data = audit_dashboard(request.user, request.GET)
    except InvalidParameters as exc:
        if request.GET.get("format") == "json":
            return JsonResponse(exc.errors, status=400)
        messages.error(request, str(exc))
        return bad_request_page(request, request.path)
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    return render(request, "audits/dashboard.html", {"data": data})


def agency_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's accountability record (十四五 §五(十五)), a fragment of its registry page:
    the audits it served that the reader may see, their outcomes, and its credit events."""
    agency = get_object_or_404(Agency.objects.restrict(request.user, VIEW), pk=pk)
    audits = Audit.objects.restrict(request.user, VIEW).filter(agency=agency)
    context = {
        "record": agency_record(agency, audits),
        "audits_served": audits.select_related("region")[:100],
        "credit_events": agency.credit_events.restrict(request.user, VIEW),
    }
    return render(request, "audits/_agency_record.html", context)


def panel_list(request: HttpRequest) -> HttpResponse:
    """Expert panels: an expert's own seats (audit, stage, whether scored); for others, the
    panels they may see with the officer's progress (sheets entered / seated)."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('accounts:login')}?next={request.path}")
    user = request.user
    panels = Panel.objects.restrict(user, VIEW).select_related("audit")
    expert_id = getattr(user, "expert_id", None)
    if expert_id:
        panels = panels.filter(
            members__expert_id=expert_id, members__alternate=False, members__declined=False
        )
    rows = []
    shown = (
        panels.distinct()
        .order_by("-drawn_at", "-pk")
        .prefetch_related("members", "sheets", "reviews")[:200]
    )
    for p in shown:
        seats = [m for m in p.members.all() if not m.alternate and not m.declined]
        sheets = {s.expert_id for s in p.sheets.all()}
        review = next(iter(p.reviews.all()), None)
        rows.append(
            {
                "panel": p,
                "seated": len(seats),
                "entered": sum(1 for m in seats if m.expert_id in sheets),
                "scored": expert_id in sheets if expert_id else None,
                "open": review is None and p.audit.phase == review_services.STAGE_PHASE[p.stage],
                "review": review,
            }
        )
    return render(request, "audits/panel_list.html", {"rows": rows, "is_expert": bool(expert_id)})


def panel_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A seated expert's own score sheet on the panel's template (veto items first); a
    validation error re-renders the form with everything typed."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('accounts:login')}?next={request.path}")
    panel = get_object_or_404(
        Panel.objects.restrict(request.user, VIEW).select_related("audit"), pk=pk
    )
    seat = review_services.seat_of(request.user, panel)
    if seat is None:
        raise PermissionDenied(_("Only a seated member of this panel enters a score sheet on it."))
    template = core_review.load_template(review_services.TEMPLATES[panel.stage])
    sheet = panel.sheets.filter(expert_id=seat.expert_id).first()
    editable = review_services.panel_open(panel)
    if request.method == "POST" and editable:
        form = forms.ScoreSheetForm(template, request.POST)
        if form.is_valid():
            try:
                review_services.submit_sheet(request.user, panel, form.sheet())
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your score sheet is saved."))
                return HttpResponseRedirect(reverse("audits:panel-list"))
    else:
        if request.method == "POST":
            messages.error(
                request, _("This panel's review is closed; the score sheet can no longer change.")
            )
        form = forms.ScoreSheetForm(
            template, initial=forms.ScoreSheetForm.initial_from(sheet) if sheet else None
        )
    context = {
        "panel": panel,
        "audit": panel.audit,
        "template": template,
        "form": form,
        "sheet": sheet,
        "editable": editable,
    }
    return render(request, "audits/panel_sheet.html", context)

"""Lead pages: the inbox, the form, the lead itself with its status and qualification,
bulk actions and the convert wizard. Views translate; services and selectors decide."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vorsprung.core.errors import REFUSALS, Conflict, ValidationError, refusal_messages
from vorsprung.leads import services, transitions
from vorsprung.leads.choices import LeadStatus
from vorsprung.leads.filtersets import LeadFilterSet
from vorsprung.leads.forms import (
    BULK_ACTIONS,
    BulkForm,
    LeadForm,
    QualificationForm,
    StatusForm,
)
from vorsprung.leads.models import Lead
from vorsprung.leads.selectors import (
    LEAD_BULK_MAX,
    disqualify_reason_labels,
    lead_bulk_selection,
    lead_get,
    lead_list,
)
from vorsprung.ui.forms import FilterForm, refusals_onto
from vorsprung.ui.htmx import error_response, is_htmx, redirect_to, render_page
from vorsprung.ui.pages import page_or_first, record_or_404, safe_next

PAGE_SIZE = 50
SAVED_FILTERS = "lead_list_filters"


def visible_lead(request, pk: int) -> Lead:
    return record_or_404(lead_get, user=request.user, pk=pk)


# --- List -------------------------------------------------------------------------------


@require_GET
def lead_list_view(request):
    """The lead inbox. Its filters are kept in the session: coming back to the list
    without any shows the last ones used (``?reset=1`` clears them)."""
    if "reset" in request.GET:
        request.session.pop(SAVED_FILTERS, None)
        return redirect("leads:list")
    if not request.GET and request.session.get(SAVED_FILTERS):
        return redirect(f"{reverse('leads:list')}?{request.session[SAVED_FILTERS]}")
    params = request.GET.copy()
    cursor = params.pop("cursor", [None])[0]
    filterset = LeadFilterSet(params or None, user=request.user, form=FilterForm)
    form = filterset.form
    filters, ordering = {}, LeadFilterSet.default_ordering()
    if form.is_bound and form.is_valid():
        filters, ordering = filterset.values(), filterset.chosen_ordering()
        request.session[SAVED_FILTERS] = params.urlencode()
    leads = lead_list(user=request.user, filters=filters)
    page, cursor_error = page_or_first(leads, ordering=ordering, cursor=cursor, limit=PAGE_SIZE)
    if cursor_error:
        messages.error(request, cursor_error)
        cursor = None
    bulk = BulkForm(QueryDict(), actor=request.user)
    context = {
        "form": form,
        "page": page,
        "is_first_page": not cursor,
        "bulk_form": bulk,
        "bulk_actions": BULK_ACTIONS,
        "bulk_max": LEAD_BULK_MAX,
        # What "every lead matching the filters" means to the bulk action.
        "filter_query": params.urlencode() if filters else "",
        "reasons": disqualify_reason_labels(),
        "statuses": LeadStatus,
    }
    return render_page(request, "leads/list.html", "leads/partials/list_results.html", context)


@require_POST
def lead_bulk_view(request):
    """Assign, move or disqualify the selected leads, all or none: one refusal rolls
    every change back and names the lead that was refused."""
    form = BulkForm(request.POST, actor=request.user)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _bulk_refused(request, message, status=422)
    try:
        leads = lead_bulk_selection(user=request.user, **form.selection())
    except ValidationError as exc:
        # A picked lead that is gone (or out of sight) is not found; filters are invalid.
        status = 422 if form.cleaned_data.get("all_matching") else 404
        return _bulk_refused(request, " ".join(exc.messages), status)
    action = form.cleaned_data["action"]
    try:
        _apply_bulk_action(request.user, leads, action, form)
    except REFUSALS as exc:
        return _bulk_refused(request, " ".join(refusal_messages(exc)), status=409)
    messages.success(
        request,
        _("%(count)s leads changed: %(action)s.")
        % {"count": len(leads), "action": dict(BULK_ACTIONS)[action]},
    )
    return redirect_to(safe_next(request, reverse("leads:list")), request)


def _apply_bulk_action(actor, leads: list[Lead], action: str, form: BulkForm) -> None:
    data = form.cleaned_data
    if action == "assign":
        services.lead_bulk_assign(actor=actor, leads=leads, owner=data["owner"])
    elif action == "status":
        services.lead_bulk_change_status(
            actor=actor, leads=leads, status=data["status"], reason=form.reason_text()
        )
    else:
        services.lead_bulk_disqualify(actor=actor, leads=leads, reason=form.reason_text())


def _bulk_refused(request, message: str, status: int):
    if is_htmx(request):
        return error_response(message, status=status)
    messages.error(request, message)
    return redirect(safe_next(request, reverse("leads:list")))


# --- Create and edit --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def lead_create_view(request):
    form = LeadForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_onto(form):
            lead = services.lead_create(actor=request.user, **form.service_data())
        if not form.errors:
            messages.success(request, _("Lead “%(lead)s” created.") % {"lead": lead})
            return redirect_to(reverse("leads:detail", args=[lead.pk]), request)
    return _form_page(request, form, lead=None)


@require_http_methods(["GET", "POST"])
def lead_edit_view(request, pk: int):
    lead = visible_lead(request, pk)
    if lead.is_converted:
        messages.error(request, _("A converted lead is read-only."))
        return redirect("leads:detail", pk=lead.pk)
    fields = LeadForm(actor=request.user).fields
    initial = {name: getattr(lead, name) for name in fields if name != "seen"}
    initial["country"] = lead.country.code or ""
    form = LeadForm(request.POST or None, initial=initial, actor=request.user)
    form.show_record(lead)
    if request.method == "POST" and form.is_valid():
        with refusals_onto(form):
            lead = services.lead_update(
                actor=request.user, lead=lead, seen=form.seen_values(), **form.service_data()
            )
        if not form.errors:
            messages.success(request, _("Changes saved."))
            return redirect_to(reverse("leads:detail", args=[lead.pk]), request)
    return _form_page(request, form, lead=lead)


def _form_page(request, form, *, lead):
    status = 422 if form.is_bound and form.errors else 200
    return render_page(
        request,
        "leads/form.html",
        "leads/partials/form.html",
        {"form": form, "lead": lead},
        status=status,
    )


# --- Detail, status, qualification ------------------------------------------------------


STATUS_PATH = [LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURING]


@require_GET
def lead_detail_view(request, pk: int):
    lead = visible_lead(request, pk)
    return render(request, "leads/detail.html", _detail_context(lead))


def _detail_context(lead: Lead, qualification_form=None) -> dict:
    closed_step = LeadStatus.UNQUALIFIED if lead.status == LeadStatus.UNQUALIFIED else None
    return {
        "lead": lead,
        "path": STATUS_PATH + [closed_step or LeadStatus.CONVERTED],
        "allowed": transitions.allowed_moves(lead.status),
        "checklist": lead.qualification_checklist(),
        "gaps": lead.qualification_gaps,
        "qualification_form": qualification_form or _qualification_form(lead),
        "reasons": disqualify_reason_labels(),
        "statuses": LeadStatus,
    }


def _qualification_form(lead: Lead, data=None) -> QualificationForm:
    form = QualificationForm(data)
    form.initial = {name: getattr(lead, name) for name in form.fields if name != "seen"}
    form.show_record(lead)
    return form


@require_POST
def lead_status_view(request, pk: int):
    """Move the lead to another status (disqualify needs a reason; reopen brings an
    unqualified lead back). A refused move answers with the reason it was refused."""
    lead = visible_lead(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return error_response(_("Choose a status."), status=422)
    status = form.cleaned_data["status"]
    try:
        if lead.status == LeadStatus.UNQUALIFIED and status == LeadStatus.WORKING:
            services.lead_reopen(actor=request.user, lead=lead)
        else:
            services.lead_change_status(
                actor=request.user, lead=lead, status=status, reason=form.reason_text()
            )
    except REFUSALS as exc:
        message = " ".join(refusal_messages(exc))
        if is_htmx(request):
            return error_response(message, status=409 if isinstance(exc, Conflict) else 422)
        messages.error(request, message)
        return redirect("leads:detail", pk=lead.pk)
    messages.success(
        request, _("Status changed to “%(status)s”.") % {"status": LeadStatus(status).label}
    )
    return redirect_to(reverse("leads:detail", args=[lead.pk]), request)


@require_POST
def lead_qualification_view(request, pk: int):
    lead = visible_lead(request, pk)
    form = _qualification_form(lead, request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "seen"}
        with refusals_onto(form):
            lead = services.lead_update(
                actor=request.user, lead=lead, seen=form.seen_values(), **data
            )
        if not form.errors:
            return render(
                request,
                "leads/partials/qualification.html",
                {**_detail_context(lead), "saved": True},
            )
    return render(
        request,
        "leads/partials/qualification.html",
        _detail_context(lead, qualification_form=form),
        status=422,
    )

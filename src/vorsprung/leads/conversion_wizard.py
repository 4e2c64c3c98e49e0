"""The convert wizard: suggests existing organizations and contacts, lets the user pick or
create, sets up the opportunity and converts in one step (``lead_convert``)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vorsprung.core.errors import ValidationError
from vorsprung.customers.models import Contact, Organization
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.leads import services
from vorsprung.leads.forms import ConvertForm
from vorsprung.leads.models import ConversionPolicy, Lead
from vorsprung.leads.selectors import conversion_matches, lead_get
from vorsprung.sales.selectors import pipeline_default, pipeline_open_stages, stage_none
from vorsprung.ui.forms import refusals_onto
from vorsprung.ui.htmx import redirect_to
from vorsprung.ui.pages import record_or_404

SEARCH_ROWS = 10
# Service error fields → the wizard's fields
FIELD_MAP = {
    "organization_id": "organization",
    "contact_id": "contact",
    "opportunity.name": "opportunity_name",
    "opportunity.amount": "amount",
    "opportunity.currency": "currency",
    "opportunity.close_date": "close_date",
    "opportunity.expected_close_date": "close_date",
    "opportunity.stage": "stage",
}


def _lead(request, pk: int) -> Lead:
    return record_or_404(lead_get, user=request.user, pk=pk)


def _open_stages():
    try:
        return pipeline_open_stages(pipeline_default())
    except ValidationError:
        return stage_none()


def _initial(lead: Lead, matches, stages) -> dict:
    """A strong match is picked (same domain or exactly the same name for the
    organization, same e-mail for the contact); "create new" stays one click away."""
    organization, contact = matches.suggested()
    return {
        "organization": str(organization.pk) if organization else "new" if lead.company else "none",
        "contact": str(contact.pk) if contact else "new",
        "create_opportunity": bool(lead.company),
        "opportunity_name": lead.company,
        "amount": lead.budget_amount,
        "currency": lead.budget_currency or settings.VORSPRUNG_DEFAULT_CURRENCY,
        "close_date": services.conversion_close_date(lead),
        "stage": stages.first(),
    }


def conversion_message(result) -> str:
    """What the conversion made, each record named once and in quotes (a name of its own
    that ends in a full stop then does not end the sentence twice); an opportunity named
    after its organization is not named again."""
    parts = []
    if result.contact is not None:
        parts.append(_("contact “%(name)s”") % {"name": result.contact})
    if result.organization is not None:
        parts.append(_("organization “%(name)s”") % {"name": result.organization.name})
    if result.opportunity is not None:
        if result.organization is not None and result.opportunity.name == result.organization.name:
            parts.append(_("an opportunity for it"))
        else:
            parts.append(_("opportunity “%(name)s”") % {"name": result.opportunity.name})
    return _("Lead converted into %(records)s.") % {"records": ", ".join(parts)}


def _pick(queryset, value: str, field: str, form: ConvertForm):
    """An existing record by id among those the user may see; None for "new"/"none"."""
    if value in ("", "new", "none"):
        return None
    try:
        return queryset.get(pk=int(value))
    except (ValueError, queryset.model.DoesNotExist):
        form.add_error(field, _("Choose one of the offered records."))
        return None


@require_http_methods(["GET", "POST"])
def convert_view(request, pk: int):
    lead = _lead(request, pk)
    if lead.is_converted:
        messages.info(request, _("This lead is already converted."))
        return redirect("leads:detail", pk=lead.pk)
    matches = conversion_matches(user=request.user, lead=lead)
    stages = _open_stages()
    form = ConvertForm(request.POST or None, initial=_initial(lead, matches, stages), stages=stages)
    if request.method == "POST" and form.is_valid():
        result = _convert(request, lead, form)
        if result is not None:
            target = result.opportunity or result.contact
            messages.success(request, conversion_message(result))
            name = "sales:opportunity_detail" if result.opportunity else "customers:contact_detail"
            return redirect_to(reverse(name, args=[target.pk]), request)
    policy = ConversionPolicy.current()
    context = {
        "lead": lead,
        "form": form,
        "matches": matches,
        "checklist": lead.qualification_checklist(),
        "gaps": lead.qualification_gaps,
        "strict": policy.require_complete_qualification,
        "chosen_organization": _chosen(request, form, "organization", Organization),
        "chosen_contact": _chosen(request, form, "contact", Contact),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "leads/convert.html", context, status=status)


def _chosen(request, form, field: str, model):
    """A record picked through the search box (not among the suggestions), so it stays
    on the page when the form comes back with errors."""
    value = form.data.get(field, "") if form.is_bound else ""
    if not value.isdigit():
        return None
    selector = organization_list if model is Organization else contact_list
    return selector(user=request.user).filter(pk=int(value)).first()


def _convert(request, lead: Lead, form: ConvertForm):
    data = form.cleaned_data
    user = request.user
    organization = _pick(organization_list(user=user), data["organization"], "organization", form)
    contact = _pick(
        contact_list(user=user).select_related("organization"), data["contact"], "contact", form
    )
    if form.errors:
        return None
    options = {
        "name": data["opportunity_name"],
        "amount": data["amount"],
        "currency": data["currency"],
        "close_date": data["close_date"],
    }
    if data["stage"] is not None:
        options["stage"] = data["stage"]
        options["pipeline"] = data["stage"].pipeline
    with refusals_onto(form, FIELD_MAP):
        return services.lead_convert(
            actor=user,
            lead=lead,
            organization=organization,
            contact=contact,
            create_opportunity=data["create_opportunity"],
            opportunity={k: v for k, v in options.items() if v not in (None, "")},
            accept_qualification_gaps=data["accept_qualification_gaps"],
        )
    return None


@require_GET
def convert_search_view(request, pk: int, kind: str):
    """Other existing organizations or contacts to attach to, found by name or e-mail,
    rendered as more choices of the wizard's radio group."""
    lead = _lead(request, pk)
    q = request.GET.get("q", "").strip()
    records = []
    if len(q) >= 2:
        if kind == "organization":
            records = list(organization_list(user=request.user, filters={"q": q})[:SEARCH_ROWS])
        else:
            records = list(
                contact_list(user=request.user, filters={"q": q}).select_related("organization")[
                    :SEARCH_ROWS
                ]
            )
    return render(
        request,
        "leads/partials/convert_search_results.html",
        {"lead": lead, "records": records, "kind": kind, "q": q},
    )

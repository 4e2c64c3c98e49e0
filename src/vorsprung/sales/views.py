"""Pages for opportunities and the pipeline board. Reads go through ``sales.selectors``
(visibility included), every change through ``sales.services``."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vorsprung.core.errors import REFUSALS, Conflict, NotAllowed, ValidationError, refusal_messages
from vorsprung.core.pagination import keyset_page
from vorsprung.core.records import RecordType, record_kind
from vorsprung.customers.selectors import contact_get, organization_get, organization_list
from vorsprung.sales import selectors, services
from vorsprung.sales.choices import STAGE_COLOURS, LeadSource
from vorsprung.sales.filtersets import STATUS_OPEN, OpportunityFilterSet
from vorsprung.sales.forms import (
    BoardFilterForm,
    ContactRoleForm,
    LostReasonForm,
    OpportunityCreateForm,
    OpportunityEditForm,
    StageMoveForm,
)
from vorsprung.sales.models import Opportunity, Stage
from vorsprung.ui.forms import FilterForm, refusals_onto
from vorsprung.ui.htmx import error_response, is_htmx, redirect_to, render_page
from vorsprung.ui.pages import page_or_first, record_or_404, safe_next
from vorsprung.ui.templatetags.ui import money, number

PAGE_SIZE = 50
COLUMN_SIZE = 50
ORGANIZATION_OPTIONS = 10
# Opportunities an organization's or a contact's page shows per group; the group's count
# says how many there are.
PANEL_ROWS = 20


def _opportunity_or_404(request: HttpRequest, pk: int) -> Opportunity:
    return record_or_404(selectors.opportunity_get, user=request.user, pk=pk)


def _error_text(exc: Exception) -> str:
    return " ".join(refusal_messages(exc))


def _error_status(exc: Exception) -> int:
    if isinstance(exc, NotAllowed):
        return 403
    return 409 if isinstance(exc, Conflict) else 400


def _refusal(request: HttpRequest, exc: Exception, next_url: str) -> HttpResponse:
    """A service's refusal: an alert for scripts (htmx, the board), a message on the next
    page for a plain form post."""
    if is_htmx(request) or _wants_json(request):
        return error_response(_error_text(exc), status=_error_status(exc))
    messages.error(request, _error_text(exc))
    return redirect_to(next_url, request)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# Opportunity list ---------------------------------------------------------------------


@require_GET
def opportunity_list(request):
    params = request.GET.copy()
    if "sort" in params:  # the ordering's name in older links
        params.setdefault("ordering", params.pop("sort")[-1])
    filterset = OpportunityFilterSet(params, user=request.user, form=FilterForm)
    form = filterset.form
    # The list shows the open opportunities unless told otherwise.
    filters = {"status": STATUS_OPEN, **filterset.values()}
    queryset = selectors.opportunity_list(user=request.user, filters=filters)
    ordering = filterset.chosen_ordering()
    cursor = request.GET.get("cursor") or None
    page, page_error = page_or_first(queryset, ordering=ordering, cursor=cursor, limit=PAGE_SIZE)
    if page_error:
        cursor = None
    context = {
        "form": form,
        "page": page,
        "cursor": cursor,
        "page_error": page_error,
        "today": timezone.localdate(),
        "stage_colours": STAGE_COLOURS,
    }
    return render_page(
        request, "sales/opportunity_list.html", "sales/partials/opportunity_table.html", context
    )


# Opportunity detail, create, edit ---------------------------------------------------------


@require_GET
def opportunity_detail(request, pk: int):
    opportunity = _opportunity_or_404(request, pk)
    stages = selectors.board_stages(pipeline=opportunity.pipeline)
    source_lead = None
    if opportunity.source_lead_id:
        # The lead app sits above this one: its records are read through the registry.
        leads = record_kind(RecordType.LEAD).list(user=request.user)
        source_lead = leads.filter(pk=opportunity.source_lead_id).first()
    source_label = (
        LeadSource(opportunity.source).label
        if opportunity.source in LeadSource.values
        else opportunity.source
    )
    context = {
        "opportunity": opportunity,
        "stages": stages,
        "open_stages": [s for s in stages if not s.is_closed],
        "contact_roles": list(
            selectors.opportunity_contact_roles(user=request.user, opportunity=opportunity)
        ),
        "role_form": ContactRoleForm(user=request.user, opportunity=opportunity),
        "source_lead": source_lead,
        "source_label": source_label,
        "lost_form": LostReasonForm(),
        "today": timezone.localdate(),
        "stage_colours": STAGE_COLOURS,
    }
    return render(request, "sales/opportunity_detail.html", context)


def _focus_first_error(form) -> None:
    """After a refused submit the first field with an error gets the focus (htmx honours
    ``autofocus`` in swapped content), so keyboard and screen reader users land on it."""
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return


def _form_page(request, form, *, title: str, action: str, cancel_url: str, status: int = 200):
    if status == 422:
        _focus_first_error(form)
    context = {"form": form, "title": title, "action": action, "cancel_url": cancel_url}
    return render_page(
        request,
        "sales/opportunity_form.html",
        "sales/partials/opportunity_form.html",
        context,
        status=status,
    )


@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    action = reverse("sales:opportunity_create")
    cancel_url = reverse("sales:opportunity_list")
    if request.method == "GET":
        initial = {"organization": request.GET.get("organization")}
        form = OpportunityCreateForm(user=request.user, initial=initial)
        return _form_page(
            request, form, title=_("New opportunity"), action=action, cancel_url=cancel_url
        )
    form = OpportunityCreateForm(request.POST, user=request.user)
    if form.is_valid():
        with refusals_onto(form):
            opportunity = services.opportunity_create(actor=request.user, **form.service_data())
        if not form.errors:
            return redirect_to(reverse("sales:opportunity_detail", args=[opportunity.pk]), request)
    return _form_page(
        request,
        form,
        title=_("New opportunity"),
        action=action,
        cancel_url=cancel_url,
        status=422,
    )


@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk: int):
    opportunity = _opportunity_or_404(request, pk)
    detail_url = reverse("sales:opportunity_detail", args=[pk])
    page = {
        "title": _("Edit “%(name)s”") % {"name": opportunity.name},
        "action": reverse("sales:opportunity_edit", args=[pk]),
        "cancel_url": detail_url,
    }
    if request.method == "GET":
        form = OpportunityEditForm(user=request.user, opportunity=opportunity)
        return _form_page(request, form, **page)
    form = OpportunityEditForm(request.POST, user=request.user, opportunity=opportunity)
    if form.is_valid():
        with refusals_onto(form):
            services.opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                seen=form.seen_values(),
                **form.service_data(),
            )
        if not form.errors:
            return redirect_to(detail_url, request)
    return _form_page(request, form, status=422, **page)


@require_GET
def organization_options(request):
    """Organizations matching what was typed into the organization picker, as radio
    buttons; the one picked before stays first."""
    selected = None
    selected_id = request.GET.get("organization", "")
    organizations = organization_list(user=request.user)
    if selected_id.isdigit():
        selected = organizations.filter(pk=int(selected_id)).first()
    q = request.GET.get("organization_q", "").strip()
    matches = []
    if q:
        matches = [
            organization
            for organization in organization_list(user=request.user, filters={"q": q})[
                : ORGANIZATION_OPTIONS + 1
            ]
            if selected is None or organization.pk != selected.pk
        ][:ORGANIZATION_OPTIONS]
    context = {
        "selected": selected,
        "organizations": matches,
        "query": q,
        "field_name": "organization",
    }
    return render(request, "sales/partials/organization_options.html", context)


# Stage changes ----------------------------------------------------------------------------


def _board_query(request: HttpRequest) -> dict:
    """The board filters a move came with (in the URL), to compute the column totals."""
    return {
        name: [int(value)]
        for name in ("owner", "team")
        if (value := request.GET.get(name, "")).isdigit()
    }


@require_POST
def opportunity_stage(request, pk: int):
    """Move an opportunity to another stage of its pipeline. The board's script asks for
    JSON and gets both columns' new count and sum back."""
    try:
        opportunity = selectors.opportunity_get(user=request.user, id=pk)
    except Opportunity.DoesNotExist:
        message = _("This opportunity was deleted or moved out of your sight; reload the board.")
        if _wants_json(request):
            return error_response(message, status=404)
        raise Http404(message) from None
    previous_stage_id = opportunity.stage_id
    previous_stage = opportunity.stage
    detail_url = reverse("sales:opportunity_detail", args=[pk])
    next_url = safe_next(request, detail_url)
    form = StageMoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [message for messages_ in form.errors.values() for message in messages_]
            )
        stage = Stage.objects.filter(pk=form.cleaned_data["stage"]).first()
        if stage is None:
            raise ValidationError({"stage": [_("This stage does not exist.")]})
        moved = services.opportunity_move_stage(
            actor=request.user,
            opportunity=opportunity,
            stage=stage,
            lost_reason=form.lost_reason(),
        )
    except REFUSALS as exc:
        return _refusal(request, exc, next_url)
    if _wants_json(request):
        filters = _board_query(request)
        stages = {previous_stage_id: previous_stage, moved.stage_id: moved.stage}
        return JsonResponse(
            {
                "opportunity": moved.pk,
                "stage": moved.stage_id,
                "previous_stage": previous_stage_id,
                "message": _("Moved “%(name)s” to %(stage)s.")
                % {"name": moved.name, "stage": stage.shown_name},
                "columns": {
                    str(stage_id): _column_header(
                        selectors.board_column_total(
                            user=request.user, stage=column_stage, filters=filters
                        )
                    )
                    for stage_id, column_stage in stages.items()
                },
            }
        )
    return redirect_to(next_url, request)


@require_POST
def opportunity_won(request, pk: int):
    opportunity = _opportunity_or_404(request, pk)
    detail_url = reverse("sales:opportunity_detail", args=[pk])
    try:
        services.opportunity_mark_won(actor=request.user, opportunity=opportunity)
    except REFUSALS as exc:
        return _refusal(request, exc, detail_url)
    return redirect_to(detail_url, request)


@require_http_methods(["GET", "POST"])
def opportunity_lost(request, pk: int):
    """The reason dialog (a page of its own without scripts) and closing as lost."""
    opportunity = _opportunity_or_404(request, pk)
    detail_url = reverse("sales:opportunity_detail", args=[pk])
    status = 200
    if request.method == "POST":
        form = LostReasonForm(request.POST)
        if form.is_valid():
            with refusals_onto(form, {"lost_reason": "reason"}):
                services.opportunity_mark_lost(
                    actor=request.user, opportunity=opportunity, reason=form.lost_reason()
                )
            if not form.errors:
                return redirect_to(detail_url, request)
        status = 422
        _focus_first_error(form)
    else:
        form = LostReasonForm()
    context = {"opportunity": opportunity, "lost_form": form, "in_modal": is_htmx(request)}
    return render_page(
        request,
        "sales/opportunity_lost.html",
        "sales/partials/lost_form.html",
        context,
        status=status,
    )


@require_POST
def opportunity_contact_role_add(request, pk: int):
    opportunity = _opportunity_or_404(request, pk)
    detail_url = reverse("sales:opportunity_detail", args=[pk])
    form = ContactRoleForm(request.POST, user=request.user, opportunity=opportunity)
    if not form.is_valid():
        text = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return _refusal(request, ValidationError(text), detail_url)
    try:
        role = services.opportunity_add_contact_role(
            actor=request.user, opportunity=opportunity, **form.cleaned_data
        )
    except REFUSALS as exc:
        return _refusal(request, exc, detail_url)
    messages.success(
        request,
        _("%(contact)s takes part as %(role)s.")
        % {"contact": role.contact, "role": role.get_role_display()},
    )
    return redirect_to(detail_url, request)


@require_POST
def opportunity_contact_role_remove(request, pk: int, role_id: int):
    opportunity = _opportunity_or_404(request, pk)
    roles = selectors.opportunity_contact_roles(user=request.user, opportunity=opportunity)
    role = roles.filter(pk=role_id).first()
    if role is None:
        raise Http404(_("No such record."))
    services.opportunity_remove_contact_role(
        actor=request.user, opportunity=opportunity, contact_role=role
    )
    messages.success(
        request,
        _("%(contact)s no longer takes part as %(role)s.")
        % {"contact": role.contact, "role": role.get_role_display()},
    )
    return redirect_to(reverse("sales:opportunity_detail", args=[pk]), request)


# Panels on the organization and contact pages ------------------------------------------
# The customers app sits below this one: its pages load these panels by URL (htmx), so
# that customers never imports sales.


@require_GET
def organization_opportunities(request, pk: int):
    """The organization's open, won and lost opportunities the user may see."""
    organization = record_or_404(organization_get, user=request.user, pk=pk)
    groups = selectors.organization_opportunities(
        user=request.user, organization=organization, rows=PANEL_ROWS
    )
    titles = {"open": _("Open"), "won": _("Won"), "lost": _("Lost")}
    context = {
        "organization": organization,
        "opportunity_groups": [
            {
                "key": group.outcome,
                "title": titles[group.outcome],
                "colour": STAGE_COLOURS[group.outcome],
                "count": group.count,
                "rows": group.rows,
            }
            for group in groups
        ],
    }
    return render_page(
        request,
        "sales/organization_opportunities.html",
        "sales/partials/organization_opportunities.html",
        context,
    )


@require_GET
def contact_opportunities(request, pk: int):
    """The opportunities the user may see in which the contact is the primary contact or
    has a role."""
    contact = record_or_404(contact_get, user=request.user, pk=pk)
    rows, count = selectors.contact_opportunities(
        user=request.user, contact=contact, rows=PANEL_ROWS
    )
    for opportunity in rows:
        opportunity.state = (
            "won" if opportunity.is_won else "lost" if opportunity.is_closed else "open"
        )
        opportunity.state_colour = STAGE_COLOURS[opportunity.state]
    context = {"contact": contact, "opportunities": rows, "opportunity_count": count}
    return render_page(
        request,
        "sales/contact_opportunities.html",
        "sales/partials/contact_opportunities.html",
        context,
    )


# Board ---------------------------------------------------------------------------------


def _amounts_text(total) -> str:
    if total is None or not total.amounts:
        return money(0)
    default = settings.VORSPRUNG_DEFAULT_CURRENCY
    amounts = sorted(total.amounts, key=lambda pair: (pair[0] != default, pair[0]))
    return " · ".join(money(amount, currency) for currency, amount in amounts)


def _column_header(total) -> dict:
    count = total.count if total else 0
    return {"count": count, "count_text": number(count), "sum_text": _amounts_text(total)}


@require_GET
def board(request):
    pipelines = list(selectors.pipeline_list())
    form = BoardFilterForm(request.GET, user=request.user, pipelines=pipelines)
    form.is_valid()
    pipeline_id = form.pipeline_id()
    pipeline = next(
        (p for p in pipelines if p.pk == pipeline_id), pipelines[0] if pipelines else None
    )
    filters = form.filters()
    query_values = {name: values[0] for name, values in filters.items()}
    query = urlencode(query_values)
    # Each column brings its own count and sum when it loads (see board_column).
    columns = [] if pipeline is None else selectors.board_stages(pipeline=pipeline)
    board_url = reverse("sales:board")
    if pipeline is not None:
        board_url += "?" + urlencode({"pipeline": pipeline.pk, **query_values})
    context = {
        "form": form,
        "pipeline": pipeline,
        "columns": columns,
        "filter_query": query,
        "board_url": board_url,
        "closed_days": selectors.BOARD_CLOSED_DAYS,
        "lost_form": LostReasonForm(auto_id="lost_%s"),
        "board_text": {
            "requestFailed": _("The request failed; nothing was changed. Please try again."),
        },
    }
    return render_page(request, "sales/board.html", "sales/partials/board_area.html", context)


@require_GET
def board_column(request, stage_id: int):
    """One column's cards, ``COLUMN_SIZE`` at a time, with a button for the next ones."""
    stage = (
        Stage.objects.select_related("pipeline")
        .filter(pk=stage_id, pipeline__is_active=True)
        .first()
    )
    if stage is None:
        raise Http404(_("No such stage."))
    filters = _board_query(request)
    queryset = selectors.board_column_list(user=request.user, stage=stage, filters=filters)
    # Soonest close first; in a won or lost column the latest first. Both walk the index
    # on (is_closed, expected_close_date, id) and stop after a page.
    ordering = "-expected_close_date" if stage.is_closed else "expected_close_date"
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(queryset, ordering=ordering, cursor=cursor, limit=COLUMN_SIZE)
    except ValidationError as exc:
        return error_response(_error_text(exc), status=400)
    query = {name: values[0] for name, values in filters.items()}
    column_url = reverse("sales:board_column", args=[stage.pk])
    context = {
        "stage": stage,
        "page": page,
        "first_page": cursor is None,
        "stages": selectors.board_stages(pipeline=stage.pipeline),
        "more_url": (
            f"{column_url}?{urlencode({**query, 'cursor': page.next_cursor})}"
            if page.next_cursor
            else ""
        ),
        "board_url": reverse("sales:board")
        + "?"
        + urlencode({"pipeline": stage.pipeline_id, **query}),
        "today": timezone.localdate(),
    }
    if cursor is None:
        total = selectors.board_column_total(user=request.user, stage=stage, filters=filters)
        context["header"] = _column_header(total)
    return render(request, "sales/partials/board_cards.html", context)

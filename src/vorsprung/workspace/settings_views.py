"""The settings area: users, teams, pipelines, reason lists and the conversion policy.
Administrators only; every other user gets a 403 page that says so. Views translate form
input into one service call and the outcome into a page."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.accounts.services import (
    team_create,
    team_delete,
    team_update,
    user_create,
    user_update,
)
from vorsprung.core.errors import REFUSALS, Conflict, NotAllowed, ValidationError, refusal_messages
from vorsprung.leads.policy import (
    conversion_policy_update,
    disqualify_reason_create,
    disqualify_reason_delete,
    disqualify_reason_retire,
    disqualify_reason_update,
)
from vorsprung.leads.selectors import (
    conversion_policy_get,
    disqualify_reason_get,
    disqualify_reason_list,
)
from vorsprung.sales.models import Pipeline
from vorsprung.sales.rates import (
    base_currency,
    exchange_rate_create,
    exchange_rate_delete,
    exchange_rate_list,
)
from vorsprung.sales.reasons import lost_reason_create, lost_reason_retire, lost_reason_update
from vorsprung.sales.selectors import (
    lost_reason_get,
    lost_reason_list,
    pipeline_get,
    pipeline_overview,
    stage_list,
)
from vorsprung.sales.services import pipeline_create, pipeline_delete, pipeline_update
from vorsprung.sales.stages import pipeline_update_stages
from vorsprung.ui.forms import add_service_errors, refusals_onto
from vorsprung.ui.htmx import is_htmx, redirect_to, render_page
from vorsprung.ui.pages import page_or_first
from vorsprung.workspace.settings_forms import (
    ConversionPolicyForm,
    ExchangeRateForm,
    NewPipelineStageFormSet,
    PipelineCreateForm,
    PipelineForm,
    ReasonChangeForm,
    ReasonForm,
    StageFormSet,
    TeamForm,
    UserCreateForm,
    UserEditForm,
)

PAGE_SIZE = 50

SECTIONS = [
    ("users", gettext_lazy("Users"), "settings:users"),
    ("teams", gettext_lazy("Teams"), "settings:teams"),
    ("pipelines", gettext_lazy("Pipelines"), "settings:pipelines"),
    ("lost-reasons", gettext_lazy("Lost reasons"), "settings:lost_reasons"),
    (
        "disqualification-reasons",
        gettext_lazy("Disqualification reasons"),
        "settings:disqualification_reasons",
    ),
    ("conversion", gettext_lazy("Conversion"), "settings:conversion"),
    ("exchange-rates", gettext_lazy("Exchange rates"), "settings:exchange_rates"),
]


def admin_required(view):
    """Settings are for administrators; anyone else is told so, with a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_crm_admin:
            return render(request, "workspace/settings/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _posted(request):
    """The POST data for a form to read, or None on GET (an unticked checkbox alone
    makes an empty POST, which must still count as sent)."""
    return request.POST if request.method == "POST" else None


def _page(request, template: str, section: str, status: int = 200, **context):
    context.update(section=section, settings_sections=SECTIONS)
    return render(request, f"workspace/settings/{template}", context, status=status)


def _form_page(request, form, save, *, done, next_url, template, section, **context):
    """GET: the form. POST: ``save(cleaned_data)`` (one service call); on success a
    message (``done(saved)``) and a redirect, on refusal the form again with the
    service's errors beside their fields (422)."""
    if request.method == "POST" and form.is_valid():
        with refusals_onto(form):
            saved = save(form.cleaned_data)
        if not form.errors:
            messages.success(request, done(saved))
            return redirect_to(next_url, request)
    status = 422 if form.is_bound else 200
    return _page(request, template, section, status=status, form=form, **context)


def _or_404(getter, pk: int):
    """A record from another app's ``*_get`` selector, or a 404."""
    try:
        return getter(id=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _keyset(request, queryset, ordering: str):
    """One page of a list, and the message to show when the cursor was not valid."""
    return page_or_first(
        queryset, ordering=ordering, cursor=request.GET.get("cursor"), limit=PAGE_SIZE
    )


@require_GET
@admin_required
def index(request):
    return _page(request, "index.html", "index")


# Users


@require_GET
@admin_required
def users(request):
    page, cursor_error = _keyset(request, User.objects.select_related("team"), "username")
    return _page(request, "users.html", "users", page=page, cursor_error=cursor_error)


@require_http_methods(["GET", "POST"])
@admin_required
def user_new(request):
    form = UserCreateForm(_posted(request), initial={"role": Role.SALES_REP})
    return _form_page(
        request,
        form,
        lambda data: user_create(actor=request.user, **form.service_data()),
        done=lambda saved: _("User “%(name)s” created.") % {"name": saved.username},
        next_url=reverse("settings:users"),
        template="user_form.html",
        section="users",
    )


@require_http_methods(["GET", "POST"])
@admin_required
def user_edit(request, pk: int):
    person = get_object_or_404(User.objects.select_related("team"), pk=pk)
    return _form_page(
        request,
        UserEditForm(_posted(request), initial=UserEditForm.initial_for(person)),
        lambda data: user_update(actor=request.user, user=person, **data),
        done=lambda saved: _("User “%(name)s” saved.") % {"name": saved.username},
        next_url=reverse("settings:users"),
        template="user_form.html",
        section="users",
        person=person,
    )


# Teams


@require_GET
@admin_required
def teams(request):
    queryset = Team.objects.select_related("manager").annotate(member_count=Count("members"))
    page, cursor_error = _keyset(request, queryset, "name")
    return _page(request, "teams.html", "teams", page=page, cursor_error=cursor_error)


@require_http_methods(["GET", "POST"])
@admin_required
def team_new(request):
    return _team_form(request, None)


@require_http_methods(["GET", "POST"])
@admin_required
def team_edit(request, pk: int):
    return _team_form(request, get_object_or_404(Team, pk=pk))


def _team_form(request, team: Team | None):
    initial = {"name": team.name, "manager": team.manager_id} if team else {}

    def save(data):
        if team is None:
            return team_create(actor=request.user, **data)
        return team_update(actor=request.user, team=team, **data)

    return _form_page(
        request,
        TeamForm(_posted(request), initial=initial),
        save,
        done=lambda saved: _("Team “%(name)s” saved.") % {"name": saved.name},
        next_url=reverse("settings:teams"),
        template="team_form.html",
        section="teams",
        team=team,
    )


@require_http_methods(["GET", "POST"])
@admin_required
def team_remove(request, pk: int):
    team = get_object_or_404(Team.objects.annotate(member_count=Count("members")), pk=pk)
    if request.method == "POST":
        team_delete(actor=request.user, team=team)
        messages.success(request, _("Team “%(name)s” deleted.") % {"name": team.name})
        return redirect_to(reverse("settings:teams"), request)
    return _page(request, "team_delete.html", "teams", team=team)


# Pipelines and stages


@require_GET
@admin_required
def pipelines(request):
    # Pipelines are few (an administrator makes each one), so the list is not paged.
    return _page(request, "pipelines.html", "pipelines", pipelines=pipeline_overview())


def _stage_initial(pipeline: Pipeline) -> list[dict]:
    """The stages as the form shows them: seeded names in the reader's language (saving
    them unchanged renames nothing)."""
    fields = ("id", "probability", "forecast_category", "is_won", "is_lost")
    return [
        {**{field: getattr(stage, field) for field in fields}, "name": stage.shown_name}
        for stage in stage_list(pipeline=pipeline)
    ]


def _add_stage_errors(form, formset, exc: Exception) -> list[str]:
    """Put a service's refusal on the page: ``stages[i].field`` errors on the i-th chosen
    row, other field errors on the pipeline form (if there is one); return the messages
    about the stage list as a whole, shown above the table."""
    if not (isinstance(exc, ValidationError) and hasattr(exc, "error_dict")):
        if form is None:
            return refusal_messages(exc)
        add_service_errors(form, exc)
        return []
    rows = formset.chosen_forms()
    general, others = [], {}
    for key, messages_ in exc.message_dict.items():
        if not key.startswith("stages"):
            others[key] = messages_
            continue
        index, _sep, field = key.removeprefix("stages[").partition("]")
        row = rows[int(index)] if index.isdigit() and int(index) < len(rows) else None
        for message in messages_:
            if row is None:
                general.append(message)
            else:
                field = field.lstrip(".")
                row.add_error(field if field in row.fields else None, message)
                row.mark_invalid()
    if others and form is not None:
        add_service_errors(form, ValidationError(others))
    elif others:
        general.extend(message for messages_ in others.values() for message in messages_)
    return general


@require_http_methods(["GET", "POST"])
@admin_required
def pipeline_new(request):
    form = PipelineCreateForm(_posted(request))
    formset = NewPipelineStageFormSet(_posted(request), prefix="stages")
    stage_errors: list[str] = []
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            pipeline = pipeline_create(
                actor=request.user, stages=formset.stage_specs(), **form.cleaned_data
            )
        except REFUSALS as exc:
            stage_errors = _add_stage_errors(form, formset, exc)
        else:
            messages.success(
                request, _("Pipeline “%(name)s” created.") % {"name": pipeline.shown_name}
            )
            return redirect_to(reverse("settings:pipeline_edit", args=[pipeline.pk]), request)
    status = 422 if form.is_bound else 200
    context = {"form": form, "formset": formset, "stage_errors": stage_errors}
    return _page(request, "pipeline_new.html", "pipelines", status=status, **context)


def _pipeline_page(request, pipeline, *, form=None, formset=None, stage_errors=(), status=200):
    form = form or PipelineForm(
        initial={
            "name": pipeline.shown_name,
            "is_default": pipeline.is_default,
            "is_active": pipeline.is_active,
        }
    )
    formset = formset or StageFormSet(initial=_stage_initial(pipeline), prefix="stages")
    context = {
        "pipeline": pipeline,
        "form": form,
        "formset": formset,
        "stage_errors": stage_errors,
    }
    return _page(request, "pipeline_edit.html", "pipelines", status=status, **context)


@require_http_methods(["GET", "POST"])
@admin_required
def pipeline_edit(request, pk: int):
    """The pipeline's own fields; its stages are saved by ``pipeline_stages``."""
    pipeline = _or_404(pipeline_get, pk)
    if request.method == "GET":
        return _pipeline_page(request, pipeline)
    form = PipelineForm(request.POST)
    if form.is_valid():
        with refusals_onto(form):
            pipeline = pipeline_update(actor=request.user, pipeline=pipeline, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Pipeline “%(name)s” saved.") % {"name": pipeline})
            return redirect_to(reverse("settings:pipeline_edit", args=[pipeline.pk]), request)
    return _pipeline_page(request, pipeline, form=form, status=422)


@require_POST
@admin_required
def pipeline_stages(request, pk: int):
    pipeline = _or_404(pipeline_get, pk)
    formset = StageFormSet(request.POST, initial=_stage_initial(pipeline), prefix="stages")
    stage_errors: list[str] = []
    if formset.is_valid():
        try:
            pipeline_update_stages(
                actor=request.user, pipeline=pipeline, stages=formset.stage_specs()
            )
        except REFUSALS as exc:
            stage_errors = _add_stage_errors(None, formset, exc)
        else:
            messages.success(
                request, _("Stages of “%(name)s” saved.") % {"name": pipeline.shown_name}
            )
            return redirect_to(reverse("settings:pipeline_edit", args=[pipeline.pk]), request)
    return _pipeline_page(request, pipeline, formset=formset, stage_errors=stage_errors, status=422)


@require_http_methods(["GET", "POST"])
@admin_required
def pipeline_remove(request, pk: int):
    pipeline = _or_404(pipeline_get, pk)
    if request.method == "POST":
        try:
            pipeline_delete(actor=request.user, pipeline=pipeline)
        except (Conflict, NotAllowed) as exc:
            context = {"pipeline": pipeline, "refusal": exc.message}
            return _page(request, "pipeline_delete.html", "pipelines", status=409, **context)
        messages.success(request, _("Pipeline “%(name)s” deleted.") % {"name": pipeline.shown_name})
        return redirect_to(reverse("settings:pipelines"), request)
    return _page(request, "pipeline_delete.html", "pipelines", pipeline=pipeline)


# Reason lists


@dataclass(frozen=True)
class ReasonList:
    """One admin-kept list of reasons and the services that change it."""

    slug: str
    entries: Callable  # (include_retired=) -> the list in its order
    get: Callable  # (id=) -> one entry, or DoesNotExist
    title: Promise
    intro: Promise
    create: Callable
    update: Callable
    retire: Callable
    delete: Callable | None = None

    @property
    def list_url(self) -> str:
        return reverse(f"settings:{self.slug.replace('-', '_')}")


REASON_LISTS = {
    "lost-reasons": ReasonList(
        slug="lost-reasons",
        entries=lost_reason_list,
        get=lost_reason_get,
        title=gettext_lazy("Lost reasons"),
        intro=gettext_lazy(
            "Offered when an opportunity is closed lost, in this order. Opportunities keep "
            "the reason they were lost for, even after it is renamed or retired."
        ),
        create=lost_reason_create,
        update=lost_reason_update,
        retire=lost_reason_retire,
    ),
    "disqualification-reasons": ReasonList(
        slug="disqualification-reasons",
        entries=disqualify_reason_list,
        get=disqualify_reason_get,
        title=gettext_lazy("Disqualification reasons"),
        intro=gettext_lazy(
            "Offered when a lead is disqualified, in this order. Leads keep the reason they "
            "were disqualified for, even after it is renamed or retired. Deleting a reason "
            "that leads carry retires it instead."
        ),
        create=disqualify_reason_create,
        update=disqualify_reason_update,
        retire=disqualify_reason_retire,
        delete=disqualify_reason_delete,
    ),
}


def _reason_list(kind: str) -> ReasonList:
    try:
        return REASON_LISTS[kind]
    except KeyError:
        raise Http404 from None


def _reasons_page(request, reasons: ReasonList, *, add_form=None, status=200, notice="", row=None):
    """The list page, or for htmx its list part. ``row`` is (pk, typed label, errors) of a
    row whose change was refused."""
    entries = list(reasons.entries(include_retired=True))
    for entry in entries:
        entry.typed_label, entry.errors = entry.shown_name, []
        if row and row[0] == entry.pk:
            entry.typed_label, entry.errors = row[1], row[2]
    context = {
        "reasons": reasons,
        "offered": [entry for entry in entries if entry.is_active],
        "retired": [entry for entry in entries if not entry.is_active],
        "add_form": add_form or ReasonForm(prefix="new"),
        "notice": notice,
        "section": reasons.slug,
        "settings_sections": SECTIONS,
    }
    return render_page(
        request,
        "workspace/settings/reasons.html",
        "workspace/settings/partials/reasons.html",
        context,
        status=status,
    )


def _reason_done(request, reasons: ReasonList, notice: str):
    if is_htmx(request):
        return _reasons_page(request, reasons, notice=notice)
    messages.success(request, notice)
    return redirect_to(reasons.list_url, request)


@require_http_methods(["GET", "POST"])
@admin_required
def reason_list(request, kind: str):
    reasons = _reason_list(kind)
    form = ReasonForm(_posted(request), prefix="new")
    if request.method == "GET":
        return _reasons_page(request, reasons, add_form=form)
    if form.is_valid():
        with refusals_onto(form):
            entry = reasons.create(actor=request.user, label=form.cleaned_data["label"])
        if not form.errors:
            return _reason_done(request, reasons, _("“%(label)s” added.") % {"label": entry})
    return _reasons_page(request, reasons, add_form=form, status=422)


@require_POST
@admin_required
def reason_update(request, kind: str, pk: int):
    """Rename (``label``), move (``position``) or offer a retired reason again
    (``restore``); the form posted names the one change."""
    reasons = _reason_list(kind)
    entry = _or_404(reasons.get, pk)
    form = ReasonChangeForm(request.POST)
    changes = form.changes() if form.is_valid() else {}
    if not changes:
        return HttpResponseBadRequest(_("This change could not be read."))
    try:
        entry = reasons.update(actor=request.user, reason=entry, **changes)
    except REFUSALS as exc:
        refused = exc.messages if isinstance(exc, ValidationError) else [exc.message]
        row = (entry.pk, changes.get("label", entry.label), refused)
        return _reasons_page(request, reasons, status=422, row=row)
    if "label" in changes:
        notice = _("Renamed to “%(label)s”.") % {"label": entry}
    elif "is_active" in changes:
        notice = _("“%(label)s” is offered again.") % {"label": entry}
    else:
        notice = _("“%(label)s” moved.") % {"label": entry}
    return _reason_done(request, reasons, notice)


@require_POST
@admin_required
def reason_retire(request, kind: str, pk: int):
    reasons = _reason_list(kind)
    entry = _or_404(reasons.get, pk)
    entry = reasons.retire(actor=request.user, reason=entry)
    return _reason_done(request, reasons, _("“%(label)s” retired.") % {"label": entry})


@require_POST
@admin_required
def reason_delete(request, kind: str, pk: int):
    reasons = _reason_list(kind)
    if reasons.delete is None:
        raise Http404
    entry = _or_404(reasons.get, pk)
    retired = reasons.delete(actor=request.user, reason=entry)
    if retired is None:
        notice = _("“%(label)s” deleted.") % {"label": entry}
    else:
        notice = _("Leads carry “%(label)s”, so it was retired instead of deleted.") % {
            "label": entry
        }
    return _reason_done(request, reasons, notice)


# Conversion policy


@require_http_methods(["GET", "POST"])
@admin_required
def conversion(request):
    policy = conversion_policy_get()
    initial = {"require_complete_qualification": policy.require_complete_qualification}
    return _form_page(
        request,
        ConversionPolicyForm(_posted(request), initial=initial),
        lambda data: conversion_policy_update(actor=request.user, **data),
        done=lambda saved: _("Conversion policy saved."),
        next_url=reverse("settings:conversion"),
        template="conversion.html",
        section="conversion",
    )


# Exchange rates


@require_http_methods(["GET", "POST"])
@admin_required
def exchange_rates(request):
    """The rates kept for converting totals, and a form to add one."""
    form = ExchangeRateForm(_posted(request), prefix="new")
    return _form_page(
        request,
        form,
        lambda data: exchange_rate_create(actor=request.user, **data),
        done=lambda saved: (
            _("Rate for %(currency)s from %(date)s added.")
            % {"currency": saved.currency, "date": saved.valid_from.isoformat()}
        ),
        next_url=reverse("settings:exchange_rates"),
        template="exchange_rates.html",
        section="exchange-rates",
        rates=list(exchange_rate_list()),
        base_currency=base_currency(),
    )


@require_POST
@admin_required
def exchange_rate_remove(request, pk: int):
    rate = get_object_or_404(exchange_rate_list(), pk=pk)
    exchange_rate_delete(actor=request.user, exchange_rate=rate)
    messages.success(
        request,
        _("Rate for %(currency)s from %(date)s deleted.")
        % {"currency": rate.currency, "date": rate.valid_from.isoformat()},
    )
    return redirect_to(reverse("settings:exchange_rates"), request)

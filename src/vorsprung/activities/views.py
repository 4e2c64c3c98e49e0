"""Pages and partials of activities: the timeline panel every detail page includes, and
the user's open tasks. Reads go through the selectors (visibility), writes through the
services."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vorsprung.activities.choices import KIND_COLOURS, ActivityKind
from vorsprung.activities.forms import LOG_KINDS, ActivityLogForm, FollowUpForm
from vorsprung.activities.models import Activity
from vorsprung.activities.selectors import (
    TIMELINE_LINKS,
    TimelineEntry,
    activity_with_links,
    decode_timeline_cursor,
    encode_timeline_cursor,
    task_page,
    timeline_with_people,
    visible_record,
)
from vorsprung.activities.services import activity_complete, activity_create
from vorsprung.core.errors import Conflict, NotAllowed, ValidationError
from vorsprung.core.records import record_kind
from vorsprung.history.presenters import HistoryItem, group_changes
from vorsprung.ui.forms import add_service_errors
from vorsprung.ui.htmx import error_response, is_htmx, redirect_to, render_page

TIMELINE_PAGE = 25
TASK_PAGE = 100


def detail_url(record_type: str, pk: int) -> str:
    return reverse(record_kind(record_type).detail_url, args=[pk])


# --- the timeline panel -------------------------------------------------------------------


def _record_or_404(user, record_type: str, pk: int):
    try:
        return visible_record(user=user, record_type=record_type, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such record.")) from exc


@dataclass(frozen=True)
class TimelineItem:
    """One line of the timeline as the template shows it: an activity, or one operation
    of the record's history (the fields one user changed at one moment)."""

    activity: Activity | None = None
    history: HistoryItem | None = None
    colour: str = ""


def timeline_item(entry: TimelineEntry) -> TimelineItem:
    """The line of one activity."""
    return TimelineItem(
        activity=entry.activity, colour=KIND_COLOURS.get(entry.activity.kind, "dark")
    )


def timeline_items(entries: list[TimelineEntry]) -> list[TimelineItem]:
    """Activities one per line; consecutive history entries of one operation on one line."""
    items: list[TimelineItem] = []
    pending: list = []

    def flush():
        items.extend(TimelineItem(history=group) for group in group_changes(pending))
        pending.clear()

    for entry in entries:
        if entry.change is not None:
            pending.append(entry.change)
            continue
        flush()
        items.append(timeline_item(entry))
    flush()
    return items


def _timeline_context(
    request,
    record_type: str,
    record,
    *,
    after: tuple | None = None,
    read_only: bool = False,
    with_history: bool = True,
) -> dict:
    entries = timeline_with_people(
        record_type=record_type,
        record_id=record.pk,
        limit=TIMELINE_PAGE,
        after=after,
        with_history=with_history,
    )
    next_cursor = encode_timeline_cursor(entries[-1]) if len(entries) == TIMELINE_PAGE else None
    return {
        "record_type": record_type,
        "record": record,
        "read_only": read_only or _is_read_only(record),
        "items": timeline_items(entries),
        "next_cursor": next_cursor,
        "with_history": with_history,
        "now": timezone.now(),
    }


def _is_read_only(record) -> bool:
    return bool(getattr(record, "is_converted", False))


@require_GET
def timeline(request, record_type: str, pk: int) -> HttpResponse:
    """The record's activities and history, newest first; with ``cursor`` the entries after
    it (the "Show more" button swaps itself for them)."""
    record = _record_or_404(request.user, record_type, pk)
    read_only = request.GET.get("read_only") == "1"
    with_history = request.GET.get("history") != "0"
    cursor = request.GET.get("cursor") or None
    after = None
    if cursor:
        try:
            after = decode_timeline_cursor(cursor)
        except ValidationError as exc:
            if is_htmx(request):
                return error_response(exc.messages[0], status=400)
            messages.error(request, exc.messages[0])
            cursor = None
    context = _timeline_context(
        request, record_type, record, after=after, read_only=read_only, with_history=with_history
    )
    context["detail_url"] = detail_url(record_type, record.pk)
    if is_htmx(request):
        partial = "timeline_items.html" if cursor else "timeline.html"
        return render(request, f"activities/partials/{partial}", context)
    return render(request, "activities/timeline_page.html", context)


def _log_form(kind: str | None, data=None):
    if kind == ActivityKind.TASK:
        return FollowUpForm(data)
    initial = {"kind": kind} if kind in LOG_KINDS else {}
    return ActivityLogForm(data, initial=initial)


@require_http_methods(["GET", "POST"])
def log(request, record_type: str, pk: int) -> HttpResponse:
    """GET: the quick-log form (``?kind=call``, ``?kind=task`` for a follow-up).
    POST: log it on the record via ``activity_create``; answers the refreshed panel, or
    the form with its errors (422)."""
    record = _record_or_404(request.user, record_type, pk)
    kind = (request.POST if request.method == "POST" else request.GET).get("kind")
    context = {
        "record_type": record_type,
        "record": record,
        "detail_url": detail_url(record_type, record.pk),
    }
    if request.method == "GET":
        context["form"] = _log_form(kind)
        return render_page(
            request, "activities/log_page.html", "activities/partials/log_form.html", context
        )

    form = _log_form(kind, request.POST)
    if form.is_valid():
        try:
            activity_create(
                actor=request.user, **{TIMELINE_LINKS[record_type]: record}, **form.activity_data()
            )
        except (ValidationError, Conflict, NotAllowed) as exc:
            add_service_errors(form, exc, field_map={TIMELINE_LINKS[record_type]: None})
        else:
            if not is_htmx(request):
                messages.success(request, _("Saved on the timeline."))
                return redirect_to(context["detail_url"], request)
            # The record may have changed (a call moves a new lead to "working").
            record = _record_or_404(request.user, record_type, pk)
            response = render(
                request,
                "activities/partials/timeline_panel.html",
                {
                    **_timeline_context(request, record_type, record),
                    "timeline_loaded": True,
                    "just_logged": True,
                },
            )
            # Lets the page around the panel refresh what the activity changed (a call
            # moves a new lead to "working"): listen for ``activity-logged`` on the body.
            response["HX-Trigger"] = "activity-logged"
            return response
    context["form"] = form
    response = render_page(
        request,
        "activities/log_page.html",
        "activities/partials/log_form.html",
        context,
        status=422,
    )
    if is_htmx(request):
        response["HX-Retarget"] = f"#log-form-{record_type}-{record.pk}"
        response["HX-Reswap"] = "outerHTML"
    return response


# --- tasks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: Activity
    overdue: bool
    heading: str = ""  # "overdue" or "later": a section starts at this row


def task_rows(tasks: list[Activity], *, now: datetime, previous_overdue: bool | None) -> list:
    """Rows with a heading where the overdue tasks start and where the later ones start;
    ``previous_overdue`` says whether the row before this page was overdue (None: first
    page)."""
    rows = []
    before = previous_overdue
    for task in tasks:
        overdue = task.due_at is not None and task.due_at < now
        heading = ""
        if before is None:
            heading = "overdue" if overdue else "later"
        elif before and not overdue:
            heading = "later"
        rows.append(TaskRow(task=task, overdue=overdue, heading=heading))
        before = overdue
    return rows


@require_GET
def tasks(request) -> HttpResponse:
    """My open tasks, overdue first, 100 at a time."""
    cursor = request.GET.get("cursor") or None
    try:
        page = task_page(user=request.user, cursor=cursor, limit=TASK_PAGE)
    except ValidationError as exc:
        if is_htmx(request):
            return error_response(exc.messages[0], status=400)
        messages.error(request, exc.messages[0])
        cursor = None
        page = task_page(user=request.user, limit=TASK_PAGE)
    now = timezone.now()
    previous_overdue = None
    if cursor:
        previous_overdue = request.GET.get("after") == "overdue"
    rows = task_rows(page.items, now=now, previous_overdue=previous_overdue)
    context = {
        "rows": rows,
        "next_cursor": page.next_cursor,
        "last_overdue": rows[-1].overdue if rows else False,
        "now": now,
        "first_page": cursor is None,
    }
    if is_htmx(request) and cursor:
        return render(request, "activities/partials/task_rows.html", context)
    return render(request, "activities/tasks.html", context)


@require_POST
def complete(request, pk: int) -> HttpResponse:
    """Mark a task done. Answers the task's list item (``<li id="task-PK">``) showing it
    done, or with ``?fragment=timeline`` its timeline entry."""
    try:
        activity = activity_with_links(user=request.user, id=pk)
    except Activity.DoesNotExist as exc:
        raise Http404(_("No such task.")) from exc
    try:
        activity_complete(actor=request.user, activity=activity)
    except (Conflict, NotAllowed) as exc:
        return _refuse(request, exc.message)
    except ValidationError as exc:
        return _refuse(request, " ".join(exc.messages))
    activity = activity_with_links(user=request.user, id=pk)
    if not is_htmx(request):
        messages.success(request, _("Task done: %(subject)s") % {"subject": activity.subject})
        return redirect_to(reverse("activities:tasks"), request)
    now = timezone.now()
    if request.GET.get("fragment") == "timeline":
        return render(
            request,
            "activities/partials/timeline_entry.html",
            {
                "item": timeline_item(TimelineEntry(at=activity.occurred_at, activity=activity)),
                "now": now,
            },
        )
    return render(
        request,
        "activities/partials/task_item.html",
        {"task": activity, "overdue": False, "now": now},
    )


def _refuse(request, message: str) -> HttpResponse:
    return error_response(message, status=409)

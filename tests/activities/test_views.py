"""The timeline panel and the tasks page, through the browser's URLs."""

import datetime
from urllib.parse import unquote

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.activities import views
from vorsprung.activities.models import Activity
from vorsprung.activities.services import activity_create
from vorsprung.history.models import Change
from vorsprung.leads.services import lead_change_status

HTMX = {"HX-Request": "true"}


@pytest.fixture
def team(db):
    return TeamFactory(name="North")


@pytest.fixture
def anna(team):
    return UserFactory(first_name="Anna", last_name="Schmidt", team=team)


@pytest.fixture
def outsider(db):
    return UserFactory(first_name="Olaf", last_name="Other", team=TeamFactory(name="South"))


@pytest.fixture
def lead(anna):
    return LeadFactory(owner=anna, first_name="Lisa", last_name="Lead", company="Acme")


@pytest.fixture
def client_anna(client, anna):
    client.force_login(anna)
    return client


def log_url(record_type: str, pk: int) -> str:
    return reverse("activities:log", args=[record_type, pk])


def timeline_url(record_type: str, pk: int) -> str:
    return reverse("activities:timeline", args=[record_type, pk])


def make_task(owner, subject: str, due_in_days: float, **links) -> Activity:
    links = links or {"lead": LeadFactory(owner=owner)}
    return Activity.objects.create(
        kind="task",
        subject=subject,
        owner=owner,
        done=False,
        due_at=timezone.now() + datetime.timedelta(days=due_in_days),
        **links,
    )


def render_panel(record_type: str, record, user, **extra) -> str:
    flags = " ".join(f"{name}={value}" for name, value in extra.items())
    template = Template(
        '{% include "activities/partials/timeline_panel.html" with record_type=record_type'
        f" record=record {flags} %}}"
    )
    return template.render(Context({"record_type": record_type, "record": record, "user": user}))


# --- the panel ------------------------------------------------------------------------------


def test_the_panel_offers_the_quick_actions_and_loads_the_timeline_lazily(anna, lead):
    html = render_panel("lead", lead, anna)

    assert "Log a call" in html
    assert 'data-kind="call"' in html
    assert "Schedule a follow-up" in html
    assert f'hx-get="{log_url("lead", lead.pk)}?kind=call"' in html
    assert f'hx-get="{timeline_url("lead", lead.pk)}"' in html
    assert 'hx-trigger="load"' in html


def test_a_read_only_panel_offers_no_quick_actions(anna, lead):
    html = render_panel("lead", lead, anna, read_only="True")

    assert "Log a call" not in html
    assert f"{timeline_url('lead', lead.pk)}?read_only=1" in html


def test_a_converted_lead_panel_is_read_only(anna):
    lead = LeadFactory(owner=anna, status="converted", converted_at=timezone.now())

    html = render_panel("lead", lead, anna)

    assert "Log a call" not in html
    assert "This lead is converted and read-only" in html


def test_the_quick_log_form_has_labelled_fields_and_the_chosen_kind(client_anna, lead):
    response = client_anna.get(log_url("lead", lead.pk), {"kind": "email"}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="log-form-lead-{lead.pk}"' in html
    for label in ("Kind", "Subject", "Details", "Direction", "Outcome", "When"):
        assert f">{label}" in html
    assert '<option value="email" selected>' in html
    assert "<html" not in html


def test_the_follow_up_form_asks_for_subject_and_due(client_anna, lead):
    response = client_anna.get(log_url("lead", lead.pk), {"kind": "task"}, headers=HTMX)

    html = response.content.decode()
    assert "Schedule a follow-up" in html
    assert 'for="follow-up-subject"' in html
    assert 'for="follow-up-due_at"' in html
    assert 'type="datetime-local"' in html


# --- logging --------------------------------------------------------------------------------


def test_logging_a_call_on_a_lead_shows_it_on_the_timeline(client_anna, anna, lead):
    response = client_anna.post(
        log_url("lead", lead.pk),
        {
            "kind": "call",
            "subject": "Intro call",
            "body": "Wants a demo in March.",
            "direction": "outbound",
            "outcome": "connected",
            "occurred_at": "",
        },
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    # The refreshed panel, with the call at the top and the status change it caused.
    assert f'id="timeline-panel-lead-{lead.pk}"' in html
    assert "Intro call" in html
    assert "Wants a demo in March." in html
    assert "Connected" in html and "Outbound" in html
    assert "Status: New → Working" in html and "by Anna Schmidt" in html
    assert response["HX-Trigger"] == "activity-logged"
    call = Activity.objects.get()
    assert (call.lead, call.kind, call.owner, call.done) == (lead, "call", anna, True)

    timeline = client_anna.get(timeline_url("lead", lead.pk), headers=HTMX).content.decode()
    # The status change happened just after the call: newest first.
    assert timeline.index("Status: New → Working") < timeline.index("Intro call")
    assert "Anna Schmidt" in timeline


def test_an_activity_logged_at_a_given_time_is_stored_in_local_time(client_anna, lead):
    client_anna.post(
        log_url("lead", lead.pk),
        {"kind": "meeting", "subject": "Visit", "occurred_at": "2026-11-25T14:02"},
        headers=HTMX,
    )

    meeting = Activity.objects.get()
    assert timezone.localtime(meeting.occurred_at).strftime("%Y-%m-%d %H:%M") == (
        "2026-11-25 14:02"
    )


def test_an_invalid_log_form_shows_the_field_error_and_writes_nothing(client_anna, lead):
    response = client_anna.post(
        log_url("lead", lead.pk), {"kind": "call", "subject": "  "}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="log-subject_error"' in html
    assert "This field is required." in html
    assert response["HX-Retarget"] == f"#log-form-lead-{lead.pk}"
    assert not Activity.objects.exists()
    lead.refresh_from_db()
    assert lead.status == "new"


def test_logging_without_javascript_redirects_to_the_record(client_anna, lead):
    response = client_anna.post(log_url("lead", lead.pk), {"kind": "note", "subject": "FYI"})

    assert response.status_code == 303
    assert response["Location"] == reverse("leads:detail", args=[lead.pk])
    assert Activity.objects.get().kind == "note"


def test_an_invalid_form_without_javascript_is_a_page_with_the_errors(client_anna, lead):
    response = client_anna.post(log_url("lead", lead.pk), {"kind": "call", "subject": ""})

    assert response.status_code == 422
    assert "<html" in response.content.decode()
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("record_type", ["contact", "organization", "opportunity"])
def test_activities_are_logged_on_every_kind_of_record(client_anna, anna, record_type):
    organization = OrganizationFactory(owner=anna)
    record = {
        "contact": lambda: ContactFactory(organization=organization),
        "organization": lambda: organization,
        "opportunity": lambda: OpportunityFactory(organization=organization),
    }[record_type]()

    response = client_anna.post(
        log_url(record_type, record.pk), {"kind": "email", "subject": "Sent pricing"}, headers=HTMX
    )

    assert response.status_code == 200
    assert "Sent pricing" in response.content.decode()
    activity = Activity.objects.get()
    assert getattr(activity, record_type) == record
    assert activity.organization == organization


def test_a_converted_lead_refuses_logging(client_anna, anna):
    lead = LeadFactory(owner=anna, status="converted", converted_at=timezone.now())

    response = client_anna.post(
        log_url("lead", lead.pk), {"kind": "call", "subject": "Too late"}, headers=HTMX
    )

    assert response.status_code == 422
    assert "This lead is converted and read-only" in response.content.decode()
    assert not Activity.objects.exists()


# --- follow-up tasks ------------------------------------------------------------------------


def test_a_follow_up_appears_on_the_tasks_page(client_anna, anna, lead):
    response = client_anna.post(
        log_url("lead", lead.pk),
        {"kind": "task", "subject": "Send the proposal", "due_at": "2030-01-10T09:00"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Send the proposal" in response.content.decode()
    task = Activity.objects.get()
    assert (task.kind, task.done, task.owner) == ("task", False, anna)

    page = client_anna.get(reverse("activities:tasks")).content.decode()
    assert "Send the proposal" in page
    assert f'id="task-{task.pk}"' in page
    assert f'href="{reverse("leads:detail", args=[lead.pk])}"' in page
    assert "Lisa Lead" in page


def test_a_follow_up_needs_a_due_date(client_anna, lead):
    response = client_anna.post(
        log_url("lead", lead.pk),
        {"kind": "task", "subject": "Call back", "due_at": ""},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert 'id="follow-up-due_at_error"' in response.content.decode()
    assert not Activity.objects.exists()


def test_the_tasks_page_lists_overdue_tasks_first_and_highlighted(client_anna, anna):
    later = make_task(anna, "Prepare workshop", 3)
    overdue = make_task(anna, "Chase the invoice", -2)
    make_task(UserFactory(), "Someone else's task", -1)
    Activity.objects.create(
        kind="task",
        subject="Already done",
        owner=anna,
        done=True,
        due_at=timezone.now(),
        lead=later.lead,
    )

    page = client_anna.get(reverse("activities:tasks")).content.decode()

    assert page.index("Overdue") < page.index("Chase the invoice")
    assert page.index("Chase the invoice") < page.index("Due later")
    assert page.index("Due later") < page.index("Prepare workshop")
    overdue_row = page[
        page.index(f'id="task-{overdue.pk}"') - 200 : page.index("Chase the invoice")
    ]
    assert "list-group-item-danger" in overdue_row
    assert "Someone else" not in page
    assert "Already done" not in page


def test_the_tasks_page_links_each_task_to_its_record(client_anna, anna):
    organization = OrganizationFactory(owner=anna, name="Globex")
    contact = ContactFactory(organization=organization, first_name="Carl", last_name="Contact")
    opportunity = OpportunityFactory(organization=organization, name="Globex renewal")
    make_task(anna, "On the organization", 1, organization=organization)
    make_task(anna, "On the contact", 2, contact=contact)
    make_task(anna, "On the opportunity", 3, opportunity=opportunity)

    page = client_anna.get(reverse("activities:tasks")).content.decode()

    assert reverse("customers:organization_detail", args=[organization.pk]) in page
    assert reverse("customers:contact_detail", args=[contact.pk]) in page
    assert reverse("sales:opportunity_detail", args=[opportunity.pk]) in page
    assert "Carl Contact" in page and "Globex renewal" in page


def test_marking_a_task_done_removes_it_from_the_open_tasks(client_anna, anna):
    task = make_task(anna, "Send contract", -1)

    response = client_anna.post(reverse("activities:complete", args=[task.pk]), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<li class="list-group-item') and f'id="task-{task.pk}"' in html
    assert 'data-done="true"' in html
    task.refresh_from_db()
    assert task.done and task.done_at is not None
    assert "Send contract" not in client_anna.get(reverse("activities:tasks")).content.decode()


def test_completing_twice_says_it_is_already_done(client_anna, anna):
    task = make_task(anna, "Send contract", 1)
    url = reverse("activities:complete", args=[task.pk])
    client_anna.post(url, headers=HTMX)

    response = client_anna.post(url, headers=HTMX)

    assert response.status_code == 409
    assert unquote(response["X-Error-Message"]) == "This activity is already done."


def test_marking_done_from_the_timeline_returns_the_timeline_entry(client_anna, anna, lead):
    task = make_task(anna, "Book the demo", 1, lead=lead)

    before = client_anna.get(timeline_url("lead", lead.pk), headers=HTMX).content.decode()
    assert "Mark done" in before
    response = client_anna.post(
        reverse("activities:complete", args=[task.pk]) + "?fragment=timeline", headers=HTMX
    )

    html = response.content.decode()
    assert html.startswith(f'<li class="timeline-entry" id="timeline-activity-{task.pk}"')
    assert "Mark done" not in html
    assert ">done<" in html


def test_marking_done_without_javascript_goes_back_to_the_tasks(client_anna, anna):
    task = make_task(anna, "Send contract", 1)

    response = client_anna.post(reverse("activities:complete", args=[task.pk]))

    assert response.status_code == 303
    assert response["Location"] == reverse("activities:tasks")
    page = client_anna.get(reverse("activities:tasks")).content.decode()
    assert "Task done: Send contract" in page


def test_the_tasks_page_shows_more_with_a_cursor(client_anna, anna, monkeypatch):
    monkeypatch.setattr(views, "TASK_PAGE", 2)
    for days, subject in ((-3, "First"), (-2, "Second"), (1, "Third"), (2, "Fourth")):
        make_task(anna, subject, days)

    first = client_anna.get(reverse("activities:tasks"))
    page = first.content.decode()
    assert "First" in page and "Second" in page and "Third" not in page
    more_url = first.context["next_cursor"]

    more = client_anna.get(
        reverse("activities:tasks"), {"cursor": more_url, "after": "overdue"}, headers=HTMX
    ).content.decode()
    assert "Third" in more and "Fourth" in more and "First" not in more
    assert "Due later" in more and "Overdue" not in more
    assert "<html" not in more


def test_a_bad_task_cursor_shows_a_message_and_the_first_page(client_anna, anna):
    make_task(anna, "Send contract", 1)

    response = client_anna.get(reverse("activities:tasks"), {"cursor": "rubbish"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "This cursor is not valid" in page
    assert "Send contract" in page


# --- the timeline ---------------------------------------------------------------------------


def test_history_reads_as_a_sentence(client_anna, anna, lead):
    lead_change_status(actor=anna, lead=lead, status="working")

    html = client_anna.get(timeline_url("lead", lead.pk), headers=HTMX).content.decode()

    change = Change.objects.get(record_type="lead", record_id=lead.pk, field="status")
    when = formats.date_format(timezone.localtime(change.at), "SHORT_DATETIME_FORMAT")
    entry = html[html.index('data-testid="timeline-history"') :]
    assert "Status: New → Working" in entry
    # The change was made by a service call, not through a page: the system's door.
    assert "by Anna Schmidt · System · " in entry and when in entry


def test_the_change_history_can_be_hidden_and_shown_again(client_anna, anna, lead):
    lead_change_status(actor=anna, lead=lead, status="working")
    activity_create(actor=anna, kind="note", subject="Prefers e-mail", lead=lead)

    hidden = client_anna.get(timeline_url("lead", lead.pk), {"history": "0"}, headers=HTMX)
    shown = client_anna.get(timeline_url("lead", lead.pk), {"history": "1"}, headers=HTMX)

    hidden_html, shown_html = hidden.content.decode(), shown.content.decode()
    assert "Prefers e-mail" in hidden_html and "Prefers e-mail" in shown_html
    assert 'data-testid="timeline-history"' not in hidden_html
    assert "Status: New → Working" in shown_html
    assert "Show the change history" in hidden_html
    assert "Hide the change history" in shown_html


def test_the_timeline_is_paged_25_at_a_time_newest_first(client_anna, anna, lead):
    start = timezone.now() - datetime.timedelta(days=30)
    for n in range(30):
        ActivityFactory(
            lead=lead,
            subject=f"Call number {n:02}",
            occurred_at=start + datetime.timedelta(hours=n),
        )

    first = client_anna.get(timeline_url("lead", lead.pk), headers=HTMX)
    html = first.content.decode()
    assert html.count('data-testid="timeline-activity"') == 25
    assert html.index("Call number 29") < html.index("Call number 05")
    assert "Call number 04" not in html
    assert "Show more" in html

    more = client_anna.get(
        timeline_url("lead", lead.pk), {"cursor": first.context["next_cursor"]}, headers=HTMX
    ).content.decode()
    assert more.count('data-testid="timeline-activity"') == 5
    assert "Call number 04" in more and "Call number 00" in more
    assert "Show more" not in more
    assert 'class="timeline"' not in more  # only the entries, appended in place


def test_a_bad_timeline_cursor_is_refused_with_a_message(client_anna, lead):
    response = client_anna.get(timeline_url("lead", lead.pk), {"cursor": "rubbish"}, headers=HTMX)

    assert response.status_code == 400
    assert "This cursor is not valid" in unquote(response["X-Error-Message"])


def test_the_timeline_without_javascript_is_a_page(client_anna, lead):
    ActivityFactory(lead=lead, subject="Intro call")

    response = client_anna.get(timeline_url("lead", lead.pk))

    page = response.content.decode()
    assert "<html" in page and "Intro call" in page
    assert reverse("leads:detail", args=[lead.pk]) in page


def test_an_empty_timeline_says_so(client_anna, lead):
    html = client_anna.get(timeline_url("lead", lead.pk), headers=HTMX).content.decode()

    assert "Nothing on the timeline yet." in html


# --- who may see what -----------------------------------------------------------------------


def test_a_rep_of_another_team_gets_404_for_the_lead_timeline_and_log(client, outsider, lead):
    client.force_login(outsider)

    assert client.get(timeline_url("lead", lead.pk), headers=HTMX).status_code == 404
    assert client.get(log_url("lead", lead.pk), {"kind": "call"}, headers=HTMX).status_code == 404
    response = client.post(
        log_url("lead", lead.pk), {"kind": "call", "subject": "Sneaky"}, headers=HTMX
    )
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_a_rep_of_another_team_gets_404_for_completing_a_task(client, outsider, anna):
    task = make_task(anna, "Send contract", 1)
    client.force_login(outsider)

    response = client.post(reverse("activities:complete", args=[task.pk]), headers=HTMX)

    assert response.status_code == 404
    task.refresh_from_db()
    assert not task.done


def test_a_teammate_sees_the_timeline(client, team, lead):
    ActivityFactory(lead=lead, subject="Intro call")
    client.force_login(UserFactory(team=team))

    assert "Intro call" in client.get(timeline_url("lead", lead.pk), headers=HTMX).content.decode()


def test_an_unknown_record_type_is_not_found(client_anna, lead):
    assert client_anna.get(f"/timeline/widget/{lead.pk}/").status_code == 404


def test_a_post_without_csrf_token_is_refused(anna, lead):
    task = make_task(anna, "Send contract", 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)

    logged = client.post(log_url("lead", lead.pk), {"kind": "call", "subject": "Hi"}, headers=HTMX)
    completed = client.post(reverse("activities:complete", args=[task.pk]), headers=HTMX)

    assert logged.status_code == 403
    assert completed.status_code == 403
    assert Activity.objects.filter(kind="call").count() == 0
    task.refresh_from_db()
    assert not task.done


def test_pages_need_a_login(client, lead):
    response = client.get(reverse("activities:tasks"))

    assert response.status_code == 302
    assert "login" in response["Location"]


# --- query counts ---------------------------------------------------------------------------


def fill_timeline(lead, n: int) -> None:
    for i in range(n):
        activity_create(
            actor=UserFactory(), kind="note", subject=f"Note {i}", lead=lead, owner=UserFactory()
        )
    for status in ("working", "nurturing", "working")[: min(n, 3)]:
        lead_change_status(actor=UserFactory(), lead=lead, status=status)


def count_queries(client, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries)


def test_timeline_queries_do_not_grow_with_entries(client_anna, anna, django_assert_num_queries):
    small, large = LeadFactory(owner=anna), LeadFactory(owner=anna)
    fill_timeline(small, 3)
    fill_timeline(large, 30)
    expected = count_queries(client_anna, timeline_url("lead", small.pk), headers=HTMX)

    with django_assert_num_queries(expected):
        response = client_anna.get(timeline_url("lead", large.pk), headers=HTMX)
    assert response.content.decode().count('data-testid="timeline-') >= 25


def test_tasks_page_queries_do_not_grow_with_tasks(db, client, django_assert_num_queries):
    def tasks_of(n: int):
        user = UserFactory()
        organization = OrganizationFactory(owner=user)
        for i in range(n):
            links = [
                {"lead": LeadFactory(owner=user)},
                {"contact": ContactFactory(organization=organization)},
                {"organization": organization},
                {"opportunity": OpportunityFactory(organization=organization)},
            ][i % 4]
            make_task(user, f"Task {i}", i - n / 2, **links)
        return user

    few, many = tasks_of(3), tasks_of(30)
    client.force_login(few)
    expected = count_queries(client, reverse("activities:tasks"))
    client.force_login(many)

    with django_assert_num_queries(expected):
        response = client.get(reverse("activities:tasks"))
    assert response.content.decode().count('data-testid="task"') == 30

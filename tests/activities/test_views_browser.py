"""The timeline panel and the tasks page in a real browser: htmx swaps, retargeting on
errors, lazy loading. The panel is hosted by a bare page here, as a detail page would
include it. Skipped where no Chromium is installed."""

import datetime
import shutil

import pytest
from django.db import connections
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path
from django.utils import timezone

from tests.factories import LeadFactory, UserFactory
from vorsprung.activities.models import Activity
from vorsprung.leads.selectors import lead_get
from vorsprung.urls import urlpatterns as project_urlpatterns

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
    pytest.mark.urls(__name__),
]

HOST = Template(
    '{% extends "ui/base.html" %}{% block title %}Host{% endblock %}'
    "{% block content %}<h1>{{ lead }}</h1>"
    '{% include "activities/partials/timeline_panel.html" with record_type="lead" record=lead %}'
    "{% endblock %}"
)


def host_page(request, pk: int) -> HttpResponse:
    lead = lead_get(user=request.user, id=pk)
    return HttpResponse(HOST.render(RequestContext(request, {"lead": lead})))


urlpatterns = [path("host/lead/<int:pk>/", host_page), *project_urlpatterns]


@pytest.fixture
def page(live_server, client, transactional_db, django_db_serialized_rollback, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The server's request threads close their connections after each request, so none
    # is left open when the test database is dropped.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    user = UserFactory(first_name="Anna", last_name="Schmidt")
    client.force_login(user)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(locale="en-GB")
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(5000)
        page.user = user
        yield page
        browser.close()
        # While Playwright runs, an event loop counts as running, so Django keeps the
        # test's ORM connection apart from the thread's usual one; close it here, where
        # it is seen, so none is left open when the test database is dropped.
        connections.close_all()


def test_logging_a_call_and_scheduling_a_follow_up(page, live_server):
    from playwright.sync_api import expect

    lead = LeadFactory(owner=page.user)
    page.goto(f"{live_server.url}/host/lead/{lead.pk}/")
    panel = page.get_by_test_id("timeline-panel")
    expect(panel.get_by_text("Nothing on the timeline yet.")).to_be_visible()

    # An empty subject: the form comes back with the error, nothing else changes.
    panel.locator('[data-kind="call"]').click()
    expect(panel.get_by_label("Kind")).to_have_value("call")
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_text("This field is required.")).to_be_visible()
    assert not Activity.objects.exists()

    panel.get_by_label("Subject").fill("Intro call")
    panel.get_by_label("Details").fill("Wants a demo.")
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_test_id("timeline-activity").first).to_contain_text("Intro call")
    expect(panel.get_by_text("Status: New → Working")).to_be_visible()
    expect(panel.get_by_text("by Anna Schmidt · Web")).to_be_visible()
    expect(panel.get_by_test_id("log-form")).to_have_count(0)

    panel.get_by_role("button", name="Schedule a follow-up").click()
    panel.get_by_label("Subject").fill("Send the proposal")
    due = timezone.localtime() - datetime.timedelta(days=1)
    panel.get_by_label("Due").fill(due.strftime("%Y-%m-%dT%H:%M"))
    panel.get_by_role("button", name="Save").click()
    task = panel.get_by_test_id("timeline-activity").filter(has_text="Send the proposal")
    expect(task).to_contain_text("overdue")

    # Cancel closes the form without a trace.
    panel.locator('[data-kind="note"]').click()
    panel.get_by_role("button", name="Cancel").click()
    expect(panel.get_by_test_id("log-form")).to_have_count(0)

    task.get_by_role("button", name="Mark “Send the proposal” done").click()
    expect(task.get_by_role("button")).to_have_count(0)
    expect(task).to_contain_text("done")
    assert Activity.objects.get(kind="task").done


def test_the_tasks_page_marks_done_inline_and_shows_more(page, live_server):
    from playwright.sync_api import expect

    lead = LeadFactory(owner=page.user)
    for n in range(102):
        Activity.objects.create(
            kind="task",
            subject=f"Task {n:03}",
            owner=page.user,
            done=False,
            due_at=timezone.now() + datetime.timedelta(hours=n - 50),
            lead=lead,
        )
    page.goto(f"{live_server.url}/tasks/")
    tasks = page.get_by_test_id("task")
    expect(tasks).to_have_count(100)

    page.get_by_role("link", name="Show more").click()
    expect(tasks).to_have_count(102)
    expect(page.get_by_role("heading", name="Due later")).to_have_count(1)

    first = tasks.filter(has_text="Task 000")
    first.get_by_role("button", name="Done").click()
    expect(first.get_by_role("button")).to_have_count(0)
    expect(first).to_contain_text("done")
    assert Activity.objects.get(subject="Task 000").done


def test_a_refusal_is_shown_as_an_alert(page, live_server):
    from playwright.sync_api import expect

    lead = LeadFactory(owner=page.user)
    task = Activity.objects.create(
        kind="task",
        subject="Call back",
        owner=page.user,
        done=False,
        due_at=timezone.now(),
        lead=lead,
    )
    page.goto(f"{live_server.url}/tasks/")
    Activity.objects.filter(pk=task.pk).update(done=True, done_at=timezone.now())

    page.get_by_role("button", name="Done").click()

    expect(page.get_by_role("alert")).to_contain_text("This activity is already done.")

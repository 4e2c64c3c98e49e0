import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.activities.choices import INTERACTION_KINDS, MARKETING_TOUCH_KINDS
from vorsprung.activities.models import Activity
from vorsprung.activities.selectors import activity_list, task_list, timeline
from vorsprung.activities.services import activity_complete, activity_create
from vorsprung.core.errors import Conflict
from vorsprung.customers.services import organization_change_lifecycle, organization_create
from vorsprung.history.models import Change
from vorsprung.sales.services import opportunity_create, opportunity_mark_won


@pytest.fixture
def actor(db):
    return UserFactory()


@pytest.fixture
def lead(actor):
    return LeadFactory(owner=actor)


def lead_status_history(lead) -> list[tuple[str, str]]:
    rows = Change.objects.filter(record_type="lead", record_id=lead.pk).order_by("id")
    return [(row.old_value, row.new_value) for row in rows]


# --- logging activities -------------------------------------------------------------------


def test_an_activity_needs_a_record_to_belong_to(actor):
    with pytest.raises(ValidationError) as exc:
        activity_create(actor=actor, kind="call", subject="Intro call")

    assert exc.value.message_dict == {
        "lead": ["Link the activity to a lead, contact, organization or opportunity."]
    }
    assert not Activity.objects.exists()


def test_an_interaction_is_done_when_logged(actor, lead):
    activity = activity_create(actor=actor, kind="call", subject=" Intro call ", lead=lead)

    activity.refresh_from_db()
    assert activity.subject == "Intro call"
    assert activity.done
    assert activity.done_at is not None
    assert activity.owner == actor


def test_a_task_needs_a_due_date(actor, lead):
    with pytest.raises(ValidationError) as exc:
        activity_create(actor=actor, kind="task", subject="Send offer", lead=lead)

    assert exc.value.message_dict == {"due_at": ["A task needs a due date."]}
    assert not Activity.objects.exists()


def test_a_task_starts_open_on_its_owner_task_list(actor, lead):
    due = timezone.now() + datetime.timedelta(days=2)

    task = activity_create(actor=actor, kind="task", subject="Send offer", lead=lead, due_at=due)

    task.refresh_from_db()
    assert (task.done, task.done_at, task.due_at) == (False, None, due)
    assert list(task_list(user=actor)) == [task]
    assert list(task_list(user=UserFactory())) == []


def test_an_unknown_kind_is_refused(actor, lead):
    with pytest.raises(ValidationError) as exc:
        activity_create(actor=actor, kind="fax", subject="Fax", lead=lead)

    assert exc.value.message_dict == {"kind": ["Value 'fax' is not a valid choice."]}


@pytest.mark.parametrize("kind", sorted(INTERACTION_KINDS))
@pytest.mark.parametrize("direction", ["outbound", ""])
def test_a_done_outbound_interaction_moves_a_new_lead_to_working(actor, lead, kind, direction):
    activity_create(actor=actor, kind=kind, direction=direction, subject="Hello", lead=lead)

    lead.refresh_from_db()
    assert lead.status == "working"
    assert lead_status_history(lead) == [("new", "working")]
    assert Change.objects.get(record_type="lead", record_id=lead.pk).actor == actor


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "call", "direction": "inbound"},
        {"kind": "note"},
        {"kind": "call", "done": False},
        {"kind": "task", "due_at": "2030-01-01T09:00:00Z"},
        *({"kind": kind} for kind in sorted(MARKETING_TOUCH_KINDS)),
    ],
    ids=lambda data: "-".join(str(v) for k, v in data.items() if k != "due_at"),
)
def test_other_activities_leave_a_new_lead_new(actor, lead, data):
    activity_create(actor=actor, subject="Touch", lead=lead, **data)

    lead.refresh_from_db()
    assert lead.status == "new"
    assert lead_status_history(lead) == []


def test_an_interaction_leaves_a_nurtured_lead_where_it_is(actor):
    lead = LeadFactory(owner=actor, status="nurturing")

    activity_create(actor=actor, kind="email", subject="Checking in", lead=lead)

    lead.refresh_from_db()
    assert lead.status == "nurturing"


def test_a_converted_lead_takes_no_new_activities(actor):
    lead = LeadFactory(owner=actor, status="converted", converted_at=timezone.now())

    with pytest.raises(ValidationError) as exc:
        activity_create(actor=actor, kind="note", subject="Late note", lead=lead)

    assert exc.value.message_dict == {
        "lead": ["This lead is converted and read-only; log the activity on its contact instead."]
    }


def test_the_organization_is_taken_from_the_contact(actor):
    contact = ContactFactory(owner=actor)

    activity = activity_create(actor=actor, kind="meeting", subject="Demo", contact=contact)

    assert activity.organization == contact.organization


def test_the_organization_is_taken_from_the_opportunity(actor):
    opportunity = OpportunityFactory(owner=actor)

    activity = activity_create(actor=actor, kind="call", subject="Terms", opportunity=opportunity)

    assert activity.organization == opportunity.organization


def test_a_contact_of_another_organization_is_refused(actor):
    contact = ContactFactory(owner=actor)

    with pytest.raises(ValidationError) as exc:
        activity_create(
            actor=actor,
            kind="call",
            subject="Call",
            contact=contact,
            organization=OrganizationFactory(owner=actor),
        )

    assert exc.value.message_dict == {"contact": ["This contact works for another organization."]}


# --- completing ---------------------------------------------------------------------------


def test_completing_a_task_marks_it_done_with_the_outcome(actor, lead):
    task = activity_create(
        actor=actor, kind="task", subject="Call back", lead=lead, due_at=timezone.now()
    )

    done = activity_complete(actor=actor, activity=task, outcome="connected")

    done.refresh_from_db()
    assert (done.done, done.outcome) == (True, "connected")
    assert done.done_at is not None
    assert done.version == 2
    assert list(task_list(user=actor)) == []


def test_completing_twice_is_a_conflict(actor, lead):
    task = activity_create(
        actor=actor, kind="task", subject="Call back", lead=lead, due_at=timezone.now()
    )
    activity_complete(actor=actor, activity=task)

    with pytest.raises(Conflict) as exc:
        activity_complete(actor=actor, activity=task, outcome="no_answer")

    assert exc.value.message == "This activity is already done."
    assert exc.value.code == "already_done"
    task.refresh_from_db()
    assert task.outcome == ""


def test_completing_with_an_unknown_outcome_is_refused(actor, lead):
    task = activity_create(
        actor=actor, kind="task", subject="Call back", lead=lead, due_at=timezone.now()
    )

    with pytest.raises(ValidationError) as exc:
        activity_complete(actor=actor, activity=task, outcome="great")

    assert exc.value.message_dict == {"outcome": ["Value 'great' is not a valid choice."]}
    task.refresh_from_db()
    assert not task.done


# --- who sees which activities ----------------------------------------------------------


@pytest.fixture
def teams(db):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    return {
        "rep": UserFactory(team=north),
        "teammate": UserFactory(team=north),
        "manager": UserFactory(role="manager", team=None),
        "stranger": UserFactory(team=south),
        "north": north,
    }


def test_a_rep_sees_activities_they_or_their_team_own(teams):
    rep, teammate, stranger = teams["rep"], teams["teammate"], teams["stranger"]
    own = Activity.objects.create(
        kind="call", subject="own", owner=rep, organization=OrganizationFactory(owner=rep)
    )
    team = Activity.objects.create(
        kind="call", subject="team", owner=teammate, lead=LeadFactory(owner=teammate)
    )
    other = Activity.objects.create(
        kind="call", subject="other", owner=stranger, lead=LeadFactory(owner=stranger)
    )

    assert set(activity_list(user=rep)) == {own, team}
    assert set(activity_list(user=stranger)) == {other}


def test_activities_on_a_visible_record_are_visible_whoever_logged_them(teams):
    rep, stranger = teams["rep"], teams["stranger"]
    organization = OrganizationFactory(owner=rep)
    activity = Activity.objects.create(
        kind="meeting", subject="Visit", owner=stranger, organization=organization
    )

    assert list(activity_list(user=rep)) == [activity]


def test_activity_list_filters_by_record_and_kind(teams):
    rep = teams["rep"]
    lead = LeadFactory(owner=rep)
    call = Activity.objects.create(kind="call", subject="call", owner=rep, lead=lead)
    Activity.objects.create(kind="note", subject="note", owner=rep, lead=lead)
    Activity.objects.create(
        kind="call", subject="elsewhere", owner=rep, lead=LeadFactory(owner=rep)
    )

    assert list(activity_list(user=rep, filters={"lead": lead.pk, "kind": "call"})) == [call]


def test_a_manager_sees_the_activities_of_the_team_they_manage(teams):
    manager, rep = teams["manager"], teams["rep"]
    teams["north"].manager = manager
    teams["north"].save()
    activity = Activity.objects.create(
        kind="call", subject="Call", owner=rep, organization=OrganizationFactory(owner=rep)
    )

    assert list(activity_list(user=manager)) == [activity]


def test_a_manager_does_not_see_other_teams_activities(teams):
    manager, stranger = teams["manager"], teams["stranger"]
    teams["north"].manager = manager
    teams["north"].save()
    Activity.objects.create(
        kind="call",
        subject="Call",
        owner=stranger,
        organization=OrganizationFactory(owner=stranger),
    )

    assert list(activity_list(user=manager)) == []


# --- timelines ----------------------------------------------------------------------------


def _at(change: Change, when: datetime.datetime) -> None:
    Change._base_manager.filter(pk=change.pk).update(at=when)


def describe(entries) -> list[str]:
    return [
        f"activity: {e.activity.subject}"
        if e.activity
        else f"change: {e.change.old_value or '-'} → {e.change.new_value}"
        for e in entries
    ]


def test_the_timeline_mixes_activities_and_history_newest_first(actor):
    now = timezone.now()
    organization = organization_create(actor=actor, name="Acme")
    _at(Change.objects.get(record_id=organization.pk), now - datetime.timedelta(days=5))
    for subject, days_ago in [("First call", 4), ("Workshop", 1), ("Follow-up note", 0)]:
        activity_create(
            actor=actor,
            kind="call" if days_ago else "note",
            subject=subject,
            organization=organization,
            occurred_at=now - datetime.timedelta(days=days_ago, minutes=1),
        )
    organization_change_lifecycle(actor=actor, organization=organization, lifecycle="customer")
    _at(
        Change.objects.filter(record_id=organization.pk, new_value="customer").get(),
        now - datetime.timedelta(days=2),
    )
    activity_create(
        actor=actor, kind="call", subject="Someone else's", organization=OrganizationFactory()
    )

    entries = timeline(record_type="organization", record_id=organization.pk)

    assert describe(entries) == [
        "activity: Follow-up note",
        "activity: Workshop",
        "change: prospect → customer",
        "activity: First call",
        "change: - → prospect",
    ]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_the_timeline_keeps_the_newest_entries_up_to_the_limit(actor):
    now = timezone.now()
    organization = organization_create(actor=actor, name="Acme")
    _at(Change.objects.get(record_id=organization.pk), now - datetime.timedelta(days=30))
    for days_ago in range(5):
        activity_create(
            actor=actor,
            kind="note",
            subject=f"{days_ago} days ago",
            organization=organization,
            occurred_at=now - datetime.timedelta(days=days_ago),
        )

    entries = timeline(record_type="organization", record_id=organization.pk, limit=3)

    assert describe(entries) == [
        "activity: 0 days ago",
        "activity: 1 days ago",
        "activity: 2 days ago",
    ]


def test_an_opportunity_timeline_shows_its_stage_changes(actor):
    organization = OrganizationFactory(owner=actor)
    opportunity = opportunity_create(actor=actor, name="Fleet", organization=organization)
    _at(
        Change.objects.get(record_type="opportunity", record_id=opportunity.pk),
        timezone.now() - datetime.timedelta(hours=2),
    )
    activity_create(
        actor=actor,
        kind="meeting",
        subject="Kick-off",
        opportunity=opportunity,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    )
    opportunity_mark_won(actor=actor, opportunity=opportunity)

    entries = timeline(record_type="opportunity", record_id=opportunity.pk)

    stage_moves_and_activities = [e for e in entries if not e.change or e.change.field == "stage"]
    assert [
        (e.change.old_label, e.change.new_label) if e.change else "Kick-off"
        for e in stage_moves_and_activities
    ] == [
        ("Qualification", "Closed won"),
        "Kick-off",
        ("", "Qualification"),
    ]

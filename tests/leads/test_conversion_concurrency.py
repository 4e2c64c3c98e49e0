"""Two people acting on the same lead at the same moment, on PostgreSQL with real row locks."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import translation

from tests.factories import LeadFactory, TeamFactory, UserFactory
from vorsprung.activities.models import Activity
from vorsprung.activities.services import activity_create
from vorsprung.core.errors import Conflict
from vorsprung.customers.models import Contact, Organization
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import lead_convert, lead_create, lead_disqualify
from vorsprung.sales.models import Opportunity

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ALREADY_CONVERTED = "This lead is already converted."


def at_the_same_time(*actions: Callable[[Lead], object], lead_pk: int) -> list:
    """Run each action in its own thread with its own connection and its own copy of the
    lead, released together by a barrier. Returns each action's result or exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index: int, action: Callable[[Lead], object]) -> None:
        try:
            with translation.override("en"):
                lead = Lead.objects.get(pk=lead_pk)
                barrier.wait(timeout=10)
                outcomes[index] = action(lead)
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def lead_history(lead_pk: int) -> list[tuple[str, str]]:
    """The lead's status moves, in order."""
    rows = Change.objects.filter(record_type="lead", record_id=lead_pk, field="status")
    return list(rows.order_by("id").values_list("old_value", "new_value"))


def test_two_people_converting_the_same_lead_make_one_contact_and_one_opportunity():
    team = TeamFactory()
    alice, bob = UserFactory(team=team), UserFactory(team=team)
    lead = lead_create(
        actor=alice, last_name="Solberg", email="ingrid@fjord.example", company="Fjord Energy"
    )

    outcomes = at_the_same_time(
        lambda copy: lead_convert(accept_qualification_gaps=True, actor=alice, lead=copy),
        lambda copy: lead_convert(accept_qualification_gaps=True, actor=bob, lead=copy),
        lead_pk=lead.pk,
    )

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    results = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(results) == 1, outcomes
    assert [c.message for c in conflicts] == [ALREADY_CONVERTED]
    assert (Contact.objects.count(), Organization.objects.count()) == (1, 1)
    assert Opportunity.objects.count() == 1
    stored = Lead.objects.get(pk=lead.pk)
    assert stored.status == "converted"
    assert stored.converted_contact_id == results[0].contact.pk
    assert stored.converted_opportunity_id == results[0].opportunity.pk
    assert lead_history(lead.pk) == [("", "new"), ("new", "converted")]


def test_disqualifying_and_converting_at_once_leaves_one_consistent_outcome():
    team = TeamFactory()
    alice, bob = UserFactory(team=team), UserFactory(team=team)
    lead = LeadFactory(owner=alice, status="working", company="Fjord Energy")

    disqualified, converted = at_the_same_time(
        lambda copy: lead_disqualify(actor=alice, lead=copy, reason="No budget"),
        lambda copy: lead_convert(accept_qualification_gaps=True, actor=bob, lead=copy),
        lead_pk=lead.pk,
    )

    stored = Lead.objects.get(pk=lead.pk)
    if isinstance(disqualified, Exception):
        assert isinstance(disqualified, Conflict), disqualified
        assert "is read-only" in disqualified.message
        assert not isinstance(converted, Exception), converted
        assert (stored.status, stored.disqualification_reason) == ("converted", "")
        assert stored.converted_contact_id == converted.contact.pk
        assert (Contact.objects.count(), Opportunity.objects.count()) == (1, 1)
        assert lead_history(lead.pk) == [("working", "converted")]
    else:
        assert isinstance(converted, Conflict), converted
        assert converted.message == "An unqualified lead cannot be converted; reopen it first."
        assert (stored.status, stored.disqualification_reason) == ("unqualified", "No budget")
        assert (stored.converted_at, stored.converted_contact_id) == (None, None)
        assert (Contact.objects.count(), Organization.objects.count()) == (0, 0)
        assert Opportunity.objects.count() == 0
        assert lead_history(lead.pk) == [("working", "unqualified")]


def test_two_people_logging_a_call_on_a_new_lead_at_once_both_get_their_call_logged():
    team = TeamFactory()
    alice, bob = UserFactory(team=team), UserFactory(team=team)
    lead = lead_create(actor=alice, last_name="Solberg")

    outcomes = at_the_same_time(
        lambda copy: activity_create(actor=alice, kind="call", subject="Intro", lead=copy),
        lambda copy: activity_create(actor=bob, kind="email", subject="Deck", lead=copy),
        lead_pk=lead.pk,
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert Activity.objects.filter(lead_id=lead.pk).count() == 2
    assert Lead.objects.get(pk=lead.pk).status == "working"
    assert lead_history(lead.pk) == [("", "new"), ("new", "working")]

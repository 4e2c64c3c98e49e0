"""Bulk lead actions as services: all leads change or none, each change is in its lead's
history, and a refusal names the lead that was refused."""

import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from tests.factories import LeadFactory, UserFactory
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import (
    LEAD_BULK_MAX,
    lead_bulk_assign,
    lead_bulk_change_status,
    lead_bulk_disqualify,
)


@pytest.fixture
def rep(team):
    return UserFactory(team=team)


def statuses(leads) -> list[str]:
    return [Lead.objects.get(pk=lead.pk).status for lead in leads]


def test_bulk_assign_gives_every_lead_the_owner_with_a_history_entry_each(rep, team):
    mate = UserFactory(team=team)
    leads = LeadFactory.create_batch(3, owner=rep)

    changed = lead_bulk_assign(actor=rep, leads=leads, owner=mate)

    assert sorted(lead.pk for lead in changed) == sorted(lead.pk for lead in leads)
    assert set(Lead.objects.values_list("owner", flat=True)) == {mate.pk}
    entries = Change.objects.filter(record_type="lead", field="owner")
    assert sorted(entries.values_list("record_id", "new_value", "actor")) == sorted(
        (lead.pk, str(mate.pk), rep.pk) for lead in leads
    )


def test_one_refused_lead_changes_none_and_is_named(rep):
    first = LeadFactory(owner=rep, first_name="Erst", last_name="Aaa", company="")
    converted = LeadFactory(
        owner=rep,
        first_name="Zweit",
        last_name="Bbb",
        company="",
        status="converted",
        converted_at=timezone.now(),
    )
    last = LeadFactory(owner=rep)

    with pytest.raises(Conflict) as refused:
        lead_bulk_change_status(actor=rep, leads=[last, converted, first], status="working")

    assert refused.value.message.startswith(
        "Nothing was changed: Zweit Bbb — This lead was converted on "
    )
    assert statuses([first, converted, last]) == ["new", "converted", "new"]
    assert not Change.objects.exists()


def test_a_disallowed_move_names_the_lead_and_says_what_is_allowed(rep):
    lead = LeadFactory(owner=rep, first_name="Erst", last_name="Aaa", company="")

    with pytest.raises(Conflict) as refused:
        lead_bulk_change_status(actor=rep, leads=[lead], status="nurturing")

    assert refused.value.message == (
        "Nothing was changed: Erst Aaa — A lead cannot move from “New” to “Nurturing”. "
        "Allowed from here: Working, Unqualified."
    )


def test_bulk_disqualify_needs_a_reason_before_it_touches_a_lead(rep):
    leads = LeadFactory.create_batch(2, owner=rep)

    with pytest.raises(ValidationError) as refused:
        lead_bulk_disqualify(actor=rep, leads=leads, reason=" ")
    done = lead_bulk_disqualify(actor=rep, leads=leads, reason="Duplicate")

    assert refused.value.message_dict == {"reason": ["Say why the lead is unqualified."]}
    assert [lead.disqualification_reason for lead in done] == ["Duplicate", "Duplicate"]
    assert statuses(leads) == ["unqualified", "unqualified"]


def test_at_most_the_documented_number_of_leads_at_once(rep):
    too_many = [Lead(pk=pk) for pk in range(1, LEAD_BULK_MAX + 2)]

    with pytest.raises(ValidationError) as refused:
        lead_bulk_assign(actor=rep, leads=too_many, owner=rep)
    with pytest.raises(ValidationError) as empty:
        lead_bulk_assign(actor=rep, leads=[], owner=rep)

    assert refused.value.message_dict == {"leads": ["Select at most 200 leads at once."]}
    assert empty.value.message_dict == {"leads": ["Select at least one lead."]}


def test_a_lead_deleted_meanwhile_stops_the_action(rep):
    kept, gone = LeadFactory.create_batch(2, owner=rep)
    Lead.objects.filter(pk=gone.pk).delete()

    with pytest.raises(Conflict) as refused:
        lead_bulk_change_status(actor=rep, leads=[kept, gone], status="working")

    assert refused.value.message == "Some of the selected leads no longer exist."
    assert statuses([kept]) == ["new"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_bulk_actions_over_the_same_leads_in_opposite_order_do_not_deadlock():
    alice, bob = UserFactory(), UserFactory()
    leads = LeadFactory.create_batch(20, owner=alice)
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def run(index: int, chosen: list, owner) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=10)
                outcomes[index] = lead_bulk_assign(actor=owner, leads=chosen, owner=owner)
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(0, leads, alice)),
        threading.Thread(target=run, args=(1, leads[::-1], bob)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert [len(outcome) for outcome in outcomes] == [20, 20], outcomes
    owners = set(Lead.objects.values_list("owner", flat=True))
    assert len(owners) == 1  # one action ran after the other, whole

"""Every change to a lead, contact, organization, opportunity or activity lands in the
history: each edited field with its old and new value, who, when, and through which door."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.factories import (
    AdminFactory,
    LeadFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.activities.models import Activity
from vorsprung.activities.services import activity_complete, activity_create, activity_update
from vorsprung.core.doors import Door, entered_through
from vorsprung.core.errors import ValidationError
from vorsprung.customers.services import (
    contact_create,
    contact_delete,
    contact_update,
    organization_create,
    organization_update,
)
from vorsprung.history.models import AppendOnly, Change
from vorsprung.history.presenters import field_change, note_text
from vorsprung.leads.models import Lead
from vorsprung.leads.services import (
    lead_convert,
    lead_create,
    lead_delete,
    lead_disqualify,
    lead_update,
)
from vorsprung.sales.services import (
    opportunity_add_contact_role,
    opportunity_create,
    opportunity_update,
)


@pytest.fixture
def team(db):
    return TeamFactory(name="Nord")


@pytest.fixture
def anna(team):
    return UserFactory(first_name="Anna", last_name="Berg", team=team)


@pytest.fixture
def ben(team):
    return UserFactory(first_name="Ben", last_name="Dahl", team=team)


def entries(record_type: str, record_id: int, **filters) -> list[Change]:
    return list(
        Change.objects.filter(record_type=record_type, record_id=record_id, **filters).order_by(
            "id"
        )
    )


def fields_changed(record_type: str, record_id: int) -> dict[str, tuple[str, str]]:
    return {
        e.field: (e.old_value, e.new_value)
        for e in entries(record_type, record_id, action="updated")
    }


def test_a_lead_update_records_each_changed_field_with_old_and_new_value(anna):
    lead = lead_create(actor=anna, last_name="Pechel", city="Mannheim", job_title="Buyer")

    lead_update(
        actor=anna,
        lead=lead,
        city="Heidelberg",
        job_title="Head of Purchasing",
        last_name="Pechel",
        budget_amount="12500",
        expected_decision_date=datetime.date(2027, 3, 1),
    )

    assert fields_changed("lead", lead.pk) == {
        "city": ("Mannheim", "Heidelberg"),
        "job_title": ("Buyer", "Head of Purchasing"),
        "budget_amount": ("", "12500.00"),
        "budget_currency": ("", "EUR"),
        "expected_decision_date": ("", "2027-03-01"),
    }
    for entry in entries("lead", lead.pk, action="updated"):
        assert (entry.actor, entry.door) == (anna, Door.SYSTEM)


def test_saving_without_a_change_records_nothing(anna):
    lead = lead_create(actor=anna, last_name="Pechel", city="Mannheim")

    lead_update(actor=anna, lead=lead, city="Mannheim")

    assert [e.action for e in entries("lead", lead.pk)] == ["created"]


def test_a_creation_names_the_starting_status(anna):
    lead = lead_create(actor=anna, last_name="Pechel")

    (created,) = entries("lead", lead.pk)
    assert (created.action, created.field, created.new_value, created.actor) == (
        "created",
        "status",
        "new",
        anna,
    )


def test_an_owner_change_keeps_both_names_as_they_read_then(anna, ben):
    lead = lead_create(actor=anna, last_name="Pechel")

    lead_update(actor=anna, lead=lead, owner=ben)
    anna.first_name = "Annabel"
    anna.save()

    (entry,) = entries("lead", lead.pk, field="owner")
    assert (entry.old_value, entry.new_value) == (str(anna.pk), str(ben.pk))
    assert (entry.old_label, entry.new_label) == ("Anna Berg", "Ben Dahl")
    assert (field_change(entry).old, field_change(entry).new) == ("Anna Berg", "Ben Dahl")


def test_a_refused_change_leaves_no_entry(anna):
    lead = lead_create(actor=anna, last_name="Pechel")

    with pytest.raises(ValidationError):
        lead_update(actor=anna, lead=lead, city="Heidelberg", email="not an address")

    assert [e.action for e in entries("lead", lead.pk)] == ["created"]


def test_contacts_organizations_opportunities_and_activities_are_recorded(anna):
    organization = organization_create(actor=anna, name="Nordpharma GmbH")
    organization_update(actor=anna, organization=organization, city="Bergen")
    contact = contact_create(actor=anna, last_name="Pechel", organization=organization)
    contact_update(actor=anna, contact=contact, job_title="CFO")
    opportunity = opportunity_create(actor=anna, name="Fleet", organization=organization)
    opportunity_update(actor=anna, opportunity=opportunity, amount="40000")
    opportunity_add_contact_role(
        actor=anna, opportunity=opportunity, contact=contact, role="decision_maker"
    )
    task = activity_create(
        actor=anna,
        kind="task",
        subject="Send offer",
        contact=contact,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )
    activity_update(actor=anna, activity=task, subject="Send the offer")
    activity_complete(actor=anna, activity=task)

    assert fields_changed("organization", organization.pk) == {"city": ("", "Bergen")}
    assert fields_changed("contact", contact.pk) == {"job_title": ("", "CFO")}
    assert fields_changed("opportunity", opportunity.pk) == {
        "amount": ("", "40000.00"),
        "contacts": ("", str(contact.pk)),
    }
    role = entries("opportunity", opportunity.pk, field="contacts")[0]
    assert role.new_label == "Pechel — Decision maker"
    assert fields_changed("activity", task.pk) == {
        "subject": ("Send offer", "Send the offer"),
        "done": ("false", "true"),
    }
    for record_type, record in (
        ("organization", organization),
        ("contact", contact),
        ("opportunity", opportunity),
        ("activity", task),
    ):
        assert entries(record_type, record.pk)[0].action == "created"


def test_the_door_and_token_are_recorded(anna):
    lead = lead_create(actor=anna, last_name="Pechel")

    with entered_through(Door.API, token_prefix="ab12cd34"):
        lead_update(actor=anna, lead=lead, city="Bergen")
    with entered_through(Door.ADMIN):
        lead_update(actor=anna, lead=lead, city="Oslo")

    cities = entries("lead", lead.pk, field="city")
    assert [(e.new_value, e.door, e.token_prefix) for e in cities] == [
        ("Bergen", Door.API, "ab12cd34"),
        ("Oslo", Door.ADMIN, ""),
    ]


def test_a_deleted_lead_leaves_its_entry_with_what_it_was(db):
    manager = AdminFactory()
    lead = LeadFactory(last_name="Pechel", first_name="Liane", company="Nordpharma", city="Kiel")
    call = Activity.objects.create(kind="call", subject="Intro", lead=lead, owner=lead.owner)
    lead_id = lead.pk

    lead_delete(actor=manager, lead=lead)

    assert not Lead.objects.filter(pk=lead_id).exists()
    (deleted,) = entries("lead", lead_id, action="deleted")
    assert deleted.actor == manager
    assert deleted.old_label == "Liane Pechel (Nordpharma)"
    assert '"city": "Kiel"' in deleted.old_value
    (gone,) = entries("activity", call.pk, action="deleted")
    assert gone.old_label == "Call: Intro"


def test_a_deleted_contact_takes_its_activities_and_both_leave_entries(anna):
    admin = AdminFactory()
    contact = contact_create(actor=anna, last_name="Pechel")
    note = activity_create(actor=anna, kind="note", subject="Met at the fair", contact=contact)

    contact_delete(actor=admin, contact=contact)

    assert [e.action for e in entries("contact", contact.pk)] == ["created", "deleted"]
    assert [e.action for e in entries("activity", note.pk)] == ["created", "deleted"]


def test_activities_moved_by_a_conversion_get_a_new_version_and_entries(anna):
    lead = lead_create(actor=anna, last_name="Pechel", company="Nordpharma GmbH")
    call = activity_create(actor=anna, kind="call", subject="Intro", lead=lead)
    version = Activity.objects.get(pk=call.pk).version

    result = lead_convert(actor=anna, lead=lead, accept_qualification_gaps=True)

    moved = Activity.objects.get(pk=call.pk)
    assert moved.version == version + 1
    assert (moved.contact, moved.organization, moved.opportunity) == (
        result.contact,
        result.organization,
        result.opportunity,
    )
    moves = {e.field: e for e in entries("activity", call.pk, action="updated")}
    assert set(moves) == {"contact", "organization", "opportunity"}
    assert moves["organization"].new_label == "Nordpharma GmbH"
    assert note_text(moves["contact"]) == (
        "Moved by the conversion of lead “Pechel (Nordpharma GmbH)”"
    )


def test_the_history_cannot_be_changed_or_deleted(anna):
    lead = lead_create(actor=anna, last_name="Pechel")
    entry = entries("lead", lead.pk)[0]

    with pytest.raises(AppendOnly):
        Change.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AppendOnly):
        Change.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnly):
        entry.delete()
    entry.note = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()


def test_a_page_edit_is_recorded_as_coming_through_the_web(anna):
    organization = OrganizationFactory(owner=anna, name="Nordpharma GmbH")
    client = Client()
    client.force_login(anna)

    page = client.get(f"/organizations/{organization.pk}/edit/").content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)

    response = client.post(
        f"/organizations/{organization.pk}/edit/",
        {"name": "Nordpharma AG", "lifecycle": "prospect", "owner": anna.pk, "seen": seen},
    )

    assert response.status_code in (302, 303), response.content[:500]
    (entry,) = entries("organization", organization.pk, field="name")
    assert (entry.old_value, entry.new_value, entry.door, entry.actor) == (
        "Nordpharma GmbH",
        "Nordpharma AG",
        Door.WEB,
        anna,
    )


def test_seeded_stage_names_and_reasons_in_the_history_read_in_the_readers_language(anna):
    organization = organization_create(actor=anna, name="Nordpharma GmbH")
    opportunity = opportunity_create(actor=anna, name="Fleet", organization=organization)
    (created,) = entries("opportunity", opportunity.pk, field="stage")
    lead = lead_create(actor=anna, last_name="Pechel")
    lead_disqualify(actor=anna, lead=lead, reason="Duplicate: same as lead 12")
    (disqualified,) = entries("lead", lead.pk, field="status", action="updated")

    with translation.override("de"):
        assert field_change(created).new == "Qualifizierung"
        assert note_text(disqualified) == "Dublette: same as lead 12"
    assert field_change(created).new == "Qualification"
    assert note_text(disqualified) == "Duplicate: same as lead 12"

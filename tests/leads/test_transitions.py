"""Lead statuses and the moves between them, as the sales team sees them."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from tests.factories import LeadFactory, UserFactory
from vorsprung.core.errors import Conflict
from vorsprung.history.models import Change
from vorsprung.history.presenters import field_change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import (
    lead_change_status,
    lead_convert,
    lead_create,
    lead_disqualify,
    lead_reopen,
)

STATUSES = ["new", "working", "nurturing", "unqualified", "converted"]

# The moves the issue allows: new → working ↔ nurturing; every open status → unqualified;
# unqualified → working (reopen). Converted is reached only by conversion and is final.
ALLOWED = {
    ("new", "working"),
    ("new", "unqualified"),
    ("working", "nurturing"),
    ("working", "unqualified"),
    ("nurturing", "working"),
    ("nurturing", "unqualified"),
    ("unqualified", "working"),
}

ALLOWED_FROM_HERE = {
    "new": "Working, Unqualified",
    "working": "Nurturing, Unqualified",
    "nurturing": "Working, Unqualified",
    "unqualified": "Working",
}

LABELS = {
    "new": "New",
    "working": "Working",
    "nurturing": "Nurturing",
    "unqualified": "Unqualified",
    "converted": "Converted",
}

CONVERTED_AT = datetime.datetime(2024, 3, 5, 13, 7, tzinfo=datetime.UTC)
READ_ONLY = (
    "This lead was converted on 2024-03-05 14:07 and is read-only; change the contact, "
    "organization or opportunity it became instead."
)
ONLY_BY_CONVERTING = (
    "A lead becomes converted only by converting it, which creates its contact, "
    "organization and opportunity."
)


def lead_in(status: str, **fields) -> Lead:
    if status == "unqualified":
        fields.setdefault("disqualification_reason", "No budget this year")
    if status == "converted":
        fields.setdefault("converted_at", CONVERTED_AT)
    return LeadFactory(status=status, **fields)


def status_history(lead: Lead) -> list[tuple[str, str]]:
    rows = Change.objects.filter(record_type="lead", record_id=lead.pk, field="status")
    return list(rows.order_by("id").values_list("old_value", "new_value"))


def refusal_message(from_status: str, to_status: str) -> str:
    if from_status == "converted":
        return READ_ONLY
    if to_status == "converted":
        return ONLY_BY_CONVERTING
    return (
        f"A lead cannot move from “{LABELS[from_status]}” to “{LABELS[to_status]}”. "
        f"Allowed from here: {ALLOWED_FROM_HERE[from_status]}."
    )


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in itertools.product(STATUSES, STATUSES) if pair in ALLOWED],
)
def test_an_allowed_move_changes_the_status_and_writes_history(db, from_status, to_status):
    actor = UserFactory()
    lead = lead_in(from_status)

    returned = lead_change_status(
        actor=actor, lead=lead, status=to_status, reason="No budget this year"
    )

    lead.refresh_from_db()
    assert lead.status == to_status
    assert returned.status == to_status
    entry = Change.objects.get(record_type="lead", record_id=lead.pk, field="status")
    assert (entry.field, entry.old_value, entry.new_value) == ("status", from_status, to_status)
    shown = field_change(entry)
    assert (shown.label, shown.old, shown.new) == (
        "Status",
        LABELS[from_status],
        LABELS[to_status],
    )
    assert entry.actor == actor


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED],
)
def test_a_disallowed_move_is_refused_and_changes_nothing(db, from_status, to_status):
    lead = lead_in(from_status)
    version = lead.version

    with pytest.raises(Conflict) as refused:
        lead_change_status(
            actor=UserFactory(), lead=lead, status=to_status, reason="No budget this year"
        )

    assert refused.value.message == refusal_message(from_status, to_status)
    lead.refresh_from_db()
    assert (lead.status, lead.version) == (from_status, version)
    assert status_history(lead) == []


def test_the_refusal_names_the_moves_allowed_from_working(db):
    lead = lead_in("working")

    with pytest.raises(Conflict, match="Allowed from here: Nurturing, Unqualified"):
        lead_change_status(actor=UserFactory(), lead=lead, status="new")


def test_a_new_lead_cannot_skip_working_and_go_to_nurturing(db):
    lead = lead_in("new")

    with pytest.raises(Conflict) as refused:
        lead_change_status(actor=UserFactory(), lead=lead, status="nurturing")

    assert refused.value.message == (
        "A lead cannot move from “New” to “Nurturing”. Allowed from here: Working, Unqualified."
    )


def test_an_unknown_status_is_a_validation_error_naming_the_choices(db):
    lead = lead_in("new")

    with pytest.raises(ValidationError) as invalid:
        lead_change_status(actor=UserFactory(), lead=lead, status="won")

    assert invalid.value.message_dict == {
        "status": [
            "Unknown status “won”. Choose one of: new, working, nurturing, unqualified, converted."
        ]
    }
    lead.refresh_from_db()
    assert lead.status == "new"


def test_the_decision_uses_the_stored_status_not_a_stale_copy(db):
    lead = lead_in("new")
    stale = Lead.objects.get(pk=lead.pk)
    stale.status = "working"

    with pytest.raises(Conflict) as refused:
        lead_change_status(actor=UserFactory(), lead=stale, status="nurturing")

    assert "cannot move from “New” to “Nurturing”" in refused.value.message
    lead.refresh_from_db()
    assert lead.status == "new"


def test_a_new_lead_starts_in_new_with_a_history_entry(db):
    actor = UserFactory()

    lead = lead_create(actor=actor, last_name="Lindqvist")

    assert lead.status == "new"
    assert status_history(lead) == [("", "new")]


# --- Disqualify and reopen ---------------------------------------------------------------


@pytest.mark.parametrize("from_status", ["new", "working", "nurturing"])
def test_any_open_lead_can_be_disqualified_with_a_reason(db, from_status):
    actor = UserFactory()
    lead = lead_in(from_status)

    lead_disqualify(actor=actor, lead=lead, reason="  Went with a competitor  ")

    lead.refresh_from_db()
    assert lead.status == "unqualified"
    assert lead.disqualification_reason == "Went with a competitor"
    entry = Change.objects.get(record_type="lead", record_id=lead.pk, field="status")
    assert (entry.old_value, entry.new_value) == (from_status, "unqualified")
    assert entry.note == "Went with a competitor"
    assert entry.actor == actor


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_disqualifying_without_a_reason_is_refused(db, reason):
    lead = lead_in("working")

    with pytest.raises(ValidationError) as invalid:
        lead_disqualify(actor=UserFactory(), lead=lead, reason=reason)

    assert invalid.value.message_dict == {"reason": ["Say why the lead is unqualified."]}
    lead.refresh_from_db()
    assert lead.status == "working"
    assert status_history(lead) == []


def test_a_long_reason_is_cut_to_what_the_field_holds(db):
    lead = lead_in("new")

    lead_disqualify(actor=UserFactory(), lead=lead, reason="x" * 300)

    lead.refresh_from_db()
    assert lead.disqualification_reason == "x" * 255


def test_reopening_an_unqualified_lead_brings_it_back_to_working(db):
    actor = UserFactory()
    lead = lead_in("unqualified")

    reopened = lead_reopen(actor=actor, lead=lead)

    lead.refresh_from_db()
    assert reopened.status == lead.status == "working"
    assert lead.disqualification_reason == ""
    entry = Change.objects.get(record_type="lead", record_id=lead.pk, field="status")
    assert (entry.old_value, entry.new_value, entry.actor) == ("unqualified", "working", actor)


@pytest.mark.parametrize("status", ["new", "working", "nurturing"])
def test_only_an_unqualified_lead_can_be_reopened(db, status):
    lead = lead_in(status)

    with pytest.raises(Conflict) as refused:
        lead_reopen(actor=UserFactory(), lead=lead)

    assert refused.value.message == (
        f"Only an unqualified lead can be reopened; this one is “{LABELS[status]}”."
    )
    lead.refresh_from_db()
    assert lead.status == status
    assert status_history(lead) == []


def test_a_converted_lead_cannot_be_reopened(db):
    lead = lead_in("converted")

    with pytest.raises(Conflict) as refused:
        lead_reopen(actor=UserFactory(), lead=lead)

    assert refused.value.message == READ_ONLY
    lead.refresh_from_db()
    assert lead.status == "converted"


def test_disqualify_reopen_disqualify_keeps_the_whole_story(db):
    actor = UserFactory()
    lead = lead_in("new")

    lead_disqualify(actor=actor, lead=lead, reason="Could not be reached")
    lead_reopen(actor=actor, lead=lead)
    lead_change_status(actor=actor, lead=lead, status="nurturing")
    lead_disqualify(actor=actor, lead=lead, reason="Bad timing")

    lead.refresh_from_db()
    assert lead.disqualification_reason == "Bad timing"
    assert status_history(lead) == [
        ("new", "unqualified"),
        ("unqualified", "working"),
        ("working", "nurturing"),
        ("nurturing", "unqualified"),
    ]


# --- Converted: reached only through conversion ------------------------------------------


@pytest.mark.parametrize("from_status", ["new", "working", "nurturing"])
def test_every_open_status_can_be_converted(db, from_status):
    lead = lead_in(from_status)
    actor = lead.owner

    result = lead_convert(accept_qualification_gaps=True, actor=actor, lead=lead)

    lead.refresh_from_db()
    assert lead.status == "converted"
    assert result.lead.status == "converted"
    entry = Change.objects.get(record_type="lead", record_id=lead.pk, field="status")
    assert (entry.old_value, entry.new_value, entry.actor) == (from_status, "converted", actor)


def test_an_unqualified_lead_must_be_reopened_before_converting(db, record_counts):
    lead = lead_in("unqualified")
    before = record_counts()

    with pytest.raises(Conflict) as refused:
        lead_convert(accept_qualification_gaps=True, actor=lead.owner, lead=lead)

    assert refused.value.message == "An unqualified lead cannot be converted; reopen it first."
    assert record_counts() == before
    lead.refresh_from_db()
    assert lead.status == "unqualified"

"""``seen``: an edit form refuses only a change someone else made to a field it edits."""

from decimal import Decimal

import pytest

from tests.factories import ContactFactory, LeadFactory, UserFactory
from vorsprung.core.errors import Conflict
from vorsprung.core.validation import seen_state
from vorsprung.customers.services import contact_update
from vorsprung.leads.models import Lead
from vorsprung.leads.services import lead_change_status, lead_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep():
    return UserFactory()


def test_a_change_to_another_field_is_no_conflict(rep):
    lead = LeadFactory(owner=rep, status="new", need="")
    seen = seen_state(lead, ["need", "budget_amount"])
    lead_change_status(actor=rep, lead=lead, status="working")
    updated = lead_update(actor=rep, lead=lead, seen=seen, need="More pipeline")
    assert (updated.need, updated.status) == ("More pipeline", "working")


def test_a_change_to_a_seen_field_is_refused_naming_it(rep):
    lead = LeadFactory(owner=rep, need="", budget_amount=None)
    seen = seen_state(lead, ["need", "budget_amount"])
    Lead.objects.filter(pk=lead.pk).update(budget_amount=Decimal("10"))
    with pytest.raises(Conflict) as refused:
        lead_update(actor=rep, lead=lead, seen=seen, need="Mine")
    assert refused.value.code == "stale_fields"
    assert str(refused.value.message) == (
        "Someone else changed “Budget” since you opened this form. Reload it and apply your "
        "change again."
    )


def test_the_same_value_written_differently_is_no_change(rep):
    lead = LeadFactory(owner=rep, budget_amount=Decimal("5000.00"))
    seen = {"budget_amount": "5000"}
    assert lead_update(actor=rep, lead=lead, seen=seen, need="x").need == "x"


def test_the_contact_service_refuses_a_seen_field_someone_else_changed(rep):
    contact = ContactFactory(owner=rep, job_title="CTO")
    seen = seen_state(contact, ["job_title"])
    contact_update(actor=rep, contact=contact, job_title="CEO")
    with pytest.raises(Conflict):
        contact_update(actor=rep, contact=contact, seen=seen, job_title="CFO")

"""Converting with gaps in the qualification checklist needs a confirmation; the
conversion policy can forbid it outright."""

import pytest

from tests.factories import LeadFactory, UserFactory
from vorsprung.core.errors import ValidationError
from vorsprung.leads.models import ConversionPolicy, Lead
from vorsprung.leads.services import lead_convert

pytestmark = pytest.mark.django_db

QUALIFIED = {
    "need": "A CRM that the team uses",
    "need_confirmed": True,
    "budget_confirmed": True,
    "budget_amount": 10_000,
    "is_decision_maker": True,
}


def _messages(exc: ValidationError) -> dict:
    return exc.value.message_dict


def test_gaps_without_confirmation_are_refused_and_nothing_is_written():
    user = UserFactory()
    lead = LeadFactory(
        owner=user, company="Lücke GmbH", need="Fewer lost leads", need_confirmed=True
    )
    with pytest.raises(ValidationError) as exc:
        lead_convert(actor=user, lead=lead)
    assert _messages(exc) == {
        "accept_qualification_gaps": [
            "The qualification checklist is incomplete (missing: Budget, Authority, Timeline). "
            "Confirm that you want to convert anyway."
        ]
    }
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_confirmed_gaps_convert():
    user = UserFactory()
    lead = LeadFactory(owner=user, company="Lücke GmbH")
    result = lead_convert(actor=user, lead=lead, accept_qualification_gaps=True)
    assert result.lead.status == "converted"


def test_a_complete_checklist_converts_without_confirmation(settings):
    import datetime

    user = UserFactory()
    lead = LeadFactory(
        owner=user,
        company="Voll AG",
        expected_decision_date=datetime.date(2030, 1, 31),
        **QUALIFIED,
    )
    assert lead_convert(actor=user, lead=lead).lead.status == "converted"


def test_policy_requiring_a_complete_checklist_refuses_even_confirmed_gaps():
    ConversionPolicy.objects.update_or_create(
        pk=1, defaults={"require_complete_qualification": True}
    )
    user = UserFactory()
    lead = LeadFactory(owner=user, company="Streng AS", **QUALIFIED)
    with pytest.raises(ValidationError) as exc:
        lead_convert(actor=user, lead=lead, accept_qualification_gaps=True)
    assert _messages(exc) == {
        "qualification": [
            "Complete the qualification checklist before converting; still missing: Timeline."
        ]
    }
    assert Lead.objects.get(pk=lead.pk).status == "new"

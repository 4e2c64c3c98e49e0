import pytest

from tests.factories import AdminFactory, LeadFactory, UserFactory
from vorsprung.core.errors import NotAllowed, ValidationError
from vorsprung.leads.models import ConversionPolicy, DisqualifyReason
from vorsprung.leads.policy import (
    conversion_policy_update,
    disqualify_reason_create,
    disqualify_reason_delete,
    disqualify_reason_retire,
    disqualify_reason_update,
)


@pytest.fixture
def admin(db):
    return AdminFactory()


def offered() -> list[str]:
    return list(DisqualifyReason.objects.filter(is_active=True).values_list("label", flat=True))


def reason(label: str) -> DisqualifyReason:
    return DisqualifyReason.objects.get(label=label)


def test_disqualify_reason_create_update_and_retire(admin):
    disqualify_reason_create(actor=admin, label="Student")
    disqualify_reason_update(actor=admin, reason=reason("Student"), label="Student project")
    disqualify_reason_update(actor=admin, reason=reason("Student project"), position=0)
    disqualify_reason_retire(actor=admin, reason=reason("Spam or fake"))

    assert offered()[:2] == ["Student project", "No budget"]
    assert "Spam or fake" not in offered()
    assert DisqualifyReason.objects.get(label="Spam or fake").is_active is False


@pytest.mark.parametrize(
    ("label", "message"),
    [(" ", "Enter a label."), ("no BUDGET", "This label is in the list already.")],
)
def test_disqualify_reason_create_refuses_an_empty_or_duplicate_label(admin, label, message):
    with pytest.raises(ValidationError) as exc:
        disqualify_reason_create(actor=admin, label=label)

    assert exc.value.message_dict == {"label": [message]}


def test_disqualify_reason_update_refuses_a_duplicate_label(admin):
    with pytest.raises(ValidationError) as exc:
        disqualify_reason_update(actor=admin, reason=reason("Other"), label="Duplicate")

    assert exc.value.message_dict == {"label": ["This label is in the list already."]}
    assert reason("Other").label == "Other"


def test_disqualify_reason_delete_deletes_a_reason_no_lead_carries(admin):
    LeadFactory(status="unqualified", disqualification_reason="No need")

    assert disqualify_reason_delete(actor=admin, reason=reason("Duplicate")) is None

    assert not DisqualifyReason.objects.filter(label="Duplicate").exists()


def test_disqualify_reason_delete_retires_a_reason_leads_carry(admin):
    lead = LeadFactory(status="unqualified", disqualification_reason="No need")

    retired = disqualify_reason_delete(actor=admin, reason=reason("No need"))

    assert retired.label == "No need"
    assert reason("No need").is_active is False
    lead.refresh_from_db()
    assert lead.disqualification_reason == "No need"


def test_the_disqualify_reason_services_are_for_administrators(db):
    rep = UserFactory()

    for call in (
        lambda: disqualify_reason_create(actor=rep, label="Student"),
        lambda: disqualify_reason_update(actor=rep, reason=reason("Other"), label="Misc"),
        lambda: disqualify_reason_retire(actor=rep, reason=reason("Other")),
        lambda: disqualify_reason_delete(actor=rep, reason=reason("Other")),
    ):
        with pytest.raises(NotAllowed, match="Only administrators may do this."):
            call()
    assert reason("Other").is_active


def test_conversion_policy_update_switches_the_requirement_on_and_off(admin):
    assert ConversionPolicy.current().require_complete_qualification is False

    policy = conversion_policy_update(actor=admin, require_complete_qualification=True)

    assert policy.require_complete_qualification is True
    assert ConversionPolicy.current().require_complete_qualification is True
    conversion_policy_update(actor=admin, require_complete_qualification=False)
    assert ConversionPolicy.current().require_complete_qualification is False


def test_conversion_policy_update_is_for_administrators(db):
    with pytest.raises(NotAllowed):
        conversion_policy_update(actor=UserFactory(), require_complete_qualification=True)

    assert ConversionPolicy.current().require_complete_qualification is False

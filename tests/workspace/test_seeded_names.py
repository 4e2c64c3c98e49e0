"""Reference data seeded at setup (pipeline, stages, reasons) reads in the team's language
until an administrator renames it; the database and the API keep the stored name."""

import pytest
from django.utils import translation

from tests.api.helpers import Api
from tests.factories import (
    AdminFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    UserFactory,
    default_pipeline,
    stage_named,
)
from tests.pages import page_text
from vorsprung.leads.models import DisqualifyReason
from vorsprung.leads.policy import disqualify_reason_update
from vorsprung.sales.models import Stage
from vorsprung.sales.stages import pipeline_update_stages

pytestmark = pytest.mark.django_db

# Seeded names whose translation the German catalog has already (the qualification card's
# heading, the sales department, the duplicate reason).
GERMAN = {"Qualification": "Qualifizierung", "Sales": "Vertrieb", "Duplicate": "Dublette"}


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver"]


def german(user):
    user.language = "de"
    user.save()
    return user


def test_seeded_rows_carry_their_key():
    assert default_pipeline().key == "sales"
    assert stage_named("Proposal").key == "proposal"
    assert DisqualifyReason.objects.get(label="Duplicate").key == "duplicate"


def test_a_german_team_reads_seeded_names_in_german(client_for):
    rep = german(UserFactory())
    OpportunityFactory(
        organization=OrganizationFactory(owner=rep), owner=rep, stage=stage_named("Qualification")
    )
    home = page_text(client_for(rep).get("/"))
    assert "Pipeline: Vertrieb" in home
    assert "Qualifizierung 10 %" in home
    lead = LeadFactory(owner=rep)
    page = client_for(rep).get(f"/leads/{lead.pk}/").content.decode()
    assert '<option value="Duplicate">Dublette</option>' in page


def test_an_english_team_reads_them_as_seeded(client_for):
    rep = UserFactory()
    OpportunityFactory(organization=OrganizationFactory(owner=rep), owner=rep)
    assert "Pipeline: Sales" in page_text(client_for(rep).get("/"))


def test_a_reason_kept_on_a_lead_reads_in_the_reader_s_language(client_for):
    rep = german(UserFactory())
    lead = LeadFactory(
        owner=rep, status="unqualified", disqualification_reason="Duplicate: same as #12"
    )
    assert "Dublette: same as #12" in page_text(client_for(rep).get(f"/leads/{lead.pk}/"))
    assert Api(rep).get(f"/leads/{lead.pk}").json()["disqualification_reason"] == (
        "Duplicate: same as #12"
    )


def test_a_renamed_row_reads_as_typed_in_every_language(client_for):
    admin = AdminFactory()
    reason = DisqualifyReason.objects.get(label="Duplicate")
    disqualify_reason_update(actor=admin, reason=reason, label="Doppelt erfasst")
    rep = german(UserFactory())
    page = client_for(rep).get(f"/leads/{LeadFactory(owner=rep).pk}/").content.decode()
    assert '<option value="Doppelt erfasst">Doppelt erfasst</option>' in page
    with translation.override("nb"):
        assert str(DisqualifyReason.objects.get(pk=reason.pk)) == "Doppelt erfasst"


def test_saving_the_stages_as_shown_in_german_renames_nothing():
    admin = german(AdminFactory())
    pipeline = default_pipeline()
    with translation.override("de"):
        specs = [
            {
                "id": stage.pk,
                "name": stage.shown_name,
                "probability": stage.probability,
                "forecast_category": stage.forecast_category,
                "is_won": stage.is_won,
                "is_lost": stage.is_lost,
            }
            for stage in pipeline.stages.order_by("position")
        ]
        assert specs[0]["name"] == GERMAN["Qualification"]
        pipeline_update_stages(actor=admin, pipeline=pipeline, stages=specs)
    assert Stage.objects.get(key="qualification").name == "Qualification"


def test_saving_the_reason_as_shown_renames_nothing():
    admin = AdminFactory()
    reason = DisqualifyReason.objects.get(label="Duplicate")
    with translation.override("de"):
        disqualify_reason_update(actor=admin, reason=reason, label="Dublette")
    assert DisqualifyReason.objects.get(pk=reason.pk).label == "Duplicate"


def test_the_api_gives_the_stored_name_and_the_key():
    body = Api(UserFactory()).get("/pipelines").json()["items"][0]
    assert (body["key"], body["name"]) == ("sales", "Sales")
    assert body["stages"][0]["key"] == "qualification"
    assert body["stages"][0]["name"] == "Qualification"

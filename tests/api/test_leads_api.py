"""/api/v1/leads: the record contract, the filters, and every lead operation — status
moves, disqualify, reopen, conversion matches, conversion and the timeline."""

import datetime

import pytest
from django.utils import timezone

from tests.api.crud_suite import RecordResourceContract
from tests.api.helpers import Api, field_errors, problem
from tests.factories import ContactFactory, LeadFactory, OrganizationFactory, stage_named
from vorsprung.customers.models import Contact, Organization
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity, Pipeline


class TestLeadResource(RecordResourceContract):
    path = "/leads"
    model = Lead
    orderings = (
        "-created_at",
        "created_at",
        "-updated_at",
        "updated_at",
        "last_name",
        "-last_name",
        "company",
        "-company",
    )
    update_body = {"job_title": "Head of Purchasing"}
    wrong_type_body = {"employee_count": True}
    wrong_type_errors = {"employee_count": ["Input should be a valid integer"]}

    def make(self, owner, **fields):
        return LeadFactory(owner=owner, **fields)

    def create_body(self, owner):
        return {
            "first_name": "Ada",
            "last_name": "Adler",
            "email": "ada@adler-werke.example",
            "company": "Adler Werke",
        }


# --- list filters --------------------------------------------------------------------


@pytest.fixture
def filter_leads(rep, teammate, other_rep):
    """Five leads that differ in everything a filter looks at, with known timestamps."""
    now = timezone.now()
    specs = {
        "adler": (rep, "new", "web_form", "software", "DE", 10, 10),
        "becker": (rep, "working", "referral", "banking", "AT", 50, 5),
        "cramer": (teammate, "unqualified", "web_form", "software", "DE", 90, 2),
        "dietz": (teammate, "converted", "partner", "retail", "FR", None, 1),
        "engel": (other_rep, "nurturing", "trade_show", "software", "DE", 70, 20),
    }
    leads = {}
    for name, (owner, status, source, industry, country, score, days_ago) in specs.items():
        lead = LeadFactory(
            owner=owner,
            last_name=name.capitalize(),
            email=f"{name}@{name}.example",
            company=f"{name.capitalize()} AG",
            status=status,
            source=source,
            industry=industry,
        )
        stamp = now - datetime.timedelta(days=days_ago)
        Lead.objects.filter(pk=lead.pk).update(
            country=country, score=score, created_at=stamp, updated_at=stamp
        )
        leads[name] = lead
    return leads


class Ago:
    """A moment some days before the test runs, resolved when the request is made."""

    def __init__(self, days: int):
        self.days = days

    def __repr__(self) -> str:
        return f"{self.days} days ago"

    def iso(self) -> str:
        return (timezone.now() - datetime.timedelta(days=self.days)).isoformat()


LEAD_FILTERS = [
    ({"status": "new"}, {"adler"}),
    ({"status": ["working", "nurturing"]}, {"becker", "engel"}),
    ({"source": "web_form"}, {"adler", "cramer"}),
    ({"source": ["partner", "trade_show"]}, {"dietz", "engel"}),
    ({"owner": "@teammate"}, {"cramer", "dietz"}),
    ({"owner": ["@rep", "@other_rep"]}, {"adler", "becker", "engel"}),
    ({"team": "@other_team"}, {"engel"}),
    ({"team": "@team"}, {"adler", "becker", "cramer", "dietz"}),
    ({"industry": "software"}, {"adler", "cramer", "engel"}),
    ({"industry": ["banking", "retail"]}, {"becker", "dietz"}),
    ({"country": "DE"}, {"adler", "cramer", "engel"}),
    ({"country": ["AT", "FR"]}, {"becker", "dietz"}),
    ({"created_after": Ago(6)}, {"becker", "cramer", "dietz"}),
    ({"created_before": Ago(6)}, {"adler", "engel"}),
    ({"created_after": Ago(12), "created_before": Ago(3)}, {"adler", "becker"}),
    ({"updated_after": Ago(3)}, {"cramer", "dietz"}),
    ({"updated_before": Ago(3)}, {"adler", "becker", "engel"}),
    ({"score_min": 50}, {"becker", "cramer", "engel"}),
    ({"score_max": 50}, {"adler", "becker"}),
    ({"score_min": 20, "score_max": 80}, {"becker", "engel"}),
    ({"is_open": "true"}, {"adler", "becker", "engel"}),
    ({"is_open": "false"}, {"cramer", "dietz"}),
    ({"q": "beck"}, {"becker"}),
    ({"q": "DIETZ@"}, {"dietz"}),
    ({"q": "Engel AG"}, {"engel"}),
    ({"status": "new", "country": "DE", "q": "adl"}, {"adler"}),
]


@pytest.mark.parametrize(
    ("params", "expected"), LEAD_FILTERS, ids=[str(p) for p, _ in LEAD_FILTERS]
)
def test_the_lead_list_filters(request, admin, filter_leads, params, expected):
    people = {"@rep", "@teammate", "@other_rep", "@team", "@other_team"}

    def resolve(value):
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, Ago):
            return value.iso()
        return request.getfixturevalue(value[1:]).pk if value in people else value

    query = {name: resolve(value) for name, value in params.items()}

    items = Api(admin).get("/leads", query).json()["items"]

    assert {item["last_name"].lower() for item in items} == expected


def test_a_rep_filtering_by_another_team_sees_nothing(api, filter_leads, other_team):
    assert api.get("/leads", {"team": other_team.pk}).json()["items"] == []


def test_an_unknown_status_filter_is_refused(api):
    body = problem(api.get("/leads", {"status": "hot"}), 422)

    assert field_errors(body) == {
        "status.0": ["Input should be 'new', 'working', 'nurturing', 'unqualified' or 'converted'"]
    }


# --- status moves --------------------------------------------------------------------


def _timeline(api, path):
    return api.get(f"{path}/timeline").json()["items"]


def test_a_status_move_answers_the_lead_and_records_history(api, rep):
    lead = LeadFactory(owner=rep)

    response = api.post(f"/leads/{lead.pk}/status", {"status": "working"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "working"
    assert response.json()["version"] == lead.version + 1
    change = _timeline(api, f"/leads/{lead.pk}")[0]["change"]
    assert (change["field"], change["old_value"], change["new_value"]) == (
        "status",
        "new",
        "working",
    )
    assert change["actor_id"] == rep.pk


def test_a_disallowed_move_is_409_naming_the_allowed_moves(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(api.post(f"/leads/{lead.pk}/status", {"status": "nurturing"}), 409)

    assert body["title"] == "Conflict"
    assert body["type"] == "urn:vorsprung:problem:status-move-not-allowed"
    assert body["detail"] == (
        "A lead cannot move from “New” to “Nurturing”. Allowed from here: Working, Unqualified."
    )
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_converted_is_reached_only_by_converting(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(api.post(f"/leads/{lead.pk}/status", {"status": "converted"}), 409)

    assert body["detail"] == (
        "A lead becomes converted only by converting it, which creates its contact, "
        "organization and opportunity."
    )


def test_an_unknown_status_is_refused(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(api.post(f"/leads/{lead.pk}/status", {"status": "hot"}), 422)

    assert field_errors(body) == {
        "status": ["Input should be 'new', 'working', 'nurturing', 'unqualified' or 'converted'"]
    }


def test_moving_to_unqualified_needs_a_reason(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(api.post(f"/leads/{lead.pk}/status", {"status": "unqualified"}), 422)

    assert field_errors(body) == {"reason": ["Say why the lead is unqualified."]}
    assert Lead.objects.get(pk=lead.pk).status == "new"


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "Field required"), ({"reason": "   "}, "Say why the lead is unqualified.")],
    ids=["missing", "blank"],
)
def test_disqualify_needs_a_reason(api, rep, body, message):
    lead = LeadFactory(owner=rep)

    refusal = problem(api.post(f"/leads/{lead.pk}/disqualify", body), 422)

    assert field_errors(refusal) == {"reason": [message]}
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_disqualify_closes_the_lead_with_the_reason(api, rep):
    lead = LeadFactory(owner=rep)

    response = api.post(f"/leads/{lead.pk}/disqualify", {"reason": "No budget this year"})

    assert response.status_code == 200
    assert response.json()["status"] == "unqualified"
    assert response.json()["disqualification_reason"] == "No budget this year"
    assert _timeline(api, f"/leads/{lead.pk}")[0]["change"]["note"] == "No budget this year"


def test_reopen_brings_an_unqualified_lead_back_to_working(api, rep):
    lead = LeadFactory(owner=rep, status="unqualified", disqualification_reason="No need")

    response = api.post(f"/leads/{lead.pk}/reopen")

    assert response.status_code == 200
    assert response.json()["status"] == "working"
    assert response.json()["disqualification_reason"] == ""


def test_only_an_unqualified_lead_can_be_reopened(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(api.post(f"/leads/{lead.pk}/reopen"), 409)

    assert body["detail"] == "Only an unqualified lead can be reopened; this one is “New”."


# --- conversion matches --------------------------------------------------------------


def test_conversion_matches_offer_visible_organizations_and_contacts(api, rep, other_rep):
    lead = LeadFactory(
        owner=rep, company="Adler Werke", email="ada@adler-werke.example", last_name="Adler"
    )
    Lead.objects.filter(pk=lead.pk).update(domain="adler-werke.example")
    by_domain = OrganizationFactory(owner=rep, name="Adler Holding", domain="adler-werke.example")
    by_email = ContactFactory(
        owner=rep, organization=by_domain, email="ada@adler-werke.example", last_name="Adler"
    )
    OrganizationFactory(owner=other_rep, name="Adler Werke", domain="adler-werke.example")

    response = api.get(f"/leads/{lead.pk}/conversion-matches")

    assert response.status_code == 200
    body = response.json()
    assert [(m["reason"], m["score"], m["organization"]["id"]) for m in body["organizations"]] == [
        ("domain", 100, by_domain.pk)
    ]
    assert [(m["reason"], m["score"], m["contact"]["id"]) for m in body["contacts"]] == [
        ("email", 100, by_email.pk)
    ]


def test_conversion_matches_of_an_invisible_lead_are_404(api, other_rep):
    lead = LeadFactory(owner=other_rep)

    assert problem(api.get(f"/leads/{lead.pk}/conversion-matches"), 404)


# --- conversion ----------------------------------------------------------------------


def _convert(api, lead, body=None):
    """Converts with gaps accepted; the qualification rules have their own tests."""
    return api.post(
        f"/leads/{lead.pk}/convert", {"accept_qualification_gaps": True, **(body or {})}
    )


def test_convert_creates_contact_organization_and_opportunity(api, rep):
    lead = LeadFactory(
        owner=rep, first_name="Ada", last_name="Adler", company="Adler Werke", job_title="CTO"
    )

    response = _convert(api, lead)

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"lead", "contact", "organization", "opportunity"}
    contact, organization, opportunity = body["contact"], body["organization"], body["opportunity"]
    assert body["lead"]["status"] == "converted"
    assert body["lead"]["converted_contact_id"] == contact["id"]
    assert body["lead"]["converted_organization_id"] == organization["id"]
    assert body["lead"]["converted_opportunity_id"] == opportunity["id"]
    assert (contact["first_name"], contact["last_name"], contact["job_title"]) == (
        "Ada",
        "Adler",
        "CTO",
    )
    assert contact["organization_id"] == organization["id"]
    assert organization["name"] == "Adler Werke"
    assert opportunity["organization_id"] == organization["id"]
    assert opportunity["primary_contact_id"] == contact["id"]
    assert opportunity["source_lead_id"] == lead.pk
    assert opportunity["stage_id"] == stage_named("Qualification").pk
    assert {contact["owner_id"], organization["owner_id"], opportunity["owner_id"]} == {rep.pk}


def test_convert_attaches_to_an_existing_organization_and_contact(api, rep):
    organization = OrganizationFactory(owner=rep, name="Adler Holding")
    contact = ContactFactory(owner=rep, organization=organization, phone="")
    lead = LeadFactory(owner=rep, company="Adler Werke", phone="+49 30 1234567")
    counts = (Organization.objects.count(), Contact.objects.count())

    response = _convert(api, lead, {"organization_id": organization.pk, "contact_id": contact.pk})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organization"]["id"] == organization.pk
    assert body["organization"]["name"] == "Adler Holding"
    assert body["contact"]["id"] == contact.pk
    assert body["contact"]["phone"] == lead.phone
    assert body["opportunity"]["organization_id"] == organization.pk
    assert (Organization.objects.count(), Contact.objects.count()) == counts


def test_convert_without_an_opportunity(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")

    response = _convert(api, lead, {"create_opportunity": False})

    assert response.status_code == 201, response.content
    assert response.json()["opportunity"] is None
    assert response.json()["lead"]["converted_opportunity_id"] is None
    assert not Opportunity.objects.exists()


def test_convert_applies_the_opportunity_options(api, rep):
    pipeline = Pipeline.objects.get(is_default=True)
    proposal = stage_named("Proposal")
    lead = LeadFactory(owner=rep, company="Adler Werke")
    options = {
        "name": "Adler Werke – fleet",
        "amount": "25000.00",
        "currency": "chf",
        "close_date": "2031-03-31",
        "pipeline_id": pipeline.pk,
        "stage_id": proposal.pk,
    }

    response = _convert(api, lead, {"opportunity": options})

    assert response.status_code == 201, response.content
    opportunity = response.json()["opportunity"]
    assert opportunity["name"] == "Adler Werke – fleet"
    assert opportunity["amount"] == "25000.00"
    assert opportunity["currency"] == "CHF"
    assert opportunity["expected_close_date"] == "2031-03-31"
    assert (opportunity["pipeline_id"], opportunity["stage_id"]) == (pipeline.pk, proposal.pk)
    assert opportunity["probability"] == proposal.probability


def test_convert_refuses_a_deactivated_pipeline_like_opportunity_create(api, rep):
    old = Pipeline.objects.create(name="Old", is_active=False)
    lead = LeadFactory(owner=rep, company="Adler Werke")

    body = problem(_convert(api, lead, {"opportunity": {"pipeline_id": old.pk}}), 422)

    assert field_errors(body) == {
        "opportunity.pipeline_id": [f"No active pipeline with id {old.pk}."]
    }
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_an_unknown_opportunity_option_is_refused_by_path(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")

    body = problem(_convert(api, lead, {"opportunity": {"colour": "red"}}), 422)

    assert field_errors(body) == {
        "opportunity.colour": ["This field does not exist or cannot be changed here."]
    }


def test_converting_twice_is_409(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")
    assert _convert(api, lead).status_code == 201
    counts = (Contact.objects.count(), Organization.objects.count(), Opportunity.objects.count())

    body = problem(_convert(api, lead), 409)

    assert body["type"] == "urn:vorsprung:problem:already-converted"
    assert body["detail"] == "This lead is already converted."
    assert (
        Contact.objects.count(),
        Organization.objects.count(),
        Opportunity.objects.count(),
    ) == counts


def test_a_converted_lead_is_read_only(api, manager, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke", job_title="CTO")
    _convert(api, lead)
    converted_at = timezone.localtime(Lead.objects.get(pk=lead.pk).converted_at)
    read_only = (
        f"This lead was converted on {converted_at:%Y-%m-%d %H:%M} and is read-only; change "
        "the contact, organization or opportunity it became instead."
    )

    for response in (
        api.patch(f"/leads/{lead.pk}", {"job_title": "CEO"}),
        api.post(f"/leads/{lead.pk}/status", {"status": "working"}),
        api.post(f"/leads/{lead.pk}/disqualify", {"reason": "Changed our mind"}),
        api.post(f"/leads/{lead.pk}/reopen"),
    ):
        body = problem(response, 409)
        assert body["type"] == "urn:vorsprung:problem:lead-converted"
        assert body["detail"] == read_only
    body = problem(Api(manager).delete(f"/leads/{lead.pk}"), 409)
    assert body["detail"] == (
        "A converted lead cannot be deleted; it records where its contact came from."
    )
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.status, stored.job_title) == ("converted", "CTO")


def test_an_unqualified_lead_cannot_be_converted(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke", status="unqualified")

    body = problem(_convert(api, lead), 409)

    assert body["detail"] == "An unqualified lead cannot be converted; reopen it first."
    assert not Contact.objects.exists()


def test_an_opportunity_needs_an_organization(api, rep):
    lead = LeadFactory(owner=rep, company="")

    body = problem(_convert(api, lead), 422)

    assert field_errors(body) == {
        "create_opportunity": [
            "An opportunity needs an organization: the lead names no company; pick an "
            "existing organization or convert without an opportunity."
        ]
    }
    assert _convert(api, lead, {"create_opportunity": False}).status_code == 201


def test_convert_refuses_an_organization_of_another_team(api, rep, other_rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")
    hidden = OrganizationFactory(owner=other_rep)

    body = problem(_convert(api, lead, {"organization_id": hidden.pk}), 422)

    assert field_errors(body) == {
        "organization_id": [f"No record with id {hidden.pk} that you may see."]
    }
    assert Lead.objects.get(pk=lead.pk).status == "new"
    assert not Contact.objects.exists()


def test_convert_refuses_a_contact_of_another_organization(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")
    chosen = OrganizationFactory(owner=rep)
    contact = ContactFactory(owner=rep)

    body = problem(
        _convert(api, lead, {"organization_id": chosen.pk, "contact_id": contact.pk}), 422
    )

    assert field_errors(body) == {
        "contact_id": ["This contact belongs to another organization than the one chosen."]
    }


# --- timeline ------------------------------------------------------------------------


def test_the_lead_timeline_shows_activities_and_history_newest_first(api, rep):
    lead_id = api.post("/leads", {"last_name": "Adler", "company": "Adler Werke"}).json()["id"]
    call = api.post("/activities", {"kind": "call", "subject": "First call", "lead_id": lead_id})
    assert call.status_code == 201, call.content

    response = api.get(f"/leads/{lead_id}/timeline")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["type"] for item in items] == ["change", "activity", "change"]
    assert [item["change"]["new_value"] for item in items if item["change"]] == ["working", "new"]
    assert items[1]["activity"]["id"] == call.json()["id"]
    assert [item["at"] for item in items] == sorted((item["at"] for item in items), reverse=True)
    assert response.json()["next"] is None


def test_the_timeline_of_an_invisible_lead_is_404(api, other_rep):
    lead = LeadFactory(owner=other_rep)

    assert problem(api.get(f"/leads/{lead.pk}/timeline"), 404)["detail"] == (
        "No such record, or you may not see it."
    )


def test_convert_with_qualification_gaps_needs_confirmation(api, rep):
    lead = LeadFactory(owner=rep, company="Gap AG", need="Quotes faster", need_confirmed=True)
    body = problem(api.post(f"/leads/{lead.pk}/convert", {}), 422)
    assert body["errors"] == [
        {
            "field": "accept_qualification_gaps",
            "message": "The qualification checklist is incomplete (missing: Budget, Authority, "
            "Timeline). Confirm that you want to convert anyway.",
        }
    ]
    lead.refresh_from_db()
    assert lead.status != "converted"
    response = api.post(f"/leads/{lead.pk}/convert", {"accept_qualification_gaps": True})
    assert response.status_code == 201


def test_convert_refuses_a_stage_of_a_deactivated_pipeline(api, rep):
    old = Pipeline.objects.create(name="Old", is_active=False)
    stage = old.stages.create(name="Talk", position=0, probability=10, forecast_category="pipeline")
    lead = LeadFactory(owner=rep, company="Adler Werke")

    body = problem(_convert(api, lead, {"opportunity": {"stage_id": stage.pk}}), 422)

    assert field_errors(body) == {
        "opportunity.stage_id": [f"No stage with id {stage.pk} in an active pipeline."]
    }
    assert Lead.objects.get(pk=lead.pk).status == "new"

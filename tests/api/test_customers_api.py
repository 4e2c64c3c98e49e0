"""/api/v1/organizations and /api/v1/contacts: the record contract, filters, references
to other records, and their timelines."""

import datetime

import pytest
from django.utils import timezone

from tests.api.crud_suite import RecordResourceContract
from tests.api.helpers import Api, field_errors, problem
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    OpportunityFactory,
    OrganizationFactory,
)
from vorsprung.customers.models import Contact, Organization


class TestOrganizationResource(RecordResourceContract):
    path = "/organizations"
    model = Organization
    orderings = ("name", "-name", "-created_at", "created_at", "-updated_at", "updated_at")
    update_body = {"city": "Bremen"}
    wrong_type_body = {"employee_count": "12"}
    wrong_type_errors = {"employee_count": ["Input should be a valid integer"]}

    def make(self, owner, **fields):
        return OrganizationFactory(owner=owner, **fields)

    def create_body(self, owner):
        return {"name": "Adler Werke", "website": "https://www.adler-werke.example/"}


class TestContactResource(RecordResourceContract):
    path = "/contacts"
    model = Contact
    orderings = (
        "last_name",
        "-last_name",
        "-created_at",
        "created_at",
        "-updated_at",
        "updated_at",
    )
    update_body = {"job_title": "Head of Purchasing"}
    wrong_type_body = {"do_not_call": 1}
    wrong_type_errors = {"do_not_call": ["Input should be a valid boolean"]}

    def organization_of(self, owner):
        if not hasattr(self, "_organizations"):
            self._organizations = {}
        if owner.pk not in self._organizations:
            self._organizations[owner.pk] = OrganizationFactory(owner=owner)
        return self._organizations[owner.pk]

    def make(self, owner, **fields):
        return ContactFactory(owner=owner, organization=self.organization_of(owner), **fields)

    def create_body(self, owner):
        return {
            "first_name": "Ada",
            "last_name": "Adler",
            "email": "ada@adler-werke.example",
            "organization_id": self.organization_of(owner).pk,
        }


# --- organizations -------------------------------------------------------------------


def test_create_derives_the_domain_and_answers_a_prospect(api):
    response = api.post(
        "/organizations", {"name": "Adler Werke", "website": "www.adler-werke.example"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["domain"] == "adler-werke.example"
    assert body["lifecycle"] == "prospect"


def test_an_organization_needs_a_name(api):
    for body in ({}, {"name": ""}):
        refusal = problem(api.post("/organizations", body), 422)
        assert set(field_errors(refusal)) == {"name"}
    assert not Organization.objects.exists()


def test_an_unknown_industry_is_refused(api):
    body = problem(api.post("/organizations", {"name": "Adler", "industry": "alchemy"}), 422)

    assert list(field_errors(body)) == ["industry"]
    assert field_errors(body)["industry"][0].startswith("Input should be 'agriculture', ")


def test_an_organization_with_opportunities_cannot_be_deleted(manager, rep):
    organization = OrganizationFactory(owner=rep)
    OpportunityFactory(organization=organization)

    body = problem(Api(manager).delete(f"/organizations/{organization.pk}"), 409)

    assert body["detail"] == (
        "This organization has opportunities; close or move them before deleting it."
    )
    assert Organization.objects.filter(pk=organization.pk).exists()


@pytest.fixture
def organizations(rep, teammate, other_rep):
    now = timezone.now()
    specs = {
        "adler": (rep, "prospect", "software", "DE", 10, "adler.example"),
        "becker": (rep, "customer", "banking", "AT", 5, "becker.example"),
        "cramer": (teammate, "customer", "software", "DE", 2, "cramer.example"),
        "dietz": (other_rep, "partner", "retail", "FR", 1, "dietz.example"),
    }
    records = {}
    for name, (owner, lifecycle, industry, country, days_ago, domain) in specs.items():
        organization = OrganizationFactory(
            owner=owner,
            name=f"{name.capitalize()} GmbH",
            lifecycle=lifecycle,
            industry=industry,
            domain=domain,
        )
        stamp = now - datetime.timedelta(days=days_ago)
        Organization.objects.filter(pk=organization.pk).update(
            country=country, created_at=stamp, updated_at=stamp
        )
        records[name] = organization
    return records


def _days_ago(days):
    return (timezone.now() - datetime.timedelta(days=days)).isoformat()


ORGANIZATION_FILTERS = [
    ({"lifecycle": "customer"}, {"becker", "cramer"}),
    ({"lifecycle": ["prospect", "partner"]}, {"adler", "dietz"}),
    ({"industry": "software"}, {"adler", "cramer"}),
    ({"country": ["AT", "FR"]}, {"becker", "dietz"}),
    ({"owner": "teammate"}, {"cramer"}),
    ({"team": "other_team"}, {"dietz"}),
    ({"created_after": 6}, {"becker", "cramer", "dietz"}),
    ({"created_before": 3}, {"adler", "becker"}),
    ({"updated_after": 3}, {"cramer", "dietz"}),
    ({"updated_before": 6}, {"adler"}),
    ({"q": "beck"}, {"becker"}),
    ({"q": "cramer.ex"}, {"cramer"}),
]


@pytest.mark.parametrize(
    ("params", "expected"), ORGANIZATION_FILTERS, ids=[str(p) for p, _ in ORGANIZATION_FILTERS]
)
def test_the_organization_list_filters(request, admin, organizations, params, expected):
    query = {}
    for name, value in params.items():
        if name in {"owner", "team"}:
            value = request.getfixturevalue(value).pk
        elif name.endswith(("_after", "_before")):
            value = _days_ago(value)
        query[name] = value

    items = Api(admin).get("/organizations", query).json()["items"]

    assert {item["name"].split()[0].lower() for item in items} == expected


def test_the_organization_timeline_shows_activities_and_lifecycle_changes(api, rep):
    organization_id = api.post("/organizations", {"name": "Adler Werke"}).json()["id"]
    earlier = timezone.now() - datetime.timedelta(hours=1)
    activity = ActivityFactory(
        lead=None, organization_id=organization_id, owner=rep, occurred_at=earlier
    )
    opportunity = api.post(
        "/opportunities", {"name": "Fleet", "organization_id": organization_id}
    ).json()
    assert api.post(f"/opportunities/{opportunity['id']}/won").status_code == 200

    items = api.get(f"/organizations/{organization_id}/timeline").json()["items"]

    assert [(i["type"], (i["change"] or {}).get("new_value")) for i in items] == [
        ("change", "customer"),
        ("change", "prospect"),
        ("activity", None),
    ]
    assert items[0]["change"]["note"] == "Won “Fleet”"
    assert items[2]["activity"]["id"] == activity.pk


# --- contacts ------------------------------------------------------------------------


def test_a_contact_needs_a_last_name_or_an_email(api):
    body = problem(api.post("/contacts", {"first_name": "Ada"}), 422)

    assert field_errors(body) == {
        "last_name": ["A contact needs a last name or an e-mail address."]
    }


def test_a_contact_cannot_join_an_organization_of_another_team(api, rep, other_rep):
    hidden = OrganizationFactory(owner=other_rep)
    contact = ContactFactory(owner=rep)
    message = f"No record with id {hidden.pk} that you may see."

    for response in (
        api.post("/contacts", {"last_name": "Adler", "organization_id": hidden.pk}),
        api.patch(f"/contacts/{contact.pk}", {"organization_id": hidden.pk}),
    ):
        assert field_errors(problem(response, 422)) == {"organization_id": [message]}
    assert Contact.objects.get(pk=contact.pk).organization_id == contact.organization_id


def test_a_bad_email_is_refused_on_its_field(api):
    body = problem(api.post("/contacts", {"last_name": "Adler", "email": "ada at adler"}), 422)

    assert list(field_errors(body)) == ["email"]


@pytest.fixture
def contacts(rep, teammate, other_rep):
    now = timezone.now()
    adler_gmbh = OrganizationFactory(owner=rep, name="Adler GmbH")
    specs = {
        "adler": (rep, adler_gmbh, "DE", True, 10, "+49301234567"),
        "becker": (rep, adler_gmbh, "AT", False, 5, ""),
        "cramer": (teammate, None, "DE", True, 2, ""),
        "dietz": (other_rep, None, "FR", False, 1, ""),
    }
    records = {}
    for name, (owner, organization, country, decides, days_ago, phone) in specs.items():
        contact = ContactFactory(
            owner=owner,
            organization=organization,
            last_name=name.capitalize(),
            email=f"{name}@{name}.example",
            is_decision_maker=decides,
            phone=phone,
        )
        stamp = now - datetime.timedelta(days=days_ago)
        Contact.objects.filter(pk=contact.pk).update(
            country=country, created_at=stamp, updated_at=stamp
        )
        records[name] = contact
    records["organization"] = adler_gmbh
    return records


CONTACT_FILTERS = [
    ({"organization": "organization"}, {"adler", "becker"}),
    ({"owner": "teammate"}, {"cramer"}),
    ({"team": "team"}, {"adler", "becker", "cramer"}),
    ({"country": "DE"}, {"adler", "cramer"}),
    ({"is_decision_maker": "true"}, {"adler", "cramer"}),
    ({"is_decision_maker": "false"}, {"becker", "dietz"}),
    ({"created_after": 6}, {"becker", "cramer", "dietz"}),
    ({"updated_before": 3}, {"adler", "becker"}),
    ({"q": "CRAM"}, {"cramer"}),
    ({"q": "dietz@"}, {"dietz"}),
    ({"q": "030 1234567"}, {"adler"}),
]


@pytest.mark.parametrize(
    ("params", "expected"), CONTACT_FILTERS, ids=[str(p) for p, _ in CONTACT_FILTERS]
)
def test_the_contact_list_filters(request, admin, contacts, params, expected):
    query = {}
    for name, value in params.items():
        if name == "organization":
            value = contacts["organization"].pk
        elif name in {"owner", "team"}:
            value = request.getfixturevalue(value).pk
        elif name.endswith(("_after", "_before")):
            value = _days_ago(value)
        query[name] = value

    items = Api(admin).get("/contacts", query).json()["items"]

    assert {item["last_name"].lower() for item in items} == expected


def test_the_contact_timeline_lists_its_activities_newest_first(api, rep):
    contact = ContactFactory(owner=rep)
    now = timezone.now()
    older, newer = (
        ActivityFactory(lead=None, contact=contact, owner=rep, occurred_at=now - delta)
        for delta in (datetime.timedelta(days=2), datetime.timedelta(days=1))
    )

    body = api.get(f"/contacts/{contact.pk}/timeline").json()

    assert [item["activity"]["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["next"] is None


def test_the_timeline_of_an_invisible_contact_is_404(api, other_rep):
    contact = ContactFactory(owner=other_rep)

    assert problem(api.get(f"/contacts/{contact.pk}/timeline"), 404)


# --- lifecycle ---------------------------------------------------------------------------


def test_the_lifecycle_moves_with_its_note_in_the_history(api, rep):
    organization = OrganizationFactory(owner=rep, lifecycle="prospect")

    response = api.post(
        f"/organizations/{organization.pk}/lifecycle",
        {"lifecycle": "partner", "note": "Signed the reseller contract"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["lifecycle"] == "partner"
    entry = api.get(f"/organizations/{organization.pk}/history").json()["items"][0]
    assert (entry["field"], entry["old_value"], entry["new_value"], entry["note"]) == (
        "lifecycle",
        "prospect",
        "partner",
        "Signed the reseller contract",
    )


def test_an_unknown_lifecycle_is_refused(api, rep):
    organization = OrganizationFactory(owner=rep)

    response = api.post(f"/organizations/{organization.pk}/lifecycle", {"lifecycle": "friend"})

    assert field_errors(problem(response, 422)) == {
        "lifecycle": ["Input should be 'prospect', 'customer', 'partner' or 'former_customer'"]
    }


def test_the_lifecycle_of_an_organization_of_another_team_is_404(api, other_rep):
    organization = OrganizationFactory(owner=other_rep, lifecycle="prospect")

    response = api.post(f"/organizations/{organization.pk}/lifecycle", {"lifecycle": "customer"})

    problem(response, 404)
    assert Organization.objects.get(pk=organization.pk).lifecycle == "prospect"

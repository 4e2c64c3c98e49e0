"""Each list's filters are declared once: the page's form, the API's query parameters and
the selector (and so bulk selection) read the same FilterSet."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.api.helpers import Api, field_errors, problem
from tests.factories import LeadFactory, TeamFactory, UserFactory
from vorsprung.accounts.filtersets import TeamFilterSet, UserFilterSet
from vorsprung.activities.filtersets import ActivityFilterSet
from vorsprung.customers.filtersets import ContactFilterSet, OrganizationFilterSet
from vorsprung.leads.filtersets import LeadFilterSet
from vorsprung.leads.models import Lead
from vorsprung.leads.selectors import lead_list
from vorsprung.sales.filtersets import OpportunityFilterSet, PipelineFilterSet

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/leads": LeadFilterSet,
    "/api/v1/contacts": ContactFilterSet,
    "/api/v1/organizations": OrganizationFilterSet,
    "/api/v1/opportunities": OpportunityFilterSet,
    "/api/v1/activities": ActivityFilterSet,
    "/api/v1/pipelines": PipelineFilterSet,
    "/api/v1/users": UserFilterSet,
    "/api/v1/teams": TeamFilterSet,
}
PAGES = {
    "/leads/": LeadFilterSet,
    "/contacts/": ContactFilterSet,
    "/organizations/": OrganizationFilterSet,
    "/opportunities/": OpportunityFilterSet,
}


@pytest.fixture
def team():
    return TeamFactory(name="Nord")


@pytest.fixture
def rep(team, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return UserFactory(team=team, username="rita", first_name="Rita", last_name="Rep")


@pytest.fixture
def teammate(team):
    return UserFactory(team=team, username="tom")


@pytest.fixture
def document(rep):
    return Api(rep).get("/openapi.json").json()


@pytest.mark.parametrize("path", LISTS)
def test_the_api_offers_exactly_the_declared_filters(document, path):
    parameters = document["paths"][path]["get"]["parameters"]
    filterset = LISTS[path]

    assert {p["name"] for p in parameters} == {
        *filterset.base_filters,
        "ordering",
        "limit",
        "cursor",
    }
    ordering = next(p for p in parameters if p["name"] == "ordering")["schema"]
    assert ordering["enum"] == list(filterset.orderings)
    assert ordering["default"] == filterset.default_ordering()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_form_offers_the_declared_filters(client_for, rep, path):
    form = client_for(rep).get(path).context["form"]

    assert set(form.fields) == {*PAGES[path].base_filters, "ordering"}
    assert list(form.fields["ordering"].choices) == list(PAGES[path].orderings.items())


@pytest.fixture
def leads(rep, teammate):
    """Four leads, created on 30 and 31 January and 1 February."""
    days = {
        "Januar": (rep, "new", datetime.datetime(2026, 1, 30, 12)),
        "Silvester": (rep, "new", datetime.datetime(2026, 1, 31, 23, 30)),
        "Kollege": (teammate, "new", datetime.datetime(2026, 1, 31, 9)),
        "Februar": (rep, "working", datetime.datetime(2026, 2, 1, 0, 30)),
    }
    for name, (owner, status, created) in days.items():
        lead = LeadFactory(owner=owner, last_name=name, status=status)
        Lead.objects.filter(pk=lead.pk).update(created_at=timezone.make_aware(created))


def names(leads) -> list[str]:
    return sorted(lead.last_name for lead in leads)


def page_names(response) -> list[str]:
    return sorted(lead.last_name for lead in response.context["page"].items)


QUERY = "status=new&owner=me&created_after=2026-01-31&created_before=2026-01-31"


def test_a_page_query_string_selects_what_the_page_shows(client_for, rep, leads):
    """Bulk actions on "every lead matching the current filters" hand the page's query
    string to lead_list."""
    shown = page_names(client_for(rep).get(f"/leads/?{QUERY}"))

    assert shown == ["Silvester"]
    assert names(lead_list(user=rep, filters=QUERY)) == shown
    assert names(lead_list(user=rep, filters=f"?{QUERY}&cursor=abc&ordering=company")) == shown


def test_the_api_filters_like_the_page(rep, leads):
    response = Api(rep).get(f"/leads?{QUERY}")

    assert response.status_code == 200, response.content
    assert [lead["last_name"] for lead in response.json()["items"]] == ["Silvester"]


def test_a_date_and_time_bound_is_exact_and_a_date_means_the_whole_day(rep, leads):
    def found(query):
        return [lead["last_name"] for lead in Api(rep).get(f"/leads?{query}").json()["items"]]

    assert sorted(found("created_before=2026-01-31")) == ["Januar", "Kollege", "Silvester"]
    assert sorted(found("created_before=2026-01-31T12:00:00%2B01:00")) == ["Januar", "Kollege"]
    assert found("created_after=2026-02-01") == ["Februar"]


def test_owner_me_is_the_user_asking(rep, teammate, leads):
    mine = Api(rep).get("/leads", {"owner": "me"}).json()["items"]
    theirs = Api(teammate).get("/leads", {"owner": "me"}).json()["items"]

    assert sorted(lead["last_name"] for lead in mine) == ["Februar", "Januar", "Silvester"]
    assert [lead["last_name"] for lead in theirs] == ["Kollege"]


def test_an_invalid_filter_never_widens_the_selection(rep, leads):
    with pytest.raises(ValidationError) as invalid:
        lead_list(user=rep, filters="status=lost&owner=me")

    assert invalid.value.message_dict == {"status": ["“lost” is not a valid value."]}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("created_after=0", "created_after", "Input should be an ISO 8601 date"),
        ("updated_before=0.5", "updated_before", "Input should be an ISO 8601 date"),
        ("owner=true", "owner.0", "Input should be a whole number, written in digits."),
        ("owner=1.0", "owner.0", "Input should be a whole number, written in digits."),
        ("score_min=1e3", "score_min", "Input should be a whole number, written in digits."),
        ("limit=20.0", "limit", "Input should be a whole number, written in digits."),
    ],
)
def test_query_parameters_are_strictly_typed(rep, query, field, message):
    body = problem(Api(rep).get(f"/leads?{query}"), 422)

    assert list(field_errors(body)) == [field]
    assert field_errors(body)[field][0].startswith(message)


def test_the_lead_page_keeps_its_owner_choices_and_me(client_for, rep, teammate):
    page = client_for(rep).get("/leads/", {"owner": "me"}).content.decode()

    options = re.findall(r'<option value="([^"]*)"( selected)?>', page)
    assert ("me", " selected") in options
    assert (str(teammate.pk), "") in options


def test_the_opportunity_page_reads_sort_from_older_links(client_for, rep):
    response = client_for(rep).get("/opportunities/", {"sort": "-created_at"})

    assert response.context["form"]["ordering"].value() == "-created_at"


def test_pages_do_not_break_on_a_bad_filter(rep):
    client = Client()
    client.force_login(rep)

    response = client.get("/contacts/", {"organization": "abc", "q": "x"})

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/search/", *PAGES])
def test_an_overlong_search_term_breaks_no_page(client_for, rep, path):
    LeadFactory(owner=rep, last_name="A" * 20)

    response = client_for(rep).get(path, {"q": "a" * 300})

    assert response.status_code == 200

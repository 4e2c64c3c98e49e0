"""List selectors fetch a page in a fixed number of queries, however many rows it holds,
including the related names a list page shows."""

import pytest

from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.activities.selectors import activity_list
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.leads.selectors import lead_list
from vorsprung.sales.selectors import opportunity_list


def _leads(owners, organizations, count):
    return [
        LeadFactory(owner=owners[i % len(owners)], company=f"Company {i}") for i in range(count)
    ]


def _organizations(owners, organizations, count):
    return [OrganizationFactory(owner=owners[i % len(owners)]) for i in range(count)]


def _contacts(owners, organizations, count):
    return [
        ContactFactory(
            owner=owners[i % len(owners)], organization=organizations[i % len(organizations)]
        )
        for i in range(count)
    ]


def _opportunities(owners, organizations, count):
    return [
        OpportunityFactory(
            owner=owners[i % len(owners)], organization=organizations[i % len(organizations)]
        )
        for i in range(count)
    ]


def _activities(owners, organizations, count):
    return [
        ActivityFactory(
            owner=owners[i % len(owners)],
            lead=None,
            organization=organizations[i % len(organizations)],
        )
        for i in range(count)
    ]


# kind: (selector, make rows, what a list page shows of one row)
LISTS = {
    "lead": (lead_list, _leads, lambda r: (str(r), r.company, str(r.owner))),
    "organization": (organization_list, _organizations, lambda r: (r.name, str(r.owner))),
    "contact": (
        contact_list,
        _contacts,
        lambda r: (str(r), r.organization.name, str(r.owner)),
    ),
    "opportunity": (
        opportunity_list,
        _opportunities,
        lambda r: (r.name, r.organization.name, r.stage.name, str(r.owner)),
    ),
    "activity": (activity_list, _activities, lambda r: (str(r), str(r.owner))),
}


@pytest.fixture
def team_and_members(db):
    team = TeamFactory()
    return [UserFactory(team=team) for _ in range(3)]


@pytest.mark.parametrize("viewer", ["rep", "admin"])
@pytest.mark.parametrize("kind", LISTS)
def test_a_page_of_60_rows_takes_as_many_queries_as_a_page_of_20(
    team_and_members, django_assert_num_queries, kind, viewer
):
    selector, make, shown = LISTS[kind]
    user = team_and_members[0] if viewer == "rep" else UserFactory(role="admin")
    organizations = [OrganizationFactory(owner=team_and_members[0]) for _ in range(3)]
    rows = make(team_and_members, organizations, 20)

    with django_assert_num_queries(1):
        page = [shown(row) for row in selector(user=user)[:20]]
    assert len(page) == 20

    rows += make(team_and_members, organizations, 40)
    with django_assert_num_queries(1):
        page = [shown(row) for row in selector(user=user)[:60]]
    assert len(page) == 60
    assert len(rows) == 60

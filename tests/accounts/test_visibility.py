"""Who sees which record, for every selector: a matrix of viewer × record owner.

Two teams, North and South. ``manager`` manages North without being a member of it;
``south_manager`` is a member of South and manages no team.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.accounts.visibility import can_see_owner
from vorsprung.activities.selectors import activity_list
from vorsprung.customers.selectors import (
    contact_get,
    contact_list,
    organization_get,
    organization_list,
)
from vorsprung.leads.selectors import lead_get, lead_list
from vorsprung.sales.selectors import opportunity_get, opportunity_list

OWNERS = ["rep", "teammate", "manager", "south_rep", "loner", None]

# Which owners' records each viewer sees.
VISIBLE = {
    "rep": {"rep", "teammate"},
    "teammate": {"rep", "teammate"},
    "manager": {"manager", "rep", "teammate", None},
    "south_manager": {"south_rep", None},
    "south_rep": {"south_rep"},
    "loner": {"loner"},
    "admin": set(OWNERS),
    "superuser": set(OWNERS),
    "inactive": set(),
    "anonymous": set(),
}
VIEWERS = list(VISIBLE)


@pytest.fixture
def people(db):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    users = {
        "rep": UserFactory(team=north),
        "teammate": UserFactory(team=north),
        "manager": UserFactory(role="manager"),
        "south_manager": UserFactory(role="manager", team=south),
        "south_rep": UserFactory(team=south),
        "loner": UserFactory(team=None),
        "admin": UserFactory(role="admin"),
        "superuser": UserFactory(is_superuser=True),
        "inactive": UserFactory(team=north, is_active=False),
        "anonymous": AnonymousUser(),
    }
    north.manager = users["manager"]
    north.save()
    return users


def _organization(owner):
    return OrganizationFactory(owner=owner)


def _contact(owner):
    return ContactFactory(owner=owner, organization=OrganizationFactory(owner=owner))


def _opportunity(owner):
    return OpportunityFactory(owner=owner, organization=OrganizationFactory(owner=owner))


def _lead(owner):
    return LeadFactory(owner=owner)


def _activity(owner):
    return ActivityFactory(owner=owner, lead=None, organization=OrganizationFactory(owner=owner))


# kind: (make a record owned by …, list selector, get selector or None)
SELECTORS = {
    "lead": (_lead, lead_list, lead_get),
    "organization": (_organization, organization_list, organization_get),
    "contact": (_contact, contact_list, contact_get),
    "opportunity": (_opportunity, opportunity_list, opportunity_get),
    "activity": (_activity, activity_list, None),
}


def _cases():
    for kind in SELECTORS:
        for viewer in VIEWERS:
            for owner in OWNERS:
                yield pytest.param(
                    kind,
                    viewer,
                    owner,
                    id=f"{kind}-viewer:{viewer}-owner:{owner or 'unassigned'}",
                )


@pytest.mark.parametrize(("kind", "viewer", "owner"), list(_cases()))
def test_visibility_matrix(people, kind, viewer, owner):
    make, list_selector, get_selector = SELECTORS[kind]
    record = make(people[owner] if owner else None)
    user = people[viewer]
    expected = owner in VISIBLE[viewer]

    listed = set(list_selector(user=user).values_list("pk", flat=True))

    assert (record.pk in listed) is expected
    if get_selector is None:
        return
    if expected:
        assert get_selector(user=user, id=record.pk) == record
    else:
        with pytest.raises(type(record).DoesNotExist):
            get_selector(user=user, id=record.pk)


@pytest.mark.parametrize("owner", OWNERS, ids=lambda o: o or "unassigned")
@pytest.mark.parametrize("viewer", VIEWERS)
def test_can_see_owner_agrees_with_the_selectors(people, viewer, owner):
    assert can_see_owner(people[viewer], people[owner] if owner else None) is (
        owner in VISIBLE[viewer]
    )


def test_a_manager_sees_the_teams_they_manage_and_the_team_they_belong_to(people):
    manager = people["south_manager"]
    north = people["rep"].team
    north.manager = manager
    north.save()
    leads = {name: LeadFactory(owner=people[name]) for name in ("rep", "south_rep", "loner")}
    unassigned = LeadFactory(owner=None)

    assert set(lead_list(user=manager)) == {leads["rep"], leads["south_rep"], unassigned}


def test_a_rep_without_a_team_sees_only_their_own_records(people):
    loner = people["loner"]
    own = OrganizationFactory(owner=loner)
    OrganizationFactory(owner=None)
    OrganizationFactory(owner=UserFactory(team=None))

    assert list(organization_list(user=loner)) == [own]


def test_moving_a_rep_to_another_team_moves_their_records_with_them(people):
    rep, south_rep = people["rep"], people["south_rep"]
    lead = LeadFactory(owner=rep)
    assert list(lead_list(user=south_rep)) == []

    rep.team = south_rep.team
    rep.save()

    assert list(lead_list(user=south_rep)) == [lead]
    assert list(lead_list(user=people["teammate"])) == []

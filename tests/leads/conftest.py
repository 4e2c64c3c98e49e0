import contextlib

import pytest
from django.db import transaction

from tests.factories import TeamFactory, UserFactory
from vorsprung.activities.models import Activity
from vorsprung.customers.models import Contact, Organization
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity, OpportunityContactRole

COUNTED = {
    "leads": Lead,
    "contacts": Contact,
    "organizations": Organization,
    "opportunities": Opportunity,
    "contact_roles": OpportunityContactRole,
    "activities": Activity,
    "history": Change,
}


@pytest.fixture(autouse=True)
def _berlin_time(settings):
    settings.TIME_ZONE = "Europe/Berlin"


@pytest.fixture
def team(db):
    return TeamFactory(name="Nord")


@pytest.fixture
def rep(team):
    return UserFactory(username="rep", team=team)


@pytest.fixture
def record_counts():
    """How many rows each table the lead services write to holds right now."""

    def counts() -> dict[str, int]:
        return {name: model.objects.count() for name, model in COUNTED.items()}

    return counts


@contextlib.contextmanager
def rolled_back():
    """Run one hypothesis example in a savepoint that is rolled back afterwards, so
    examples do not see each other's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def isolated_example():
    return rolled_back

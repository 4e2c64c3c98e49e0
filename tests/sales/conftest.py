"""The people of the sales page tests: a rep, a teammate and a rep of another team."""

import pytest

from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Nord")


@pytest.fixture
def rep(team):
    return UserFactory(username="rita", first_name="Rita", last_name="Rep", team=team)


@pytest.fixture
def teammate(team):
    return UserFactory(username="tom", first_name="Tom", last_name="Teammate", team=team)


@pytest.fixture
def stranger(db):
    """A rep of another team."""
    return UserFactory(username="sven", team=TeamFactory(name="Süd"))

import pytest

from tests.api.helpers import Api
from tests.factories import AdminFactory, ManagerFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def team(db):
    return TeamFactory(name="Nord")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Süd")


@pytest.fixture
def rep(team):
    return UserFactory(username="rep", team=team)


@pytest.fixture
def teammate(team):
    return UserFactory(username="teammate", team=team)


@pytest.fixture
def manager(team):
    user = ManagerFactory(username="manager", team=team)
    team.manager = user
    team.save()
    return user


@pytest.fixture
def admin(db):
    return AdminFactory(username="admin")


@pytest.fixture
def other_rep(other_team):
    return UserFactory(username="other", team=other_team)


@pytest.fixture
def api_as(db):
    """A client authenticated as the given user with a fresh personal token."""
    return Api


@pytest.fixture
def api(rep):
    return Api(rep)


@pytest.fixture
def anonymous(db):
    return Api()


def pytest_generate_tests(metafunc):
    """A resource contract's ordering tests run once per ordering the resource offers."""
    orderings = getattr(metafunc.cls, "orderings", None)
    if "ordering" in metafunc.fixturenames and orderings:
        metafunc.parametrize("ordering", orderings)

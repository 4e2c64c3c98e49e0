"""Each administrators' rule lives in its service: a rep (or a manager) calling the service
directly is refused with the same message every interface shows, and nothing changes.
No acting user is the operator (command line, system) and may; inside a request it may
not."""

import pytest

from tests.factories import AdminFactory, ManagerFactory, TeamFactory, UserFactory
from vorsprung.accounts.models import ApiToken, Team, User
from vorsprung.accounts.permissions import check_is_admin, check_may_delete
from vorsprung.accounts.services import (
    team_create,
    team_delete,
    team_update,
    user_create,
    user_update,
)
from vorsprung.accounts.tokens import api_token_create, api_token_revoke
from vorsprung.core.doors import Door, entered_through
from vorsprung.core.errors import Conflict, NotAllowed
from vorsprung.leads.policy import conversion_policy_update, disqualify_reason_create
from vorsprung.sales.models import Pipeline
from vorsprung.sales.reasons import lost_reason_create
from vorsprung.sales.services import pipeline_create, pipeline_delete, pipeline_update
from vorsprung.sales.stages import pipeline_update_stages

pytestmark = pytest.mark.django_db

ADMINS_ONLY = "Only administrators may do this."
STAGES = [
    {"name": "Talking", "probability": 20, "forecast_category": "pipeline"},
    {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
    {"name": "Gone", "probability": 0, "forecast_category": "omitted", "is_lost": True},
]


def _default():
    return Pipeline.objects.get(is_default=True)


# name → (prepare: the records the call needs, call of the service as ``actor``)
ADMIN_SERVICES = {
    "user_create": (dict, lambda actor: user_create(actor=actor, username="dora")),
    "user_update": (
        lambda: {"user": UserFactory(username="ulf")},
        lambda actor, user: user_update(actor=actor, user=user, first_name="Ulf"),
    ),
    "team_create": (dict, lambda actor: team_create(actor=actor, name="Ost")),
    "team_update": (
        lambda: {"team": TeamFactory()},
        lambda actor, team: team_update(actor=actor, team=team, name="West"),
    ),
    "team_delete": (
        lambda: {"team": TeamFactory()},
        lambda actor, team: team_delete(actor=actor, team=team),
    ),
    "pipeline_create": (
        dict,
        lambda actor: pipeline_create(actor=actor, name="Partners", stages=STAGES),
    ),
    "pipeline_update": (
        dict,
        lambda actor: pipeline_update(actor=actor, pipeline=_default(), name="Renamed"),
    ),
    "pipeline_delete": (
        lambda: {"pipeline": Pipeline.objects.create(name="Unused")},
        lambda actor, pipeline: pipeline_delete(actor=actor, pipeline=pipeline),
    ),
    "pipeline_update_stages": (
        dict,
        lambda actor: pipeline_update_stages(actor=actor, pipeline=_default(), stages=STAGES),
    ),
    "lost_reason_create": (dict, lambda actor: lost_reason_create(actor=actor, label="Merger")),
    "disqualify_reason_create": (
        dict,
        lambda actor: disqualify_reason_create(actor=actor, label="Spam"),
    ),
    "conversion_policy_update": (
        dict,
        lambda actor: conversion_policy_update(actor=actor, require_complete_qualification=True),
    ),
}


def snapshot() -> tuple:
    return (
        list(User.objects.order_by("pk").values()),
        list(Team.objects.order_by("pk").values()),
        list(Pipeline.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("service", ADMIN_SERVICES)
@pytest.mark.parametrize("make_actor", [UserFactory, ManagerFactory], ids=["rep", "manager"])
def test_a_non_administrator_is_refused_by_the_service_itself(service, make_actor):
    actor = make_actor()
    prepare, call = ADMIN_SERVICES[service]
    records = prepare()
    before = snapshot()

    with entered_through(Door.WEB), pytest.raises(NotAllowed) as refused:
        call(actor, **records)

    assert refused.value.message == ADMINS_ONLY
    assert snapshot() == before


@pytest.mark.parametrize("service", ADMIN_SERVICES)
def test_an_administrator_passes_the_services_check(service):
    prepare, call = ADMIN_SERVICES[service]

    call(AdminFactory(), **prepare())


def test_a_deactivated_administrator_is_refused():
    admin = AdminFactory(is_active=False)

    with pytest.raises(NotAllowed) as refused:
        team_create(actor=admin, name="Ost")

    assert refused.value.message == ADMINS_ONLY


def test_no_acting_user_is_the_operator_outside_of_requests_only():
    check_is_admin(None)
    check_may_delete(None)
    with entered_through(Door.CLI):
        check_is_admin(None)

    for door in (Door.WEB, Door.API, Door.ADMIN):
        with entered_through(door), pytest.raises(NotAllowed) as refused:
            team_create(actor=None, name="Ost")
        assert refused.value.message == ADMINS_ONLY
    assert not Team.objects.filter(name="Ost").exists()


def test_only_superusers_change_who_may_use_the_django_admin():
    admin = AdminFactory()
    root = AdminFactory(is_superuser=True)
    rita = UserFactory(username="rita")

    with pytest.raises(NotAllowed) as refused:
        user_update(actor=admin, user=rita, is_staff=True)
    with pytest.raises(NotAllowed):
        user_create(actor=admin, username="dora", is_superuser=True)
    promoted = user_update(actor=root, user=rita, is_staff=True)

    assert refused.value.message == "Only superusers may change who can use the Django admin."
    assert promoted.is_staff is True
    assert not User.objects.filter(username="dora").exists()


def test_a_superuser_cannot_take_away_their_own_superuser_status():
    root = AdminFactory(is_superuser=True)

    with pytest.raises(Conflict) as refused:
        user_update(actor=root, user=root, is_superuser=False)

    assert refused.value.message == (
        "You cannot take away your own superuser status; ask another superuser."
    )
    assert User.objects.get(pk=root.pk).is_superuser is True


def test_a_user_manages_their_own_tokens_and_an_administrator_anyones():
    rita, tom, admin = UserFactory(), UserFactory(), AdminFactory()
    own, _token = api_token_create(actor=rita, user=rita)
    toms, _token = api_token_create(actor=admin, user=tom)

    with pytest.raises(NotAllowed) as create_refused:
        api_token_create(actor=rita, user=tom)
    with pytest.raises(NotAllowed) as revoke_refused:
        api_token_revoke(actor=rita, token=toms)
    api_token_revoke(actor=rita, token=own)
    api_token_revoke(actor=admin, token=ApiToken.objects.get(pk=toms.pk))

    message = "You may manage only your own API tokens."
    assert (create_refused.value.message, revoke_refused.value.message) == (message, message)
    assert ApiToken.objects.filter(user=tom).count() == 1
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0

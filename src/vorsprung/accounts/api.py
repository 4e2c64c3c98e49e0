"""Users and teams over HTTP: readable by everyone, changed by administrators."""

import datetime

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from vorsprung.accounts import services
from vorsprung.accounts.choices import Role
from vorsprung.accounts.filtersets import TeamFilterSet, UserFilterSet
from vorsprung.accounts.models import Team, User
from vorsprung.accounts.permissions import check_is_admin
from vorsprung.core.api.crud import Resource, register_crud
from vorsprung.core.api.schemas import (
    PROBLEMS,
    Flag,
    Id,
    StrictSchema,
    replace_nulls,
    resolve_by_id,
    unchanged,
)

users = Router(tags=["users"])
teams = Router(tags=["teams"])


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: Role
    team_id: int | None
    is_active: bool
    date_joined: datetime.datetime


class UserPatch(StrictSchema):
    username: str = unchanged(min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    role: Role = unchanged()
    team_id: Id | None = None
    is_active: Flag = unchanged()


class UserCreate(UserPatch):
    username: str = Field(..., min_length=1, max_length=150)
    password: str | None = Field(None, max_length=128)


def user_list(user, filters: dict):
    """Every user (all are readable), narrowed by ``UserFilterSet``."""
    people, filters = UserFilterSet.narrow(User.objects.all(), filters, user=user)
    if filters.get("q"):
        term = filters["q"]
        people = people.filter(
            Q(username__istartswith=term)
            | Q(last_name__istartswith=term)
            | Q(first_name__istartswith=term)
            | Q(email__istartswith=term)
        )
    return people


def user_kwargs(request: HttpRequest, data: dict) -> dict:
    replace_nulls(data, ("email", "first_name", "last_name"), "")
    if "team_id" in data:
        data["team"] = resolve_by_id(Team.objects.all(), data.pop("team_id"), "team_id")
    return data


def _create_user(actor, **data):
    check_is_admin(actor)
    return services.user_create(actor=actor, **data)


def _update_user(actor, user, version, **data):
    check_is_admin(actor)
    return services.user_update(actor=actor, user=user, **data)


register_crud(
    users,
    Resource(
        name="user",
        out=UserOut,
        filterset=UserFilterSet,
        list_selector=user_list,
        get_selector=lambda user, id: User.objects.get(pk=id),
        create_in=UserCreate,
        update_in=UserPatch,
        create=_create_user,
        update=_update_user,
        to_kwargs=user_kwargs,
    ),
)


@users.get(
    "/me",
    response={200: UserOut, **PROBLEMS},
    operation_id="user_me",
    summary="The authenticated user",
)
def me(request):
    return request.auth


class TeamOut(Schema):
    id: int
    name: str
    manager_id: int | None


class TeamPatch(StrictSchema):
    name: str = unchanged(min_length=1, max_length=100)
    manager_id: Id | None = None


class TeamCreate(TeamPatch):
    name: str = Field(..., min_length=1, max_length=100)


def team_kwargs(request: HttpRequest, data: dict) -> dict:
    if "manager_id" in data:
        data["manager"] = resolve_by_id(
            User.objects.filter(is_active=True), data.pop("manager_id"), "manager_id"
        )
    return data


def _team_list(user, filters: dict):
    teams_, filters = TeamFilterSet.narrow(Team.objects.all(), filters, user=user)
    if filters.get("q"):
        teams_ = teams_.filter(name__istartswith=filters["q"])
    return teams_


def _admin_only(service):
    def call(actor, *args, **kwargs):
        check_is_admin(actor)
        return service(actor, *args, **kwargs)

    return call


register_crud(
    teams,
    Resource(
        name="team",
        out=TeamOut,
        filterset=TeamFilterSet,
        list_selector=_team_list,
        get_selector=lambda user, id: Team.objects.get(pk=id),
        create_in=TeamCreate,
        update_in=TeamPatch,
        create=_admin_only(lambda actor, **data: services.team_create(actor=actor, **data)),
        update=_admin_only(
            lambda actor, team, version, **data: services.team_update(
                actor=actor, team=team, **data
            )
        ),
        delete=_admin_only(lambda actor, team: services.team_delete(actor=actor, team=team)),
        to_kwargs=team_kwargs,
    ),
)

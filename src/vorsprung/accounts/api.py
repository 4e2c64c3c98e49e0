"""Users and teams over HTTP: readable by everyone, changed by administrators."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from vorsprung.accounts import services
from vorsprung.accounts.authentication import admin_auth
from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.core.api.crud import Resource, register_crud
from vorsprung.core.api.schemas import (
    PROBLEMS,
    Id,
    InputSchema,
    StrictSchema,
    drop_nulls,
    replace_nulls,
    resolve_by_id,
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
    username: str | None = Field(None, min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    role: Role | None = None
    team_id: Id | None = None
    is_active: bool | None = None


class UserCreate(UserPatch):
    username: str = Field(..., min_length=1, max_length=150)
    password: str | None = Field(None, max_length=128)


class UserFilters(InputSchema):
    role: list[Role] | None = None
    team: Id | None = None
    is_active: bool | None = None
    q: str | None = Field(None, max_length=150)


def user_list(user, filters: dict):
    from django.db.models import Q

    people = User.objects.all()
    if filters.get("role"):
        people = people.filter(role__in=filters["role"])
    if filters.get("team"):
        people = people.filter(team_id=filters["team"])
    if filters.get("is_active") is not None:
        people = people.filter(is_active=filters["is_active"])
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
    drop_nulls(data, ("role", "is_active", "username"))
    if "team_id" in data:
        data["team"] = resolve_by_id(Team.objects.all(), data.pop("team_id"), "team_id")
    return data


register_crud(
    users,
    Resource(
        name="user",
        out=UserOut,
        filters=UserFilters,
        list_selector=user_list,
        get_selector=lambda user, id: User.objects.get(pk=id),
        orderings=("username", "-username", "last_name", "-last_name"),
        create_in=UserCreate,
        update_in=UserPatch,
        create=lambda actor, **data: services.user_create(actor=actor, **data),
        update=lambda actor, user, version, **data: services.user_update(
            actor=actor, user=user, **data
        ),
        to_kwargs=user_kwargs,
        write_auth=admin_auth(),
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
    name: str | None = Field(None, min_length=1, max_length=100)
    manager_id: Id | None = None


class TeamCreate(TeamPatch):
    name: str = Field(..., min_length=1, max_length=100)


class TeamFilters(InputSchema):
    q: str | None = Field(None, max_length=100)


def team_kwargs(request: HttpRequest, data: dict) -> dict:
    if "manager_id" in data:
        data["manager"] = resolve_by_id(
            User.objects.filter(is_active=True), data.pop("manager_id"), "manager_id"
        )
    return data


def _team_list(user, filters: dict):
    teams_ = Team.objects.all()
    if filters.get("q"):
        teams_ = teams_.filter(name__istartswith=filters["q"])
    return teams_


register_crud(
    teams,
    Resource(
        name="team",
        out=TeamOut,
        filters=TeamFilters,
        list_selector=_team_list,
        get_selector=lambda user, id: Team.objects.get(pk=id),
        orderings=("name", "-name"),
        create_in=TeamCreate,
        update_in=TeamPatch,
        create=lambda actor, **data: services.team_create(actor=actor, **data),
        update=lambda actor, team, version, **data: services.team_update(
            actor=actor, team=team, **data
        ),
        delete=lambda actor, team: services.team_delete(actor=actor, team=team),
        to_kwargs=team_kwargs,
        write_auth=admin_auth(),
    ),
)

"""Users and teams over HTTP: readable by everyone, changed by administrators. Personal
API tokens: each user's own; administrators' for anyone."""

import datetime

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from vorsprung.accounts import selectors, services
from vorsprung.accounts import tokens as token_services
from vorsprung.accounts.authentication import admin_auth
from vorsprung.accounts.choices import Role
from vorsprung.accounts.filtersets import TeamFilterSet, UserFilterSet
from vorsprung.accounts.models import Team, User
from vorsprung.accounts.permissions import is_admin
from vorsprung.core.api.crud import Resource, api_field_names, page_schema, register_crud
from vorsprung.core.api.schemas import (
    API_ROOT,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    PROBLEMS,
    WRITE_PROBLEMS,
    Flag,
    Id,
    InputSchema,
    IsoDateTime,
    QueryId,
    StrictSchema,
    page_body,
    replace_nulls,
    resolve_by_id,
    set_location,
    unchanged,
    versioning,
)
from vorsprung.core.errors import NotAllowed
from vorsprung.core.pagination import keyset_page

users = Router(tags=["users"])
teams = Router(tags=["teams"])
tokens = Router(tags=["tokens"])


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
        create=lambda actor, **data: services.team_create(actor=actor, **data),
        update=lambda actor, team, version, **data: services.team_update(
            actor=actor, team=team, **data
        ),
        delete=lambda actor, team: services.team_delete(actor=actor, team=team),
        to_kwargs=team_kwargs,
        write_auth=admin_auth(),
    ),
)


class TokenOut(Schema):
    id: int
    prefix: str = Field(description="The start of the token, to tell tokens apart; not secret.")
    name: str
    user_id: int
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself. Shown only in this answer; keep it safe.")


class TokenIn(StrictSchema):
    name: str = Field("", max_length=100, description="What the token is for.")
    expires_at: IsoDateTime | None = None
    user_id: Id | None = Field(
        None, description="Whose token (administrators only); yours when left out."
    )


class TokenFilters(InputSchema):
    user: QueryId | None = Field(None, description="Whose tokens (administrators only).")
    all_users: bool = Field(False, description="Everyone's tokens (administrators only).")


TokenPage = page_schema(TokenOut)


def _token_owner(actor, user_id: int | None, field: str) -> User:
    """The user named, whose tokens ``actor`` may manage (the service says the same)."""
    if user_id is None or user_id == actor.pk:
        return actor
    owner = resolve_by_id(User.objects.all(), user_id, field)
    token_services.check_may_manage_tokens_of(actor, owner)
    return owner


@tokens.get(
    "",
    response={200: TokenPage, **PROBLEMS},
    operation_id="token_list",
    summary="Your personal API tokens (never their secrets)",
)
def list_tokens(
    request,
    filters: Query[TokenFilters],
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = Query(None, max_length=200),
):
    actor = request.auth
    if filters.all_users and not is_admin(actor):
        raise NotAllowed(_("You may manage only your own API tokens."))
    owner = None if filters.user is None else _token_owner(actor, filters.user, "user")
    found = selectors.api_token_list(user=actor, owner=owner, everyone=filters.all_users)
    return page_body(
        request, keyset_page(found, ordering="-created_at", cursor=cursor, limit=limit)
    )


@tokens.get(
    "/{int:id}",
    response={200: TokenOut, **PROBLEMS},
    operation_id="token_get",
    summary="One of your personal API tokens (never its secret)",
)
def get_token(request, id: Id):
    return selectors.api_token_get(user=request.auth, id=id)


@tokens.post(
    "",
    response={201: TokenCreated, **WRITE_PROBLEMS},
    operation_id="token_create",
    summary="Create a personal API token; the answer shows it once",
    openapi_extra=versioning(location=True),
)
def create_token(request, payload: TokenIn, response: HttpResponse):
    actor = request.auth
    with api_field_names(TokenIn):
        owner = _token_owner(actor, payload.user_id, "user_id")
        record, token = token_services.api_token_create(
            actor=actor, user=owner, name=payload.name, expires_at=payload.expires_at
        )
    record.token = token
    set_location(request, response, f"{API_ROOT}tokens/{record.pk}")
    return Status(201, record)


@tokens.delete(
    "/{int:id}",
    response={204: None, **WRITE_PROBLEMS},
    operation_id="token_revoke",
    summary="Revoke a personal API token",
)
def revoke_token(request, id: Id):
    token = selectors.api_token_get(user=request.auth, id=id)
    token_services.api_token_revoke(actor=request.auth, token=token)
    return Status(204, None)

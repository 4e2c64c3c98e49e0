"""The filters of the user and team lists, and the owner choices every list's page offers."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.accounts.permissions import assignable_users
from vorsprung.core.filtersets import (
    ChoicesFilter,
    FlagFilter,
    IdsFilter,
    ListFilterSet,
    SearchFilter,
)


def owner_choices(empty_label, *, me: bool = False, order=("username",)) -> Callable:
    """The owners a page's drop-down offers to ``user``: nobody chosen, optionally "me",
    then the people the user may assign records to."""

    def choices(user) -> list[tuple[str, str]]:
        people = assignable_users(user).order_by(*order)
        mine = [("me", _("Me"))] if me else []
        return [("", empty_label), *mine, *((str(p.pk), str(p)) for p in people)]

    return choices


class UserFilterSet(ListFilterSet):
    orderings = {
        "username": _("Username A–Z"),
        "-username": _("Username Z–A"),
        "last_name": _("Last name A–Z"),
        "-last_name": _("Last name Z–A"),
    }

    q = SearchFilter(max_length=150, hint=_("Username, name or e-mail"))
    role = ChoicesFilter("role", choices=Role, label=_("Role"))
    team = IdsFilter("team_id", label=_("Team"))
    is_active = FlagFilter("is_active", label=_("Active"))

    class Meta:
        model = User
        fields: list[str] = []


class TeamFilterSet(ListFilterSet):
    orderings = {"name": _("Name A–Z"), "-name": _("Name Z–A")}

    q = SearchFilter(max_length=100, hint=_("Name"))

    class Meta:
        model = Team
        fields: list[str] = []

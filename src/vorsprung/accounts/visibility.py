"""Record visibility: who may see which owned record.

- an admin (role admin or superuser) sees everything;
- a manager sees records owned by anyone in the teams they manage or belong to,
  plus unassigned records (the queue they distribute);
- a sales rep sees their own records and those of their team.

Every selector filters through ``visible_to``; no view filters by owner by hand.
"""

from django.db.models import Q, QuerySet

from vorsprung.accounts.models import Team, User


def visible_team_ids(user: User) -> QuerySet | None:
    """The ids of the teams whose records ``user`` sees; None means all (admin)."""
    if user.is_crm_admin:
        return None
    teams = Team.objects.filter(pk=user.team_id) if user.team_id else Team.objects.none()
    if user.is_manager:
        teams = Team.objects.filter(Q(pk=user.team_id) | Q(manager=user))
    return teams.values("pk")


def owner_filter(user: User, owner_field: str = "owner") -> Q:
    """A Q that keeps the rows whose ``owner_field`` the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    teams = visible_team_ids(user)
    if teams is None:
        return Q()
    condition = Q(**{f"{owner_field}_id": user.pk})
    if user.team_id or user.is_manager:
        team_members = User.objects.filter(team_id__in=teams).values("pk")
        condition |= Q(**{f"{owner_field}_id__in": team_members})
    if user.is_manager:
        unowned = Q(**{f"{owner_field}__isnull": True})
        if "__" in owner_field:
            # Through a relation, "no owner" must not match rows without that relation.
            relation = owner_field.rsplit("__", 1)[0]
            unowned &= Q(**{f"{relation}__isnull": False})
        condition |= unowned
    return condition


def visible_to(queryset: QuerySet, user: User, owner_field: str = "owner") -> QuerySet:
    return queryset.filter(owner_filter(user, owner_field))


def can_see_owner(user: User, owner: User | None) -> bool:
    """The same rule as ``owner_filter`` for one record already in memory."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_crm_admin:
        return True
    if owner is None:
        return user.is_manager
    if owner.pk == user.pk:
        return True
    if owner.team_id is None:
        return False
    if owner.team_id == user.team_id:
        return True
    return user.is_manager and Team.objects.filter(pk=owner.team_id, manager=user).exists()

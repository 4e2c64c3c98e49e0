"""Who may do what, beyond seeing a record (which visibility decides)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vorsprung.accounts.models import Team, User
from vorsprung.core.errors import NotAllowed


def assignable_users(actor: User) -> QuerySet[User]:
    """The users ``actor`` may make owner of a record: a rep themselves and their
    teammates, a manager the members of their teams, an admin every active user."""
    users = User.objects.filter(is_active=True)
    if actor.is_crm_admin:
        return users
    teams = (
        Team.objects.filter(Q(pk=actor.team_id) | Q(manager=actor))
        if actor.is_manager
        else (Team.objects.filter(pk=actor.team_id))
    )
    return users.filter(Q(pk=actor.pk) | Q(team__in=teams))


def check_may_delete(actor: User) -> None:
    """Deleting records is for managers and admins; reps close or disqualify instead."""
    if not (actor.is_crm_admin or actor.is_manager):
        raise NotAllowed(_("Only managers and administrators may delete records."))


def check_is_admin(actor: User) -> None:
    if not actor.is_crm_admin:
        raise NotAllowed(_("Only administrators may do this."))

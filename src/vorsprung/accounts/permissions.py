"""Who may do what, beyond seeing a record (which visibility decides).

The services call these checks themselves, first thing, so that every caller — page, API,
admin, command line — meets the same rule. Interfaces may ask earlier (the API refuses a
rep at an administrators' endpoint before reading the request) but never instead.

No acting user (``actor=None``) means the installation's operator: the command line and
the system itself (setup, migrations, demo data) act without a user and may do
everything. A change that comes in through the web pages, the API or the admin always has
a user; there ``None`` is refused.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vorsprung.accounts.models import Team, User
from vorsprung.core.doors import Door, current_entrance
from vorsprung.core.errors import NotAllowed

OPERATOR_DOORS = frozenset({Door.CLI, Door.SYSTEM})


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


def owner_choices(actor: User) -> QuerySet[User]:
    """The owners an admin form offers: those ``actor`` may assign; an administrator
    every user, so that a record owned by someone deactivated can still be saved."""
    return User.objects.all() if is_admin(actor) else assignable_users(actor)


def owner_for(actor: User, owner_id: int | None, field: str = "owner_id") -> User | None:
    """The user named as a record's owner, if ``actor`` may assign them. No owner is
    allowed only to those who see unowned records (managers, admins): anyone else would
    lose sight of the record they just saved."""
    from vorsprung.core.errors import ValidationError

    if owner_id is None:
        if actor.is_crm_admin or actor.is_manager:
            return None
        raise ValidationError(
            {
                field: [
                    _(
                        "Records without an owner are seen by managers only; name an owner "
                        "or leave the field out."
                    )
                ]
            }
        )
    owner = assignable_users(actor).filter(pk=owner_id).first()
    if owner is not None:
        return owner
    # Every user is visible to everyone (the API lists them): say why this one is refused.
    user = User.objects.filter(pk=owner_id).first()
    if user is None:
        message = _("No user with id %(id)s.")
    elif not user.is_active:
        message = _("%(user)s (user %(id)s) is deactivated and cannot own records.")
    elif actor.is_manager:
        message = _(
            "You may not assign records to %(user)s (user %(id)s): you may assign them to "
            "members of the teams you belong to or manage only."
        )
    else:
        message = _(
            "You may not assign records to %(user)s (user %(id)s): you may assign them to "
            "yourself and your teammates only."
        )
    raise ValidationError({field: [message % {"user": user, "id": owner_id}]})


def is_operator(actor: User | None) -> bool:
    """No user, outside of any request: the command line or the system itself."""
    return actor is None and current_entrance().door in OPERATOR_DOORS


def is_admin(actor: User | None) -> bool:
    if actor is None:
        return is_operator(actor)
    return actor.is_active and actor.is_crm_admin


def check_may_delete(actor: User | None) -> None:
    """Deleting records is for managers and admins; reps close or disqualify instead."""
    if not (is_admin(actor) or (actor is not None and actor.is_manager)):
        raise NotAllowed(_("Only managers and administrators may delete records."))


def check_is_admin(actor: User | None) -> None:
    """Users, teams, pipelines and stages, reason lists and the conversion policy are
    changed by administrators only."""
    if not is_admin(actor):
        raise NotAllowed(_("Only administrators may do this."))

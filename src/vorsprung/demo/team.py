"""The demo sales organisation: one team per market, each with a manager and sales reps,
plus an administrator. Created once; later runs reuse them."""

from dataclasses import dataclass

from django.db import transaction

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.demo.pools import ascii_slug

DEMO_EMAIL_DOMAIN = "demo.vorsprung.example"

# Team name, market (country code), language, manager, sales reps.
TEAMS = (
    ("DACH", "DE", "de", "Katrin Bauer", ("Jonas Weber", "Lea Hoffmann", "Felix Wagner")),
    ("Nordics", "NO", "nb", "Ingrid Hansen", ("Lars Johansen", "Sofie Berg", "Magnus Dahl")),
    ("UK & Ireland", "GB", "en", "Oliver Hughes", ("Amelia Clarke", "Harry Patel")),
    ("North America", "US", "en", "Megan Carter", ("Tyler Brooks", "Jessica Nguyen")),
)
ADMINISTRATOR = "Sabine Koch"


@dataclass
class SalesTeam:
    team: Team
    manager: User
    reps: list[User]


@dataclass
class DemoStaff:
    by_country: dict[str, SalesTeam]
    created_users: int


def _username(full_name: str) -> str:
    return ascii_slug(full_name, separator=".")


def _user(full_name: str, *, role: str, team: Team | None, language: str) -> tuple[User, bool]:
    username = _username(full_name)
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    first_name, last_name = full_name.split(" ", 1)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{DEMO_EMAIL_DOMAIN}",
        role=role,
        team=team,
        language=language,
        is_staff=role == Role.ADMIN,
    )
    user.set_unusable_password()
    user.save()
    return user, True


@transaction.atomic
def ensure_demo_staff() -> DemoStaff:
    """The demo teams and users, creating whichever are missing. Demo users get no
    usable password: whoever wants to log in as one sets it with ``changepassword``."""
    created = 0
    _admin, is_new = _user(ADMINISTRATOR, role=Role.ADMIN, team=None, language="de")
    created += is_new
    by_country = {}
    for name, country, language, manager_name, rep_names in TEAMS:
        team, _team_created = Team.objects.get_or_create(name=name)
        manager, is_new = _user(manager_name, role=Role.MANAGER, team=team, language=language)
        created += is_new
        if team.manager_id is None:
            team.manager = manager
            team.save(update_fields=["manager"])
        reps = []
        for rep_name in rep_names:
            rep, is_new = _user(rep_name, role=Role.SALES_REP, team=team, language=language)
            created += is_new
            reps.append(rep)
        by_country[country] = SalesTeam(team=team, manager=manager, reps=reps)
    return DemoStaff(by_country=by_country, created_users=created)

from django.core.management.base import BaseCommand, CommandError

from vorsprung.accounts.models import ApiToken, User
from vorsprung.accounts.tokens import api_token_create, api_token_revoke
from vorsprung.core.errors import Conflict, ValidationError


class Command(BaseCommand):
    help = "Manage personal API tokens: create USERNAME, list [USERNAME], revoke PREFIX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = sub.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ValidationError, Conflict) as exc:
            raise CommandError(getattr(exc, "message", None) or "; ".join(exc.messages)) from exc

    def _create(self, *, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        record, token = api_token_create(actor=None, user=user, name=name)
        self.stdout.write(token)
        self.stderr.write(
            f"Token {record.prefix}… for {user.username} created. It is shown only now; "
            "keep it safe."
        )

    def _list(self, *, username=None, **options):
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = "active" if token.is_active else "revoked/expired"
            self.stdout.write(f"{token.prefix}  {token.user.username:<20} {token.name:<30} {state}")

    def _revoke(self, *, prefix, **options):
        matches = list(ApiToken.objects.filter(prefix=prefix))
        if not matches:
            raise CommandError(f"No token with prefix “{prefix}”.")
        for token in matches:
            api_token_revoke(actor=None, token=token)
        self.stdout.write(f"Revoked {len(matches)} token(s) with prefix {prefix}.")

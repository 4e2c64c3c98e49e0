import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from vorsprung.accounts.choices import Role
from vorsprung.core.catalogs import compile_catalogs

PASSWORD_FILE = "initial-admin-password"


class Command(BaseCommand):
    help = (
        "Prepare this installation: migrate, collect static files and, on the first run, "
        "create the administrator 'admin' and demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-leads",
            type=int,
            default=5000,
            help="leads of demo data on the first run (0: none; default 5000)",
        )

    def handle(self, *args, demo_leads, **options):
        compile_catalogs()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        User = get_user_model()
        password_path = settings.DATA_DIR / PASSWORD_FILE
        first_run = not User.objects.filter(is_superuser=True).exists()
        if first_run:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", "admin@example.com", password, role=Role.ADMIN)
            password_path.write_text(password + "\n")
            password_path.chmod(0o600)
            if demo_leads > 0:
                call_command("demo", leads=demo_leads)
        self.stdout.write("Vorsprung is set up.")
        if password_path.exists():
            self.stdout.write(
                "Log in at http://127.0.0.1:8000/ as 'admin' with password "
                f"{password_path.read_text().strip()} (kept in {password_path}; "
                "change it after logging in)."
            )

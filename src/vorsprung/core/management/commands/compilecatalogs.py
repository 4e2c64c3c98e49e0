from django.core.management.base import BaseCommand

from vorsprung.core.catalogs import compile_catalogs


class Command(BaseCommand):
    help = "Compile the translation catalogs (.po → .mo); needs no GNU gettext tools."

    def handle(self, *args, **options):
        written = compile_catalogs()
        self.stdout.write(f"{len(written)} catalogs compiled.")

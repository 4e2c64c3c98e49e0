"""The ``vorsprung`` console script: Vorsprung's own commands plus every Django
management command (``vorsprung migrate``, ``vorsprung createsuperuser`` …)."""

import os
import sys

MAIN_COMMANDS = [
    ("setup", "migrate, collect static files; on first run create an admin and demo data"),
    ("serve", "run the production server (gunicorn) [--host H] [--port P] [--workers N]"),
    ("migrate", "apply database migrations"),
    ("createsuperuser", "create an administrator account"),
    ("demo", "fill the database with realistic demo data [--leads N]"),
    ("token", "personal API tokens: create USERNAME, list [USERNAME], revoke PREFIX"),
    ("search", "the search index: rebuild [--type TYPE]"),
    ("check", "check the installation for problems"),
]


def print_help() -> None:
    print("usage: vorsprung <command> [options]\n")
    print("Vorsprung — a self-hosted CRM from first contact to paying customer.\n")
    print("Commands:")
    for name, text in MAIN_COMMANDS:
        print(f"  {name:<17}{text}")
    print("\nEvery Django management command works too; `vorsprung help --all` lists them.")
    print("`vorsprung <command> --help` describes one command's options.")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vorsprung.settings")
    if not argv or argv[0] in ("-h", "--help") or argv == ["help"]:
        print_help()
        return
    if argv[:2] == ["help", "--all"]:
        argv = ["help"]
    from django.core.management import execute_from_command_line

    from vorsprung.core.doors import Door, enter

    enter(Door.CLI)
    execute_from_command_line(["vorsprung", *argv])


if __name__ == "__main__":
    main()

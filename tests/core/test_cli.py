import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vorsprung.accounts.models import User
from vorsprung.cli import main


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["help"], []])
def test_help_lists_the_main_commands(capsys, argv):
    main(argv)

    out = capsys.readouterr().out
    assert out.startswith("usage: vorsprung <command> [options]\n")
    commands = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert {"setup", "serve", "migrate", "createsuperuser", "demo", "token"} <= set(commands)
    assert "`vorsprung help --all` lists them" in out


def test_help_all_lists_every_django_command_too(capsys):
    main(["help", "--all"])

    out = capsys.readouterr().out
    assert "[core]" in out
    for command in ("serve", "setup", "migrate", "createsuperuser", "collectstatic"):
        assert f"    {command}\n" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 0}, "--port must be between 1 and 65535, not 0."),
        ({"port": 65536}, "--port must be between 1 and 65535, not 65536."),
        ({"workers": 0}, "--workers must be at least 1, not 0."),
        ({"workers": -2}, "--workers must be at least 1, not -2."),
    ],
    ids=["port-0", "port-too-high", "no-workers", "negative-workers"],
)
def test_serve_refuses_impossible_ports_and_worker_counts(options, message):
    with pytest.raises(CommandError) as exc:
        call_command("serve", **options)

    assert str(exc.value) == message


def test_the_vorsprung_script_reports_a_refusal_in_one_line_and_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--workers", "0"])

    assert exc.value.code == 1
    assert capsys.readouterr().err == "CommandError: --workers must be at least 1, not 0.\n"


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    return tmp_path


def test_setup_creates_the_admin_and_says_how_to_log_in(db, data_dir, capsys):
    call_command("setup", demo_leads=0)

    password_file = data_dir / "initial-admin-password"
    password = password_file.read_text().strip()
    admin = User.objects.get(username="admin")
    assert admin.check_password(password)
    assert (admin.is_superuser, admin.is_staff, admin.role) == (True, True, "admin")
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert len(password) >= 16
    assert capsys.readouterr().out == (
        "Vorsprung is set up.\n"
        f"Log in at http://127.0.0.1:8000/ as 'admin' with password {password} "
        f"(kept in {password_file}; change it after logging in).\n"
    )


def test_setup_run_twice_keeps_one_admin_and_the_same_password(db, data_dir, capsys):
    call_command("setup", demo_leads=0)
    password = (data_dir / "initial-admin-password").read_text()

    call_command("setup", demo_leads=0)

    assert User.objects.filter(is_superuser=True).count() == 1
    assert (data_dir / "initial-admin-password").read_text() == password
    assert capsys.readouterr().out.count(f"with password {password.strip()} ") == 2

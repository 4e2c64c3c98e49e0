import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    # Gunicorn's rule of thumb: two workers per core, plus one.
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Run Vorsprung with gunicorn (static files served by WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("VORSPRUNG_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("VORSPRUNG_PORT", "8000"))
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("VORSPRUNG_WORKERS", default_workers())),
        )
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, host, port, workers, timeout, **options):
        from gunicorn.app.base import BaseApplication

        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        if workers < 1:
            raise CommandError(f"--workers must be at least 1, not {workers}.")
        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)

        from vorsprung.core.server import (
            LIMIT_REQUEST_FIELD_SIZE,
            LIMIT_REQUEST_FIELDS,
            LIMIT_REQUEST_LINE,
        )
        from vorsprung.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("timeout", timeout)
                self.cfg.set("accesslog", "-")
                self.cfg.set("proc_name", "vorsprung")
                self.cfg.set("worker_class", "vorsprung.core.server.ProblemWorker")
                self.cfg.set("limit_request_line", LIMIT_REQUEST_LINE)
                self.cfg.set("limit_request_fields", LIMIT_REQUEST_FIELDS)
                self.cfg.set("limit_request_field_size", LIMIT_REQUEST_FIELD_SIZE)

            def load(self):
                return application

        self.stdout.write(f"Vorsprung on http://{host}:{port}/ with {workers} workers")
        Server().run()

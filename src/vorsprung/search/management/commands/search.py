"""``vorsprung search rebuild``: recompute the search index."""

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from vorsprung.core.records import record_kinds
from vorsprung.search.services import search_rebuild


class Command(BaseCommand):
    help = "The search index: `rebuild` recomputes every record's search document."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            metavar="TYPE",
            help="only this record type (lead, contact, organization, opportunity); repeatable",
        )

    def handle(self, *args, action, types=None, **options):
        searchable = [kind.type for kind in record_kinds() if kind.search_document]
        unknown = sorted(set(types or ()) - set(searchable))
        if unknown:
            raise CommandError(
                f"--type {', '.join(unknown)}: not a searchable record type "
                f"(one of {', '.join(searchable)})"
            )
        with Progress(transient=True, disable=not self.stdout.isatty()) as progress:
            tasks = {}

            def on_progress(record_type: str, done: int) -> None:
                if record_type not in tasks:
                    tasks[record_type] = progress.add_task(record_type, total=None)
                progress.update(tasks[record_type], completed=done)

            written = search_rebuild(record_types=types, on_progress=on_progress)
        for record_type, count in written.items():
            self.stdout.write(f"{record_type}: {count:,} search documents rebuilt")

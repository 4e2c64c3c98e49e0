from django.core.management.base import BaseCommand, CommandError

from vorsprung.demo import MAX_LEADS, RECORD_KINDS, DemoError, DemoResult, generate


def _count(text: str) -> int:
    try:
        return int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise CommandError(f"--leads must be a whole number, not “{text}”.") from None


class Command(BaseCommand):
    help = (
        "Fill the database with realistic demo data: sales teams, organizations, contacts, "
        "leads in every status, opportunities in every stage, activities and history. "
        "Running it again adds more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--leads",
            type=str,
            default="1000",
            help=f"how many leads to add (0 to {MAX_LEADS:,}; default 1000); "
            "organizations, contacts and the rest follow in proportion",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="random seed, to generate the same data again (default: a new one)",
        )

    def handle(self, *args, leads, seed, **options):
        count = leads if isinstance(leads, int) else _count(str(leads))
        if count < 0 or count > MAX_LEADS:
            raise CommandError(f"--leads must be between 0 and {MAX_LEADS:,}, not {count:,}.")
        try:
            if self.stdout.isatty() and count:
                result = self._generate_with_progress(count, seed)
            else:
                result = generate(count, seed=seed)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self._summary(result))

    def _generate_with_progress(self, count: int, seed: int | None) -> DemoResult:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(file=self.stdout._out)
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("Generating leads", total=count)
            return generate(
                count, seed=seed, on_progress=lambda done: progress.update(task, completed=done)
            )

    def _summary(self, result: DemoResult) -> str:
        parts = ", ".join(
            f"{result.counts[plural]:,} {singular if result.counts[plural] == 1 else plural}"
            for plural, singular in RECORD_KINDS.items()
        )
        return (
            f"Demo data added in {result.seconds:.1f} s (seed {result.seed}): {parts}. "
            "Demo users have no password; give one with "
            "`vorsprung changepassword <username>` to log in as them."
        )

"""`make bench`: run every benchmark on fresh SQLite and PostgreSQL databases and print one
table of the results.

    .venv/bin/python bench/run.py [--sizes 10000,100000] [--databases sqlite,postgresql]
                                  [--benchmarks demo,api,web] [--api-leads 1000000] [--fresh]
                                  [--postgres-url postgres://…/]

PostgreSQL measurements use a database of their own (``vorsprung_bench``), created and
dropped around each one; when the server is not reachable they are skipped with a note.
"""

import argparse
import sys
from pathlib import Path

DEFAULT_SIZES = "10000,100000"
DATABASES = ("sqlite", "postgresql")


def _positive_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive whole numbers")
    return sizes


def _names(allowed):
    def parse(text: str) -> list[str]:
        names = [part.strip().lower() for part in text.split(",") if part.strip()]
        unknown = sorted(set(names) - set(allowed))
        if not names or unknown:
            problem = f"; unknown: {', '.join(unknown)}" if unknown else ""
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}{problem}")
        return names

    return parse


def main(argv: list[str] | None = None) -> int:
    from bench.core import (
        DEFAULT_POSTGRES_URL,
        BenchError,
        Options,
        PostgreSQLDatabase,
        SQLiteDatabase,
    )
    from bench.registry import BENCHMARKS

    parser = argparse.ArgumentParser(description="Run Vorsprung's benchmarks.")
    parser.add_argument("--sizes", type=_positive_sizes, default=_positive_sizes(DEFAULT_SIZES))
    parser.add_argument("--databases", type=_names(DATABASES), default=list(DATABASES))
    parser.add_argument(
        "--benchmarks",
        "--only",
        type=_names(tuple(BENCHMARKS)),
        default=list(BENCHMARKS),
        help=f"which to run, comma-separated: {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--api-leads",
        type=lambda text: _positive_sizes(text)[0],
        default=1_000_000,
        help="leads in the database the API and web benchmarks run on (kept between runs)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="rebuild the kept API and web benchmark databases"
    )
    args = parser.parse_args(argv)

    options = Options(
        sizes=args.sizes,
        postgres_url=args.postgres_url,
        api_leads=args.api_leads,
        fresh=args.fresh,
    )
    databases = {
        "sqlite": SQLiteDatabase(),
        "postgresql": PostgreSQLDatabase(args.postgres_url),
    }
    results, notes = [], []
    for key in args.databases:
        database = databases[key]
        reason = database.unavailable()
        if reason:
            notes.append(f"{database.name} skipped: {reason}")
            continue
        for name in args.benchmarks:
            print(f"… {name} on {database.name}", file=sys.stderr, flush=True)
            try:
                results.extend(BENCHMARKS[name](database, options))
            except BenchError as exc:
                notes.append(f"{name} on {database.name} failed: {exc}")
    print_table(results, notes)
    return 1 if not results else 0


def print_table(results, notes) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Vorsprung benchmarks")
    table.add_column("Benchmark", no_wrap=True)
    table.add_column("Database", no_wrap=True)
    table.add_column("Leads", justify="right")
    table.add_column("Seconds", justify="right")
    table.add_column("Rate / latency", justify="right")
    table.add_column("Rows written", justify="right")
    for result in results:
        table.add_row(
            result.benchmark,
            result.database,
            f"{result.leads:,}" if result.leads is not None else "",
            f"{result.seconds:.1f}" if result.seconds is not None else "",
            result.rate,
            f"{result.rows_written:,}" if result.rows_written is not None else "",
        )
    # Piped into a file or a CI log, a table 80 columns wide would wrap its rows.
    console = Console() if sys.stdout.isatty() else Console(width=140)
    console.print(table)
    for note in notes:
        console.print(f"Note: {note}", highlight=False)


if __name__ == "__main__":
    # Run as a script (`python bench/run.py`), the repository root is not on the path.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())

"""How fast `vorsprung demo` fills an empty database: wall-clock time of the command
(start-up included), leads per second and every row it added, across all tables."""

from bench.core import Database, Options, Result

NAME = "demo generation"
SEED = "1"


def run(database: Database, options: Options) -> list[Result]:
    results = []
    for leads in options.sizes:
        with database.fresh() as instance:
            before = instance.count_rows()
            seconds = instance.vorsprung("demo", "--leads", str(leads), "--seed", SEED)
            written = instance.count_rows() - before
        results.append(
            Result(
                benchmark=NAME,
                database=database.name,
                leads=leads,
                seconds=seconds,
                rate=f"{leads / seconds:,.0f} leads/s",
                rows_written=written,
            )
        )
    return results

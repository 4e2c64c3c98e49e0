"""What every benchmark shares: the databases it runs on, a way to call the ``vorsprung``
command against one of them, and the shape of a result row."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DATABASE = "vorsprung_bench"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/"


class BenchError(Exception):
    """A benchmark could not run; the message says why."""


@dataclass
class Result:
    """One row of the results table."""

    benchmark: str
    database: str
    seconds: float | None = None
    leads: int | None = None
    rate: str = ""
    rows_written: int | None = None


@dataclass
class Options:
    sizes: list[int]
    postgres_url: str = DEFAULT_POSTGRES_URL
    api_leads: int = 1_000_000
    fresh: bool = False


CACHE = Path(__file__).resolve().parent / ".cache"
SEED = "1"


@dataclass
class Instance:
    """A fresh, migrated database and the environment that points Vorsprung at it."""

    env: dict[str, str]
    database: "Database"

    def vorsprung(self, *args: str) -> float:
        """Run ``vorsprung <args>`` against this database; return the wall-clock seconds."""
        command = [sys.executable, "-m", "vorsprung.cli", *args]
        started = time.perf_counter()
        completed = subprocess.run(
            command,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if completed.returncode != 0:
            raise BenchError(
                f"`vorsprung {' '.join(args)}` failed on {self.database.name} "
                f"(exit {completed.returncode}):\n{completed.stderr.strip()[-2000:]}"
            )
        return seconds

    def count_rows(self) -> int:
        return self.database.count_rows(self)

    def run_script(self, script: Path) -> str:
        """Run a Python script with Django pointed at this database; return its output."""
        completed = subprocess.run(
            [sys.executable, str(script)],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise BenchError(f"{script.name} failed:\n{completed.stderr.strip()[-2000:]}")
        return completed.stdout


class Database:
    name = ""

    def unavailable(self) -> str | None:
        """Why this database cannot be used here, or None."""
        return None

    @contextmanager
    def fresh(self) -> Iterator[Instance]:
        raise NotImplementedError

    def count_rows(self, instance: Instance) -> int:
        raise NotImplementedError

    def prepared(self, leads: int, *, fresh: bool = False) -> Instance:
        """A database with ``leads`` demo leads, kept between runs: built once (minutes
        for a million), then reused unless ``fresh``. Within one run the benchmarks that
        share it (api, web) prepare it once."""
        prepared = self.__dict__.setdefault("_prepared", {})
        if leads not in prepared:
            prepared[leads] = self._prepare(leads, fresh=fresh)
        return prepared[leads]

    def _prepare(self, leads: int, *, fresh: bool) -> Instance:
        directory = CACHE / f"{self.name.lower()}-{leads}"
        ready = directory / "ready"
        instance = self._cached_instance(directory, leads)
        if fresh or not ready.exists():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            self._reset_cached(leads)
            instance.vorsprung("migrate", "--no-input", "-v", "0")
            instance.vorsprung("demo", "--leads", str(leads), "--seed", SEED)
            ready.write_text("ready\n")
        else:
            # A kept database gets the migrations added since it was built, and fresh
            # planner statistics (SQLite drops them when a migration rebuilds a table).
            instance.vorsprung("migrate", "--no-input", "-v", "0")
            self._analyze(instance)
        shaped = directory / "shaped"
        if not shaped.exists():
            instance.run_script(Path(__file__).with_name("shape.py"))
            self._analyze(instance)
            shaped.write_text("shaped\n")
        return instance

    def _cached_instance(self, directory: Path, leads: int) -> Instance:
        raise NotImplementedError

    def _reset_cached(self, leads: int) -> None:
        pass

    def _analyze(self, instance: Instance) -> None:
        pass


class SQLiteDatabase(Database):
    name = "SQLite"

    @contextmanager
    def fresh(self) -> Iterator[Instance]:
        with tempfile.TemporaryDirectory(prefix="vorsprung-bench-") as directory:
            path = Path(directory) / "bench.sqlite3"
            instance = Instance(
                env={
                    "VORSPRUNG_DATA_DIR": directory,
                    "VORSPRUNG_DATABASE_URL": f"sqlite:///{path}",
                },
                database=self,
            )
            instance.vorsprung("migrate", "--no-input", "-v", "0")
            yield instance

    def _cached_instance(self, directory: Path, leads: int) -> Instance:
        return Instance(
            env={
                "VORSPRUNG_DATA_DIR": str(directory),
                "VORSPRUNG_DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}",
            },
            database=self,
        )

    def _analyze(self, instance: Instance) -> None:
        path = instance.env["VORSPRUNG_DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            connection.execute("ANALYZE")

    def count_rows(self, instance: Instance) -> int:
        path = instance.env["VORSPRUNG_DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return sum(
                connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables
            )


class PostgreSQLDatabase(Database):
    """A database of its own (``vorsprung_bench``) on the server, created for each
    measurement and dropped after it."""

    name = "PostgreSQL"

    def __init__(self, url: str):
        self.url = url

    def _connect(self, dbname: str):
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(self.url)
        return psycopg.connect(
            host=config["HOST"] or "127.0.0.1",
            port=config["PORT"] or 5432,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname=dbname,
            connect_timeout=3,
            autocommit=True,
        )

    def unavailable(self) -> str | None:
        try:
            self._connect("postgres").close()
        except Exception as exc:
            return f"PostgreSQL not reachable at {self.url}: {str(exc).strip()}"
        return None

    @contextmanager
    def fresh(self) -> Iterator[Instance]:
        url = urlsplit(self.url)._replace(path=f"/{BENCH_DATABASE}").geturl()
        with self._connect("postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            with tempfile.TemporaryDirectory(prefix="vorsprung-bench-") as directory:
                instance = Instance(
                    env={"VORSPRUNG_DATA_DIR": directory, "VORSPRUNG_DATABASE_URL": url},
                    database=self,
                )
                instance.vorsprung("migrate", "--no-input", "-v", "0")
                yield instance
        finally:
            with self._connect("postgres") as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    def _cached_instance(self, directory: Path, leads: int) -> Instance:
        url = urlsplit(self.url)._replace(path=f"/{BENCH_DATABASE}_api_{leads}").geturl()
        return Instance(
            env={"VORSPRUNG_DATA_DIR": str(directory), "VORSPRUNG_DATABASE_URL": url},
            database=self,
        )

    def _reset_cached(self, leads: int) -> None:
        with self._connect("postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}_api_{leads} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}_api_{leads}")

    def _analyze(self, instance: Instance) -> None:
        name = instance.env["VORSPRUNG_DATABASE_URL"].rsplit("/", 1)[1]
        with self._connect(name) as connection:
            connection.execute("VACUUM ANALYZE")

    def count_rows(self, instance: Instance) -> int:
        with self._connect(BENCH_DATABASE) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ]
            return sum(
                connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables
            )

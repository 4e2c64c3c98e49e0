"""Every benchmark `make bench` knows. A benchmark is a function that takes a database
and the options and returns rows for the table; add one here to have it run."""

from collections.abc import Callable

from bench import api_latency, demo_generation, web_pages
from bench.core import Database, Options, Result

Benchmark = Callable[[Database, Options], list[Result]]

BENCHMARKS: dict[str, Benchmark] = {
    "demo": demo_generation.run,
    "api": api_latency.run,
    "web": web_pages.run,
}

"""The web pages at scale: server-side render time of the main pages (home, lists, next
pages, filters, details, the convert wizard, the timeline, the board and a board
column, search) on the database the API benchmark keeps (``--api-leads`` leads, default
1,000,000), measured inside one Django process with the test client, logged in as an
administrator and as a sales rep.

A page that does not answer yet (404, or a placeholder's empty 200) gets a row saying
so instead of figures. Each page's query count and slowest queries go to
``bench/.cache/web-<database>-<leads>.txt``."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bench.core import CACHE, BenchError, Database, Options, Result

PROBE = Path(__file__).with_name("web_probe.py")
TARGET_MS = 100


def run(database: Database, options: Options) -> list[Result]:
    instance = database.prepared(options.api_leads, fresh=options.fresh)
    # Pages name their static files through the manifest, as in production.
    instance.vorsprung("collectstatic", "--no-input", "-v", "0")
    env = {**os.environ, **instance.env, "VORSPRUNG_ALLOWED_HOSTS": "testserver,127.0.0.1"}
    completed = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"web probe failed:\n{completed.stderr.strip()[-2000:]}")
    rows = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    report = CACHE / f"web-{database.name.lower()}-{options.api_leads}.txt"
    report.write_text(_report(database, options, rows, completed.stderr))
    results = []
    for row in rows:
        if "missing" in row:
            rate = f"missing: {_shorten(row['missing'])}"
        else:
            rate = (
                f"median {row['median_ms']:.1f} ms · p95 {row['p95_ms']:.1f} ms · "
                f"{row['queries']} queries"
            )
        results.append(
            Result(
                benchmark=f"web: {row['page']}",
                database=database.name,
                leads=options.api_leads,
                rate=rate,
            )
        )
    measured = [row for row in rows if "missing" not in row]
    slow = [row for row in measured if row["median_ms"] > TARGET_MS]
    results.append(
        Result(
            benchmark=f"web: median over {TARGET_MS} ms",
            database=database.name,
            leads=options.api_leads,
            rate=f"{len(slow)} of {len(measured)} pages (see {report.name})",
        )
    )
    return results


def _shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _report(database: Database, options: Options, rows: list[dict], log: str) -> str:
    lines = [f"Web pages on {database.name}, {options.api_leads:,} leads", log.strip()]
    slow = [r for r in rows if "missing" not in r and r["median_ms"] > TARGET_MS]
    missing = [r for r in rows if "missing" in r]
    lines.append(
        f"Median over {TARGET_MS} ms: "
        + (", ".join(f"{r['page']} ({r['median_ms']:.0f} ms)" for r in slow) or "none")
    )
    lines.append("Missing: " + (", ".join(r["page"] for r in missing) or "none"))
    lines.append("")
    for row in rows:
        if "missing" in row:
            lines.append(f"## {row['page']}: missing — {row['missing']}\n")
            continue
        lines.append(
            f"## {row['page']}: {row['url']}\n"
            f"median {row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms, "
            f"{row['bytes']:,} bytes, {row['queries']} queries taking "
            f"{row['query_ms']:.1f} ms together when run again on their own; the slowest:"
        )
        for query in row["slowest"]:
            lines.append(f"  {query['ms']:.1f} ms  {query['sql']}\n    params {query['params']}")
            if query.get("plan"):
                lines.append("    plan:\n" + textwrap.indent(query["plan"], "      "))
        lines.append("")
    return "\n".join(lines) + "\n"

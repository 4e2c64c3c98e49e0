"""The API at scale: server-side latency of lists, pages, filters, search, retrieve and
create on a database of ``--api-leads`` leads (default 1,000,000) made by the demo
generator, and throughput through the production server (gunicorn) measured with wrk.

Building a million leads takes minutes, so the database is kept between runs
(bench/.cache/ for SQLite, database ``vorsprung_bench_api_<n>`` on PostgreSQL);
``--fresh`` builds it again."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core import BenchError, Database, Options, Result

PROBE = Path(__file__).with_name("api_probe.py")
WORKERS = 5  # gunicorn's 2 × cores + 1 on this 2-core machine
LOAD_SECONDS = 10
LOAD_CONNECTIONS = 16


def run(database: Database, options: Options) -> list[Result]:
    instance = database.prepared(options.api_leads, fresh=options.fresh)
    env = {**os.environ, **instance.env, "VORSPRUNG_ALLOWED_HOSTS": "testserver,127.0.0.1"}
    completed = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"API probe failed:\n{completed.stderr.strip()[-2000:]}")
    results = []
    for line in completed.stdout.splitlines():
        row = json.loads(line)
        results.append(
            Result(
                benchmark=f"API {row['scenario']}",
                database=database.name,
                leads=options.api_leads,
                rate=f"median {row['median_ms']:.1f} ms · p95 {row['p95_ms']:.1f} ms",
            )
        )
    try:
        results.extend(_throughput(database, instance, env, options))
    except (BenchError, subprocess.CalledProcessError) as exc:
        results.append(
            Result(benchmark="API throughput", database=database.name, rate=f"failed: {exc}")
        )
    return results


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _token(env: dict) -> str:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "vorsprung.cli",
            "shell",
            "-c",
            "from vorsprung.accounts.models import User;"
            "from vorsprung.accounts.tokens import api_token_create;"
            "u = User.objects.filter(is_superuser=True).first();"
            "print(api_token_create(actor=None, user=u, name='load')[1])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]


def _throughput(database: Database, instance, env: dict, options: Options) -> list[Result]:
    if shutil.which("wrk") is None:
        return [
            Result(
                benchmark="API throughput",
                database=database.name,
                rate="skipped: install wrk (apt-get install wrk)",
            )
        ]
    token = _token(env)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vorsprung.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        base = f"http://127.0.0.1:{port}/api/v1/leads"
        with tempfile.TemporaryDirectory() as directory:
            script = Path(directory) / "create.lua"
            script.write_text(
                'wrk.headers["Content-Type"] = "application/json"\n'
                "counter = 0\n"
                "request = function()\n"
                "  counter = counter + 1\n"
                '  local body = string.format(\'{"last_name": "Load%d", "company": "Load AS",'
                ' "email": "load%d.%d@load.example"}\', counter, counter, math.random(1e9))\n'
                '  return wrk.format("POST", nil, nil, body)\n'
                "end\n"
            )
            rows = []
            for label, extra in (("list leads", []), ("create lead", ["-s", str(script)])):
                rate = _wrk(base, token, extra)
                rows.append(
                    Result(
                        benchmark=f"API throughput: {label}",
                        database=database.name,
                        leads=options.api_leads,
                        rate=f"{rate:,.0f} req/s ({WORKERS} gunicorn workers)",
                    )
                )
            return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wrk(url: str, token: str, extra: list[str]) -> float:
    completed = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(LOAD_CONNECTIONS),
            "-d",
            f"{LOAD_SECONDS}s",
            "-H",
            f"Authorization: Bearer {token}",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in completed.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            errors = [x.strip() for x in completed.stdout.splitlines() if "Non-2xx" in x]
            if errors:
                raise BenchError(
                    f"wrk saw errors ({errors[0]}; a GET of {url} answers {_sample(url, token)})"
                )
            return float(line.split()[1])
    raise BenchError(f"wrk printed no rate:\n{completed.stdout}\n{completed.stderr}")


def _sample(url: str, token: str) -> str:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}: {exc.read()[:300]!r}"


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise BenchError("the server did not start within 60 s")

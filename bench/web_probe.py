"""Measures the web pages from inside one Django process, against the database the
environment names: server-side time per request (Django's full request cycle with the
session, the middleware and the template, no network), as median and 95th percentile.
Prints one JSON object per page on stdout.

The pages are found the way a user finds them: ids and the next-page, convert, timeline
and board-column addresses come from the links in the rendered pages, not from the
code. A page that does not answer 200 with a body is reported as missing, with the
reason, and the others are measured all the same.

Run by bench/web_pages.py; not meant to be run by hand."""

import html
import json
import logging
import os
import re
import statistics
import sys
import time
from urllib.parse import quote, urljoin

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vorsprung.settings")
os.environ["VORSPRUNG_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()
# A page that fails is reported in its row; its traceback would only bury the figures.
logging.getLogger("django.request").setLevel(logging.CRITICAL)

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from vorsprung.accounts.models import User  # noqa: E402
from vorsprung.customers.models import Contact  # noqa: E402
from vorsprung.leads.models import Lead  # noqa: E402
from vorsprung.sales.models import Opportunity  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
WARMUP = 3
SLOWEST = 3  # queries reported per page
EXPLAIN_MS = 10  # a query this slow or slower is reported with its plan
HTMX = {"HTTP_HX_REQUEST": "true"}


class Missing(Exception):
    """The page did not answer with content; the message says what it answered."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def client_for(user: User) -> Client:
    client = Client(SERVER_NAME="localhost", raise_request_exception=False)
    client.force_login(user)
    return client


def fetch(client: Client, url: str, headers: dict | None = None):
    """The response, if it is a real page: 200 with a body. A placeholder view answers
    200 with nothing, so an empty body counts as missing too."""
    response = client.get(url, **(headers or {}))
    if response.status_code != 200:
        reason = f"HTTP {response.status_code}"
        if response.status_code in (301, 302, 303):
            reason += f" → {response.get('Location')}"
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            reason += f" {exc_info[0].__name__}: {str(exc_info[1])[:120]}"
        raise Missing(reason)
    if not response.content.strip():
        raise Missing("empty page (a placeholder)")
    return response


def addresses(response, pattern: str, attributes: str = "href|hx-get") -> list[str]:
    """The addresses in the page's links and hx-get attributes (or ``attributes``) that
    match ``pattern`` (a regular expression on the path and query), in page order,
    without repeats. Links within the page (``#main``) are left out."""
    request = response.request
    page = request["PATH_INFO"] + (
        f"?{request['QUERY_STRING']}" if request.get("QUERY_STRING") else ""
    )
    found = []
    attribute = re.compile(rf'\b(?:{attributes})\s*=\s*"([^"]*)"')
    for raw in attribute.findall(response.content.decode()):
        if raw.startswith("#"):
            continue
        # "?cursor=…" and other relative addresses, as the browser would resolve them.
        url = urljoin(page, html.unescape(raw))
        if re.search(pattern, url) and url not in found:
            found.append(url)
    return found


def first_address(response, pattern: str, fallback: str | None = None) -> str:
    found = addresses(response, pattern)
    if found:
        return found[0]
    if fallback is not None:
        return fallback
    raise Missing(f"no link matching {pattern!r} on {response.request['PATH_INFO']}")


def url_for(name: str, *args, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def measure(name: str, client: Client, urls, headers: dict | None = None) -> None:
    """Time ``REPEAT`` requests after ``WARMUP``; ``urls`` is one address, a tuple of
    addresses requested one after the other and timed together (what one page load
    asks for), or an iterator of addresses (one per request). Then count the queries
    of one more request."""

    def pick() -> tuple[str, ...]:
        if isinstance(urls, str):
            return (urls,)
        return urls if isinstance(urls, tuple) else (next(urls),)

    row = {"page": name}
    try:
        for _ in range(WARMUP):
            for url in pick():
                fetch(client, url, headers)
        timings = []
        for _ in range(REPEAT):
            batch = pick()
            started = time.perf_counter()
            size = sum(len(fetch(client, url, headers).content) for url in batch)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        batch = pick()
        recorder = QueryRecorder()
        with connection.execute_wrapper(recorder):
            for url in batch:
                fetch(client, url, headers)
        queries = replayed(recorder.queries)
        row.update(
            url=" + ".join(batch),
            median_ms=statistics.median(timings),
            p95_ms=timings[int(len(timings) * 0.95) - 1],
            bytes=size,
            queries=len(recorder.queries),
            query_ms=sum(q["ms"] for q in queries),
            slowest=queries[:SLOWEST],
        )
    except Missing as exc:
        row["missing"] = str(exc)
    except StopIteration:
        row["missing"] = "not enough next pages to measure"
    print(json.dumps(row), flush=True)


class QueryRecorder:
    """An execute wrapper that notes each query and its parameters."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, None if many else params))
        return execute(sql, params, many, context)


def replayed(queries: list[tuple]) -> list[dict]:
    """Each read of a request run again on its own, rows fetched to the last: the time
    a query costs. (Timing ``execute`` alone would miss most of it on SQLite, which
    finds the rows as they are fetched, after ``execute`` has returned.) The slow ones
    come with their plan."""
    timed = []
    for sql, params in queries:
        if params is None or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timed.append(((time.perf_counter() - started) * 1000, sql, params))
    timed.sort(key=lambda entry: -entry[0])
    return [
        {
            "ms": ms,
            "sql": sql,
            "params": [str(p) for p in params],
            "plan": plan(sql, params) if rank < SLOWEST and ms >= EXPLAIN_MS else "",
        }
        for rank, (ms, sql, params) in enumerate(timed)
    ]


def plan(sql: str, params) -> str:
    """The database's plan for one query: PostgreSQL's with the times it measured."""
    if connection.vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS)"
    else:
        prefix = connection.ops.explain_query_prefix()
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def skip(name: str, reason: str) -> None:
    print(json.dumps({"page": name, "missing": reason}), flush=True)


def typical_rep() -> User:
    """An active sales rep in a team owning the median number of leads among reps."""
    owners = dict(
        Lead.objects.filter(owner__role="sales_rep", owner__is_active=True)
        .exclude(owner__team=None)
        .order_by()
        .values_list("owner")
        .annotate(n=Count("id"))
    )
    if not owners:
        return User.objects.filter(role="sales_rep", team__isnull=False, is_active=True).first()
    ranked = sorted(owners, key=lambda pk: (owners[pk], pk))
    return User.objects.get(pk=ranked[len(ranked) // 2])


def busiest_organization() -> int | None:
    """The organization with the most contacts and opportunities together."""
    contacts = dict(
        Contact.objects.exclude(organization=None)
        .order_by()
        .values_list("organization")
        .annotate(n=Count("id"))
        .order_by("-n")[:50]
    )
    opportunities = dict(
        Opportunity.objects.filter(organization__in=list(contacts))
        .order_by()
        .values_list("organization")
        .annotate(n=Count("id"))
    )
    if not contacts:
        return None
    return max(contacts, key=lambda pk: (contacts[pk] + opportunities.get(pk, 0), -pk))


def next_pages(client: Client, url: str, count: int) -> list[str]:
    """The addresses of ``count`` next pages, following each page's Next link."""
    pages = []
    response = fetch(client, url)
    while len(pages) < count:
        found = addresses(response, r"[?&]cursor=")
        if not found:
            break
        pages.append(found[-1])
        response = fetch(client, found[-1])
    return pages


def main() -> None:
    admin = (
        User.objects.filter(role="admin", is_active=True).order_by("pk").first()
        or User.objects.filter(is_superuser=True, is_active=True).first()
        or User.objects.create_superuser("bench-admin", "bench@example.com", None, role="admin")
    )
    rep = typical_rep()
    log(f"admin: {admin.username}; rep: {rep.username} (team {rep.team})")
    web, rep_web = client_for(admin), client_for(rep)

    # A surname from among the newer leads, as the API benchmark picks it.
    offset = min(1000, Lead.objects.count() - 1)
    surname = Lead.objects.order_by("-pk").values_list("last_name", flat=True)[offset][:3]
    # A name from another team's market, which the rep's own leads seldom or never have:
    # the search must not walk every lead looking for one the rep may see.
    elsewhere = (
        Lead.objects.exclude(owner__team=rep.team)
        .exclude(owner__team=None)
        .order_by("-pk")
        .values_list("last_name", flat=True)
    )
    others = elsewhere.count()
    foreign = (elsewhere[min(offset, others - 1)] if others else surname)[:3]
    log(f"surname prefix: {surname}; from another team's market: {foreign}")

    measure("home (admin)", web, "/")
    measure("home (sales rep)", rep_web, "/")

    leads_url = url_for("leads:list", fallback="/leads/")
    measure("lead list", web, leads_url)
    measure("lead list (sales rep)", rep_web, leads_url)
    try:
        pages = next_pages(web, leads_url, REPEAT + WARMUP + 1)
        measure("lead list: next pages", web, iter(pages))
    except Missing as exc:
        skip("lead list: next pages", str(exc))
    # The list keeps its last filters in the session and sends a later visit without
    # any there, so the filtered pages get a session of their own.
    filtered = client_for(admin)
    measure("lead list: status=working", filtered, f"{leads_url}?status=working")
    measure("lead list: q (surname prefix)", filtered, f"{leads_url}?q={quote(surname)}")
    measure(
        "lead list: q, rep (other market)",
        client_for(rep),
        f"{leads_url}?q={quote(foreign)}",
    )

    try:
        working = fetch(filtered, f"{leads_url}?status=working")
        lead_url = first_address(working, rf"^{re.escape(leads_url)}\d+/$")
        lead_id = int(re.search(r"(\d+)/$", lead_url).group(1))
    except Missing as exc:
        lead_url, lead_id = None, None
        for page in ("lead detail", "lead convert wizard", "lead timeline (htmx)"):
            skip(page, f"no lead to open: {exc}")
    if lead_url:
        measure("lead detail", web, lead_url)
        convert_url = url_for("leads:convert", lead_id, fallback=f"{lead_url}convert/")
        timeline_url = url_for(
            "activities:timeline", "lead", lead_id, fallback=f"/timeline/lead/{lead_id}/"
        )
        try:
            # The addresses the detail page itself uses, where it shows them.
            detail = fetch(web, lead_url)
            convert_url = first_address(detail, rf"^{re.escape(lead_url)}convert/", convert_url)
            timeline_url = first_address(detail, rf"/timeline/[^/]+/{lead_id}/(\?|$)", timeline_url)
        except Missing:
            pass
        measure("lead convert wizard", web, convert_url)
        measure("lead timeline (htmx)", web, timeline_url, HTMX)

    for label, name, fallback in (
        ("opportunity", "sales:opportunity_list", "/opportunities/"),
        ("contact", "customers:contact_list", "/contacts/"),
    ):
        list_url = url_for(name, fallback=fallback)
        measure(f"{label} list", web, list_url)
        try:
            detail_url = first_address(fetch(web, list_url), rf"^{re.escape(list_url)}\d+/$")
        except Missing as exc:
            skip(f"{label} detail", f"no {label} to open: {exc}")
            continue
        measure(f"{label} detail", web, detail_url)

    measure(
        "organization list", web, url_for("customers:organization_list", fallback="/organizations/")
    )
    # Not the first organization in the list but the one with the most on its page.
    busiest = busiest_organization()
    measure(
        "organization detail (busiest)",
        web,
        url_for("customers:organization_detail", busiest, fallback=f"/organizations/{busiest}/"),
    )

    board_url = url_for("sales:board", fallback="/board/")
    measure("board", web, board_url)
    measure("board (sales rep)", rep_web, board_url)
    try:
        board = fetch(web, board_url)
        # The columns load themselves: hx-get addresses below the board's own.
        columns = [
            url
            for url in addresses(board, rf"^{re.escape(board_url)}[^?]", attributes="hx-get")
            if "cursor=" not in url
        ]
        if not columns:
            raise Missing("no hx-get column address on the board page")
        measure("board column (htmx)", web, columns[0], HTMX)
        # The board page loads every column with its own request as soon as it shows.
        measure(f"board: all {len(columns)} columns (htmx)", web, tuple(columns), HTMX)
    except Missing as exc:
        skip("board column (htmx)", str(exc))

    tasks_url = url_for("activities:tasks", fallback="/tasks/")
    measure("tasks (admin)", web, tasks_url)
    measure("tasks (sales rep)", rep_web, tasks_url)
    search_url = url_for("search", fallback="/search/")
    measure("search (htmx)", web, f"{search_url}?q={quote(surname)}", HTMX)
    measure("search (htmx, sales rep)", rep_web, f"{search_url}?q={quote(surname)}", HTMX)
    measure(
        "search (htmx, rep, other market)",
        rep_web,
        f"{search_url}?q={quote(foreign)}",
        HTMX,
    )


if __name__ == "__main__":
    main()

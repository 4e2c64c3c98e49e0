"""Measures the API from inside one Django process, against the database the environment
names: server-side time per request (Django's full request cycle, no network), as
median and 95th percentile. Prints one JSON object per scenario on stdout.

Run by bench/api_latency.py; not meant to be run by hand."""

import json
import os
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vorsprung.settings")
os.environ["VORSPRUNG_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.db.models.functions import Lower, Substr  # noqa: E402
from django.test import Client  # noqa: E402

from vorsprung.accounts.models import User  # noqa: E402
from vorsprung.accounts.tokens import api_token_create  # noqa: E402
from vorsprung.core.pagination import _encode  # noqa: E402
from vorsprung.leads.filtersets import LeadFilterSet  # noqa: E402
from vorsprung.leads.models import Lead  # noqa: E402
from vorsprung.search.selectors import search_count  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
WARMUP = 3
# The company of the leads the benchmark creates.
BENCH_COMPANY = "Bench GmbH"
# A pattern: only the scenarios whose name matches it are measured (for a quick look).
ONLY = os.environ.get("BENCH_ONLY", "")


def client_for(user: User) -> Client:
    _, token = api_token_create(actor=None, user=user, name="bench")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def measure(name: str, call) -> None:
    if ONLY and not re.search(ONLY, name):
        return
    for _ in range(WARMUP):
        call()
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = call()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            print(
                f"{name}: HTTP {response.status_code} {response.content[:300]!r}", file=sys.stderr
            )
            sys.exit(2)
    timings.sort()
    print(
        json.dumps(
            {
                "scenario": name,
                "median_ms": statistics.median(timings),
                "p95_ms": timings[int(len(timings) * 0.95) - 1],
            }
        ),
        flush=True,
    )


def _open_leads_with_company(count: int) -> list[int]:
    """Open leads that name a company, newest first: one for each conversion measured."""
    return list(
        Lead.objects.filter(status__in=["new", "working", "nurturing"])
        .exclude(company__in=["", BENCH_COMPANY])
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:count]
    )


def _commonest_prefix(length: int) -> str:
    """The prefix of ``length`` letters that starts the most leads' last names."""
    return (
        Lead.objects.annotate(prefix=Lower(Substr("last_name", 1, length)))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["prefix"]
    )


def _rare_terms(sampled: Lead) -> dict[str, str]:
    """Terms that each match well under 1 % of the leads, taken from one lead."""
    company_words = sorted(re.findall(r"\w{5,}", sampled.company), key=len, reverse=True)
    domain = (
        Lead.objects.exclude(domain="")
        .exclude(email="")
        .order_by("-pk")
        .values_list("email", flat=True)[500]
        .rsplit("@", 1)[1]
    )
    return {
        "full name": f"{sampled.first_name} {sampled.last_name}",
        "name, last first": f"{sampled.last_name} {sampled.first_name}",
        "surname": sampled.last_name,
        "company word": company_words[0] if company_words else sampled.last_name,
        "e-mail domain": domain,
        "phone, national": "0" + sampled.phone[3:] if sampled.phone else "",
    }


def measure_search(api: Client, rep_api: Client, sampled: Lead) -> None:
    """The search index at work on every list: rare terms, and the commonest prefixes
    under every ordering of the lead list."""
    for label, term in _rare_terms(sampled).items():
        if term:
            count = search_count(Lead.objects.all(), term, cap=10**7)
            measure(
                f"search: {label} ({count:,} leads)",
                lambda term=term: api.get("/api/v1/leads", {"q": term}),
            )
    for length in (2, 1):
        prefix = _commonest_prefix(length)
        for ordering in LeadFilterSet.orderings:
            measure(
                f"search: commonest prefix “{prefix}”, leads by {ordering}",
                lambda prefix=prefix, ordering=ordering: api.get(
                    "/api/v1/leads", {"q": prefix, "ordering": ordering}
                ),
            )
        measure(
            f"search: “{prefix}”, sales rep",
            lambda prefix=prefix: rep_api.get("/api/v1/leads", {"q": prefix}),
        )
        for resource in ("contacts", "organizations", "opportunities"):
            measure(
                f"search: “{prefix}”, {resource}",
                lambda prefix=prefix, resource=resource: api.get(
                    f"/api/v1/{resource}", {"q": prefix}
                ),
            )
    inside = next(
        (word[2:] for word in re.findall(r"\w{8,}", sampled.company)), sampled.last_name[1:]
    )
    measure(f"search: inside a word “{inside}”", lambda: api.get("/api/v1/leads", {"q": inside}))


def main() -> None:
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", None, role="admin"
    )
    rep = User.objects.filter(role="sales_rep", team__isnull=False, is_active=True).first()
    api, rep_api = client_for(admin), client_for(rep)

    first = api.get("/api/v1/leads?limit=50").json()
    page_urls = []
    url = first["next"]
    for _ in range(REPEAT + WARMUP):
        page_urls.append(url)
        url = api.get(url).json()["next"]
    pages = iter(page_urls)

    # A cursor half-way through the table: what a client holds after 10,000 pages.
    middle = Lead.objects.order_by("-created_at", "-pk").values("created_at", "pk")[
        Lead.objects.count() // 2
    ]
    deep = _encode("-created_at", middle["created_at"], middle["pk"])
    # Among the generated leads, not those earlier runs created, so that every run
    # searches for the same one.
    sample = (
        Lead.objects.exclude(company=BENCH_COMPANY)
        .order_by("-pk")
        .values_list("pk", flat=True)[1000]
    )
    sampled = Lead.objects.get(pk=sample)
    surname, mailbox = sampled.last_name[:3], sampled.email[:5]
    counter = iter(range(10**9))
    commonest = (Lead.objects.values("last_name").annotate(n=Count("id")).order_by("-n").first())[
        "last_name"
    ][:2]

    measure("leads: first page", lambda: api.get("/api/v1/leads?limit=50"))
    measure("leads: next pages", lambda: api.get(next(pages)))
    measure("leads: deep cursor (middle)", lambda: api.get(f"/api/v1/leads?cursor={deep}"))
    measure("leads: status=working", lambda: api.get("/api/v1/leads?status=working"))
    measure(
        "leads: source + country + open",
        lambda: api.get("/api/v1/leads?source=web_form&country=DE&is_open=true"),
    )
    measure("leads: sales rep (visibility)", lambda: rep_api.get("/api/v1/leads"))
    measure("leads: q (surname prefix)", lambda: api.get(f"/api/v1/leads?q={surname}"))
    measure("leads: q (common prefix)", lambda: api.get(f"/api/v1/leads?q={commonest}"))
    measure("leads: q (no match)", lambda: api.get("/api/v1/leads?q=Zqxjv"))
    measure("leads: q (e-mail)", lambda: api.get(f"/api/v1/leads?q={mailbox}"))
    if os.environ.get("BENCH_SEARCH", "1") == "1":
        # A lead of the generated data, the same in every run (none that a run added).
        generated = Lead.objects.exclude(company=BENCH_COMPANY)
        measure_search(api, rep_api, generated.order_by("pk")[generated.count() // 3])
    measure("contacts: first page", lambda: api.get("/api/v1/contacts"))
    measure("organizations: first page", lambda: api.get("/api/v1/organizations"))
    measure("opportunities: open", lambda: api.get("/api/v1/opportunities?is_closed=false"))
    measure("activities: first page", lambda: api.get("/api/v1/activities"))
    measure(
        "lead + timeline",
        lambda: (api.get(f"/api/v1/leads/{sample}"), api.get(f"/api/v1/leads/{sample}/timeline"))[
            1
        ],
    )
    measure(
        "create lead",
        lambda: api.post(
            "/api/v1/leads",
            json.dumps(
                {
                    "first_name": "Bench",
                    "last_name": f"Mark{next(counter)}",
                    "email": f"bench{time.time_ns()}@bench.example",
                    "company": BENCH_COMPANY,
                    "source": "web_form",
                }
            ),
            content_type="application/json",
        ),
    )

    names = iter(range(10**9))
    measure(
        "update lead",
        lambda: api.patch(
            f"/api/v1/leads/{sample}",
            json.dumps({"job_title": f"Head of Purchasing {next(names)}", "city": "Bergen"}),
            content_type="application/json",
        ),
    )
    to_convert = iter(_open_leads_with_company(REPEAT + WARMUP))
    measure(
        "convert lead",
        lambda: api.post(
            f"/api/v1/leads/{next(to_convert)}/convert",
            json.dumps({"accept_qualification_gaps": True}),
            content_type="application/json",
        ),
    )


if __name__ == "__main__":
    main()

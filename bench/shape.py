"""Brings a demo database to the shape the API speed targets name: per million leads,
300,000 opportunities. The demo generator makes fewer (about one per five leads, as
conversions and organizations produce them), so the missing ones are added as renewals:
copies of existing opportunities at the same organizations, closing a quarter later.

Run with ``vorsprung shell``-style setup by bench/core.py; prints what it added."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vorsprung.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from vorsprung.leads.models import Lead  # noqa: E402
from vorsprung.sales.models import Opportunity  # noqa: E402

OPPORTUNITIES_PER_LEAD = 0.3
COLUMNS = [
    f.column
    for f in Opportunity._meta.concrete_fields
    if f.column not in ("id", "name", "expected_close_date")
]


def main() -> None:
    target = int(Lead.objects.count() * OPPORTUNITIES_PER_LEAD)
    missing = target - Opportunity.objects.count()
    if missing <= 0:
        print("0")
        return
    close = (
        "expected_close_date + 91"
        if connection.vendor == "postgresql"
        else "date(expected_close_date, '+91 days')"
    )
    concat = "name || ' (renewal)'"
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO sales_opportunity ({columns}, "name", "expected_close_date") '
            f"SELECT {columns}, {concat}, {close} FROM sales_opportunity ORDER BY id LIMIT %s",
            [missing],
        )
    print(missing)


if __name__ == "__main__":
    main()

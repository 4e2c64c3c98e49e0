"""Search finds the same records whichever way the database is asked (through the
search indexes for rare terms, by walking the list for common ones)."""

import pytest

from tests.factories import AdminFactory, LeadFactory
from vorsprung.core import filters
from vorsprung.leads.selectors import lead_list


@pytest.fixture
def leads(db):
    names = ["Schmidt", "Schneider", "schulz", "Schäfer", "Berg", "Lund", "Sch%fer"]
    return {
        name: LeadFactory(last_name=name, first_name="Kari", company="Fjord AS", email="")
        for name in names
    }


@pytest.mark.parametrize("threshold", [1, 2, 1000])
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("sch", {"Schmidt", "Schneider", "schulz", "Schäfer", "Sch%fer"}),
        ("SCHN", {"Schneider"}),
        ("sch%", {"Sch%fer"}),
        ("ber", {"Berg"}),
        ("zz", set()),
    ],
)
def test_common_and_rare_terms_find_the_same_leads(leads, monkeypatch, threshold, term, expected):
    monkeypatch.setattr(filters, "COMMON_MATCHES", threshold)
    admin = AdminFactory()

    found = lead_list(user=admin, filters={"q": term}).order_by("-created_at")

    assert {lead.last_name for lead in found} == expected


def test_search_indexes_come_back_after_a_table_rebuild_drops_them(db):
    from django.db import connection

    from vorsprung.core.search_indexes import ensure_search_indexes

    def search_indexes() -> set[str]:
        with connection.cursor() as cursor:
            names = connection.introspection.get_constraints(cursor, "leads_lead")
        return {name for name in names if name.endswith("_search")}

    assert "leads_lead_last_name_search" in search_indexes()
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "leads_lead_last_name_search"')

    ensure_search_indexes(connection)

    assert "leads_lead_last_name_search" in search_indexes()

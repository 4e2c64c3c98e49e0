"""The search index: what it finds, how it ranks, that it follows every change in the
same transaction, and that rare and common terms find the same records."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.factories import (
    AdminFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.core.pagination import keyset_page
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.leads.models import Lead
from vorsprung.leads.selectors import lead_list
from vorsprung.sales.selectors import opportunity_list
from vorsprung.search import selectors as search
from vorsprung.search.selectors import search_count, search_ranked


def found(term, user=None, listing=lead_list) -> set[str]:
    user = user or AdminFactory()
    return {str(record) for record in listing(user=user, filters={"q": term})}


@pytest.fixture
def liane(db):
    return LeadFactory(
        first_name="Liane",
        last_name="Pechel",
        email="liane.pechel@nordpharma.de",
        company="Nordpharma GmbH",
        website="https://www.nordpharma-group.com/de/",
        phone="+49 30 12345678",
        mobile="",
    )


@pytest.fixture(params=[1, 5000], ids=["common", "rare"])
def either_way(request, monkeypatch):
    """Run a test with every term treated as rare (ids through the index) and as common
    (tested row by row while the list walks its order)."""
    monkeypatch.setattr(search, "COMMON_MATCHES", request.param)


@pytest.mark.parametrize(
    "term",
    [
        "Liane Pechel",
        "pechel liane",
        "Pech",
        "lia pec",
        "liane.pechel@nordpharma.de",
        "nordpharma.de",
        "@nordpharma.de",
        "NORDPHARMA",
        "nordpharma-group.com",
        "+49 30 12345678",
        "030 12345678",
        "(030) 1234-5678",
        "0049 30 1234 5678",
        "3012345",
    ],
)
def test_a_lead_is_found_by_name_address_company_website_and_phone(liane, either_way, term):
    assert found(term) == {str(liane)}


@pytest.mark.parametrize("term", ["Liane Schulz", "echel", "nordpharma.se", "0049 40 1234"])
def test_terms_that_do_not_describe_the_lead_find_nothing(liane, either_way, term):
    if term == "echel" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL finds a term inside a word (see the trigram test)")
    assert found(term) == set()


def test_accents_and_hyphenated_names(db, either_way):
    lead = LeadFactory(first_name="Jörg", last_name="O'Brien-Müller", company="", email="")
    for term in ["jorg", "JÖRG", "obrienmuller", "müller", "brien"]:
        assert found(term) == {str(lead)}, term


@pytest.mark.parametrize("threshold", [1, 2, 1000])
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("sch", {"Schmidt", "Schneider", "schulz", "Schäfer", "Sch%fer"}),
        ("SCHN", {"Schneider"}),
        ("s", {"Schmidt", "Schneider", "schulz", "Schäfer", "Sch%fer"}),
        ("sch%fer", {"Sch%fer"}),
        ("sch_", {"Schmidt", "Schneider", "schulz", "Schäfer", "Sch%fer"}),
        ("ber", {"Berg"}),
        ("zz", set()),
        ("%", set()),
    ],
)
def test_common_and_rare_terms_find_the_same_leads(db, monkeypatch, threshold, term, expected):
    for name in ["Schmidt", "Schneider", "schulz", "Schäfer", "Berg", "Lund", "Sch%fer"]:
        LeadFactory(last_name=name, first_name="Kari", company="Fjord AS", email="")
    monkeypatch.setattr(search, "COMMON_MATCHES", threshold)

    leads = lead_list(user=AdminFactory(), filters={"q": term}).order_by("-created_at")

    assert {lead.last_name for lead in leads} == expected


def test_contacts_organizations_and_opportunities_are_searched_too(db, either_way):
    organization = OrganizationFactory(
        name="Fjordkraft Energi AS", website="https://fjordkraft.no", phone="+47 22 33 44 55"
    )
    contact = ContactFactory(
        organization=organization, first_name="Kari", last_name="Nordmann", email="kari@fk.no"
    )
    deal = OpportunityFactory(organization=organization, name="Smart-meter rollout 2027")
    assert found("fjordkraft.no", listing=organization_list) == {str(organization)}
    assert found("energi", listing=organization_list) == {str(organization)}
    assert found("22 33 44 55", listing=organization_list) == {str(organization)}
    assert found("nordmann kari", listing=contact_list) == {str(contact)}
    assert found("fk.no", listing=contact_list) == {str(contact)}
    assert found("meter roll", listing=opportunity_list) == {str(deal)}


def test_search_applies_visibility(db, either_way):
    rep = UserFactory(team=TeamFactory())
    mine = LeadFactory(owner=rep, last_name="Vikström")
    LeadFactory(owner=UserFactory(team=TeamFactory()), last_name="Vikström")

    assert found("vikström", user=rep) == {str(mine)}
    assert search_count(lead_list(user=rep), "vikström", cap=100) == 1


def test_whole_words_rank_before_prefixes_before_similar(db):
    prefix = LeadFactory(first_name="Anna", last_name="Bergmann", company="", email="")
    exact = LeadFactory(first_name="Anna", last_name="Berg", company="", email="")
    LeadFactory(first_name="Ola", last_name="Lund", company="", email="")
    inside = LeadFactory(first_name="Anna", last_name="Isberg", company="", email="")

    ranked = search_ranked(lead_list(user=AdminFactory()), "berg", limit=5)

    expected = [exact, prefix] + ([inside] if connection.vendor == "postgresql" else [])
    assert ranked == expected


@pytest.mark.postgres
def test_a_word_inside_a_company_name_is_found_through_the_trigram_index(liane):
    assert found("pharma") == {str(liane)}
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM leads_lead WHERE search_document LIKE %s", ["%pharma%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "leads_lead_search_trgm" in plan


def test_the_index_follows_every_change_in_the_same_transaction(db, either_way):
    admin = AdminFactory()
    lead = LeadFactory(last_name="Quist", company="", email="")
    lead.last_name = "Quastenberg"
    lead.save()
    assert found("quist", admin) == set()
    assert found("quasten", admin) == {str(lead)}

    with pytest.raises(RuntimeError), transaction.atomic():
        lead.last_name = "Rollback"
        lead.save()
        assert found("rollback", admin) == {str(lead)}
        raise RuntimeError
    assert found("rollback", admin) == set()

    lead.delete()
    assert found("quasten", admin) == set()


def test_a_save_of_some_fields_keeps_the_document(db, either_way):
    lead = LeadFactory(last_name="Quist", company="", email="")
    lead.status = "working"
    lead.save(update_fields=["status"])
    lead = Lead.objects.only("id", "last_name").get(pk=lead.pk)
    lead.last_name = "Ostrander"
    lead.save(update_fields=["last_name"])

    assert found("ostrander") == {str(lead)}


def test_rebuild_rewrites_every_document(db, either_way, capsys):
    lead = LeadFactory(last_name="Quist", company="", email="")
    Lead.objects.filter(pk=lead.pk).update(search_document=" stale ")
    assert found("quist") == set()

    call_command("search", "rebuild")

    assert found("quist") == {str(lead)}
    assert "lead" in capsys.readouterr().out


def test_rebuild_refuses_an_unknown_type(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="activity|nonsense"):
        call_command("search", "rebuild", "--type", "nonsense")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_the_index_comes_back_after_a_table_rebuild_drops_its_triggers(db):
    from vorsprung.search.schema import ensure_search_schema

    lead = LeadFactory(last_name="Quist", company="", email="")
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER leads_lead_fts_{suffix}")
    Lead.objects.filter(pk=lead.pk).update(search_document=" quenby ")

    ensure_search_schema(connection)

    assert found("quenby") == {str(lead)}
    lead.last_name = "Quorn"
    lead.save()
    assert found("quorn") == {str(lead)}
    assert found("quenby") == set()


@pytest.mark.postgres
def test_a_word_that_starts_many_records_is_not_looked_for_inside_words(db, monkeypatch):
    starts = LeadFactory(company="Pharmacia AB", last_name="Lund", email="")
    inside = LeadFactory(company="Nordpharma GmbH", last_name="Berg", email="")
    assert found("pharma") == {str(starts), str(inside)}

    monkeypatch.setattr(search, "WORD_MATCHES", 1)

    assert found("pharma") == {str(starts)}


@pytest.mark.parametrize("from_index", [0, 20000], ids=["walking", "through the index"])
def test_a_common_term_is_ranked_among_its_newest_matches(db, monkeypatch, from_index):
    older = LeadFactory(first_name="Anna", last_name="Bergmann", company="", email="")
    newer = [
        LeadFactory(first_name="Ola", last_name=f"Berg{n}", company="", email="") for n in range(3)
    ]
    # Every term counts as common; on PostgreSQL its newest matches are found by
    # walking the newest rows or through the full-text index.
    monkeypatch.setattr(search, "COMMON_MATCHES", 1)
    monkeypatch.setattr(search, "NEWEST_FROM_INDEX", from_index)
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)

    ranked = search_ranked(lead_list(user=AdminFactory()), "berg", limit=5)

    assert set(ranked) == set(newer[1:])
    assert older not in ranked


@pytest.mark.parametrize("threshold", [1, 5000], ids=["common", "rare"])
def test_ranked_results_match_every_word_of_the_term(db, monkeypatch, threshold):
    frida = LeadFactory(first_name="Frida", last_name="Chambers", company="", email="")
    LeadFactory(first_name="Carl", last_name="Chapman", company="", email="")
    monkeypatch.setattr(search, "COMMON_MATCHES", threshold)

    ranked = search_ranked(lead_list(user=AdminFactory()), "f cha", limit=5)

    assert ranked == [frida]


def _every_page(listing, ordering: str) -> list:
    seen, cursor = [], None
    while True:
        page = keyset_page(listing, ordering=ordering, cursor=cursor, limit=3)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize("ordering", ["-created_at", "last_name", "-company"])
def test_pages_of_matches_list_each_visible_match_once_in_order(db, either_way, ordering):
    rep = UserFactory(team=TeamFactory())
    mine = [
        LeadFactory(owner=rep, last_name=f"Vik{n % 4}", company=f"Firma {n % 3}", email="")
        for n in range(8)
    ]
    LeadFactory(owner=UserFactory(team=TeamFactory()), last_name="Vikane", email="")
    LeadFactory(owner=rep, last_name="Lund", company="Vikfjord AS", email="")
    LeadFactory(owner=rep, last_name="Lund", company="Bergen AS", email="")
    matching = [*mine, Lead.objects.get(company="Vikfjord AS")]
    sign = "-" if ordering.startswith("-") else ""

    listed = _every_page(lead_list(user=rep, filters={"q": "vik"}), ordering)

    expected = Lead.objects.filter(pk__in=[lead.pk for lead in matching])
    assert listed == list(expected.order_by(ordering, f"{sign}pk"))


@pytest.mark.postgres
def test_a_page_of_a_rare_term_is_read_from_the_rows_the_index_finds(db):
    for n in range(3):
        LeadFactory(last_name=f"Vikström{n}", email="")
    LeadFactory(last_name="Lund", email="")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = keyset_page(
            lead_list(user=AdminFactory(), filters={"q": "vikström"}),
            ordering="-created_at",
            cursor=None,
            limit=2,
        )

    assert [lead.last_name for lead in page.items] == ["Vikström2", "Vikström1"]
    keys = next(q["sql"] for q in captured.captured_queries if 'AS "pk"' in q["sql"])
    plan = _explained(keys)
    assert "leads_lead_search_fts" in plan
    assert "lead_created_keyset" not in plan


def _explained(sql: str) -> str:
    """The plan as a large table would get it, and with sorting made as costly as the
    planner misjudges walking an index in order to be: a query that lets it walk the
    ordering's index, testing every row, then does."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    return plan


@pytest.mark.postgres
def test_the_header_ranks_a_rare_term_among_the_rows_the_index_finds(db):
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        LeadFactory(last_name=f"Vikström{n}", email="")

    with CaptureQueriesContext(connection) as captured:
        ranked = search_ranked(lead_list(user=AdminFactory()), "vikström", limit=2)

    assert [lead.last_name for lead in ranked] == ["Vikström2", "Vikström1"]
    keys = next(q["sql"] for q in captured.captured_queries if 'AS "pk"' in q["sql"])
    plan = _explained(keys)
    assert "leads_lead_search_fts" in plan
    assert "lead_created_keyset" not in plan


@pytest.mark.postgres
def test_the_newest_matches_of_a_common_term_are_not_found_by_walking_every_row(db, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        LeadFactory(last_name=f"Vikström{n}", email="")
    monkeypatch.setattr(search, "COMMON_MATCHES", 1)

    with CaptureQueriesContext(connection) as captured:
        ranked = search_ranked(lead_list(user=AdminFactory()), "vikström", limit=5)

    assert len(ranked) == 3
    newest = next(q["sql"] for q in captured.captured_queries if "ORDER BY id DESC" in q["sql"])
    plan = _explained(newest)
    assert "leads_lead_search_fts" in plan
    assert "leads_lead_pkey" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
def test_rebuild_restores_an_index_that_lost_its_entries(db):
    lead = LeadFactory(last_name="Quist", company="", email="")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO leads_lead_fts(leads_lead_fts) VALUES ('delete-all')")
    assert found("quist") == set()

    call_command("search", "rebuild", "--type", "lead")

    assert found("quist") == {str(lead)}
    with connection.cursor() as cursor:
        # The triggers that keep it in step are back.
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'leads_lead'"
        )
        assert cursor.fetchone()[0] >= 3

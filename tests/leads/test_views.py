"""The lead pages: inbox, form, detail with status and qualification, bulk actions."""

import re

import pytest
from django.test import Client

from tests.factories import LeadFactory, TeamFactory, UserFactory
from tests.pages import page_text, seen_field
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import lead_convert

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Nord")


@pytest.fixture
def rep(team):
    return UserFactory(team=team, first_name="Rita", last_name="Rep")


@pytest.fixture
def web(client_for, rep):
    return client_for(rep)


# --- List -------------------------------------------------------------------------------


def test_list_shows_only_leads_the_user_may_see(web, rep, team):
    LeadFactory(owner=rep, last_name="Eigen")
    LeadFactory(owner=UserFactory(team=team), last_name="Kollege")
    LeadFactory(owner=UserFactory(team=TeamFactory()), last_name="Fremd")
    page = page_text(web.get("/leads/"))
    assert "Eigen" in page and "Kollege" in page
    assert "Fremd" not in page


def test_list_filters_by_status_and_search(web, rep):
    LeadFactory(owner=rep, last_name="Neumann", status="new")
    LeadFactory(owner=rep, last_name="Arbeiter", status="working")
    page = page_text(web.get("/leads/", {"status": "working"}))
    assert "Arbeiter" in page and "Neumann" not in page
    page = page_text(web.get("/leads/", {"q": "Neum"}))
    assert "Neumann" in page and "Arbeiter" not in page


def test_list_remembers_the_last_filters_until_cleared(web, rep):
    LeadFactory(owner=rep, last_name="Arbeiter", status="working")
    web.get("/leads/", {"status": "working", "q": "Arb"})
    response = web.get("/leads/")
    assert response.status_code == 302
    assert response["Location"] == "/leads/?status=working&q=Arb"
    assert web.get("/leads/", {"reset": "1"})["Location"] == "/leads/"
    assert web.get("/leads/").status_code == 200


def test_htmx_filter_returns_only_the_results(web, rep):
    LeadFactory(owner=rep, last_name="Teil")
    response = web.get("/leads/", {"q": "Teil"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Teil" in body
    assert '<nav class="navbar' not in body


def test_list_pages_with_a_cursor(web, rep):
    for n in range(55):
        LeadFactory(owner=rep, last_name=f"Person{n:02d}")
    first = web.get("/leads/").content.decode()
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = page_text(web.get("/leads/" + next_link))
    assert "Person00" in second  # oldest last
    assert "Person54" not in second
    assert "First page" in second


def test_a_broken_cursor_shows_the_first_page_with_a_message(web, rep):
    LeadFactory(owner=rep, last_name="Erste")
    page = page_text(web.get("/leads/", {"cursor": "not-a-cursor"}))
    assert "This cursor is not valid; start again from the first page." in page
    assert "Erste" in page


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows(web, rep, rows, django_assert_num_queries):
    for _ in range(rows):
        LeadFactory(owner=rep)
    web.get("/leads/?status=new")  # session and saved filters settled
    with django_assert_num_queries(9):
        response = web.get("/leads/?status=new")
    assert response.status_code == 200


# --- Create and edit --------------------------------------------------------------------


def test_create_shows_field_errors_and_writes_nothing(web):
    response = web.post(
        "/leads/new/", {"first_name": "Ohne", "email": "not-an-address", "source": "referral"}
    )
    assert response.status_code == 422
    page = page_text(response)
    assert "Enter a valid email address." in page
    assert not Lead.objects.exists()


def test_create_needs_a_last_name_or_an_e_mail(web, rep):
    response = web.post("/leads/new/", {"first_name": "Nur", "source": "referral", "owner": rep.pk})
    assert response.status_code == 422
    assert "A lead needs at least a last name or an e-mail address." in page_text(response)
    assert not Lead.objects.exists()


def test_create_lands_on_the_new_lead(web, rep):
    response = web.post(
        "/leads/new/",
        {
            "first_name": "Nora",
            "last_name": "Nilsen",
            "email": "nora@fjord.example",
            "phone": "0621 7182055",
            "company": "Fjord AS",
            "source": "trade_show",
            "owner": rep.pk,
        },
    )
    lead = Lead.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/leads/{lead.pk}/"
    assert (lead.owner, lead.phone, lead.status) == (rep, "+496217182055", "new")
    page = page_text(web.get(response["Location"]))
    assert "Nora Nilsen" in page and "+49 621 7182055" in page


def test_htmx_create_redirects_with_hx_redirect(web, rep):
    response = web.post(
        "/leads/new/",
        {"last_name": "Htmx", "source": "other", "owner": rep.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/leads/{Lead.objects.get().pk}/"


def test_edit_refuses_a_field_someone_else_changed(web, rep):
    lead = LeadFactory(owner=rep, last_name="Alt")
    seen = seen_field(web.get(f"/leads/{lead.pk}/edit/"))
    Lead.objects.filter(pk=lead.pk).update(last_name="Anders", version=lead.version + 1)
    response = web.post(
        f"/leads/{lead.pk}/edit/",
        {"last_name": "Neu", "source": "other", "seen": seen, "owner": rep.pk},
    )
    assert response.status_code == 422
    assert (
        "Someone else changed “Last name” since you opened this form. Reload it and apply "
        "your change again."
    ) in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).last_name == "Anders"


def test_edit_saves(web, rep):
    lead = LeadFactory(owner=rep, last_name="Alt")
    seen = seen_field(web.get(f"/leads/{lead.pk}/edit/"))
    response = web.post(
        f"/leads/{lead.pk}/edit/",
        {"last_name": "Neu", "source": "other", "seen": seen, "owner": rep.pk},
    )
    assert response.status_code == 303
    assert Lead.objects.get(pk=lead.pk).last_name == "Neu"


# --- Detail and permissions -------------------------------------------------------------


def test_a_rep_cannot_open_another_teams_lead_by_url(web):
    other = LeadFactory(owner=UserFactory(team=TeamFactory()))
    for url in (
        f"/leads/{other.pk}/",
        f"/leads/{other.pk}/edit/",
        f"/leads/{other.pk}/convert/",
    ):
        assert web.get(url).status_code == 404
    assert web.post(f"/leads/{other.pk}/status/", {"status": "working"}).status_code == 404
    assert Lead.objects.get(pk=other.pk).status == "new"


def test_pages_need_a_login():
    lead = LeadFactory()
    response = Client().get(f"/leads/{lead.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/leads/{lead.pk}/"


def test_posts_without_csrf_token_are_refused(client_for, rep):
    lead = LeadFactory(owner=rep)
    client = client_for(rep, enforce_csrf_checks=True)
    response = client.post(f"/leads/{lead.pk}/status/", {"status": "working"})
    assert response.status_code == 403
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_detail_shows_the_checklist_and_the_next_moves(web, rep):
    lead = LeadFactory(owner=rep, need_confirmed=True, need="New CRM for 40 people")
    body = web.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-item="need" data-done="true"' in body
    assert 'data-item="budget" data-done="false"' in body
    assert "3 items missing" in page_text(web.get(f"/leads/{lead.pk}/"))
    assert 'data-move="working"' in body
    assert 'data-move="nurturing"' not in body


def test_a_converted_lead_shows_what_it_became_read_only(web, rep):
    lead = LeadFactory(owner=rep, company="Wurde AG")
    result = lead_convert(actor=rep, lead=lead, accept_qualification_gaps=True)
    page = web.get(f"/leads/{lead.pk}/").content.decode()
    assert f"/contacts/{result.contact.pk}/" in page
    assert f"/organizations/{result.organization.pk}/" in page
    assert f"/opportunities/{result.opportunity.pk}/" in page
    assert "read-only" in page
    assert f"/leads/{lead.pk}/edit/" not in page
    assert web.get(f"/leads/{lead.pk}/edit/").status_code == 302


# --- Status -----------------------------------------------------------------------------


def test_an_allowed_move_changes_the_status_and_writes_history(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(f"/leads/{lead.pk}/status/", {"status": "working"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/leads/{lead.pk}/"
    assert Lead.objects.get(pk=lead.pk).status == "working"
    assert Change.objects.filter(record_id=lead.pk, new_value="working").exists()


def test_a_disallowed_move_answers_with_the_reason(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        f"/leads/{lead.pk}/status/", {"status": "nurturing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert response.content.decode() == (
        "A lead cannot move from “New” to “Nurturing”. Allowed from here: Working, Unqualified."
    )
    assert "X-Error-Message" in response
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_disqualifying_needs_a_reason(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        f"/leads/{lead.pk}/status/", {"status": "unqualified"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert response.content.decode() == "Say why the lead is unqualified."
    web.post(
        f"/leads/{lead.pk}/status/",
        {"status": "unqualified", "reason_choice": "No budget", "reason": "frozen until 2028"},
    )
    lead.refresh_from_db()
    assert (lead.status, lead.disqualification_reason) == (
        "unqualified",
        "No budget: frozen until 2028",
    )


def test_reopen_brings_an_unqualified_lead_back(web, rep):
    lead = LeadFactory(owner=rep, status="unqualified", disqualification_reason="Spam")
    assert "reopen-button" in web.get(f"/leads/{lead.pk}/").content.decode()
    web.post(f"/leads/{lead.pk}/status/", {"status": "working"})
    assert Lead.objects.get(pk=lead.pk).status == "working"


# --- Qualification ----------------------------------------------------------------------


def test_saving_the_qualification_updates_the_checklist(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        f"/leads/{lead.pk}/qualification/",
        {
            "seen": seen_field(web.get(f"/leads/{lead.pk}/")),
            "need": "Replace spreadsheets",
            "need_confirmed": "on",
            "budget_amount": "25000",
            "budget_currency": "EUR",
            "budget_confirmed": "on",
            "is_decision_maker": "true",
            "expected_decision_date": "2031-03-31",
        },
    )
    assert response.status_code == 200
    assert "Qualification saved." in page_text(response)
    assert response.content.decode().count('data-done="true"') == 4
    assert Lead.objects.get(pk=lead.pk).qualification_gaps == []


QUALIFIED = {
    "need": "Replace spreadsheets",
    "need_confirmed": "on",
    "budget_amount": "25000",
    "budget_currency": "EUR",
}


def test_the_qualification_saves_after_logging_an_activity_and_again_after_that(web, rep):
    """Logging a meeting moves the lead to working (a new version); the qualification form
    opened before edits none of what changed, so it saves, and the form it comes back
    with saves again."""
    lead = LeadFactory(owner=rep, status="new")
    seen = seen_field(web.get(f"/leads/{lead.pk}/"))
    logged = web.post(
        f"/timeline/lead/{lead.pk}/log/",
        {"kind": "meeting", "subject": "Kick-off", "direction": "outbound"},
        HTTP_HX_REQUEST="true",
    )
    assert logged.status_code == 200
    assert Lead.objects.get(pk=lead.pk).status == "working"
    response = web.post(f"/leads/{lead.pk}/qualification/", {**QUALIFIED, "seen": seen})
    assert response.status_code == 200, page_text(response)
    assert "Qualification saved." in page_text(response)
    again = web.post(
        f"/leads/{lead.pk}/qualification/",
        {**QUALIFIED, "budget_amount": "30000", "seen": seen_field(response)},
    )
    assert again.status_code == 200, page_text(again)
    assert Lead.objects.get(pk=lead.pk).budget_amount == 30000


def test_the_qualification_refuses_a_field_someone_else_changed_naming_it(web, rep):
    lead = LeadFactory(owner=rep, need="")
    seen = seen_field(web.get(f"/leads/{lead.pk}/"))
    Lead.objects.filter(pk=lead.pk).update(need="Theirs")
    response = web.post(f"/leads/{lead.pk}/qualification/", {**QUALIFIED, "seen": seen})
    assert response.status_code == 422
    assert "Someone else changed “Need” since you opened this form." in page_text(response)
    assert Lead.objects.get(pk=lead.pk).need == "Theirs"


def test_a_damaged_form_state_is_refused(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(f"/leads/{lead.pk}/qualification/", {**QUALIFIED, "seen": "forged"})
    assert response.status_code == 422
    assert "The form is damaged; reload the page." in page_text(response)


def test_a_bad_qualification_value_is_shown_beside_the_field(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        f"/leads/{lead.pk}/qualification/",
        {
            "seen": seen_field(web.get(f"/leads/{lead.pk}/")),
            "budget_amount": "-5",
            "budget_currency": "EUR",
        },
    )
    assert response.status_code == 422
    assert 'id="id_budget_amount_error"' in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).budget_amount is None


# --- Bulk -------------------------------------------------------------------------------


def test_bulk_assign_owner(web, rep, team):
    mate = UserFactory(team=team)
    leads = [LeadFactory(owner=rep) for _ in range(3)]
    response = web.post(
        "/leads/bulk/", {"action": "assign", "owner": mate.pk, "leads": [x.pk for x in leads]}
    )
    assert response.status_code == 303
    assert set(Lead.objects.values_list("owner", flat=True)) == {mate.pk}


def test_bulk_refusal_names_the_lead_and_changes_nothing(web, rep):
    first = LeadFactory(owner=rep, first_name="Erst", last_name="Aaa", company="")
    refused = LeadFactory(
        owner=rep, first_name="Zweit", last_name="Bbb", company="", status="unqualified"
    )
    response = web.post(
        "/leads/bulk/",
        {"action": "status", "status": "nurturing", "leads": [first.pk, refused.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert response.content.decode().startswith("Nothing was changed: Erst Aaa — ")
    assert set(Lead.objects.values_list("status", flat=True)) == {"new", "unqualified"}


def test_bulk_disqualify_uses_the_reason(web, rep):
    leads = [LeadFactory(owner=rep) for _ in range(2)]
    web.post(
        "/leads/bulk/",
        {"action": "disqualify", "reason_choice": "Duplicate", "leads": [x.pk for x in leads]},
    )
    assert set(Lead.objects.values_list("status", "disqualification_reason")) == {
        ("unqualified", "Duplicate")
    }


def test_bulk_cannot_touch_leads_the_user_may_not_see(web, rep):
    mine = LeadFactory(owner=rep)
    hidden = LeadFactory(owner=UserFactory(team=TeamFactory()))
    response = web.post(
        "/leads/bulk/",
        {"action": "disqualify", "reason": "x", "leads": [mine.pk, hidden.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert set(Lead.objects.values_list("status", flat=True)) == {"new"}


def test_bulk_acts_on_every_lead_matching_the_filters(web, rep):
    working = LeadFactory.create_batch(3, owner=rep, status="working", source="referral")
    other = LeadFactory(owner=rep, status="working", source="web_form")
    hidden = LeadFactory(owner=UserFactory(team=TeamFactory()), status="working", source="referral")
    page = web.get("/leads/", {"status": "working", "source": "referral"}).content.decode()
    filters = re.search(r'name="filters" value="([^"]*)"', page).group(1)

    response = web.post(
        "/leads/bulk/",
        {
            "action": "disqualify",
            "reason": "Went with a competitor",
            "all_matching": "on",
            "filters": filters.replace("&amp;", "&"),
        },
    )

    assert response.status_code == 303
    assert {lead.status for lead in Lead.objects.filter(pk__in=[x.pk for x in working])} == {
        "unqualified"
    }
    assert Lead.objects.get(pk=other.pk).status == "working"
    assert Lead.objects.get(pk=hidden.pk).status == "working"


def test_bulk_on_matching_leads_refuses_more_than_the_limit(web, rep, monkeypatch):
    monkeypatch.setattr("vorsprung.leads.selectors.LEAD_BULK_MAX", 2)
    LeadFactory.create_batch(3, owner=rep)

    response = web.post(
        "/leads/bulk/",
        {"action": "status", "status": "working", "all_matching": "on", "filters": "status=new"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert response.content.decode() == (
        "More than 2 leads match these filters; narrow them and repeat, at most 2 at once."
    )
    assert set(Lead.objects.values_list("status", flat=True)) == {"new"}


def test_bulk_without_selection_says_so(web):
    response = web.post("/leads/bulk/", {"action": "assign", "owner": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Select at least one lead." in response.content.decode()


def test_the_form_offers_the_rep_as_owner_and_requires_one(web, rep):
    body = web.get("/leads/new/").content.decode()
    assert re.search(rf'<option value="{rep.pk}" selected>', body)
    response = web.post("/leads/new/", {"last_name": "Ohne", "source": "other", "owner": ""})
    assert response.status_code == 422
    assert 'id="id_owner_error">This field is required.' in response.content.decode()
    assert not Lead.objects.exists()


def test_bulk_assign_refuses_an_owner_the_user_may_not_assign(web, rep):
    lead = LeadFactory(owner=rep)
    outsider = UserFactory(team=TeamFactory())
    response = web.post(
        "/leads/bulk/",
        {"action": "assign", "owner": outsider.pk, "leads": [lead.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).owner == rep

"""``next`` never leads off the site: every view that takes it asks ``safe_next``."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import LeadFactory, OpportunityFactory, UserFactory, stage_named
from vorsprung.ui.pages import safe_next

pytestmark = pytest.mark.django_db

EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("url", EVIL)
def test_a_next_on_another_site_gives_the_default(url):
    request = RequestFactory().post("/x/", {"next": url})
    assert safe_next(request, "/home/") == "/home/"


@pytest.mark.parametrize("url", ["/leads/?status=new", "http://testserver/board/"])
def test_a_next_on_this_site_is_kept(url):
    request = RequestFactory().post("/x/", {"next": url})
    assert safe_next(request, "/home/") == url


@pytest.fixture
def rep():
    return UserFactory()


@pytest.fixture
def web(client_for, rep):
    return client_for(rep)


def test_lead_bulk_does_not_redirect_to_another_site(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        "/leads/bulk/",
        {"action": "assign", "owner": rep.pk, "leads": [lead.pk], "next": EVIL[0]},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("leads:list")


def test_lead_bulk_keeps_a_next_on_this_site(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        "/leads/bulk/",
        {"action": "assign", "owner": rep.pk, "leads": [lead.pk], "next": "/leads/?q=x"},
    )
    assert response["Location"] == "/leads/?q=x"


def test_a_refused_lead_bulk_does_not_redirect_to_another_site(web, rep):
    lead = LeadFactory(owner=rep, status="unqualified")
    response = web.post(
        "/leads/bulk/",
        {"action": "status", "status": "nurturing", "leads": [lead.pk], "next": EVIL[0]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:list")


def test_htmx_lead_bulk_does_not_send_htmx_to_another_site(web, rep):
    lead = LeadFactory(owner=rep)
    response = web.post(
        "/leads/bulk/",
        {"action": "assign", "owner": rep.pk, "leads": [lead.pk], "next": EVIL[0]},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == reverse("leads:list")


def test_stage_move_does_not_redirect_to_another_site(web, rep):
    opportunity = OpportunityFactory(owner=rep, organization__owner=rep)
    response = web.post(
        reverse("sales:opportunity_stage", args=[opportunity.pk]),
        {"stage": stage_named("Negotiation").pk, "next": EVIL[0]},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opportunity.pk])


def test_language_does_not_redirect_to_another_site(web):
    response = web.post("/language/", {"language": "de", "next": "//evil.example/"})
    assert response["Location"] == "/"

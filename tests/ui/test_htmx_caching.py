"""Partial responses are never cached as the page: every page varies on the htmx
headers, and an htmx response is not stored."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_varies_on_the_htmx_headers(client_for):
    response = client_for(UserFactory()).get("/leads/")
    assert "HX-Request" in response["Vary"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_htmx_response_is_not_stored(client_for):
    response = client_for(UserFactory()).get("/leads/?q=x", HTTP_HX_REQUEST="true")
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]


def test_a_history_restore_gets_the_whole_page(client_for):
    response = client_for(UserFactory()).get(
        "/leads/?q=x", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<nav" in response.content.decode()

"""Schemathesis against our own OpenAPI document: every operation of /api/v1/, called with
generated valid and invalid input, answers without a server error and exactly as the
document says (status code, content type, body)."""

import hypothesis
import pytest
import schemathesis
from django.apps import apps
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import override_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ActivityFactory,
    AdminFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
)
from vorsprung.accounts.tokens import api_token_create
from vorsprung.wsgi import application

# Schemathesis sends WSGI requests to "localhost" and ASGI ones to "testserver".
HOSTS = ["localhost", "testserver"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
APPS = ("accounts", "customers", "leads", "sales", "activities")

with override_settings(ALLOWED_HOSTS=HOSTS):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def restart_sequences() -> None:
    """Restart the id sequences at the lowest free id, so that on PostgreSQL too (whose
    sequences ignore rollbacks) the seeded records get small ids like 1 that generated
    paths hit."""
    models = [model for label in APPS for model in apps.get_app_config(label).get_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def keep_connection():
    """Requests through WSGI end with Django closing the database connection, which would
    roll back the test's transaction on PostgreSQL; Django's test client unhooks this too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db, settings, keep_connection):
    """An administrator's API token, and one record of each kind for generated ids to hit."""
    settings.ALLOWED_HOSTS = HOSTS
    restart_sequences()
    admin = AdminFactory()
    organization = OrganizationFactory(owner=admin)
    ContactFactory(organization=organization, owner=admin)
    lead = LeadFactory(owner=admin)
    OpportunityFactory(organization=organization, owner=admin)
    ActivityFactory(lead=lead, owner=admin)
    _, token = api_token_create(actor=None, user=admin)
    return token


@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
)
def test_api_conforms_to_its_openapi_document(case, admin_token):
    """Each operation gets the explicit examples, the coverage cases (boundaries and
    invalid values) and up to 15 generated requests, the same ones on every run."""
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)

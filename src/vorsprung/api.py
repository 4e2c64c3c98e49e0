"""The REST API, version 1: /api/v1/ with its OpenAPI document and interactive docs."""

from django.urls import re_path
from ninja import NinjaAPI

from vorsprung.accounts.api import teams, tokens, users
from vorsprung.accounts.authentication import api_auth
from vorsprung.activities.api import router as activities
from vorsprung.core.api.problems import (
    document_problem_responses,
    install_problem_handlers,
    no_such_endpoint,
)
from vorsprung.customers.api import contacts, organizations
from vorsprung.leads.api import conversion_policy, disqualification_reasons
from vorsprung.leads.api import router as leads
from vorsprung.sales.api import exchange_rates, lost_reasons, opportunities, pipelines


class VorsprungAPI(NinjaAPI):
    """Ninja's API with problem details all the way: documented with their own media type,
    and sent for paths under the API that name no endpoint."""

    def get_openapi_schema(self, **kwargs):
        return document_problem_responses(super().get_openapi_schema(**kwargs))

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return [*patterns, re_path(r"^", no_such_endpoint)], app_name, namespace


api = VorsprungAPI(
    title="Vorsprung API",
    version="1",
    description=(
        "Every record and business operation of Vorsprung. Authenticate with a personal "
        "token (`Authorization: Bearer …`) or a browser session with its CSRF token. Errors "
        "are RFC 9457 problem details. Lists are cursor-paginated: follow `next`."
    ),
    urls_namespace="api-v1",
    auth=api_auth(),
)
install_problem_handlers(api)

api.add_router("/leads", leads)
api.add_router("/contacts", contacts)
api.add_router("/organizations", organizations)
api.add_router("/opportunities", opportunities)
api.add_router("/activities", activities)
api.add_router("/pipelines", pipelines)
api.add_router("/exchange-rates", exchange_rates)
api.add_router("/users", users)
api.add_router("/teams", teams)
api.add_router("/tokens", tokens)
api.add_router("/lost-reasons", lost_reasons)
api.add_router("/disqualification-reasons", disqualification_reasons)
api.add_router("/conversion-policy", conversion_policy)

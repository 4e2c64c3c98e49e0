"""The REST API, version 1: /api/v1/ with its OpenAPI document and interactive docs."""

from ninja import NinjaAPI

from vorsprung.accounts.api import teams, users
from vorsprung.activities.api import router as activities
from vorsprung.core.api.auth import api_auth
from vorsprung.core.api.problems import install_problem_handlers
from vorsprung.customers.api import contacts, organizations
from vorsprung.leads.api import router as leads
from vorsprung.sales.api import opportunities, pipelines

api = NinjaAPI(
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
api.add_router("/users", users)
api.add_router("/teams", teams)

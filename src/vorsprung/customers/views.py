"""Pages for organizations and contacts: lists, details, create and edit forms. Views
translate the request into selector and service calls and the result into HTML."""

import contextlib

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vorsprung.customers import selectors, services
from vorsprung.customers.choices import LIFECYCLE_COLOURS, Industry, Lifecycle
from vorsprung.customers.filtersets import ContactFilterSet, OrganizationFilterSet
from vorsprung.customers.forms import (
    MAX_ID,
    ContactForm,
    OrganizationForm,
)
from vorsprung.customers.models import Organization
from vorsprung.ui.forms import FilterForm, refusals_onto
from vorsprung.ui.htmx import redirect_to, render_page
from vorsprung.ui.pages import page_or_first, record_or_404

PAGE_SIZE = 50
# Related rows a detail page shows; the count beside them says how many there are.
DETAIL_ROWS = 20
SUGGESTIONS = 20


def _id_param(value: str | None) -> int | None:
    """A record id from the query string, or None for anything else."""
    if value and value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def _list_response(request: HttpRequest, template: str, partial: str, context: dict):
    response = render_page(request, template, partial, context)
    # The same URL answers with a page or a fragment; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form_response(request, template: str, partial: str, context: dict) -> HttpResponse:
    """The form page, or for htmx the form alone; 422 when a submitted form has errors."""
    status = 422 if request.method == "POST" else 200
    return render_page(request, template, partial, context, status=status)


# --- organizations ------------------------------------------------------------------------


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganizationFilterSet(request.GET or None, user=request.user, form=FilterForm)
    form = filterset.form
    organizations = selectors.organization_list(user=request.user, filters=filterset.values())
    page, cursor_error = page_or_first(
        organizations,
        ordering=filterset.chosen_ordering(),
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    # Labels translated once per page, not once per row (get_FOO_display hashes every
    # choice on each call).
    industries = {value: str(label) for value, label in Industry.choices}
    lifecycles = {value: str(label) for value, label in Lifecycle.choices}
    for organization in page.items:
        organization.industry_label = industries.get(organization.industry, "")
        organization.lifecycle_label = lifecycles.get(organization.lifecycle, "")
        organization.lifecycle_colour = LIFECYCLE_COLOURS.get(organization.lifecycle, "secondary")
    context = {"form": form, "page": page, "cursor_error": cursor_error}
    return _list_response(
        request,
        "customers/organization_list.html",
        "customers/partials/organization_table.html",
        context,
    )


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = record_or_404(selectors.organization_get, user=request.user, pk=pk)
    organization.lifecycle_colour = LIFECYCLE_COLOURS.get(organization.lifecycle, "secondary")
    contacts = (
        selectors.contact_list(user=request.user, filters={"organization": [organization.pk]})
        .select_related(None)
        .order_by("last_name", "first_name", "id")
    )
    context = {
        "organization": organization,
        "contacts": list(contacts[:DETAIL_ROWS]),
        "contact_count": contacts.count(),
    }
    return render(request, "customers/organization_detail.html", context)


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_onto(form):
            organization = services.organization_create(actor=request.user, **form.service_data())
        if not form.errors:
            messages.success(
                request, _("Organization “%(name)s” created.") % {"name": organization.name}
            )
            return redirect_to(
                reverse("customers:organization_detail", args=[organization.pk]), request
            )
    return _form_response(
        request,
        "customers/organization_form.html",
        "customers/partials/organization_form.html",
        {"form": form, "organization": None},
    )


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = record_or_404(selectors.organization_get, user=request.user, pk=pk)
    form = OrganizationForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        instance=organization,
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        lifecycle = data.pop("lifecycle")
        # The lifecycle has its own service (it records the move); both changes stand
        # or fall together.
        with refusals_onto(form), transaction.atomic():
            updated = services.organization_update(
                actor=request.user,
                organization=organization,
                seen=form.seen_values(),
                **data,
            )
            if lifecycle != updated.lifecycle:
                services.organization_change_lifecycle(
                    actor=request.user, organization=updated, lifecycle=lifecycle
                )
        if not form.errors:
            messages.success(request, _("Organization “%(name)s” saved.") % {"name": updated.name})
            return redirect_to(
                reverse("customers:organization_detail", args=[organization.pk]), request
            )
    return _form_response(
        request,
        "customers/organization_form.html",
        "customers/partials/organization_form.html",
        {"form": form, "organization": organization},
    )


@require_GET
def organization_suggestions(request: HttpRequest) -> HttpResponse:
    """At most 20 organizations whose name or domain starts with what was typed, for
    the organization picker of the contact form: the most recently changed ones, in
    alphabetical order. (Asking the database for the first 20 by name makes it walk
    the name index from "A" to the matches — 200 ms and more for "Sch".)"""
    term = (request.GET.get("organization_search") or request.GET.get("q") or "").strip()
    organizations = []
    if term:
        organizations = sorted(
            selectors.organization_list(user=request.user, filters={"q": term})
            .select_related(None)
            .only("id", "name", "city", "country")
            .order_by("-updated_at", "-id")[:SUGGESTIONS],
            key=lambda organization: (organization.name.casefold(), organization.pk),
        )
    context = {"organizations": organizations, "term": term}
    return render(request, "customers/partials/organization_suggestions.html", context)


# --- contacts -----------------------------------------------------------------------------


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    filterset = ContactFilterSet(request.GET or None, user=request.user, form=FilterForm)
    form = filterset.form
    filters = filterset.values()
    organization_id = filters.get("organization", [None])[0]
    organization = None
    if organization_id:
        with contextlib.suppress(Organization.DoesNotExist):
            organization = selectors.organization_get(user=request.user, id=organization_id)
    contacts = selectors.contact_list(user=request.user, filters=filters)
    page, cursor_error = page_or_first(
        contacts,
        ordering=filterset.chosen_ordering(),
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": page,
        "cursor_error": cursor_error,
        "filter_organization": organization,
        "filter_organization_id": organization_id,
    }
    return _list_response(
        request, "customers/contact_list.html", "customers/partials/contact_table.html", context
    )


@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = record_or_404(selectors.contact_get, user=request.user, pk=pk)
    # Its opportunities are loaded by the page from the sales app (sales sits above).
    return render(request, "customers/contact_detail.html", {"contact": contact})


@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    organization_id = _id_param(request.GET.get("organization"))
    if request.method == "GET" and organization_id:
        # "Add contact" on an organization's page starts with that organization.
        with contextlib.suppress(Organization.DoesNotExist):
            initial["organization"] = selectors.organization_get(
                user=request.user, id=organization_id
            )
    form = ContactForm(
        request.POST if request.method == "POST" else None, actor=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with refusals_onto(form):
            contact = services.contact_create(actor=request.user, **form.service_data())
        if not form.errors:
            messages.success(request, _("Contact “%(name)s” created.") % {"name": contact})
            return redirect_to(reverse("customers:contact_detail", args=[contact.pk]), request)
    return _form_response(
        request,
        "customers/contact_form.html",
        "customers/partials/contact_form.html",
        {"form": form, "contact": None},
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = record_or_404(selectors.contact_get, user=request.user, pk=pk)
    form = ContactForm(
        request.POST if request.method == "POST" else None, actor=request.user, instance=contact
    )
    if request.method == "POST" and form.is_valid():
        with refusals_onto(form):
            updated = services.contact_update(
                actor=request.user,
                contact=contact,
                seen=form.seen_values(),
                **form.service_data(),
            )
        if not form.errors:
            messages.success(request, _("Contact “%(name)s” saved.") % {"name": updated})
            return redirect_to(reverse("customers:contact_detail", args=[contact.pk]), request)
    return _form_response(
        request,
        "customers/contact_form.html",
        "customers/partials/contact_form.html",
        {"form": form, "contact": contact},
    )

from django.contrib import admin

from vorsprung.accounts.permissions import owner_choices
from vorsprung.core.admin import ServiceAdmin
from vorsprung.customers import selectors, services
from vorsprung.customers.models import Contact, Organization


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    create_service = services.organization_create
    update_service = services.organization_update
    delete_service = services.organization_delete
    list_selector = selectors.organization_list
    choices_for = {"owner": owner_choices}
    service_fields = services.ORGANIZATION_FIELDS
    list_display = ("name", "domain", "industry", "size_band", "country", "lifecycle", "owner")
    list_filter = ("lifecycle", "industry", "size_band", "country")
    search_fields = ("name", "domain")
    readonly_fields = ("lifecycle", "domain", "created_at", "updated_at", "version")
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    show_full_result_count = False


@admin.register(Contact)
class ContactAdmin(ServiceAdmin):
    create_service = services.contact_create
    update_service = services.contact_update
    delete_service = services.contact_delete
    list_selector = selectors.contact_list
    choices_for = {
        "organization": lambda user: selectors.organization_list(user=user),
        "owner": owner_choices,
    }
    service_fields = services.CONTACT_FIELDS
    list_display = ("__str__", "email", "phone", "job_title", "organization", "owner")
    list_filter = ("is_decision_maker", "do_not_call", "email_opt_out")
    search_fields = ("last_name", "first_name", "email")
    readonly_fields = ("created_at", "updated_at", "version")
    autocomplete_fields = ("organization", "owner")
    list_select_related = ("organization", "owner")
    show_full_result_count = False

from django.contrib import admin

from vorsprung.core.admin import ServiceAdmin
from vorsprung.customers import services
from vorsprung.customers.models import Contact, Organization


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    create_service = services.organization_create
    update_service = services.organization_update
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
    service_fields = services.CONTACT_FIELDS
    list_display = ("__str__", "email", "phone", "job_title", "organization", "owner")
    list_filter = ("is_decision_maker", "do_not_call", "email_opt_out")
    search_fields = ("last_name", "first_name", "email")
    readonly_fields = ("created_at", "updated_at", "version")
    autocomplete_fields = ("organization", "owner")
    list_select_related = ("organization", "owner")
    show_full_result_count = False

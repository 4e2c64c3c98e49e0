from django.contrib import admin

from vorsprung.accounts.permissions import owner_choices
from vorsprung.core.admin import ServiceAdmin
from vorsprung.leads import selectors, services
from vorsprung.leads.choices import LeadStatus
from vorsprung.leads.models import Lead


@admin.register(Lead)
class LeadAdmin(ServiceAdmin):
    create_service = services.lead_create
    update_service = services.lead_update
    delete_service = services.lead_delete
    list_selector = selectors.lead_list
    choices_for = {"owner": owner_choices}
    service_fields = services.LEAD_FIELDS
    list_display = (
        "__str__",
        "email",
        "company",
        "status",
        "source",
        "owner",
        "score",
        "created_at",
    )
    list_filter = ("status", "source", "industry", "country")
    search_fields = ("last_name", "email", "company")
    readonly_fields = (
        "status",
        "disqualification_reason",
        "domain",
        "score",
        "conversion_probability",
        "converted_at",
        "converted_contact",
        "converted_organization",
        "converted_opportunity",
        "created_at",
        "updated_at",
        "version",
    )
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    actions = ["mark_working", "reopen"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        # A converted lead is read-only everywhere, the admin included.
        if obj is not None and obj.status == LeadStatus.CONVERTED:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Move selected leads to Working")
    def mark_working(self, request, queryset):
        done = self._call(request, services.lead_change_status, queryset, status=LeadStatus.WORKING)
        self.message_user(request, f"{done} leads moved to Working.")

    @admin.action(description="Reopen selected unqualified leads")
    def reopen(self, request, queryset):
        done = self._call(request, services.lead_reopen, queryset)
        self.message_user(request, f"{done} leads reopened.")

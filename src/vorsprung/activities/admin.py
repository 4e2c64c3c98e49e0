from django.contrib import admin

from vorsprung.activities import services
from vorsprung.activities.models import Activity
from vorsprung.core.admin import ServiceAdmin


@admin.register(Activity)
class ActivityAdmin(ServiceAdmin):
    create_service = services.activity_create
    update_service = services.activity_update
    service_fields = services.ACTIVITY_FIELDS
    list_display = ("subject", "kind", "direction", "occurred_at", "due_at", "done", "owner")
    list_filter = ("kind", "direction", "done")
    search_fields = ("subject",)
    raw_id_fields = ("lead", "contact", "organization", "opportunity")
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    readonly_fields = ("done_at", "created_at", "updated_at", "version")
    show_full_result_count = False

from django.contrib import admin

from vorsprung.activities import services
from vorsprung.activities.models import Activity, StateChange
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


@admin.register(StateChange)
class StateChangeAdmin(admin.ModelAdmin):
    list_display = (
        "record_type",
        "record_id",
        "field",
        "from_label",
        "to_label",
        "actor",
        "changed_at",
    )
    list_filter = ("record_type", "field")
    list_select_related = ("actor",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

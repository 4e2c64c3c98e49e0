from django.contrib import admin

from vorsprung.history.models import Change
from vorsprung.history.selectors import history_visible


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The history is append-only: the admin shows it and changes nothing."""

    list_display = ("record_type", "record_id", "action", "field", "actor", "door", "at")
    list_filter = ("record_type", "action", "door")
    search_fields = ("=record_id", "field")
    list_select_related = ("actor",)
    show_full_result_count = False

    def get_queryset(self, request):
        # Staff who are not administrators read the history of what they may see only.
        return history_visible(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

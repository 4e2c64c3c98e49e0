from django.contrib import admin

from vorsprung.accounts.permissions import owner_choices
from vorsprung.activities import selectors, services
from vorsprung.activities.models import Activity
from vorsprung.core.admin import ServiceAdmin
from vorsprung.core.records import record_kind


def _visible(record_type: str):
    """The records of ``record_type`` a user may link an activity to, read through the
    registry (their apps sit above this one)."""
    return lambda user: record_kind(record_type).list(user=user)


@admin.register(Activity)
class ActivityAdmin(ServiceAdmin):
    create_service = services.activity_create
    update_service = services.activity_update
    delete_service = services.activity_delete
    list_selector = selectors.activity_list
    choices_for = {
        "owner": owner_choices,
        **{link: _visible(link) for link in services.LINKS},
    }
    service_fields = services.ACTIVITY_FIELDS
    list_display = ("subject", "kind", "direction", "occurred_at", "due_at", "done", "owner")
    list_filter = ("kind", "direction", "done")
    search_fields = ("subject",)
    raw_id_fields = ("lead", "contact", "organization", "opportunity")
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    readonly_fields = ("done_at", "created_at", "updated_at", "version")
    show_full_result_count = False

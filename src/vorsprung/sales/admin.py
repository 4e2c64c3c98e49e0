from django.contrib import admin

from vorsprung.core.admin import ServiceAdmin
from vorsprung.sales import selectors, services
from vorsprung.sales.models import Opportunity, OpportunityContactRole, Pipeline, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ("position", "name", "probability", "forecast_category", "is_won", "is_lost")


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "is_active")
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "pipeline",
        "position",
        "probability",
        "forecast_category",
        "is_won",
        "is_lost",
    )
    list_filter = ("pipeline", "forecast_category")
    list_select_related = ("pipeline",)
    ordering = ("pipeline", "position")


@admin.register(OpportunityContactRole)
class OpportunityContactRoleAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "contact", "role")
    list_filter = ("role",)
    autocomplete_fields = ("opportunity", "contact")
    list_select_related = ("opportunity", "contact")


class ContactRoleInline(admin.TabularInline):
    model = OpportunityContactRole
    extra = 0
    autocomplete_fields = ("contact",)


@admin.register(Opportunity)
class OpportunityAdmin(ServiceAdmin):
    create_service = services.opportunity_create
    update_service = services.opportunity_update
    service_fields = services.OPPORTUNITY_FIELDS | {"pipeline", "stage"}
    list_display = (
        "name",
        "organization",
        "stage",
        "amount",
        "currency",
        "probability",
        "expected_close_date",
        "is_closed",
        "is_won",
        "owner",
    )
    list_filter = ("pipeline", "stage", "is_closed", "is_won", "forecast_category")
    search_fields = ("name", "organization__name")
    readonly_fields = (
        "is_closed",
        "is_won",
        "closed_at",
        "lost_reason",
        "source_lead",
        "created_at",
        "updated_at",
        "version",
    )
    autocomplete_fields = ("organization", "primary_contact", "owner")
    list_select_related = ("organization", "stage", "owner")
    inlines = [ContactRoleInline]
    exclude = ("probability_is_manual", "forecast_category_is_manual")
    actions = ["mark_won"]
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Left empty, probability and forecast category follow the stage.
        for name in ("probability", "forecast_category"):
            if name in form.base_fields:
                form.base_fields[name].required = False
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A deactivated pipeline takes no new opportunity (the service refuses it too).
        if db_field.name == "stage":
            kwargs["queryset"] = selectors.stage_list()
        elif db_field.name == "pipeline":
            kwargs["queryset"] = selectors.pipeline_list().prefetch_related(None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Stage and pipeline change through the stage operations once the record exists.
        if obj is not None:
            return (*self.readonly_fields, "pipeline", "stage")
        return self.readonly_fields

    @admin.action(description="Mark selected opportunities as won")
    def mark_won(self, request, queryset):
        done = self._call(request, services.opportunity_mark_won, queryset)
        self.message_user(request, f"{done} opportunities marked won.")

from django import forms
from django.contrib import admin

from vorsprung.accounts.permissions import owner_choices
from vorsprung.core.admin import ServiceAdmin, ServiceAdminMixin
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.sales import selectors, services, stages
from vorsprung.sales.models import Opportunity, OpportunityContactRole, Pipeline, Stage


class ServiceChecksRules(forms.ModelForm):
    """Checks types and choices only. The service checks the rules (a name taken, one
    default pipeline, a stage both won and lost …), so its message is the one shown; the
    model's own checks would refuse what the service allows (two stages swapping names,
    a new default replacing the old one)."""

    def _post_clean(self):
        pass


def _visible_contacts(user):
    return contact_list(user=user)


def _visible_organizations(user):
    return organization_list(user=user)


def _saved_through_services(formsets) -> None:
    """The admin's change message reads what a formset saved; here the services did."""
    for formset in formsets:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


# --- pipelines and stages -------------------------------------------------------------


class StageInline(admin.TabularInline):
    model = Stage
    form = ServiceChecksRules
    extra = 0
    fields = ("position", "name", "probability", "forecast_category", "is_won", "is_lost")
    ordering = ("position", "id")


def stage_specs(formset) -> list[dict]:
    """The stage rows as ``pipeline_update_stages`` takes them, in the order of their
    positions; rows marked for deletion and untouched empty rows left out."""
    rows = []
    for index, form in enumerate(formset.forms):
        if form.instance.pk is None and not form.has_changed():
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        data = form.cleaned_data
        spec = {field: data.get(field) for field in stages.STAGE_SPEC_FIELDS}
        if form.instance.pk is not None:
            spec["id"] = form.instance.pk
        position = data.get("position")
        rows.append((index if position is None else position, index, spec))
    return [spec for _position, _index, spec in sorted(rows, key=lambda row: row[:2])]


@admin.register(Pipeline)
class PipelineAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Pipelines and their stages change through the pipeline services, as on the
    settings pages: the stage table is saved as one list by ``pipeline_update_stages``."""

    form = ServiceChecksRules
    delete_service = services.pipeline_delete
    list_display = ("name", "is_default", "is_active")
    fields = ("name", "is_default", "is_active")
    inlines = [StageInline]

    def save_model(self, request, obj, form, change):
        # Saved with its stages in save_related, where the stage table is at hand.
        pass

    def save_related(self, request, form, formsets, change):
        [stage_table] = formsets
        data = form.cleaned_data
        if change:
            pipeline = form.instance
            changed = {name: data[name] for name in form.changed_data}
            if changed:
                pipeline = services.pipeline_update(
                    actor=request.user, pipeline=pipeline, **changed
                )
            if stage_table.has_changed():
                stages.pipeline_update_stages(
                    actor=request.user, pipeline=pipeline, stages=stage_specs(stage_table)
                )
        else:
            pipeline = services.pipeline_create(
                actor=request.user,
                name=data["name"],
                is_default=data["is_default"],
                stages=stage_specs(stage_table),
            )
            if not data["is_active"]:
                services.pipeline_update(actor=request.user, pipeline=pipeline, is_active=False)
        form.instance.pk = pipeline.pk
        form.instance.refresh_from_db()
        _saved_through_services(formsets)


@admin.register(Stage)
class StageAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """One stage at a time, through the same rules as the pipeline's stage table."""

    form = ServiceChecksRules
    delete_service = stages.stage_delete
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
    fields = (
        "pipeline",
        "position",
        "name",
        "probability",
        "forecast_category",
        "is_won",
        "is_lost",
    )

    def get_readonly_fields(self, request, obj=None):
        # A stage stays in its pipeline.
        return ("pipeline",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data.get(name) for name in stages.STAGE_SPEC_FIELDS}
        position = form.cleaned_data.get("position")
        if change:
            saved = stages.stage_update(actor=request.user, stage=obj, position=position, **values)
        else:
            saved = stages.stage_create(
                actor=request.user,
                pipeline=form.cleaned_data["pipeline"],
                position=position,
                **values,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()


# --- opportunities and their contacts --------------------------------------------------


def _remove_role(*, actor, opportunitycontactrole):
    services.opportunity_remove_contact_role(
        actor=actor,
        opportunity=opportunitycontactrole.opportunity,
        contact_role=opportunitycontactrole,
    )


@admin.register(OpportunityContactRole)
class OpportunityContactRoleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Roles are added and removed through the opportunity's services (which record
    them in its history); changing one is removing it and adding another."""

    form = ServiceChecksRules
    delete_service = _remove_role
    list_selector = selectors.contact_role_list
    choices_for = {
        "opportunity": lambda user: selectors.opportunity_list(user=user),
        "contact": _visible_contacts,
    }
    list_display = ("opportunity", "contact", "role")
    list_filter = ("role",)
    autocomplete_fields = ("opportunity", "contact")
    list_select_related = ("opportunity", "contact")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = services.opportunity_add_contact_role(
            actor=request.user,
            opportunity=form.cleaned_data["opportunity"],
            contact=form.cleaned_data["contact"],
            role=form.cleaned_data["role"],
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


class ContactRoleInline(admin.TabularInline):
    model = OpportunityContactRole
    form = ServiceChecksRules
    extra = 0
    autocomplete_fields = ("contact",)

    def get_queryset(self, request):
        return selectors.contact_role_list(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            kwargs["queryset"] = _visible_contacts(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Opportunity)
class OpportunityAdmin(ServiceAdmin):
    create_service = services.opportunity_create
    update_service = services.opportunity_update
    delete_service = services.opportunity_delete
    list_selector = selectors.opportunity_list
    choices_for = {
        "organization": _visible_organizations,
        "primary_contact": _visible_contacts,
        "owner": owner_choices,
        "pipeline": lambda user: selectors.pipeline_list(),
    }
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
            kwargs["queryset"] = selectors.stage_list_active()
        elif db_field.name == "pipeline":
            kwargs["queryset"] = selectors.pipeline_list().prefetch_related(None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Stage and pipeline change through the stage operations once the record exists.
        if obj is not None:
            return (*self.readonly_fields, "pipeline", "stage")
        return self.readonly_fields

    def save_formset(self, request, form, formset, change):
        """Contact roles through ``opportunity_add_contact_role`` and
        ``opportunity_remove_contact_role``; a changed row is one removed and one added."""
        opportunity = form.instance
        for row in formset.forms:
            existing = row.instance.pk
            if existing is None and not row.has_changed():
                continue
            deleted = formset.can_delete and formset._should_delete_form(row)
            if existing is not None and (deleted or row.has_changed()):
                services.opportunity_remove_contact_role(
                    actor=request.user,
                    opportunity=opportunity,
                    contact_role=OpportunityContactRole(pk=existing),
                )
            if not deleted and (existing is None or row.has_changed()):
                services.opportunity_add_contact_role(
                    actor=request.user,
                    opportunity=opportunity,
                    contact=row.cleaned_data["contact"],
                    role=row.cleaned_data["role"],
                )
        _saved_through_services([formset])

    @admin.action(description="Mark selected opportunities as won")
    def mark_won(self, request, queryset):
        done = self._call(request, services.opportunity_mark_won, queryset)
        self.message_user(request, f"{done} opportunities marked won.")

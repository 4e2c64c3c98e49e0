"""Admin plumbing: every create, change and delete in the Django admin goes through the
app's service functions, so the admin obeys the same rules as the pages and the API, and
a service's refusal shows as the admin's own error message. Staff who are not superusers
see only the records the app's selectors show them.

A model admin names its services and its selector::

    create_service = services.lead_create    # (actor=, **fields) -> record
    update_service = services.lead_update    # (actor=, lead=record, **changed fields)
    delete_service = services.lead_delete    # (actor=, lead=record)
    list_selector = selectors.lead_list      # (user=) -> the records the user may see

Without a delete service the admin offers no delete; the "delete selected" action deletes
all the chosen records or none.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vorsprung.core.errors import REFUSALS, refusal_messages
from vorsprung.core.validation import FieldErrors, normalise_record_fields


class ServiceForm(forms.ModelForm):
    """Runs the services' normalisers while the form validates, so a bad phone number
    or currency shows as a form error next to its field."""

    def clean(self):
        cleaned = super().clean()
        errors = FieldErrors()
        values = {k: v for k, v in cleaned.items() if v is not None}
        country = values.get("country")
        values = normalise_record_fields(values, errors, region=str(country or ""))
        for field, messages_ in errors.errors.items():
            if field in self.fields:
                for message in messages_:
                    self.add_error(field, message)
        for field, value in values.items():
            if field in self.fields and field not in errors.errors:
                cleaned[field] = value
        return cleaned


class BulkRefused(Exception):
    """Some records of a bulk delete were refused; every record stays."""

    def __init__(self, refusals: list[str]):
        super().__init__("; ".join(refusals))
        self.refusals = refusals


def refusal_text(exc: Exception) -> str:
    return " ".join(str(message) for message in refusal_messages(exc))


def add_refusal_to_form(form: forms.Form, exc: Exception) -> None:
    """A service's refusal on the admin form: field errors beside the fields they name,
    the rest above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, messages_ in exc.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, refusal_text(exc))


@admin.action(
    permissions=["delete"],
    description=delete_selected.short_description,
)
def delete_selected_through_services(modeladmin, request, queryset):
    """Django's "delete selected" (with its confirmation page), deleting each record
    through the delete service, all or none."""
    try:
        with transaction.atomic():
            return delete_selected(modeladmin, request, queryset)
    except BulkRefused as refused:
        modeladmin.message_user(
            request, _("Nothing was deleted; these records were refused:"), messages.ERROR
        )
        for refusal in refused.refusals:
            modeladmin.message_user(request, refusal, messages.ERROR)
        return None


class ServiceAdminMixin:
    """Deletes through ``delete_service``, reads through ``list_selector`` and turns a
    service's refusal during a save into form errors. See the module docstring."""

    create_service: Callable | None = None
    update_service: Callable | None = None
    delete_service: Callable | None = None
    list_selector: Callable | None = None
    # A foreign key → (user) -> the records that user may pick for it.
    choices_for: dict[str, Callable] = {}

    def service(self, name: str) -> Callable:
        # Looked up on the class: a plain function stored on it is not a method.
        return getattr(type(self), name)

    def get_queryset(self, request):
        if self.list_selector is None:
            return super().get_queryset(request)
        queryset = self.service("list_selector")(user=request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.choices_for:
            kwargs["queryset"] = self.choices_for[db_field.name](request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- deleting --------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        return self.delete_service is not None and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions[name] = (delete_selected_through_services, name, description)
        return actions

    def get_deleted_objects(self, objs, request):
        # What a record's deletion takes with it, and whether related records forbid it,
        # is the delete service's to decide; its refusal names the reason.
        deleted, counts, perms_needed, _protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, []

    def delete_model(self, request, obj):
        self.service("delete_service")(actor=request.user, **{obj._meta.model_name: obj})

    def delete_queryset(self, request, queryset):
        """Delete every record through the service in a fixed order; when any is refused,
        raise ``BulkRefused`` naming each refused record, so that nothing is deleted."""
        refusals = []
        for record in list(queryset.order_by("pk")):
            try:
                # Each service is its own savepoint: a refused record leaves the
                # transaction usable for the next one.
                self.delete_model(request, record)
            except REFUSALS as exc:
                refusals.append(f"{record}: {refusal_text(exc)}")
        if refusals:
            raise BulkRefused(refusals)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except REFUSALS as exc:
            # The view's transaction has rolled back (the log entry too).
            self.message_user(request, refusal_text(exc), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    # --- saving ----------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save the service refuses rolls back and shows the form again, as typed, with
        the refusal beside the fields it names."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except REFUSALS as exc:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            request._service_refusal = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                add_refusal_to_form(self, refusal)
                return cleaned

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def _call(self, request, func, queryset, **kwargs) -> int:
        """Run a service on each selected record; report refusals, count successes."""
        done = 0
        for record in queryset.order_by("pk"):
            try:
                func(actor=request.user, **{record._meta.model_name: record}, **kwargs)
                done += 1
            except REFUSALS as exc:
                self.message_user(request, f"{record}: {refusal_text(exc)}", messages.ERROR)
        return done


class ServiceAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Saves through ``create_service(actor=…, **fields)`` and
    ``update_service(actor=…, <model_name>=obj, **changed_fields)``."""

    form = ServiceForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    service_fields: frozenset[str] = frozenset()

    def save_model(self, request, obj, form, change):
        if change:
            data = {f: form.cleaned_data[f] for f in form.changed_data if f in self.service_fields}
            if not data:
                return  # only an inline changed: the record itself stays as it is
            saved = self.service("update_service")(
                actor=request.user, **{obj._meta.model_name: obj}, **data
            )
        else:
            data = {f: v for f, v in form.cleaned_data.items() if f in self.service_fields}
            saved = self.service("create_service")(actor=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

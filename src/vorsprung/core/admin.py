"""Admin plumbing: model admins whose saves go through the app's service functions, so
the admin obeys the same rules as the API and the UI."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models

from vorsprung.core.errors import Conflict
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


class ServiceAdmin(admin.ModelAdmin):
    """Saves through ``create_service(actor=…, **fields)`` and
    ``update_service(actor=…, <model_name>=obj, **changed_fields)``."""

    form = ServiceForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    create_service = None
    update_service = None
    service_fields: frozenset[str] = frozenset()

    def save_model(self, request, obj, form, change):
        fields = [f for f in form.cleaned_data if f in self.service_fields]
        if change:
            data = {f: form.cleaned_data[f] for f in form.changed_data if f in self.service_fields}
            saved = type(self).update_service(
                actor=request.user, **{obj._meta.model_name: obj}, **data
            )
        else:
            data = {f: form.cleaned_data[f] for f in fields}
            saved = type(self).create_service(actor=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def _call(self, request, func, queryset, **kwargs) -> int:
        """Run a service on each selected record; report refusals, count successes."""
        done = 0
        for record in queryset:
            try:
                func(actor=request.user, **{record._meta.model_name: record}, **kwargs)
                done += 1
            except (Conflict, ValidationError) as exc:
                message = getattr(exc, "message", None) or "; ".join(exc.messages)
                self.message_user(request, f"{record}: {message}", messages.ERROR)
        return done

"""Form plumbing shared by every page: Bootstrap widget classes, and service errors shown
beside the fields they name."""

from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

from vorsprung.core.errors import REFUSALS, refusal_messages


class FormRenderer(DjangoTemplates):
    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
        return "form-select"
    return "form-control"


class StyledForm:
    """Mixin: Bootstrap classes on every widget, ``is-invalid`` on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Give every field its Bootstrap class; call again after adding fields."""
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            wanted = _widget_class(field.widget)
            if wanted not in css.split():
                field.widget.attrs["class"] = f"{css} {wanted}".strip()

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class FilterForm(StyledForm, forms.Form):
    """The base of every list page's filter form, which its FilterSet builds."""


def add_service_errors(form: forms.Form, exc: Exception, field_map: dict | None = None) -> None:
    """Put a service's refusal on the form: field errors beside the fields they name (after
    ``field_map`` renames), everything else above the form."""
    field_map = field_map or {}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = field_map.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    elif isinstance(exc, REFUSALS):
        for message in refusal_messages(exc):
            form.add_error(None, message)
    else:
        raise exc
    if isinstance(form, StyledForm):
        form.mark_invalid()


@contextmanager
def refusals_onto(form: forms.Form, field_map: dict | None = None):
    """Run a service call; when the service refuses, its reasons land on the form (see
    ``add_service_errors``) instead of raising. Afterwards ``form.errors`` tells which."""
    try:
        yield
    except REFUSALS as exc:
        add_service_errors(form, exc, field_map)

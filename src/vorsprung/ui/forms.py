"""Form plumbing shared by every page: Bootstrap widget classes, and service errors shown
beside the fields they name."""

from contextlib import contextmanager

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy

from vorsprung.core.dates import EARLIEST, LATEST, check_in_range
from vorsprung.core.errors import REFUSALS, refusal_messages
from vorsprung.core.validation import seen_state


class FormRenderer(DjangoTemplates):
    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


def validate_date_in_range(value) -> None:
    """The accepted range of dates (``core.dates``) as a form validator."""
    try:
        check_in_range(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="date_out_of_range") from exc


def _limit_dates(field: forms.Field) -> None:
    """Every date and date-time field accepts the one range, and its picker offers no
    other."""
    if not isinstance(field, forms.DateField | forms.DateTimeField):
        return
    if validate_date_in_range not in field.validators:
        field.validators.append(validate_date_in_range)
    kind = field.widget.attrs.get("type") or getattr(field.widget, "input_type", "")
    if kind == "date":
        field.widget.attrs.setdefault("min", EARLIEST.isoformat())
        field.widget.attrs.setdefault("max", LATEST.isoformat())
    elif kind == "datetime-local":
        field.widget.attrs.setdefault("min", f"{EARLIEST.isoformat()}T00:00")
        field.widget.attrs.setdefault("max", f"{LATEST.isoformat()}T23:59")


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
        return "form-select"
    return "form-control"


class StyledForm:
    """Mixin: Bootstrap classes on every widget, ``is-invalid`` on fields with errors, and
    the accepted range of dates on every date field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Give every field its Bootstrap class; call again after adding fields."""
        for field in self.fields.values():
            _limit_dates(field)
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


class SeenStateForm(forms.Form):
    """An edit form that carries what the user saw of the fields it edits (signed, so it
    comes back as it was sent). The service compares it with the record as it is now and
    refuses only when one of those fields was changed by someone else meanwhile
    (``core.validation.check_seen``); a change to a field the form does not edit, such as a
    status moved by logging an activity, is no conflict."""

    SALT = "vorsprung.ui.seen"
    seen = forms.CharField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("The form is missing the record it edits; reload the page.")
        },
    )

    def show_record(self, instance) -> None:
        """Carry ``instance``'s current state of this form's fields; call with the record
        as it is now (again after a save that keeps the form on the page)."""
        self.fields["seen"].required = True
        names = [name for name in self.fields if name != "seen"]
        self.initial["seen"] = signing.dumps(
            seen_state(instance, names), salt=self.SALT, compress=True
        )

    def clean_seen(self):
        text = self.cleaned_data.get("seen") or ""
        if not text:
            return None
        try:
            state = signing.loads(text, salt=self.SALT)
        except signing.BadSignature as exc:
            raise ValidationError(
                gettext_lazy("The form is damaged; reload the page."), code="bad_seen"
            ) from exc
        if not isinstance(state, dict):
            raise ValidationError(gettext_lazy("The form is damaged; reload the page."))
        return state

    def seen_values(self) -> dict | None:
        """What the user saw, for the service's ``seen``."""
        return self.cleaned_data.get("seen")


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

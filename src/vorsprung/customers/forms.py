"""Forms for the organization and contact pages. They only check and convert what was
typed; the services validate and write (``form.cleaned_data`` goes to
``organization_create`` and friends, never ``form.save()``)."""

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.permissions import assignable_users
from vorsprung.customers.choices import Lifecycle
from vorsprung.customers.models import Contact, Organization
from vorsprung.customers.selectors import organization_list
from vorsprung.ui.forms import SeenStateForm, StyledForm

# The largest id a database column holds; larger "ids" typed into a URL match nothing.
MAX_ID = 2**63 - 1


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """The model field's own form field (label, length, choices, required)."""
    return model._meta.get_field(name).formfield(**kwargs)


def _owner_field(actor, *, required: bool, empty_label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=assignable_users(actor).order_by("first_name", "last_name", "username"),
        required=required,
        empty_label=empty_label,
        label=_("Owner"),
    )


class ActorForm(forms.Form):
    """A form whose fields depend on who fills it in (pick lists of what they may choose).
    ``StyledForm`` comes before it, so these fields are styled like the others."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.add_actor_fields(actor)
        self.order_fields(self.field_order)

    def add_actor_fields(self, actor) -> None:
        raise NotImplementedError


# --- organization picker ------------------------------------------------------------------


class OrganizationPicker(forms.Widget):
    """A text input that asks the server for matching organizations (htmx) and a hidden
    input that holds the id of the one picked. Choosing from 200,000 organizations in a
    <select> is not an option."""

    template_name = "customers/widgets/organization_picker.html"

    def id_for_label(self, id_):
        # The label belongs to the text input; the hidden input keeps the field's id.
        return f"{id_}_search" if id_ else id_

    def value_from_datadict(self, data, files, name):
        return (data.get(name, ""), data.get(f"{name}_search", ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_search" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, Organization):
            picked_id, text = value.pk, value.name
        elif isinstance(value, tuple):
            picked_id, text = value
        else:
            picked_id, text = value or "", ""
        context["widget"].update(
            {
                "picked_id": picked_id or "",
                "text": text,
                "suggest_url": reverse("customers:organization_suggestions"),
            }
        )
        return context

    def format_value(self, value):
        return value


class OrganizationChoiceField(forms.Field):
    """An organization the user may see, picked with ``OrganizationPicker``."""

    widget = OrganizationPicker
    default_error_messages = {
        "pick": _("Choose one of the suggested organizations, or clear the field."),
        "invalid_choice": _("This organization does not exist or you may not see it."),
    }

    def __init__(self, *, queryset: QuerySet, **kwargs):
        super().__init__(**kwargs)
        self.queryset = queryset

    def to_python(self, value):
        if isinstance(value, Organization) or value is None:
            return value
        picked_id, text = value if isinstance(value, tuple) else (value, "")
        picked_id = str(picked_id).strip()
        if not picked_id:
            if str(text).strip():
                raise forms.ValidationError(self.error_messages["pick"], code="pick")
            return None
        try:
            if not 0 < int(picked_id) <= MAX_ID:
                raise Organization.DoesNotExist
            return self.queryset.get(pk=int(picked_id))
        except (ValueError, Organization.DoesNotExist) as exc:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from exc

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        initial_id = initial.pk if isinstance(initial, Organization) else initial
        data_id = data[0] if isinstance(data, tuple) else data
        return str(initial_id or "") != str(data_id or "")


# --- edit forms ---------------------------------------------------------------------------


class RecordForm(StyledForm, SeenStateForm, ActorForm):
    """Owner pick list from ``assignable_users``; on edit what the user saw of the record
    travels with the form (``SeenStateForm``), so a change someone else saved in between
    to one of its fields is refused, not overwritten."""

    def __init__(self, *args, actor, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {}).update(self.initial_from(instance))
        else:
            kwargs.setdefault("initial", {}).setdefault("owner", actor.pk)
        super().__init__(*args, actor=actor, **kwargs)
        self.instance = instance
        if instance is not None:
            self.show_record(instance)

    def add_actor_fields(self, actor) -> None:
        # No owner is allowed only to those who see unowned records (owner_for).
        may_leave_unowned = actor.is_crm_admin or actor.is_manager
        self.fields["owner"] = _owner_field(
            actor,
            required=not may_leave_unowned,
            empty_label=_("No owner") if may_leave_unowned else None,
        )

    def initial_from(self, instance) -> dict:
        initial = {
            name: getattr(instance, name)
            for name in self.base_fields
            if name not in ("owner", "seen")
        }
        initial["owner"] = instance.owner_id
        if getattr(instance, "country", None) is not None:
            initial["country"] = instance.country.code or ""
        return initial

    def service_data(self) -> dict:
        """The cleaned fields as the service's keyword arguments."""
        return {name: value for name, value in self.cleaned_data.items() if name != "seen"}


class OrganizationForm(RecordForm):
    name = _model_field(Organization, "name")
    website = forms.CharField(
        label=_("Website"),
        max_length=300,
        required=False,
        help_text=_("The domain is taken from the website."),
    )
    domain = _model_field(Organization, "domain", required=False)
    industry = _model_field(Organization, "industry")
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), choices=Lifecycle.choices)
    size_band = _model_field(Organization, "size_band")
    employee_count = _model_field(Organization, "employee_count", localize=True)
    annual_revenue = _model_field(Organization, "annual_revenue", localize=True, min_value=0)
    annual_revenue_currency = _model_field(
        Organization, "annual_revenue_currency", help_text=_("ISO code, e.g. EUR")
    )
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    street = _model_field(Organization, "street")
    postal_code = _model_field(Organization, "postal_code")
    city = _model_field(Organization, "city")
    region = _model_field(Organization, "region")
    country = _model_field(Organization, "country")
    description = _model_field(
        Organization, "description", widget=forms.Textarea(attrs={"rows": 4})
    )


class ContactForm(RecordForm):
    salutation = _model_field(Contact, "salutation")
    first_name = _model_field(Contact, "first_name")
    last_name = _model_field(Contact, "last_name")
    email = _model_field(Contact, "email")
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=50, required=False)
    job_title = _model_field(Contact, "job_title")
    is_decision_maker = _model_field(Contact, "is_decision_maker")
    do_not_call = _model_field(Contact, "do_not_call")
    email_opt_out = _model_field(Contact, "email_opt_out")
    street = _model_field(Contact, "street")
    postal_code = _model_field(Contact, "postal_code")
    city = _model_field(Contact, "city")
    region = _model_field(Contact, "region")
    country = _model_field(Contact, "country")
    description = _model_field(Contact, "description", widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["salutation", "first_name", "last_name", "email", "phone", "mobile"]

    def add_actor_fields(self, actor) -> None:
        super().add_actor_fields(actor)
        self.fields["organization"] = OrganizationChoiceField(
            queryset=organization_list(user=actor).select_related(None),
            required=False,
            label=_("Organization"),
            help_text=_("Type the first letters of the name, then pick it from the list."),
        )

    def initial_from(self, instance) -> dict:
        initial = super().initial_from(instance)
        initial["organization"] = instance.organization
        return initial

"""Forms of the lead pages. They check types and choices; the services check the rules."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.permissions import assignable_users
from vorsprung.leads.choices import LeadStatus
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Stage
from vorsprung.ui.forms import SeenStateForm, StyledForm

PERSON_FIELDS = [
    "salutation",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "job_title",
]
COMPANY_FIELDS = [
    "company",
    "website",
    "industry",
    "size_band",
    "employee_count",
    "annual_revenue",
]
ADDRESS_FIELDS = ["street", "postal_code", "city", "region", "country"]
ORIGIN_FIELDS = ["source", "source_detail", "owner", "next_follow_up_at", "description"]
QUALIFICATION_FIELDS = [
    "need",
    "need_confirmed",
    "budget_amount",
    "budget_currency",
    "budget_confirmed",
    "is_decision_maker",
    "decision_maker",
    "expected_decision_date",
]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


def _model_fields(names: list[str]) -> dict:
    fields = forms.fields_for_model(Lead, fields=names, formfield_callback=_formfield)
    for name in ("need", "description"):
        if name in fields:
            fields[name].widget = forms.Textarea(attrs={"rows": 3})
    if "next_follow_up_at" in fields:
        fields["next_follow_up_at"].widget = DATETIME_WIDGET
    if "expected_decision_date" in fields:
        fields["expected_decision_date"].widget = DATE_WIDGET
    if "is_decision_maker" in fields:
        fields["is_decision_maker"] = forms.NullBooleanField(
            label=_("Is the decision maker"), required=False, widget=forms.NullBooleanSelect
        )
    return fields


class LeadForm(StyledForm, SeenStateForm):
    """The lead's own fields (not its status, not its qualification)."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in _model_fields(
            PERSON_FIELDS + COMPANY_FIELDS + ADDRESS_FIELDS + ORIGIN_FIELDS
        ).items():
            self.fields[name] = field
        # A rep keeps sight of what they save only as its owner (or a teammate's).
        self.fields["owner"] = forms.ModelChoiceField(
            assignable_users(actor),
            label=_("Owner"),
            required=not (actor.is_crm_admin or actor.is_manager),
            initial=actor.pk,
        )
        self.style_fields()

    def groups(self):
        """Fields in the sections the page shows."""
        return [
            (_("Person"), [self[name] for name in PERSON_FIELDS]),
            (_("Company"), [self[name] for name in COMPANY_FIELDS]),
            (_("Address"), [self[name] for name in ADDRESS_FIELDS]),
            (_("Origin and follow-up"), [self[name] for name in ORIGIN_FIELDS]),
        ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("seen", None)
        return data


class QualificationForm(StyledForm, SeenStateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(QUALIFICATION_FIELDS))
        self.style_fields()


class ReasonFields(forms.Form):
    """A reason picked from the admin's list, details typed beside it, or both."""

    reason_choice = forms.CharField(required=False, max_length=255)
    reason = forms.CharField(required=False, max_length=255)

    def reason_text(self) -> str:
        """The picked reason, or the typed one when "other" details were given."""
        typed = (self.cleaned_data.get("reason") or "").strip()
        picked = (self.cleaned_data.get("reason_choice") or "").strip()
        if picked and typed:
            return f"{picked}: {typed}"
        return picked or typed


class StatusForm(ReasonFields):
    status = forms.ChoiceField(choices=LeadStatus.choices)


BULK_ACTIONS = [
    ("assign", _("Assign owner")),
    ("status", _("Change status")),
    ("disqualify", _("Disqualify")),
]


class BulkForm(ReasonFields):
    MAX_LEADS = 200

    action = forms.ChoiceField(label=_("Action"), choices=BULK_ACTIONS)
    leads = forms.TypedMultipleChoiceField(coerce=int, required=False)
    # "matching": every lead the list's filters select (``filters``: its query string).
    all_matching = forms.BooleanField(required=False)
    filters = forms.CharField(required=False, max_length=2_000)
    owner = forms.ModelChoiceField(
        queryset=None,
        label=_("New owner"),
        required=False,
        empty_label="—",
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "id": "bulk-owner"}),
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", "—")]
        + [(v, label) for v, label in LeadStatus.choices if v != LeadStatus.CONVERTED],
        required=False,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_users(actor).order_by("username")
        chosen = self.data.getlist("leads")[: self.MAX_LEADS] if self.data else []
        self.fields["leads"].choices = [(v, v) for v in chosen]
        self.fields["leads"].error_messages["required"] = _("Select at least one lead.")

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "assign" and not data.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        if action == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        if not data.get("all_matching") and not data.get("leads"):
            self.add_error("leads", _("Select at least one lead."))
        if len(self.data.getlist("leads")) > self.MAX_LEADS:
            self.add_error(
                "leads", _("Select at most %(max)s leads at once.") % {"max": self.MAX_LEADS}
            )
        return data

    def selection(self) -> dict:
        """What ``lead_bulk_selection`` takes: the ticked ids, or the list's filters."""
        if self.cleaned_data.get("all_matching"):
            return {"filters": self.cleaned_data.get("filters") or ""}
        return {"ids": self.cleaned_data["leads"]}


class ConvertForm(StyledForm, forms.Form):
    """The convert wizard's choices. ``organization`` and ``contact``: "new", "none" or
    the id of an existing record (checked against what the user may see by the view)."""

    organization = forms.CharField(required=False)
    contact = forms.CharField(required=False)
    create_opportunity = forms.BooleanField(label=_("Create an opportunity"), required=False)
    opportunity_name = forms.CharField(label=_("Opportunity name"), required=False, max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    close_date = forms.DateField(label=_("Expected close date"), required=False, widget=DATE_WIDGET)
    stage = forms.ModelChoiceField(Stage.objects.none(), label=_("Stage"), required=False)
    accept_qualification_gaps = forms.BooleanField(
        label=_("Convert although the qualification checklist is incomplete"), required=False
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages
        self.fields["stage"].empty_label = None
        self.fields["stage"].label_from_instance = lambda stage: (
            f"{stage.shown_name} ({stage.probability} %)"
        )

"""Forms of the sales pages. They check what a browser can send; the rules of the trade
stay in ``sales.services``, and the views pass ``cleaned_data`` to them."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.permissions import assignable_users
from vorsprung.core.dates import end_of_quarter
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.sales import selectors
from vorsprung.sales.choices import ContactRole, ForecastCategory, LeadSource
from vorsprung.ui.forms import SeenStateForm, StyledForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _user_choices(user, empty_label) -> list[tuple[str, str]]:
    return [("", empty_label)] + [(str(u.pk), str(u)) for u in assignable_users(user)]


def _int_or_none(value) -> int | None:
    return int(value) if value not in (None, "") else None


class BoardFilterForm(StyledForm, forms.Form):
    """The board's pipeline and the owner and team whose opportunities it shows."""

    pipeline = forms.ChoiceField(label=_("Pipeline"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)

    def __init__(self, data=None, *, user, pipelines, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["pipeline"].choices = [(str(p.pk), p.name) for p in pipelines]
        self.fields["owner"].choices = _user_choices(user, _("Anyone"))
        self.fields["team"].choices = [("", _("All teams"))] + [
            (str(t.pk), t.name) for t in selectors.visible_teams(user=user)
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound else {}
        return {name: [int(data[name])] for name in ("owner", "team") if data.get(name)}

    def pipeline_id(self) -> int | None:
        data = self.cleaned_data if self.is_bound else {}
        return _int_or_none(data.get("pipeline"))


class LostReasonForm(StyledForm, forms.Form):
    """Why an opportunity was lost: a reason from the list, words of one's own, or both.
    Nothing here is required: the service refuses a close without a reason and says so."""

    reason = forms.ChoiceField(label=_("Reason"), required=False)
    reason_other = forms.CharField(
        label=_("Other reason or details"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choose a reason…"))] + [
            (label, shown) for label, shown in selectors.lost_reason_labels()
        ]

    def lost_reason(self) -> str:
        """The reason as it is stored: "Price: 20 % over budget", or either part alone."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        parts = [data.get("reason", "").strip(), data.get("reason_other", "").strip()]
        return ": ".join(part for part in parts if part)


class ContactRoleForm(StyledForm, forms.Form):
    """A contact of the opportunity's organization and the role they play in the deal."""

    # The picker lists this many contacts by name; any contact of the organization the
    # user may see is accepted.
    OFFERED = 100

    contact = forms.ModelChoiceField(queryset=None, label=_("Contact"))
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)

    def __init__(self, *args, user, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = (
            contact_list(user=user, filters={"organization": [opportunity.organization_id]})
            .select_related(None)
            .order_by("last_name", "first_name", "id")
        )
        field = self.fields["contact"]
        field.queryset = contacts
        field.choices = [("", _("Choose a contact…"))] + [
            (contact.pk, str(contact)) for contact in contacts[: self.OFFERED]
        ]

    @property
    def has_contacts(self) -> bool:
        return len(self.fields["contact"].choices) > 1


class StageMoveForm(LostReasonForm):
    """A move to another stage; the reason counts when the stage is a lost one."""

    stage = forms.IntegerField(label=_("Stage"), min_value=1)


class OrganizationPickerField(forms.IntegerField):
    """An organization chosen by searching, not from a list of every organization."""

    def __init__(self, **kwargs):
        super().__init__(
            template_name="sales/partials/organization_picker.html",
            # Never rendered: the template shows a search box and radio buttons.
            widget=forms.NumberInput,
            **kwargs,
        )
        self.selected = None


class OpportunityForm(StyledForm, forms.Form):
    """Fields shared by the create and the edit form."""

    name = forms.CharField(label=_("Name"), max_length=200)
    organization = OrganizationPickerField(label=_("Organization"))
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "text-uppercase"}),
        help_text=_("Three-letter code, e.g. EUR."),
    )
    expected_close_date = forms.DateField(label=_("Expected close date"), widget=DATE_INPUT)
    owner = forms.ChoiceField(label=_("Owner"))
    source = forms.ChoiceField(
        label=_("Lead source"), required=False, choices=[("", "—"), *LeadSource.choices]
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=255)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        may_leave_unowned = user.is_crm_admin or user.is_manager
        self.fields["owner"].choices = _user_choices(user, _("Nobody (team queue)"))
        self.fields["owner"].required = not may_leave_unowned
        if not self.is_bound:
            self.fields["organization"].selected = self._organization(
                self.initial.get("organization")
            )

    def _organization(self, pk):
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        return organization_list(user=self.user).filter(pk=pk).first()

    def clean_organization(self):
        organization = self._organization(self.cleaned_data["organization"])
        self.fields["organization"].selected = organization
        if organization is None:
            raise forms.ValidationError(_("Choose an organization."))
        return organization

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def full_clean(self):
        super().full_clean()
        # An invalid or missing choice still shows the organization that was picked.
        if self.is_bound and self.fields["organization"].selected is None:
            self.fields["organization"].selected = self._organization(self.data.get("organization"))

    def service_data(self) -> dict:
        """``cleaned_data`` in the service's terms."""
        data = dict(self.cleaned_data)
        if "owner" in data:
            owner_id = _int_or_none(data.pop("owner"))
            data["owner"] = (
                assignable_users(self.user).filter(pk=owner_id).first() if owner_id else None
            )
        return data


class OpportunityCreateForm(OpportunityForm):
    pipeline = forms.ChoiceField(label=_("Pipeline"))

    field_order = ["name", "organization", "pipeline"]

    def __init__(self, data=None, *, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "currency": settings.VORSPRUNG_DEFAULT_CURRENCY,
            "expected_close_date": end_of_quarter(timezone.localdate()),
            "owner": str(user.pk),
            **kwargs["initial"],
        }
        super().__init__(data, user=user, **kwargs)
        pipelines = list(selectors.pipeline_list().prefetch_related(None))
        self.pipelines = {str(p.pk): p for p in pipelines}
        self.fields["pipeline"].choices = [(str(p.pk), p.name) for p in pipelines]
        if len(pipelines) == 1:
            self.fields["pipeline"].widget = forms.HiddenInput()
        if pipelines:
            self.initial.setdefault("pipeline", str(pipelines[0].pk))

    def service_data(self) -> dict:
        data = super().service_data()
        data["pipeline"] = self.pipelines[data["pipeline"]]
        return data


class OpportunityEditForm(SeenStateForm, OpportunityForm):
    primary_contact = forms.ChoiceField(label=_("Primary contact"), required=False)
    probability = forms.IntegerField(
        label=_("Probability (%)"), required=False, min_value=0, max_value=100
    )
    forecast_category = forms.ChoiceField(label=_("Forecast category"), required=False)

    field_order = [
        "name",
        "organization",
        "primary_contact",
        "amount",
        "currency",
        "probability",
        "forecast_category",
        "expected_close_date",
        "owner",
        "source",
        "next_step",
        "description",
    ]

    def __init__(self, data=None, *, user, opportunity, **kwargs):
        stage = opportunity.stage
        kwargs["initial"] = {
            "name": opportunity.name,
            "organization": opportunity.organization_id,
            "primary_contact": str(opportunity.primary_contact_id or ""),
            "amount": opportunity.amount,
            "currency": opportunity.currency,
            "probability": opportunity.probability if opportunity.probability_is_manual else None,
            "forecast_category": (
                opportunity.forecast_category if opportunity.forecast_category_is_manual else ""
            ),
            "expected_close_date": opportunity.expected_close_date,
            "owner": str(opportunity.owner_id or ""),
            "source": opportunity.source,
            "next_step": opportunity.next_step,
            "description": opportunity.description,
        }
        super().__init__(data, user=user, **kwargs)
        self.opportunity = opportunity
        self.show_record(opportunity)
        if opportunity.owner_id and not any(
            value == str(opportunity.owner_id) for value, _label in self.fields["owner"].choices
        ):
            # An owner the user may not assign stays the owner until someone changes it.
            self.fields["owner"].choices.append((str(opportunity.owner_id), str(opportunity.owner)))
        self.fields["probability"].help_text = _(
            "Leave empty to follow the stage (%(probability)s %%)."
        ) % {"probability": stage.probability}
        self.fields["forecast_category"].choices = [
            (
                "",
                _("Follow the stage (%(category)s)")
                % {"category": stage.get_forecast_category_display()},
            ),
            *ForecastCategory.choices,
        ]
        contacts = list(
            contact_list(user=user, filters={"organization": [opportunity.organization_id]})[:200]
        )
        if opportunity.primary_contact_id and all(
            c.pk != opportunity.primary_contact_id for c in contacts
        ):
            contacts.insert(0, opportunity.primary_contact)
        self.fields["primary_contact"].choices = [("", "—")] + [
            (str(c.pk), str(c)) for c in contacts
        ]
        self.contacts = {str(c.pk): c for c in contacts}

    def service_data(self) -> dict:
        if self.cleaned_data.get("owner") == str(self.opportunity.owner_id or ""):
            # Unchanged: an owner the user could not assign stays the owner.
            self.cleaned_data.pop("owner")
        data = super().service_data()
        data.pop("seen")
        data["primary_contact"] = self.contacts.get(data["primary_contact"] or "")
        return data

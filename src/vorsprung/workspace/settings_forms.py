"""Forms of the settings pages. They only read and check input; the services decide (a
form never saves)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.leads.models import ConversionPolicy
from vorsprung.sales.choices import ForecastCategory
from vorsprung.ui.forms import StyledForm


def _language_choices():
    return [("", _("The browser's language")), *settings.LANGUAGES]


class UserEditForm(StyledForm, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("No team")
    )
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Inactive users cannot log in; their records stay theirs."),
    )

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {name: getattr(user, name) for name in cls.base_fields if hasattr(user, name)}


class UserCreateForm(UserEditForm):
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Tell the user; they can change it after logging in."),
    )
    password_confirm = forms.CharField(
        label=_("Initial password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password_confirm")
            and data["password"] != data["password_confirm"]
        ):
            self.add_error("password_confirm", _("The two passwords differ."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("password_confirm", None)
        return data


class TeamForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    manager = forms.ModelChoiceField(
        label=_("Manager"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        empty_label=_("No manager"),
    )


class PipelineForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_default = forms.BooleanField(
        label=_("Default pipeline"),
        required=False,
        help_text=_("New opportunities and converted leads go into the default pipeline."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Inactive pipelines are not offered for new opportunities."),
    )


class PipelineCreateForm(PipelineForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]


class StageForm(StyledForm, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    probability = forms.IntegerField(label=_("Probability (%)"), min_value=0, max_value=100)
    forecast_category = forms.ChoiceField(
        label=_("Forecast category"), choices=ForecastCategory.choices, initial="pipeline"
    )
    is_won = forms.BooleanField(label=_("Won"), required=False)
    is_lost = forms.BooleanField(label=_("Lost"), required=False)

    def stage_spec(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("ORDER", "DELETE")}


class BaseStageFormSet(forms.BaseFormSet):
    """Stages in the order of their position numbers; rows marked for removal and blank
    rows are left out."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["ORDER"].widget.attrs.update({"class": "form-control", "min": 1})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def chosen_forms(self) -> list[StageForm]:
        """The rows to save, in the order of their position numbers; call after
        ``is_valid()``. Removed and blank rows are left out. When two rows share a number,
        the one whose number was changed goes where it was sent: before the other when
        moved up, after it when moved down."""
        forms_ = {id(form): index for index, form in enumerate(self.forms)}

        def key(form):
            index = forms_[id(form)]
            order = form.cleaned_data.get("ORDER")
            if order is None:
                return (1, 0, 0, index)
            # A new row given a number takes that place, as a row moved up does.
            moved = -1 if index >= self.initial_form_count() else order - (index + 1)
            return (0, order, (moved > 0) - (moved < 0), index)

        return sorted(self.ordered_forms, key=key)

    def stage_specs(self) -> list[dict]:
        """The stages as the pipeline services take them, in the chosen order."""
        specs = []
        for form in self.chosen_forms():
            spec = form.stage_spec()
            if spec.get("id") is None:
                spec.pop("id", None)
            specs.append(spec)
        return specs


def stage_formset(extra: int) -> type[BaseStageFormSet]:
    return forms.formset_factory(
        StageForm,
        formset=BaseStageFormSet,
        extra=extra,
        can_order=True,
        can_delete=True,
        max_num=30,
        absolute_max=30,
        validate_max=True,
    )


StageFormSet = stage_formset(extra=2)
NewPipelineStageFormSet = stage_formset(extra=6)


class ReasonForm(StyledForm, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=255)


class ReasonChangeForm(forms.Form):
    """One change to a reason in the list: the small form posted names it."""

    label = forms.CharField(required=False, strip=False)
    position = forms.IntegerField(min_value=0, required=False)
    restore = forms.BooleanField(required=False)

    def changes(self) -> dict:
        data = self.cleaned_data
        if "label" in self.data:
            return {"label": data["label"]}
        if data.get("position") is not None:
            return {"position": data["position"]}
        if data.get("restore"):
            return {"is_active": True}
        return {}


class ConversionPolicyForm(StyledForm, forms.Form):
    require_complete_qualification = forms.BooleanField(
        label=_("Require a complete qualification checklist to convert"),
        required=False,
        help_text=ConversionPolicy._meta.get_field("require_complete_qualification").help_text,
    )


class ExchangeRateForm(StyledForm, forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("ISO code, e.g. GBP"))
    rate = forms.DecimalField(
        label=_("Rate"),
        max_digits=20,
        decimal_places=8,
        help_text=_("What one unit of the currency is worth in the base currency."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

"""Forms of the timeline panel: log an interaction or note, schedule a follow-up task.
They only validate input; views hand ``cleaned_data`` to ``activity_create``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vorsprung.activities.choices import ActivityKind, Direction, Outcome
from vorsprung.ui.forms import StyledForm

# What a salesperson logs by hand from a record's timeline (marketing touches arrive on
# their own; tasks have their own form).
LOG_KINDS = (
    ActivityKind.CALL,
    ActivityKind.EMAIL,
    ActivityKind.MEETING,
    ActivityKind.SMS,
    ActivityKind.SOCIAL,
    ActivityKind.IN_PERSON,
    ActivityKind.NOTE,
)
BLANK = [("", "—")]
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date and time picker; its value is ISO 8601 in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def local_now() -> str:
    return timezone.localtime().strftime(DATETIME_LOCAL)


class ActivityLogForm(StyledForm, forms.Form):
    is_follow_up = False

    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in LOG_KINDS])
    subject = forms.CharField(
        label=_("Subject"), max_length=255, widget=forms.TextInput(attrs={"autofocus": True})
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=BLANK + Direction.choices
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=BLANK + Outcome.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "log-%s")
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = local_now

    def activity_data(self) -> dict:
        """Keyword arguments for ``activity_create``; an empty time means now."""
        data = dict(self.cleaned_data)
        if data.get("occurred_at") is None:
            data.pop("occurred_at", None)
        return data


class FollowUpForm(StyledForm, forms.Form):
    is_follow_up = True

    kind = forms.CharField(widget=forms.HiddenInput, initial=ActivityKind.TASK)
    subject = forms.CharField(
        label=_("Subject"), max_length=255, widget=forms.TextInput(attrs={"autofocus": True})
    )
    due_at = forms.DateTimeField(label=_("Due"), widget=DateTimeLocalInput())
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "follow-up-%s")
        super().__init__(*args, **kwargs)

    def clean_kind(self) -> str:
        return ActivityKind.TASK

    def activity_data(self) -> dict:
        return dict(self.cleaned_data)

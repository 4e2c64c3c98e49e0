from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    SMS = "sms", _("SMS")
    SOCIAL = "social", _("Social media")
    IN_PERSON = "in_person", _("In person")
    NOTE = "note", _("Note")
    TASK = "task", _("Task")
    # Marketing touches the lead makes on its own
    FORM_SUBMITTED = "form_submitted", _("Web form submitted")
    CONTENT_DOWNLOADED = "content_downloaded", _("Content downloaded")
    EVENT_ATTENDED = "event_attended", _("Event attended")
    TRIAL_STARTED = "trial_started", _("Trial started")
    NEWSLETTER_SIGNUP = "newsletter_signup", _("Newsletter signed up")
    WEBSITE_VISIT = "website_visit", _("Website visit")


# Interactions a salesperson has with someone (counted as "contacted").
INTERACTION_KINDS = frozenset(
    {
        ActivityKind.CALL,
        ActivityKind.EMAIL,
        ActivityKind.MEETING,
        ActivityKind.SMS,
        ActivityKind.SOCIAL,
        ActivityKind.IN_PERSON,
    }
)
MARKETING_TOUCH_KINDS = frozenset(
    {
        ActivityKind.FORM_SUBMITTED,
        ActivityKind.CONTENT_DOWNLOADED,
        ActivityKind.EVENT_ATTENDED,
        ActivityKind.TRIAL_STARTED,
        ActivityKind.NEWSLETTER_SIGNUP,
        ActivityKind.WEBSITE_VISIT,
    }
)


# Badge colour of each kind on the timeline (Bootstrap colour names).
KIND_COLOURS = {
    ActivityKind.CALL: "primary",
    ActivityKind.EMAIL: "info",
    ActivityKind.MEETING: "success",
    ActivityKind.SMS: "secondary",
    ActivityKind.SOCIAL: "secondary",
    ActivityKind.IN_PERSON: "success",
    ActivityKind.NOTE: "light",
    ActivityKind.TASK: "warning",
}


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class Outcome(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    LEFT_VOICEMAIL = "left_voicemail", _("Left voicemail")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REPLIED = "replied", _("Replied")
    BOUNCED = "bounced", _("Bounced")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")
    RESCHEDULED = "rescheduled", _("Rescheduled")

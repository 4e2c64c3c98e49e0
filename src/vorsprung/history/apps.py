from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The change history: who changed which field of which record, when, through which
    door, from what to what. Append-only."""

    name = "vorsprung.history"
    label = "history"
    verbose_name = _("History")

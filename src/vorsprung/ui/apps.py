from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    """The UI kit every app's pages are built with: the page layout, form rendering,
    htmx and page helpers, template tags, and the vendored static files."""

    name = "vorsprung.ui"
    label = "ui"
    verbose_name = _("User interface")

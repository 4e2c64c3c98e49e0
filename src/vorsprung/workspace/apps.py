from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top-level pages: my day, the global search, settings, login and language."""

    name = "vorsprung.workspace"
    label = "workspace"
    verbose_name = _("Workspace")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The web interface's shell: layout, login, home, global search, language."""

    name = "vorsprung.workspace"
    label = "workspace"
    verbose_name = _("Workspace")

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Changed")
    DELETED = "deleted", _("Deleted")
    CONVERTED = "converted", _("Converted")

"""Reference data seeded at setup (the default pipeline and its stages, the lost and
disqualification reasons) reads in each reader's language until an administrator renames
it.

A seeded row carries a stable ``key``; its app lists the English names it was seeded with
(``seeded_names``, marked for translation). While the stored name is still that English
name, pages show its translation; once renamed, the name as typed. The database and the
API keep the stored name, so nothing depends on the reader's language.
"""

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SeededName(models.Model):
    """Mixin for reference rows with a seeded, translatable name."""

    key = models.CharField(
        _("key"),
        max_length=50,
        blank=True,
        editable=False,
        help_text=_("Set on the rows created at setup; their names are shown translated."),
    )

    # key → the English name the row was seeded with
    seeded_names: Mapping[str, str] = {}
    # the field holding the name
    name_field = "name"

    class Meta:
        abstract = True

    @property
    def shown_name(self) -> str:
        """The name in the reader's language while it is the seeded one, else as typed."""
        stored = getattr(self, self.name_field)
        if self.key and self.seeded_names.get(self.key) == stored:
            return gettext(stored)
        return stored

    def keeps_name(self, typed: str | None) -> bool:
        """Whether ``typed`` is the name the reader was shown: saving a form that shows
        the translated name unchanged is no rename."""
        return typed is not None and typed.strip() == self.shown_name


def shown_reason(text: str, seeded: Iterable[str]) -> str:
    """A reason kept on a record as text ("Price", or "Price: 20 % over budget"): a
    seeded reason's English label, alone or before the details, reads in the reader's
    language."""
    labels = set(seeded)
    head, sep, details = text.partition(": ")
    if head in labels:
        return f"{gettext(head)}{sep}{details}"
    return text

"""The qualification checklist: need, budget, authority, timeline. The one definition of
when an item is done, read by the lead page, the API (``qualification_gaps``) and
conversion alike.

An item is done when its evidence is recorded and, where the lead has a flag for it,
confirmed:

- need: the need is written down AND ``need_confirmed``;
- budget: an amount is entered AND ``budget_confirmed``;
- authority: the lead is the decision maker (``is_decision_maker``) OR the person who
  decides is named (``decision_maker``). Naming them is the evidence, so authority has no
  separate confirmation flag;
- timeline: an expected decision date is entered and, while the lead is open, it is not
  in the past (a date gone by is a gap: ask again when they will decide).

Each missing item says why (``reason``), so the page can tell "written but not confirmed"
from "not written".
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ITEMS = ("need", "budget", "authority", "timeline")

LABELS = {
    "need": _("Need"),
    "budget": _("Budget"),
    "authority": _("Authority"),
    "timeline": pgettext_lazy("qualification checklist item", "Timeline"),
}

# Why an item is missing: a code (stable, for tests and scripts) and what the page says.
REASONS = {
    "not_written": _("not written down yet"),
    "not_confirmed": _("written but not confirmed"),
    "nothing_confirmed": _("confirmed, but nothing is written down"),
    "no_amount": _("no amount entered"),
    "amount_not_confirmed": _("amount entered but not confirmed"),
    "confirmed_without_amount": _("confirmed, but no amount is entered"),
    "no_decision_maker": _("nobody named who decides"),
    "no_date": _("no decision date"),
    "date_in_past": _("the decision date is in the past"),
}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str
    reason: str = ""  # a key of REASONS when the item is missing

    @property
    def reason_text(self) -> str:
        return str(REASONS[self.reason]) if self.reason else ""


def _recorded_and_confirmed(recorded: bool, confirmed: bool, reasons: tuple[str, str, str]) -> str:
    """ "" when both hold, else the reason: (recorded only, confirmed only, neither)."""
    if recorded and confirmed:
        return ""
    only_recorded, only_confirmed, neither = reasons
    if recorded:
        return only_recorded
    return only_confirmed if confirmed else neither


def _need(lead) -> str:
    return _recorded_and_confirmed(
        bool(lead.need.strip()),
        lead.need_confirmed,
        ("not_confirmed", "nothing_confirmed", "not_written"),
    )


def _budget(lead) -> str:
    return _recorded_and_confirmed(
        lead.budget_amount is not None,
        lead.budget_confirmed,
        ("amount_not_confirmed", "confirmed_without_amount", "no_amount"),
    )


def _authority(lead) -> str:
    if lead.is_decision_maker is True or lead.decision_maker.strip():
        return ""
    return "no_decision_maker"


def _timeline(lead, today: datetime.date) -> str:
    if lead.expected_decision_date is None:
        return "no_date"
    if lead.is_open and lead.expected_decision_date < today:
        return "date_in_past"
    return ""


def missing_reasons(lead, *, today: datetime.date | None = None) -> dict[str, str]:
    """Each missing item's key → why it is missing (a key of ``REASONS``)."""
    today = today or timezone.localdate()
    reasons = {
        "need": _need(lead),
        "budget": _budget(lead),
        "authority": _authority(lead),
        "timeline": _timeline(lead, today),
    }
    return {key: reason for key, reason in reasons.items() if reason}


def checklist(lead, *, today: datetime.date | None = None) -> list[ChecklistItem]:
    """The four items in order, each done or missing with its reason."""
    missing = missing_reasons(lead, today=today)
    details = {
        "need": lead.need,
        "budget": f"{lead.budget_amount} {lead.budget_currency}".strip()
        if lead.budget_amount is not None
        else "",
        "authority": str(_("Is the decision maker"))
        if lead.is_decision_maker
        else lead.decision_maker,
        "timeline": lead.expected_decision_date.isoformat() if lead.expected_decision_date else "",
    }
    return [
        ChecklistItem(
            key=key,
            label=str(LABELS[key]),
            done=key not in missing,
            detail=details[key],
            reason=missing.get(key, ""),
        )
        for key in ITEMS
    ]

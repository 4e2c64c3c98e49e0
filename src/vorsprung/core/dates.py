import datetime

from django.utils.translation import gettext as _


def end_of_quarter(day: datetime.date) -> datetime.date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    if last_month == 12:
        return datetime.date(day.year, 12, 31)
    return datetime.date(day.year, last_month + 1, 1) - datetime.timedelta(days=1)


# The one range of dates and times Vorsprung accepts, from any form, the API or a service.
# Python's calendar ends at 9999-12-31: a moment near its ends cannot be shown in every time
# zone, and no customer follows up in the year 9999.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)

# Every time zone can show a moment at least a day away from the ends of the calendar.
_SHOWABLE_FROM = datetime.datetime.min + datetime.timedelta(days=1)
_SHOWABLE_UNTIL = datetime.datetime.max - datetime.timedelta(days=1)


def date_range_message() -> str:
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST.isoformat(),
        "latest": LATEST.isoformat(),
    }


def is_in_range(value: datetime.date) -> bool:
    """Whether a date, or a date and time (by its day as written), lies within
    ``EARLIEST`` … ``LATEST``."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


def check_in_range(value) -> None:
    """Raise ``ValueError`` with the message a user sees for a date or a date and time
    outside the accepted range; anything else passes."""
    if isinstance(value, datetime.date) and not is_in_range(value):
        raise ValueError(date_range_message())


def showable_moment(value: datetime.datetime | None) -> datetime.datetime | None:
    """``value``, or for a moment so near the ends of the calendar that some time zone
    cannot show it (stored before the range check existed), the nearest moment every time
    zone can show. Pages then render it instead of failing."""
    if value is None:
        return value
    naive = value.replace(tzinfo=None)
    if _SHOWABLE_FROM <= naive <= _SHOWABLE_UNTIL:
        return value
    return min(max(naive, _SHOWABLE_FROM), _SHOWABLE_UNTIL).replace(tzinfo=value.tzinfo)

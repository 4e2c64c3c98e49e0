import datetime


def end_of_quarter(day: datetime.date) -> datetime.date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    if last_month == 12:
        return datetime.date(day.year, 12, 31)
    return datetime.date(day.year, last_month + 1, 1) - datetime.timedelta(days=1)

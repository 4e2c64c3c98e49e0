"""Each list's filters, declared once as a django-filter FilterSet (as NetBox has them).

The page's filter form (``filterset.form``), the API's query parameters
(``core.api.filters.query_schema``) and the list selectors (``RecordFilterSet.narrow``)
all read the same declaration, so a filter cannot exist in one of them and not in the
others. The API documents each kind of filter below with its own type.

Values come as a query string, a ``QueryDict`` or a dict of Python values (lists of ids,
dates, flags); all three go through the same form fields.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The largest id a database column holds.
MAX_ID = 2**63 - 1
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}\S*")


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def as_query_data(filters) -> QueryDict | dict:
    """A query string becomes a QueryDict; dicts and QueryDicts stay as they are."""
    if filters is None:
        return {}
    if isinstance(filters, str):
        return QueryDict(filters.lstrip("?"))
    return filters


# --- form fields --------------------------------------------------------------------------


class ListSelect(forms.Select):
    """A drop-down that shows one choice but reads every value of its parameter
    (``?owner=1&owner=2``), as the API sends them."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)


class ListField(forms.Field):
    """Several values of one parameter; one value or a list; empty ones are ignored.
    ``convert`` turns each item into its Python value or raises ``ValueError``."""

    widget = ListSelect
    default_error_messages = {"invalid": _("“%(value)s” is not a valid value.")}

    def __init__(self, *, convert: Callable[[Any], Any], choices=(), **kwargs):
        self.convert = convert
        super().__init__(**kwargs)
        if choices:
            self.widget.choices = choices

    def to_python(self, value) -> list:
        if value in (None, ""):
            return []
        items = value if isinstance(value, list | tuple | set) else [value]
        converted = []
        for item in items:
            if item in (None, ""):
                continue
            try:
                converted.append(self.convert(item))
            except (TypeError, ValueError):
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": item}
                ) from None
        return converted


def to_id(value) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise ValueError(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


def to_owner(value) -> int | str:
    return "me" if value == "me" else to_id(value)


def to_flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ValueError(value)


def to_day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise ValueError(value)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        return datetime.date.fromisoformat(value.strip())
    raise ValueError(value)


def to_moment(value) -> datetime.date | datetime.datetime:
    """An ISO date (a whole day) or an ISO date and time; never a bare number."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    if ISO_DATE.fullmatch(text):
        return datetime.date.fromisoformat(text)
    if not ISO_DATETIME.fullmatch(text):
        raise ValueError(value)
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class SingleField(ListField):
    """One value (the last one sent), converted like a list item."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        values = super().to_python(value)
        return values[-1] if values else None


# --- filters ------------------------------------------------------------------------------


class TypedFilter(django_filters.Filter):
    """A filter with its own form field, which reads query strings and Python values
    alike."""

    field_class = ListField

    def __init__(self, field_name=None, lookup_expr="in", *, page_choices=None, **kwargs):
        # page_choices(user) -> [(value, label)]: what the page's drop-down offers.
        self.page_choices = page_choices
        super().__init__(field_name, lookup_expr, **kwargs)

    def filter(self, qs, value):
        if value in (None, "", [], ()):
            return qs
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": value})

    def apply(self, qs, value, *, user):
        """``filter`` for ``user``; the declared filter itself is shared, never changed."""
        return self.filter(qs, value)


class ChoicesFilter(TypedFilter):
    """Any of several values of a ``TextChoices`` field."""

    def __init__(self, field_name=None, *, choices, empty_label=None, **kwargs):
        self.choices_class = choices
        allowed = set(choices.values)

        def convert(value):
            value = str(value)
            if value not in allowed:
                raise ValueError(value)
            return value

        widget_choices = list(choices.choices)
        if empty_label is not None:
            widget_choices = [("", empty_label), *widget_choices]
        kwargs.setdefault("widget", ListSelect)
        super().__init__(field_name, convert=convert, choices=widget_choices, **kwargs)


class IdsFilter(TypedFilter):
    """Any of several record ids."""

    def __init__(self, field_name=None, **kwargs):
        kwargs.setdefault("convert", to_id)
        super().__init__(field_name, **kwargs)


class OwnerFilter(IdsFilter):
    """Owners by id; ``me`` is the user looking at the list."""

    def __init__(self, field_name="owner_id", **kwargs):
        super().__init__(field_name, convert=to_owner, **kwargs)

    def filter(self, qs, value):
        return self.apply(qs, value, user=self.parent.user)

    def apply(self, qs, value, *, user):
        ids = [user.pk if owner == "me" else owner for owner in value or ()]
        return super().filter(qs, ids)


class TeamFilter(IdsFilter):
    """Records owned by members of any of the teams."""

    def __init__(self, owner_field="owner_id", **kwargs):
        self.owner_field = owner_field
        super().__init__("team", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        members = get_user_model().objects.filter(team_id__in=value).values("pk")
        return qs.filter(**{f"{self.owner_field}__in": members})


class TextsFilter(TypedFilter):
    """Any of several texts; ``upper`` compares codes in capitals ("de" finds "DE")."""

    def __init__(self, field_name=None, *, upper=False, max_length=100, **kwargs):
        self.max_length = max_length

        def convert(value):
            text = str(value).strip()
            if len(text) > max_length:
                raise ValueError(value)
            return text.upper() if upper else text

        super().__init__(field_name, convert=convert, **kwargs)


class FlagFilter(TypedFilter):
    """Yes or no (``true``/``false``; the pages send ``yes``/``no``): the field's value,
    or whether the rows meet ``condition``."""

    field_class = SingleField

    def __init__(self, field_name=None, *, condition: Q | None = None, **kwargs):
        self.condition = condition
        kwargs.setdefault("widget", forms.Select)
        super().__init__(field_name, "in", convert=to_flag, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.condition is not None:
            return qs.filter(self.condition if value else ~self.condition)
        # "IN (0)" rather than "NOT flag": SQLite looks the former up in an index.
        return qs.filter(**{f"{self.field_name}__in": [value]})


class NumberFilter(TypedFilter):
    """A whole number bound (``lookup_expr`` "gte" or "lte")."""

    field_class = SingleField

    def __init__(self, field_name, lookup_expr, *, minimum, maximum, **kwargs):
        self.minimum, self.maximum = minimum, maximum

        def convert(value):
            if isinstance(value, bool):
                raise ValueError(value)
            number = value if isinstance(value, int) else int(str(value).strip())
            if not minimum <= number <= maximum:
                raise ValueError(value)
            return number

        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": max(minimum, 0)}))
        super().__init__(field_name, lookup_expr, convert=convert, **kwargs)


class DayFilter(TypedFilter):
    """A date bound, both ends inclusive (``lookup_expr`` "gte" or "lte")."""

    field_class = SingleField

    def __init__(self, field_name, lookup_expr, **kwargs):
        kwargs.setdefault("widget", DATE_INPUT)
        super().__init__(field_name, lookup_expr, convert=to_day, **kwargs)


class MomentFilter(TypedFilter):
    """A bound in time: from (``end=False``) or before (``end=True``). A date and time is
    exact (the end is exclusive); a date alone means the whole day: from its start, or
    until its end (the page's "until" includes the day)."""

    field_class = SingleField

    def __init__(self, field_name, *, end: bool, **kwargs):
        self.end = end
        kwargs.setdefault("widget", DATE_INPUT)
        super().__init__(field_name, "lt" if end else "gte", convert=to_moment, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if not isinstance(value, datetime.datetime):
            value = start_of_day(value + datetime.timedelta(days=1) if self.end else value)
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": value})


class SearchFilter(TypedFilter):
    """The search term. The list's selector applies it (through ``vorsprung.search``);
    here it is declared and shown. A term beyond ``max_length`` is cut there (the API
    refuses it): it could only match less, never select more."""

    field_class = SingleField

    def __init__(self, *, max_length=200, hint="", **kwargs):
        self.max_length = max_length

        def convert(value):
            return str(value)[:max_length]

        attrs = {"placeholder": hint} if hint else {}
        kwargs.setdefault("widget", forms.SearchInput(attrs=attrs))
        kwargs.setdefault("label", _("Search"))
        super().__init__(None, convert=convert, **kwargs)

    def filter(self, qs, value):
        return qs


class OneOfFilter(TypedFilter):
    """One named condition out of a few (``conditions``: value → Q)."""

    field_class = SingleField

    def __init__(self, *, conditions: dict[str, Q], labels: dict[str, str], **kwargs):
        self.conditions = conditions

        def convert(value):
            if value not in conditions:
                raise ValueError(value)
            return value

        kwargs.setdefault("widget", forms.Select(choices=list(labels.items())))
        super().__init__(None, convert=convert, **kwargs)

    def filter(self, qs, value):
        return qs if value is None else qs.filter(self.conditions[value])


# --- the filter sets ----------------------------------------------------------------------


def _once(choices: Callable, user) -> Callable:
    """``choices(user)``, read from the database when the page first shows them (a form
    that is only validated never asks), and only once however often they are shown."""
    found: list = []

    def read():
        if not found:
            found.append(list(choices(user)))
        return found[0]

    return read


class ListFilterSet(django_filters.FilterSet):
    """A list's filters and orderings (value → label; the first is the default).

    ``user`` is the person looking at the list ("me" in owner filters, the pages'
    choices). ``form`` replaces the form's base class (the pages style theirs)."""

    orderings: ClassVar[dict[str, str]] = {}

    def __init__(self, data=None, queryset=None, *, user=None, form=None, **kwargs):
        self.user = user
        self.form_base = form
        super().__init__(data, queryset, **kwargs)

    @classmethod
    def default_ordering(cls) -> str:
        return next(iter(cls.orderings))

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        if self.orderings:
            fields["ordering"] = forms.ChoiceField(
                label=_("Sort by"), choices=list(self.orderings.items()), required=False
            )
        base = self.form_base or self._meta.form
        return type(f"{type(self).__name__}Form", (base,), fields)

    @property
    def form(self):
        form = super().form
        if self.user is not None and not getattr(form, "_page_choices", False):
            form._page_choices = True
            for name, filter_ in self.filters.items():
                if getattr(filter_, "page_choices", None) is not None:
                    form.fields[name].widget.choices = _once(filter_.page_choices, self.user)
        return form

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].apply(queryset, value, user=self.user)
        return queryset

    def chosen_ordering(self) -> str:
        """The valid ordering asked for, or the list's default."""
        if self.is_bound:
            self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return data.get("ordering") or self.default_ordering()

    def values(self) -> dict:
        """The valid filters asked for, as Python values (invalid ones left out)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {
            name: value
            for name, value in getattr(self.form, "cleaned_data", {}).items()
            if name in self.filters and value not in (None, "", [])
        }

    @classmethod
    def narrow(cls, queryset: QuerySet, filters, *, user) -> tuple[QuerySet, dict]:
        """``queryset`` narrowed by ``filters`` (a query string, QueryDict or dict), and
        the filter values. Raises ValidationError naming each invalid filter: a list
        narrowed by less than was asked (a bulk change of "every lead matching") would
        act on records nobody chose."""
        data = as_query_data(filters)
        if not data:
            return queryset, {}
        # The declared filters and their form fields are read, never changed: no copies
        # and no form per call, which would cost more than building the query.
        values, errors = {}, {}
        for name, filter_ in cls.base_filters.items():
            if name not in data:
                continue
            field = filter_.field
            try:
                value = field.clean(field.widget.value_from_datadict(data, {}, name))
            except ValidationError as exc:
                errors[name] = exc.messages
                continue
            if value not in (None, "", []):
                values[name] = value
        if errors:
            raise ValidationError(errors)
        for name, value in values.items():
            queryset = cls.base_filters[name].apply(queryset, value, user=user)
        return queryset, values


class RecordFilterSet(ListFilterSet):
    """What every owned record's list filters by: a search term, the owner's team, and
    when a record was created or last changed."""

    q = SearchFilter()
    team = TeamFilter(label=_("Team"))
    created_after = MomentFilter("created_at", end=False, label=_("Created from"))
    created_before = MomentFilter("created_at", end=True, label=_("Created until"))
    updated_after = MomentFilter("updated_at", end=False, label=_("Changed from"))
    updated_before = MomentFilter("updated_at", end=True, label=_("Changed until"))

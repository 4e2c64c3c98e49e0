"""Reads for leads. Every function takes the user and applies record visibility."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from vorsprung.accounts.visibility import visible_to
from vorsprung.core.errors import ValidationError
from vorsprung.core.normalisers import company_key
from vorsprung.core.picklists import picklist_entries
from vorsprung.customers.models import Contact, Organization
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.leads.filtersets import LeadFilterSet
from vorsprung.leads.models import ConversionPolicy, DisqualifyReason, Lead
from vorsprung.search.selectors import search_filter

FUZZY_NAME_THRESHOLD = 85
MAX_MATCHES = 10
NAME_PREFIX_LENGTH = 3
FUZZY_CANDIDATES = 2000


def lead_list(*, user, filters: dict | QueryDict | str | None = None) -> QuerySet[Lead]:
    """The leads the user may see, narrowed by ``filters`` as ``LeadFilterSet`` declares
    them (status, source, owner — ids or "me" —, team, industry, country, is_open,
    created/updated ranges, score range, q: through the search index). ``filters`` is a
    dict of values, a QueryDict or a query string such as the lead page's, which selects
    "every lead matching the current filters" for bulk actions. Invalid filters raise
    ValidationError naming each; they never widen the selection."""
    leads, filters = LeadFilterSet.narrow(
        visible_to(Lead.objects.select_related("owner"), user), filters, user=user
    )
    if filters.get("q"):
        leads = search_filter(leads, filters["q"])
    return leads


# The most leads one bulk action changes; more are refused (select fewer and repeat).
LEAD_BULK_MAX = 200


def lead_bulk_selection(*, user, ids: list[int] | None = None, filters=None) -> list[Lead]:
    """The leads a bulk action is to change: the ``ids`` picked one by one, or every lead
    matching ``filters`` (the lead list's filters, as a query string, QueryDict or dict;
    the same declaration the list and the API read). Refuses ids the user may not see,
    filters that match nothing, and more than ``LEAD_BULK_MAX`` leads."""
    if filters is not None:
        try:
            matching = lead_list(user=user, filters=filters)
        except ValidationError as exc:
            raise ValidationError({"filters": exc.messages}) from exc
        leads = list(matching.order_by("pk")[: LEAD_BULK_MAX + 1])
        if not leads:
            raise ValidationError({"filters": [_("No lead matches these filters.")]})
        if len(leads) > LEAD_BULK_MAX:
            raise ValidationError(
                {
                    "filters": [
                        _(
                            "More than %(max)s leads match these filters; narrow them and "
                            "repeat, at most %(max)s at once."
                        )
                        % {"max": LEAD_BULK_MAX}
                    ]
                }
            )
        return leads
    ids = list(ids or [])
    leads = list(leads_visible(user=user).filter(pk__in=ids))
    missing = sorted(set(ids) - {lead.pk for lead in leads})
    if missing:
        raise ValidationError(
            {
                "ids": [
                    _("No lead with id %(ids)s that you may see.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                ]
            }
        )
    return leads


def lead_get(*, user, id: int) -> Lead:
    """The lead, with its owner, if the user may see it; ``Lead.DoesNotExist`` otherwise."""
    return leads_visible(user=user).get(pk=id)


def leads_visible(*, user) -> QuerySet[Lead]:
    """Every lead the user may see, with its owner, unfiltered."""
    return visible_to(Lead.objects.select_related("owner"), user)


def disqualify_reason_labels() -> list[tuple[str, str]]:
    """The reasons offered when a lead is disqualified, in their order: (label as stored
    on the lead, label as the reader reads it)."""
    return [(reason.label, reason.shown_name) for reason in disqualify_reason_list()]


def disqualify_reason_list(*, include_retired: bool = False) -> QuerySet[DisqualifyReason]:
    """The disqualification reasons, offered ones first in their order (retired ones
    after them, when asked for). Everyone may read them."""
    return picklist_entries(DisqualifyReason, include_retired=include_retired)


def disqualify_reason_get(*, id: int) -> DisqualifyReason:
    return DisqualifyReason.objects.get(pk=id)


def conversion_policy_get() -> ConversionPolicy:
    """How strict conversion is (one row; created with its defaults when missing)."""
    return ConversionPolicy.current()


@dataclass(frozen=True)
class Match:
    record: Organization | Contact
    reason: str
    score: int
    # Strong enough to attach to unless the user says otherwise: the only organization with
    # the lead's domain or exactly its name, the only contact with its e-mail address.
    strong: bool = False


@dataclass(frozen=True)
class ConversionMatches:
    organizations: list[Match]
    contacts: list[Match]

    def suggested(self) -> tuple[Organization | None, Contact | None]:
        """The organization and contact the wizard picks for the user: the strong matches
        (see ``Match.strong``), as long as they agree (a contact of another organization
        than the suggested one is not suggested)."""
        organization = next((m.record for m in self.organizations if m.strong), None)
        contact = next((m.record for m in self.contacts if m.strong), None)
        if contact is not None and contact.organization_id is not None:
            if organization is None:
                organization = next(
                    (
                        m.record
                        for m in self.organizations
                        if m.record.pk == contact.organization_id
                    ),
                    None,
                )
            if organization is None or organization.pk != contact.organization_id:
                contact = None
        return organization, contact


def conversion_matches(*, user, lead: Lead) -> ConversionMatches:
    """Existing organizations (by domain or name) and contacts (by e-mail, or by name at a
    matching organization) the user may see, for the user to attach the lead to."""
    organizations = _organization_matches(user, lead)
    contacts = _contact_matches(user, lead, [m.record.pk for m in organizations])
    return ConversionMatches(organizations=organizations, contacts=contacts)


def _organization_matches(user, lead: Lead) -> list[Match]:
    """Same domain or same name key first; then names that share the key's first letters,
    scored by rapidfuzz. Each kind of candidate is fetched by its own indexed query, so a
    common first word cannot crowd out an exact match."""
    visible = organization_list(user=user).select_related(None)
    key = company_key(lead.company)
    found: dict[int, Match] = {}
    if lead.domain:
        same_domain = list(visible.filter(domain=lead.domain)[:MAX_MATCHES])
        for organization in same_domain:
            found[organization.pk] = Match(organization, "domain", 100, len(same_domain) == 1)
    if key:
        same_name = list(visible.filter(name_key=key)[:MAX_MATCHES])
        # An exact name is strong only when no organization has the lead's domain.
        unique_name = len(same_name) == 1 and not found
        for organization in same_name:
            found.setdefault(organization.pk, Match(organization, "name", 100, unique_name))
        prefix = key[:NAME_PREFIX_LENGTH]
        # A range, not ``startswith``: SQLite's LIKE ignores case and so cannot use the
        # name_key index; the keys are lower case, so the range finds the same rows.
        candidates = (
            visible.filter(name_key__gte=prefix, name_key__lt=prefix + "\U0010ffff")
            .exclude(pk__in=list(found))
            .order_by("name_key", "pk")
        )
        for organization in candidates.only("pk", "name", "name_key")[:FUZZY_CANDIDATES]:
            score = int(fuzz.token_sort_ratio(key, organization.name_key))
            if score >= FUZZY_NAME_THRESHOLD:
                found[organization.pk] = Match(organization, "name", score)
    matches = sorted(
        found.values(),
        key=lambda m: (not m.strong, m.reason != "domain", -m.score, m.record.name),
    )
    return matches[:MAX_MATCHES]


def _contact_matches(user, lead: Lead, organization_ids: list[int]) -> list[Match]:
    condition = Q()
    if lead.email:
        condition |= Q(email__iexact=lead.email)
    if organization_ids and lead.last_name:
        condition |= Q(organization_id__in=organization_ids, last_name__iexact=lead.last_name)
    if not condition:
        return []
    contacts = contact_list(user=user).select_related(None).select_related("organization")
    contacts = contacts.filter(condition)
    matches = []
    found = list(contacts[:50])
    same_email = [c for c in found if lead.email and c.email.lower() == lead.email.lower()]
    for contact in found:
        if contact in same_email:
            matches.append(Match(contact, "email", 100, len(same_email) == 1))
        elif (contact.first_name or "").lower() == (lead.first_name or "").lower():
            matches.append(Match(contact, "name", 90))
        else:
            matches.append(Match(contact, "last_name", 70))
    matches.sort(key=lambda m: (-m.score, m.record.last_name))
    return matches[:MAX_MATCHES]

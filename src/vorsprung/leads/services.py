"""Writes for leads: create, update, status moves, disqualify, reopen, convert.

Each function is one transaction. Functions whose outcome depends on the lead's current
status re-read it with a row lock first, so two people acting at once cannot both win.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from vorsprung.accounts.permissions import check_may_delete
from vorsprung.activities.choices import INTERACTION_KINDS, Direction
from vorsprung.activities.services import (
    activity_record_cascade,
    activity_relink_converted_lead,
)
from vorsprung.core.dates import end_of_quarter
from vorsprung.core.errors import REFUSALS, Conflict, NotAllowed, ValidationError, refusal_messages
from vorsprung.core.normalisers import email_domain, normalise_domain
from vorsprung.core.transactions import service
from vorsprung.core.validation import FieldErrors, apply_fields, check_seen, check_version
from vorsprung.customers.models import Contact, Organization
from vorsprung.customers.services import (
    contact_create,
    contact_fill_empty,
    derive_size_band,
    organization_create,
    organization_fill_empty,
)
from vorsprung.history.choices import Action
from vorsprung.history.services import (
    history_batch,
    history_record_changes,
    history_record_created,
    history_record_deleted,
    history_snapshot,
)
from vorsprung.leads import transitions
from vorsprung.leads.choices import LeadStatus
from vorsprung.leads.models import ConversionPolicy, Lead
from vorsprung.leads.selectors import LEAD_BULK_MAX, leads_visible
from vorsprung.sales.choices import ContactRole
from vorsprung.sales.models import Opportunity, Pipeline, Stage
from vorsprung.sales.services import opportunity_create

LEAD_FIELDS = frozenset(
    {
        "salutation",
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "job_title",
        "company",
        "website",
        "industry",
        "size_band",
        "employee_count",
        "annual_revenue",
        "street",
        "postal_code",
        "city",
        "region",
        "country",
        "source",
        "source_detail",
        "owner",
        "next_follow_up_at",
        "description",
        "need",
        "need_confirmed",
        "budget_amount",
        "budget_currency",
        "budget_confirmed",
        "is_decision_maker",
        "decision_maker",
        "expected_decision_date",
        "attributes",
    }
)

# What a conversion writes on the lead, besides its status.
CONVERSION_FIELDS = (
    "converted_at",
    "converted_contact",
    "converted_organization",
    "converted_opportunity",
)

OPPORTUNITY_OPTIONS = frozenset(
    {"name", "amount", "currency", "close_date", "pipeline", "stage", "owner"}
)


def _derive_lead_fields(lead: Lead, data: dict) -> None:
    # The domain is derived, never typed: from the website, else from a company address.
    lead.domain = normalise_domain(lead.website) if lead.website else email_domain(lead.email)
    derive_size_band(lead, data)
    if lead.budget_amount is not None and not lead.budget_currency:
        lead.budget_currency = settings.VORSPRUNG_DEFAULT_CURRENCY


def _validate_lead(lead: Lead) -> None:
    if not lead.last_name and not lead.email:
        raise ValidationError(
            {"last_name": [_("A lead needs at least a last name or an e-mail address.")]}
        )
    if lead.attributes is None:
        lead.attributes = {}
    if not isinstance(lead.attributes, dict):
        raise ValidationError(
            {"attributes": [_("Extra attributes must be an object of name → value.")]}
        )


def lead_lock(lead: Lead) -> Lead:
    """Re-read the lead with a row lock held to the end of the transaction. NO KEY UPDATE:
    it serialises status changes without blocking rows that merely reference the lead
    (an activity being inserted), which would otherwise deadlock."""
    return Lead.objects.select_for_update(no_key=True).get(pk=lead.pk)


def _refuse_if_converted(lead: Lead) -> None:
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(
            _(
                "This lead was converted on %(date)s and is read-only; change the contact, "
                "organization or opportunity it became instead."
            )
            % {
                "date": timezone.localtime(lead.converted_at).strftime("%Y-%m-%d %H:%M")
                if lead.converted_at
                else "?"
            },
            code="lead_converted",
        )


@service
def lead_create(*, actor, **data) -> Lead:
    """Create a lead in status ``new``. It needs a last name or an e-mail address.
    The owner defaults to the acting user (none for anonymous web-form leads)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        data.setdefault("owner", actor)
    lead = Lead()
    apply_fields(lead, data, editable=LEAD_FIELDS)
    _validate_lead(lead)
    _derive_lead_fields(lead, data)
    lead.save()
    history_record_created(actor=actor, record=lead)
    return lead


@service
def lead_update(
    *,
    actor,
    lead: Lead,
    expected_version: int | None = None,
    seen: dict[str, str] | None = None,
    **data,
) -> Lead:
    """Change a lead's fields. The status changes only through the status operations;
    a converted lead is read-only. ``expected_version`` refuses any change made since
    (the API's If-Match); ``seen`` (an edit form's view of its fields) refuses only a
    change to one of those fields."""
    lead = lead_lock(lead)
    _refuse_if_converted(lead)
    check_version(lead, expected_version)
    check_seen(lead, seen)
    before = history_snapshot(lead)
    apply_fields(lead, data, editable=LEAD_FIELDS, region=lead.country.code or "")
    _validate_lead(lead)
    _derive_lead_fields(lead, data)
    lead.save()
    history_record_changes(actor=actor, record=lead, before=before)
    return lead


def _refuse_move(lead: Lead, status: str) -> None:
    allowed = transitions.allowed_moves(lead.status)
    allowed_labels = ", ".join(str(LeadStatus(s).label) for s in allowed) or _("none")
    raise Conflict(
        _("A lead cannot move from “%(from)s” to “%(to)s”. Allowed from here: %(allowed)s.")
        % {
            "from": lead.get_status_display(),
            "to": LeadStatus(status).label,
            "allowed": allowed_labels,
        },
        code="status_move_not_allowed",
    )


def _check_status(status: str) -> None:
    if status not in LeadStatus.values:
        raise ValidationError(
            {
                "status": [
                    _("Unknown status “%(status)s”. Choose one of: %(values)s.")
                    % {"status": status, "values": ", ".join(LeadStatus.values)}
                ]
            }
        )


def _reason_for(status: str, reason: str) -> str:
    """The reason, trimmed; moving to ``unqualified`` needs one."""
    reason = (reason or "").strip()
    if status == LeadStatus.UNQUALIFIED and not reason:
        raise ValidationError({"reason": [_("Say why the lead is unqualified.")]})
    return reason


@service
def lead_change_status(
    *, actor, lead: Lead, status: str, reason: str = "", expected_version: int | None = None
) -> Lead:
    """Move a lead to another status along the allowed moves (see ``transitions``).
    Moving to ``unqualified`` needs a reason; ``converted`` is reached only by
    ``lead_convert``. A stale ``expected_version`` is refused."""
    _check_status(status)
    lead = lead_lock(lead)
    check_version(lead, expected_version)
    if status == LeadStatus.CONVERTED and lead.status != LeadStatus.CONVERTED:
        raise Conflict(
            _(
                "A lead becomes converted only by converting it, which creates its contact, "
                "organization and opportunity."
            ),
            code="status_move_not_allowed",
        )
    _refuse_if_converted(lead)
    if not transitions.is_allowed(lead.status, status):
        _refuse_move(lead, status)
    reason = _reason_for(status, reason)
    before = history_snapshot(lead)
    lead.status = status
    lead.disqualification_reason = reason[:255] if status == LeadStatus.UNQUALIFIED else ""
    lead.save(update_fields=["status", "disqualification_reason"])
    history_record_changes(actor=actor, record=lead, before=before, note=reason)
    return lead


def lead_disqualify(*, actor, lead: Lead, reason: str, expected_version: int | None = None) -> Lead:
    """Close an open lead as unqualified, with the reason."""
    return lead_change_status(
        actor=actor,
        lead=lead,
        status=LeadStatus.UNQUALIFIED,
        reason=reason,
        expected_version=expected_version,
    )


@service
def lead_reopen(*, actor, lead: Lead, expected_version: int | None = None) -> Lead:
    """Bring an unqualified lead back to ``working``."""
    locked = lead_lock(lead)
    check_version(locked, expected_version)
    if locked.status != LeadStatus.UNQUALIFIED:
        _refuse_if_converted(locked)
        raise Conflict(
            _("Only an unqualified lead can be reopened; this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="not_unqualified",
        )
    return lead_change_status(actor=actor, lead=locked, status=LeadStatus.WORKING)


@service
def lead_mark_contacted(*, actor, lead: Lead) -> Lead:
    """A first interaction moves a new lead to ``working``; other statuses stay."""
    lead = lead_lock(lead)
    if lead.status == LeadStatus.NEW:
        return lead_change_status(actor=actor, lead=lead, status=LeadStatus.WORKING)
    return lead


@service
def lead_delete(*, actor, lead: Lead) -> None:
    """Delete a lead and its own activities; the history keeps what they were. A
    converted lead stays: it is the record of where its contact, organization and
    opportunity came from."""
    check_may_delete(actor)
    lead = lead_lock(lead)
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(
            _("A converted lead cannot be deleted; it records where its contact came from."),
            code="lead_converted",
        )
    activity_record_cascade(actor=actor, lead=lead)
    history_record_deleted(actor=actor, record=lead)
    lead.delete()


# --- Bulk actions -------------------------------------------------------------------------


def _bulk_refusal(lead: Lead, exc: Exception) -> Exception:
    """The single lead's refusal, saying which lead it was and that nothing changed."""

    def text(detail) -> str:
        return _("Nothing was changed: %(lead)s — %(detail)s") % {"lead": lead, "detail": detail}

    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return ValidationError(
            {field: [text(m) for m in messages] for field, messages in exc.message_dict.items()}
        )
    detail = " ".join(str(m) for m in refusal_messages(exc))
    if isinstance(exc, Conflict):
        return Conflict(text(detail), code=exc.code)
    if isinstance(exc, NotAllowed):
        return NotAllowed(text(detail))
    return ValidationError(text(detail))


def _lead_bulk(leads, change) -> list[Lead]:
    """Apply ``change`` (a one-lead service call) to every lead, all or nothing: the rows
    are locked in the order of their ids (two bulk actions cannot deadlock), each lead's
    history is written by its service, in one INSERT."""
    ids = sorted({lead.pk for lead in leads})
    if not ids:
        raise ValidationError({"leads": [_("Select at least one lead.")]})
    if len(ids) > LEAD_BULK_MAX:
        raise ValidationError(
            {"leads": [_("Select at most %(max)s leads at once.") % {"max": LEAD_BULK_MAX}]}
        )
    locked = list(Lead.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise Conflict(_("Some of the selected leads no longer exist."), code="leads_gone")
    changed = []
    with history_batch():
        for lead in locked:
            try:
                changed.append(change(lead))
            except REFUSALS as exc:
                raise _bulk_refusal(lead, exc) from exc
    return changed


@service
def lead_bulk_assign(*, actor, leads, owner) -> list[Lead]:
    """Give every lead (at most ``LEAD_BULK_MAX``) the owner, through ``lead_update``;
    one refusal (a converted lead) changes none and names the lead."""
    return _lead_bulk(leads, lambda lead: lead_update(actor=actor, lead=lead, owner=owner))


@service
def lead_bulk_change_status(*, actor, leads, status: str, reason: str = "") -> list[Lead]:
    """Move every lead (at most ``LEAD_BULK_MAX``) to ``status`` through
    ``lead_change_status``; one refused move changes none and names the lead."""
    _check_status(status)
    reason = _reason_for(status, reason)
    return _lead_bulk(
        leads,
        lambda lead: lead_change_status(actor=actor, lead=lead, status=status, reason=reason),
    )


def lead_bulk_disqualify(*, actor, leads, reason: str) -> list[Lead]:
    """Close every lead (at most ``LEAD_BULK_MAX``) as unqualified, with the reason."""
    return lead_bulk_change_status(
        actor=actor, leads=leads, status=LeadStatus.UNQUALIFIED, reason=reason
    )


def lead_activity_logged(*, actor, record: Lead, activity) -> None:
    """A done outbound interaction (call, e-mail, meeting …) with a new lead means it has
    been contacted: it moves to ``working``. Called by ``activity_create``."""
    if (
        activity.done
        and activity.kind in INTERACTION_KINDS
        and activity.direction != Direction.INBOUND
    ):
        lead_mark_contacted(actor=actor, lead=record)


# --- Conversion -------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversionResult:
    lead: Lead
    contact: Contact
    organization: Organization | None
    opportunity: Opportunity | None


def _organization_values(lead: Lead) -> dict:
    return {
        "name": lead.company,
        "website": lead.website,
        "domain": lead.domain,
        "industry": lead.industry,
        "size_band": lead.size_band,
        "employee_count": lead.employee_count,
        "annual_revenue": lead.annual_revenue,
        "annual_revenue_currency": (
            settings.VORSPRUNG_DEFAULT_CURRENCY if lead.annual_revenue is not None else ""
        ),
        "phone": lead.phone,
        "street": lead.street,
        "postal_code": lead.postal_code,
        "city": lead.city,
        "region": lead.region,
        "country": lead.country.code or "",
    }


def _contact_values(lead: Lead) -> dict:
    return {
        "salutation": lead.salutation,
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "email": lead.email,
        "phone": lead.phone,
        "mobile": lead.mobile,
        "job_title": lead.job_title,
        "is_decision_maker": bool(lead.is_decision_maker),
        "street": lead.street,
        "postal_code": lead.postal_code,
        "city": lead.city,
        "country": lead.country.code or "",
    }


def _opportunity_options(options: dict | None) -> dict:
    options = dict(options or {})
    unknown = sorted(set(options) - OPPORTUNITY_OPTIONS)
    if unknown:
        raise ValidationError(
            {f"opportunity.{name}": [_("This field does not exist.")] for name in unknown}
        )
    return options


@service
def lead_convert(
    *,
    actor,
    lead: Lead,
    organization: Organization | None = None,
    contact: Contact | None = None,
    create_opportunity: bool = True,
    opportunity: dict | None = None,
    accept_qualification_gaps: bool = False,
    expected_version: int | None = None,
) -> ConversionResult:
    """Turn an open lead into a contact, an organization (when it names a company or
    the caller picks one) and optionally an opportunity, all at once.

    - ``organization`` / ``contact``: existing records to attach to; only their empty
      fields are filled from the lead. The contact must belong to the organization.
    - ``opportunity``: name, amount, currency, close_date, pipeline, stage, owner;
      defaults are the company name, the end of this quarter and the first stage of the
      default pipeline.
    - The lead's activities move onto the contact's (and opportunity's) timeline; the lead
      becomes ``converted``, read-only, linked to what it became.

    - Qualification: a lead whose checklist (need, budget, authority, timeline) has gaps
      converts only with ``accept_qualification_gaps``; when the conversion policy
      requires a complete checklist, it does not convert at all.

    Refuses a lead that is already converted (Conflict) or unqualified (Conflict: reopen
    it first), or whose version is not ``expected_version``. Writes nothing when anything
    is refused. A lead the actor may not see does not exist for them
    (``Lead.DoesNotExist``), so callers may pass ``Lead(pk=id)``.
    """
    # The conversion policy comes with the lead: one round trip fewer.
    policy = ConversionPolicy.objects.filter(pk=1).values("require_complete_qualification")
    lead = (
        leads_visible(user=actor)
        .annotate(strict_policy=Coalesce(Subquery(policy), Value(False)))
        .select_for_update(no_key=True, of=("self",))
        .get(pk=lead.pk)
    )
    check_version(lead, expected_version)
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(_("This lead is already converted."), code="already_converted")
    if lead.status not in transitions.CONVERTIBLE:
        raise Conflict(
            _("An unqualified lead cannot be converted; reopen it first."), code="not_convertible"
        )
    _check_qualification(lead, accept_gaps=accept_qualification_gaps, strict=lead.strict_policy)
    options = _opportunity_options(opportunity)
    errors = FieldErrors()
    if (
        contact is not None
        and organization is not None
        and contact.organization_id
        not in (
            None,
            organization.pk,
        )
    ):
        errors.add(
            "contact_id", _("This contact belongs to another organization than the one chosen.")
        )
    if (
        create_opportunity
        and organization is None
        and not lead.company
        and (contact is None or contact.organization_id is None)
    ):
        errors.add(
            "create_opportunity",
            _(
                "An opportunity needs an organization: the lead names no company; pick an "
                "existing organization or convert without an opportunity."
            ),
        )
    errors.raise_if_any()

    with history_batch():
        return _convert(
            actor=actor,
            lead=lead,
            organization=organization,
            contact=contact,
            create_opportunity=create_opportunity,
            options=options,
        )


def _convert(*, actor, lead, organization, contact, create_opportunity, options):
    owner = lead.owner or actor
    if organization is None and contact is not None and contact.organization_id:
        organization = contact.organization
    if organization is not None:
        organization = organization_fill_empty(
            actor=actor, organization=organization, values=_organization_values(lead)
        )
    elif lead.company:
        organization = organization_create(
            actor=actor,
            owner=owner,
            **{k: v for k, v in _organization_values(lead).items() if v not in (None, "")},
        )

    contact_values = _contact_values(lead)
    if contact is not None:
        contact = contact_fill_empty(
            actor=actor, contact=contact, values=contact_values, organization=organization
        )
    else:
        contact = contact_create(
            actor=actor,
            owner=owner,
            organization=organization,
            **{k: v for k, v in contact_values.items() if v not in (None, "")},
        )

    new_opportunity = None
    if create_opportunity:
        pipeline: Pipeline | None = options.get("pipeline")
        stage: Stage | None = options.get("stage")
        try:
            new_opportunity = opportunity_create(
                actor=actor,
                pipeline=pipeline,
                stage=stage,
                name=options.get("name") or lead.company or organization.name,
                organization=organization,
                primary_contact=contact,
                amount=options.get("amount", lead.budget_amount),
                currency=options.get("currency") or lead.budget_currency or None,
                expected_close_date=options.get("close_date") or conversion_close_date(lead),
                source=lead.source,
                source_lead=lead,
                owner=options.get("owner") or owner,
                contact_roles=[(contact, ContactRole.DECISION_MAKER)]
                if lead.is_decision_maker
                else [],
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"opportunity.{_option_name(k)}": v for k, v in exc.message_dict.items()}
            ) from exc

    activity_relink_converted_lead(
        actor=actor,
        lead=lead,
        contact=contact,
        organization=organization,
        opportunity=new_opportunity,
    )

    before = history_snapshot(lead)
    lead.status = LeadStatus.CONVERTED
    lead.converted_at = timezone.now()
    lead.converted_contact = contact
    lead.converted_organization = organization
    lead.converted_opportunity = new_opportunity
    lead.save(update_fields=[*CONVERSION_FIELDS, "status"])
    history_record_changes(actor=actor, record=lead, before=before, action=Action.CONVERTED)
    return ConversionResult(
        lead=lead, contact=contact, organization=organization, opportunity=new_opportunity
    )


def _check_qualification(lead: Lead, *, accept_gaps: bool, strict: bool) -> None:
    """Refuse a lead with gaps in its checklist unless they are accepted; refuse it
    regardless when the conversion policy is ``strict``."""
    gaps = [item.label for item in lead.qualification_checklist() if not item.done]
    if not gaps:
        return
    missing = ", ".join(gaps)
    if strict:
        raise ValidationError(
            {
                "qualification": [
                    _(
                        "Complete the qualification checklist before converting; "
                        "still missing: %(missing)s."
                    )
                    % {"missing": missing}
                ]
            }
        )
    if not accept_gaps:
        raise ValidationError(
            {
                "accept_qualification_gaps": [
                    _(
                        "The qualification checklist is incomplete (missing: %(missing)s). "
                        "Confirm that you want to convert anyway."
                    )
                    % {"missing": missing}
                ]
            }
        )


def conversion_close_date(lead: Lead) -> datetime.date:
    """The expected close date a lead's opportunity gets unless the user picks one: the
    lead's expected decision date while it lies ahead, otherwise the end of this quarter."""
    today = timezone.localdate()
    decision = lead.expected_decision_date
    return decision if decision is not None and decision >= today else end_of_quarter(today)


def _option_name(field: str) -> str:
    return {"expected_close_date": "close_date"}.get(field, field)

"""Writes for pipelines and opportunities. Each function is one transaction; stage
changes lock the opportunity row and record history."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vorsprung.accounts.permissions import check_is_admin, check_may_delete
from vorsprung.activities.services import activity_record_cascade
from vorsprung.core.dates import end_of_quarter
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.transactions import service
from vorsprung.core.validation import FieldErrors, apply_fields, check_seen, check_version
from vorsprung.customers.choices import Lifecycle
from vorsprung.customers.models import Contact
from vorsprung.history.services import (
    SystemNote,
    history_record_changes,
    history_record_created,
    history_record_deleted,
    history_record_field,
    history_snapshot,
)
from vorsprung.sales.choices import ContactRole, ForecastCategory
from vorsprung.sales.models import Opportunity, OpportunityContactRole, Pipeline, Stage
from vorsprung.sales.selectors import pipeline_default_entry, pipeline_first_open_stage

OPPORTUNITY_FIELDS = frozenset(
    {
        "name",
        "organization",
        "primary_contact",
        "amount",
        "currency",
        "probability",
        "forecast_category",
        "expected_close_date",
        "next_step",
        "source",
        "source_lead",
        "description",
        "owner",
    }
)


STAGE_FIELDS = frozenset({"name", "probability", "forecast_category", "is_won", "is_lost"})


def _check_stage_in_use(stage: Stage) -> None:
    """A deactivated pipeline takes no opportunity into any of its stages."""
    pipeline = Pipeline.objects.only("name", "is_active").get(pk=stage.pipeline_id)
    if not pipeline.is_active:
        raise ValidationError(
            {
                "stage": [
                    _("Stage “%(stage)s” belongs to the deactivated pipeline “%(pipeline)s”.")
                    % {"stage": stage.name, "pipeline": pipeline.name}
                ]
            }
        )


def _resolve_pipeline_and_stage(pipeline: Pipeline | None, stage: Stage | None) -> tuple:
    # Read again: the caller's copy may predate a deactivation.
    if (
        pipeline is not None
        and not Pipeline.objects.filter(pk=pipeline.pk, is_active=True).exists()
    ):
        raise ValidationError(
            {"pipeline": [_("Pipeline “%(name)s” is deactivated.") % {"name": pipeline.name}]}
        )
    if stage is not None and pipeline is not None and stage.pipeline_id != pipeline.pk:
        raise ValidationError(
            {
                "stage": [
                    _("Stage “%(stage)s” is not part of pipeline “%(pipeline)s”.")
                    % {"stage": stage.shown_name, "pipeline": pipeline.shown_name}
                ]
            }
        )
    if stage is not None:
        _check_stage_in_use(stage)
        return stage.pipeline, stage
    if pipeline is None:
        return pipeline_default_entry()
    return pipeline, pipeline_first_open_stage(pipeline)


def _check_primary_contact(opportunity: Opportunity) -> None:
    contact = opportunity.primary_contact
    if contact is not None and contact.organization_id not in (None, opportunity.organization_id):
        raise ValidationError(
            {"primary_contact": [_("The primary contact works for another organization.")]}
        )


def _apply_manual_overrides(opportunity: Opportunity, data: dict) -> None:
    """A probability or forecast category given by hand overrides the stage's; an empty
    one (None or "") makes the opportunity follow its stage again."""
    if "probability" in data:
        opportunity.probability_is_manual = data["probability"] not in (None, "")
        if not opportunity.probability_is_manual:
            data["probability"] = opportunity.stage.probability
    if "forecast_category" in data:
        opportunity.forecast_category_is_manual = bool(data["forecast_category"])
        if not opportunity.forecast_category_is_manual:
            data["forecast_category"] = opportunity.stage.forecast_category


def _follow_stage(opportunity: Opportunity) -> None:
    """Set probability, forecast category and closed flags from the stage. A closed
    stage always wins over a manual override: a won deal is 100 %, a lost one 0 %."""
    stage = opportunity.stage
    if stage.is_closed:
        # Closing ends any override: reopened, the deal follows its new stage again.
        opportunity.probability_is_manual = False
        opportunity.forecast_category_is_manual = False
    if not opportunity.probability_is_manual or opportunity.probability is None:
        opportunity.probability = stage.probability
    if stage.is_closed:
        opportunity.forecast_category = stage.forecast_category or ForecastCategory.CLOSED
    elif not opportunity.forecast_category_is_manual or not opportunity.forecast_category:
        opportunity.forecast_category = stage.forecast_category
    opportunity.is_closed = stage.is_closed
    opportunity.is_won = stage.is_won
    if stage.is_closed:
        opportunity.closed_at = opportunity.closed_at or timezone.now()
    else:
        opportunity.closed_at = None
    if not stage.is_lost:
        opportunity.lost_reason = ""


def _on_won(*, actor, opportunity: Opportunity) -> None:
    from vorsprung.customers.services import organization_change_lifecycle

    if opportunity.organization.lifecycle != Lifecycle.CUSTOMER:
        organization_change_lifecycle(
            actor=actor,
            organization=opportunity.organization,
            lifecycle=Lifecycle.CUSTOMER,
            note=SystemNote(gettext_noop("Won “%(name)s”"), {"name": opportunity.name}),
        )


def _require_lost_reason(stage: Stage, reason: str) -> str:
    reason = (reason or "").strip()
    if stage.is_lost and not reason:
        raise ValidationError({"lost_reason": [_("Say why the opportunity was lost.")]})
    return reason[:255]


@service
def opportunity_create(
    *,
    actor,
    pipeline: Pipeline | None = None,
    stage: Stage | None = None,
    lost_reason: str = "",
    contact_roles: list[tuple[Contact, str]] = (),
    **data,
) -> Opportunity:
    """Create an opportunity in ``stage`` (default: the first open stage of the default
    pipeline). Probability and forecast category follow the stage unless given.
    Closing date defaults to the end of this quarter; owner to the actor. A deactivated
    pipeline, or a stage of one, is refused."""
    pipeline, stage = _resolve_pipeline_and_stage(pipeline, stage)
    data.setdefault("owner", actor)
    if not data.get("currency"):
        data.pop("currency", None)
    if data.get("expected_close_date") is None:
        data["expected_close_date"] = end_of_quarter(timezone.localdate())
    opportunity = Opportunity(pipeline=pipeline, stage=stage)
    opportunity.currency = settings.VORSPRUNG_DEFAULT_CURRENCY
    _apply_manual_overrides(opportunity, data)
    opportunity.probability = stage.probability
    opportunity.forecast_category = stage.forecast_category
    # The pipeline and stage were read just now; checking again that they exist would
    # cost a query each.
    apply_fields(
        opportunity,
        data,
        editable=OPPORTUNITY_FIELDS,
        exclude_from_model_validation={"pipeline", "stage"},
    )
    _check_primary_contact(opportunity)
    opportunity.lost_reason = _require_lost_reason(stage, lost_reason)
    _follow_stage(opportunity)
    opportunity.save()
    history_record_created(actor=actor, record=opportunity)
    # A new opportunity has no roles yet: no need to look for existing ones.
    roles = [_contact_role(opportunity, contact, role) for contact, role in contact_roles]
    OpportunityContactRole.objects.bulk_create(roles)
    for contact_role in roles:
        _record_role(actor, contact_role, added=True)
    if stage.is_won:
        _on_won(actor=actor, opportunity=opportunity)
    return opportunity


@service
def opportunity_update(
    *,
    actor,
    opportunity: Opportunity,
    expected_version: int | None = None,
    seen: dict[str, str] | None = None,
    **data,
) -> Opportunity:
    """Change an opportunity's fields. Stage, pipeline and closed flags change only
    through ``opportunity_move_stage``, ``opportunity_mark_won`` and ``opportunity_mark_lost``.
    ``expected_version`` and ``seen`` refuse a change someone else made meanwhile, as in
    ``leads.services.lead_update``."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    check_version(opportunity, expected_version)
    check_seen(opportunity, seen)
    before = history_snapshot(opportunity)
    _apply_manual_overrides(opportunity, data)
    apply_fields(opportunity, data, editable=OPPORTUNITY_FIELDS)
    _check_primary_contact(opportunity)
    _follow_stage(opportunity)
    opportunity.save()
    history_record_changes(actor=actor, record=opportunity, before=before)
    return opportunity


@service
def opportunity_move_stage(
    *,
    actor,
    opportunity: Opportunity,
    stage: Stage,
    lost_reason: str = "",
    expected_version: int | None = None,
) -> Opportunity:
    """Move an opportunity to another stage of its pipeline, which must be active. A lost
    stage needs a reason; a won stage makes the organization a customer; moving a closed
    opportunity to an open stage reopens it. Moving to the current stage changes nothing."""
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("stage", "organization")
        .get(pk=opportunity.pk)
    )
    check_version(opportunity, expected_version)
    if stage.pipeline_id != opportunity.pipeline_id:
        raise ValidationError(
            {
                "stage": [
                    _("Stage “%(stage)s” belongs to another pipeline.")
                    % {"stage": stage.shown_name}
                ]
            }
        )
    if stage.pk == opportunity.stage_id:
        return opportunity
    _check_stage_in_use(stage)
    reason = _require_lost_reason(stage, lost_reason)
    before = history_snapshot(opportunity)
    opportunity.stage = stage
    opportunity.closed_at = None
    _follow_stage(opportunity)
    if stage.is_lost:
        opportunity.lost_reason = reason
    opportunity.save()
    history_record_changes(actor=actor, record=opportunity, before=before, note=reason)
    if stage.is_won:
        _on_won(actor=actor, opportunity=opportunity)
    return opportunity


def _closing_stage(opportunity: Opportunity, *, won: bool) -> Stage:
    stage = (
        Stage.objects.filter(pipeline_id=opportunity.pipeline_id, is_won=won, is_lost=not won)
        .order_by("position", "id")
        .first()
    )
    if stage is None:
        kind = _("won") if won else _("lost")
        raise Conflict(
            _("Pipeline “%(pipeline)s” has no %(kind)s stage.")
            % {"pipeline": opportunity.pipeline.shown_name, "kind": kind},
            code="no_closing_stage",
        )
    return stage


@service
def opportunity_mark_won(
    *, actor, opportunity: Opportunity, expected_version: int | None = None
) -> Opportunity:
    """Close the opportunity as won; its organization becomes a customer."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    check_version(locked, expected_version)
    if locked.is_won:
        raise Conflict(_("This opportunity is already closed won."), code="already_won")
    return opportunity_move_stage(
        actor=actor, opportunity=locked, stage=_closing_stage(locked, won=True)
    )


@service
def opportunity_mark_lost(
    *, actor, opportunity: Opportunity, reason: str, expected_version: int | None = None
) -> Opportunity:
    """Close the opportunity as lost, with the reason."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    check_version(locked, expected_version)
    if locked.is_closed and not locked.is_won:
        raise Conflict(_("This opportunity is already closed lost."), code="already_lost")
    return opportunity_move_stage(
        actor=actor,
        opportunity=locked,
        stage=_closing_stage(locked, won=False),
        lost_reason=reason,
    )


def _record_role(actor, contact_role: OpportunityContactRole, *, added: bool) -> None:
    """A role given or taken away is a change of the opportunity's "contacts"."""
    side = "new" if added else "old"
    history_record_field(
        actor=actor,
        record_type="opportunity",
        record_ids=[contact_role.opportunity_id],
        field="contacts",
        **{f"{side}_value": contact_role.contact_id, f"{side}_label": str(contact_role)},
    )


def _lock_for_roles(opportunity: Opportunity, expected_version: int | None) -> Opportunity:
    # NO KEY UPDATE: role rows referencing the opportunity may still be inserted.
    locked = Opportunity.objects.select_for_update(no_key=True).get(pk=opportunity.pk)
    check_version(locked, expected_version)
    return locked


@service
def opportunity_add_contact_role(
    *,
    actor,
    opportunity: Opportunity,
    contact: Contact,
    role: str,
    expected_version: int | None = None,
) -> OpportunityContactRole:
    """Give ``contact`` a role (decision maker, influencer …) on the opportunity, recorded
    in the opportunity's history; a role the contact has already is kept as it is.
    Refuses an unknown role, a contact of another organization and a stale
    ``expected_version`` of the opportunity."""
    wanted = _contact_role(opportunity, contact, role)
    opportunity = _lock_for_roles(opportunity, expected_version)
    contact_role, created = OpportunityContactRole.objects.get_or_create(
        opportunity=opportunity, contact=contact, role=wanted.role
    )
    if created:
        _record_role(actor, contact_role, added=True)
    return contact_role


def _contact_role(opportunity: Opportunity, contact: Contact, role: str) -> OpportunityContactRole:
    """An unsaved role, checked: a known role, a contact of the opportunity's organization."""
    errors = FieldErrors()
    if role not in ContactRole.values:
        errors.add(
            "role", _("Choose one of: %(values)s.") % {"values": ", ".join(ContactRole.values)}
        )
    if contact.organization_id not in (None, opportunity.organization_id):
        errors.add("contact", _("This contact works for another organization."))
    errors.raise_if_any()
    return OpportunityContactRole(opportunity=opportunity, contact=contact, role=role)


@service
def opportunity_remove_contact_role(
    *,
    actor,
    opportunity: Opportunity,
    contact_role: OpportunityContactRole,
    expected_version: int | None = None,
) -> None:
    """Take a contact's role on the opportunity away, recorded in the opportunity's
    history like the role's adding. ``OpportunityContactRole.DoesNotExist`` when the role
    is not (or no longer) the opportunity's; refuses a stale ``expected_version``."""
    opportunity = _lock_for_roles(opportunity, expected_version)
    contact_role = OpportunityContactRole.objects.select_related("contact").get(
        pk=contact_role.pk, opportunity=opportunity
    )
    _record_role(actor, contact_role, added=False)
    contact_role.delete()


def check_stage_specs(stages: list[dict], errors: FieldErrors, *, allowed=STAGE_FIELDS) -> None:
    """The rules every pipeline's stage list follows: at least one open, one won and one
    lost stage; no stage both won and lost; no two stages with one name; known fields only."""
    if not any(s.get("is_won") for s in stages):
        errors.add("stages", _("Add a won stage."))
    if not any(s.get("is_lost") for s in stages):
        errors.add("stages", _("Add a lost stage."))
    if not any(not s.get("is_won") and not s.get("is_lost") for s in stages):
        errors.add("stages", _("Add at least one open stage."))
    seen: set[str] = set()
    for index, spec in enumerate(stages):
        unknown = sorted(set(spec) - set(allowed))
        if unknown:
            errors.add(
                f"stages[{index}]",
                _("Unknown stage fields: %(names)s.") % {"names": ", ".join(unknown)},
            )
        if spec.get("is_won") and spec.get("is_lost"):
            errors.add(f"stages[{index}]", _("A stage cannot be both won and lost."))
        name = str(spec.get("name") or "").strip().casefold()
        if name and name in seen:
            errors.add(f"stages[{index}].name", _("Another stage has this name already."))
        seen.add(name)


@service
def pipeline_create(*, actor, name: str, stages: list[dict], is_default: bool = False) -> Pipeline:
    """Create a pipeline with its ordered stages. Each stage: name, probability,
    forecast_category, and optionally is_won / is_lost. A pipeline needs at least one
    open stage, one won and one lost stage. Administrators only."""
    check_is_admin(actor)
    errors = FieldErrors()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("A pipeline needs a name."))
    elif Pipeline.objects.filter(name__iexact=name).exists():
        errors.add("name", _("A pipeline with this name exists already."))
    check_stage_specs(stages, errors)
    errors.raise_if_any()
    if is_default:
        Pipeline.objects.filter(is_default=True).update(is_default=False)
    pipeline = Pipeline.objects.create(name=name, is_default=is_default)
    for position, spec in enumerate(stages):
        stage = Stage(pipeline=pipeline, position=position, **spec)
        try:
            stage.full_clean(exclude=["pipeline"])
        except ValidationError as exc:
            raise ValidationError(
                {f"stages[{position}].{field}": msgs for field, msgs in exc.message_dict.items()}
            ) from exc
        stage.save()
    return pipeline


@service
def pipeline_update(
    *,
    actor,
    pipeline: Pipeline,
    name: str | None = None,
    is_default: bool | None = None,
    is_active: bool | None = None,
) -> Pipeline:
    """Rename a pipeline, make it the default, or (de)activate it. The default pipeline
    stays active. Administrators only."""
    check_is_admin(actor)
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    errors = FieldErrors()
    if name is not None and not pipeline.keeps_name(name):
        name = name.strip()
        if not name:
            errors.add("name", _("A pipeline needs a name."))
        elif Pipeline.objects.filter(name__iexact=name).exclude(pk=pipeline.pk).exists():
            errors.add("name", _("A pipeline with this name exists already."))
        else:
            pipeline.name = name
    if is_default is False and pipeline.is_default:
        errors.add("is_default", _("Make another pipeline the default instead."))
    if is_active is False and (pipeline.is_default or is_default):
        errors.add("is_active", _("The default pipeline cannot be deactivated."))
    errors.raise_if_any()
    if is_default:
        Pipeline.objects.filter(is_default=True).exclude(pk=pipeline.pk).update(is_default=False)
        pipeline.is_default = True
    if is_active is not None:
        pipeline.is_active = is_active
    pipeline.save()
    return pipeline


@service
def pipeline_delete(*, actor, pipeline: Pipeline) -> None:
    """Delete a pipeline nobody uses; one with opportunities can only be deactivated, the
    default pipeline not at all. Administrators only."""
    check_is_admin(actor)
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    if pipeline.is_default:
        raise Conflict(_("The default pipeline cannot be deleted."), code="default_pipeline")
    if Opportunity.objects.filter(pipeline=pipeline).exists():
        raise Conflict(
            _("This pipeline has opportunities; deactivate it instead."), code="pipeline_in_use"
        )
    pipeline.delete()


@service
def opportunity_delete(*, actor, opportunity: Opportunity) -> None:
    """Delete an opportunity with its activities and history; a lead converted into it
    keeps its other links."""
    check_may_delete(actor)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    activity_record_cascade(actor=actor, opportunity=opportunity)
    history_record_deleted(actor=actor, record=opportunity)
    opportunity.delete()

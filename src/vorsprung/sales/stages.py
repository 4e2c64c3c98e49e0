"""Changing the stages of an existing pipeline (administrators only).

``pipeline_create`` in services.py takes a new pipeline's stages; this module edits them
afterwards. Opportunities keep their own probability and forecast category (they copied
them from the stage when they entered it), so re-weighting a stage rewrites no deal."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from vorsprung.accounts.permissions import check_is_admin
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.transactions import service
from vorsprung.core.validation import FieldErrors, run_model_validation
from vorsprung.sales.models import Opportunity, Pipeline, Stage
from vorsprung.sales.services import STAGE_FIELDS, check_stage_specs


def _as_id(value) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return -1


def _kind(is_won, is_lost) -> str:
    return "won" if is_won else "lost" if is_lost else "open"


@service
def pipeline_update_stages(*, actor, pipeline: Pipeline, stages: list[dict]) -> Pipeline:
    """Make ``stages``, in the order given, the pipeline's stages. Each entry is a stage as
    ``pipeline_create`` takes it (name, probability, forecast_category, is_won, is_lost),
    plus ``id`` for a stage kept (renamed, moved or re-weighted). Entries without ``id``
    are new stages; the pipeline's stages left out are deleted.

    Refuses, besides what ``pipeline_create`` refuses: an ``id`` of another pipeline's
    stage, deleting a stage that holds opportunities (move them first), and turning a
    stage that holds opportunities from open to won or lost or back (its deals would be
    closed or reopened without a close)."""
    check_is_admin(actor)
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    current = {s.pk: s for s in Stage.objects.select_for_update().filter(pipeline=pipeline)}
    errors = FieldErrors()
    check_stage_specs(stages, errors, allowed=STAGE_FIELDS | {"id"})
    kept: dict[int, dict] = {}
    for index, spec in enumerate(stages):
        if spec.get("id") is None:
            continue
        stage_id = _as_id(spec["id"])
        if stage_id not in current or stage_id in kept:
            errors.add(f"stages[{index}]", _("This stage is not part of the pipeline."))
        else:
            kept[stage_id] = spec
    errors.raise_if_any()

    for stage in current.values():
        spec = kept.get(stage.pk)
        changes_kind = spec is not None and _kind(stage.is_won, stage.is_lost) != _kind(
            spec.get("is_won"), spec.get("is_lost")
        )
        if (spec is None or changes_kind) and Opportunity.objects.filter(stage=stage).exists():
            message = (
                _("Stage “%(name)s” holds opportunities; move them to another stage first.")
                if spec is None
                else _(
                    "Stage “%(name)s” holds opportunities, so it cannot change between open, "
                    "won and lost."
                )
            )
            raise Conflict(message % {"name": stage.shown_name}, code="stage_in_use")

    original_names = {pk: stage.name for pk, stage in current.items()}
    ordered = []
    for position, spec in enumerate(stages):
        values = {k: v for k, v in spec.items() if k != "id"}
        stage_id = _as_id(spec.get("id"))
        stage = current[stage_id] if stage_id is not None else Stage(pipeline=pipeline)
        stage.position = position
        stage.is_won = bool(values.pop("is_won", False))
        stage.is_lost = bool(values.pop("is_lost", False))
        if stage.pk is not None and stage.keeps_name(values.get("name")):
            values.pop("name")  # the seeded name, shown translated, left as it was
        for field, value in values.items():
            setattr(stage, field, value.strip() if isinstance(value, str) else value)
        try:
            run_model_validation(stage, exclude=["pipeline"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.add(f"stages[{position}].{field}", message)
        ordered.append(stage)
    errors.raise_if_any()

    Stage.objects.filter(pipeline=pipeline).exclude(pk__in=kept).delete()
    # Two kept stages may swap names; park the renamed ones on a name nobody uses first,
    # so that the unique name per pipeline holds after every single UPDATE.
    for stage in ordered:
        if stage.pk is not None and stage.name != original_names[stage.pk]:
            Stage.objects.filter(pk=stage.pk).update(name=f"\u2060renaming {stage.pk}")
    for stage in ordered:
        stage.save()
    return pipeline


# One stage at a time: each builds the pipeline's whole stage list with the one change and
# hands it to ``pipeline_update_stages``, so the same rules hold (and the same refusals
# show) whichever way a stage is edited.

STAGE_SPEC_FIELDS = ("name", "probability", "forecast_category", "is_won", "is_lost")


def _stage_spec(stage: Stage) -> dict:
    return {"id": stage.pk, **{field: getattr(stage, field) for field in STAGE_SPEC_FIELDS}}


def _with_stage(pipeline: Pipeline, spec: dict | None, *, position, drop=None) -> list[dict]:
    """The pipeline's stages as specs, in their order, without ``drop`` (an id) and
    without the stage ``spec`` names, which goes in at ``position`` (at the end if None)."""
    specs = [
        _stage_spec(stage)
        for stage in pipeline.stages.order_by("position", "id")
        if stage.pk != drop and (spec is None or stage.pk != spec.get("id"))
    ]
    if spec is not None:
        index = len(specs) if position is None else max(0, min(int(position), len(specs)))
        specs.insert(index, spec)
    return specs


def _save_with(actor, pipeline: Pipeline, specs: list[dict], spec: dict | None) -> None:
    """``pipeline_update_stages`` with ``specs``; errors about ``spec``'s row are reported
    under the stage's own field names."""
    try:
        pipeline_update_stages(actor=actor, pipeline=pipeline, stages=specs)
    except ValidationError as exc:
        if spec is None or not hasattr(exc, "error_dict"):
            raise
        own = f"stages[{specs.index(spec)}]"
        renamed: dict[str, list] = {}
        for key, messages in exc.message_dict.items():
            if key == own:
                key = NON_FIELD_ERRORS
            elif key.startswith(f"{own}."):
                key = key.removeprefix(f"{own}.")
            renamed.setdefault(key, []).extend(messages)
        raise ValidationError(renamed) from exc


@service
def stage_create(*, actor, pipeline: Pipeline, position: int | None = None, **values) -> Stage:
    """Add a stage to the pipeline at ``position`` (its place from 0; default: last).
    Refuses what ``pipeline_update_stages`` refuses."""
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    existing = set(pipeline.stages.values_list("pk", flat=True))
    spec = {k: values.get(k) for k in STAGE_SPEC_FIELDS}
    _save_with(actor, pipeline, _with_stage(pipeline, spec, position=position), spec)
    return pipeline.stages.exclude(pk__in=existing).get()


@service
def stage_update(*, actor, stage: Stage, position: int | None = None, **values) -> Stage:
    """Rename, re-weight, move (``position``) or re-flag one stage. Refuses what
    ``pipeline_update_stages`` refuses, e.g. turning a stage that holds opportunities
    from open to won."""
    pipeline = Pipeline.objects.select_for_update().get(pk=stage.pipeline_id)
    current = Stage.objects.get(pk=stage.pk, pipeline=pipeline)
    spec = {**_stage_spec(current), **{k: v for k, v in values.items() if k in STAGE_SPEC_FIELDS}}
    position = current.position if position is None else position
    _save_with(actor, pipeline, _with_stage(pipeline, spec, position=position), spec)
    return Stage.objects.get(pk=stage.pk)


@service
def stage_delete(*, actor, stage: Stage) -> None:
    """Remove one stage from its pipeline; refuses a stage that holds opportunities."""
    pipeline = Pipeline.objects.select_for_update().get(pk=stage.pipeline_id)
    specs = _with_stage(pipeline, None, position=None, drop=stage.pk)
    pipeline_update_stages(actor=actor, pipeline=pipeline, stages=specs)

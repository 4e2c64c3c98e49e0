"""Writing history entries. Called by the services that change a status, stage or
lifecycle, inside their transaction."""

from vorsprung.activities.models import StateChange


def history_record(
    *,
    actor,
    record_type: str,
    record_id: int,
    field: str,
    from_value: str,
    to_value: str,
    from_label: str = "",
    to_label: str = "",
    note: str = "",
) -> StateChange:
    return StateChange.objects.create(
        record_type=record_type,
        record_id=record_id,
        field=field,
        from_value=from_value or "",
        to_value=to_value,
        from_label=str(from_label or ""),
        to_label=str(to_label or ""),
        note=note[:255],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )

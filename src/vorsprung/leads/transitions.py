"""The allowed lead status moves, in one table. Services consult it; nothing else decides.

``converted`` is reached only through conversion and is final.
"""

from vorsprung.leads.choices import OPEN_STATUSES, LeadStatus

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    LeadStatus.NEW: frozenset({LeadStatus.WORKING, LeadStatus.UNQUALIFIED}),
    LeadStatus.WORKING: frozenset({LeadStatus.NURTURING, LeadStatus.UNQUALIFIED}),
    LeadStatus.NURTURING: frozenset({LeadStatus.WORKING, LeadStatus.UNQUALIFIED}),
    LeadStatus.UNQUALIFIED: frozenset({LeadStatus.WORKING}),
    LeadStatus.CONVERTED: frozenset(),
}

# Statuses a lead may be converted from.
CONVERTIBLE = frozenset(OPEN_STATUSES)


def allowed_moves(status: str) -> list[str]:
    """The statuses a lead in ``status`` may move to, in the order they are offered."""
    moves = ALLOWED_MOVES.get(status, frozenset())
    return [choice for choice in LeadStatus.values if choice in moves]


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_MOVES.get(from_status, frozenset())

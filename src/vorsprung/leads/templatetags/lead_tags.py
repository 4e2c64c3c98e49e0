"""Template tags of the lead pages."""

from django import template

from vorsprung.leads.choices import STATUS_COLOURS

register = template.Library()


@register.filter
def lead_status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")

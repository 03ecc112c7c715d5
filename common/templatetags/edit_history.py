from django import template

from common.history import changes_of

register = template.Library()


@register.inclusion_tag("partials/history.html")
def history_section(obj, limit: int = 15) -> dict:
    """The compact "History" section of a staff page: date, who, field: old → new."""
    return {"entries": changes_of(obj, limit=limit) if obj is not None else [], "obj": obj}

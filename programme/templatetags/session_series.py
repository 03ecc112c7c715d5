"""The series box of a session's manager page: "part of a series (3 of 8)" and its dates."""

from django import template

from ..models import Session
from ..selectors.series import session_series

register = template.Library()


@register.inclusion_tag("programme/manage/_series.html")
def series_box(session: Session) -> dict:
    occurrences = session_series(session)
    current = next((o for o in occurrences if o.session_id == session.pk), None)
    return {"session": session, "occurrences": occurrences, "current": current}

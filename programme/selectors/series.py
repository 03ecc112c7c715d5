"""Reads on series of sessions (a session repeated weekly or monthly)."""

from django.db.models import Subquery

from ..models import SeriesOccurrence, Session


def session_series(session: Session) -> list[SeriesOccurrence]:
    """Every occurrence of the session's series in order, with its session; empty when
    the session is not part of a series. One query, whatever the series' length."""
    series_of = SeriesOccurrence.objects.filter(session_id=session.pk).values("series_id")[:1]
    return list(
        SeriesOccurrence.objects.filter(series_id=Subquery(series_of))
        .select_related("session", "series")
        .order_by("position")
    )

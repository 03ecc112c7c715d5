"""Series of sessions: a session repeated weekly or monthly.

Each occurrence is a session of its own, edited, published or cancelled on its own; the
series only remembers which sessions were made together and in what order, so a
manager sees "3 of 8" and the other dates. Kept beside the session rather than on it:
a session knows nothing of series.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Session


class SeriesFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week, on the same weekday")
    # The same weekday of the month (the second Tuesday…), or its last one when the
    # session is on the fifth: a workshop keeps its weekday, and no month is skipped.
    MONTHLY = "monthly", _("Every month, on the same weekday of the month")


class SessionSeries(models.Model):
    frequency = models.CharField(_("frequency"), max_length=10, choices=SeriesFrequency.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series of sessions")
        verbose_name_plural = _("series of sessions")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} #{self.pk}"


class SeriesOccurrence(models.Model):
    """A session's place in its series (the session repeated is the first)."""

    series = models.ForeignKey(SessionSeries, on_delete=models.CASCADE, related_name="occurrences")
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="series_occurrence"
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["series", "position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "position"], name="series_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.position}"

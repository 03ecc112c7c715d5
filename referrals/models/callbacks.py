"""Call-back appointments: a date and time an advisor agreed with the person to call them.

Who calls is whoever holds the case (Case.assigned_to), read at each use: a hand-over,
by a colleague or when an advisor leaves, carries the call-back along with the case
without a second row to keep in step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case

CALLBACK_NOTE_MAX = 200

# Neither done nor cancelled: the one the case is waiting for.
OPEN_CALLBACK = Q(done_at__isnull=True, cancelled_at__isnull=True)


class CallBackQuerySet(models.QuerySet):
    def open(self) -> "CallBackQuerySet":
        return self.filter(OPEN_CALLBACK)


class CallBack(models.Model):
    """Changed only through referrals.services.callbacks, which write the case timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="callbacks")
    at = models.DateTimeField(_("call back at"))
    note = models.CharField(_("note"), max_length=CALLBACK_NOTE_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # One more with every change (referrals.services.callbacks), so a calendar app that
    # imported the .ics replaces its event instead of adding a second one.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = CallBackQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=OPEN_CALLBACK, name="one_open_callback_per_case"
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="callback_done_or_cancelled",
            ),
        ]
        indexes = [
            # The reminders' sweep and the advisors' day read open call-backs by time.
            models.Index(fields=["at"], condition=OPEN_CALLBACK, name="callback_open_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case} @ {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.at < timezone.now()

"""Who takes part: enrolments in sessions and their events, saved modules and each
member's calendar feed.

Programme imports no other domain app: an enrolment points at the user model only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalogue import Module, Session


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not attend")


class EnrolmentQuerySet(models.QuerySet):
    def of_present_members(self) -> "EnrolmentQuerySet":
        """Enrolments whose member still has an account: once erased, a seat stays as an
        anonymous statistic with nobody to list, remind or invite."""
        return self.filter(user__isnull=False)


class Enrolment(models.Model):
    """A member's seat in a session, or their place on its waitlist."""

    # Not a column: the attendance before a change, for its event (services.attendance_mark).
    _previous_attendance: str

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments")
    # Empty once the member erased their account: the seat, its status and attendance
    # stay as an anonymous statistic (members.services.member_erase).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    # Arrival order on the waitlist (FIFO): set when the member joins it.
    queued_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_organiser = models.BooleanField(default=False)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # A double click, two tabs or two workers: one active enrolment at most.
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_enrolment_per_member",
            ),
            models.CheckConstraint(
                condition=Q(attendance="") | Q(status="confirmed"),
                name="attendance_only_for_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"]),
            models.Index(fields=["user", "status"]),
            # The impact figures read each research participant's attended sessions
            # (assessments.impact): an index-only scan instead of the whole table.
            models.Index(
                fields=["user", "session"],
                condition=Q(attendance="attended"),
                name="enrolment_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session} ({self.get_status_display()})"

    @property
    def cancelled_by_member(self) -> bool:
        return self.status == EnrolmentStatus.CANCELLED and not self.cancelled_by_organiser


class EnrolmentEvent(models.Model):
    """Audit trail of every state change of an enrolment (append-only)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    # Dotted action types: enrolment.confirmed, enrolment.waitlisted, enrolment.promoted…
    action = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} #{self.enrolment_id}"


class SavedModule(models.Model):
    """A module a member keeps in "Mon parcours" for later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_modules"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_saved_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.module}"


class CalendarFeed(models.Model):
    """The secret address of a member's private calendar of confirmed sessions.

    Whoever holds the token reads the feed without logging in (calendar apps cannot
    log in), so the member can replace it at any time; the old address then stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} — calendar feed"

"""What a manager does with a session's people as a whole: moving them to another
session of the module, and writing to them. Each is kept on the session's manager page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalogue import Session


class SessionMove(models.Model):
    """The people of a cancelled session enrolled in another session of its module, in
    one step. Who went where is in the enrolments' audit entries (enrolment.moved_out on
    the released enrolment, enrolment.moved_in on the new one)."""

    from_session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="moves_out", verbose_name=_("from")
    )
    to_session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="moves_in", verbose_name=_("to")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed = models.PositiveIntegerField(_("given a seat"), default=0)
    waitlisted = models.PositiveIntegerField(_("put on the waitlist"), default=0)
    # Already enrolled in the target: left as they were.
    skipped = models.PositiveIntegerField(_("already enrolled"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("move of a session's people")
        verbose_name_plural = _("moves of a session's people")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_session=models.F("to_session")), name="session_move_elsewhere"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_session_id} → {self.to_session_id}"

    @property
    def moved(self) -> int:
        return self.confirmed + self.waitlisted


class SessionMessage(models.Model):
    """A message a manager wrote to a session's confirmed and/or waitlisted people. The
    text is the manager's, as written; each e-mail frames it in its reader's language."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="messages", verbose_name=_("session")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("text"), max_length=5000)
    to_confirmed = models.BooleanField(_("to the confirmed participants"), default=False)
    to_waitlisted = models.BooleanField(_("to the people on the waitlist"), default=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # The form's one-time token: a second click on "Send" finds the message it sent.
    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a session's people")
        verbose_name_plural = _("messages to a session's people")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_confirmed=True) | Q(to_waitlisted=True),
                name="session_message_has_audience",
            )
        ]

    def __str__(self) -> str:
        return self.subject

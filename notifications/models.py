"""The message log: one row per message intent, the single source of truth for sending."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (no longer relevant or turned off)")
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(models.Model):
    """One message to one person for one reason (its intent).

    UNIQUE(kind, intent_key) makes scheduling idempotent: a sweep that runs twice, or
    two sweeps at once, record the same message once. The context holds ids only: the
    kind's context builder loads fresh data and renders in the recipient's language at
    send time.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind of message"), max_length=80)
    intent_key = models.CharField(
        _("intent"),
        max_length=200,
        help_text=_("What this message is for, unique within its kind, e.g. enrolment:42."),
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    skip_reason = models.CharField(_("why it was not sent"), max_length=200, blank=True)
    # What was used when it went out: the address and language may change afterwards.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    address = models.EmailField(_("address used"), blank=True)
    language = models.CharField(_("language used"), max_length=8, blank=True)
    # Set by the sweep when it hands the row to the broker, so the next sweep does not
    # hand it over again while it waits in the queue; a lost queue expires it.
    enqueued_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    # A worker owns a row between claim and outcome; a claim older than the lease is
    # taken to be a crashed worker and the row can be claimed again.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "intent_key"], name="delivery_one_per_intent"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SENT, sent_at__isnull=False)
                | ~Q(status=DeliveryStatus.SENT),
                name="delivery_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SENDING, claimed_at__isnull=False)
                | ~Q(status=DeliveryStatus.SENDING),
                name="delivery_sending_is_claimed",
            ),
        ]
        indexes = [
            # The sweep's question: what is pending and due, or claimed long ago.
            models.Index(fields=["status", "due_at"], name="delivery_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.intent_key} → {self.recipient_id} ({self.status})"


class MessagePreference(models.Model):
    """Someone's choice for one preference category of messages.

    No row means the category's default, as its app registered it: a member who never
    chose follows the default, and a row records a choice someone made (the preferences
    page, an unsubscribe link, asking for re-assessment invitations).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences"
    )
    category = models.CharField(_("category"), max_length=40)
    enabled = models.BooleanField(_("receives these messages"))
    updated_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="message_preference_once_per_category"
            )
        ]
        # The planners' question: who turned this category on (or off)?
        indexes = [models.Index(fields=["category", "enabled"], name="message_pref_category")]

    def __str__(self) -> str:
        return f"{self.user_id} {'✓' if self.enabled else '✗'} {self.category}"

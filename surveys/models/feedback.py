"""Feedback at any time: ideas, needs, difficulties, praise, and their triage."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from programme.models import Session


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("An idea or a suggestion")
    NEED = "need", _("A need (a workshop on…)")
    DIFFICULTY = "difficulty", _("A difficulty with the portal")
    PRAISE = "praise", _("Praise")


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


FEEDBACK_MAX_CHARS = 2000


class FeedbackItem(models.Model):
    """Something a member or a visitor told the team, from any page, and its triage.

    Anonymous by default, even for a signed-in member: `author` is set only when they ask
    the team to know who wrote it. `reply_email` serves one reply; it is cleared once the
    reply went out, or by the nightly retention job (SURVEYS_FEEDBACK_EMAIL_DAYS).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    text = models.TextField(_("message"), max_length=FEEDBACK_MAX_CHARS)
    module = models.ForeignKey(
        "programme.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
        verbose_name=_("author"),
    )
    reply_email = models.EmailField(_("e-mail for a reply"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    # Where it was sent from: a path only (no query string, which may carry tokens).
    page_path = models.CharField(_("sent from"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.NEW,
    )
    public_reason = models.CharField(_("public reason"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        "programme.Theme", blank=True, related_name="+", verbose_name=_("themes")
    )
    # Merging: the duplicate points at the item that carries the discussion.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    reply_text = models.TextField(_("reply"), max_length=FEEDBACK_MAX_CHARS, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FeedbackKind.values), name="feedback_item_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"feedback item #{self.pk}"


class FeedbackEvent(models.Model):
    """One step of an item's triage, for the team's timeline: who changed what, when.
    Dotted action names, as in the other apps' audit entries."""

    SUBMITTED = "feedback.submitted"
    STATUS_CHANGED = "feedback.status_changed"
    THEMES_CHANGED = "feedback.themes_changed"
    MERGED = "feedback.merged"
    UNMERGED = "feedback.unmerged"
    REPLY_RECORDED = "feedback.reply_recorded"
    REPLY_SENT = "feedback.reply_sent"
    DECISION_LINKED = "feedback.decision_linked"
    DECISION_UNLINKED = "feedback.decision_unlinked"
    DECISION_DELETED = "feedback.decision_deleted"

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Codes and ids only (a status, an item number), never the text of a note.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self) -> str:
        return f"{self.action} on item {self.item_id}"

    def summary(self) -> str:
        """One line of the timeline, in the reader's language."""
        detail = self.detail or {}

        def status(code) -> str:
            return str(FeedbackStatus(code).label) if code in FeedbackStatus.values else str(code)

        if self.action == self.STATUS_CHANGED:
            return _("Status: %(before)s → %(after)s") % {
                "before": status(detail.get("before")),
                "after": status(detail.get("after")),
            }
        if self.action in (self.DECISION_LINKED, self.DECISION_UNLINKED):
            text = (
                _("Linked to decision #%(number)s of a round table")
                if self.action == self.DECISION_LINKED
                else _("No longer linked to decision #%(number)s")
            )
            return text % {"number": detail.get("decision")}
        if self.action == self.DECISION_DELETED:
            return _("Decision #%(number)s deleted with its round table") % {
                "number": detail.get("decision")
            }
        if self.action in (self.MERGED, self.UNMERGED):
            text = (
                _("Merged into #%(number)s")
                if self.action == self.MERGED
                else _("No longer merged into #%(number)s")
            )
            return text % {"number": detail.get("original")}
        labels = {
            self.SUBMITTED: _("Sent"),
            self.THEMES_CHANGED: _("Themes changed"),
            self.REPLY_RECORDED: _("Reply written"),
            self.REPLY_SENT: _("Reply sent; the address is deleted"),
        }
        return str(labels.get(self.action, self.action))

"""The access log: who read a case or its attached result, when and why."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import AccessPurpose, AccessSubject
from .base import AppendOnlyModel
from .cases import Case, Referral


class CaseAccess(AppendOnlyModel):
    """Who read a case or its attached result, what, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    subject = models.CharField(_("what"), max_length=20, choices=AccessSubject.choices)
    # A plain id, not a key: the log outlives a result the member deletes.
    result_id = models.PositiveBigIntegerField(_("result"), null=True, blank=True)
    # Nobody signed in when the partner opens its signed link: the referral says who
    # (a partner's staff account, when signed in, is named too).
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner's referral"),
    )
    purpose = models.CharField(_("why"), max_length=12, choices=AccessPurpose.choices)
    accessed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = _("case access")
        verbose_name_plural = _("case access log")
        constraints = [
            models.CheckConstraint(
                # A staff read names its reader; a partner's read names the referral, and
                # the partner's staff account when they signed in rather than used the link.
                condition=Q(accessed_by__isnull=False, referral__isnull=True)
                | Q(referral__isnull=False, subject="partner_page"),
                name="case_access_by_someone",
            )
        ]
        indexes = [
            models.Index(fields=["case", "-accessed_at"]),
            models.Index(fields=["accessed_by", "-accessed_at"]),
        ]

    def __str__(self) -> str:
        who = self.accessed_by_id or f"partner of referral {self.referral_id}"
        return f"{who} read {self.subject} of case #{self.case_id}"

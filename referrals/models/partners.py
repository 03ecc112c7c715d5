"""The partner directory (Open Referral HSDS: organization + service, service_area,
language, taxonomy).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from common.history import StaffEditHistory

from ..choices import AREA_CHOICES, HelpKind, NeedCategory
from ..phones import tel_uri


class Partner(models.Model):
    """A partner organisation and the service it offers the fund's members."""

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # HSDS service.id: a UUID that stays the same across exports and imports.
    hsds_id = models.UUIDField(
        _("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    alternate_name = models.CharField(_("other name"), max_length=160, blank=True)
    kind = models.CharField(_("kind of help"), max_length=20, choices=HelpKind.choices)
    description_fr = models.TextField(
        _("description (French)"), validators=[MaxLengthValidator(1500)]
    )
    description_nl = models.TextField(
        _("description (Dutch)"), blank=True, validators=[MaxLengthValidator(1500)]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[MaxLengthValidator(1500)]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("website"), blank=True)
    # HSDS schedule.description: free text is what people read ("24/7", "Mon–Fri 9–17").
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_crisis_line = models.BooleanField(_("crisis line"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # HSDS service.assured_date: when someone last checked these details.
    last_verified_on = models.DateField(_("details last verified on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = StaffEditHistory(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        permissions = [
            ("manage_partners", _("Can edit the partner directory")),
            ("answer_referrals", _("Can answer the referrals sent to one's organisation")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email="") | ~Q(url=""),
                name="partner_reachable_somehow",
                violation_error_message=_(
                    "Give at least a phone number, an e-mail address or a website."
                ),
            ),
        ]
        indexes = [models.Index(fields=["is_active", "is_crisis_line"])]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        language = (translation.get_language() or "fr")[:2]
        return getattr(self, f"description_{language}", "") or self.description_fr

    @property
    def phone_uri(self) -> str:
        return tel_uri(self.phone) if self.phone else ""


class PartnerNeed(models.Model):
    """A need category the partner serves (HSDS taxonomy term of the service)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("need"), max_length=20, choices=NeedCategory.choices)

    class Meta:
        ordering = ["need"]
        constraints = [models.UniqueConstraint(fields=["partner", "need"], name="partner_need")]
        indexes = [models.Index(fields=["need", "partner"])]

    def __str__(self) -> str:
        return self.get_need_display()


class PartnerArea(models.Model):
    """A province (or all of Belgium) the partner serves (HSDS service_area)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("area"), max_length=3, choices=AREA_CHOICES)

    class Meta:
        ordering = ["area"]
        constraints = [models.UniqueConstraint(fields=["partner", "area"], name="partner_area")]
        indexes = [models.Index(fields=["area", "partner"])]

    def __str__(self) -> str:
        return self.get_area_display()


class PartnerLanguage(models.Model):
    """A language the partner helps people in (HSDS language)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "language"], name="partner_language")
        ]
        indexes = [models.Index(fields=["language", "partner"])]

    def __str__(self) -> str:
        return self.get_language_display()


class PartnerMembership(models.Model):
    """A partner's staff account: the organisation whose referrals this user answers.
    Optional (the signed link needs no account); one organisation per account. It lives
    here, not on the member's profile, so that members imports no domain app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name=_("account"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("partner organisation"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "user__email"]
        verbose_name = _("partner staff account")
        verbose_name_plural = _("partner staff accounts")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.partner_id}"

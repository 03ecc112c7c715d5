"""Partners (Open Referral HSDS), cases of the listening cell, their timeline and access log.

A case is one thing the cell has to act on: a member's request to be contacted or an
ambassador's signal. Both share the queue, the statuses and the timeline.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.belgium import Language

from .choices import (
    AREA_CHOICES,
    SIGNAL_URGENCY_LABELS,
    AccessPurpose,
    AccessSubject,
    CaseStatus,
    Channel,
    ConsentBasis,
    EventKind,
    HelpKind,
    NeedCategory,
    Outcome,
    ReferralMode,
    Source,
    TimeSlot,
    Urgency,
)
from .phones import tel_uri

MESSAGE_MAX = 2000
SIGNAL_NOTE_MAX = 500
NOTE_MAX = 4000


# --- Partner directory (HSDS: organization + service, service_area, language, taxonomy) ---


class Partner(models.Model):
    """A partner organisation and the service it offers the fund's members."""

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
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

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        permissions = [("manage_partners", _("Can edit the partner directory"))]
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


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("This log is append-only.")

    def delete(self):
        raise ValidationError("This log is append-only.")


class AppendOnlyModel(models.Model):
    """Rows are added, never changed nor deleted one by one; they leave only with their
    case (a member's data erased), through the database's cascade."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("This log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("This log is append-only.")


# --- Cases -------------------------------------------------------------------------------


def case_reference(pk: int) -> str:
    """How people name a case (pages, e-mails): a reference, never the person's name."""
    return f"C-{pk:05d}"


class Case(models.Model):
    """A member's request to be contacted, or an ambassador's signal about someone.

    Status, assignment and outcome change only through referrals.services, which write
    the timeline; the constraints below hold whatever the caller.
    """

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    # The member concerned, when they have an account. Erasing the member keeps the case
    # as an anonymous statistic.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral_cases",
        verbose_name=_("member"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_signals",
        verbose_name=_("raised by"),
    )
    # An ambassador's confirmation that the person agreed to be contacted.
    agreement_confirmed = models.BooleanField(_("the person agreed to be contacted"), default=False)
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, blank=True
    )
    # TimeSlot values; only ever displayed, never queried.
    time_slots = models.JSONField(_("time slots"), default=list, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    # The member's province when the case came in, so routing does not drift later.
    region = models.CharField(_("region"), max_length=3, choices=AREA_CHOICES, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("how urgent it feels"), choices=Urgency.choices, default=Urgency.MEDIUM
    )
    message = models.TextField(
        _("message"), blank=True, validators=[MaxLengthValidator(MESSAGE_MAX)]
    )
    # One of the member's own kept results, attached by an explicit choice. Deleting the
    # result detaches it; every staff read of it is in the access log.
    assessment_result = models.ForeignKey(
        "assessments.AssessmentResult",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached self-assessment result"),
    )
    sharing_consent = models.ForeignKey(
        "members.Consent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent to share with a partner"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # An advisor's account is deactivated, never deleted, while it holds cases.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("advisor"),
    )
    first_contact_due = models.DateTimeField(_("first contact due by"))
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-urgency", "created_at", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new", assigned_to__isnull=True)
                | (~Q(status="new") & Q(assigned_to__isnull=False))
                # Erasing the member closes a case nobody had claimed yet (services).
                | Q(status="closed", outcome="unreachable", assigned_to__isnull=True),
                name="case_owned_once_claimed",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(outcome="") & Q(closed_at__isnull=True)),
                name="case_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(source="request") | Q(agreement_confirmed=True),
                name="signal_needs_agreement",
            ),
            models.CheckConstraint(
                condition=Q(urgency__gte=1) & Q(urgency__lte=3), name="case_urgency_range"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-urgency", "created_at"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["status", "first_contact_due"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_source_display()}"

    @property
    def reference(self) -> str:
        return case_reference(self.pk)

    @property
    def person_name(self) -> str:
        if self.contact_name:
            return self.contact_name
        return self.member.display_name if self.member_id else ""

    @property
    def urgency_label(self) -> str:
        """In the member's words for a request, as the ambassador saw it for a signal."""
        if self.source == Source.SIGNAL:
            return SIGNAL_URGENCY_LABELS[self.urgency]
        return self.get_urgency_display()

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def time_slot_labels(self) -> list[str]:
        return [TimeSlot(slot).label for slot in self.time_slots if slot in TimeSlot.values]

    @property
    def is_overdue(self) -> bool:
        """No first contact yet and the deadline has passed."""
        return (
            self.is_open
            and self.first_contact_at is None
            and self.first_contact_due < timezone.now()
        )

    @property
    def follow_up_due(self) -> bool:
        return (
            self.is_open
            and self.follow_up_on is not None
            and self.follow_up_on <= timezone.localdate()
        )


class CaseNeed(models.Model):
    """A need category of a case: the topics a member chose, or a signal's category."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("need"), max_length=20, choices=NeedCategory.choices)

    class Meta:
        ordering = ["need"]
        constraints = [models.UniqueConstraint(fields=["case", "need"], name="case_need")]

    def __str__(self) -> str:
        return self.get_need_display()


class CaseEvent(AppendOnlyModel):
    """The case's timeline and audit trail: one row per change, attempt, note or referral.

    Append-only: nothing on a timeline is edited after the fact.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    body = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.case_id}"


class Referral(models.Model):
    """The cell oriented the case's person to a partner; the closed loop says whether they
    reached it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    mode = models.CharField(_("how"), max_length=15, choices=ReferralMode.choices)
    consent_basis = models.CharField(
        _("consent to share"), max_length=10, choices=ConsentBasis.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(1000)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Closed loop: None until the advisor learns whether the member reached the partner.
    reached = models.BooleanField(_("the member reached the partner"), null=True, blank=True)
    reached_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["case", "partner"], name="referred_once_per_partner"),
            # A warm handoff shares the member's details: never without their consent.
            models.CheckConstraint(
                condition=(Q(mode="information") & Q(consent_basis=""))
                | (Q(mode="warm_handoff") & ~Q(consent_basis="")),
                name="warm_handoff_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.partner}"


class CaseAccess(AppendOnlyModel):
    """Who read a case or its attached result, what, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    subject = models.CharField(_("what"), max_length=20, choices=AccessSubject.choices)
    # A plain id, not a key: the log outlives a result the member deletes.
    result_id = models.PositiveBigIntegerField(_("result"), null=True, blank=True)
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    purpose = models.CharField(_("why"), max_length=12, choices=AccessPurpose.choices)
    accessed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = _("case access")
        verbose_name_plural = _("case access log")
        indexes = [
            models.Index(fields=["case", "-accessed_at"]),
            models.Index(fields=["accessed_by", "-accessed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.accessed_by_id} read {self.subject} of case #{self.case_id}"

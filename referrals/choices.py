"""The listening cell's vocabulary: needs, kinds of help, areas, statuses, outcomes.

Need categories are one taxonomy shared by partners (what they serve), member requests
(what the member asks about) and ambassador signals (what was noticed), so routing can
match them (Open Referral HSDS: a service's taxonomy terms).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.belgium import Province


class NeedCategory(models.TextChoices):
    STRESS = "stress", _("Stress, pressure, exhaustion")
    LOW_MOOD = "low_mood", _("Low mood, anxiety, psychological distress")
    CRISIS = "crisis", _("Crisis, dark thoughts")
    SLEEP = "sleep", _("Sleep")
    LONELINESS = "loneliness", _("Isolation, loneliness")
    WORK_LIFE = "work_life", _("Balance between work and private life")
    FINANCIAL = "financial", _("Money worries, debts")
    BUSINESS = "business", _("Business in difficulty")
    LEGAL = "legal", _("Legal or administrative questions")
    HEALTH = "health", _("Illness, incapacity for work")
    RELATIONSHIPS = "relationships", _("Family or relationship difficulties")
    ADDICTION = "addiction", _("Alcohol, drugs, gambling, screens")


class HelpKind(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    CRISIS_LINE = "crisis_line", _("Crisis line")
    FINANCIAL = "financial", _("Financial difficulties")
    LEGAL = "legal", _("Legal help")
    MEDICAL = "medical", _("Medical help")
    COACHING = "coaching", _("Coaching")
    PEER_SUPPORT = "peer_support", _("Peer support")
    BUSINESS_SUPPORT = "business_support", _("Business support")


NATIONAL = "BE"

# Where a partner works (HSDS service_area): one province, Brussels, or all of Belgium.
AREA_CHOICES: list[tuple[str, str]] = [(NATIONAL, _("All of Belgium")), *Province.choices]


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video call")


class TimeSlot(models.TextChoices):
    MORNING = "morning", _("Morning (9:00–12:00)")
    LUNCH = "lunch", _("Lunchtime (12:00–14:00)")
    AFTERNOON = "afternoon", _("Afternoon (14:00–17:00)")
    EVENING = "evening", _("Early evening (17:00–19:00)")


class Urgency(models.IntegerChoices):
    LOW = 1, _("It can wait a few weeks")
    MEDIUM = 2, _("Within the week would be good")
    HIGH = 3, _("It is urgent for me")


# Urgency's labels are the member's own voice ("urgent for me"); an ambassador rates a
# signal from outside.
SIGNAL_URGENCY_LABELS = {
    Urgency.LOW: _("It seems it can wait a few weeks"),
    Urgency.MEDIUM: _("Within the week would be good"),
    Urgency.HIGH: _("It seems urgent"),
}


class Source(models.TextChoices):
    REQUEST = "request", _("Member request")
    SIGNAL = "signal", _("Ambassador signal")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ORIENTED = "oriented", _("Oriented")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.ORIENTED)

# The only moves a case can make; every other one is refused (see services).
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NEW: frozenset({CaseStatus.IN_PROGRESS}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.ORIENTED, CaseStatus.CLOSED}),
    CaseStatus.ORIENTED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class Outcome(models.TextChoices):
    HANDLED = "handled_by_cell", _("Handled by the listening cell")
    REFERRED_REACHED = "referred_reached", _("Referred, and the member reached the partner")
    REFERRED_NOT_REACHED = (
        "referred_not_reached",
        _("Referred, and the member did not reach the partner"),
    )
    DECLINED = "member_declined", _("The member declined")
    UNREACHABLE = "unreachable", _("The member could not be reached")


# Which outcomes make sense from which status: an outcome about a referral needs one.
OUTCOMES_FROM: dict[str, tuple[str, ...]] = {
    CaseStatus.IN_PROGRESS: (Outcome.HANDLED, Outcome.DECLINED, Outcome.UNREACHABLE),
    CaseStatus.ORIENTED: (
        Outcome.REFERRED_REACHED,
        Outcome.REFERRED_NOT_REACHED,
        Outcome.DECLINED,
        Outcome.UNREACHABLE,
    ),
}


class ReferralMode(models.TextChoices):
    INFORMATION = "information", _("Information given to the member")
    WARM_HANDOFF = "warm_handoff", _("Warm handoff: the cell contacts the partner")


class ConsentBasis(models.TextChoices):
    """Why a warm handoff may share details with the partner."""

    ONLINE = "online", _("Consent given by the member in their request")
    ORAL = "oral", _("Consent given by the member to the advisor")


class EventKind(models.TextChoices):
    CREATED = "case.created", _("Case opened")
    CLAIMED = "case.claimed", _("Claimed")
    ASSIGNED = "case.assigned", _("Assigned")
    CONTACT_ATTEMPT = "case.contact_attempt", _("Contact attempt")
    NOTE = "case.note", _("Private note")
    REFERRED = "case.referred", _("Referred to a partner")
    ORIENTED = "case.oriented", _("Oriented")
    PARTNER_REACHED = "case.partner_reached", _("Closed loop: partner reached?")
    FOLLOW_UP = "case.follow_up", _("Follow-up date")
    CLOSED = "case.closed", _("Closed")
    # Erasure or the retention limit removed the person's details (referrals.privacy).
    ANONYMISED = "case.anonymised", _("Personal details erased")


class AnonymisedBecause(models.TextChoices):
    ERASURE = "erasure", _("at the member's request")
    RETENTION = "retention", _("at the end of the retention period")


class AccessSubject(models.TextChoices):
    CASE = "case", _("Case")
    RESULT = "assessment_result", _("Attached self-assessment result")
    # A row of the queue shows the person's name, needs and urgency: a read as well.
    LISTED = "queue_listing", _("Listed in the advisors' queue")


class AccessPurpose(models.TextChoices):
    TRIAGE = "triage", _("Triage of an unassigned case")
    CASE_WORK = "case_work", _("Working a case assigned to them")
    COVER = "cover", _("Covering a colleague's case")
    REVIEW = "review", _("Reviewing a closed case")

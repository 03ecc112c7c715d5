"""The listening cell's vocabulary: needs, kinds of help, areas, statuses, outcomes.

Need categories are one taxonomy shared by partners (what they serve), member requests
(what the member asks about) and ambassador signals (what was noticed), so routing can
match them (Open Referral HSDS: a service's taxonomy terms).
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.belgium import Province

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, StrPromise


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
AREA_CHOICES: "list[tuple[str, StrPromise]]" = [(NATIONAL, _("All of Belgium")), *Province.choices]


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video call")


class TimeSlot(models.TextChoices):
    MORNING = "morning", _("Morning (9:00–12:00)")
    LUNCH = "lunch", _("Lunchtime (12:00–14:00)")
    AFTERNOON = "afternoon", _("Afternoon (14:00–17:00)")
    EVENING = "evening", _("Early evening (17:00–19:00)")


# A guest may ask to be called today, as soon as possible, rather than in a slot.
CALL_TODAY = "today"
CALL_TODAY_LABEL = _("Today, as soon as possible")


class Urgency(models.IntegerChoices):
    LOW = 1, _("It can wait a few weeks")
    MEDIUM = 2, _("Within the week would be good")
    HIGH = 3, _("It is urgent for me")


def is_urgent(*, urgency: int, needs) -> bool:
    """Handled as urgent: the highest urgency, or the need "crisis, dark thoughts"
    (a shorter first-contact deadline, an alert at once, first in the queue)."""
    return urgency == Urgency.HIGH or NeedCategory.CRISIS in set(needs)


# Urgency's labels are the member's own voice ("urgent for me"); an ambassador rates a
# signal from outside.
SIGNAL_URGENCY_LABELS: "dict[int, StrOrPromise]" = {
    Urgency.LOW: _("It seems it can wait a few weeks"),
    Urgency.MEDIUM: _("Within the week would be good"),
    Urgency.HIGH: _("It seems urgent"),
}


class Source(models.TextChoices):
    REQUEST = "request", _("Member request")
    SIGNAL = "signal", _("Ambassador signal")
    # Someone without an account asked to be called back (referrals.guest).
    GUEST = "guest", _("Guest callback (no account)")
    # Someone phoned or walked in and an advisor opened the case for them, with their
    # oral agreement (services.desk); how they came in is Case.intake_channel.
    ADVISOR = "advisor", _("Opened by an advisor")


class IntakeChannel(models.TextChoices):
    """How the person reached the advisor who opened their case."""

    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in")
    OTHER = "other", _("Other contact")


# The source in words on the queue and the case page: "Opened by an advisor — phone call".
# Whole sentences rather than a label glued to a lower-cased one, so each language can
# word them its own way.
ADVISOR_SOURCE_LABELS: "dict[str, StrPromise]" = {
    IntakeChannel.PHONE: _("Opened by an advisor — phone call"),
    IntakeChannel.WALK_IN: _("Opened by an advisor — walk-in"),
    IntakeChannel.OTHER: _("Opened by an advisor — other contact"),
}


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
    # The partner's own answer on its referral page (referrals.partner_side).
    TAKEN_ON = "referred_taken_on", _("Referred, and the partner took the member on")
    NOT_TAKEN_ON = (
        "referred_not_taken_on",
        _("Referred, and the partner did not take the member on"),
    )
    DECLINED = "member_declined", _("The member declined")
    UNREACHABLE = "unreachable", _("The member could not be reached")


# Which outcomes make sense from which status: an outcome about a referral needs one.
OUTCOMES_FROM: dict[str, tuple[str, ...]] = {
    CaseStatus.IN_PROGRESS: (Outcome.HANDLED, Outcome.DECLINED, Outcome.UNREACHABLE),
    CaseStatus.ORIENTED: (
        Outcome.TAKEN_ON,
        Outcome.NOT_TAKEN_ON,
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
    # The member took their attached self-assessment result back from an open request.
    RESULT_DETACHED = "case.result_detached", _("Result detached by the member")
    ASSIGNED = "case.assigned", _("Assigned")
    CONTACT_ATTEMPT = "case.contact_attempt", _("Contact attempt")
    NOTE = "case.note", _("Private note")
    REFERRED = "case.referred", _("Referred to a partner")
    ORIENTED = "case.oriented", _("Oriented")
    PARTNER_REACHED = "case.partner_reached", _("Closed loop: partner reached?")
    FOLLOW_UP = "case.follow_up", _("Follow-up date")
    # Call-back appointments (referrals.services.callbacks).
    CALLBACK_BOOKED = "case.callback_booked", _("Call-back booked")
    CALLBACK_RESCHEDULED = "case.callback_rescheduled", _("Call-back rescheduled")
    CALLBACK_CANCELLED = "case.callback_cancelled", _("Call-back cancelled")
    CALLBACK_DONE = "case.callback_done", _("Call-back done")
    # The partner's side (referrals.partner_side): sent to its referral address, its
    # answers on the signed page, and the member's own word on whether it helped.
    SENT_TO_PARTNER = "case.sent_to_partner", _("Sent to the partner")
    PARTNER_ANSWERED = "case.partner_answered", _("The partner answered")
    MEMBER_ANSWERED = "case.member_answered", _("The member answered")
    CLOSED = "case.closed", _("Closed")
    # Erasure or the retention limit removed the person's details (referrals.privacy).
    ANONYMISED = "case.anonymised", _("Personal details erased")
    # A guest's case joined the account they opened later (referrals.guest).
    ATTACHED = "case.attached", _("Attached to the person's account")


class AnonymisedBecause(models.TextChoices):
    ERASURE = "erasure", _("at the member's request")
    RETENTION = "retention", _("at the end of the retention period")


class AccessSubject(models.TextChoices):
    CASE = "case", _("Case")
    RESULT = "assessment_result", _("Attached self-assessment result")
    # A row of the queue shows the person's name, needs and urgency: a read as well.
    LISTED = "queue_listing", _("Listed in the advisors' queue")
    # A search result shows as much as a queue row, found by what the advisor typed.
    FOUND = "search_result", _("Found by a search")
    OTHER_CASE = "other_case", _("Listed as the same person's other case")
    # The partner opened the page of a referral sent to it (signed link, no account).
    PARTNER_PAGE = "partner_page", _("Referral page opened by the partner")


class AccessPurpose(models.TextChoices):
    TRIAGE = "triage", _("Triage of an unassigned case")
    CASE_WORK = "case_work", _("Working a case assigned to them")
    COVER = "cover", _("Covering a colleague's case")
    REVIEW = "review", _("Reviewing a closed case")
    PARTNER = "partner", _("The partner answering a referral")


class PartnerAnswer(models.TextChoices):
    """What the partner says on its referral page, in the order a referral moves forward."""

    RECEIVED = "received", _("Received")
    CONTACTED = "contacted", _("Member contacted")
    TAKEN_ON = "taken_on", _("Taken on")
    NOT_TAKEN_ON = "not_taken_on", _("Not taken on")


# How far along each answer is: a partner moves a referral forward only; the last two
# are final.
PARTNER_ANSWER_RANK: dict[str, int] = {
    "": 0,
    PartnerAnswer.RECEIVED: 1,
    PartnerAnswer.CONTACTED: 2,
    PartnerAnswer.TAKEN_ON: 3,
    PartnerAnswer.NOT_TAKEN_ON: 3,
}


class NotTakenOnReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Outside our scope")
    NO_CAPACITY = "no_capacity", _("No capacity")
    UNREACHABLE = "unreachable", _("Member unreachable")
    DECLINED = "declined", _("Member declined")
    OTHER = "other", _("Other")


class MemberHelped(models.TextChoices):
    """The member's own word, a few days after the referral."""

    YES = "yes", _("Yes, it helped")
    SOMEWHAT = "somewhat", _("A little")
    NO = "no", _("No")
    TOO_EARLY = "too_early", _("Too early to say")

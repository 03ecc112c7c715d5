"""Reads of the partner's side: the partner's page, what the reminders and the member's
question are planned from, and the queue's "waiting for a partner"."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from members.models import User

from ..choices import OPEN_STATUSES, Outcome, PartnerAnswer
from ..models import Case, Partner, PartnerLanguage, PartnerMembership, Referral

# The partner has the referral and has not said yet whether it takes the member on.
AWAITING_ANSWERS = ("", PartnerAnswer.RECEIVED, PartnerAnswer.CONTACTED)


def awaiting_partner_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}sent_to_partner_at__isnull": False,
            f"{prefix}partner_answer__in": AWAITING_ANSWERS,
        }
    )


def awaiting_partner_exists() -> Exists:
    """For a case queryset: one of its referrals waits for the partner's decision."""
    return Exists(Referral.objects.filter(awaiting_partner_q(), case=OuterRef("pk")))


def referral_for_partner(referral_id: int) -> Referral | None:
    """The referral a partner's link names, with only what its page shows."""
    return (
        Referral.objects.filter(pk=referral_id, sent_to_partner_at__isnull=False)
        .select_related("case__member", "partner")
        .prefetch_related("case__needs")
        .first()
    )


def partner_of(user: User | AnonymousUser) -> Partner | None:
    """The organisation a partner's staff account answers for, if any."""
    if not user.is_authenticated:
        return None
    return Partner.objects.filter(memberships__user=user).first()


def partner_staff_accounts(partner: Partner) -> list[PartnerMembership]:
    """The staff accounts of a partner organisation, for its staff page (one query)."""
    return list(PartnerMembership.objects.filter(partner=partner).select_related("user"))


def partner_has_accounts(partner_id: int) -> bool:
    return Partner.objects.filter(pk=partner_id, memberships__user__is_active=True).exists()


def partner_space_referrals(partner: Partner) -> list[Referral]:
    """The referrals sent to this organisation on cases still open, newest first: one
    query, and no personal data (the list shows the reference and where it stands)."""
    return list(
        Referral.objects.filter(
            partner=partner,
            sent_to_partner_at__isnull=False,
            case__status__in=OPEN_STATUSES,
        )
        .select_related("case")
        .order_by("-sent_to_partner_at", "-pk")
    )


def referral_for_partner_user(user: User | AnonymousUser, referral_id: int) -> Referral | None:
    """A referral sent to the organisation of this partner's staff account; None for
    another organisation's (the view answers 404, as for one that does not exist)."""
    if not isinstance(user, User):
        return None
    referral = referral_for_partner(referral_id)
    if referral is None or not referral.partner.memberships.filter(user=user).exists():
        return None
    return referral


def partner_languages(partner_id: int) -> list[str]:
    return list(
        PartnerLanguage.objects.filter(partner_id=partner_id)
        .order_by("pk")
        .values_list("language", flat=True)
    )


def unanswered_referrals(now: datetime) -> Iterator[tuple[int, int | None, datetime]]:
    """(referral id, advisor holding the case, sent at) of referrals sent at least the
    reminder delay ago (in calendar days, a lower bound of working days) that the partner
    has not answered, on open cases; the planner counts the working days."""
    earliest = now - timedelta(days=settings.REFERRALS_PARTNER_REMINDER_WORKING_DAYS)
    rows = (
        Referral.objects.filter(
            sent_to_partner_at__lte=earliest,
            partner_answer="",
            case__status__in=OPEN_STATUSES,
        )
        .order_by("sent_to_partner_at", "pk")
        .values_list("pk", "case__assigned_to_id", "sent_to_partner_at")
    )
    for referral_id, advisor_id, sent_at in rows.iterator(chunk_size=500):
        assert sent_at is not None  # the filter above
        yield referral_id, advisor_id, sent_at


def referrals_to_ask_member(now: datetime) -> Iterator[tuple[int, int, datetime]]:
    """(referral id, member id, due) of referrals on a member's open case, made long
    enough ago, that the member has not answered yet."""
    delay = timedelta(days=settings.REFERRALS_MEMBER_ASK_DAYS)
    rows = (
        Referral.objects.filter(
            created_at__lte=now - delay,
            member_answered_at__isnull=True,
            case__status__in=OPEN_STATUSES,
            case__member__isnull=False,
        )
        .order_by("created_at", "pk")
        .values_list("pk", "case__member_id", "created_at")
    )
    for referral_id, member_id, created_at in rows.iterator(chunk_size=500):
        yield referral_id, member_id, created_at + delay


def cases_awaiting_partner_count() -> int:
    return Case.objects.filter(status__in=OPEN_STATUSES).filter(awaiting_partner_exists()).count()


@dataclass(frozen=True)
class PartnerView:
    """All the partner's page shows: what the member agreed to share, nothing else (no
    surname, no message to the cell, no attached result, no region, no urgency)."""

    reference: str
    partner_name: str
    first_name: str
    phone: str
    email: str
    needs: list[str]
    note: str
    language: str
    channel: str
    time_slots: list[str]
    answer: str
    answer_label: str
    reason_label: str
    answered_at: datetime | None
    # When the signed link stops working; None on the partner's signed-in page.
    expires_at: datetime | None


def partner_view(referral: Referral, *, expires_at: datetime | None = None) -> PartnerView:
    case = referral.case
    if case.member is not None and case.member.first_name:
        first_name = case.member.first_name
    else:
        first_name = (case.contact_name.split() or [""])[0]
    return PartnerView(
        reference=case.reference,
        partner_name=referral.partner.name,
        first_name=first_name,
        phone=case.contact_phone,
        email=case.contact_email,
        needs=[str(item.get_need_display()) for item in case.needs.all()],
        note=referral.note,
        language=str(case.get_language_display()),
        channel=str(case.get_preferred_channel_display()) if case.preferred_channel else "",
        time_slots=[str(label) for label in case.time_slot_labels],
        answer=referral.partner_answer,
        answer_label=str(referral.get_partner_answer_display()) if referral.partner_answer else "",
        reason_label=str(referral.get_partner_reason_display()) if referral.partner_reason else "",
        answered_at=referral.partner_answered_at,
        expires_at=expires_at,
    )


def suggested_outcome(referrals: "list[Referral]") -> str:
    """The closing outcome the partners' and the member's answers point to, if any: the
    advisor still chooses."""
    answers = {referral.partner_answer for referral in referrals}
    if PartnerAnswer.TAKEN_ON in answers:
        return Outcome.TAKEN_ON
    if any(referral.reached for referral in referrals):
        return Outcome.REFERRED_REACHED
    if PartnerAnswer.NOT_TAKEN_ON in answers:
        return Outcome.NOT_TAKEN_ON
    if referrals and all(referral.reached is False for referral in referrals):
        return Outcome.REFERRED_NOT_REACHED
    return ""

"""Reads: what each role may see of the directory and of the cases.

member: the cases about them; ambassador: the status of the signals they raised, no
more; advisor: every case; everyone else: no case at all. Each reader runs a fixed
number of queries, whatever the data.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS
from members.models import User
from members.roles import Role, has_role

from .choices import NATIONAL, OPEN_STATUSES, CaseStatus, Source
from .models import (
    Case,
    CaseEvent,
    Partner,
    PartnerArea,
    PartnerLanguage,
    PartnerNeed,
    Referral,
    case_reference,
)
from .routing import PartnerFacts, Suggestion, rank_partners

# --- Partner directory ---------------------------------------------------------------------

PARTNER_DETAILS = ("needs", "areas", "languages")


def partners_directory(*, need: str = "", area: str = "", language: str = "") -> QuerySet[Partner]:
    """Active partners for the public directory, crisis lines first, then by name."""
    partners = Partner.objects.filter(is_active=True)
    if need:
        partners = partners.filter(pk__in=PartnerNeed.objects.filter(need=need).values("partner"))
    if area:
        # A partner working all over Belgium serves every province.
        areas = [NATIONAL] if area == NATIONAL else [area, NATIONAL]
        partners = partners.filter(
            pk__in=PartnerArea.objects.filter(area__in=areas).values("partner")
        )
    if language:
        partners = partners.filter(
            pk__in=PartnerLanguage.objects.filter(language=language).values("partner")
        )
    return partners.order_by("-is_crisis_line", "name", "pk").prefetch_related(*PARTNER_DETAILS)


def may_manage_partners(user: User) -> bool:
    return user.is_authenticated and user.has_perm("referrals.manage_partners")


def partners_for_staff(user: User) -> QuerySet[Partner]:
    if not may_manage_partners(user):
        return Partner.objects.none()
    return Partner.objects.order_by("-is_active", "name", "pk").prefetch_related(*PARTNER_DETAILS)


# --- Cases: who may see which ----------------------------------------------------------------


def may_work_cases(user: User) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, Role.ADVISOR)


def cases_for_advisor(user: User) -> QuerySet[Case]:
    if not may_work_cases(user):
        return Case.objects.none()
    return Case.objects.all()


def overdue_q(now: datetime | None = None) -> Q:
    return Q(
        status__in=OPEN_STATUSES,
        first_contact_at__isnull=True,
        first_contact_due__lt=now or timezone.now(),
    )


def cases_overdue(now: datetime | None = None) -> QuerySet[Case]:
    """Open cases whose first contact is late, oldest deadline first: what the advisors'
    overdue alerts are planned from (referrals.planners)."""
    return (
        Case.objects.filter(overdue_q(now))
        .select_related("assigned_to")
        .order_by("first_contact_due", "pk")
    )


def unheld_q() -> Q:
    """Nobody in the cell holds the case: never claimed, or held by an advisor who left
    (their account is deactivated, never deleted, so the case still points at them)."""
    return ~Q(assigned_to__in=advisors())


def overdue_alert_targets(now: datetime) -> Iterator[tuple[int, int, datetime]]:
    """(case id, advisor id, deadline) for each overdue case and each advisor to alert:
    the advisor holding it, or every active advisor while nobody in the cell does.
    Streams the rows, so memory does not grow with the backlog."""
    rows = cases_overdue(now).values_list("pk", "assigned_to_id", "first_contact_due")
    everyone: list[int] | None = None
    for case_id, assignee_id, due in rows.iterator(chunk_size=500):
        if everyone is None:
            everyone = list(advisors().values_list("pk", flat=True))
        if assignee_id in everyone:
            yield case_id, assignee_id, due
            continue
        for advisor_id in everyone:
            yield case_id, advisor_id, due


@dataclass(frozen=True)
class CaseLine:
    """A case in an e-mail: its reference, a date and its page; nothing about the person."""

    pk: int
    reference: str
    when: datetime | date


@dataclass(frozen=True)
class AdvisorDigest:
    """What an advisor's morning e-mail says: counts and references, no names, no text."""

    new_unassigned: int
    open_mine: int
    overdue: int
    follow_ups: int
    overdue_cases: list[CaseLine]
    follow_up_cases: list[CaseLine]

    @property
    def is_empty(self) -> bool:
        return not (self.new_unassigned or self.open_mine or self.overdue or self.follow_ups)

    @property
    def overdue_more(self) -> int:
        return self.overdue - len(self.overdue_cases)

    @property
    def follow_ups_more(self) -> int:
        return self.follow_ups - len(self.follow_up_cases)


DIGEST_LIST_LIMIT = 10


def advisor_digest(user: User, *, now: datetime) -> AdvisorDigest:
    """The advisor's open work this morning, in three queries whatever the data.

    Overdue counts the advisor's own cases and those nobody in the cell holds (anyone
    may take them on); follow-ups are the advisor's cases due today or earlier.
    """
    today = timezone.localdate(now, BRUSSELS)
    mine_or_nobody = Q(assigned_to=user) | unheld_q()
    overdue = overdue_q(now) & mine_or_nobody
    follow_up = Q(assigned_to=user, follow_up_on__lte=today)
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES).order_by()
    counts = open_cases.aggregate(
        new_unassigned=Count("pk", filter=Q(status=CaseStatus.NEW)),
        open_mine=Count("pk", filter=Q(assigned_to=user)),
        overdue=Count("pk", filter=overdue),
        follow_ups=Count("pk", filter=follow_up),
    )
    overdue_rows = (
        open_cases.filter(overdue)
        .order_by("first_contact_due", "pk")
        .values_list("pk", "first_contact_due")[:DIGEST_LIST_LIMIT]
    )
    follow_up_rows = (
        open_cases.filter(follow_up)
        .order_by("follow_up_on", "pk")
        .values_list("pk", "follow_up_on")[:DIGEST_LIST_LIMIT]
    )
    return AdvisorDigest(
        **counts,
        overdue_cases=[CaseLine(pk, case_reference(pk), due) for pk, due in overdue_rows],
        follow_up_cases=[CaseLine(pk, case_reference(pk), on) for pk, on in follow_up_rows],
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"  # "open", "all" or a CaseStatus
    assignment: str = ""  # "", "mine" or "unassigned"
    urgency: int | None = None
    source: str = ""
    region: str = ""
    overdue: bool = False


def case_queue(user: User, filters: QueueFilters = QueueFilters()) -> QuerySet[Case]:
    """The advisor's queue: most urgent first, then the longest waiting."""
    cases = cases_for_advisor(user)
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status in CaseStatus.values:
        cases = cases.filter(status=filters.status)
    if filters.assignment == "mine":
        cases = cases.filter(assigned_to=user)
    elif filters.assignment == "unassigned":
        cases = cases.filter(unheld_q())
    if filters.urgency:
        cases = cases.filter(urgency=filters.urgency)
    if filters.source:
        cases = cases.filter(source=filters.source)
    if filters.region:
        cases = cases.filter(region=filters.region)
    if filters.overdue:
        cases = cases.filter(overdue_q())
    return (
        cases.select_related("member", "assigned_to")
        .prefetch_related("needs")
        .order_by("-urgency", "created_at", "pk")
    )


def queue_summary(user: User) -> dict[str, int]:
    """New, overdue, and the advisor's own open cases, in one query."""
    if not may_work_cases(user):
        return {"new": 0, "overdue": 0, "mine": 0, "follow_ups": 0}
    return Case.objects.aggregate(
        new=Count("pk", filter=Q(status=CaseStatus.NEW)),
        overdue=Count("pk", filter=overdue_q()),
        mine=Count("pk", filter=Q(status__in=OPEN_STATUSES, assigned_to=user)),
        follow_ups=Count(
            "pk",
            filter=Q(
                status__in=OPEN_STATUSES,
                assigned_to=user,
                follow_up_on__lte=timezone.localdate(),
            ),
        ),
    )


def case_for_advisor(user: User, case_id: int) -> Case:
    """One case with what its page shows; 404 for an id the user may not open."""
    try:
        return (
            cases_for_advisor(user)
            .select_related(
                "member__profile",
                "raised_by",
                "assigned_to",
                "sharing_consent",
                "assessment_result",
            )
            .prefetch_related("needs")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise Http404 from None


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "pk")


def case_referrals(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("partner", "created_by").order_by("created_at", "pk")


def advisors() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.ADVISOR.value, is_active=True).order_by(
        "first_name", "last_name", "email"
    )


def partners_to_refer() -> QuerySet[Partner]:
    """The partners a case may be referred to: the active ones."""
    return Partner.objects.filter(is_active=True)


def partners_for_routing() -> list[Partner]:
    """Every active partner with its needs, areas and languages (four queries)."""
    return list(partners_to_refer().order_by("name", "pk").prefetch_related(*PARTNER_DETAILS))


def partner_facts(partner: Partner) -> PartnerFacts:
    return PartnerFacts(
        key=partner.pk,
        name=partner.name,
        needs=frozenset(n.need for n in partner.needs.all()),
        areas=frozenset(a.area for a in partner.areas.all()),
        languages=frozenset(lang.language for lang in partner.languages.all()),
        is_crisis_line=partner.is_crisis_line,
    )


def routing_suggestions(
    case: Case, partners: list[Partner], *, limit: int = 8
) -> list[tuple[Partner, Suggestion]]:
    """The partners ranked for this case (see referrals.routing), best first."""
    by_key = {partner.pk: partner for partner in partners}
    ranked = rank_partners(
        (partner_facts(partner) for partner in partners),
        needs=[n.need for n in case.needs.all()],
        region=case.region,
        language=case.language,
        urgency=case.urgency,
        acute=case_result_is_acute(case),
        limit=limit,
    )
    return [(by_key[s.partner.key], s) for s in ranked]


def case_result_is_acute(case: Case) -> bool:
    """An attached result pointing at acute distress puts crisis lines first."""
    return case.assessment_result_id is not None and case.assessment_result.acute


# --- Members and ambassadors ------------------------------------------------------------------


def cases_for_member(user: User) -> QuerySet[Case]:
    """The member's own requests, and signals about them, newest first."""
    if not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(member=user)
        .prefetch_related(
            "needs",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("partner").order_by("created_at", "pk"),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def member_case_summaries(user: User, *, limit: int = 3) -> list[Case]:
    """The member's latest cases, for their home page: status and date only (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        Case.objects.filter(member=user)
        .only("pk", "source", "status", "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )


def member_by_email(email: str) -> User | None:
    """The active member account an ambassador names by its e-mail address."""
    return User.objects.filter(
        email__iexact=email.strip(), is_active=True, groups__name=Role.MEMBER.value
    ).first()


@dataclass(frozen=True)
class SignalStatus:
    """All an ambassador learns about a signal they raised: who, when, how far along."""

    reference: str
    person: str
    raised_at: datetime
    status: str
    label: str | Promise


AMBASSADOR_LABELS = {
    CaseStatus.NEW: _("Received, waiting for an advisor"),
    CaseStatus.IN_PROGRESS: _("Being handled by the listening cell"),
    CaseStatus.ORIENTED: _("Being handled by the listening cell"),
    CaseStatus.CLOSED: _("Handled"),
}


SIGNAL_COLUMNS = (
    "pk",
    "created_at",
    "status",
    "contact_name",
    "member__first_name",
    "member__last_name",
    "member__email",
)


def signal_rows_for_ambassador(user: User) -> QuerySet:
    """The signals the ambassador raised, newest first, as rows of SIGNAL_COLUMNS only:
    columns that say nothing about health, never the note, needs or timeline."""
    if not (user.is_authenticated and has_role(user, Role.AMBASSADOR)):
        return Case.objects.none().values(*SIGNAL_COLUMNS)
    return (
        Case.objects.filter(source=Source.SIGNAL, raised_by=user)
        .order_by("-created_at", "-pk")
        .values(*SIGNAL_COLUMNS)
    )


def signals_for_ambassador(user: User, *, limit: int | None = None) -> list[SignalStatus]:
    rows = signal_rows_for_ambassador(user)
    return signal_statuses(rows if limit is None else rows[:limit])


def signal_statuses(rows) -> list[SignalStatus]:
    """What the ambassador reads of each row of signal_rows_for_ambassador()."""
    return [
        SignalStatus(
            reference=case_reference(row["pk"]),
            person=row["contact_name"]
            or " ".join(filter(None, [row["member__first_name"], row["member__last_name"]]))
            or row["member__email"]
            or "—",
            raised_at=row["created_at"],
            status=row["status"],
            label=AMBASSADOR_LABELS[row["status"]],
        )
        for row in rows
    ]

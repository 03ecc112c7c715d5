"""The listening cell's cases: who may work them, the queue, one case's page, and what
the overdue alerts and the advisors' morning digest are made of."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from common.belgium import BRUSSELS
from members.models import User
from members.roles import Role, has_role

from ..choices import OPEN_STATUSES, CaseStatus, ConsentBasis
from ..models import CallBack, Case, CaseEvent, Referral, case_reference
from .partner_side import awaiting_partner_exists


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
        # follow_up compares follow_up_on with today: never None here.
        follow_up_cases=[CaseLine(pk, case_reference(pk), on) for pk, on in follow_up_rows],  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"  # "open", "all" or a CaseStatus
    assignment: str = ""  # "", "mine" or "unassigned"
    urgency: int | None = None
    source: str = ""
    region: str = ""
    overdue: bool = False
    # Referrals sent to a partner that has not decided yet (referrals.partner_side).
    awaiting_partner: bool = False


def case_queue(user: User, filters: QueueFilters = QueueFilters()) -> QuerySet[Case]:
    """The advisor's queue: urgent and crisis cases first (Case.urgent), then by the
    urgency people gave, then the longest waiting (the case_queue_order index)."""
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
    if filters.awaiting_partner:
        cases = cases.filter(awaiting_partner_exists())
    # At most one open call-back per case (its constraint): its time, or None.
    callback_at = CallBack.objects.open().filter(case=OuterRef("pk")).values("at")[:1]
    return (
        cases.annotate(
            awaiting_partner=awaiting_partner_exists(), callback_at=Subquery(callback_at)
        )
        .select_related("member", "assigned_to")
        .prefetch_related("needs")
        .order_by("-urgent", "-urgency", "created_at", "pk")
    )


def queue_summary(user: User) -> dict[str, int]:
    """New, overdue, and the advisor's own open cases, in one query."""
    if not may_work_cases(user):
        return {"new": 0, "overdue": 0, "mine": 0, "follow_ups": 0, "awaiting_partner": 0}
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
        awaiting_partner=Count(
            "pk", filter=Q(status__in=OPEN_STATUSES) & Q(awaiting_partner_exists())
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


def oral_consent(referrals: Iterable[Referral]) -> Referral | None:
    """The first referral the person agreed to by phone: consent to share given orally is
    recorded with the warm handoff it allowed, not as a Consent of the member's."""
    return next((r for r in referrals if r.consent_basis == ConsentBasis.ORAL), None)


def advisors() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.ADVISOR.value, is_active=True).order_by(
        "first_name", "last_name", "email"
    )

"""Reads on self-assessment results: a member sees their own, nobody else sees any."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from members.consents import ConsentKind
from members.models import Consent, User
from members.selectors import language_and_province
from notifications.preferences import accepting
from programme.models import Module
from programme.selectors import modules_recommended

from .instruments import Instrument, current_instruments, find_instrument, get_current
from .models import AssessmentResult, ReassessmentPlan
from .preferences import REASSESSMENT


def results_for_member(user: User) -> QuerySet[AssessmentResult]:
    """The member's own kept results, newest first; nothing for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return AssessmentResult.objects.none()
    return AssessmentResult.objects.filter(user=user).order_by("-created_at", "-pk")


def latest_results(user: User) -> list[AssessmentResult]:
    """The member's most recent kept result for each instrument, in one query."""
    newest = results_for_member(user).filter(instrument=OuterRef("instrument")).values("pk")[:1]
    return list(results_for_member(user).filter(pk=Subquery(newest)))


def plans_for_member(user: User) -> dict[str, ReassessmentPlan]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return {plan.instrument: plan for plan in ReassessmentPlan.objects.filter(user=user)}


def reassessment_plans_due(on: date) -> QuerySet[ReassessmentPlan]:
    """Invitations to send on a day, for the messages planner: due, not invited for that
    date yet, the member's switch for these invitations on, and something to invite
    back to (a kept result of that instrument, under a standing consent). A member
    who deleted their results or withdrew that consent is not invited; the plan waits
    for a new kept result."""
    return (
        ReassessmentPlan.objects.filter(
            next_due_on__lte=on,
            user__is_active=True,
        )
        .filter(accepting(REASSESSMENT, user="user"))
        .filter(Q(last_invited_for__isnull=True) | Q(last_invited_for__lt=F("next_due_on")))
        .filter(
            Exists(
                AssessmentResult.objects.filter(
                    user=OuterRef("user"), instrument=OuterRef("instrument")
                )
            ),
            Exists(_health_consents_standing().filter(user=OuterRef("user"))),
        )
        # The invitations the research consent asked for: up to their end, while it stands.
        .filter(
            Q(ends_on__isnull=True)
            | Q(
                Exists(_research_consents_standing().filter(user=OuterRef("user"))),
                next_due_on__lte=F("ends_on"),
            )
        )
        .order_by("next_due_on", "pk")
    )


def _health_consents_standing() -> QuerySet[Consent]:
    return Consent.objects.filter(kind=ConsentKind.HEALTH_DATA, withdrawn_at__isnull=True)


def _research_consents_standing() -> QuerySet[Consent]:
    return Consent.objects.filter(kind=ConsentKind.RESEARCH, withdrawn_at__isnull=True)


@dataclass(frozen=True)
class InvitationFacts:
    """What a re-assessment invitation may say when it goes out: no score, no band."""

    plan: ReassessmentPlan
    instrument: Instrument
    last_taken_at: datetime


# Programme managers read why a message was not sent on the deliveries page, next to the
# member's address: the reason says nothing of what the member did with their results
# (deleted them, withdrew their consent, took the questionnaire again).
NO_LONGER_DUE = "no longer due"


def reassessment_invitation_facts(*, plan_id: int, user_id: int) -> InvitationFacts | str:
    """The facts of an invitation read fresh at send time, or why it should not go out."""
    plan = ReassessmentPlan.objects.filter(pk=plan_id, user_id=user_id).first()
    if plan is None:
        return "the member stopped these invitations"
    instrument = get_current(plan.instrument)
    if instrument is None:
        return "the instrument is no longer offered"
    last_taken_at = (
        AssessmentResult.objects.filter(user_id=user_id, instrument=plan.instrument)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    # No kept result left, or no standing consent to keep them: nothing to invite back to.
    if last_taken_at is None or not _health_consents_standing().filter(user_id=user_id).exists():
        return NO_LONGER_DUE
    return InvitationFacts(plan=plan, instrument=instrument, last_taken_at=last_taken_at)


@dataclass
class InstrumentHistory:
    """One instrument's kept results, oldest first, as the history page and its chart read them."""

    instrument: Instrument
    results: list[AssessmentResult] = field(default_factory=list)
    plan: ReassessmentPlan | None = None

    @property
    def latest(self) -> AssessmentResult | None:
        return self.results[-1] if self.results else None


def history_for_member(user: User) -> list[InstrumentHistory]:
    """Every instrument the member kept results for (current ones first), in two queries.

    A result scored with a retired version is shown with its own version's definition.
    """
    histories: dict[str, InstrumentHistory] = {}
    for result in results_for_member(user).order_by("created_at", "pk"):
        definition = find_instrument(result.instrument, result.instrument_version)
        if definition is None:
            continue
        history = histories.setdefault(result.instrument, InstrumentHistory(definition))
        history.results.append(result)
        # The newest result's version names the instrument on the page.
        history.instrument = definition
    plans = plans_for_member(user)
    for code, history in histories.items():
        history.plan = plans.get(code)
    order = {instrument.code: n for n, instrument in enumerate(current_instruments())}
    return sorted(
        histories.values(), key=lambda h: (order.get(h.instrument.code, 99), h.instrument.code)
    )


def recommended_modules(theme_slugs: Iterable[str], *, user: User, limit: int = 4) -> list[Module]:
    """Published modules on the themes a band recommends, with their next sessions; those
    in the member's language and reachable from their province first."""
    language, province = language_and_province(user)
    return modules_recommended(
        theme_slugs=list(dict.fromkeys(theme_slugs)),
        limit=limit,
        language=language,
        province=province,
    )


def themes_from_results(results: Iterable[AssessmentResult]) -> list[str]:
    """The themes the bands of these results recommend, most pressing bands first."""
    ranked = []
    for result in results:
        band = result.band_definition
        if band is not None:
            ranked.append((band.level != "priority", band.level != "attention", band.themes))
    themes: dict[str, None] = {}
    for *_rank, band_themes in sorted(ranked, key=lambda entry: entry[:2]):
        themes.update(dict.fromkeys(band_themes))
    return list(themes)

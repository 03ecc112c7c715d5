"""Every change to the partner directory and to a case goes through here.

Each case service locks the case row, checks the move is allowed, writes the change and
one timeline event (the audit entry) in the same transaction. They are the single entry
points later messages hang on (overdue alerts, "your signal was handled" notices).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from members.consents import ConsentKind
from members.models import Consent, User
from members.roles import Role, has_role
from members.selectors import profile_for
from members.services import consent_give

from .choices import (
    OPEN_STATUSES,
    OUTCOMES_FROM,
    TRANSITIONS,
    AccessPurpose,
    AccessSubject,
    AnonymisedBecause,
    CaseStatus,
    Channel,
    ConsentBasis,
    EventKind,
    NeedCategory,
    Outcome,
    ReferralMode,
    Source,
    TimeSlot,
    Urgency,
)
from .deadlines import first_contact_due
from .emails import signal_handled_schedule
from .models import (
    SIGNAL_NOTE_MAX,
    Case,
    CaseAccess,
    CaseEvent,
    CaseNeed,
    Partner,
    PartnerArea,
    PartnerLanguage,
    PartnerNeed,
    Referral,
)
from .phones import normalise_phone, normalise_service_phone

if TYPE_CHECKING:
    from assessments.models import AssessmentResult


class CaseActionRefused(ValidationError):
    """The case cannot do that now; the message says why, in words for the advisor."""


class TransitionRefused(CaseActionRefused):
    pass


class ClaimLost(CaseActionRefused):
    """Someone else claimed the case first (or it was closed meanwhile)."""


# --- Partner directory ---------------------------------------------------------------------


def _partner_save(
    partner: Partner, *, needs: Iterable[str], areas: Iterable[str], languages: Iterable[str]
) -> Partner:
    if partner.phone:
        partner.phone = normalise_service_phone(partner.phone)
    needs, areas, languages = set(needs), set(areas), set(languages)
    if not needs or not areas or not languages:
        raise ValidationError(_("Choose at least one need, one area and one language."))
    partner.full_clean()
    partner.save()
    partner.needs.all().delete()
    partner.areas.all().delete()
    partner.languages.all().delete()
    PartnerNeed.objects.bulk_create(PartnerNeed(partner=partner, need=n) for n in sorted(needs))
    PartnerArea.objects.bulk_create(PartnerArea(partner=partner, area=a) for a in sorted(areas))
    PartnerLanguage.objects.bulk_create(
        PartnerLanguage(partner=partner, language=lang) for lang in sorted(languages)
    )
    return partner


@transaction.atomic
def partner_create(
    *,
    needs: Iterable[str],
    areas: Iterable[str],
    languages: Iterable[str],
    **fields,
) -> Partner:
    return _partner_save(Partner(**fields), needs=needs, areas=areas, languages=languages)


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    needs: Iterable[str],
    areas: Iterable[str],
    languages: Iterable[str],
    **fields,
) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    for name, value in fields.items():
        setattr(partner, name, value)
    return _partner_save(partner, needs=needs, areas=areas, languages=languages)


# --- Opening a case ------------------------------------------------------------------------


def _event(
    case: Case,
    kind: EventKind,
    actor: User | None,
    *,
    body: str = "",
    from_status: str = "",
    to_status: str = "",
    **data,
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        kind=kind,
        actor=actor,
        body=body,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )
    event.full_clean()
    event.save()
    return event


def _open_case(case: Case, *, needs: Sequence[str], actor: User) -> Case:
    if not needs:
        raise ValidationError(_("Choose at least one topic."))
    # Routing and statistics read these codes: an unknown one would match nothing, silently.
    if not set(needs) <= set(NeedCategory.values):
        raise ValidationError({"needs": _("Choose topics from the list.")})
    case.first_contact_due = first_contact_due(case.created_at)
    case.full_clean()
    case.save()
    CaseNeed.objects.bulk_create(CaseNeed(case=case, need=need) for need in sorted(set(needs)))
    _event(case, EventKind.CREATED, actor, to_status=CaseStatus.NEW, source=case.source)
    return case


@transaction.atomic
def request_create(
    *,
    member: User,
    needs: Sequence[str],
    channel: str,
    time_slots: Sequence[str],
    language: str,
    urgency: int,
    message: str,
    phone: str = "",
    email: str = "",
    result: AssessmentResult | None = None,
    share_with_partner: bool = False,
) -> Case:
    """A member asks the listening cell to contact them."""
    if not has_role(member, Role.MEMBER):
        raise PermissionDenied
    phone = normalise_phone(phone) if phone.strip() else ""
    email = email.strip() or member.email
    if channel == Channel.PHONE and not phone:
        raise ValidationError({"phone": _("Give a phone number so the cell can call you.")})
    if not set(time_slots) <= set(TimeSlot.values):
        raise ValidationError({"time_slots": _("Choose time slots from the list.")})
    if result is not None and result.user_id != member.pk:
        # Only one of the member's own stored results can travel with a request.
        raise PermissionDenied
    consent: Consent | None = None
    if share_with_partner:
        consent = consent_give(user=member, kind=ConsentKind.PARTNER_SHARING)
    case = Case(
        source=Source.REQUEST,
        member=member,
        contact_phone=phone,
        contact_email=email,
        preferred_channel=channel,
        time_slots=sorted(set(time_slots)),
        language=language,
        region=profile_for(member).province,
        urgency=urgency,
        message=message.strip(),
        sharing_consent=consent,
        assessment_result=result,
    )
    return _open_case(case, needs=needs, actor=member)


def _profile_phone(raw: str) -> str:
    """The member's profile number in E.164; an old entry phonenumbers rejects stays as typed,
    since the ambassador cannot correct it."""
    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError:
        return raw[:20]


@transaction.atomic
def signal_create(
    *,
    ambassador: User,
    agreement_confirmed: bool,
    need: str,
    note: str,
    urgency: int = Urgency.MEDIUM,
    member: User | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "",
    region: str = "",
) -> Case:
    """An ambassador passes on a weak signal about someone who agreed to be contacted."""
    if not has_role(ambassador, Role.AMBASSADOR):
        raise PermissionDenied
    if not agreement_confirmed:
        raise ValidationError(
            {"agreement_confirmed": _("Pass on a signal only for someone who agreed to it.")}
        )
    if len(note) > SIGNAL_NOTE_MAX:
        raise ValidationError({"note": _("Keep the note short.")})
    if member is not None:
        profile = profile_for(member)
        case = Case(
            member=member,
            contact_phone=_profile_phone(profile.phone),
            contact_email=member.email,
            language=language or profile.preferred_language,
            region=region or profile.province,
        )
    else:
        name = name.strip()
        phone = normalise_phone(phone) if phone.strip() else ""
        email = email.strip()
        if not name or not (phone or email):
            raise ValidationError(
                _("Give the person's name and a phone number or an e-mail address.")
            )
        case = Case(
            contact_name=name,
            contact_phone=phone,
            contact_email=email,
            language=language or Language.FR,
            region=region,
        )
    case.source = Source.SIGNAL
    case.raised_by = ambassador
    case.agreement_confirmed = True
    case.urgency = urgency
    case.message = note.strip()
    return _open_case(case, needs=[need], actor=ambassador)


# --- Working a case -----------------------------------------------------------------------


def _ensure_advisor(user: User) -> None:
    if not has_role(user, Role.ADVISOR) or not user.is_active:
        raise PermissionDenied


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock: what we check is what we change."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _ensure_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise CaseActionRefused(_("This case is closed."), code="closed")


def check_transition(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS[from_status]:
        raise TransitionRefused(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": CaseStatus(from_status).label, "to": CaseStatus(to_status).label},
            code="transition",
        )


def _move(
    case: Case,
    to_status: str,
    *,
    actor: User | None,
    kind: EventKind,
    body: str = "",
    checked: bool = True,
    **data,
) -> CaseEvent:
    """Change the status and write it on the timeline; only allowed moves, unless the
    caller is one of the documented exceptions (checked=False)."""
    from_status = case.status
    if checked:
        check_transition(from_status, to_status)
    case.status = to_status
    case.full_clean()
    case.save()
    return _event(
        case, kind, actor, body=body, from_status=from_status, to_status=to_status, **data
    )


@transaction.atomic
def case_claim(*, case_id: int, advisor: User) -> Case:
    """Take a new case. Two advisors at once: one conditional UPDATE wins, the other is told."""
    _ensure_advisor(advisor)
    won = Case.objects.filter(pk=case_id, status=CaseStatus.NEW, assigned_to__isnull=True).update(
        status=CaseStatus.IN_PROGRESS, assigned_to=advisor, updated_at=timezone.now()
    )
    case = Case.objects.select_related("assigned_to").get(pk=case_id)
    if not won:
        if case.status == CaseStatus.CLOSED:
            raise ClaimLost(_("This case is closed: it cannot be claimed."), code="closed")
        if case.assigned_to_id == advisor.pk:
            raise ClaimLost(_("You already hold this case."), code="already_yours")
        raise ClaimLost(
            _("%(name)s claimed this case first.") % {"name": case.assigned_to.display_name},
            code="taken",
        )
    _event(
        case,
        EventKind.CLAIMED,
        advisor,
        from_status=CaseStatus.NEW,
        to_status=CaseStatus.IN_PROGRESS,
    )
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: User, actor: User) -> Case:
    """Give an open case to an advisor (a colleague, or oneself); a new case starts."""
    _ensure_advisor(actor)
    _ensure_advisor(assignee)
    case = _locked(case)
    _ensure_open(case)
    if case.assigned_to_id == assignee.pk:
        raise CaseActionRefused(
            _("%(name)s already holds this case.") % {"name": assignee.display_name},
            code="unchanged",
        )
    previous = case.assigned_to_id
    case.assigned_to = assignee
    if case.status == CaseStatus.NEW:
        _move(
            case,
            CaseStatus.IN_PROGRESS,
            actor=actor,
            kind=EventKind.ASSIGNED,
            assignee=assignee.pk,
            assignee_name=assignee.display_name,
        )
    else:
        case.save()
        _event(
            case,
            EventKind.ASSIGNED,
            actor,
            assignee=assignee.pk,
            assignee_name=assignee.display_name,
            previous=previous,
        )
    return case


def _ensure_started(case: Case) -> None:
    _ensure_open(case)
    if case.status == CaseStatus.NEW:
        raise CaseActionRefused(_("Claim the case first."), code="not_started")


@transaction.atomic
def contact_attempt_record(
    *, case: Case, actor: User, channel: str, reached: bool, note: str = ""
) -> CaseEvent:
    """A call, an e-mail or a video call, answered or not: the first one meets the deadline."""
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_started(case)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how you tried to reach the person.")})
    if case.first_contact_at is None:
        case.first_contact_at = timezone.now()
        case.save(update_fields=["first_contact_at", "updated_at"])
    return _event(
        case, EventKind.CONTACT_ATTEMPT, actor, body=note.strip(), channel=channel, reached=reached
    )


@transaction.atomic
def note_add(*, case: Case, actor: User, body: str) -> CaseEvent:
    """A private note: advisors only ever, never the member nor the ambassador."""
    _ensure_advisor(actor)
    case = _locked(case)
    if not body.strip():
        raise ValidationError({"body": _("Write the note first.")})
    return _event(case, EventKind.NOTE, actor, body=body.strip())


def _standing_consent(case: Case) -> bool:
    return (
        case.sharing_consent_id is not None
        and Consent.objects.filter(pk=case.sharing_consent_id, withdrawn_at__isnull=True).exists()
    )


@transaction.atomic
def referral_create(
    *,
    case: Case,
    actor: User,
    partners: Sequence[Partner],
    mode: str,
    oral_consent: bool = False,
    note: str = "",
) -> list[Referral]:
    """Orient the person to one or more partners; the first referral makes the case oriented."""
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_started(case)
    if not partners:
        raise ValidationError({"partners": _("Choose at least one partner.")})
    if any(not partner.is_active for partner in partners):
        raise ValidationError({"partners": _("This partner is no longer active.")})
    consent_basis = ""
    if mode == ReferralMode.WARM_HANDOFF:
        if _standing_consent(case):
            consent_basis = ConsentBasis.ONLINE
        elif oral_consent:
            consent_basis = ConsentBasis.ORAL
        else:
            raise ValidationError(
                {
                    "oral_consent": _(
                        "A warm handoff shares the person's details: record their consent first."
                    )
                }
            )
    already = set(
        case.referrals.filter(partner__in=partners).values_list("partner__name", flat=True)
    )
    if already:
        raise CaseActionRefused(
            _("Already referred to: %(names)s.") % {"names": ", ".join(sorted(already))},
            code="duplicate",
        )
    referrals = []
    for partner in partners:
        referral = Referral(
            case=case,
            partner=partner,
            mode=mode,
            consent_basis=consent_basis,
            note=note.strip(),
            created_by=actor,
        )
        referral.full_clean(exclude=["case", "partner"])
        referrals.append(referral)
    try:
        with transaction.atomic():
            Referral.objects.bulk_create(referrals)
    except IntegrityError as error:
        raise CaseActionRefused(_("This referral was just recorded."), code="duplicate") from error
    for referral in referrals:
        _event(
            case,
            EventKind.REFERRED,
            actor,
            body=referral.note,
            partner=referral.partner_id,
            partner_name=referral.partner.name,
            mode=mode,
            consent_basis=consent_basis,
        )
    if case.status == CaseStatus.IN_PROGRESS:
        _move(case, CaseStatus.ORIENTED, actor=actor, kind=EventKind.ORIENTED)
    return referrals


@transaction.atomic
def referral_record_reached(
    *, referral: Referral, actor: User, reached: bool, note: str = ""
) -> Referral:
    """Closed loop: did the person reach the partner?"""
    _ensure_advisor(actor)
    case = _locked(referral.case)
    _ensure_open(case)
    referral = Referral.objects.select_for_update().select_related("partner").get(pk=referral.pk)
    referral.reached = reached
    referral.reached_recorded_at = timezone.now()
    referral.save(update_fields=["reached", "reached_recorded_at"])
    _event(
        case,
        EventKind.PARTNER_REACHED,
        actor,
        body=note.strip(),
        partner=referral.partner_id,
        partner_name=referral.partner.name,
        reached=reached,
    )
    return referral


@transaction.atomic
def follow_up_set(*, case: Case, actor: User, on: date | None) -> Case:
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_started(case)
    if on is not None and on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose today or a later date.")})
    case.follow_up_on = on
    case.save(update_fields=["follow_up_on", "updated_at"])
    _event(case, EventKind.FOLLOW_UP, actor, on=on.isoformat() if on else None)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: User, outcome: str, note: str = "") -> Case:
    _ensure_advisor(actor)
    case = _locked(case)
    check_transition(case.status, CaseStatus.CLOSED)
    if outcome not in OUTCOMES_FROM[case.status]:
        raise CaseActionRefused(
            _("This outcome does not fit a case that is “%(status)s”.")
            % {"status": case.get_status_display()},
            code="outcome",
        )
    # The referral outcomes are the closed loop's statistics: they state what was recorded.
    loops = set(case.referrals.values_list("reached", flat=True))
    if outcome == Outcome.REFERRED_REACHED and True not in loops:
        raise CaseActionRefused(_("Record first which partner the person reached."), code="outcome")
    if outcome == Outcome.REFERRED_NOT_REACHED and True in loops:
        raise CaseActionRefused(
            _("The person reached a partner: choose that outcome."), code="outcome"
        )
    if outcome == Outcome.REFERRED_NOT_REACHED and None in loops:
        raise CaseActionRefused(
            _("Record first, for each partner, whether the person reached it."), code="outcome"
        )
    _close(case, outcome=outcome, actor=actor, body=note.strip())
    return case


def _close(
    case: Case, *, outcome: str, actor: User | None, body: str = "", checked: bool = True
) -> None:
    """Every closing: the outcome, the date, no follow-up left, the timeline entry."""
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.follow_up_on = None
    _move(
        case,
        CaseStatus.CLOSED,
        actor=actor,
        kind=EventKind.CLOSED,
        body=body,
        checked=checked,
        outcome=outcome,
    )
    # Closed, not oriented: orienting is a step the cell still follows up (closed loop),
    # and the ambassador's page shows "handled" only from here.
    signal_handled_schedule(case=case)


@transaction.atomic
def cases_close_member_gone(*, case_ids: Sequence[int]) -> int:
    """Close the open cases of a member who erased their account (GDPR Art. 17).

    Nobody can reach the person any more, so the cases leave the queue and no advisor is
    alerted about them: outcome "unreachable", written on the timeline by the portal (no
    actor). A case nobody had claimed closes without an advisor. With anonymising, the
    one move outside TRANSITIONS. Returns how many cases were closed now.
    """
    cases = list(
        Case.objects.select_for_update()
        .filter(pk__in=list(case_ids), status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    for case in cases:
        # A new case may close straight away here: checked=False (see above).
        _close(case, outcome=Outcome.UNREACHABLE, actor=None, checked=False)
    return len(cases)


# --- Access log -------------------------------------------------------------------------------


def access_purpose(case: Case, user: User) -> AccessPurpose:
    """Why this advisor reads this case, from where the case stands."""
    if case.status == CaseStatus.CLOSED:
        return AccessPurpose.REVIEW
    if case.assigned_to_id is None:
        return AccessPurpose.TRIAGE
    if case.assigned_to_id == user.pk:
        return AccessPurpose.CASE_WORK
    return AccessPurpose.COVER


def access_record(
    *, case: Case, user: User, subject: AccessSubject, result_id: int | None = None
) -> CaseAccess:
    """Write who read what of a case, when and why (append-only)."""
    return CaseAccess.objects.create(
        case=case,
        subject=subject,
        result_id=result_id,
        accessed_by=user,
        purpose=access_purpose(case, user),
    )


def access_record_listing(*, cases: Sequence[Case], user: User) -> None:
    """Write that these cases were listed to this advisor in the queue, in one insert."""
    CaseAccess.objects.bulk_create(
        CaseAccess(
            case=case,
            subject=AccessSubject.LISTED,
            accessed_by=user,
            purpose=access_purpose(case, user),
        )
        for case in cases
    )


# --- Erasure and retention ------------------------------------------------------------------


@transaction.atomic
def cases_anonymise(*, case_ids: Sequence[int], reason: AnonymisedBecause) -> int:
    """Remove the person from these cases and keep what the statistics read: source,
    status, outcome, needs, region, language, urgency, channel and every date.

    Gone: the member link, name, phone, e-mail, time slots, the member's message (or the
    ambassador's note), the attached result and sharing consent, and the text of every
    timeline event and referral (advisors' notes speak of the person). The timeline keeps
    its events, what happened and when; the access log keeps who read which case.
    Erasure (GDPR Art. 17) and the retention limit are the one exception to the
    append-only timeline, and the change is itself recorded on it. Returns how many
    cases were anonymised now (a case already anonymised is left as it is).
    """
    done = CaseEvent.objects.filter(kind=EventKind.ANONYMISED).values("case_id")
    ids = list(
        Case.objects.select_for_update()
        .filter(pk__in=list(case_ids))
        .exclude(pk__in=done)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Case.objects.filter(pk__in=ids).update(
        member=None,
        contact_name="",
        contact_phone="",
        contact_email="",
        time_slots=[],
        message="",
        assessment_result=None,
        sharing_consent=None,
        updated_at=timezone.now(),
    )
    # The base manager is a plain one: the append-only manager refuses any update.
    CaseEvent._base_manager.filter(case_id__in=ids).exclude(body="").update(body="")
    Referral.objects.filter(case_id__in=ids).exclude(note="").update(note="")
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=EventKind.ANONYMISED, data={"reason": reason}) for pk in ids
    )
    return len(ids)

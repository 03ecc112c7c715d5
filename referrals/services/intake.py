"""How a case comes in: a member's request to be contacted, an ambassador's signal, and
the one path every new case takes (a guest's callback too, see referrals.guest)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS, Language
from members.consents import ConsentKind
from members.models import Consent, User
from members.roles import Role, has_role
from members.selectors import profile_for
from members.services import consent_give

from ..choices import (
    CaseStatus,
    Channel,
    EventKind,
    NeedCategory,
    Source,
    TimeSlot,
    Urgency,
    is_urgent,
)
from ..deadlines import first_contact_due
from ..emails import urgent_case_alert_schedule
from ..models import SIGNAL_NOTE_MAX, Case, CaseNeed
from ..phones import normalise_phone
from ..selectors.people import member_by_email
from .base import CaseActionRefused, _event

if TYPE_CHECKING:
    from assessments.models import AssessmentResult


def _open_case(case: Case, *, needs: Sequence[str], actor: User | None, **data: Any) -> Case:
    """Every new case, whatever its source, comes in here: its deadline, its place in the
    queue and the advisors' alert follow from how urgent it is. A guest's callback has no
    actor and may have no topic (the advisor hears them on the phone). ``data`` goes on
    the timeline's first entry."""
    if not needs and case.source != Source.GUEST:
        raise ValidationError(_("Choose at least one topic."))
    # Routing and statistics read these codes: an unknown one would match nothing, silently.
    if not set(needs) <= set(NeedCategory.values):
        raise ValidationError({"needs": _("Choose topics from the list.")})
    case.urgent = is_urgent(urgency=case.urgency, needs=needs)
    case.first_contact_due = first_contact_due(case.created_at, urgent=case.urgent)
    case.full_clean()
    case.save()
    CaseNeed.objects.bulk_create(CaseNeed(case=case, need=need) for need in sorted(set(needs)))
    _event(case, EventKind.CREATED, actor, to_status=CaseStatus.NEW, source=case.source, **data)
    if case.urgent:
        urgent_case_alert_schedule(case=case)
    return case


# A second post of the same request within this time (a double tap, a reload) is the
# same request: the first one is returned, no second case is opened.
REPEAT_WINDOW = timedelta(minutes=10)


def _same_request_just_sent(
    member: User, *, needs: Sequence[str], message: str, urgency: int
) -> Case | None:
    recent = (
        Case.objects.filter(
            source=Source.REQUEST,
            member=member,
            # Nobody has picked it up yet: once claimed, a new request is a new request.
            status=CaseStatus.NEW,
            created_at__gte=timezone.now() - REPEAT_WINDOW,
            message=message,
            urgency=urgency,
        )
        .prefetch_related("needs")
        .order_by("-created_at", "-pk")
    )
    wanted = set(needs)
    return next((case for case in recent if {n.need for n in case.needs.all()} == wanted), None)


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
    # Two posts at once wait for each other here, so the second one sees the first.
    User.objects.select_for_update().filter(pk=member.pk).first()
    repeated = _same_request_just_sent(
        member, needs=needs, message=message.strip(), urgency=urgency
    )
    if repeated is not None:
        return repeated
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


@transaction.atomic
def request_detach_result(*, member: User, case_id: int) -> Case:
    """The member takes back the self-assessment result attached to their open request;
    the timeline says so (not which result: the access log keeps who read it)."""
    try:
        case = Case.objects.select_for_update().get(
            pk=case_id, member=member, source=Source.REQUEST
        )
    except Case.DoesNotExist:
        raise PermissionDenied from None
    if case.status == CaseStatus.CLOSED:
        raise CaseActionRefused(
            _("This request is closed: its result can no longer be read by the cell."),
            code="closed",
        )
    if case.assessment_result_id is None:
        raise CaseActionRefused(_("No result is attached to this request."), code="unchanged")
    case.assessment_result = None
    case.save(update_fields=["assessment_result", "updated_at"])
    _event(case, EventKind.RESULT_DETACHED, member)
    return case


def _profile_phone(raw: str) -> str:
    """The member's profile number in E.164; an old entry phonenumbers rejects stays as typed,
    since the ambassador cannot correct it."""
    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError:
        return raw[:20]


def signals_left_today(ambassador: User, *, now: datetime | None = None) -> int:
    """How many more signals the ambassador may pass on today (Brussels day)."""
    today = timezone.localdate(now or timezone.now(), BRUSSELS)
    since = datetime.combine(today, time.min, tzinfo=BRUSSELS)
    raised = Case.objects.filter(
        source=Source.SIGNAL, raised_by=ambassador, created_at__gte=since
    ).count()
    return max(0, settings.REFERRALS_SIGNALS_PER_AMBASSADOR_PER_DAY - raised)


@transaction.atomic
def signal_create(
    *,
    ambassador: User,
    agreement_confirmed: bool,
    need: str,
    note: str,
    name: str,
    urgency: int = Urgency.MEDIUM,
    phone: str = "",
    email: str = "",
    language: str = "",
    region: str = "",
) -> Case:
    """An ambassador passes on a weak signal about someone who agreed to be contacted.

    The case keeps the name and contacts as the ambassador typed them. When the e-mail
    address is a member's, the cell (not the ambassador) sees the case linked to that
    account: nothing the ambassador is told depends on it, so the form cannot be used
    to learn who has an account.
    """
    if not has_role(ambassador, Role.AMBASSADOR):
        raise PermissionDenied
    if not agreement_confirmed:
        raise ValidationError(
            {"agreement_confirmed": _("Pass on a signal only for someone who agreed to it.")}
        )
    if len(note) > SIGNAL_NOTE_MAX:
        raise ValidationError({"note": _("Keep the note short.")})
    name = name.strip()
    phone = normalise_phone(phone) if phone.strip() else ""
    email = email.strip()
    if not name or not (phone or email):
        raise ValidationError(_("Give the person's name and a phone number or an e-mail address."))
    # Two signals at once from the same ambassador wait for each other: the limit holds.
    User.objects.select_for_update().filter(pk=ambassador.pk).first()
    if signals_left_today(ambassador) <= 0:
        raise ValidationError(
            _(
                "You have passed on %(limit)d signals today, the most for one day. If it is "
                "urgent, give the person the help lines; you can pass it on tomorrow."
            )
            % {"limit": settings.REFERRALS_SIGNALS_PER_AMBASSADOR_PER_DAY},
            code="daily_limit",
        )
    member = member_by_email(email) if email else None
    profile = profile_for(member) if member is not None else None
    case = Case(
        source=Source.SIGNAL,
        member=member,
        raised_by=ambassador,
        agreement_confirmed=True,
        contact_name=name,
        contact_phone=phone or (_profile_phone(profile.phone) if profile else ""),
        contact_email=email,
        language=language or (profile.preferred_language if profile else Language.FR),
        region=region or (profile.province if profile else ""),
        urgency=urgency,
        message=note.strip(),
    )
    return _open_case(case, needs=[need], actor=ambassador)

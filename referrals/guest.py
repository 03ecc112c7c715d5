"""Guest callbacks: someone without an account asks the listening cell to call them back.

A guest case is a Case like any other (source "guest", no member), opened through the
same path as a member's request (services.intake._open_case: first-contact deadline,
timeline), so it takes its place in the advisors' queue. It holds contact details only:
a first name or pseudonym, a phone number or an e-mail address, when to call, the
language, how urgent it feels and a short practical note; no topic, no health data. It
leaves with the retention rules of every case (privacy.anonymise_old_cases).

If the person later opens an account and confirms the same e-mail address, they can
attach the case to it themselves (guest_case_attach).
"""

from __future__ import annotations

from uuid import UUID

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from members.models import User
from members.roles import Role, has_role

from .choices import CALL_TODAY, Channel, EventKind, Source, TimeSlot, Urgency
from .models import Case
from .phones import normalise_phone
from .services.base import _event
from .services.intake import _open_case

NAME_MAX = 60
NOTE_MAX = 300
EMAIL_MAX = 254
CALL_WHEN = (CALL_TODAY, *TimeSlot.values)

NEED_A_WAY = _("Give a phone number or an e-mail address, so the cell can reach you.")


def guest_email(value: str) -> str:
    """The address as typed, domain in lower case (as allauth stores a sign-up's)."""
    return BaseUserManager.normalize_email(value.strip())


def case_for_token(token: UUID) -> Case | None:
    """The case a guest form already opened, if it was sent before."""
    return Case.objects.filter(submission_token=token, source=Source.GUEST).first()


@transaction.atomic
def guest_callback_create(
    *,
    name: str,
    phone: str,
    email: str,
    when: str,
    language: str,
    urgency: int,
    note: str,
    token: UUID,
) -> tuple[Case, bool]:
    """Open a guest's callback case; (case, False) when this form already opened one."""
    existing = case_for_token(token)
    if existing is not None:
        return existing, False
    name = name.strip()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("Give a first name or a pseudonym, so the cell knows whom to ask.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Keep the name short.")]
    try:
        phone = normalise_phone(phone) if phone.strip() else ""
    except ValidationError as error:
        errors["phone"] = error.messages
    email = guest_email(email) if email.strip() else ""
    if email:
        try:
            if len(email) > EMAIL_MAX:
                raise ValidationError(validate_email.message, code="invalid")
            validate_email(email)
        except ValidationError as error:
            errors["email"] = error.messages
    if not errors.get("phone") and not errors.get("email") and not (phone or email):
        errors["phone"] = [NEED_A_WAY]
    if when not in CALL_WHEN:
        errors["when"] = [_("Choose when the cell may call you.")]
    if language not in Language.values:
        errors["language"] = [_("Choose a language from the list.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose how urgent it feels.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note short.")]
    if errors:
        raise ValidationError(errors)
    case = Case(
        source=Source.GUEST,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        preferred_channel=Channel.PHONE if phone else Channel.EMAIL,
        time_slots=[when],
        language=language,
        urgency=urgency,
        message=note.strip(),
        submission_token=token,
    )
    try:
        # A savepoint: the same form sent twice at once loses the race on the unique token.
        with transaction.atomic():
            _open_case(case, needs=[], actor=None)
    except IntegrityError:
        existing = case_for_token(token)
        if existing is None:
            raise
        return existing, False
    return case, True


# --- Attaching a guest case to the account opened later ---------------------------------------


def verified_emails(user: User) -> list[str]:
    return [
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def guest_cases_to_attach(user: User) -> QuerySet[Case]:
    """Guest cases sent with one of the member's confirmed addresses and not attached yet
    (two queries). An address nobody confirmed attaches nothing: anyone can type one."""
    if not (user.is_authenticated and has_role(user, Role.MEMBER)):
        return Case.objects.none()
    emails = verified_emails(user)
    if not emails:
        return Case.objects.none()
    return (
        Case.objects.annotate(email_lower=Lower("contact_email"))
        .filter(source=Source.GUEST, member__isnull=True, email_lower__in=emails)
        .only("pk", "status", "created_at", "source")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def guest_case_attach(*, member: User, case_id: int) -> Case:
    """The member takes a case they sent as a guest into their account: they see it among
    their requests from now on. Written on the case's timeline."""
    if not has_role(member, Role.MEMBER):
        raise PermissionDenied
    case = guest_cases_to_attach(member).select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        raise ValidationError(_("This request cannot be attached to your account."))
    Case.objects.filter(pk=case.pk).update(member=member, updated_at=timezone.now())
    case.member = member
    _event(case, EventKind.ATTACHED, member)
    return case

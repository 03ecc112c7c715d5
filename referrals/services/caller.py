"""A case an advisor opens for someone who phoned the cell or walked in.

It takes the path every new case takes (intake._open_case: deadline, urgent alert, place
in the queue, timeline) and is then claimed by the advisor who opened it, who is already
talking with the person. As for an ambassador's signal, it needs the person's agreement
to be contacted: here given orally to the advisor (ConsentBasis.ORAL on the timeline,
the same basis a warm handoff records). Agreeing to the case is not agreeing to share
details with a partner: a warm handoff still asks for that (orientation.referral_create).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from members.models import User
from members.selectors import profile_for

from ..choices import AREA_CHOICES, Channel, ConsentBasis, IntakeChannel, Source, Urgency
from ..models import MESSAGE_MAX, Case
from ..phones import normalise_phone
from ..selectors.people import member_by_email
from .base import _ensure_advisor
from .cases import case_claim
from .intake import _open_case

NAME_MAX = 150
EMAIL_MAX = 254


def caller_case_for_token(token: UUID) -> Case | None:
    """The case an advisor's form already opened, if it was sent before."""
    return Case.objects.filter(submission_token=token, source=Source.ADVISOR).first()


def _checked(
    *,
    agreement_confirmed: bool,
    intake_channel: str,
    needs: Sequence[str],
    urgency: int,
    name: str,
    phone: str,
    email: str,
    language: str,
    region: str,
    channel: str,
    message: str,
    link_account: bool,
) -> tuple[dict, User | None]:
    """What the advisor typed, cleaned, with every refusal on the field it concerns."""
    errors: dict[str, list] = {}
    if not agreement_confirmed:
        errors["agreement_confirmed"] = [
            _("Open a case only for someone who agreed to it during your conversation.")
        ]
    if intake_channel not in IntakeChannel.values:
        errors["intake_channel"] = [_("Choose how the person came in.")]
    if not needs:
        errors["needs"] = [_("Choose at least one topic.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose how urgent it feels.")]
    name = name.strip()
    if not name:
        errors["name"] = [_("Give the person's name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Keep the name short.")]
    try:
        phone = normalise_phone(phone) if phone.strip() else ""
    except ValidationError as error:
        errors["phone"] = error.messages
    email = email.strip()
    if email:
        try:
            if len(email) > EMAIL_MAX:
                raise ValidationError(validate_email.message, code="invalid")
            validate_email(email)
        except ValidationError as error:
            errors["email"] = error.messages
    if not errors.get("phone") and not errors.get("email") and not (phone or email):
        errors["phone"] = [_("Give a phone number or an e-mail address.")]
    if language not in Language.values:
        errors["language"] = [_("Choose a language from the list.")]
    if region and region not in dict(AREA_CHOICES):
        errors["region"] = [_("Choose a province from the list.")]
    channel = channel or (Channel.PHONE if phone else Channel.EMAIL)
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a channel from the list.")]
    elif channel == Channel.PHONE and not phone and "phone" not in errors:
        errors["phone"] = [_("Give a phone number to call the person back.")]
    elif channel != Channel.PHONE and not email and "email" not in errors:
        errors["email"] = [_("Give an e-mail address for this channel.")]
    if len(message) > MESSAGE_MAX:
        errors["message"] = [_("Keep the notes shorter.")]
    member = None
    if link_account and not errors.get("email"):
        member = member_by_email(email) if email else None
        if member is None:
            errors["link_account"] = [
                _("No member account uses this e-mail address: untick the box or correct it.")
            ]
    if errors:
        raise ValidationError(errors)
    cleaned = {
        "contact_name": name,
        "contact_phone": phone,
        "contact_email": email,
        "preferred_channel": channel,
        "language": language,
        "region": region,
        "message": message.strip(),
    }
    return cleaned, member


@transaction.atomic
def caller_case_create(
    *,
    advisor: User,
    token: UUID,
    agreement_confirmed: bool,
    intake_channel: str,
    needs: Sequence[str],
    urgency: int,
    name: str,
    phone: str = "",
    email: str = "",
    language: str = Language.FR,
    region: str = "",
    channel: str = "",
    message: str = "",
    link_account: bool = False,
) -> tuple[Case, bool]:
    """Open a case for the person on the line or at the desk, held by the advisor who
    opens it; (case, False) when this form already opened one (a double submit).

    ``link_account``: the e-mail address is that of a member account, and the case joins
    it (the member sees it among their requests). Urgency follows choices.is_urgent, as
    for every case: an urgent one gets the short deadline and the alert.
    """
    _ensure_advisor(advisor)
    existing = caller_case_for_token(token)
    if existing is not None:
        return existing, False
    cleaned, member = _checked(
        agreement_confirmed=agreement_confirmed,
        intake_channel=intake_channel,
        needs=needs,
        urgency=urgency,
        name=name,
        phone=phone,
        email=email,
        language=language,
        region=region,
        channel=channel,
        message=message,
        link_account=link_account,
    )
    if member is not None and not cleaned["region"]:
        cleaned["region"] = profile_for(member).province
    case = Case(
        source=Source.ADVISOR,
        intake_channel=intake_channel,
        member=member,
        # Who opened it, as for a signal: the case page and the timeline name them.
        raised_by=advisor,
        agreement_confirmed=True,
        urgency=urgency,
        submission_token=token,
        **cleaned,
    )
    try:
        # A savepoint: the same form sent twice at once loses the race on the unique token.
        with transaction.atomic():
            _open_case(
                case,
                needs=needs,
                actor=advisor,
                intake_channel=intake_channel,
                consent_basis=ConsentBasis.ORAL,
            )
    except IntegrityError:
        existing = caller_case_for_token(token)
        if existing is None:
            raise
        return existing, False
    return case_claim(case_id=case.pk, advisor=advisor), True

"""The e-mails of the partner's side of a referral.

To the partner's referral address: the referral with its signed link, then one reminder
when the partner has not answered (these go on behalf of the advisor who holds the case:
the delivery's recipient, whose own address is not used). To the advisor: the partner
stayed silent. To the member: one question, did you reach the partner, did it help?
Every builder loads fresh data and skips what no longer fits (an answer came, the case
closed).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.links import reverse_absolute
from notifications.preferences import SERVICE, STAFF_ALERTS
from notifications.registry import Skip, register_kind
from notifications.services import delivery_schedule

from . import selectors
from .models import Referral
from .partner_links import link_expiry, partner_token

PARTNER_REFERRAL = "referrals.partner_referral"
PARTNER_REMINDER = "referrals.partner_reminder"
PARTNER_SILENT = "referrals.partner_silent"
MEMBER_QUESTION = "referrals.member_question"


def reminder_intent(referral_id: int) -> str:
    return f"referral:{referral_id}:reminder"


def silent_intent(referral_id: int, advisor_id: int) -> str:
    return f"referral:{referral_id}:user:{advisor_id}"


def member_intent(referral_id: int) -> str:
    return f"referral:{referral_id}:member"


def partner_link_url(referral: Referral) -> str:
    assert referral.sent_to_partner_at is not None
    token = partner_token(referral_id=referral.pk, sent_at=referral.sent_to_partner_at)
    return reverse_absolute("referrals:partner-referral", token)


def partner_referral_schedule(*, referral: Referral, sender) -> None:
    """Send the referral to the partner once the sending commits (a rollback sends nothing)."""
    delivery_schedule(
        kind=PARTNER_REFERRAL,
        recipient=sender,
        intent_key=f"referral:{referral.pk}",
        context={"referral_id": referral.pk},
        send_now=True,
    )


def _sent_referral(delivery) -> Referral | Skip:
    referral = (
        Referral.objects.filter(pk=delivery.context.get("referral_id"))
        .select_related("case", "partner")
        .first()
    )
    if referral is None:
        return Skip("the referral no longer exists")
    if referral.sent_to_partner_at is None or not referral.sent_to_address:
        return Skip("the referral was not sent to the partner")
    if not referral.case.is_open:
        return Skip("the case was closed")
    if timezone.now() >= link_expiry(referral.sent_to_partner_at):
        return Skip("the partner's link has expired")
    return referral


def _partner_address(delivery) -> tuple[str, str] | Skip:
    """The address the referral was sent to, in the member's language when the partner
    helps people in it, else in the first language the partner works in."""
    referral = _sent_referral(delivery)
    if isinstance(referral, Skip):
        return referral
    languages = selectors.partner_languages(referral.partner_id)
    language = referral.case.language
    if languages and language not in languages:
        language = languages[0]
    return referral.sent_to_address, language or settings.LANGUAGE_CODE[:2]


def _partner_context(referral: Referral) -> dict:
    return {
        "partner_name": referral.partner.name,
        "reference": referral.case.reference,
        "expires_at": link_expiry(referral.sent_to_partner_at),  # type: ignore[arg-type]
        "action_url": partner_link_url(referral),
        "action_label": gettext("Open the referral"),
        "cell_phone": settings.LISTENING_CELL_PHONE,
    }


def build_partner_referral(delivery) -> dict | Skip:
    referral = _sent_referral(delivery)
    if isinstance(referral, Skip):
        return referral
    context = _partner_context(referral)
    # The link still works without an account; a partner with staff accounts may sign in.
    if selectors.partner_has_accounts(referral.partner_id):
        context["partner_space_url"] = reverse_absolute("referrals:partner-space")
    return context


def build_partner_reminder(delivery) -> dict | Skip:
    referral = _sent_referral(delivery)
    if isinstance(referral, Skip):
        return referral
    if referral.partner_answer:
        return Skip("the partner answered")
    return _partner_context(referral)


def build_partner_silent(delivery) -> dict | Skip:
    referral = _sent_referral(delivery)
    if isinstance(referral, Skip):
        return referral
    if referral.partner_answer:
        return Skip("the partner answered")
    if referral.case.assigned_to_id != delivery.recipient_id:
        return Skip("another advisor holds the case")
    if not selectors.may_work_cases(delivery.recipient):
        return Skip("the recipient no longer works cases")
    return {
        "reference": referral.case.reference,
        "partner_name": referral.partner.name,
        "sent_at": referral.sent_to_partner_at,
        "action_url": reverse_absolute("referrals:case-detail", referral.case_id),
        "action_label": gettext("Open case %(reference)s") % {"reference": referral.case.reference},
        "alert_settings_url": reverse_absolute("referrals:alert-settings"),
    }


def build_member_question(delivery) -> dict | Skip:
    referral = (
        Referral.objects.filter(pk=delivery.context.get("referral_id"))
        .select_related("case", "partner")
        .first()
    )
    if referral is None:
        return Skip("the referral no longer exists")
    if referral.case.member_id != delivery.recipient_id:
        return Skip("the recipient is not the member of this case")
    if not referral.case.is_open:
        return Skip("the case was closed")
    if referral.member_answered_at is not None:
        return Skip("the member answered")
    return {
        "partner_name": referral.partner.name,
        "referred_at": referral.created_at,
        "action_url": reverse_absolute("referrals:my-cases") + f"#referral-{referral.pk}",
        "action_label": gettext("Answer in one click"),
    }


def register_partner_emails() -> None:
    # Sent to the partner's address for a case the advisor works: no preference of the
    # advisor's applies and nobody can unsubscribe the partner from a referral.
    register_kind(
        PARTNER_REFERRAL,
        label=_("Partners: a referral from the listening cell"),
        category=SERVICE,
        template="referrals/email/partner_referral",
        build_context=build_partner_referral,
        address_for=_partner_address,
    )
    register_kind(
        PARTNER_REMINDER,
        label=_("Partners: reminder of an unanswered referral"),
        category=SERVICE,
        template="referrals/email/partner_reminder",
        build_context=build_partner_reminder,
        address_for=_partner_address,
    )
    register_kind(
        PARTNER_SILENT,
        label=_("Listening cell: a partner has not answered a referral"),
        category=STAFF_ALERTS,
        template="referrals/email/partner_silent",
        build_context=build_partner_silent,
    )
    # A service message: one question about something the member asked the cell for.
    register_kind(
        MEMBER_QUESTION,
        label=_("Members: did you reach the partner?"),
        category=SERVICE,
        template="referrals/email/member_question",
        build_context=build_member_question,
    )

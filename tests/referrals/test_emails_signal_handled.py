"""Ambassadors hear that a signal they passed on was handled: once, after the closing
commits, with nothing about the outcome, the notes, the needs or the partners."""

import re

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from members.roles import Role
from members.services import role_revoke
from notifications.models import Delivery, DeliveryStatus
from notifications.sending import delivery_send
from referrals import services
from referrals.choices import CaseStatus, Outcome, ReferralMode
from referrals.emails import SIGNAL_HANDLED
from referrals.models import Case
from tests.emails import BASE, brussels, html_of, sent

from .emails import staff_reading
from .factories import PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

RAISED = brussels(2026, 3, 10, 16, 20)
NOTE = "Parle de déposer le bilan, semble épuisé."
CLOSING_NOTE = "Orienté vers le médiateur de dettes, rappel prévu."


@pytest.fixture(autouse=True)
def tuesday():
    with time_machine.travel(RAISED, tick=False):
        yield


def signal(ambassador, **fields) -> Case:
    return services.signal_create(
        ambassador=ambassador,
        agreement_confirmed=True,
        name="Luc Martin",
        phone="0478 11 22 33",
        need="financial",
        note=NOTE,
        **fields,
    )


def close(case, advisor, outcome=Outcome.HANDLED, note=CLOSING_NOTE) -> Case:
    services.case_claim(case_id=case.pk, advisor=advisor)
    return services.case_close(case=case, actor=advisor, outcome=outcome, note=note)


def notices(**filters):
    return Delivery.objects.filter(kind=SIGNAL_HANDLED, **filters)


def test_closing_a_signal_tells_the_ambassador_once_after_commit(
    ambassador_user, advisor_user, django_capture_on_commit_callbacks
):
    case = signal(ambassador_user)
    with django_capture_on_commit_callbacks(execute=True):
        close(case, advisor_user)
        assert mail.outbox == []
    [notice] = notices()
    assert (notice.recipient, notice.intent_key, notice.context, notice.status) == (
        ambassador_user,
        f"case:{case.pk}",
        {"case_id": case.pk},
        DeliveryStatus.SENT,
    )
    [message] = sent(SIGNAL_HANDLED)
    assert message.to == [ambassador_user.email]
    # Sending it again (a retried task) sends nothing more.
    delivery_send(delivery_id=notice.pk)
    assert len(mail.outbox) == 1


def test_orienting_is_not_yet_handled(ambassador_user, advisor_user):
    case = signal(ambassador_user)
    services.case_claim(case_id=case.pk, advisor=advisor_user)
    services.referral_create(
        case=case, actor=advisor_user, partners=[PartnerFactory()], mode=ReferralMode.INFORMATION
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ORIENTED
    assert not notices().exists()


def test_closing_a_member_request_sends_no_notice(member_user, advisor_user):
    case = services.request_create(
        member=member_user,
        needs=["stress"],
        channel="email",
        time_slots=[],
        language="fr",
        urgency=2,
        message="Bonjour",
    )
    close(case, advisor_user)
    assert not notices().exists()


def test_a_rolled_back_closing_sends_nothing(
    ambassador_user, advisor_user, django_capture_on_commit_callbacks
):
    case = signal(ambassador_user)
    services.case_claim(case_id=case.pk, advisor=advisor_user)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.case_close(case=case, actor=advisor_user, outcome=Outcome.HANDLED)
        raise RuntimeError("something later in the same request failed")
    assert callbacks == []
    assert not notices().exists()
    assert mail.outbox == []
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_no_notice_when_the_ambassador_left_their_role_meanwhile(ambassador_user, advisor_user):
    case = signal(ambassador_user)
    close(case, advisor_user)  # not committed in this test: the notice waits in the log
    role_revoke(user=ambassador_user, role=Role.AMBASSADOR)
    delivery_send(delivery_id=notices().get().pk)
    assert notices().get().skip_reason == "the recipient is no longer an ambassador"
    assert mail.outbox == []


def closed_signal_email(language, outcome, *, refer=False):
    ambassador = staff_reading(Role.AMBASSADOR, language)
    advisor = staff_reading(Role.ADVISOR)
    case = signal(ambassador)
    services.case_claim(case_id=case.pk, advisor=advisor)
    partner = PartnerFactory(name="Médiation de dettes Namur")
    if refer:
        [referral] = services.referral_create(
            case=case,
            actor=advisor,
            partners=[partner],
            mode=ReferralMode.INFORMATION,
            note="Rendez-vous pris jeudi.",
        )
        services.referral_record_reached(referral=referral, actor=advisor, reached=True)
    services.case_close(case=case, actor=advisor, outcome=outcome, note=CLOSING_NOTE)
    delivery_send(delivery_id=notices(recipient=ambassador).get().pk)
    [message] = sent(SIGNAL_HANDLED, ambassador)
    return case, message


@pytest.mark.parametrize(
    ("language", "raised_on"), [("fr", "10 mars 2026"), ("nl", "10 maart 2026")]
)
def test_the_notice_in_french_and_dutch(language, raised_on):
    case, message = closed_signal_email(language, Outcome.HANDLED)
    html = html_of(message)
    assert case.reference in message.subject
    assert f'<html lang="{language}"' in html
    for part in (message.body, html):
        assert case.reference in part
        assert raised_on in part
        assert f"{BASE}/{language}/listening-cell/my-signals/" in part
    assert notices().get().language == language


def test_the_notice_is_a_service_message_without_unsubscribe_link():
    _case, message = closed_signal_email("fr", Outcome.HANDLED)
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/unsubscribe/" not in message.body
    assert "/unsubscribe/" not in html_of(message)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_notice_says_nothing_of_the_outcome_notes_needs_or_partners(language):
    case, message = closed_signal_email(language, Outcome.REFERRED_REACHED, refer=True)
    parts = (message.subject, message.body, html_of(message))
    private = [
        NOTE,
        CLOSING_NOTE,
        "Rendez-vous pris jeudi.",
        "Médiation de dettes Namur",
        "Luc Martin",
        "+32478112233",
        "478 11 22 33",
        *Outcome.values,
        *[str(label) for label in Outcome.labels],
        "financial",
        "Money worries",
        "reached",
    ]
    for part in parts:
        for text in private:
            assert text not in part, text


def test_every_outcome_gives_the_same_notice():
    """Whatever the cell decided, the ambassador reads the same words: nothing to infer."""

    def neutral(case, message) -> tuple[str, str, str]:
        def strip(text: str) -> str:
            text = text.replace(case.reference, "REF")
            return re.sub(r"(Hello|Bonjour|Hallo) [^,]+,", "", text)

        return strip(message.subject), strip(message.body), strip(html_of(message))

    handled = neutral(*closed_signal_email("fr", Outcome.HANDLED))
    declined = neutral(*closed_signal_email("fr", Outcome.DECLINED))
    unreachable = neutral(*closed_signal_email("fr", Outcome.UNREACHABLE))
    reached = neutral(*closed_signal_email("fr", Outcome.REFERRED_REACHED, refer=True))
    assert handled == declined == unreachable == reached

"""Handing a case over to a colleague: a note on the timeline and one e-mail to them."""

import pytest
from django.core import mail

from members.roles import Role
from notifications.models import Delivery, DeliveryStatus
from notifications.tasks import deliver
from referrals import services
from referrals.choices import EventKind
from referrals.emails import CASE_HANDED_OVER
from tests.emails import html_of, sent

from .emails import staff_reading
from .helpers import case_in

# Tasks in-process even on the real stack (CI), so the notice lands in mail.outbox.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

NOTE = "Elle préfère être appelée après 18 h; rappel promis jeudi."


def test_a_colleague_gets_the_case_with_the_note_and_one_e_mail(
    advisor_user, member_user, client, django_capture_on_commit_callbacks
):
    colleague = staff_reading(Role.ADVISOR, "en")
    # A first name no advisor's random one can share: the e-mail names the advisor.
    member_user.first_name = "Zéphyrine"
    member_user.save(update_fields=["first_name"])
    case = case_in("in_progress", advisor=advisor_user, member=member_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(case=case, assignee=colleague, actor=advisor_user, note=NOTE)
        assert mail.outbox == []
    event = case.events.filter(kind=EventKind.ASSIGNED).latest("pk")
    assert event.body == NOTE and event.actor == advisor_user
    [message] = sent(CASE_HANDED_OVER, colleague)
    assert case.reference in message.subject
    assert advisor_user.display_name in message.body
    assert "hand-over note is waiting" in message.body
    for text in (message.subject, message.body, html_of(message)):
        assert NOTE not in text and member_user.email not in text
        assert member_user.first_name not in text
    # The same hand-over recorded again is still one message.
    Delivery.objects.filter(kind=CASE_HANDED_OVER).update(status=DeliveryStatus.SENT)
    assert Delivery.objects.filter(kind=CASE_HANDED_OVER).count() == 1

    client.force_login(colleague)
    page = client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert "rappel promis jeudi" in page


def test_claiming_a_case_for_oneself_sends_nothing(advisor_user, member_user):
    case = case_in("new", advisor=None, member=member_user)
    services.case_assign(case=case, assignee=advisor_user, actor=advisor_user)
    assert not Delivery.objects.filter(kind=CASE_HANDED_OVER).exists()


def test_the_notice_is_skipped_when_the_case_moved_on_before_it_left(
    advisor_user, member_user, other_advisor
):
    colleague = staff_reading(Role.ADVISOR, "fr")
    case = case_in("in_progress", advisor=advisor_user, member=member_user)
    services.case_assign(case=case, assignee=colleague, actor=advisor_user)
    services.case_assign(case=case, assignee=other_advisor, actor=advisor_user)
    mail.outbox.clear()
    for delivery in Delivery.objects.filter(kind=CASE_HANDED_OVER, recipient=colleague):
        deliver(delivery.pk)
    assert sent(CASE_HANDED_OVER, colleague) == []


def test_the_form_takes_a_note_and_refuses_one_too_long(client, advisor_user, member_user):
    colleague = staff_reading(Role.ADVISOR, "fr")
    case = case_in("in_progress", advisor=advisor_user, member=member_user)
    client.force_login(advisor_user)
    url = f"/en/listening-cell/cases/{case.pk}/assign/"
    response = client.post(url, {"assign-assignee": colleague.pk, "assign-note": "x" * 1001})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assigned_to == advisor_user
    response = client.post(url, {"assign-assignee": colleague.pk, "assign-note": "Vu lundi."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == colleague
    assert case.events.latest("pk").body == "Vu lundi."

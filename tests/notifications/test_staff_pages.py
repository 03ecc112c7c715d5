"""Managers follow the messages: failed ones with their error, and send them again."""

import pytest
from django.core import mail
from django.utils import timezone

from members.roles import Role
from notifications.models import Delivery, DeliveryStatus
from tests.factories import staff
from tests.notifications.factories import person, scheduled

pytestmark = pytest.mark.django_db

LIST = "/en/messages/staff/deliveries/"


def make_deliveries(count: int, status: str = DeliveryStatus.FAILED) -> list[Delivery]:
    deliveries = []
    for n in range(count):
        delivery = scheduled(person(), key=f"{status}:{n}")
        fields = {
            "status": status,
            "attempts": 3,
            "last_error": f"SMTPDataError: (421, 'busy {n}')",
        }
        if status == DeliveryStatus.SENT:
            fields["sent_at"] = timezone.now()
        Delivery.objects.filter(pk=delivery.pk).update(**fields)
        deliveries.append(delivery)
    return deliveries


def test_managers_see_failed_messages_with_their_last_error(client, manager_user):
    failed = make_deliveries(2)
    make_deliveries(1, DeliveryStatus.SENT)
    client.force_login(manager_user)
    response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "busy 0" in page and "busy 1" in page
    assert failed[0].recipient.email in page
    assert "Workshop reminder (tests)" in page
    assert "Failed (2)" in page and "Sent (1)" in page
    # The sent one is on its own tab, not among the failed.
    assert page.count("Send again") == 2


def test_filtering_by_status_and_a_bad_status(client, manager_user):
    make_deliveries(1, DeliveryStatus.SENT)
    client.force_login(manager_user)
    assert "busy 0" in client.get(LIST + "?status=sent").content.decode()
    assert "busy 0" in client.get(LIST + "?status=").content.decode()
    response = client.get(LIST + "?status=nonsense")
    assert response.status_code == 200
    assert "That status does not exist" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR])
def test_other_roles_are_refused(client, role):
    client.force_login(staff(role))
    assert client.get(LIST).status_code == 403
    delivery = make_deliveries(1)[0]
    assert client.post(f"/en/messages/staff/deliveries/{delivery.pk}/retry/").status_code == 403
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.FAILED


def test_visitors_are_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    client, manager_user, django_assert_num_queries, count
):
    make_deliveries(count)
    make_deliveries(2, DeliveryStatus.SENT)
    client.force_login(manager_user)
    # The session, the account with its roles and permissions, page count, the page,
    # counts of the messages to send or failed, of the settled ones (kept in the cache
    # afterwards).
    with django_assert_num_queries(6):
        assert client.get(LIST).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200


def test_counts_of_messages_to_send_or_failed_are_exact_at_once(client, manager_user):
    make_deliveries(2, DeliveryStatus.SENT)
    client.force_login(manager_user)
    client.get(LIST)  # the settled counts are now in the cache
    make_deliveries(3)
    statuses = {value: n for value, _label, n in client.get(LIST).context["statuses"]}
    assert (statuses[DeliveryStatus.FAILED], statuses[DeliveryStatus.SENT]) == (3, 2)


def test_a_failed_message_can_be_sent_again(
    client, manager_user, django_capture_on_commit_callbacks
):
    delivery = make_deliveries(1)[0]
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/messages/staff/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    # Tasks run in-process here: it went out straight after the commit.
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert len(mail.outbox) == 1


def test_only_failed_messages_can_be_sent_again(client, manager_user):
    delivery = make_deliveries(1, DeliveryStatus.SENT)[0]
    client.force_login(manager_user)
    response = client.post(f"/en/messages/staff/deliveries/{delivery.pk}/retry/", follow=True)
    assert "Only a failed message can be sent again." in response.content.decode()
    assert mail.outbox == []
    assert client.get(f"/en/messages/staff/deliveries/{delivery.pk}/retry/").status_code == 405
    assert client.post("/en/messages/staff/deliveries/999999/retry/").status_code == 404


def test_the_manager_home_shows_how_many_messages_failed(client, manager_user):
    make_deliveries(3)
    client.force_login(manager_user)
    page = client.get("/en/dashboard/manager/").content.decode()
    assert "3 messages could not be sent." in page
    assert 'href="/en/messages/staff/deliveries/"' in page


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_manager_sends_a_test_email_to_themselves(
    client, django_capture_on_commit_callbacks, language
):
    manager = staff(Role.PROGRAMME_MANAGER)
    manager.profile.preferred_language = language
    manager.profile.save()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/messages/staff/email-check/", follow=True)
    assert f"A test e-mail is on its way to {manager.email}" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert "J'entreprends mon bien-être" in message.subject
    assert f'<html lang="{language}"' in message.alternatives[0].content
    assert "0800 32 123" in message.body
    # A service message: no unsubscribe link.
    assert "List-Unsubscribe" not in message.extra_headers
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_only_managers_send_test_emails(client, member_user):
    client.force_login(member_user)
    assert client.post("/en/messages/staff/email-check/").status_code == 403
    assert not Delivery.objects.exists()


def test_the_admin_cannot_delete_a_delivery_so_its_intent_is_never_sent_again(client):
    delivery = make_deliveries(1, DeliveryStatus.SENT)[0]
    client.force_login(staff(Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True))
    page = client.get("/admin/notifications/delivery/").content.decode()
    assert delivery.intent_key in page
    assert 'value="delete_selected"' not in page
    url = f"/admin/notifications/delivery/{delivery.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Delivery.objects.filter(pk=delivery.pk).exists()

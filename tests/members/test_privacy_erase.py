"""Erasure: each app's eraser, the whole account deletion in one transaction, the page
behind the password, and the admin's delete going the same way."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from assessments.models import AssessmentResult, ReassessmentPlan
from common import privacy
from members.models import Consent, MemberProfile, User
from members.roles import Role
from members.services import ErasureRefused, erasure_blockers, member_erase
from notifications.models import Delivery, DeliveryStatus, MessagePreference
from notifications.services import preference_set
from programme.models import (
    CalendarFeed,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    SavedModule,
)
from referrals.choices import EventKind
from referrals.models import Case, CaseAccess, CaseEvent, Referral
from surveys.models import CampaignResponse, SessionFeedback
from tests.factories import PASSWORD, UserFactory

from .history import ADVISOR_NOTE, MEMBER_MESSAGE

pytestmark = pytest.mark.django_db

PAGE = "/en/me/privacy/delete-my-account/"


def erasers() -> dict:
    return dict(privacy.erasers())


# --- Each app's eraser --------------------------------------------------------------------


def test_erasers_run_programme_first_and_the_account_last():
    assert [name for name, _eraser in privacy.erasers()] == [
        "programme",
        "referrals",
        "assessments",
        "notifications",
        "members",
    ]


def test_programme_frees_the_seats_and_keeps_anonymous_statistics(history):
    upcoming, waiting = history.upcoming[0], history.waiting[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        erasers()["programme"](history.user)
    upcoming.refresh_from_db()
    assert upcoming.confirmed_count == 1
    promoted = Enrolment.objects.get(session=upcoming, user=waiting)
    assert promoted.status == EnrolmentStatus.CONFIRMED
    assert mail.outbox and mail.outbox[-1].to == [waiting.email]  # told they have a seat
    mine = Enrolment.objects.filter(session=upcoming, user__isnull=True).get()
    assert mine.status == EnrolmentStatus.CANCELLED
    assert mine.events.filter(action="enrolment.cancelled", actor__isnull=True).exists()
    history.waitlisted[0].refresh_from_db()
    assert history.waitlisted[0].status == EnrolmentStatus.CANCELLED

    past = Enrolment.objects.get(pk=history.past[0].pk)
    assert (past.user_id, past.status, past.attendance) == (None, "confirmed", "attended")
    feedback = SessionFeedback.objects.get(enrolment=past)
    # The scores stay; what the member wrote may say who they are, and goes.
    assert (feedback.usefulness, feedback.recommend, feedback.comment) == (5, 9, "")
    answers = CampaignResponse.objects.get(user__isnull=True).answers.order_by("pk")
    assert [(a.scale_value, a.text_value) for a in answers] == [(4, ""), (None, "")]
    assert not EnrolmentEvent.objects.filter(actor=history.user).exists()
    assert CampaignResponse.objects.filter(user__isnull=True).get().answers.count() == 2
    for model in (Enrolment, SavedModule, CalendarFeed, CampaignResponse):
        assert not model.objects.filter(user=history.user).exists(), model


def test_referrals_anonymise_the_cases_and_keep_what_statistics_read(history, advisor_user):
    case = history.requests[0]
    events_before = case.events.count()
    reads_before = CaseAccess.objects.filter(case=case).count()
    erasers()["referrals"](history.user)
    case.refresh_from_db()
    assert case.member is None
    assert (case.contact_phone, case.contact_email, case.message, case.time_slots) == (
        "",
        "",
        "",
        [],
    )
    assert case.assessment_result is None and case.sharing_consent is None
    assert (case.region, case.preferred_channel) == ("WLG", "phone")
    assert sorted(case.needs.values_list("need", flat=True)) == ["sleep", "stress"]
    events = list(case.events.all())
    assert len(events) == events_before + 2  # closed, then anonymised
    assert all(event.body == "" for event in events)
    assert events[-1].kind == EventKind.ANONYMISED and events[-1].data == {"reason": "erasure"}
    assert events[-2].kind == EventKind.CLOSED
    assert any(event.kind == EventKind.NOTE for event in events)  # the step stays, not its text
    assert Referral.objects.get(case=case).note == ""
    assert CaseAccess.objects.filter(case=case, accessed_by=advisor_user).count() == reads_before
    signal = Case.objects.get(pk=history.signals[0].pk)
    assert signal.member is None and signal.message == "" and signal.contact_email == ""


@pytest.mark.parametrize("which", ["requests", "signals"])
def test_an_open_case_of_an_erased_member_is_closed_as_unreachable(history, which):
    """Nobody can reach the person any more: the case leaves the queue, closed on its
    timeline by the portal, and no advisor is alerted about it."""
    from referrals.planners import plan_overdue_alerts
    from referrals.selectors import cases_overdue

    case = getattr(history, which)[0]
    status_before = case.status  # the request was oriented, the signal never claimed
    Case.objects.filter(pk=case.pk).update(first_contact_at=None)
    with time_machine.travel(case.first_contact_due + timedelta(days=3)):
        erasers()["referrals"](history.user)
        assert not cases_overdue().filter(pk=case.pk).exists()
        plan_overdue_alerts(now=timezone.now())
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "unreachable")
    assert case.closed_at is not None and case.follow_up_on is None
    closing = case.events.get(kind=EventKind.CLOSED)
    assert (closing.from_status, closing.to_status, closing.actor) == (
        status_before,
        "closed",
        None,
    )
    assert closing.data["outcome"] == "unreachable"
    assert not Delivery.objects.filter(kind="referrals.case_overdue", context__case_id=case.pk)


def test_a_closed_case_of_an_erased_member_keeps_its_outcome(history, advisor_user):
    from referrals.services import case_close

    case = history.requests[0]
    case_close(case=case, actor=advisor_user, outcome="member_declined")
    erasers()["referrals"](history.user)
    case.refresh_from_db()
    assert case.outcome == "member_declined"
    assert case.events.filter(kind=EventKind.CLOSED).count() == 1


def test_anonymising_twice_changes_nothing_more(history):
    erasers()["referrals"](history.user)
    from referrals.services import cases_anonymise

    ids = [history.requests[0].pk]
    assert cases_anonymise(case_ids=ids, reason="retention") == 0
    assert CaseEvent.objects.filter(case_id__in=ids, kind=EventKind.ANONYMISED).count() == 1


def test_assessments_delete_results_and_invitations(history):
    erasers()["assessments"](history.user)
    assert not AssessmentResult.objects.filter(user=history.user).exists()
    assert not ReassessmentPlan.objects.filter(user=history.user).exists()
    case = Case.objects.get(pk=history.requests[0].pk)
    assert case.assessment_result is None and case.member == history.user


def test_notifications_blank_addresses_and_cancel_what_waits(history):
    assert Delivery.objects.filter(recipient=history.user, status="pending").exists()
    erasers()["notifications"](history.user)
    deliveries = Delivery.objects.filter(recipient=history.user)
    assert not deliveries.filter(status=DeliveryStatus.PENDING).exists()
    assert deliveries.filter(status=DeliveryStatus.CANCELLED).exists()
    assert set(deliveries.values_list("address", "subject", "last_error")) == {("", "", "")}
    assert deliveries.filter(status=DeliveryStatus.SENT).count() == 1  # its fate stays


def test_notifications_delete_the_choices_of_messages(history, other_member):
    preference_set(user=other_member, category="surveys", enabled=False)
    assert MessagePreference.objects.filter(user=history.user).count() == 2
    erasers()["notifications"](history.user)
    assert not MessagePreference.objects.filter(user=history.user).exists()
    assert MessagePreference.objects.filter(user=other_member).count() == 1


def test_members_delete_the_profile_and_consents(history):
    erasers()["members"](history.user)
    assert not MemberProfile.objects.filter(user=history.user).exists()
    assert not Consent.objects.filter(user=history.user).exists()


# --- The whole erasure ----------------------------------------------------------------------


def test_member_erase_removes_the_person_everywhere(history, other_member):
    user_id = history.user.pk
    case = history.requests[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert member_erase(user=history.user) is True
    assert not User.objects.filter(pk=user_id).exists()
    assert not EmailAddress.objects.filter(user_id=user_id).exists()
    assert not Delivery.objects.filter(recipient_id=user_id).exists()
    assert not MessagePreference.objects.filter(user_id=user_id).exists()
    assert not AssessmentResult.objects.filter(user_id=user_id).exists()
    history.upcoming[0].refresh_from_db()
    assert Enrolment.objects.get(session=history.upcoming[0], user=history.waiting[0]).status == (
        "confirmed"
    )
    case.refresh_from_db()
    assert case.member_id is None and case.message == "" and case.status == "closed"
    assert not CaseEvent.objects.filter(body=ADVISOR_NOTE).exists()
    assert Enrolment.objects.filter(pk=history.past[0].pk, user__isnull=True).exists()
    assert User.objects.filter(pk=other_member.pk).exists()
    assert member_erase(user=history.user) is False  # a second click finds nothing to do


def test_a_failing_eraser_rolls_everything_back(history):
    def broken(user):
        raise RuntimeError("disk full")

    privacy.register_eraser("broken", broken, order=85)  # after notifications
    try:
        with pytest.raises(RuntimeError):
            member_erase(user=history.user)
    finally:
        privacy.unregister(eraser="broken")
    user = User.objects.get(pk=history.user.pk)
    assert Enrolment.objects.get(session=history.upcoming[0], user=user).status == "confirmed"
    assert Enrolment.objects.get(session=history.upcoming[0], user=history.waiting[0]).status == (
        "waitlisted"
    )
    case = Case.objects.get(pk=history.requests[0].pk)
    assert case.member == user and case.message == MEMBER_MESSAGE
    assert CaseEvent.objects.filter(case=case, body=ADVISOR_NOTE).exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ANONYMISED).exists()
    assert AssessmentResult.objects.filter(user=user).count() == 1
    assert Delivery.objects.filter(recipient=user, status="pending").exists()
    assert Delivery.objects.filter(recipient=user).exclude(address="").exists()
    assert MemberProfile.objects.filter(user=user).exists()


def test_an_account_records_must_keep_cannot_be_erased(history, advisor_user):
    """The access log names who read a case: that advisor's account stays (deactivated)."""
    assert erasure_blockers(history.user) == []
    assert erasure_blockers(advisor_user) != []
    with pytest.raises(ErasureRefused):
        member_erase(user=advisor_user)
    assert User.objects.filter(pk=advisor_user.pk).exists()
    assert Case.objects.get(pk=history.requests[0].pk).message == MEMBER_MESSAGE


def test_an_advisor_who_only_read_a_case_is_refused_before_anything_changes(
    client, history, advisor_user
):
    """The access log's key to the reader has no reverse name (related_name="+"): it
    still protects the account, and the page says so instead of failing."""
    from referrals.services import access_record
    from tests.factories import staff

    reader = staff(Role.ADVISOR)
    access_record(case=history.requests[0], user=reader, subject="case")
    assert erasure_blockers(reader) == [str(CaseAccess._meta.verbose_name_plural)]
    with pytest.raises(ErasureRefused):
        member_erase(user=reader)
    client.force_login(reader)
    response = client.post(PAGE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert 'id="erase-blocked"' in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


# --- The page -------------------------------------------------------------------------------


def test_the_page_explains_and_asks_for_the_password(client, history):
    client.force_login(history.user)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'name="password"' in html and 'name="confirm"' in html
    assert "What stays, without your name" in html
    assert "what you wrote in your answers to surveys" in html
    assert "nobody will contact you about them" in html  # an open request closes


def test_the_member_deletes_their_account(client, history):
    client.force_login(history.user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(PAGE, {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert response.redirect_chain[0] == ("/en/", 302)
    assert "Your account and your personal data were deleted" in response.content.decode()
    assert not User.objects.filter(pk=history.user.pk).exists()
    assert "_auth_user_id" not in client.session
    # A replayed form (back button, double click) meets the login page, nothing else.
    again = client.post(PAGE, {"password": PASSWORD, "confirm": "on"})
    assert again.status_code == 302 and "/accounts/login/" in again["Location"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"password": "wrong-password", "confirm": "on"}, "Incorrect password."),
        ({"password": PASSWORD}, "Tick the box to confirm."),
        ({"confirm": "on"}, "This field is required."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_erased(client, history, data, error):
    client.force_login(history.user)
    response = client.post(PAGE, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.filter(pk=history.user.pk).exists()
    assert Case.objects.get(pk=history.requests[0].pk).message == MEMBER_MESSAGE


def test_guessing_the_password_meets_allauths_rate_limit(client, history):
    client.force_login(history.user)
    for _attempt in range(5):
        client.post(PAGE, {"password": "guess", "confirm": "on"})
    response = client.post(PAGE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert User.objects.filter(pk=history.user.pk).exists()


def test_a_member_erases_only_their_own_account(client, history, other_member):
    client.force_login(other_member)
    client.post(PAGE, {"password": PASSWORD, "confirm": "on", "user": history.user.pk})
    assert not User.objects.filter(pk=other_member.pk).exists()
    assert User.objects.filter(pk=history.user.pk).exists()


def test_a_blocked_account_is_told_why(client, history, advisor_user):
    client.force_login(advisor_user)
    response = client.get(PAGE)
    assert 'id="erase-blocked"' in response.content.decode()
    response = client.post(PAGE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert User.objects.filter(pk=advisor_user.pk).exists()


def test_visitors_are_sent_to_log_in(client):
    response = client.post(PAGE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 4])
def test_the_page_runs_a_fixed_number_of_queries(
    client, member_user, advisor_user, ambassador_user, django_assert_num_queries, size
):
    from .history import build_history

    build_history(member_user, advisor=advisor_user, ambassador=ambassador_user, size=size)
    client.force_login(member_user)
    # The session, the account with its roles (the two-factor check), and one look per
    # protected relation (cases held, access log).
    with django_assert_num_queries(4):
        assert client.get(PAGE).status_code == 200


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_admins_delete_erases_through_the_same_service(admin_client, history):
    url = f"/admin/members/user/{history.user.pk}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "who-5" not in page.content.decode()  # counted, never listed
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=history.user.pk).exists()
    case = Case.objects.get(pk=history.requests[0].pk)
    assert case.message == "" and case.contact_phone == ""  # anonymised, not only unlinked
    assert Enrolment.objects.get(pk=history.past[0].pk).attendance == "attended"


def test_the_admins_bulk_delete_erases_each_account(admin_client, history, other_member):
    response = admin_client.post(
        "/admin/members/user/",
        {
            "action": "delete_selected",
            "_selected_action": [history.user.pk, other_member.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[history.user.pk, other_member.pk]).exists()
    assert Case.objects.get(pk=history.requests[0].pk).message == ""


def test_a_protected_record_written_during_the_erasure_refuses_it_too(history, advisor_user):
    """Written between the check and the deletion: refused, and everything rolled back."""
    from referrals.services import access_record
    from tests.factories import staff

    reader = staff(Role.ADVISOR)

    def reads_meanwhile(user):
        access_record(case=history.requests[0], user=user, subject="case")

    privacy.register_eraser("reads_meanwhile", reads_meanwhile, order=85)
    try:
        with pytest.raises(ErasureRefused):
            member_erase(user=reader)
    finally:
        privacy.unregister(eraser="reads_meanwhile")
    assert MemberProfile.objects.filter(user=reader).exists()


def test_the_admins_bulk_delete_erases_all_or_none(admin_client, history, other_member):
    def fails_for_the_other(user):
        if user.pk == other_member.pk:
            raise RuntimeError("disk full")

    privacy.register_eraser("fails_for_the_other", fails_for_the_other, order=85)
    try:
        with pytest.raises(RuntimeError):
            admin_client.post(
                "/admin/members/user/",
                {
                    "action": "delete_selected",
                    "_selected_action": [history.user.pk, other_member.pk],
                    "post": "yes",
                },
            )
    finally:
        privacy.unregister(eraser="fails_for_the_other")
    assert User.objects.filter(pk__in=[history.user.pk, other_member.pk]).count() == 2
    assert Case.objects.get(pk=history.requests[0].pk).message == MEMBER_MESSAGE


def test_the_admin_history_keeps_what_was_done_but_not_who_it_was_about(admin_client, history):
    """Each admin change or deletion logs the account's name and its profile's (an
    inline); after erasure the log still says what was done, to record #id only."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    user = history.user
    address = EmailAddress.objects.get(user=user)
    LogEntry.objects.log_actions(
        user_id=User.objects.get(is_superuser=True).pk,
        queryset=[address],
        action_flag=2,
        change_message=[{"changed": {"fields": ["Verified"]}}],
    )
    url = f"/admin/members/user/{user.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "groups": [group.pk for group in user.groups.all()],
            "last_login_0": "",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "10:00:00",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-0-id": user.profile.pk,
            "profile-0-user": user.pk,
            "profile-0-preferred_language": "fr",
            "profile-0-province": "WLG",
            "profile-0-phone": "0470 99 88 77",
        }
    )
    assert admin_client.post(url, data).status_code == 302
    admin_client.post(f"/admin/members/user/{user.pk}/delete/", {"post": "yes"})

    entries = LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(User, EmailAddress).values()
    )
    assert {entry.action_flag for entry in entries} == {2, 3}  # changed, deleted
    logged = " ".join(f"{entry.object_repr} {entry.change_message}" for entry in entries)
    for trace in (user.email, user.first_name, user.last_name):
        assert trace not in logged
    assert f"#{user.pk}" in logged


def test_the_erased_account_is_logged_out_on_its_other_devices(client, history):
    from django.test import Client

    phone = Client()
    phone.force_login(history.user)
    assert phone.get("/en/me/privacy/").status_code == 200
    client.force_login(history.user)
    client.post(PAGE, {"password": PASSWORD, "confirm": "on"})
    response = phone.get("/en/me/privacy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

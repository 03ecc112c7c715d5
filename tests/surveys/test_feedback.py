"""The satisfaction survey after a session: the invitation, the page behind the signed
link, one answer per enrolment, and the managers' statistics with small-cell suppression."""

from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from notifications.models import DeliveryStatus
from notifications.sending import send_inline, sweep
from notifications.services import preference_set
from programme import services
from programme.models import Enrolment
from surveys import emails
from surveys.links import CAMPAIGN_SALT, feedback_token
from surveys.models import SessionFeedback
from surveys.planners import plan_survey_invitations
from surveys.selectors import feedback_summary
from surveys.services import AlreadyAnswered, feedback_submit
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory
from tests.programme.helpers import deliveries, person
from tests.surveys.factories import SessionFeedbackFactory

pytestmark = pytest.mark.django_db

ANSWER = {"usefulness": "4", "quality": "5", "recommend": "9", "comment": "Très concret."}


def past_session(hours_ago: float = 5, **fields):
    """A session that ended `hours_ago` hours ago."""
    ends = timezone.now() - timedelta(hours=hours_ago)
    return SessionFactory(starts_at=ends - timedelta(hours=2), ends_at=ends, **fields)


def participant(session, **fields) -> Enrolment:
    return EnrolmentFactory(session=session, user=person(), **fields)


def survey_url(enrolment, language="en") -> str:
    return f"/{language}/programme/feedback/{feedback_token(enrolment_id=enrolment.pk)}/"


# --- The invitation -------------------------------------------------------------------


def test_participants_are_invited_some_hours_after_the_end_and_once():
    session = past_session(hours_ago=4)
    attended = participant(session, attendance="attended")
    unmarked = participant(session)
    participant(session, attendance="no_show")
    participant(session, status="cancelled")
    participant(session, status="waitlisted")
    plan_survey_invitations(now=timezone.now())
    plan_survey_invitations(now=timezone.now())
    invited = deliveries(emails.SURVEY_INVITATION)
    assert {d.intent_key for d in invited} == {
        f"enrolment:{attended.pk}",
        f"enrolment:{unmarked.pk}",
    }
    assert {d.due_at for d in invited} == {session.ends_at + timedelta(hours=3)}


def test_no_invitation_before_the_delay_for_cancelled_sessions_or_long_ago(manager_user):
    participant(past_session(hours_ago=2))
    participant(past_session(hours_ago=24 * 3))
    cancelled = SessionFactory(starts_at=timezone.now() + timedelta(hours=1))
    participant(cancelled)
    services.session_cancel(
        session_id=cancelled.pk, reason="Salle indisponible", actor=manager_user
    )
    from programme.models import Session

    Session.objects.filter(pk=cancelled.pk).update(
        starts_at=timezone.now() - timedelta(hours=6), ends_at=timezone.now() - timedelta(hours=5)
    )
    plan_survey_invitations(now=timezone.now())
    assert not deliveries(emails.SURVEY_INVITATION).exists()


def test_the_delay_is_a_setting(settings):
    settings.PROGRAMME_SURVEY_DELAY_HOURS = 6
    participant(past_session(hours_ago=5))
    plan_survey_invitations(now=timezone.now())
    assert not deliveries(emails.SURVEY_INVITATION).exists()
    settings.PROGRAMME_SURVEY_DELAY_HOURS = 4
    plan_survey_invitations(now=timezone.now())
    assert deliveries(emails.SURVEY_INVITATION).count() == 1


def test_someone_marked_absent_after_the_invitation_was_recorded_is_not_sent_it():
    enrolment = participant(past_session(hours_ago=4))
    plan_survey_invitations(now=timezone.now())
    Enrolment.objects.filter(pk=enrolment.pk).update(attendance="no_show")
    sweep(dispatch=send_inline)
    invitation = deliveries(emails.SURVEY_INVITATION).get()
    assert invitation.status == DeliveryStatus.SKIPPED
    assert invitation.skip_reason == "the member did not attend"


def test_the_invitation_respects_the_surveys_switch():
    enrolment = participant(past_session(hours_ago=4))
    preference_set(user=enrolment.user, category="surveys", enabled=False)
    sweep(dispatch=send_inline)
    assert deliveries(emails.SURVEY_INVITATION).get().status == DeliveryStatus.SKIPPED


# --- The survey page --------------------------------------------------------------------


def test_the_link_opens_an_accessible_survey_without_logging_in(client):
    enrolment = participant(past_session(module=ModuleFactory(title="Mieux dormir")))
    response = client.get(survey_url(enrolment))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mieux dormir" in page
    assert page.count("<fieldset") == 3
    assert page.count("<legend") == 3
    assert page.count('type="radio"') == 5 + 5 + 11
    assert 'name="robots" content="noindex"' in page
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_answering_records_one_answer_and_thanks(client):
    enrolment = participant(past_session())
    response = client.post(survey_url(enrolment), ANSWER)
    assert response.status_code == 302
    assert response["Location"] == "/en/programme/survey-answered/"
    assert "Thank you for your answer" in client.get(response["Location"]).content.decode()
    feedback = SessionFeedback.objects.get()
    assert (feedback.enrolment, feedback.session) == (enrolment, enrolment.session)
    assert (feedback.usefulness, feedback.quality, feedback.recommend) == (4, 5, 9)
    assert feedback.comment == "Très concret."


def test_a_second_answer_gets_a_kind_page_and_changes_nothing(client):
    enrolment = participant(past_session())
    client.post(survey_url(enrolment), ANSWER)
    again = client.post(survey_url(enrolment), {**ANSWER, "usefulness": "1"})
    assert again.status_code == 200
    assert "You have already answered" in again.content.decode()
    assert client.get(survey_url(enrolment)).status_code == 200
    assert SessionFeedback.objects.get().usefulness == 4


def test_two_answers_at_once_keep_one():
    enrolment = participant(past_session())
    feedback_submit(enrolment_id=enrolment.pk, usefulness=3, quality=3, recommend=7)
    with pytest.raises(AlreadyAnswered):
        feedback_submit(enrolment_id=enrolment.pk, usefulness=5, quality=5, recommend=10)
    assert SessionFeedback.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"usefulness": ""},
        {"quality": "6"},
        {"recommend": "11"},
        {"recommend": "huit"},
        {"comment": "x" * 2001},
    ],
    ids=["missing", "quality-too-high", "recommend-too-high", "not-a-number", "long-comment"],
)
def test_bad_answers_are_shown_on_the_page_and_nothing_is_written(client, change):
    enrolment = participant(past_session())
    response = client.post(survey_url(enrolment), {**ANSWER, **change})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not SessionFeedback.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        lambda e: feedback_token(enrolment_id=e.pk)[:-3] + "abc",
        lambda e: feedback_token(enrolment_id=e.pk).split(":")[0],
        lambda e: signing.dumps({"e": e.pk}, salt=CAMPAIGN_SALT),
        lambda e: signing.dumps({"e": e.pk}),
        lambda e: "not-a-token",
    ],
    ids=["tampered", "cut-short", "other-salt", "no-salt", "garbage"],
)
def test_a_broken_link_gets_a_clear_400_page(client, token):
    enrolment = participant(past_session())
    url = f"/en/programme/feedback/{token(enrolment)}/"
    for response in (client.get(url), client.post(url, ANSWER)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not SessionFeedback.objects.exists()


def test_an_expired_link_gets_a_clear_410_page(client, time_machine, settings):
    settings.PROGRAMME_SURVEY_LINK_DAYS = 60
    enrolment = participant(past_session())
    url = survey_url(enrolment)
    time_machine.move_to(timezone.now() + timedelta(days=61))
    for response in (client.get(url), client.post(url, ANSWER)):
        assert response.status_code == 410
        assert "This survey link has expired" in response.content.decode()
    assert not SessionFeedback.objects.exists()


def test_a_survey_that_no_longer_applies_is_closed(client):
    absent = participant(past_session(), attendance="no_show")
    future = participant(SessionFactory())
    for enrolment in (absent, future):
        response = client.post(survey_url(enrolment), ANSWER)
        assert response.status_code == 410
        assert "This survey is closed" in response.content.decode()
    Enrolment.objects.filter(pk=absent.pk).delete()
    assert client.get(survey_url(absent)).status_code == 410
    assert not SessionFeedback.objects.exists()


def test_answers_outlive_the_member_for_the_statistics():
    enrolment = participant(past_session())
    feedback_submit(enrolment_id=enrolment.pk, usefulness=5, quality=4, recommend=10)
    enrolment.user.delete()
    feedback = SessionFeedback.objects.get()
    # The seat stays as an anonymous statistic, and its answer with it.
    assert feedback.enrolment == enrolment and feedback.enrolment.user is None
    assert feedback_summary(SessionFeedback.objects.filter(session=feedback.session)).answers == 1


# --- Statistics --------------------------------------------------------------------------


def answers(session, recommend_scores, **fields):
    for n, score in enumerate(recommend_scores):
        SessionFeedbackFactory(
            session=session,
            usefulness=fields.get("usefulness", 4),
            quality=fields.get("quality", 2 + n % 3),
            recommend=score,
            comment=f"Commentaire {n}",
        )


def test_the_summary_counts_averages_and_splits_promoters_and_detractors():
    session = past_session()
    answers(session, [10, 9, 8, 6, 0, 9])
    summary = feedback_summary(SessionFeedback.objects.filter(session=session))
    assert summary.answers == 6
    assert summary.shown
    assert summary.usefulness == 4
    assert (summary.promoters, summary.passives, summary.detractors) == (3, 1, 2)
    assert summary.nps == round(100 * (3 - 2) / 6)
    assert (summary.promoters_pct, summary.passives_pct, summary.detractors_pct) == (50, 17, 33)


def manage(client, manager_user, path):
    client.force_login(manager_user)
    return client.get(f"/en/programme/manage/{path}")


def test_below_five_answers_nothing_but_the_count_is_shown(client, manager_user):
    session = past_session(module=ModuleFactory(title="Mieux dormir"))
    answers(session, [10, 2, 9, 8])
    for path in (f"feedback/modules/{session.module.pk}/", f"feedback/sessions/{session.pk}/"):
        page = manage(client, manager_user, path).content.decode()
        assert "Not enough answers yet: 4 answers so far" in page
        assert 'id="feedback-summary"' not in page
        assert "Commentaire" not in page
    listing = manage(client, manager_user, "feedback/").content.decode()
    assert "Mieux dormir" in listing and "Not enough answers yet" in listing


def test_from_five_answers_the_figures_and_comments_are_shown(client, manager_user):
    session = past_session(module=ModuleFactory(title="Mieux dormir"))
    answers(session, [10, 2, 9, 8, 9], usefulness=5)
    page = manage(client, manager_user, f"feedback/modules/{session.module.pk}/").content.decode()
    assert 'id="feedback-summary"' in page
    assert 'id="nps-split"' in page
    assert "Commentaire 4" in page
    assert "Not enough answers yet" not in page
    assert "5.0" in page  # usefulness average


def test_a_comment_from_a_small_session_does_not_say_which_session(client, manager_user):
    module = ModuleFactory(title="Mieux dormir")
    busy = past_session(module=module, hours_ago=10)
    small = past_session(module=module, hours_ago=200)
    answers(busy, [9] * 5)
    SessionFeedbackFactory(session=small, usefulness=3, quality=3, recommend=5, comment="Seul")
    page = manage(client, manager_user, f"feedback/modules/{module.pk}/").content.decode()
    comments = page[page.index('id="comments"') :]

    def day(session):
        return formats.date_format(timezone.localtime(session.starts_at), "j N Y")

    assert "Seul" in comments and day(small) not in comments
    assert "fewer than 5 answers: its date is not shown" in comments
    assert comments.count(f"Session of {day(busy)}") == 5


def test_the_statistics_pages_are_for_managers(client, member_user):
    session = past_session()
    client.force_login(member_user)
    for path in (
        "feedback/",
        f"feedback/modules/{session.module.pk}/",
        f"feedback/sessions/{session.pk}/",
    ):
        assert client.get(f"/en/programme/manage/{path}").status_code == 403
    client.logout()
    assert client.get("/en/programme/manage/feedback/").status_code == 302


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_statistics_pages_queries_do_not_grow(client, manager_user):
    client.force_login(manager_user)
    module = ModuleFactory()
    first = past_session(module=module)
    answers(first, [9] * 6)
    urls = [
        "/en/programme/manage/feedback/",
        f"/en/programme/manage/feedback/modules/{module.pk}/",
        f"/en/programme/manage/feedback/sessions/{first.pk}/",
    ]
    small = [count_queries(client, url) for url in urls]
    for n in range(12):
        answers(past_session(module=module, hours_ago=10 + n), [8] * 6)
        answers(past_session(hours_ago=10 + n), [7] * 5)
    answers(first, [10] * 30)
    assert [count_queries(client, url) for url in urls] == small
    assert max(small) <= 10

"""Programme survey campaigns: a manager writes and schedules one, the sweep fans it out at
its send time to the audience in chunks, members answer once, managers read the results."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import MemberProfile
from members.roles import Role
from notifications.models import DeliveryStatus
from notifications.sending import send_inline, sweep
from notifications.services import preference_set
from surveys import emails
from surveys.links import FEEDBACK_SALT, campaign_token
from surveys.models import (
    Audience,
    CampaignAnswer,
    CampaignResponse,
    CampaignStatus,
    SurveyCampaign,
)
from surveys.planners import plan_campaigns
from surveys.selectors import audience_members, audience_recipients
from surveys.services import (
    AlreadyAnswered,
    QuestionSpec,
    campaign_create,
    campaign_fan_out,
    campaign_response_submit,
    campaign_update,
    campaign_withdraw,
)
from tests.factories import staff
from tests.programme.factories import (
    EnrolmentFactory,
    ModuleFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.programme.helpers import deliveries, person
from tests.surveys.factories import SurveyCampaignFactory

pytestmark = pytest.mark.django_db

BASE = "/en/programme/manage/campaigns/"
QUESTIONS = [
    QuestionSpec("Le programme vous aide-t-il ?", "scale"),
    QuestionSpec("Que faudrait-il ajouter ?", "text"),
]


def reader(*, province="WLG", language="fr", news=True, **fields):
    """A member who chose (or not) to receive programme news."""
    user = person(language=language, **fields)
    MemberProfile.objects.filter(user=user).update(province=province)
    preference_set(user=user, category="programme_news", enabled=news)
    return user


def form_data(**changes) -> dict:
    data = {
        "base_language": "fr",
        "title": "Votre avis sur le programme",
        "intro": "Trois questions, deux minutes.",
        "audience": "province",
        "theme": "",
        "format": "",
        "province": "WLG",
        "language": "",
        "send_at": "",
        "action": "schedule",
        "questions-TOTAL_FORMS": "5",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "5",
        "questions-0-text": "Le programme vous aide-t-il ?",
        "questions-0-kind": "scale",
        "questions-1-text": "Que faudrait-il ajouter ?",
        "questions-1-kind": "text",
    }
    for n in range(2, 5):
        data[f"questions-{n}-text"] = ""
        data[f"questions-{n}-kind"] = "scale"
    data.update(changes)
    return data


def scheduled(audience=Audience.ALL, value="", **fields) -> SurveyCampaign:
    return campaign_create(
        title=fields.pop("title", "Votre avis"),
        intro="Trois questions.",
        audience=audience,
        audience_value=value,
        questions=fields.pop("questions", QUESTIONS),
        schedule=True,
        **fields,
    )


# --- Writing and scheduling -----------------------------------------------------------------


def test_a_manager_writes_and_schedules_a_campaign(client, manager_user):
    reader()
    client.force_login(manager_user)
    send_at = timezone.localtime() + timedelta(days=2)
    response = client.post(BASE + "new/", form_data(send_at=send_at.strftime("%Y-%m-%dT%H:%M")))
    campaign = SurveyCampaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{campaign.pk}/"
    assert campaign.status == CampaignStatus.SCHEDULED
    assert (campaign.audience, campaign.audience_value) == ("province", "WLG")
    assert campaign.send_at == send_at.replace(second=0, microsecond=0)
    assert campaign.created_by == manager_user
    assert [(q.position, q.text, q.kind) for q in campaign.questions.all()] == [
        (1, "Le programme vous aide-t-il ?", "scale"),
        (2, "Que faudrait-il ajouter ?", "text"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Members of a province: Liège" in page
    assert "1 member matches. Invitations to send (to those who receive programme news): 1." in page
    # Nothing goes out before its time.
    plan_campaigns(now=timezone.now())
    assert not deliveries(emails.CAMPAIGN_INVITATION).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audience": "theme", "theme": ""}, "theme"),
        ({"audience": "theme", "theme": "no-such-theme"}, "theme"),
        ({"audience": "province", "province": ""}, "province"),
        ({"audience": "province", "province": "XXX"}, "province"),
        ({"audience": "format", "format": "podcast"}, "format"),
        ({"audience": "language", "language": "de"}, "language"),
        ({"audience": "everyone"}, "audience"),
        ({"audience": ""}, "audience"),
    ],
    ids=[
        "no-theme",
        "unknown-theme",
        "no-province",
        "unknown-province",
        "unknown-format",
        "unknown-language",
        "unknown-audience",
        "no-audience",
    ],
)
def test_an_invalid_audience_is_refused_with_a_message(client, manager_user, changes, field):
    reader()
    client.force_login(manager_user)
    for action in ("schedule", "draft"):
        response = client.post(BASE + "new/", form_data(action=action, **changes))
        assert response.status_code == 200
        assert field in response.context["form"].errors, response.context["form"].errors
    assert not SurveyCampaign.objects.exists()
    assert not deliveries(emails.CAMPAIGN_INVITATION).exists()


def test_an_audience_that_reaches_nobody_cannot_be_scheduled(client, manager_user):
    reader(province="WLG", news=False)  # in Liège, but not reading programme news
    reader(province="BRU")
    client.force_login(manager_user)
    response = client.post(BASE + "new/", form_data())
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 member matches this audience, but they did not accept programme news" in page
    assert not SurveyCampaign.objects.exists()
    # Kept as a draft, it may be scheduled once people opt in.
    client.post(BASE + "new/", form_data(action="draft"))
    assert SurveyCampaign.objects.get().status == CampaignStatus.DRAFT
    sweep(dispatch=send_inline)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"questions-0-text": "", "questions-1-text": ""}, "Write at least one question."),
        ({"send_at": "2020-01-01T10:00"}, "The send time is in the past."),
        ({"send_at": "demain"}, "Enter a valid date/time."),
        ({"send_at": "9999-12-31T23:59"}, "Enter a date between 2000 and 2100."),
        ({"title": ""}, "This field is required."),
    ],
    ids=["no-question", "past", "not-a-date", "year-9999", "no-title"],
)
def test_other_mistakes_are_shown_and_nothing_is_saved(client, manager_user, changes, message):
    reader()
    client.force_login(manager_user)
    response = client.post(BASE + "new/", form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SurveyCampaign.objects.exists()


def test_a_campaign_that_went_out_can_no_longer_be_edited(client, manager_user):
    reader()
    campaign = scheduled()
    campaign_fan_out(campaign_id=campaign.pk)
    client.force_login(manager_user)
    response = client.post(f"{BASE}{campaign.pk}/edit/", form_data(title="Autre"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Votre avis"


def test_a_campaign_whose_send_time_has_come_is_no_longer_edited(
    client, manager_user, time_machine
):
    """The sweep may be fanning it out: an edit now would change the audience or the
    questions under the invitations already recorded. Withdrawing still stops it."""
    reader()
    campaign = scheduled(send_at=timezone.now() + timedelta(hours=1))
    time_machine.move_to(campaign.send_at + timedelta(seconds=10), tick=False)
    client.force_login(manager_user)
    response = client.post(f"{BASE}{campaign.pk}/edit/", form_data(audience="all"))
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{campaign.pk}/"
    campaign.refresh_from_db()
    assert (campaign.audience, campaign.status) == (Audience.ALL, CampaignStatus.SCHEDULED)
    with pytest.raises(ValidationError):
        campaign_update(
            campaign_id=campaign.pk,
            title="Autre",
            intro="x",
            audience=Audience.ALL,
            questions=QUESTIONS,
        )
    detail = client.get(f"{BASE}{campaign.pk}/").content.decode()
    assert f"{BASE}{campaign.pk}/edit/" not in detail
    assert f"{BASE}{campaign.pk}/withdraw/" in detail
    assert 'id="audience-size"' in detail  # not gone out yet: today's reach still shows


def test_editing_a_scheduled_campaign_as_draft_unschedules_it(client, manager_user):
    reader()
    campaign = scheduled(send_at=timezone.now() + timedelta(days=1))
    client.force_login(manager_user)
    page = client.get(f"{BASE}{campaign.pk}/edit/").content.decode()
    assert 'value="Le programme vous aide-t-il ?"' in page
    response = client.post(f"{BASE}{campaign.pk}/edit/", form_data(action="draft", audience="all"))
    assert response.status_code == 302, response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.questions.count() == 2
    plan_campaigns(now=timezone.now() + timedelta(days=2))
    assert not deliveries(emails.CAMPAIGN_INVITATION).exists()


# --- Audiences and fan-out --------------------------------------------------------------------


def test_each_audience_selects_the_right_members():
    sleep = ThemeFactory(slug="sleep")
    workshop = SessionFactory(module=ModuleFactory(format="workshop", themes=[sleep]))
    webinar = SessionFactory(module=ModuleFactory(format="webinar"))
    sleeper = reader(province="VAN", language="nl")
    EnrolmentFactory(session=workshop, user=sleeper)
    absent = reader()
    EnrolmentFactory(session=workshop, user=absent, attendance="no_show")
    left = reader()
    EnrolmentFactory(session=workshop, user=left, status="cancelled")
    listener = reader()
    EnrolmentFactory(session=webinar, user=listener)
    ghent = reader(province="VOV", language="nl")
    staff(Role.ADVISOR)  # not a member
    inactive = reader()
    inactive.is_active = False
    inactive.save()

    def who(audience, value=""):
        return set(audience_members(audience, value))

    assert who(Audience.ALL) == {sleeper, absent, left, listener, ghent}
    assert who(Audience.THEME, "sleep") == {sleeper}
    assert who(Audience.FORMAT, "workshop") == {sleeper}
    assert who(Audience.FORMAT, "webinar") == {listener}
    assert who(Audience.PROVINCE, "VOV") == {ghent}
    assert who(Audience.LANGUAGE, "nl") == {sleeper, ghent}
    assert isinstance(audience_recipients(Audience.ALL, ""), QuerySet)


def test_the_sweep_fans_out_at_the_send_time_once_and_in_chunks(settings, time_machine):
    settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE = 3
    readers = [reader() for _ in range(7)]
    reader(news=False)
    reader(province="BRU")
    campaign = scheduled(Audience.PROVINCE, "WLG", send_at=timezone.now() + timedelta(hours=2))
    plan_campaigns(now=timezone.now())
    assert not deliveries(emails.CAMPAIGN_INVITATION).exists()

    time_machine.move_to(campaign.send_at + timedelta(seconds=30), tick=False)
    with CaptureQueriesContext(connection) as queries:
        plan_campaigns(now=timezone.now())
    inserts = [
        q
        for q in queries
        if q["sql"].startswith("INSERT") and '"notifications_delivery"' in q["sql"]
    ]
    assert len(inserts) == 3  # 3 + 3 + 1: memory and statements bounded by the chunk
    plan_campaigns(now=timezone.now())
    invitations = deliveries(emails.CAMPAIGN_INVITATION)
    assert {d.recipient for d in invitations} == set(readers)
    assert {d.intent_key for d in invitations} == {
        f"campaign:{campaign.pk}:user:{u.pk}" for u in readers
    }
    campaign.refresh_from_db()
    assert (campaign.status, campaign.invited_count) == (CampaignStatus.SENT, 7)

    sweep(dispatch=send_inline)
    sweep(dispatch=send_inline)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in readers)


def test_someone_who_turns_programme_news_off_before_sending_is_skipped():
    user = reader()
    campaign = scheduled()
    campaign_fan_out(campaign_id=campaign.pk)
    preference_set(user=user, category="programme_news", enabled=False)
    sweep(dispatch=send_inline)
    assert deliveries(emails.CAMPAIGN_INVITATION).get().status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_withdrawing_cancels_what_was_not_sent_and_closes_the_link(client):
    first, _second = reader(), reader()
    campaign = scheduled()
    campaign_fan_out(campaign_id=campaign.pk)
    campaign_withdraw(campaign_id=campaign.pk)
    assert {d.status for d in deliveries(emails.CAMPAIGN_INVITATION)} == {DeliveryStatus.CANCELLED}
    token = campaign_token(campaign_id=campaign.pk, user_id=first.pk)
    response = client.get(f"/en/programme/survey/{token}/")
    assert response.status_code == 410
    assert "This survey is closed" in response.content.decode()
    assert not CampaignResponse.objects.exists()


# --- Answering ---------------------------------------------------------------------------


def sent_campaign(**fields):
    campaign = scheduled(**fields)
    campaign_fan_out(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign


def answer_url(campaign, user) -> str:
    return f"/en/programme/survey/{campaign_token(campaign_id=campaign.pk, user_id=user.pk)}/"


def answer_data(campaign, scale="4", text="Plus d'ateliers le soir."):
    scale_q, text_q = campaign.questions.all()
    return {f"q{scale_q.pk}": scale, f"q{text_q.pk}": text}


def test_a_member_answers_once_from_the_link(client):
    user = reader()
    campaign = sent_campaign()
    page = client.get(answer_url(campaign, user)).content.decode()
    assert "Votre avis" in page
    assert page.count("<legend") == 1
    response = client.post(answer_url(campaign, user), answer_data(campaign))
    assert response.status_code == 302
    response = CampaignResponse.objects.get()
    assert response.user == user
    assert sorted(
        CampaignAnswer.objects.values_list("question__position", "scale_value", "text_value")
    ) == [(1, 4, ""), (2, None, "Plus d'ateliers le soir.")]

    again = client.post(answer_url(campaign, user), answer_data(campaign, scale="1"))
    assert again.status_code == 200
    assert "You have already answered" in again.content.decode()
    assert CampaignResponse.objects.count() == 1
    with pytest.raises(AlreadyAnswered):
        campaign_response_submit(campaign_id=campaign.pk, user_id=user.pk, answers={})


@pytest.mark.parametrize(
    "change", [{"scale": ""}, {"scale": "6"}, {"scale": "beaucoup"}], ids=["missing", "6", "words"]
)
def test_bad_answers_are_shown_and_nothing_is_written(client, change):
    user = reader()
    campaign = sent_campaign()
    response = client.post(answer_url(campaign, user), answer_data(campaign, **change))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not CampaignResponse.objects.exists()


def test_broken_or_expired_campaign_links_get_clear_pages(client, time_machine):
    user = reader()
    campaign = sent_campaign()
    good = campaign_token(campaign_id=campaign.pk, user_id=user.pk)
    for token in (
        good[:-2] + "zz",
        signing.dumps({"c": campaign.pk, "u": user.pk}, salt=FEEDBACK_SALT),
        "garbage",
    ):
        response = client.post(f"/en/programme/survey/{token}/", answer_data(campaign))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    time_machine.move_to(timezone.now() + timedelta(days=61))
    response = client.get(f"/en/programme/survey/{good}/")
    assert response.status_code == 410
    assert "This survey link has expired" in response.content.decode()
    assert not CampaignResponse.objects.exists()


# --- Results ---------------------------------------------------------------------------------


def responses(campaign, scores):
    for score in scores:
        campaign_response_submit(
            campaign_id=campaign.pk,
            user_id=reader().pk,
            answers=dict(
                zip(
                    [q.pk for q in campaign.questions.all()],
                    [score, f"Idée {score}"],
                    strict=True,
                )
            ),
        )


def test_results_are_shown_from_five_answers_on(client, manager_user):
    campaign = SurveyCampaignFactory(
        status=CampaignStatus.SENT,
        send_at=timezone.now(),
        questions=[("Utile ?", "scale"), ("Une idée ?", "text")],
    )
    responses(campaign, [5, 4, 4, 2])
    client.force_login(manager_user)
    page = client.get(f"{BASE}{campaign.pk}/").content.decode()
    assert "Not enough answers yet: 4 answers so far" in page
    assert "Idée" not in page
    responses(campaign, [5])
    page = client.get(f"{BASE}{campaign.pk}/").content.decode()
    assert "Not enough answers yet" not in page
    assert "Average 4.0 out of 5 (5 answers)" in page
    assert "Idée 2" in page
    listing = client.get(BASE).content.decode()
    assert campaign.title in listing


def test_campaign_pages_are_for_managers(client, member_user):
    campaign = SurveyCampaignFactory()
    client.force_login(member_user)
    for url in (BASE, BASE + "new/", f"{BASE}{campaign.pk}/", f"{BASE}{campaign.pk}/edit/"):
        assert client.get(url).status_code == 403
    assert client.post(f"{BASE}{campaign.pk}/withdraw/").status_code == 403


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_campaign_list_and_results_queries_do_not_grow(client, manager_user):
    client.force_login(manager_user)
    theme = ThemeFactory(slug="sleep")
    campaign = SurveyCampaignFactory(
        status=CampaignStatus.SENT,
        send_at=timezone.now(),
        audience=Audience.THEME,
        audience_value=theme.slug,
        questions=[("Utile ?", "scale"), ("Une idée ?", "text")],
    )
    responses(campaign, [4] * 5)
    SurveyCampaignFactory(audience=Audience.PROVINCE, audience_value="WLG")
    urls = [BASE, f"{BASE}{campaign.pk}/", f"{BASE}new/", f"{BASE}{campaign.pk}/edit/"]
    small = [count_queries(client, url) for url in urls[:2]]
    for _n in range(15):
        SurveyCampaignFactory(audience=Audience.THEME, audience_value=ThemeFactory().slug)
        SurveyCampaignFactory(audience=Audience.LANGUAGE, audience_value="nl")
    responses(campaign, [3] * 20)
    assert [count_queries(client, url) for url in urls[:2]] == small
    assert max(small) <= 10

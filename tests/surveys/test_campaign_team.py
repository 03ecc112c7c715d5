"""Surveys a team can run (issue 17, deliverable 5): response rates, anonymous CSV files of
the answers, campaigns in several languages, one reminder to those who have not answered,
and the reach of an audience with the reason when it is nobody."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.sending import send_inline, sweep
from surveys import emails
from surveys.models import Audience, CampaignResponse, CampaignStatus, SurveyCampaign
from surveys.planners import plan_campaign_reminders, plan_survey_invitations
from surveys.selectors import audience_size
from surveys.services import (
    CampaignVersion,
    QuestionSpec,
    campaign_create,
    campaign_fan_out,
    campaign_remind,
    campaign_response_submit,
    campaign_withdraw,
)
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory, ThemeFactory
from tests.programme.helpers import deliveries, person
from tests.surveys.factories import SessionFeedbackFactory, SurveyCampaignFactory
from tests.surveys.test_campaigns import BASE, form_data, reader

pytestmark = pytest.mark.django_db

QUESTIONS = [
    QuestionSpec(
        "Le programme t'aide-t-il ?",
        "scale",
        {"nl": "Helpt het programma je?", "en": "Does the programme help you?"},
    ),
    QuestionSpec(
        "Que faudrait-il ajouter ?",
        "text",
        {"nl": "Wat moet erbij?", "en": "What should be added?"},
    ),
]
VERSIONS = {
    "nl": CampaignVersion("Jouw mening", "Twee vragen."),
    "en": CampaignVersion("Your opinion", "Two questions."),
}


def sent(*, versions=VERSIONS, questions=QUESTIONS, audience=Audience.ALL, value=""):
    """A campaign gone out, with its questions' versions in the languages of `versions`."""
    questions = [
        QuestionSpec(q.text, q.kind, {k: v for k, v in q.translations.items() if k in versions})
        for q in questions
    ]
    campaign = campaign_create(
        title="Ton avis",
        intro="Deux questions.",
        audience=audience,
        audience_value=value,
        questions=questions,
        schedule=True,
        versions=versions,
    )
    campaign_fan_out(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign


def answer(campaign, user, score=4, text="Plus d'ateliers", language="fr"):
    scale, free = campaign.questions.all()
    return campaign_response_submit(
        campaign_id=campaign.pk,
        user_id=user.pk,
        answers={scale.pk: score, free.pk: text},
        language=language,
    )


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Response rates ---------------------------------------------------------------------


def test_a_campaign_shows_its_response_rate_in_the_list_and_on_its_page(client, manager_user):
    people = [reader() for _ in range(4)]
    campaign = sent()
    answer(campaign, people[0])
    client.force_login(manager_user)
    listing = client.get(BASE).content.decode()
    assert "25 % (1 of 4 people invited answered)" in listing
    page = client.get(f"{BASE}{campaign.pk}/").content.decode()
    assert "25 % (1 of 4 people invited answered)" in page


def test_a_campaign_with_no_answer_says_so_and_offers_no_file(client, manager_user):
    reader(), reader()
    campaign = sent()
    client.force_login(manager_user)
    page = client.get(f"{BASE}{campaign.pk}/").content.decode()
    assert "0 % (0 of 2 people invited answered)" in page
    assert "Not enough answers yet: 0 answers so far" in page
    assert 'id="answers-csv"' not in page
    draft = SurveyCampaignFactory()
    assert "No invitation recorded" in client.get(BASE).content.decode()
    assert client.get(f"{BASE}{draft.pk}/").status_code == 200


def survey_sent(enrolment):
    """The satisfaction survey's invitation, recorded and sent for this enrolment."""
    Delivery.objects.create(
        recipient=enrolment.user,
        kind=emails.SURVEY_INVITATION,
        intent_key=f"enrolment:{enrolment.pk}",
        status=DeliveryStatus.SENT,
        due_at=timezone.now(),
        sent_at=timezone.now(),
    )


def test_satisfaction_surveys_show_answers_per_participant_invited(client, manager_user):
    module = ModuleFactory(title="Mieux dormir")
    ends = timezone.now() - timedelta(hours=5)
    session = SessionFactory(module=module, starts_at=ends - timedelta(hours=2), ends_at=ends)
    enrolments = [EnrolmentFactory(session=session, user=person()) for _ in range(8)]
    for enrolment in enrolments[:6]:
        survey_sent(enrolment)
    # Planned but never sent: not counted as invited.
    plan_survey_invitations(now=timezone.now())
    for enrolment in enrolments[:3]:
        SessionFeedbackFactory(session=session, enrolment=enrolment)
    client.force_login(manager_user)
    base = "/en/programme/manage/feedback/"
    expected = "50 % (3 of 6 people invited answered)"
    assert expected in client.get(base).content.decode()
    module_page = client.get(f"{base}modules/{module.pk}/").content.decode()
    assert module_page.count(expected) == 2  # the module, and its session's row
    assert expected in client.get(f"{base}sessions/{session.pk}/").content.decode()


# --- CSV of the answers ---------------------------------------------------------------------


def test_campaign_answers_as_csv_from_five_answers_without_who_or_when(client, manager_user):
    people = [reader(first_name="Zoé", last_name="Traceable") for _ in range(5)]
    campaign = sent()
    client.force_login(manager_user)
    for n, user in enumerate(people[:4]):
        answer(campaign, user, score=n + 1, text=f"=idée {n}")
    url = f"{BASE}{campaign.pk}/answers.csv"
    refused = client.get(url, follow=True)
    assert refused.redirect_chain == [(f"{BASE}{campaign.pk}/", 302)]
    assert "No file yet: 4 answers so far" in refused.content.decode()

    answer(campaign, people[4], score=5, text="", language="nl")
    rows = rows_of(client.get(url))
    assert rows[0] == [
        "Language answered in",
        "1. Le programme t'aide-t-il ?",
        "2. Que faudrait-il ajouter ?",
    ]
    assert sorted(rows[1:]) == sorted(
        [["French", str(n + 1), f"'=idée {n}"] for n in range(4)] + [["Dutch", "5", ""]]
    )
    text = client.get(url).content.decode()
    # The rows above hold the language, the score and the text, and nothing else.
    assert all(user.email not in text for user in people)
    assert "Zoé" not in text and "Traceable" not in text
    assert str(timezone.localdate().year) not in text  # no date nor time of answering
    assert 'id="answers-csv"' in client.get(f"{BASE}{campaign.pk}/").content.decode()


def test_module_satisfaction_answers_as_csv_from_five_answers(client, manager_user):
    module = ModuleFactory(title="Mieux dormir")
    busy, small = SessionFactory(module=module), SessionFactory(module=module)
    for n in range(4):
        SessionFeedbackFactory(session=busy, recommend=n, comment=f"Avis {n}")
    client.force_login(manager_user)
    url = f"/en/programme/manage/feedback/modules/{module.pk}/answers.csv"
    refused = client.get(url, follow=True)
    assert "No file yet: 4 answers so far" in refused.content.decode()
    SessionFeedbackFactory(session=busy, recommend=10, comment="")
    SessionFeedbackFactory(session=small, recommend=7, comment="Seul")
    rows = rows_of(client.get(url))
    assert rows[0] == [
        "Session",
        "Usefulness (1 to 5)",
        "Quality (1 to 5)",
        "Would recommend (0 to 10)",
        "Comment",
    ]
    assert len(rows) == 7
    by_comment = {row[4]: row for row in rows[1:]}
    assert by_comment["Seul"][0] == "A session with fewer than 5 answers"
    assert by_comment["Avis 0"][0] != by_comment["Seul"][0]  # the busy session's date


def test_answer_files_are_for_managers(client, member_user):
    campaign = SurveyCampaignFactory()
    module = ModuleFactory()
    client.force_login(member_user)
    assert client.get(f"{BASE}{campaign.pk}/answers.csv").status_code == 403
    url = f"/en/programme/manage/feedback/modules/{module.pk}/answers.csv"
    assert client.get(url).status_code == 403


# --- Language versions -------------------------------------------------------------------


def test_each_member_receives_and_answers_in_their_language(client):
    french, dutch = reader(language="fr"), reader(language="nl")
    english = reader(language="en")
    campaign = sent(versions={"nl": VERSIONS["nl"]})
    sweep(dispatch=send_inline)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "Ton avis" in subjects[french.email]
    assert "Jouw mening" in subjects[dutch.email]
    assert "Ton avis" in subjects[english.email]  # no English version: the base one
    dutch_mail = next(m for m in mail.outbox if m.to[0] == dutch.email)
    assert "Twee vragen." in dutch_mail.body

    from surveys.links import campaign_token

    token = campaign_token(campaign_id=campaign.pk, user_id=dutch.pk)
    page = client.get(f"/fr/programme/survey/{token}/").content.decode()
    assert "Helpt het programma je?" in page and "Jouw mening" in page
    scale, free = campaign.questions.all()
    client.post(f"/nl/programme/survey/{token}/", {f"q{scale.pk}": "5", f"q{free.pk}": "Meer"})
    assert CampaignResponse.objects.get(user=dutch).language == "nl"
    answer(campaign, english, score=3, language="en")
    assert CampaignResponse.objects.get(user=english).language == "fr"


def test_results_count_answers_in_every_language_together(client, manager_user):
    people = [reader(language=lang) for lang in ("fr", "nl", "en", "nl", "fr")]
    campaign = sent()
    for user, score in zip(people, [5, 4, 3, 4, 4], strict=True):
        answer(campaign, user, score=score, language=user.profile.preferred_language)
    client.force_login(manager_user)
    page = client.get(f"{BASE}{campaign.pk}/").content.decode()
    assert "Average 4.0 out of 5 (5 answers)" in page
    assert 'id="version-nl"' in page and "Helpt het programma je?" in page


def test_the_manager_writes_every_version_in_the_form(client, manager_user):
    reader()
    client.force_login(manager_user)
    data = form_data(
        title_nl="Jouw mening",
        intro_nl="Twee vragen.",
        **{"questions-0-text_nl": "Helpt het je?", "questions-1-text_nl": "Wat mist er?"},
    )
    assert client.post(BASE + "new/", data).status_code == 302
    campaign = SurveyCampaign.objects.get()
    assert campaign.translations == {"nl": {"title": "Jouw mening", "intro": "Twee vragen."}}
    assert [q.translations for q in campaign.questions.all()] == [
        {"nl": "Helpt het je?"},
        {"nl": "Wat mist er?"},
    ]
    SurveyCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DRAFT)
    edit = client.get(f"{BASE}{campaign.pk}/edit/").content.decode()
    assert 'value="Jouw mening"' in edit and 'value="Wat mist er?"' in edit


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title_nl": "Jouw mening"}, "The version in Dutch is incomplete"),
        (
            {"title_nl": "Jouw mening", "intro_nl": "Twee vragen.", "questions-0-text_nl": "Q?"},
            "The version in Dutch is incomplete",
        ),
        ({"title_fr": "Ton avis"}, "French is the base language"),
        ({"base_language": "xx"}, "Select a valid choice."),
    ],
    ids=["title-only", "a-question-missing", "base-language-twice", "unknown-language"],
)
def test_a_half_written_version_is_refused_with_a_message(client, manager_user, changes, message):
    reader()
    client.force_login(manager_user)
    response = client.post(BASE + "new/", form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SurveyCampaign.objects.exists()


# --- One reminder ------------------------------------------------------------------------


def test_one_reminder_goes_to_those_who_have_not_answered(settings, time_machine):
    settings.SURVEYS_CAMPAIGN_REMINDER_DAYS = 7
    quiet, done, _off = reader(), reader(), reader()
    late = reader(language="nl")
    campaign = sent()
    sweep(dispatch=send_inline)
    answer(campaign, done)
    plan_campaign_reminders(now=timezone.now() + timedelta(days=6, hours=23))
    assert not deliveries(emails.CAMPAIGN_REMINDER).exists()

    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1), tick=False)
    mail.outbox.clear()
    plan_campaign_reminders(now=timezone.now())
    plan_campaign_reminders(now=timezone.now())
    assert campaign_remind(campaign_id=campaign.pk) == 0
    reminders = deliveries(emails.CAMPAIGN_REMINDER)
    assert {d.recipient for d in reminders} == {quiet, _off, late}
    campaign.refresh_from_db()
    assert campaign.reminded_count == 3

    answer(campaign, _off)  # answered between planning and sending: skipped
    sweep(dispatch=send_inline)
    sweep(dispatch=send_inline)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([quiet.email, late.email])
    dutch = next(m for m in mail.outbox if m.to[0] == late.email)
    assert "Jouw mening" in dutch.subject
    assert "enige herinnering" in dutch.body
    assert Delivery.objects.get(recipient=_off, kind=emails.CAMPAIGN_REMINDER).status == (
        DeliveryStatus.SKIPPED
    )


def test_a_withdrawn_campaign_sends_no_reminder(settings, time_machine):
    settings.SURVEYS_CAMPAIGN_REMINDER_DAYS = 3
    reader(), reader()
    campaign = sent()
    sweep(dispatch=send_inline)
    later = timezone.now() + timedelta(days=3, hours=1)
    time_machine.move_to(later, tick=False)
    plan_campaign_reminders(now=later)
    campaign_withdraw(campaign_id=campaign.pk)
    assert {d.status for d in deliveries(emails.CAMPAIGN_REMINDER)} == {DeliveryStatus.CANCELLED}

    other = sent()
    sweep(dispatch=send_inline)
    campaign_withdraw(campaign_id=other.pk)
    time_machine.move_to(later + timedelta(days=3, hours=1), tick=False)
    plan_campaign_reminders(now=timezone.now())
    assert campaign_remind(campaign_id=other.pk, now=timezone.now()) == 0
    assert not deliveries(emails.CAMPAIGN_REMINDER).filter(context__campaign_id=other.pk)


def test_campaigns_sent_long_ago_get_no_late_reminder(time_machine):
    reader()
    campaign = sent()
    sweep(dispatch=send_inline)
    time_machine.move_to(timezone.now() + timedelta(days=30), tick=False)
    plan_campaign_reminders(now=timezone.now())
    assert not deliveries(emails.CAMPAIGN_REMINDER).exists()
    campaign.refresh_from_db()
    assert campaign.reminded_at is None


# --- The reach before sending ------------------------------------------------------------------


def test_the_reach_says_why_it_is_nobody():
    ThemeFactory(slug="sleep")
    assert audience_size(Audience.THEME, "sleep").reason == (
        "Nobody matches this audience: nobody has taken part in a session of this theme yet."
    )
    assert "no member lives in this province" in audience_size(Audience.PROVINCE, "WLX").reason
    reader(province="WNA", news=False)
    reader(province="WNA", news=False)
    size = audience_size(Audience.PROVINCE, "WNA")
    assert (size.members, size.recipients) == (2, 0)
    assert size.reason.startswith("2 members match this audience, but none of them accepted")
    reader(province="WNA")
    assert audience_size(Audience.PROVINCE, "WNA").reason == ""


def test_the_form_checks_the_reach_and_refuses_nobody_with_the_reason(client, manager_user):
    reader(province="BRU")
    client.force_login(manager_user)
    checked = client.post(BASE + "new/", form_data(action="reach", province="WLX"))
    page = checked.content.decode()
    assert "0 members match" in page
    assert "Nobody matches this audience: no member lives in this province." in page
    assert not SurveyCampaign.objects.exists()
    refused = client.post(BASE + "new/", form_data(province="WLX")).content.decode()
    assert "no member lives in this province" in refused
    assert "Choose a wider audience, or keep it as a draft." in refused
    assert not SurveyCampaign.objects.exists()
    client.post(BASE + "new/", form_data(province="WLX", action="draft"))
    draft = SurveyCampaign.objects.get()
    assert "no member lives in this province" in (client.get(f"{BASE}{draft.pk}/").content.decode())
    assert "no member lives in this province" in (
        client.get(f"{BASE}{draft.pk}/edit/").content.decode()
    )


# --- Queries ---------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_rates_and_files_keep_the_query_count_flat(client, manager_user):
    client.force_login(manager_user)
    module = ModuleFactory()
    for _n in range(5):
        SessionFeedbackFactory(session=SessionFactory(module=module))
    reader()
    campaign = sent(versions={})
    for _n in range(5):
        answer(campaign, reader())
    base = "/en/programme/manage/feedback/"
    urls = [
        BASE,
        f"{BASE}{campaign.pk}/",
        base,
        f"{base}modules/{module.pk}/",
        f"{BASE}{campaign.pk}/answers.csv",
        f"{base}modules/{module.pk}/answers.csv",
    ]
    small = [count_queries(client, url) for url in urls]
    for _n in range(6):
        other = sent(versions={})
        answer(campaign, reader())
        answer(other, reader())
        SessionFeedbackFactory(session=SessionFactory(module=module))
        SessionFeedbackFactory(session=SessionFactory(module=ModuleFactory()))
    assert [count_queries(client, url) for url in urls] == small

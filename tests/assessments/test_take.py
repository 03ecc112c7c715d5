"""Taking an instrument: the form, validation, keep or see once, and bad input."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from assessments.instruments import get_current
from assessments.models import AssessmentResult
from members.consents import CONSENT_TEXTS, ConsentKind
from members.models import Consent
from tests.assessments.factories import ANSWERS
from tests.assessments.helpers import forged_token, submit, token_from, url
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_the_form_has_a_fieldset_and_legend_per_item_and_the_version(client):
    page = client.get(url("pss-10")).content.decode()
    assert page.count('<fieldset class="question"') == 10
    assert page.count("<legend") == 10
    assert page.count('type="radio"') == 50
    assert '<input type="hidden" name="version" value="1">' in page
    assert "In the last month, how often have you felt confident" in page
    assert 'name="keep"' not in page  # visitors cannot keep


def test_a_member_sees_the_consent_text_next_to_the_keep_choice(client, member_user):
    client.force_login(member_user)
    page = client.get(url("who-5")).content.decode()
    consent = CONSENT_TEXTS[ConsentKind.HEALTH_DATA]
    assert 'name="keep"' in page
    assert str(consent.text)[:60] in page
    assert consent.version in page
    # Keeping nothing is the default: consent is never pre-ticked.
    assert re.search(
        r'id="id_keep_once" value="once" aria-describedby="keep-once-help"\s+checked>', page
    )
    assert 'id="keep-once-help"' in page
    assert re.search(r'id="id_keep_keep" value="keep" aria-describedby="consent-text"\s+>', page)


def test_a_visitor_sees_the_result_once_and_nothing_is_stored(client):
    response = submit(client, "who-5", ANSWERS["who-5"]["low"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your well-being could use some strengthening" in page
    assert 'id="score-value">40<' in page
    assert "this result was not kept" in page
    assert AssessmentResult.objects.count() == 0
    assert Consent.objects.count() == 0
    # No session row holds the answers either.
    assert Session.objects.count() == 0
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_a_member_who_sees_once_stores_nothing(client, member_user):
    client.force_login(member_user)
    response = submit(client, "bat-12", ANSWERS["bat-12"]["at-risk"], keep="once")
    assert response.status_code == 200
    assert "Your energy at work is under strain" in response.content.decode()
    assert not AssessmentResult.objects.exists()
    assert not Consent.objects.exists()
    session = Session.objects.get().get_decoded()
    assert not any(code in str(session) for code in ("ex1", "md1", "answers"))


def test_a_member_keeps_a_result_with_consent_recorded(client, member_user):
    client.force_login(member_user)
    response = submit(client, "bat-12", ANSWERS["bat-12"]["at-risk"], keep="keep")
    result = AssessmentResult.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:result-detail", args=[result.pk])
    assert (result.user, result.instrument, result.instrument_version) == (
        member_user,
        "bat-12",
        "1",
    )
    assert (str(result.score), result.band, result.acute) == ("2.83", "at-risk", False)
    assert result.subscales == {
        "exhaustion": "4.00",
        "mental-distance": "3.00",
        "cognitive-impairment": "2.33",
        "emotional-impairment": "2.00",
    }
    assert result.answers == ANSWERS["bat-12"]["at-risk"]
    assert result.language == "en"
    consent = Consent.objects.get(user=member_user)
    assert (consent.kind, consent.text_version) == (
        ConsentKind.HEALTH_DATA,
        CONSENT_TEXTS[ConsentKind.HEALTH_DATA].version,
    )
    assert result.consent == consent


def test_a_standing_consent_is_reused_and_a_withdrawn_one_is_given_again(client, member_user):
    client.force_login(member_user)
    submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep")
    submit(client, "who-5", ANSWERS["who-5"]["low"], keep="keep")
    assert Consent.objects.count() == 1
    Consent.objects.update(withdrawn_at=timezone.now())
    submit(client, "who-5", ANSWERS["who-5"]["low"], keep="keep")
    assert Consent.objects.count() == 2
    assert AssessmentResult.objects.latest("pk").consent.withdrawn_at is None


def test_a_replayed_form_stores_one_result(client, member_user):
    client.force_login(member_user)
    token = token_from(client.get(url("who-5")))
    first = submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep", token=token)
    again = submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep", token=token)
    assert first["Location"] == again["Location"]
    assert AssessmentResult.objects.count() == 1


def test_the_same_form_replayed_by_another_member_stores_their_own(
    client, member_user, other_member
):
    token = forged_token("who-5", key="shared-key")
    client.force_login(member_user)
    submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep", token=token)
    client.force_login(other_member)
    submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep", token=token)
    assert AssessmentResult.objects.filter(user=other_member).count() == 1
    assert AssessmentResult.objects.count() == 2


@pytest.mark.parametrize("who", ["visitor", "advisor"])
def test_people_who_are_not_members_cannot_keep_even_by_forcing_it(client, advisor_user, who):
    if who == "advisor":
        client.force_login(advisor_user)
    response = submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep")
    assert response.status_code == 200
    assert not AssessmentResult.objects.exists()
    assert not Consent.objects.exists()


def test_missing_answers_are_named_and_given_answers_kept(client, member_user):
    client.force_login(member_user)
    answers = dict(ANSWERS["pss-10"]["moderate"])
    del answers["q3"], answers["q9"]
    response = submit(client, "pss-10", answers, keep="keep")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert '<a href="#item-q3">Question 3</a>: Please choose an answer to this question.' in page
    assert '<a href="#item-q9">Question 9</a>' in page
    assert 'aria-describedby="item-q3-error"' in page
    assert page.count("checked") == 8 + 1  # eight answers given, plus the keep choice
    assert not AssessmentResult.objects.exists()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("value", ["9", "-1", "abc", "2.0", "", "٣", "1e3", "0x1"])
def test_out_of_range_and_non_numeric_values_get_a_clear_message(client, member_user, value):
    client.force_login(member_user)
    response = submit(client, "who-5", {**ANSWERS["who-5"]["good"], "q2": value}, keep="keep")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#item-q2">Question 2</a>' in page
    assert not AssessmentResult.objects.exists()


def test_an_invalid_keep_choice_is_refused(client, member_user):
    client.force_login(member_user)
    response = submit(client, "who-5", ANSWERS["who-5"]["good"], keep="share-with-everyone")
    assert response.status_code == 200
    assert 'href="#keep-choice"' in response.content.decode()
    assert not AssessmentResult.objects.exists()


def test_an_outdated_version_gets_a_kind_message_and_the_current_form(client, member_user):
    client.force_login(member_user)
    response = submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep", version="0")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This questionnaire was updated since you opened it" in page
    assert 'name="version" value="1"' in page
    assert len(re.findall(r"\bchecked\b", page)) == 1  # only "keep nothing", the default
    assert not AssessmentResult.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        forged_token("who-5")[:-3] + "abc",  # signature broken
        forged_token("pss-10"),  # made for another instrument
        forged_token("who-5", version="0"),  # made for another version
        "",
    ],
    # Fixed names: the tokens carry a timestamp, and pytest-xdist's workers must collect
    # the same tests.
    ids=["not-a-token", "broken-signature", "other-instrument", "other-version", "empty"],
)
def test_a_tampered_form_is_refused_with_a_new_ticket_and_answers_kept(client, member_user, token):
    client.force_login(member_user)
    data = {"version": "1", "token": token, "keep": "keep", **ANSWERS["who-5"]["good"]}
    response = client.post(url("who-5"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert "We could not read this form" in page
    assert token_from(response) != token
    assert page.count("checked") == 5 + 1
    assert not AssessmentResult.objects.exists()


def test_an_expired_form_asks_to_send_again(client, member_user):
    client.force_login(member_user)
    token = token_from(client.get(url("who-5")))
    with time_machine.travel(timezone.now() + timedelta(hours=13)):
        client.force_login(member_user)
        response = submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep", token=token)
    assert "This form was opened a long time ago" in response.content.decode()
    assert not AssessmentResult.objects.exists()


def test_an_unknown_instrument_is_404(client):
    assert client.get(url("mbi-22")).status_code == 404
    assert client.post(url("mbi-22"), {"q1": "1"}).status_code == 404


def test_acute_results_show_the_crisis_lines_first(client):
    page = submit(client, "who-5", ANSWERS["who-5"]["very-low"]).content.decode()
    main = page[page.index("<main") :]
    assert main.index('id="crisis-lines"') < main.index('id="score"')
    assert "0800 32 123" in main[: main.index('id="score"')]
    assert 'id="help-lines"' not in main


@pytest.mark.parametrize(
    ("code", "band"),
    [("who-5", "very-low"), ("pss-10", "high"), ("bat-12", "very-high-risk")],
)
def test_results_that_ask_for_help_open_with_the_lines_and_the_call_back(client, code, band):
    ModuleFactory(title="Un module du thème", themes=["stress", "burnout", "sleep"])
    page = submit(client, code, ANSWERS[code][band]).content.decode()
    main = page[page.index("<main") :]
    first_module = main.index('id="recommended-modules"')
    assert main.index('id="crisis-lines"') < main.index('id="listening-cell"') < first_module
    assert main.index('id="listening-cell"') < main.index('id="score"')
    assert "tel:080032123" in main[:first_module]
    assert main.count('id="listening-cell"') == 1


def test_the_most_strained_band_of_any_instrument_offers_a_person_first(client):
    from assessments.instruments import get_current
    from assessments.presentation import most_strained_band

    assert most_strained_band(get_current("who-5")).code == "very-low"
    assert most_strained_band(get_current("pss-10")).code == "high"
    assert most_strained_band(get_current("loneliness-3")).code == "lonely"
    assert most_strained_band(get_current("sci-8")).code == "sleep-under-pressure"


def test_no_sentence_points_to_help_lines_that_are_not_there(client):
    for code, bands in ANSWERS.items():
        for answers in bands.values():
            page = submit(client, code, answers).content.decode()
            main = page[page.index("<main") :]
            assert "lines below" not in main and "lines above" not in main


def test_other_results_show_the_help_lines_after_the_offer(client):
    page = submit(client, "who-5", ANSWERS["who-5"]["good"]).content.decode()
    main = page[page.index("<main") :]
    assert 'id="crisis-lines"' not in main
    assert main.index('id="listening-cell"') < main.index('id="help-lines"')
    assert "tel:1813" in main[main.index('id="help-lines"') :]


def test_the_result_recommends_modules_of_the_band_themes_with_their_next_sessions(client):
    module = ModuleFactory(title="Gérer la pression des clients", themes=["client-pressure"])
    session = SessionFactory(module=module)
    ModuleFactory(title="Module en préparation", themes=["stress"], is_published=False)
    ModuleFactory(title="Bien dormir", themes=["sleep"])
    page = submit(client, "pss-10", ANSWERS["pss-10"]["moderate"]).content.decode()
    section = page[page.index('id="recommended-modules"') : page.index('id="listening-cell"')]
    assert "Gérer la pression des clients" in section
    assert reverse("programme:session-detail", args=[session.pk]) in section
    assert "Module en préparation" not in section
    assert "Bien dormir" not in section  # sleep is not a theme of moderate stress


def test_the_listening_cell_offer_carries_a_kept_result(client, member_user):
    client.force_login(member_user)
    response = submit(client, "who-5", ANSWERS["who-5"]["low"], keep="keep")
    page = client.get(response["Location"]).content.decode()
    result = AssessmentResult.objects.get()
    expected = f"{reverse('referrals:request-create')}?result={result.pk}"
    assert f'href="{expected}"' in page


def test_the_listening_cell_offer_attaches_nothing_to_a_result_seen_once(client):
    page = submit(client, "who-5", ANSWERS["who-5"]["low"]).content.decode()
    assert f'href="{reverse("referrals:request-create")}"' in page
    assert "?result=" not in page


def test_the_result_says_where_the_wording_in_this_language_comes_from(client):
    instrument = get_current("pss-10")
    response = submit(client, "pss-10", ANSWERS["pss-10"]["moderate"])
    page = response.content.decode()
    source = page[page.index('id="instrument-source"') :]
    source = source[: source.index("</p>")]
    assert "Cohen" in source
    assert instrument.wording.en.replace("&", "&amp;") in source
    assert f'href="{instrument.source_url}" rel="noopener noreferrer"' in source
    assert "(external site, you leave the portal)" in source
    dutch = submit(client, "pss-10", ANSWERS["pss-10"]["moderate"], lang="nl")
    assert instrument.wording.nl in dutch.content.decode()


def test_french_is_the_default_wording(client):
    page = client.get(url("who-5", "fr")).content.decode()
    assert "Je me suis senti·e calme et tranquille." in page
    page = client.get(url("who-5", "nl")).content.decode()
    assert "Ik voelde me rustig en ontspannen." in page


def test_a_forged_form_reusing_a_key_for_another_instrument_is_refused(client, member_user):
    client.force_login(member_user)
    submit(
        client, "who-5", ANSWERS["who-5"]["good"], keep="keep", token=forged_token("who-5", key="k")
    )
    response = submit(
        client,
        "sci-8",
        ANSWERS["sci-8"]["sleep-resource"],
        keep="keep",
        token=forged_token("sci-8", key="k"),
    )
    assert response.status_code == 200
    assert "We could not read this form" in response.content.decode()
    assert list(AssessmentResult.objects.values_list("instrument", flat=True)) == ["who-5"]

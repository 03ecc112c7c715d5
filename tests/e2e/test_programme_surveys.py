"""Survey journeys in the browser: a member answers the satisfaction survey from the link
in their e-mail; a manager writes a campaign, sends it and reads the results."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import MemberProfile
from members.roles import Role
from notifications.sending import send_inline, sweep
from notifications.services import preference_set
from surveys.models import CampaignResponse, CampaignStatus, SessionFeedback, SurveyCampaign
from surveys.services import campaign_response_submit
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory


@pytest.fixture(autouse=True)
def messages_setup(settings, live_server, in_process_tasks):
    """Links in e-mails point to the live server; tasks run in-process."""
    settings.PORTAL_BASE_URL = live_server.url


def english_reader(*, news: bool = False, **profile):
    user = member()
    MemberProfile.objects.filter(user=user).update(preferred_language="en", **profile)
    if news:
        preference_set(user=user, category="programme_news", enabled=True)
    return user


def link_in(message, path: str) -> str:
    return re.search(rf"(https?://\S+{path}\S+/)", message.body).group(1)


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_member_answers_the_satisfaction_survey_from_the_email(
    live_server, browser, axe, csp_violations, mailoutbox
):
    ends = timezone.now() - timedelta(hours=4)
    session = SessionFactory(
        module=ModuleFactory(title="Sleep better when you run a business", format="webinar"),
        starts_at=ends - timedelta(hours=1),
        ends_at=ends,
    )
    user = english_reader()
    EnrolmentFactory(session=session, user=user, attendance="attended")
    sweep(dispatch=send_inline)
    [invitation] = mailoutbox
    link = link_in(invitation, "/en/programme/feedback/")

    # On a phone, from the e-mail, without logging in.
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    axe.page = page
    page.goto(link)
    expect(page.locator("h1")).to_have_text("How was the session?")
    expect(page.locator(".lead")).to_contain_text("Sleep better when you run a business")
    axe("satisfaction survey")
    no_overflow(page)

    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("#error-summary")).to_contain_text("Choose an answer.")
    axe("satisfaction survey with errors")

    page.get_by_role("group", name="How useful was this session for you?").get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("How do you rate its quality")).get_by_label(
        "5", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("How likely are you to recommend")).get_by_label(
        "10", exact=True
    ).check()
    page.get_by_label("Anything else you would like to tell us? (optional)").fill(
        "Very practical, thank you."
    )
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("h1")).to_have_text("Thank you for your answer")
    axe("survey answered")
    feedback = SessionFeedback.objects.get()
    assert (feedback.usefulness, feedback.quality, feedback.recommend) == (4, 5, 10)
    assert feedback.comment == "Very practical, thank you."

    page.goto(link)
    expect(page.locator("h1")).to_have_text("You have already answered")
    axe("survey already answered")
    page.goto(link[:-6] + "XXXXX/")
    expect(page.locator("h1")).to_have_text("This link does not work")
    axe("broken survey link")
    assert SessionFeedback.objects.count() == 1
    assert csp_violations == []
    context.close()


def test_manager_writes_a_campaign_sends_it_and_reads_the_results(
    live_server, page, browser, axe, csp_violations, mailoutbox
):
    readers = [english_reader(province="WLG", news=True) for _ in range(5)]
    english_reader(province="BRU", news=True)
    manager = staff(Role.PROGRAMME_MANAGER)
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Manage the programme").first.click()
    page.get_by_role("link", name="Survey campaigns").first.click()
    expect(page.locator("h1")).to_have_text("Survey campaigns")
    axe("campaign list")

    page.get_by_role("link", name="New campaign").click()
    axe("new campaign form")
    page.locator("#id_title").fill("How do you find the programme?")
    page.locator("#id_intro").fill("Two questions, one minute. Thank you!")
    page.get_by_label("Members of a province").check()
    page.get_by_role("group", name="Question 1").get_by_label("Question").fill(
        "Does the programme help you strengthen your resources?"
    )
    page.get_by_role("group", name="Question 2").get_by_label("Question").fill(
        "Which theme is missing?"
    )
    page.get_by_role("group", name="Question 2").get_by_label("Kind of answer").select_option(
        "text"
    )
    # A province audience without its province is refused, with a message.
    page.get_by_role("button", name="Schedule the sending").click()
    expect(page.locator("#id_province_error, .invalid-feedback").first).to_contain_text(
        "This audience needs this choice."
    )
    axe("campaign form with errors")
    assert not SurveyCampaign.objects.exists()

    # Luxembourg has no reader: checking the reach says so before anything is sent.
    page.get_by_label("Province", exact=True).select_option("WLX")
    page.get_by_role("button", name="Check the reach").click()
    expect(page.locator("#audience-reason")).to_contain_text("no member lives in this province")
    axe("campaign form with its reach")
    page.get_by_label("Province", exact=True).select_option("WLG")
    page.get_by_role("button", name="Schedule the sending").click()
    expect(page.locator(".alert-success")).to_contain_text("The campaign is scheduled")
    expect(page.locator("#campaign-status")).to_have_text("Scheduled")
    expect(page.locator("#audience-size")).to_contain_text(
        "(to those who receive programme news): 5."
    )
    axe("scheduled campaign")

    # The next sweep fans it out to the five readers in Liège.
    sweep(dispatch=send_inline)
    campaign = SurveyCampaign.objects.get()
    assert campaign.status == CampaignStatus.SENT
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in readers)

    # One of them answers from the e-mail, in another browser.
    message = next(m for m in mailoutbox if m.to == [readers[0].email])
    context = browser.new_context(locale="en-BE")
    member_page = context.new_page()
    member_page.goto(link_in(message, "/en/programme/survey/"))
    expect(member_page.locator("h1")).to_have_text("How do you find the programme?")
    answer = type(axe)(member_page)
    answer("campaign answer form")
    member_page.get_by_role(
        "group", name="Does the programme help you strengthen your resources?"
    ).get_by_label("4", exact=True).check()
    member_page.get_by_label("Which theme is missing?").fill("Working with family members")
    member_page.get_by_role("button", name="Send my answers").click()
    expect(member_page.locator("h1")).to_have_text("Thank you for your answer")
    answer("campaign answered")
    context.close()

    page.reload()
    expect(page.locator("#not-enough")).to_contain_text("1 answer so far")
    axe("campaign with too few answers")

    scale, text = campaign.questions.all()
    for user, score in zip(readers[1:], (5, 4, 3, 4), strict=True):
        campaign_response_submit(
            campaign_id=campaign.pk, user_id=user.pk, answers={scale.pk: score, text.pk: ""}
        )
    page.reload()
    expect(page.locator("#response-count")).to_have_text("5")
    expect(page.locator("#response-rate")).to_contain_text("100 % (5 of 5 people invited")
    expect(page.get_by_role("link", name="Download the answers (CSV, anonymous)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Average 4.0 out of 5 (5 answers)")
    expect(page.locator("main")).to_contain_text("Working with family members")
    axe("campaign results")
    page.get_by_role("link", name="Survey campaigns").first.click()
    expect(page.locator("#campaign-table")).to_contain_text("Members of a province: Liège")
    assert CampaignResponse.objects.count() == 5
    assert csp_violations == []

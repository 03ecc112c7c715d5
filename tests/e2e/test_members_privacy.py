"""A member's privacy space in the browser: reviews consents and withdraws one (deleting
the results it covered), gives it again, downloads a copy of their data after confirming
the password, then deletes the account. Every page is checked with axe and for CSP
violations."""

import json
import re

from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentResult
from members.consents import ConsentKind
from members.models import Consent, User
from members.services import consent_give
from programme.models import Enrolment
from programme.services import enrolment_create
from tests.assessments.factories import keep_result
from tests.e2e.journeys import log_in
from tests.factories import PASSWORD, member
from tests.programme.factories import SessionFactory

HEALTH = "Keeping my self-assessment results"


def test_member_reviews_consents_downloads_data_and_deletes_the_account(
    live_server, page, axe, csp_violations
):
    sophie = member(first_name="Sophie", last_name="Lambert")
    consent_give(user=sophie, kind=ConsentKind.HEALTH_DATA)
    keep_result(sophie, "who-5", "low", when=timezone.now())
    session = SessionFactory(capacity=1)
    enrolment_create(session_id=session.pk, user=sophie)
    waiting = member()
    enrolment_create(session_id=session.pk, user=waiting)
    log_in(page, live_server, sophie)

    page.get_by_role("link", name="My profile").first.click()
    page.get_by_role("link", name=re.compile("^My data and consents:")).click()
    expect(page.locator("h1")).to_have_text("My data and consents")
    expect(page.locator("nav [aria-current=page]")).to_have_text("My data and consents")
    expect(page.locator("#consent-health_data .consent-status")).to_contain_text(
        "You gave this consent on"
    )
    expect(page.locator("#consent-health_data .consent-text")).to_contain_text("only I can see it")
    expect(page.locator("#consent-history tbody tr")).to_have_count(1)
    axe("privacy page")

    # Withdrawing the health-data consent asks what becomes of the kept result.
    page.get_by_role("link", name=re.compile(rf"^Withdraw my consent\s*: {HEALTH}")).click()
    expect(page.locator("h1")).to_have_text("Withdraw your consent?")
    axe("withdrawal")
    page.get_by_role("button", name="Yes, withdraw my consent").click()
    expect(page.locator("#kept-data-error")).to_contain_text("Choose whether to delete")
    axe("withdrawal with an error")
    page.get_by_label("Also delete the 1 self-assessment result I keep").check()
    page.get_by_role("button", name="Yes, withdraw my consent").click()
    expect(page.locator(".alert-success").first).to_contain_text("Your consent is withdrawn.")
    expect(page.locator("#consent-health_data .consent-status")).to_contain_text(
        "You withdrew this consent on"
    )
    assert not AssessmentResult.objects.filter(user=sophie).exists()
    axe("privacy page after withdrawing")

    page.get_by_role("button", name=re.compile(rf"^Give my consent\s*: {HEALTH}")).click()
    expect(page.locator(".alert-success").first).to_contain_text("your consent is recorded")
    expect(page.locator("#consent-history tbody tr")).to_have_count(2)
    assert Consent.objects.filter(user=sophie, withdrawn_at__isnull=True).count() == 1

    # A copy of the data: the password first, then one JSON file.
    page.get_by_role("link", name="Get a copy of my data").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/reauthenticate/"))
    axe("password confirmation")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/me/privacy/my-data/$"))
    expect(page.locator("h1")).to_have_text("A copy of my data")
    axe("data file page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["account"]["email"] == sophie.email
    assert len(data["account"]["consents"]) == 2
    assert data["programme"]["enrolments_and_waitlist_places"][0]["status"] == "confirmed"

    # Deleting the account: explained, the password asked, a wrong one refused.
    page.get_by_role("link", name="Back to my data and consents").click()
    page.get_by_role("link", name="Delete my account…").click()
    expect(page.locator("h1")).to_have_text("Delete my account")
    axe("delete account")
    page.fill("input[name=password]", "not-my-password")
    page.get_by_label("I understand that my account and my data are deleted for good").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.locator("main")).to_contain_text("Incorrect password.")
    assert User.objects.filter(pk=sophie.pk).exists()
    axe("delete account with an error")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_label("I understand that my account and my data are deleted for good").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator(".alert-success")).to_contain_text("Your account and your personal data")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    axe("home after deleting the account")

    assert not User.objects.filter(pk=sophie.pk).exists()
    assert Enrolment.objects.get(session=session, user=waiting).status == "confirmed"
    assert csp_violations == []

"""Round tables in the browser, on a phone: a manager records a round table whose decision
takes up a guest's idea and a member's signed one, publishes the change as done, and the
public "you said, we did" page and the home page show it. The member who signed is told
by e-mail exactly once, however often the sweep runs."""

import re

import pytest
from playwright.sync_api import expect

from members.models import MemberProfile
from members.roles import Role
from notifications.sending import send_inline, sweep
from surveys.feedback_services import feedback_submit
from surveys.models import Decision, DecisionStatus, FeedbackStatus, RoundTable
from surveys.tasks import plan_change_notices
from tests.e2e.journeys import sign_in
from tests.factories import member, staff

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def messages_setup(settings, live_server, in_process_tasks):
    """Links in e-mails point to the live server; tasks run in-process."""
    settings.PORTAL_BASE_URL = live_server.url


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_manager_turns_ideas_into_a_published_change_and_the_signer_is_told_once(
    live_server, browser, page, axe, csp_violations, mailoutbox
):
    signer = member(email="signer@example.org", first_name="Noor")
    MemberProfile.objects.filter(user=signer).update(preferred_language="en")
    guest_idea = feedback_submit(
        kind="need", text="Evening workshops on <b>cash flow</b>, please.", language="en"
    )
    signed_idea = feedback_submit(
        kind="suggestion", text="Something on late payments.", language="en", author=signer
    )

    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-GB")
    phone = context.new_page()
    phone.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    axe.page = phone
    sign_in(phone, live_server, staff(Role.PROGRAMME_MANAGER))

    phone.goto(f"{live_server.url}/en/programme/manage/round-tables/")
    expect(phone.locator("h1")).to_have_text("Round tables")
    expect(phone.locator("#round-table-table")).to_contain_text("No round table is recorded yet.")
    axe("round tables, none yet")
    no_overflow(phone)

    phone.locator("main").get_by_role("link", name="Record a round table").click()
    expect(phone.locator("h1")).to_have_text("Record a round table")
    # Nothing filled in: clear messages, nothing recorded.
    phone.locator("#id_member_count").fill("-3")
    phone.get_by_role("button", name="Save the round table").click()
    expect(phone.locator("main")).to_contain_text("This field is required")
    expect(phone.locator("main")).to_contain_text("greater than or equal to 0")
    axe("round table form with errors")
    assert not RoundTable.objects.exists()

    phone.get_by_label("Title").fill("Spring round table in Namur")
    phone.get_by_label("Held on").fill("2026-03-12")
    phone.get_by_label("Members taking part").fill("14")
    phone.get_by_label("Partners taking part").fill("3")
    phone.get_by_label("Summary").fill("Cash flow and late payments came up again and again.")
    phone.get_by_role("button", name="Save the round table").click()
    expect(phone.locator("h1")).to_have_text("Spring round table in Namur")
    expect(phone.locator("#round-table-facts")).to_contain_text("14 members, 3 partners")
    axe("round table")
    no_overflow(phone)

    phone.get_by_role("link", name="Add a decision").click()
    phone.locator("#id_text").fill("Run evening workshops on cash flow.")
    phone.get_by_label("Messages that led to it (numbers)").fill(
        f"#{guest_idea.pk}, #{signed_idea.pk}"
    )
    phone.get_by_role("button", name="Save the decision").click()
    expect(phone.locator("h1")).to_have_text(re.compile(r"Decision #\d+"))
    expect(phone.locator("#decision-items")).to_contain_text("<b>cash flow</b>")
    axe("decision")

    # Published before it is done: refused, clearly.
    phone.get_by_label("Public text in French").fill("Des ateliers du soir sur la trésorerie.")
    phone.get_by_label("Publish on the “you said, we did” page").check()
    phone.get_by_role("button", name="Save the change").click()
    expect(phone.locator("#change-form")).to_contain_text(
        "Only a change that is done can be published."
    )
    axe("change refused")

    phone.locator("#id_status").select_option("done")
    phone.get_by_label("Public text in French").fill("Des ateliers du soir sur la trésorerie.")
    phone.get_by_label("Public text in Dutch").fill("Avondworkshops over cashflow.")
    phone.get_by_label("Public text in English (optional: French otherwise)").fill(
        "Evening workshops on cash flow, from April."
    )
    phone.get_by_label("Publish on the “you said, we did” page").check()
    phone.get_by_role("button", name="Save the change").click()
    expect(phone.locator(".alert-success")).to_contain_text("The change is published.")
    expect(phone.locator("#change-state")).to_contain_text("Published on")
    axe("change published")
    no_overflow(phone)
    change = Decision.objects.get()
    assert change.status == DecisionStatus.DONE
    for item in (guest_idea, signed_idea):
        item.refresh_from_db()
        assert item.status == FeedbackStatus.DONE
    context.close()

    # A visitor, on a phone: the public page and the home page show the change.
    visitor = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-GB")
    public = visitor.new_page()
    axe.page = public
    public.goto(f"{live_server.url}/en/")
    expect(public.locator("#latest-change")).to_contain_text(
        "Evening workshops on cash flow, from April."
    )
    axe("home with the latest change")
    public.locator("#latest-change").get_by_role(
        "link", name="Every change made after your ideas"
    ).click()
    expect(public.locator("h1")).to_have_text("You said, we did")
    expect(public.locator(f"#change-{change.pk}")).to_contain_text(
        "Evening workshops on cash flow, from April."
    )
    expect(public.locator(f"#change-{change.pk}")).to_contain_text(
        "Fewer than 5 messages asked for it."
    )
    axe("you said, we did")
    no_overflow(public)
    public.locator("footer").get_by_role("link", name="You said, we did").click()
    expect(public.locator("h1")).to_have_text("You said, we did")
    visitor.close()

    # The member who signed is told once: the task ran at publication; again, and two sweeps.
    plan_change_notices(change.pk)
    sweep(dispatch=send_inline)
    sweep(dispatch=send_inline)
    assert [message.to for message in mailoutbox] == [["signer@example.org"]]
    [message] = mailoutbox
    assert message.subject == "You said, we did: your idea led to a change"
    assert "Evening workshops on cash flow, from April." in message.body
    assert f"{live_server.url}/en/programme/you-said-we-did/" in message.body
    assert csp_violations == []

"""Feedback at any time: the footer's form (members and visitors), the managers' queue,
the reply by e-mail, and the member's data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from members.selectors import member_data
from members.services import member_erase
from surveys import feedback_services as services
from surveys.feedback_services import forget_old_reply_emails
from surveys.models import FEEDBACK_MAX_CHARS, FeedbackEvent, FeedbackItem, FeedbackStatus
from tests.factories import member
from tests.programme.factories import (
    EnrolmentFactory,
    ModuleFactory,
    SessionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def new_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("surveys:idea-new")


def queue_url() -> str:
    with translation.override("en"):
        return reverse("surveys:manage-ideas")


def item_url(pk: int) -> str:
    with translation.override("en"):
        return reverse("surveys:manage-idea", args=[pk])


def form_data(**overrides) -> dict:
    return {"kind": "need", "text": "A workshop on pricing, please.", **overrides}


def make_item(**overrides) -> FeedbackItem:
    fields = {"kind": "suggestion", "text": "An idea", "language": "fr", **overrides}
    return services.feedback_submit(**fields)


# --- The form --------------------------------------------------------------------------


def test_a_visitor_sends_a_need_without_an_account(client):
    response = client.post(new_url() + "?from=/en/catalogue/", form_data())
    assert response.status_code == 302
    assert response.url == reverse("surveys:idea-thanks")
    item = FeedbackItem.objects.get()
    assert (item.kind, item.text, item.author, item.status, item.language) == (
        "need",
        "A workshop on pricing, please.",
        None,
        FeedbackStatus.NEW,
        "en",
    )
    thanks = client.get(response.url).content.decode()
    assert "What happens next" in thanks or "Here is what happens next" in thanks
    assert 'id="idea-reply"' not in thanks


def test_a_member_stays_anonymous_unless_they_tick_the_box(client, member_user):
    client.force_login(member_user)
    assert 'name="identify"' in client.get(new_url()).content.decode()
    client.post(new_url(), form_data())
    client.post(new_url(), form_data(text="Signed", identify="on"))
    anonymous, signed = FeedbackItem.objects.order_by("pk")
    assert anonymous.author is None
    assert signed.author == member_user


def test_a_visitor_is_not_offered_to_sign(client):
    assert 'name="identify"' not in client.get(new_url()).content.decode()
    client.post(new_url(), form_data(identify="on"))
    assert FeedbackItem.objects.get().author is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a few words"),
        ("   \n  ", "Write a few words"),
        ("x" * (FEEDBACK_MAX_CHARS + 1), "Keep it under 2000 characters (it has 2001 now)"),
    ],
)
def test_an_empty_or_too_long_message_is_refused_clearly(client, text, message):
    response = client.post(new_url(), form_data(text=text))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_tampered_hidden_fields_are_ignored_not_errors(client):
    response = client.post(new_url(), form_data(module="abc", session="1 OR 1=1", page="x" * 9000))
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert (item.module, item.session, item.page_path) == (None, None, "")


def test_exactly_the_limit_is_accepted(client):
    assert client.post(new_url(), form_data(text="x" * FEEDBACK_MAX_CHARS)).status_code == 302


def test_a_bad_kind_or_address_is_refused_not_a_500(client):
    response = client.post(new_url(), form_data(kind="spam", reply_email="not-an-address"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This e-mail address does not look right." in html
    assert not FeedbackItem.objects.exists()


def test_html_and_markdown_stay_text_for_the_manager(client, manager_user):
    text = "<script>alert(1)</script> **bold** [link](javascript:alert(1)) <img src=x onerror=1>"
    item = make_item(text=text)
    client.force_login(manager_user)
    html = client.get(item_url(item.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "**bold**" in html
    listing = client.get(queue_url()).content.decode()
    assert "<script>alert(1)" not in listing


def test_the_honeypot_records_nothing(client):
    response = client.post(new_url(), form_data(website="http://spam.example"))
    assert response.status_code == 429
    assert not FeedbackItem.objects.exists()


def test_over_the_ip_limit_a_friendly_429(client, settings):
    settings.SURVEYS_FEEDBACK_LIMIT_PER_IP = "3/h"
    for _n in range(3):
        assert client.post(new_url(), form_data()).status_code == 302
    response = client.post(new_url(), form_data())
    assert response.status_code == 429
    assert "Please try again in an hour" in response.content.decode()
    assert FeedbackItem.objects.count() == 3


def test_the_page_sent_from_keeps_a_local_path_without_its_query():
    assert services.clean_page_path("/fr/programme/?token=secret#x") == "/fr/programme/"
    assert services.clean_page_path("https://evil.example/") == ""
    assert services.clean_page_path("//evil.example/") == ""
    assert len(services.clean_page_path("/" + "a" * 500)) == 200


def test_the_form_carries_the_page_it_was_opened_from(client):
    client.post(new_url() + "?from=/en/programme/x/%3Ftoken%3Dabc", form_data(page="/en/a/?t=1"))
    assert FeedbackItem.objects.get().page_path == "/en/a/"


def test_a_session_prefills_the_module_and_the_session(client):
    session = SessionFactory(is_published=True, module__is_published=True)
    html = client.get(new_url() + f"?session={session.pk}").content.decode()
    assert session.module.title in html
    client.post(new_url(), form_data(session=str(session.pk)))
    item = FeedbackItem.objects.get()
    assert (item.session, item.module) == (session, session.module)


def test_an_unpublished_module_is_not_named(client):
    module = ModuleFactory(is_published=False)
    html = client.get(new_url() + f"?module={module.pk}&session=abc").content.decode()
    assert module.title not in html
    client.post(new_url(), form_data(module=str(module.pk)))
    assert FeedbackItem.objects.get().module is None


def test_the_footer_of_every_page_links_to_the_form(client):
    html = client.get("/fr/").content.decode()
    assert 'id="footer-idea-link"' in html
    assert reverse("surveys:idea-new") in html


# --- Access ----------------------------------------------------------------------------


def test_visitors_and_members_cannot_see_the_queue(client, member_user):
    item = make_item()
    assert client.get(queue_url()).status_code == 302
    client.force_login(member_user)
    assert client.get(queue_url()).status_code == 403
    assert client.get(item_url(item.pk)).status_code == 403
    assert client.post(item_url(item.pk), {"action": "status", "status": "done"}).status_code == 403
    item.refresh_from_db()
    assert item.status == FeedbackStatus.NEW


def test_the_manager_sees_the_queue_newest_first(client, manager_user):
    old = make_item(text="Older")
    new = make_item(text="Newer")
    client.force_login(manager_user)
    response = client.get(queue_url())
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [new, old]


def test_the_queue_filters_by_status_kind_and_theme(client, manager_user):
    theme = ThemeFactory()
    need = make_item(kind="need")
    praise = make_item(kind="praise")
    services.feedback_set_status(item_id=praise.pk, status="planned")
    services.feedback_set_themes(item_id=need.pk, theme_ids=[theme.pk])
    client.force_login(manager_user)

    def shown(query: str):
        return list(client.get(queue_url() + query).context["page"].object_list)

    assert shown("?kind=need") == [need]
    assert shown("?status=planned") == [praise]
    assert shown(f"?theme={theme.pk}") == [need]
    assert shown("?status=bogus") == [praise, need]  # a bad filter shows all, no 500


def test_the_queue_reads_a_fixed_number_of_queries(client, manager_user):
    themes = [ThemeFactory(), ThemeFactory()]
    client.force_login(manager_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(queue_url()).status_code == 200
        return len(queries)

    first = make_item(module_id=ModuleFactory().pk)
    services.feedback_set_themes(item_id=first.pk, theme_ids=[t.pk for t in themes])
    few = count()
    for _n in range(6):
        item = make_item(session_id=SessionFactory().pk)
        services.feedback_set_themes(item_id=item.pk, theme_ids=[themes[0].pk])
        services.feedback_mark_duplicate(item_id=item.pk, original_id=first.pk)
    assert count() == few


# --- Triage ----------------------------------------------------------------------------


def test_the_manager_plans_an_item_with_a_public_reason(client, manager_user):
    item = make_item()
    client.force_login(manager_user)
    response = client.post(
        item_url(item.pk),
        {"action": "status", "status": "planned", "public_reason": "In the autumn programme."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.public_reason) == ("planned", "In the autumn programme.")


def test_declining_needs_a_reason(client, manager_user):
    item = make_item()
    client.force_login(manager_user)
    response = client.post(item_url(item.pk), {"action": "status", "status": "declined"})
    assert response.status_code == 200
    assert "Say in a few words why" in response.content.decode()
    item.refresh_from_db()
    assert item.status == FeedbackStatus.NEW


def test_themes_are_tagged_and_untagged(client, manager_user):
    first, second = ThemeFactory(), ThemeFactory()
    item = make_item()
    client.force_login(manager_user)
    client.post(item_url(item.pk), {"action": "themes", "themes": [first.pk, second.pk]})
    assert set(item.themes.all()) == {first, second}
    client.post(item_url(item.pk), {"action": "themes", "themes": [second.pk]})
    assert list(item.themes.all()) == [second]


def test_merging_duplicates_counts_them_on_the_original(client, manager_user):
    original, copy, copy_of_copy = make_item(), make_item(), make_item()
    client.force_login(manager_user)
    client.post(item_url(copy.pk), {"action": "duplicate", "duplicate_of": original.pk})
    # Merging into a duplicate merges into its original: no chains.
    services.feedback_mark_duplicate(item_id=copy_of_copy.pk, original_id=copy.pk)
    copy.refresh_from_db()
    copy_of_copy.refresh_from_db()
    assert copy.duplicate_of == original
    assert copy_of_copy.duplicate_of == original
    html = client.get(item_url(original.pk)).content.decode()
    assert "2 other messages ask the same" in html


def test_an_item_cannot_be_its_own_duplicate_nor_of_a_missing_one(client, manager_user):
    item = make_item()
    client.force_login(manager_user)
    response = client.post(item_url(item.pk), {"action": "duplicate", "duplicate_of": item.pk})
    assert "cannot be a duplicate of itself" in response.content.decode()
    response = client.post(item_url(item.pk), {"action": "duplicate", "duplicate_of": 99999})
    assert "no feedback item with this number" in response.content.decode()
    item.refresh_from_db()
    assert item.duplicate_of is None


def test_a_merged_original_passes_its_duplicates_on():
    a, b, c = make_item(), make_item(), make_item()
    services.feedback_mark_duplicate(item_id=b.pk, original_id=a.pk)
    services.feedback_mark_duplicate(item_id=a.pk, original_id=c.pk)
    b.refresh_from_db()
    assert b.duplicate_of == c


# --- Reply -----------------------------------------------------------------------------


def test_the_reply_goes_once_in_the_writers_language_and_the_address_goes(
    client, manager_user, django_capture_on_commit_callbacks
):
    item = make_item(language="nl", reply_email="alex@example.org", text="Meer <b>yoga</b>")
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            item_url(item.pk), {"action": "reply", "reply_text": "Bedankt! <i>In september</i>."}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex@example.org"]
    assert message.subject == "Het antwoord van het team op je bericht"
    assert "Bedankt! <i>In september</i>." in message.body  # plain text stays as written
    html = message.alternatives[0][0]
    assert "&lt;i&gt;In september&lt;/i&gt;" in html
    assert "Meer &lt;b&gt;yoga&lt;/b&gt;" in html
    item.refresh_from_db()
    assert item.reply_email == ""
    assert item.replied_at is not None
    assert item.replied_by == manager_user
    # A second send (a retried task, a double click) sends nothing.
    assert services.feedback_reply_send(item_id=item.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(item_url(item.pk), {"action": "reply", "reply_text": "Again"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_no_reply_without_an_address(client, manager_user):
    item = make_item()
    client.force_login(manager_user)
    response = client.post(item_url(item.pk), {"action": "reply", "reply_text": "Hello"})
    assert response.status_code == 200
    assert "left no e-mail address" in response.content.decode()
    assert mail.outbox == []


# --- Privacy ---------------------------------------------------------------------------


def test_a_signed_item_is_in_the_members_data_and_goes_on_erasure():
    user = member()
    signed = make_item(author=user, text="My own words", reply_email="me@example.org")
    anonymous = make_item(text="Nobody's")
    exported = member_data(user)["programme"]["feedback_items"]
    assert [row["message"] for row in exported] == ["My own words"]
    assert exported[0]["reply_email"] == "me@example.org"
    member_erase(user=user)
    assert not FeedbackItem.objects.filter(pk=signed.pk).exists()
    assert FeedbackItem.objects.filter(pk=anonymous.pk).exists()


def test_an_unanswered_address_is_forgotten_after_the_retention_period(settings):
    settings.SURVEYS_FEEDBACK_EMAIL_DAYS = 180
    old = make_item(reply_email="old@example.org")
    recent = make_item(reply_email="new@example.org")
    FeedbackItem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=181))
    assert forget_old_reply_emails(now=timezone.now(), limit=100) == 1
    assert forget_old_reply_emails(now=timezone.now(), limit=100) == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.reply_email, recent.reply_email) == ("", "new@example.org")


def test_every_change_leaves_a_line_on_the_timeline(
    client, manager_user, django_capture_on_commit_callbacks
):
    theme = ThemeFactory()
    original = make_item()
    item = make_item(reply_email="alex@example.org")
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(item_url(item.pk), {"action": "status", "status": "under_review"})
        # Saving the same status again changes nothing and writes nothing.
        client.post(item_url(item.pk), {"action": "status", "status": "under_review"})
        client.post(item_url(item.pk), {"action": "themes", "themes": [theme.pk]})
        client.post(item_url(item.pk), {"action": "duplicate", "duplicate_of": original.pk})
        client.post(item_url(item.pk), {"action": "reply", "reply_text": "Thanks"})
    events = list(FeedbackEvent.objects.filter(item=item).values_list("action", "actor"))
    assert events == [
        ("feedback.submitted", None),
        ("feedback.status_changed", manager_user.pk),
        ("feedback.themes_changed", manager_user.pk),
        ("feedback.merged", manager_user.pk),
        ("feedback.reply_recorded", manager_user.pk),
        ("feedback.reply_sent", None),
    ]
    html = client.get(item_url(item.pk)).content.decode()
    assert "Status: New → Under review" in html
    assert f"Merged into #{original.pk}" in html
    # The timeline keeps codes and ids, never the words of the note or the address.
    details = " ".join(str(e.detail) for e in FeedbackEvent.objects.all())
    assert "alex@example.org" not in details and "Thanks" not in details


def test_a_session_page_offers_the_form_to_its_participants_only(client, member_user):
    session = SessionFactory(is_published=True, module__is_published=True)
    with translation.override("en"):
        url = reverse("programme:session-detail", args=[session.pk])
    client.force_login(member_user)
    assert 'id="session-idea-link"' not in client.get(url).content.decode()
    EnrolmentFactory(session=session, user=member_user)
    html = client.get(url).content.decode()
    assert 'id="session-idea-link"' in html
    assert f"?session={session.pk}&amp;from=" in html
